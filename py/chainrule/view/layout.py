"""Node sizes and the dagre layout request, and positions from dagre's answer.

Python decides every size and spacing; dagre (JavaScript) only places the boxes. The
request is graphlib's JSON form, so the page crosses the bridge once each way
(`graphlib.json.read`, `dagre.layout`, `graphlib.json.write`), and the build can run the
very same request through dagre in Node to draw the first graph before Python is up.
"""

from .layered import compound_layout, layered_layout

CHAR_WIDTH = 8  # px per character of the 13 px monospace font the renderer uses
LABEL_PADDING = 16
MIN_LABEL_WIDTH = 28
# A value node: its name on top, then a row each for data and grad (a 9 px tag and a
# number of at most 9 characters in 14 px tabular figures, see cells.cell_text).
VALUE_WIDTH = 116  # the narrowest value node: tag + number + padding
MAX_LABEL_WIDTH = 176  # a longer name is cut with an ellipsis (its tooltip has it all)
VALUE_HEIGHT = 58  # 4 + 16 (name) + 2 x 18 (data, grad) + 2, the renderer's rows
NUMBER_PX = 14  # the numbers' font size: the readable zoom is 11 / NUMBER_PX
CELL_WIDTH = 84  # a group row's data and grad cells
OPERATOR_SIZE = 32  # an operator is a 32 px circle, or a pill as wide as its name
OPERATOR_CHAR = 8

GROUP_HEADER = 24  # a collapsed group's name bar
GROUP_ROW = 24  # one row per value leaving the group: label, data, grad
TOGGLE_WIDTH = 24

SPACING = {"nodesep": 16, "ranksep": 32, "edgesep": 10, "marginx": 16, "marginy": 16}
# dagre leaves half a rank gap between a frame's side and its members: room for its title.
FRAMED_RANKSEP = 2 * 24
LAYERED_ABOVE = 300
DIRECTIONS = ("LR", "TB")


def label_width(label):
    """The drawn width of a name, capped: longer names end in an ellipsis."""
    return min(MAX_LABEL_WIDTH, max(MIN_LABEL_WIDTH, LABEL_PADDING + CHAR_WIDTH * len(label)))


def operator_width(symbol):
    return max(OPERATOR_SIZE, LABEL_PADDING + OPERATOR_CHAR * len(symbol))


def node_size(node):
    """(width, height) of a flow node, the same numbers the renderer uses for its box."""
    kind = node["type"]
    if kind == "operator":
        return operator_width(node["data"]["op"]), OPERATOR_SIZE
    if kind == "group":
        data = node["data"]
        rows = data["outputs"]
        width = max([label_width(data["name"]) + TOGGLE_WIDTH]
                    + [label_width(label) + 2 * CELL_WIDTH for _, label in rows])
        return width, GROUP_HEADER + GROUP_ROW * len(rows)
    return max(VALUE_WIDTH, label_width(node["data"]["label"])), VALUE_HEIGHT


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
    order_operands(graph, direction)
    return graph


def order_operands(graph, direction):
    """Puts an operator's first operand on its first (upper, or left) input's side.

    The layouts see one edge into the operator per operand and not which input it meets,
    so two operands come in either order, and their edges then cross. Swapped only where
    the layout left the choice free: each operand with everything feeding it a tree used
    by nothing else, the two trees in bands of their own across the layout (nothing else
    lands on the swapped places), and in the same frame.
    """
    nodes = {node["id"]: node for node in graph["nodes"]}
    if len(nodes) > LAYERED_ABOVE:
        return
    feeds, uses, operands = {}, {}, {}
    for edge in graph["edges"]:
        feeds.setdefault(edge["target"], []).append(edge["source"])
        uses[edge["source"]] = uses.get(edge["source"], 0) + 1
        handle = edge.get("targetHandle")
        if handle in ("in0", "in1"):
            operands.setdefault(edge["target"], {})[handle] = edge["source"]
    cross, size = ("y", "height") if direction == "LR" else ("x", "width")

    def tree(root):
        """The ids of `root` and all that feeds it, if each is used once; else None."""
        found, todo = [], [root]
        while todo:
            node_id = todo.pop()
            if uses.get(node_id) != 1 or node_id not in nodes or len(found) > 64:
                return None
            found.append(node_id)
            todo += feeds.get(node_id, [])
        return found

    def band(ids):
        return (min(nodes[i]["position"][cross] for i in ids),
                max(nodes[i]["position"][cross] + nodes[i][size] for i in ids))

    for pair in operands.values():
        first, second = tree(pair.get("in0", "")), tree(pair.get("in1", ""))
        if not first or not second or set(first) & set(second):
            continue
        if len({nodes[i].get("parent") for i in first + second}) != 1:
            continue
        (a0, a1), (b0, b1) = band(first), band(second)
        if a0 < b1:  # in order already, or overlapping bands
            continue
        moves = {i: b0 - a0 for i in first} | {i: a1 - b1 for i in second}
        if _lands_on_others(nodes, moves, cross, size):
            continue
        for node_id, shift in moves.items():
            position = dict(nodes[node_id]["position"])
            position[cross] += shift
            nodes[node_id]["position"] = position


def _lands_on_others(nodes, moves, cross, size):
    """Whether moving the nodes `moves` ({id: shift across}) puts one on an unmoved node."""
    main, length = ("x", "width") if cross == "y" else ("y", "height")
    for node_id, shift in moves.items():
        moved = nodes[node_id]
        low = moved["position"][cross] + shift
        for other in nodes.values():
            if other["id"] in moves or other["type"] == "frame":
                continue
            o = other["position"]
            if (o[main] < moved["position"][main] + moved[length]
                    and moved["position"][main] < o[main] + other[length]
                    and o[cross] < low + moved[size] and low < o[cross] + other[size]):
                return True
    return False


def pick_direction(graph, run_dagre, canvas):
    """(direction, laid-out copy of `graph`): the direction in which the graph fits a
    canvas of `canvas` = (width, height) px at the larger zoom, so at the larger text.
    A big graph, or a tie, takes the canvas's longer side."""
    width, height = canvas
    along = "LR" if width >= height else "TB"
    if len(graph["nodes"]) > LAYERED_ABOVE or width <= 0 or height <= 0:
        return along, None
    best = None
    for direction in (along, *(d for d in DIRECTIONS if d != along)):
        copy = {"nodes": [dict(node) for node in graph["nodes"]], "edges": graph["edges"]}
        laid = laid_out_graph(copy, run_dagre, direction)
        w, h = extent(laid)
        zoom = min(width / max(w, 1), height / max(h, 1))
        if best is None or zoom > best[0] * 1.001:
            best = (zoom, direction, laid)
    return best[1], best[2]


def extent(graph):
    """(width, height) of the box around every node of a laid-out graph."""
    boxes = [(n["position"]["x"], n["position"]["y"], n["width"], n["height"])
             for n in graph["nodes"]]
    if not boxes:
        return 0, 0
    return (max(x + w for x, _, w, _ in boxes) - min(x for x, _, _, _ in boxes),
            max(y + h for _, y, _, h in boxes) - min(y for _, y, _, _ in boxes))


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
