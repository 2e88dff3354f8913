"""Node sizes and the dagre layout request, and positions from dagre's answer.

Python decides every size and spacing; dagre (JavaScript) only places the boxes. The
request is graphlib's JSON form, so the page crosses the bridge once each way
(`graphlib.json.read`, `dagre.layout`, `graphlib.json.write`), and the build can run the
very same request through dagre in Node to draw the first graph before Python is up.
"""

from .layered import compound_layout, layered_layout

CHAR_WIDTH = 8  # px per character of the 13 px monospace font the renderer uses
CELL_WIDTH = 84  # the data and grad cells of a value node
VALUE_HEIGHT = 40
OPERATOR_SIZE = 40
LABEL_PADDING = 16
MIN_LABEL_WIDTH = 28

GROUP_HEADER = 24  # a collapsed group's name bar
GROUP_ROW = 24  # one row per value leaving the group: label, data, grad
TOGGLE_WIDTH = 24

SPACING = {"nodesep": 18, "ranksep": 40, "edgesep": 10, "marginx": 16, "marginy": 16}
# dagre leaves half a rank gap between a frame's side and its members: room for its title.
FRAMED_RANKSEP = 2 * 24
LAYERED_ABOVE = 300
DIRECTIONS = ("LR", "TB")


def label_width(label):
    return max(MIN_LABEL_WIDTH, LABEL_PADDING + CHAR_WIDTH * len(label))


def node_size(node):
    """(width, height) of a flow node, the same numbers the renderer uses for its box."""
    kind = node["type"]
    if kind == "operator":
        return OPERATOR_SIZE, OPERATOR_SIZE
    if kind == "group":
        data = node["data"]
        rows = data["outputs"]
        width = max([label_width(data["name"]) + TOGGLE_WIDTH]
                    + [label_width(label) + 2 * CELL_WIDTH for _, label in rows])
        return width, GROUP_HEADER + GROUP_ROW * len(rows)
    return label_width(node["data"]["label"]) + 2 * CELL_WIDTH, VALUE_HEIGHT


def layout_request(graph, direction="LR"):
    """The graph as graphlib JSON with sizes and spacing, ready for `dagre.layout`."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS}, not {direction!r}")
    nodes = []
    framed = False
    for node in graph["nodes"]:
        if node["type"] == "frame":  # dagre sizes a parent around its children
            entry = {"v": node["id"], "value": {}}
            framed = True
        else:
            width, height = node_size(node)
            entry = {"v": node["id"], "value": {"width": width, "height": height}}
        if node.get("parent"):
            entry["parent"] = node["parent"]
        nodes.append(entry)
    edges = [{"v": e["source"], "w": e["target"], "name": e["id"], "value": {}}
             for e in graph["edges"]]
    spacing = dict(SPACING)
    if framed:
        spacing["ranksep"] = FRAMED_RANKSEP
    if any(node["type"] == "group" for node in graph["nodes"]):
        # Every edge gets a zero-size point between ranks, `edgesep` apart: the 256 edges
        # between two layers of 16 neuron boxes would stretch each column 2,500 px tall.
        spacing["edgesep"] = 1
    return {
        "options": {"directed": True, "multigraph": True, "compound": framed},
        "value": {"rankdir": direction, **spacing},
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
    sizes = {n["v"]: (n["value"]["width"], n["value"]["height"]) for n in laid_out["nodes"]}
    source, target = ("right", "left") if direction == "LR" else ("bottom", "top")
    for node in graph["nodes"]:
        x, y = where[node["id"]]
        width, height = sizes[node["id"]] if node["type"] == "frame" else node_size(node)
        node["position"] = {"x": x, "y": y}
        node["width"], node["height"] = width, height
        node["sourcePosition"], node["targetPosition"] = source, target
    return graph


def laid_out_graph(graph, run_dagre, direction="LR"):
    """Lay out `graph` with `run_dagre(request) -> laid-out graphlib JSON`.

    Above LAYERED_ABOVE nodes, dagre takes seconds (see layered.py); the layered layout
    gives the same kind of picture in milliseconds.
    """
    kinds = {node["type"] for node in graph["nodes"]}
    request = layout_request(graph, direction)
    if kinds & {"group", "frame"}:
        # Groups take the layered layout, frames laid out inside out: dagre's compound
        # layout stretches frames over every edge that crosses them and tears a column of
        # boxes that share all their inputs in two; and it takes 100s of ms, where
        # expanding a neuron must feel instant.
        try:
            return place(graph, compound_layout(request), direction)
        except ValueError:  # a cycle through a group: groups from hand-made requests only
            pass
    if len(graph["nodes"]) > LAYERED_ABOVE:
        return place(graph, layered_layout(request), direction)
    return place(graph, run_dagre(request), direction)
