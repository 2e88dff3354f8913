"""Groups of nodes that draw as one box: a neuron, a layer, a `# group:` block.

A program knows which of its Values each `# group:` block made (`Program.groups`). Dotted
names nest: `L1.N0` is inside `L1`, so an MLP's neurons sit inside their layers. Here
those memberships become a tree over the flow graph's ids, and `grouped_graph` turns the
full flow graph into the one on screen: every collapsed group one box, every expanded group
a frame around its members (a parent in dagre's compound layout).
"""

from dataclasses import dataclass, field

from ..core.ids import operator_id

COLLAPSE_ABOVE = 300  # flow nodes: bigger graphs open with their innermost groups collapsed


def group_id(name):
    return "g:" + name


def group_name(box_id):
    return box_id[len("g:"):]


def ancestry(name):
    """`L1.N0` -> ["L1", "L1.N0"]: the group and the groups around it, outermost first."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


@dataclass
class GroupTree:
    """The program's groups over flow-node ids."""

    names: list = field(default_factory=list)  # every group, in order of first appearance
    parent: dict = field(default_factory=dict)  # name -> the group around it, or None
    chain: dict = field(default_factory=dict)  # flow-node id -> its groups, outermost first
    outputs: dict = field(default_factory=dict)  # name -> [(value id, label)] leaving it
    sizes: dict = field(default_factory=dict)  # name -> flow nodes inside, at any depth

    def __bool__(self):
        return bool(self.names)

    def innermost(self):
        """The groups with no group inside them (an MLP's neurons)."""
        inner = set(self.names) - {p for p in self.parent.values() if p}
        return [n for n in self.names if n in inner]

    def around(self, node_ids):
        """Every group holding any of `node_ids`, outermost first."""
        found = []
        for node_id in node_ids:
            for name in self.chain.get(node_id, ()):
                if name not in found:
                    found.append(name)
        return found


def group_tree(program, order, ids):
    """The GroupTree of a parsed program whose topological order and ids are given."""
    tree = GroupTree()
    if not program.groups:
        return tree
    chains = {}  # group name -> its ancestry, one list per group (compared by identity)
    value_chain = {}
    for v in order:
        name = program.groups.get(v)
        if name is None:
            continue
        names = chains.get(name)
        if names is None:
            names = chains[name] = ancestry(name)
            for outer, inner in zip([None] + names, names):
                if inner not in tree.parent:
                    tree.parent[inner] = outer
                    tree.names.append(inner)
                    tree.outputs[inner] = []
                    tree.sizes[inner] = 0
        value_chain[v] = names
        vid = ids[v]
        tree.chain[vid] = names
        if not v.is_leaf:
            tree.chain[operator_id(vid)] = names
        for n in names:
            tree.sizes[n] += 1 if v.is_leaf else 2
    leaving = {}  # value -> groups it leaves
    for v in order:
        inside = value_chain.get(v, ())
        for p in v.parents:
            outer = value_chain.get(p)
            if outer is None or outer is inside:
                continue
            leaving.setdefault(p, set()).update(n for n in outer if n not in inside)
    output = order[-1] if order else None
    if output in value_chain:
        leaving.setdefault(output, set()).update(value_chain[output])
    for v in order:  # topological order, so each group lists its outputs in that order
        for name in value_chain.get(v, ()):
            if name in leaving.get(v, ()):
                tree.outputs[name].append((ids[v], v.label))
    return tree


def default_collapsed(tree, node_count):
    """What a new graph opens with collapsed: its innermost groups when it is big."""
    return set(tree.innermost()) if node_count > COLLAPSE_ABOVE else set()


@dataclass
class GroupedGraph:
    graph: dict  # {"nodes", "edges"} as flow_graph gives them, plus group boxes and frames
    hidden: dict  # flow-node id -> the id of the collapsed box it is drawn in
    rows: set  # the value ids the boxes show a row for


def grouped_graph(graph, tree, collapsed):
    """The graph on screen when the groups named in `collapsed` are collapsed.

    Nodes inside a collapsed group are replaced by the outermost collapsed group's box.
    An expanded group is framed when it holds nodes of its own on screen (an expanded
    neuron; not a layer, whose members are all neurons: dagre would stretch a frame around
    a column of boxes over every edge that enters it). Nodes, boxes and frames inside a
    frame get `parent`, its id. Edges between a box's members disappear; edges into or out
    of a box are merged per pair of ends, keeping the first one's id (so its step
    highlight still shows).
    """
    if not tree:
        return GroupedGraph(graph, {}, set())
    collapsed = set(collapsed) & set(tree.names)
    boxed = {}  # flow-node id -> the name of the collapsed group it is drawn in
    framed = set()
    box_of = {}  # innermost group -> the outermost collapsed group around it, or None
    for node in graph["nodes"]:
        chain = tree.chain.get(node["id"])
        if chain is None:
            continue
        inner = chain[-1]
        if inner not in box_of:
            box_of[inner] = next((name for name in chain if name in collapsed), None)
        box = box_of[inner]
        if box:
            boxed[node["id"]] = box
        else:
            framed.add(inner)

    def frame_around(name):
        outer = tree.parent[name]
        while outer and outer not in framed:
            outer = tree.parent[outer]
        return outer and group_id(outer)

    def inside_frame(node, name):
        outer = frame_around(name)
        return {**node, "parent": outer} if outer else node

    frames = [inside_frame({"id": group_id(name), "type": "frame", "zIndex": -1,  # under edges
                            "data": {"name": name, "size": tree.sizes[name],
                                     "collapsed": False}}, name)
              for name in sorted(framed, key=lambda name: name.count("."))]
    nodes, hidden, boxes, rows = [], {}, set(), set()
    for node in graph["nodes"]:
        name = boxed.get(node["id"])
        if name is None:
            chain = tree.chain.get(node["id"])
            nodes.append({**node, "parent": group_id(chain[-1])} if chain else node)
            continue
        box = group_id(name)
        hidden[node["id"]] = box
        if box not in boxes:
            boxes.add(box)
            rows.update(value_id for value_id, _ in tree.outputs[name])
            nodes.append(inside_frame(
                {"id": box, "type": "group",
                 "data": {"name": name, "outputs": [list(o) for o in tree.outputs[name]],
                          "size": tree.sizes[name], "collapsed": True}}, name))
    edges, seen = [], set()
    for edge in graph["edges"]:
        source = hidden.get(edge["source"], edge["source"])
        target = hidden.get(edge["target"], edge["target"])
        if source == target:
            continue
        into_box = target != edge["target"]
        key = (source, target, None if into_box else edge.get("targetHandle"))
        if key in seen:
            continue
        seen.add(key)
        if source == edge["source"] and not into_box:
            edges.append(edge)
            continue
        moved = {**edge, "source": source, "target": target}
        if into_box:
            moved.pop("targetHandle", None)
        edges.append(moved)
    return GroupedGraph({"nodes": frames + nodes, "edges": edges}, hidden, rows)
