import pytest

from chainrule import ExprError, parse
from chainrule.state.session import Session
from chainrule.view.cells import cell_text
from dagre_node import run_dagre

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


@pytest.fixture
def session():
    s = Session(run_dagre)
    s.load(LECTURE)
    return s


def value_cells(view):
    return {n["data"]["label"]: view["cells"][n["id"]] for n in view["nodes"]
            if n["type"] == "value"}


def test_load_gives_positioned_nodes_and_cells_without_grads(session):
    view = session.whole_view()
    assert len(view["nodes"]) == 10 and len(view["edges"]) == 9
    assert all("position" in n for n in view["nodes"])
    cells = value_cells(view)
    assert cells["L"]["v"] == "-8.0" and cells["L"]["vt"] == "-8.0000"
    assert all(c["g"] == "" and c["gt"] == "" for c in cells.values())
    assert session.total == 7 and session.position == 0


def test_bad_text_changes_nothing(session):
    before = session.whole_view()
    with pytest.raises(ExprError):
        session.load("L = d *")
    assert session.text == LECTURE
    assert session.whole_view() == before


def test_steps_patch_only_the_touched_nodes_and_move_the_highlight(session):
    ids = {v.label: session.ids[v] for v in session.order}
    seed = session.step()
    assert seed == {ids["L"]: {"g": "1.0", "gt": "1.0000", "done": True, "hl": "result"}}
    first = session.step()
    assert first[ids["d"]] == {"g": "-2.0", "gt": "-2.0000", "done": True, "hl": "operand"}
    assert first[ids["L"]] == {"hl": "result"}
    assert first["op" + ids["L"][1:]] == {"hl": "operator"}
    assert sum(1 for k in first if k.startswith("e")) == 2
    second = session.step()
    assert second[ids["d"]]["hl"] == "" and second[ids["f"]]["hl"] == "operand"


def test_back_restores_the_previous_state_exactly(session):
    session.step()
    session.step()
    snapshot = session.whole_view()
    session.step()
    session.back()
    assert session.whole_view() == snapshot
    while session.back() is not None:
        pass
    assert session.position == 0
    assert all(c["g"] == "" for c in value_cells(session.whole_view()).values())


def test_redo_after_back_reuses_steps_without_advancing_the_generator(session):
    for _ in range(3):
        session.step()
    taken = list(session.taken)
    session.back()
    session.back()
    session.step()
    session.step()
    assert session.taken == taken and session.position == 3


def test_finish_matches_backward_and_reset_clears(session):
    patches = session.finish()
    assert session.at_end and session.step() is None
    reference = parse(LECTURE)
    reference.output.backward()
    cells = value_cells(session.whole_view())
    for name, v in reference.values.items():
        assert cells[name]["g"] == repr(v.grad)
        assert cells[name]["done"] is True
    assert patches  # the finishing trip names every node whose grad it set
    session.reset()
    assert session.at_start
    assert all(c["g"] == "" for c in value_cells(session.whole_view()).values())


def test_accumulating_node_is_done_only_after_its_last_use():
    s = Session(run_dagre)
    s.load("a = 3\nb = a + a\nc = b * b")
    b = s.program.values["b"]
    s.step()
    s.step()
    assert s.whole_view()["cells"][s.ids[b]]["done"] is False
    s.step()
    assert s.whole_view()["cells"][s.ids[b]]["done"] is True


def test_direction_changes_positions_but_not_ids(session):
    lr = {n["id"]: n["position"] for n in session.whole_view()["nodes"]}
    tb = {n["id"]: n["position"] for n in session.set_direction("TB")["nodes"]}
    assert lr.keys() == tb.keys() and lr != tb


@pytest.mark.parametrize("x, text", [
    (2.0, "2.0000"), (-0.5, "-0.5000"), (12.3456, "12.346"), (12345.0, "12345"),
    (99999.9, "1.000e5"), (123456.0, "1.235e5"), (-0.0012345, "-0.001234"),
    (0.0001, "1.000e-4"), (-1.5e-7, "-1.500e-7"), (0.0, "0.0000"), (-0.7071067, "-0.7071"),
    (float("nan"), "nan"), (float("-inf"), "-inf")])
def test_cell_text_has_4_or_5_significant_digits_in_9_characters(x, text):
    assert cell_text(x) == text
    assert len(cell_text(-x if x == x else x)) <= 9


def test_every_preset_parses_and_lays_out():
    from chainrule.state.presets import PRESETS
    for key, (title, text) in PRESETS.items():
        s = Session(run_dagre)
        view = s.load(text)
        assert view["nodes"], key
        s.finish()
        reference = parse(text)
        reference.output.backward()
        got = value_cells(s.expand_all() if s.groups else s.whole_view())
        for name, v in reference.inputs.items():
            assert got[name]["g"] == repr(v.grad), (key, name)


def apply(screen, patches):
    for item, patch in (patches or {}).items():
        screen.setdefault(item, {}).update(patch)


def highlighted(screen):
    return {item for item, cell in screen.items() if cell.get("hl")}


