import pytest

from chainrule import ExprError, parse
from chainrule.session import Session, cell_text
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


@pytest.mark.parametrize("x, text", [(2.0, "2.0000"), (-0.5, "-0.5000"), (12345.0, "1.234e+04"),
                                     (0.0001, "1.000e-04"), (0.0, "0.0000"),
                                     (float("nan"), "nan"), (float("-inf"), "-inf")])
def test_cell_text_fits_a_cell(x, text):
    assert cell_text(x) == text
    assert len(cell_text(-x if x == x else x)) <= 10


def test_every_preset_parses_and_lays_out():
    from chainrule.presets import PRESETS
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
