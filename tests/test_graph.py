"""flow_graph: xyflow nodes and edges for a graph of Values, with ids that stay put."""

import json

from chainrule import Value, flow_graph, parse

LECTURE = "a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f"


def by_id(graph):
    return {n["id"]: n for n in graph["nodes"]}


def check_well_formed(root, graph):
    """Every invariant of the issue's graph model, for any root."""
    order = root.topological_order()
    nodes = by_id(graph)
    assert len(nodes) == len(graph["nodes"]), "node ids are unique"
    values = [n for n in graph["nodes"] if n["type"] == "value"]
    operators = [n for n in graph["nodes"] if n["type"] == "operator"]
    assert {n["type"] for n in graph["nodes"]} <= {"value", "operator"}
    assert len(values) == len(order)
    assert len(operators) == sum(1 for v in order if not v.is_leaf)
    for i, v in enumerate(order):
        node = nodes[f"v{i}"]
        assert node["type"] == "value"
        data = node["data"]
        assert set(data) >= {"label", "value", "grad", "op", "role"}
        assert data["label"] == v.label and data["op"] == v.op
        assert data["value"] == v.data or (data["value"] != data["value"] and v.data != v.data)
        assert data["grad"] == v.grad or (data["grad"] != data["grad"] and v.grad != v.grad)
        if v.is_leaf:
            assert f"op{i}" not in nodes
            assert data["role"] == ("input" if v.label else "constant") or v is root
        else:
            op_node = nodes[f"op{i}"]
            assert (op_node["type"], op_node["data"]["op"]) == ("operator", v.op)
            assert data["role"] == ("output" if v is root else "intermediate")
    assert nodes[f"v{len(order) - 1}"]["data"]["role"] in (
        "output" if not root.is_leaf else ("input", "constant", "output"),)
    # edges: operand k -> operator (handle in<k>), operator -> result; one per use
    index = {id(v): i for i, v in enumerate(order)}
    expected = []
    for i, v in enumerate(order):
        for k, p in enumerate(v.parents):
            expected.append((f"v{index[id(p)]}", f"op{i}", k))
        if not v.is_leaf:
            expected.append((f"op{i}", f"v{i}", None))
    got = []
    for e in graph["edges"]:
        assert e["source"] in nodes and e["target"] in nodes
        if nodes[e["target"]]["type"] == "operator":
            assert nodes[e["source"]]["type"] == "value"
            k = e["data"]["operand"]
            assert e["targetHandle"] == f"in{k}"
            got.append((e["source"], e["target"], k))
        else:
            assert nodes[e["source"]]["type"] == "operator"
            assert e["target"] == "v" + e["source"][2:]
            got.append((e["source"], e["target"], None))
    assert sorted(got, key=repr) == sorted(expected, key=repr)
    assert len({e["id"] for e in graph["edges"]}) == len(graph["edges"]), "edge ids are unique"


def test_lecture_graph_shape():
    prog = parse(LECTURE)
    g = flow_graph(prog.output)
    check_well_formed(prog.output, g)
    values = [n for n in g["nodes"] if n["type"] == "value"]
    operators = [n for n in g["nodes"] if n["type"] == "operator"]
    assert len(values) == 7 and len(operators) == 3 and len(g["edges"]) == 9
    roles = {n["data"]["label"]: n["data"]["role"] for n in values}
    assert roles == {"a": "input", "b": "input", "c": "input", "f": "input",
                     "e": "intermediate", "d": "intermediate", "L": "output"}
    ops = {n["data"]["op"] for n in operators}
    assert ops == {"*", "+"}
    json.dumps(g)  # plain data, ready for the page


def test_ids_follow_the_topological_order():
    prog = parse(LECTURE)
    order = prog.output.topological_order()
    nodes = by_id(flow_graph(prog.output))
    for i, v in enumerate(order):
        assert nodes[f"v{i}"]["data"]["label"] == v.label
    assert nodes[f"v{len(order) - 1}"]["data"]["label"] == "L"


