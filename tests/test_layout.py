import itertools

import pytest

from chainrule import MLP, flow_graph, parse
from chainrule.view.layout import (LAYERED_ABOVE, MAX_LABEL_WIDTH, OPERATOR_SIZE, VALUE_HEIGHT,
                                   VALUE_WIDTH, laid_out_graph, layout_request, node_size,
                                   positions)
from dagre_node import run_dagre

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


def boxes(graph):
    return {n["id"]: (n["position"]["x"], n["position"]["y"], n["width"], n["height"])
            for n in graph["nodes"]}


def overlap(a, b):
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def assert_readable(graph, direction):
    """No two boxes overlap, and every edge runs forward along the layout's direction."""
    placed = boxes(graph)
    by_position = sorted(placed.items(), key=lambda item: item[1][:2])
    for (a, box_a), (b, box_b) in itertools.combinations(by_position, 2):
        assert not overlap(box_a, box_b), (a, b)
    axis, size = (0, 2) if direction == "LR" else (1, 3)
    for edge in graph["edges"]:
        src, dst = placed[edge["source"]], placed[edge["target"]]
        assert src[axis] + src[size] <= dst[axis], edge["id"]


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("source", [
    LECTURE,
    "b = a + a\nc = b * b",
    "o = tanh(x1*w1 + x2*w2 + b)",
    MLP(2, [3, 1], seed=0).source([0.5, -1.0], 1.0),
])
def test_real_dagre_places_boxes_without_overlap_and_edges_flow_forward(source, direction):
    assert_readable(laid_out_graph(flow_graph(parse(source).output), run_dagre, direction),
                    direction)


def test_sizes_follow_node_type_and_label_length_up_to_a_cap():
    long = "a_very_long_name_that_goes_on"
    graph = flow_graph(parse(f"long_name_here = 2\n{long * 4} = 1\n"
                             f"L = tanh(long_name_here * 3 + {long * 4})").output)
    sizes = {n["id"]: node_size(n) for n in graph["nodes"]}
    ops = {n["data"]["op"]: sizes[n["id"]] for n in graph["nodes"] if n["type"] == "operator"}
    assert ops["*"] == ops["+"] == (OPERATOR_SIZE, OPERATOR_SIZE)
    assert ops["tanh"][0] > OPERATOR_SIZE and ops["tanh"][1] == OPERATOR_SIZE
    by_label = {n["data"]["label"]: node_size(n) for n in graph["nodes"] if n["type"] == "value"}
    assert by_label["L"] == (VALUE_WIDTH, VALUE_HEIGHT)
    assert VALUE_WIDTH < by_label["long_name_here"][0] < MAX_LABEL_WIDTH
    assert by_label[long * 4][0] == MAX_LABEL_WIDTH


@pytest.mark.parametrize("direction", ["LR", "TB"])
@pytest.mark.parametrize("source", ["L = tanh(x*w)", "L = tanh(w*x)", "o = x1*w1 + x2*w2",
                                    "L = (x*y) / (z - w) + q**p"])
def test_each_operators_first_operand_sits_on_its_first_input_side(source, direction):
    graph = laid_out_graph(flow_graph(parse(source).output), run_dagre, direction)
    where = {n["id"]: n["position"] for n in graph["nodes"]}
    cross = "y" if direction == "LR" else "x"
    fed = {e["target"] for e in graph["edges"]}
    into = {}
    for edge in graph["edges"]:
        if edge.get("targetHandle"):
            into.setdefault(edge["target"], {})[edge["targetHandle"]] = edge["source"]
    checked = 0
    for pair in into.values():
        first, second = pair.get("in0"), pair.get("in1")
        if first and second and first != second and not {first, second} & fed:
            assert where[first][cross] < where[second][cross], (pair, where[first], where[second])
            checked += 1
    assert checked
    assert_readable(graph, direction)


def test_request_is_graphlib_json_with_one_edge_per_use():
    request = layout_request(flow_graph(parse("a = 3\nb = a*a").output), "TB")
    assert request["options"]["multigraph"] is True
    assert request["value"]["rankdir"] == "TB"
    into_op = [e for e in request["edges"] if e["w"] == "op1"]
    assert [(e["v"], e["w"]) for e in into_op] == [("v0", "op1"), ("v0", "op1")]
    assert len({e["name"] for e in request["edges"]}) == len(request["edges"])


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_large_graphs_take_the_layered_layout_without_overlaps(direction):
    source = MLP(2, [12, 12, 1], seed=3).source([0.5, -1.0], 1.0)
    graph = flow_graph(parse(source).output)
    assert len(graph["nodes"]) > LAYERED_ABOVE

    def refuse(request):
        raise AssertionError("dagre must not be asked to lay out a large graph")

    assert_readable(laid_out_graph(graph, refuse, direction), direction)


def test_layered_layout_puts_a_leaf_right_before_its_consumer():
    chain = "x0 = 1\n" + "\n".join(f"x{i} = x{i-1} * 1.5" for i in range(1, 120)) + "\nL = x119 + y"
    graph = laid_out_graph(flow_graph(parse(chain).output), None)
    x = {n["data"]["label"]: n["position"]["x"] for n in graph["nodes"] if n["type"] == "value"}
    assert x["y"] > x["x118"]  # y is only used by the last op, so it sits next to it


def test_positions_are_top_left_corners_of_dagre_centres():
    laid = {"nodes": [{"v": "v0", "value": {"x": 100, "y": 50, "width": 40, "height": 20}}]}
    assert positions(laid) == {"v0": (80, 40)}


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        layout_request(flow_graph(parse("a*b").output), "RL")


@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_operand_subtrees_swap_as_a_whole_so_the_sums_edges_do_not_cross(direction):
    source = ("x1 = 2\nx2 = 0\nw1 = -3\nw2 = 1\nb = 6.88\nx1w1 = x1*w1\nx2w2 = x2*w2\n"
              "x1w1x2w2 = x1w1 + x2w2\nn = x1w1x2w2 + b\no = tanh(n)")
    graph = laid_out_graph(flow_graph(parse(source).output), run_dagre, direction)
    cross = "y" if direction == "LR" else "x"
    where = {n["data"].get("label"): n["position"][cross] for n in graph["nodes"]
             if n["type"] == "value"}
    assert where["x1w1"] < where["x2w2"]
    assert where["x1"] < where["w1"] < where["x2"] < where["w2"]
    assert_readable(graph, direction)
