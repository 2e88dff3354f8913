"""Node sizes and the dagre layout request, and positions from dagre's answer.

Python decides every size and spacing; dagre (JavaScript) only places the boxes. The
request is graphlib's JSON form, so the page crosses the bridge once each way
(`graphlib.json.read`, `dagre.layout`, `graphlib.json.write`), and the build can run the
very same request through dagre in Node to draw the first graph before Python is up.
"""

from .layered import layered_layout

CHAR_WIDTH = 8  # px per character of the 13 px monospace font the renderer uses
CELL_WIDTH = 84  # the data and grad cells of a value node
VALUE_HEIGHT = 40
OPERATOR_SIZE = 40
LABEL_PADDING = 16
MIN_LABEL_WIDTH = 28

SPACING = {"nodesep": 18, "ranksep": 40, "edgesep": 10, "marginx": 16, "marginy": 16}
LAYERED_ABOVE = 300
DIRECTIONS = ("LR", "TB")


def label_width(label):
    return max(MIN_LABEL_WIDTH, LABEL_PADDING + CHAR_WIDTH * len(label))


def node_size(node):
    """(width, height) of a flow node, the same numbers the renderer uses for its box."""
    if node["type"] == "operator":
        return OPERATOR_SIZE, OPERATOR_SIZE
    return label_width(node["data"]["label"]) + 2 * CELL_WIDTH, VALUE_HEIGHT


def layout_request(graph, direction="LR"):
    """The graph as graphlib JSON with sizes and spacing, ready for `dagre.layout`."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    nodes = []
    for node in graph["nodes"]:
        width, height = node_size(node)
        nodes.append({"v": node["id"], "value": {"width": width, "height": height}})
    edges = [{"v": e["source"], "w": e["target"], "name": e["id"], "value": {}}
             for e in graph["edges"]]
    return {
        "options": {"directed": True, "multigraph": True, "compound": False},
        "value": {"rankdir": direction, **SPACING},
        "nodes": nodes,
        "edges": edges,
    }


def positions(laid_out):
    """{id: (x, y)} top-left corners from dagre's centre points (graphlib JSON)."""
    out = {}
    for node in laid_out["nodes"]:
        v = node["value"]
        out[node["v"]] = (v["x"] - v["width"] / 2, v["y"] - v["height"] / 2)
    return out


def place(graph, laid_out, direction="LR"):
    """Give every flow node its position, size and handle sides; returns the graph."""
    where = positions(laid_out)
    source, target = ("right", "left") if direction == "LR" else ("bottom", "top")
    for node in graph["nodes"]:
        x, y = where[node["id"]]
        width, height = node_size(node)
        node["position"] = {"x": x, "y": y}
        node["width"], node["height"] = width, height
        node["sourcePosition"], node["targetPosition"] = source, target
    return graph


def laid_out_graph(graph, run_dagre, direction="LR"):
    """Lay out `graph` with `run_dagre(request) -> laid-out graphlib JSON`.

    Above LAYERED_ABOVE nodes, dagre takes seconds (see layered.py); the layered layout
    gives the same kind of picture in milliseconds.
    """
    request = layout_request(graph, direction)
    run = layered_layout if len(graph["nodes"]) > LAYERED_ABOVE else run_dagre
    return place(graph, run(request), direction)