def test_grads_and_values_are_shown():
    prog = parse(LECTURE)
    prog.output.backward()
    values = {n["data"]["label"]: n["data"] for n in flow_graph(prog.output)["nodes"]
              if n["type"] == "value"}
    assert values["a"]["grad"] == 6.0 and values["a"]["value"] == 2.0
    assert values["L"]["grad"] == 1.0 and values["L"]["value"] == -8.0


def test_constants_have_the_constant_role():
    prog = parse("a = 3\ny = 2*a + 1")
    g = flow_graph(prog.output)
    check_well_formed(prog.output, g)
    roles = sorted(n["data"]["role"] for n in g["nodes"] if n["type"] == "value")
    assert roles == ["constant", "constant", "input", "intermediate", "output"]
    consts = [n["data"] for n in g["nodes"] if n["type"] == "value"
              and n["data"]["role"] == "constant"]
    assert sorted(c["value"] for c in consts) == [1.0, 2.0]
    assert all(c["label"] == "" for c in consts)


def test_reused_node_appears_once_with_one_edge_per_use():
    a = Value(3.0, label="a")
    y = a * a
    y.label = "y"
    g = flow_graph(y)
    check_well_formed(y, g)
    values = [n for n in g["nodes"] if n["type"] == "value"]
    assert len(values) == 2
    a_edges = [e for e in g["edges"] if e["source"] == "v0"]
    assert len(a_edges) == 2
    assert sorted(e["targetHandle"] for e in a_edges) == ["in0", "in1"]
    assert sorted(e["data"]["operand"] for e in a_edges) == [0, 1]
    assert {e["target"] for e in a_edges} == {"op1"}

    prog = parse("a = 3\nb = a + a\nc = b * b")
    g = flow_graph(prog.output)
    check_well_formed(prog.output, g)
    assert len([n for n in g["nodes"] if n["type"] == "value"]) == 3
    assert len(g["edges"]) == 6


def test_operand_positions_are_kept():
    prog = parse("a = 3\nb = 4\ny = b - a")
    g = flow_graph(prog.output)
    nodes = by_id(g)
    into = {e["data"]["operand"]: nodes[e["source"]]["data"]["label"]
            for e in g["edges"] if e["target"].startswith("op")}
    assert into == {0: "b", 1: "a"}


def test_same_source_same_graph():
    g1 = flow_graph(parse(LECTURE).output)
    g2 = flow_graph(parse(LECTURE).output)
    assert g1 == g2


def skeleton(graph):
    """Everything except the numbers: ids, types, labels, roles, edges."""
    nodes = [(n["id"], n["type"], n["data"].get("label"), n["data"].get("role"))
             for n in graph["nodes"]]
    return nodes, graph["edges"]


def test_changing_only_numbers_keeps_every_id():
    g1 = flow_graph(parse(LECTURE).output)
    g2 = flow_graph(parse(LECTURE.replace("2", "7.5").replace("10", "-0.25")).output)
    assert skeleton(g1) == skeleton(g2)
    assert g1 != g2
    src = "x = 1.5\ny = tanh(2*x + 0.5) ** 2 - max(x, 3)"
    g1 = flow_graph(parse(src).output)
    g2 = flow_graph(parse(src.replace("3)", "-4)").replace("0.5", "1e-3")).output)
    assert skeleton(g1) == skeleton(g2)


def test_a_leaf_root():
    a = Value(2.0, label="a")
    g = flow_graph(a)
    assert g["edges"] == []
    assert [n["id"] for n in g["nodes"]] == ["v0"]
    assert g["nodes"][0]["type"] == "value"


def test_every_op_in_one_graph():
    prog = parse("x = 0.5\ny = 2\nz = exp(x) + log(y) * tanh(x) - relu(x) / sigmoid(y)"
                 " + sqrt(y) ** x + sin(x) * cos(y) + abs(-x) + max(x, y) - min(x, y)"
                 " + pow(x, y) + x ** 3")
    g = flow_graph(prog.output)
    check_well_formed(prog.output, g)
    ops = {n["data"]["op"] for n in g["nodes"] if n["type"] == "operator"}
    assert {"exp", "log", "tanh", "relu", "sigmoid", "sqrt", "sin", "cos", "abs", "max",
            "min", "**", "**3", "+", "-", "*", "/"} <= ops