@pytest.mark.parametrize("taken", [1, 4, 7])
def test_finish_and_reset_clear_the_highlight_that_was_on_screen(taken):
    s = Session(run_dagre)
    screen = s.load(LECTURE)["cells"]
    for _ in range(taken):
        apply(screen, s.step())
    apply(screen, s.reset())
    assert highlighted(screen) == set()
    for _ in range(taken):
        apply(screen, s.step())
    apply(screen, s.finish())
    last = s.taken[-1]
    assert highlighted(screen) == {last.result_id, last.operator_id, last.operand_id,
                                   *last.edge_ids}


# -- the forward pass and forward mode ---------------------------------------------------------

def labelled(session, patches):
    """{label: patch} for the value nodes in `patches`."""
    ids = {session.ids[v]: v.label for v in session.order}
    return {ids[i]: p for i, p in patches.items() if i in ids}


def test_the_forward_pass_walks_into_backprop_and_back(session):
    patches = labelled(session, session.start_forward_pass())
    assert session.counter == "forward 0 / 3" and session.phase == "forward"
    assert {k for k, p in patches.items() if p.get("vt") == "?"} == {"e", "d", "L"}
    assert "a" not in patches and session.at_start  # an input keeps its number: no patch
    first = labelled(session, session.step())
    assert first["e"]["v"] == "-6.0" and first["e"]["hl"] == "result"
    assert first["a"]["hl"] == first["b"]["hl"] == "operand"
    session.step()
    session.step()
    assert session.counter == "forward 3 / 3" and not session.at_end
    seed = labelled(session, session.step())
    assert session.counter == "backward 1 / 7" and seed["L"]["g"] == "1.0"
    back = labelled(session, session.back())
    assert session.counter == "forward 3 / 3" and back["L"]["g"] == ""
    back = labelled(session, session.back())
    assert session.counter == "forward 2 / 3" and back["L"] == {"v": "", "vt": "?", "w": "", "hl": ""}
    session.finish()
    assert session.counter == "backward 7 / 7" and session.at_end
    reset = labelled(session, session.reset())
    assert session.counter == "forward 0 / 3" and reset["e"]["vt"] == "?"


def test_a_new_program_opens_as_today_but_keeps_forward_mode(session):
    session.start_forward_pass()
    session.load(LECTURE + "\n")
    assert session.counter == "backward 0 / 7"
    session.set_tangent_input("b")
    session.load(LECTURE.replace("c = 10", "c = 11"))
    assert session.counter == "forward mode 3 / 3" and session.tangent_input == "b"
    session.load("x = 1\ny = x * 2")
    assert session.tangent_input == "" and session.counter == "backward 0 / 3"


def test_forward_mode_shows_every_tangent_then_steps_the_sweep(session):
    cells = value_cells_of(session, session.set_tangent_input("a"))
    assert {k: c["t"] for k, c in cells.items()} == {
        "a": "1.0", "b": "0.0", "c": "0.0", "e": "-3.0", "d": "-3.0", "f": "0.0", "L": "6.0"}
    assert session.at_end and session.counter == "forward mode 3 / 3"
    assert all(c["g"] for c in cells.values()), "backprop finished beside the tangents"
    reset = labelled(session, session.reset())
    assert {k for k, p in reset.items() if p.get("tt") == "?"} == {"e", "d", "L"}
    step = labelled(session, session.step())
    assert step["e"]["t"] == "-3.0" and session.current.formula == "ė = ȧ·b + ḃ·a"
    assert session.sweeps == (4, 1)
    with pytest.raises(KeyError):
        session.set_tangent_input("e")
    off = labelled(session, session.set_tangent_input(""))
    assert all(p["t"] == "" and p["tt"] == "" for p in off.values())
    assert session.counter == "backward 7 / 7"


def shown(cells):
    """Cells as the page shows them: an empty part ("" or no key) is no part."""
    kept = {i: {k: x for k, x in c.items() if x != ""} for i, c in cells.items()}
    return {i: c for i, c in kept.items() if c}


def test_patches_bring_the_page_to_the_cells_a_new_draw_would_show(session):
    """Forward mode chosen, switched and turned off, with backprop finished (only the
    tangents are sent) or not (every changed part): the cells on the page after the
    patches are the cells a new draw would show."""
    page = session.cells(every=True)

    def apply(patches):
        for item, patch in patches.items():
            page.setdefault(item, {}).update(patch)
        assert shown(page) == shown(session.cells(every=True))
        return labelled(session, patches)

    apply(session.finish())
    chosen = apply(session.set_tangent_input("a"))
    assert all(set(p) <= {"t", "tt", "hl"} for p in chosen.values()), \
        "with backprop finished, its values and grads are on the page already"
    assert chosen["L"]["t"] == "6.0" and len(chosen) == len(session.order)
    assert apply(session.set_tangent_input("b"))["e"]["t"] == "2.0"
    apply(session.set_tangent_input(""))
    again = apply(session.set_tangent_input(""))
    assert all(set(p) <= {"hl"} for p in again.values()), "off again: no number changes"
    apply(session.reset())
    apply(session.step())
    apply(session.set_tangent_input("c"))  # backprop finished on the way
    apply(session.start_forward_pass())
    apply(session.step())
    apply(session.set_tangent_input("a"))


