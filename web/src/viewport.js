// How the view fits a graph: shared by the flow and the build's first paint, whose
// static copy of the default graph must sit exactly where the flow then draws it.
import { getViewportForBounds } from '@xyflow/system';

export const FIT_PADDING = 0.12;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2.5;
// The zoom below which a node's 13 px text is too small to read, so nodes are drawn
// without it: where the text would be under 6.5 device pixels (half size on a common
// screen, a quarter on a double-density one), and never under 2.6 CSS pixels.
const READABLE_TEXT_ZOOM = 0.5;
const MIN_DETAIL_ZOOM = 0.2;
export function detailZoom(pixelRatio = globalThis.devicePixelRatio ?? 1) {
  return Math.max(MIN_DETAIL_ZOOM, READABLE_TEXT_ZOOM / pixelRatio);
}

// The page never fits a graph so small that a value's numbers (14 px, layout.py's
// NUMBER_PX) are under 11 CSS px on screen, 10 on a phone held at arm's length...
// except a big graph, which is fitted whole and read by zooming in.
const NUMBER_PX = 14;
export const BIG_GRAPH = 300; // layout.py's LAYERED_ABOVE
const PHONE = '(max-width: 699px)';
export function readableZoom() {
  const phone = globalThis.matchMedia?.(PHONE).matches;
  return ((phone ? 10 : 11) / NUMBER_PX) * 1.002; // a hair over: float transforms round down
}
// Screen pixels kept between the graph's end and the canvas's edge when it overflows.
const EDGE_ROOM = 16;

function along(start, size, focus, zoom, room) {
  // The translation on one axis: the graph centred if it fits, else `focus` centred, the
  // graph's ends kept from leaving a gap at the canvas's edges.
  const [low, high] = start;
  if ((high - low) * zoom + 2 * room <= size) return size / 2 - ((low + high) / 2) * zoom;
  const centred = size / 2 - focus * zoom;
  return Math.min(room - low * zoom, Math.max(size - room - high * zoom, centred));
}

// Where the view starts for a new graph in a `width` x `height` canvas: the whole graph
// fitted, unless that makes a graph of at most BIG_GRAPH nodes unreadable; then the
// readable zoom, showing `focus` (the output, where backprop starts) and as much of the
// graph around it as fits. Returns {x, y, zoom} and whether the whole graph is in view.
export function startViewport(bounds, focus, width, height, count) {
  const fit = getViewportForBounds(bounds, width, height, MIN_ZOOM, MAX_ZOOM, FIT_PADDING);
  const zoom = readableZoom();
  if (fit.zoom >= zoom || count > BIG_GRAPH || !focus) return { ...fit, whole: true };
  const x = along([bounds.x, bounds.x + bounds.width], width, focus.x + focus.width / 2, zoom,
    EDGE_ROOM);
  const y = along([bounds.y, bounds.y + bounds.height], height, focus.y + focus.height / 2, zoom,
    EDGE_ROOM);
  return { x, y, zoom, whole: false };
}

// The node a new view starts at: the output value, else the last node (the layouts put
// the output last).
export function focusNode(nodes) {
  return nodes.find((node) => node.data?.role === 'output') ?? nodes[nodes.length - 1];
}

export function boxOf(node) {
  return { x: node.position.x, y: node.position.y, width: node.width ?? 0, height: node.height ?? 0 };
}

// Whether `box` (flow coordinates) lies inside the view, `margin` (a fraction of the
// view's size) away from its edges.
function inside(box, view, margin) {
  const mx = view.width * margin;
  const my = view.height * margin;
  return box.x >= view.x + mx && box.x + box.width <= view.x + view.width - mx
    && box.y >= view.y + my && box.y + box.height <= view.y + view.height - my;
}

// The view rect, in flow coordinates, of a viewport transform [x, y, zoom].
export function viewRect([x, y, zoom], width, height) {
  return { x: -x / zoom, y: -y / zoom, width: width / zoom, height: height / zoom };
}

// Where the view should move so that `box` is in it, 10% clear of its edges, at the same
// zoom: its centre moved on each axis where the box is out, or null if it is in already.
const FOLLOW_MARGIN = 0.1;
// Moved no further than needed to keep the graph's ends from leaving a gap (`bounds`).
export function followViewport(box, transform, width, height, bounds) {
  const [x, y, zoom] = transform;
  const view = viewRect(transform, width, height);
  if (inside(box, view, FOLLOW_MARGIN)) return null;
  const mx = view.width * FOLLOW_MARGIN;
  const my = view.height * FOLLOW_MARGIN;
  const next = { x, y, zoom };
  if (box.x < view.x + mx || box.x + box.width > view.x + view.width - mx) {
    next.x = bounds ? along([bounds.x, bounds.x + bounds.width], width, box.x + box.width / 2,
      zoom, EDGE_ROOM) : width / 2 - (box.x + box.width / 2) * zoom;
  }
  if (box.y < view.y + my || box.y + box.height > view.y + view.height - my) {
    next.y = bounds ? along([bounds.y, bounds.y + bounds.height], height, box.y + box.height / 2,
      zoom, EDGE_ROOM) : height / 2 - (box.y + box.height / 2) * zoom;
  }
  const moved = Math.abs(next.x - x) > 0.5 || Math.abs(next.y - y) > 0.5;
  return moved ? next : null;
}

// The box around some boxes, or null for none.
export function unionBox(boxes) {
  if (!boxes.length) return null;
  const left = Math.min(...boxes.map((b) => b.x));
  const top = Math.min(...boxes.map((b) => b.y));
  const right = Math.max(...boxes.map((b) => b.x + b.width));
  const bottom = Math.max(...boxes.map((b) => b.y + b.height));
  return { x: left, y: top, width: right - left, height: bottom - top };
}

// Whether `box` fits in the view at `zoom` with the follow margin on each side.
export function fitsView(box, zoom, width, height) {
  const scale = 1 - 2 * FOLLOW_MARGIN;
  return box.width * zoom <= width * scale && box.height * zoom <= height * scale;
}
