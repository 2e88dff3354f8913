"""Groups: `# group:` blocks and MLP neurons collapse into boxes and expand in place."""

import itertools
import random

import pytest

from chainrule import MLP, parse
from chainrule.view.export_svg import graph_svg
from chainrule.core.expr import group_lines
from chainrule.view.graph import flow_graph
from chainrule.core.ids import node_ids
from chainrule.view.groups import COLLAPSE_ABOVE, ancestry, group_tree, grouped_graph
from chainrule.state.presets import PRESETS
from chainrule.state.session import Session
from dagre_node import run_dagre

TYPED = """\
x = 2
# group: attention
w = 3
s = tanh(w*x + 1)

# group: head
o = s*s + y
"""
MLP_TEXT = PRESETS["mlp"][1]
SMALL_MLP = PRESETS["small-mlp"][1]


def boxes_of(view):
    return {n["data"]["name"]: n for n in view["nodes"] if n["type"] == "group"}


def frames_of(view):
    return {n["data"]["name"]: n for n in view["nodes"] if n["type"] == "frame"}


def labels(view):
    return {n["data"]["label"] for n in view["nodes"] if n["type"] == "value"}


def rect(node):
    return (node["position"]["x"], node["position"]["y"], node["width"], node["height"])


def overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def inside(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return bx <= ax and by <= ay and ax + aw <= bx + bw and ay + ah <= by + bh


# the language -------------------------------------------------------------------


def test_a_group_runs_from_its_comment_to_a_blank_line_or_the_next_group():
    lines = ["a = 1", "# group: one", "b = a", "c = b", "", "d = c", "#group:two.x", "e = d",
             "# group: not a name!", "f = e"]
    assert group_lines(lines) == {3: "one", 4: "one", 8: "two.x"}


def test_a_group_holds_what_its_statements_make_but_not_free_names_or_earlier_values():
    program = parse(TYPED)
    groups = {v.label or f"{v.op}:{v.data:g}": name for v, name in program.groups.items()}
    assert groups["w"] == groups["s"] == "attention"
    assert groups["o"] == "head"
    assert "x" not in groups and "y" not in groups  # x is before the block, y is a free name
    assert list(program.groups.values()).count("attention") == 5  # w, w*x, 1, +, tanh as s


def test_dotted_names_nest():
    assert ancestry("L1.N3") == ["L1", "L1.N3"]
    program = parse(SMALL_MLP)
    order = program.output.topological_order()
    tree = group_tree(program, order, node_ids(order))
    assert tree.parent["L1.N0"] == "L1" and tree.parent["L1"] is None
    assert tree.innermost() == [n for n in tree.names if "." in n]
    assert [label for _, label in tree.outputs["L1.N2"]] == ["h1_2"]
    assert [label for _, label in tree.outputs["L1"]] == [f"h1_{j}" for j in range(4)]


# the graph on screen --------------------------------------------------------------


def test_collapsed_groups_are_boxes_with_merged_edges_and_no_inner_edges():
    program = parse(SMALL_MLP)
    order = program.output.topological_order()
    ids = node_ids(order)
    full = flow_graph(program.output, order)
    tree = group_tree(program, order, ids)
    shown = grouped_graph(full, tree, set(tree.innermost()))
    boxes = boxes_of(shown.graph)
    assert sorted(boxes) == sorted(tree.innermost())
    assert labels(shown.graph) == {"x1", "x2", "y", "L", ""}
    ids_on_screen = {n["id"] for n in shown.graph["nodes"]}
    for edge in shown.graph["edges"]:
        assert edge["source"] in ids_on_screen and edge["target"] in ids_on_screen
        assert edge["source"] != edge["target"]
    pairs = [(e["source"], e["target"], e.get("targetHandle")) for e in shown.graph["edges"]]
    assert len(pairs) == len(set(pairs))
    # each layer-2 neuron box gets one edge from each layer-1 box
    into = [e for e in shown.graph["edges"] if e["target"] == "g:L2.N1"]
    assert sorted(e["source"] for e in into) == sorted(f"g:L1.N{j}" for j in range(4))
    assert set(shown.hidden.values()) == {f"g:{name}" for name in boxes}


def test_an_expanded_neuron_is_framed_and_its_layer_is_not():
    program = parse(SMALL_MLP)
    order = program.output.topological_order()
    tree = group_tree(program, order, node_ids(order))
    shown = grouped_graph(flow_graph(program.output, order), tree,
                          set(tree.innermost()) - {"L2.N1"})
    assert list(frames_of(shown.graph)) == ["L2.N1"]
    members = [n for n in shown.graph["nodes"] if n.get("parent") == "g:L2.N1"]
    assert {n["data"].get("label") for n in members} >= {"w2_1_0", "w2_1_3", "b2_1", "h2_1"}


# the session --------------------------------------------------------------------


@pytest.fixture
def mlp():
    s = Session(run_dagre)
    s.load(MLP_TEXT)
    return s


def test_the_mlp_preset_opens_collapsed_by_neuron(mlp):
    assert len(mlp.full["nodes"]) > COLLAPSE_ABOVE
    view = mlp.whole_view()
    assert sorted(boxes_of(view)) == sorted(
        [f"L1.N{j}" for j in range(16)] + [f"L2.N{j}" for j in range(16)] + ["L3.N0"])
    assert labels(view) == {"x1", "x2", "y", "L", ""}
    assert all(collapsed for name, collapsed in mlp.groups.items() if "." in name)


def test_small_programs_open_expanded():
    s = Session(run_dagre)
    view = s.load(SMALL_MLP)
    assert not boxes_of(view) and {"w1_0_0", "h2_3"} <= labels(view)
    assert s.groups and not any(s.groups.values())


def test_expanding_shows_the_members_with_their_values_and_keeps_the_box_in_place(mlp):
    before = rect(boxes_of(mlp.whole_view())["L2.N3"])
    view = mlp.toggle_group("L2.N3")
    frame = frames_of(view)["L2.N3"]
    assert (frame["position"]["x"], frame["position"]["y"]) == before[:2]
    reference = parse(MLP_TEXT)
    cells = {n["data"]["label"]: view["cells"][n["id"]] for n in view["nodes"]
             if n["type"] == "value" and n["data"]["label"]}
    for name in ["w2_3_0", "w2_3_15", "b2_3", "h2_3"]:
        assert cells[name]["v"] == repr(reference.values[name].data)
    assert "L2.N3" not in boxes_of(view)
    again = mlp.toggle_group("L2.N3")
    assert "L2.N3" in boxes_of(again) and "w2_3_0" not in labels(again)


def test_expanding_leaves_the_rest_of_its_layer_where_it_was(mlp):
    """The boxes before the expanded one stay put, the ones after it move down by the
    frame's extra height and no further, and none leaves its column."""
    before = {name: rect(box) for name, box in boxes_of(mlp.whole_view()).items()}
    view = mlp.toggle_group("L2.N7")
    after = {name: rect(box) for name, box in boxes_of(view).items()}
    grown = frames_of(view)["L2.N7"]["height"] - before["L2.N7"][3]
    for j in range(16):
        if j == 7:
            continue
        name = f"L2.N{j}"
        (x0, y0, _, _), (x1, y1, _, _) = before[name], after[name]
        assert abs(x1 - x0) <= 8, (name, x0, x1)  # its column, give or take the anchor
        assert y1 - y0 == pytest.approx(0 if j < 7 else grown, abs=8), (name, y0, y1)
    restored = mlp.toggle_group("L2.N7")
    assert {name: rect(box) for name, box in boxes_of(restored).items()} == before


def test_finish_gives_the_same_gradients_collapsed_or_expanded(mlp):
    mlp.finish()
    collapsed = mlp.whole_view()
    rows = {label: collapsed["cells"][value_id]["g"]
            for box in boxes_of(collapsed).values() for value_id, label in box["data"]["outputs"]}
    expanded = mlp.expand_all()
    cells = {n["data"]["label"]: expanded["cells"][n["id"]]["g"] for n in expanded["nodes"]
             if n["type"] == "value"}
    reference = parse(MLP_TEXT)
    reference.output.backward()
    assert len(rows) == 33
    for label, grad in rows.items():
        assert grad == cells[label] == repr(reference.values[label].grad)


def test_a_step_inside_a_collapsed_group_shows_on_its_box_and_expand_current_follows(mlp):
    patches = {}
    while mlp.step_group is None:
        patches = mlp.step()
    box = f"g:{mlp.step_group}"
    assert patches[box]["hl"] in ("operand", "result", "operator")
    name = mlp.step_group
    view = mlp.expand_current()
    assert name in frames_of(view) and mlp.step_group is None
    highlighted = {i for i, c in view["cells"].items() if c.get("hl")}
    assert highlighted & {n["id"] for n in view["nodes"] if n.get("parent") == f"g:{name}"}


def test_collapse_all_and_expand_all(mlp):
    assert len(boxes_of(mlp.expand_all())) == 0
    assert len(boxes_of(mlp.collapse_all())) == 33
    assert mlp.toggle_group("nope") is None


def test_a_typed_group_collapses_and_expands():
    s = Session(run_dagre)
    view = s.load(TYPED)
    assert s.groups == {"attention": False, "head": False}
    assert set(frames_of(view)) == {"attention", "head"}
    view = s.toggle_group("attention")
    box = boxes_of(view)["attention"]
    assert [label for _, label in box["data"]["outputs"]] == ["s"]
    assert "w" not in labels(view) and {"x", "y", "o"} <= labels(view)
    assert "w" in labels(s.toggle_group("attention"))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_no_overlaps_with_any_mix_of_expanded_groups(seed, direction):
    rng = random.Random(seed)
    s = Session(run_dagre, direction)
    s.load(MLP(2, [4, 3, 1], nonlin="tanh", seed=seed).source([0.5, -1.5], 1.0))
    names = [n for n in s.tree.innermost()]
    view = s._regroup(set(rng.sample(names, len(names) // 2)))
    frames = frames_of(view)
    plain = [n for n in view["nodes"] if n["type"] != "frame"]
    for a, b in itertools.combinations(plain, 2):
        assert not overlap(rect(a), rect(b)), (a["id"], b["id"])
    for node in plain:
        for name, frame in frames.items():
            if node.get("parent") == frame["id"]:
                assert inside(rect(node), rect(frame)), (node["id"], name)
            else:
                assert not overlap(rect(node), rect(frame)), (node["id"], name)


def test_export_draws_boxes_and_frames(mlp):
    mlp.toggle_group("L1.N0")
    svg = graph_svg(mlp.whole_view())
    assert 'data-id="g:L1.N0"' in svg and 'stroke-dasharray="6 4"' in svg
    assert ">L2.N5<" in svg and ">h2_5<" in svg


@pytest.mark.parametrize("loss", ["max-margin", "mse"])
def test_an_inspected_training_sample_keeps_its_loss_out_of_the_last_neuron(loss):
    from chainrule.train.trainer import TrainConfig, Trainer

    program = parse(Trainer(TrainConfig(loss=loss)).sample_source(0))
    grouped = {v.label: name for v, name in program.groups.items() if v.label}
    assert grouped["h3_0"] == "L3.N0" and grouped["w1_0_0"] == "L1.N0"
    assert "L" not in grouped and "y" not in grouped
