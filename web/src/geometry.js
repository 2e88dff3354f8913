// Where handles and edges sit, from the sizes and sides Python gives every node. React
// Flow is told each node's size and handles up front, so it draws the graph in one pass
// instead of measuring every node and then drawing it all again; and the edge layer draws
// its curves from the same handles.
import { Position, getBezierPath } from '@xyflow/react';

// Where an operator's operand handles sit along its input side, as fractions of it.
const OPERAND_AT = { 1: [0.5], 2: [0.3, 0.7] };

export function operandOffsets(arity) {
  return OPERAND_AT[arity] ?? OPERAND_AT[1];
}
// Outside edit mode no handle is drawn: these declared ones say where edges end, just
// outside a node's rim, as React Flow's 6 px handles put them.
const HANDLE_SIZE = 6;

function handleAt(node, id, type, side, at) {
  const half = HANDLE_SIZE / 2;
  const across = side === Position.Left || side === Position.Right;
  const x = across ? (side === Position.Left ? 0 : node.width) - half : at * node.width - half;
  const y = across ? at * node.height - half : (side === Position.Top ? 0 : node.height) - half;
  return { id, type, position: side, x, y, width: HANDLE_SIZE, height: HANDLE_SIZE };
}

function handlesOf(node) {
  const { sourcePosition: out, targetPosition: into } = node;
  switch (node.type) {
    case 'value':
      return [handleAt(node, 'in', 'target', into, 0.5), handleAt(node, 'out', 'source', out, 0.5)];
    case 'operator':
      return operandOffsets(node.data.arity)
        .map((at, k) => handleAt(node, `in${k}`, 'target', into, at))
        .concat([handleAt(node, 'out', 'source', out, 0.5)]);
    case 'group':
      return [handleAt(node, null, 'target', into, 0.5), handleAt(node, null, 'source', out, 0.5)];
    default:
      return [];
  }
}

// Gives `node` React Flow's `measured` size and `handles`, from its width and height.
export function declareGeometry(node) {
  if (node.width !== undefined) {
    node.measured = { width: node.width, height: node.height };
    node.handles = handlesOf(node);
  }
  return node;
}

// The point where an edge meets `handle` of `node`: the handle's outer side, as React
// Flow's own edges do.
function handlePoint(node, handle) {
  const x = node.position.x + handle.x;
  const y = node.position.y + handle.y;
  switch (handle.position) {
    case Position.Left: return [x, y + handle.height / 2];
    case Position.Right: return [x + handle.width, y + handle.height / 2];
    case Position.Top: return [x + handle.width / 2, y];
    default: return [x + handle.width / 2, y + handle.height];
  }
}

function findHandle(node, type, id) {
  const handles = (node.handles ?? handlesOf(node)).filter((handle) => handle.type === type);
  return handles.find((handle) => handle.id === id) ?? handles[0];
}

// The SVG path of `edge` between two placed nodes (null if either is missing).
export function edgePath(edge, source, target) {
  if (source?.width === undefined || target?.width === undefined) return null;
  const from = findHandle(source, 'source', edge.sourceHandle ?? null);
  const to = findHandle(target, 'target', edge.targetHandle ?? null);
  if (!from || !to) return null;
  const [sourceX, sourceY] = handlePoint(source, from);
  const [targetX, targetY] = handlePoint(target, to);
  const [path] = getBezierPath({ sourceX, sourceY, sourcePosition: from.position,
    targetX, targetY, targetPosition: to.position });
  return path;
}

// The box around every node: {x, y, width, height}, or null for no nodes.
export function graphBounds(nodes) {
  if (!nodes.length) return null;
  let [left, top, right, bottom] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const { position: { x, y }, width = 0, height = 0 } of nodes) {
    left = Math.min(left, x);
    top = Math.min(top, y);
    right = Math.max(right, x + width);
    bottom = Math.max(bottom, y + height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}
