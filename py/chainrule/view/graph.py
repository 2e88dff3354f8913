"""The graph model: Values as xyflow nodes and edges, with ids that stay put.

An id is a node's position in the topological order, so parsing the same text twice, or
text that differs only in its numbers, gives the same ids: the page can update a node in
place instead of redrawing it.
"""

from ..core.ids import node_ids, operand_edge_id, operator_id, result_edge_id


def role(v, root):
    if v.is_leaf:
        return "input" if v.label else "constant"
    return "output" if v is root else "intermediate"


def flow_graph(root, order=None):
    """{"nodes": [...], "edges": [...]} in xyflow's shapes, without positions."""
    order = order or root.topological_order()
    ids = node_ids(order)
    nodes, edges = [], []
    for v in order:
        vid = ids[v]
        nodes.append({
            "id": vid,
            "type": "value",
            "data": {"label": v.label, "value": v.data, "grad": v.grad, "op": v.op,
                     "role": role(v, root)},
        })
        if v.is_leaf:
            continue
        oid = operator_id(vid)
        nodes.append({"id": oid, "type": "operator",
                      "data": {"op": v.op, "arity": len(v.parents)}})
        for k, p in enumerate(v.parents):
            edges.append({"id": operand_edge_id(ids[p], vid, k), "source": ids[p], "target": oid,
                          "targetHandle": f"in{k}", "data": {"operand": k}})
        edges.append({"id": result_edge_id(vid), "source": oid, "target": vid})
    return {"nodes": nodes, "edges": edges}
