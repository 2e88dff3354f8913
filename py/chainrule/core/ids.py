"""Ids that stay put: a Value's id is its position in the topological order.

Parsing the same text twice, or text that differs only in its numbers, gives the same ids,
so the page can update a node in place instead of redrawing it. The steppers name what they
highlight by these ids; the view builds its nodes and edges with them.
"""


def node_ids(order):
    """Value -> its value-node id, for a topological order."""
    return {v: f"v{i}" for i, v in enumerate(order)}


def operator_id(value_id):
    return "op" + value_id[1:]


def operand_edge_id(operand_id, result_id, position):
    return f"e{operand_id[1:]}-{result_id[1:]}.{position}"


def result_edge_id(result_id):
    return "e" + result_id[1:]
