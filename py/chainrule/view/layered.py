"""A fast layered layout for big graphs, in the same graphlib JSON shape dagre returns.

dagre spends seconds on a 2,000-node MLP graph: its long edges (a weight used deep inside
a 16-term sum) become chains of dummy nodes that every ordering sweep rebuilds. Here each
node sits one rank before its first consumer (so leaves hug the op that uses them), rank
order comes from a few barycenter sweeps over real nodes only, and every rank is a
centred column. Edges are drawn as curves by the renderer, so no routing is needed.
"""

import math
from collections import defaultdict

SWEEPS = 4


def _ranks(nodes, edges):
    succ = defaultdict(list)
    indegree = {n: 0 for n in nodes}
    for v, w in edges:
        succ[v].append(w)
        indegree[w] += 1
    ready = [n for n in nodes if indegree[n] == 0]
    order = []
    while ready:
        n = ready.pop()
        order.append(n)
        for w in succ[n]:
            indegree[w] -= 1
            if not indegree[w]:
                ready.append(w)
    if len(order) < len(nodes):
        raise ValueError("the graph has a cycle")
    rank = {}
    for n in reversed(order):  # as late as possible: one rank before the first consumer
        rank[n] = min((rank[w] - 1 for w in succ[n]), default=0)
    low = min(rank.values(), default=0)
    return {n: r - low for n, r in rank.items()}


def _orders(nodes, edges, rank):
    layers = defaultdict(list)
    for n in nodes:  # the caller's order (topological, operands first) seeds each rank
        layers[rank[n]].append(n)
    pred, succ = defaultdict(list), defaultdict(list)
    for v, w in edges:
        pred[w].append(v)
        succ[v].append(w)
    position = {n: i / max(len(layer), 1) for layer in layers.values()
                for i, n in enumerate(layer)}
    ranks = sorted(layers)
    for sweep in range(SWEEPS):
        forward = sweep % 2 == 0
        neighbours = pred if forward else succ
        for r in (ranks if forward else reversed(ranks)):
            layer = layers[r]

            def barycenter(n):
                near = neighbours[n]
                return sum(position[m] for m in near) / len(near) if near else position[n]

            layer.sort(key=barycenter)  # keys are all computed before the sort moves anything
            for i, n in enumerate(layer):
                position[n] = i / len(layer)
    return layers


def layered_layout(request):
    """Lay out graphlib JSON (as `layout.layout_request` makes it) like dagre would."""
    options = request["value"]
    nodes = [n["v"] for n in request["nodes"]]
    size = {n["v"]: (n["value"]["width"], n["value"]["height"]) for n in request["nodes"]}
    framed = {n["v"] for n in request["nodes"] if n["value"].get("frame")}
    edges = [(e["v"], e["w"]) for e in request["edges"]]
    rank = _ranks(nodes, edges)
    layers = _orders(nodes, edges, rank)
    across_lr = options["rankdir"] == "LR"
    along = 0 if across_lr else 1  # the axis ranks advance on
    gap = options["nodesep"]
    extents = {r: sum(size[n][1 - along] for n in layer) + gap * (len(layer) - 1)
               for r, layer in layers.items()}
    widest = max(extents.values(), default=0)
    centre = {}
    offset = options["marginx"] if across_lr else options["marginy"]
    for r in sorted(layers):
        layer = layers[r]
        depth = max(size[n][along] for n in layer)
        # Boxes are centred on their own column and a frame starts where it does: so
        # expanding one group into a wide frame leaves its rank's other boxes in place.
        column = max((size[n][along] for n in layer if n not in framed), default=depth)
        cursor = (options["marginy"] if across_lr else options["marginx"]) \
            + (widest - extents[r]) / 2
        for n in layer:
            thickness = size[n][1 - along]
            middle = size[n][along] / 2 if n in framed else column / 2
            main, cross = offset + middle, cursor + thickness / 2
            centre[n] = (main, cross) if across_lr else (cross, main)
            cursor += thickness + gap
        offset += depth + options["ranksep"]
    return {
        "nodes": [{"v": n, "value": {"x": centre[n][0], "y": centre[n][1],
                                     "width": size[n][0], "height": size[n][1]}}
                  for n in nodes],
    }