def value_cells_of(session, patches):
    return labelled(session, patches)


def test_tuning_keeps_finished_tangents_live_and_restarts_a_partial_sweep(session):
    session.set_tangent_input("a")
    live = labelled(session, session.tune("b", 5.0))
    assert live["e"]["t"] == "5.0" and live["L"]["t"] == "-10.0"
    assert session.counter == "forward mode 3 / 3"
    session.reset()
    session.step()
    session.step()
    session.tune("c", 4.0)  # first used by d, the second operator
    assert session.counter == "forward mode 1 / 3"


def test_tuning_in_the_forward_pass_restarts_where_the_input_is_used(session):
    session.start_forward_pass()
    session.finish()
    session.back()
    session.back()  # backward 5 / 7
    session.tune("f", 3.0)  # stepping starts over: backprop's start is the pass's end
    assert session.counter == "forward 3 / 3"
    session.tune("f", 4.0)
    assert session.counter == "forward 2 / 3", "f is first used by L = d*f, the third"
    patches = labelled(session, session.tune("a", 1.0))
    assert session.counter == "forward 0 / 3"
    assert patches["d"]["vt"] == "?" and patches["a"]["v"] == "1.0"


def test_where_and_restore_round_trip(session):
    session.start_forward_pass()
    session.step()
    session.step()
    assert session.where() == (0, 2, "", 0)
    other = Session(run_dagre)
    other.load(LECTURE)
    other.restore(*session.where())
    assert other.counter == "forward 2 / 3" and other.cells() == session.cells()
    session.set_tangent_input("b")
    session.reset()
    session.step()
    other.restore(*session.where())
    assert other.counter == "forward mode 1 / 3" and other.cells() == session.cells()
    other.restore(3)
    assert other.counter == "backward 3 / 7"
    with pytest.raises(KeyError):
        other.restore(0, None, "nope", 1)


def test_step_text_says_which_pass_and_marks_constants():
    from chainrule.core.step_text import step_blocks

    s = Session(run_dagre)
    s.load("x = 2\ny = 4\nL = x / y + 1")
    assert step_blocks(s)[0][0] == "explain-hint"
    s.start_forward_pass()
    assert "every other value is ?" in dict(step_blocks(s))["explain-hint"]
    s.step()
    assert dict(step_blocks(s))["explain-formula"] == "x/y = 2 / 4 = 0.5"
    s.step()
    assert "starts backprop" in dict(step_blocks(s))["explain-next"]
    s.step()
    s.step()
    blocks = dict(step_blocks(s))
    assert blocks["explain-formula"].startswith("∂L/∂(x/y) += ∂(x/y + 1)/∂(x/y) · ∂L/∂L")
    assert blocks["explain-code"] == "self.grad += L.grad   # 0.0 + 1.0 × 1.0 = 1.0"
    s.step()
    blocks = dict(step_blocks(s))
    assert "constant 1" in blocks["explain-constant"]
    assert s.highlighted[s.current.operand_id] == "constant"
    s.set_tangent_input("x")
    blocks = dict(step_blocks(s))
    assert blocks["explain-sweep"].startswith("The sweep is done: L̇ = ∂L/∂x = 0.25, the "
                                              "number backprop gives as x's grad (0.25)")
    s.reset()
    assert "ẋ = 1" in dict(step_blocks(s))["explain-hint"]


def test_a_new_program_takes_the_direction_that_suits_the_canvas_until_one_is_chosen():
    deep = "x = 1\ny = tanh(exp(tanh(exp(tanh(x)))))"
    s = Session(run_dagre)
    s.canvas = (1200, 500)
    s.load(deep)
    assert s.direction == "LR"
    s.canvas = (390, 700)
    s.load(deep + " + 1")
    assert s.direction == "TB"
    s.set_direction("LR")
    s.load(deep + " + 2")
    assert s.direction == "LR" and s.direction_chosen


def test_a_direction_chosen_before_any_program_is_kept_for_the_first():
    s = Session(run_dagre)
    assert s.set_direction("TB") is None
    s.canvas = (1600, 400)
    s.load("x = 1\ny = tanh(exp(x))")
    assert s.direction == "TB"
    assert s.whole_view()["nodes"][0]["sourcePosition"] == "bottom"


def test_a_new_text_with_the_same_groups_keeps_what_was_collapsed():
    from chainrule.state.presets import PRESETS

    small, big = PRESETS["small-mlp"][1], PRESETS["mlp"][1]
    session = Session(run_dagre)
    session.load(small)
    session.collapse_all()
    session.toggle_group("L2.N1")
    kept = set(session.collapsed)
    session.load(small.replace("x1 = 0.5", "x1 = 0.25"))  # an edited number
    assert session.collapsed == kept
    session.load(big)  # other groups: as it opens by default, by neuron when big
    assert session.collapsed == set(session.tree.innermost()) and len(session.collapsed) == 33
    session.load(small)
    assert session.collapsed == set()
    session.load("a = 2\nb = a*a")  # no groups at all
    assert session.collapsed == set() and session.shared_collapsed is None
