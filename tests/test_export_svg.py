"""The SVG export: a valid image with the graph's bounds, texts and highlight."""

import xml.etree.ElementTree as ET

from chainrule.view.export_svg import HIGHLIGHT, graph_svg
from chainrule.state.presets import PRESETS
from chainrule.state.session import Session
from dagre_node import run_dagre

NS = {"svg": "http://www.w3.org/2000/svg"}


def exported(text, steps=0, direction="LR"):
    session = Session(run_dagre, direction)
    session.load(text)
    for _ in range(steps):
        session.step()
    view = session.whole_view()
    return session, view, ET.fromstring(graph_svg(view))


def texts(root):
    return [t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text")]


def test_the_svg_holds_every_node_with_its_label_value_and_grad():
    session, view, root = exported(PRESETS["lecture"][1], steps=3)
    shown = texts(root)
    for node in view["nodes"]:
        cell = view["cells"].get(node["id"], {})
        if node["type"] == "value":
            assert node["data"]["label"] in shown
            assert cell["vt"] in shown
            if cell["g"]:
                assert cell["gt"] in shown
        else:
            assert node["data"]["op"] in shown
    assert shown.count("?") == sum(1 for n in view["nodes"] if n["type"] == "value"
                                   and not view["cells"][n["id"]]["g"])


def test_the_svg_bounds_hold_every_node_with_a_margin():
    for direction in ("LR", "TB"):
        _, view, root = exported(PRESETS["neuron"][1], direction=direction)
        left, top, width, height = map(float, root.get("viewBox").split())
        assert (float(root.get("width")), float(root.get("height"))) == (width, height)
        for node in view["nodes"]:
            x, y = node["position"]["x"], node["position"]["y"]
            assert left + 20 <= x and x + node["width"] <= left + width - 20
            assert top + 20 <= y and y + node["height"] <= top + height - 20
        paths = root.findall(".//svg:path[@marker-end]", NS)
        assert len(paths) == len(view["edges"])


def test_the_svg_shows_the_current_step_highlight():
    session, view, root = exported(PRESETS["lecture"][1], steps=2)
    step = session.current
    rings = {g.get("data-id") for g in root.findall("svg:g", NS)
             if any(r.get("stroke") in HIGHLIGHT.values() for r in g.findall("svg:rect", NS))}
    assert rings == {step.result_id, step.operand_id, step.operator_id}
    edges = [p for p in root.findall("svg:path", NS) if p.get("stroke") == HIGHLIGHT["operand"]]
    assert len(edges) == len(step.edge_ids)


def test_nan_and_inf_are_exported_in_the_warning_colour():
    from chainrule.view.export_svg import INK, WARNING

    session, view, root = exported(PRESETS["edges"][1])
    session.finish()
    view = session.whole_view()
    root = ET.fromstring(graph_svg(view))
    coloured = {(t.text, t.get("fill")) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    for word in ("nan", "inf", "-inf"):
        assert (word, WARNING) in coloured and (word, INK) not in coloured
    assert ("1.0000", INK) in coloured  # the seed's grad: finite numbers keep the ink


def test_the_svg_draws_tangents_when_forward_mode_is_on():
    session = Session(run_dagre)
    session.load(PRESETS["lecture"][1])
    assert "TANGENT" not in texts(ET.fromstring(graph_svg(session.whole_view())))
    session.set_tangent_input("a")
    session.reset()
    session.step()  # e's tangent known, d's and L's not yet
    view = session.whole_view()
    shown = texts(ET.fromstring(graph_svg(view)))
    values = [n for n in view["nodes"] if n["type"] == "value"]
    assert shown.count("TANGENT") == len(values)
    labels = {n["data"]["label"]: view["cells"][n["id"]] for n in values}
    assert labels["e"]["tt"] in shown and labels["a"]["tt"] == "1.0000"
    assert shown.count("?") == 2, "d and L: the sweep has not reached them"


def test_a_step_into_a_constant_exports_dimmed():
    session = Session(run_dagre)
    session.load("x = 2\np = x * (1 + x)")
    while not (session.current and session.current.kind == "chain"
               and session.current.into_constant):
        session.step()
    svg = graph_svg(session.whole_view())
    assert HIGHLIGHT["constant"] in svg


def test_a_long_name_is_cut_to_its_node_with_the_full_name_in_its_title():
    long = "a_learning_rate_with_a_very_long_descriptive_name"
    session, view, root = exported(f"{long} = 0.5\nL = {long} * 3")
    shown = texts(root)
    assert long not in shown
    cut = next(t for t in shown if t.endswith("…"))
    assert long.startswith(cut[:-1])
    node = next(n for n in view["nodes"] if n["data"].get("label") == long)
    assert len(cut) * 8 <= node["width"]
    titles = [t.text for t in root.iter("{http://www.w3.org/2000/svg}title")]
    assert long in titles
