import itertools

import pytest

from chainrule import MLP, flow_graph, parse
from chainrule.layout import (CELL_WIDTH, LAYERED_ABOVE, OPERATOR_SIZE, VALUE_HEIGHT, laid_out_graph,
                              layout_request, node_size, positions)
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


def test_sizes_follow_node_type_and_label_length():
    graph = flow_graph(parse("long_name = 2\nL = long_name * 3").output)
    sizes = {n["id"]: node_size(n) for n in graph["nodes"]}
    ops = [s for i, s in sizes.items() if i.startswith("op")]
    assert ops == [(OPERATOR_SIZE, OPERATOR_SIZE)]
    by_label = {n["data"]["label"]: node_size(n) for n in graph["nodes"] if n["type"] == "value"}
    assert by_label["long_name"][0] > by_label["L"][0] >= 2 * CELL_WIDTH
    assert by_label["L"][1] == VALUE_HEIGHT


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