FRAME_TITLE = 24  # the strip on a frame's entry side (left, or top) that holds its name
FRAME_MARGIN = 10


def compound_layout(request):
    """`layered_layout` for graphs whose nodes have parents (frames), inside out.

    Each frame's children are laid out on their own, and the frame then enters its
    parent's layout as one box of that size, its edges those of its members. So a frame
    holds its members and nothing else, and never overlaps a neighbour. Frames come back
    with positions and sizes, as dagre gives them.
    """
    options = request["value"]
    across_lr = options["rankdir"] == "LR"
    parent = {n["v"]: n.get("parent") for n in request["nodes"]}
    size = {n["v"]: (n["value"].get("width", 0), n["value"].get("height", 0))
            for n in request["nodes"]}
    children = defaultdict(list)
    for n in request["nodes"]:
        children[parent[n["v"]]].append(n["v"])

    def seed(n):  # a frame takes its first member's place in the order (ties keep it)
        return min(map(seed, children[n])) if children.get(n) else index[n]

    index = {n["v"]: i for i, n in enumerate(request["nodes"])}
    for members in children.values():
        members.sort(key=seed)

    def chain(n):
        path = [n]
        while parent[path[-1]] is not None:
            path.append(parent[path[-1]])
        return path[::-1]  # outermost first

    chains = {n: chain(n) for n in parent}
    edges_at = defaultdict(list)  # frame -> edges between its children (or None: the top)
    for e in request["edges"]:
        a, b = chains[e["v"]], chains[e["w"]]
        depth = 0
        while depth < min(len(a), len(b)) and a[depth] == b[depth]:
            depth += 1
        if depth < len(a) and depth < len(b):
            frame = a[depth - 1] if depth else None
            edges_at[frame].append((a[depth], b[depth]))
    local = {}  # node -> (x, y) centre inside its frame

    def lay_out(frame):
        for child in children[frame]:
            if children[child]:
                size[child] = lay_out(child)
        inner = dict(options)
        if frame is not None:
            lead, side = FRAME_TITLE + FRAME_MARGIN, FRAME_MARGIN
            inner.update(marginx=lead if across_lr else side, marginy=side if across_lr else lead)
        answer = layered_layout({
            "value": inner,
            "nodes": [{"v": c, "value": {"width": size[c][0], "height": size[c][1],
                                         "frame": bool(children[c])}}
                      for c in children[frame]],
            "edges": [{"v": v, "w": w} for v, w in edges_at[frame]],
        })
        for node in answer["nodes"]:
            local[node["v"]] = (node["value"]["x"], node["value"]["y"])
        right = max(x + size[c][0] / 2 for c, (x, _) in
                    ((c, local[c]) for c in children[frame]))
        bottom = max(y + size[c][1] / 2 for c, (_, y) in
                     ((c, local[c]) for c in children[frame]))
        # Whole pixels, as the renderer's boxes measure: else React Flow measures the
        # frame again to find the size it was told.
        return math.ceil(right + FRAME_MARGIN), math.ceil(bottom + FRAME_MARGIN)

    lay_out(None)
    centre = {}

    def place(frame, left, top):
        for child in children[frame]:
            x, y = local[child]
            centre[child] = (left + x, top + y)
            if children[child]:
                place(child, left + x - size[child][0] / 2, top + y - size[child][1] / 2)

    place(None, 0, 0)
    return {"nodes": [{"v": n, "value": {"x": centre[n][0], "y": centre[n][1],
                                         "width": size[n][0], "height": size[n][1]}}
                      for n in parent]}
