// Inlined in the page after the build's static graphs (one per direction): keeps the one
// Python will draw, places it in the canvas the way the flow's first view will
// (viewport.js's startViewport), then shows it. A classic script, so it runs once the
// stylesheets are in and the canvas has its size, before the first paint that could show
// the graph.
import { startViewport } from './viewport.js';

const box = (text) => {
  const [x, y, width, height] = text.split(' ').map(Number);
  return { x, y, width, height };
};

const storedDirection = (key) => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage refused: nothing was picked
  }
};

// Python's choice (chainrule/view/layout.py pick_direction): the direction the user
// picked, else the one whose graph fits the canvas at the larger zoom, the canvas's
// longer side winning a tie.
function pickDirection(viewports, width, height, stored) {
  const picked = viewports.find((viewport) => viewport.dataset.firstDirection === stored);
  if (picked) return picked;
  const along = width >= height ? 'LR' : 'TB';
  const ordered = [...viewports].sort((a, b) =>
    (b.dataset.firstDirection === along) - (a.dataset.firstDirection === along));
  if (width <= 0 || height <= 0) return ordered[0];
  let best = null;
  for (const viewport of ordered) {
    const bounds = box(viewport.dataset.firstBounds);
    const zoom = Math.min(width / Math.max(bounds.width, 1), height / Math.max(bounds.height, 1));
    if (!best || zoom > best.zoom * 1.001) best = { zoom, viewport };
  }
  return best.viewport;
}

const canvas = document.querySelector('[data-testid="canvas"]');
const viewports = [...(canvas?.querySelectorAll('[data-first-direction]') ?? [])];
if (viewports.length) {
  const viewport = pickDirection(viewports, canvas.clientWidth, canvas.clientHeight,
    storedDirection(canvas.dataset.directionKey));
  for (const other of viewports) {
    if (other !== viewport) other.closest('.react-flow').remove();
  }
  const { firstDirection, firstBounds, firstFocus, firstCount } = viewport.dataset;
  canvas.dataset.firstDirection = firstDirection;
  const button = document.querySelector('[data-testid="direction"]');
  if (button) button.dataset.direction = firstDirection;
  const flow = viewport.closest('.react-flow');
  const start = startViewport(box(firstBounds), box(firstFocus), flow.offsetWidth,
    flow.offsetHeight, Number(firstCount));
  viewport.style.transform = `translate(${start.x}px,${start.y}px) scale(${start.zoom})`;
  viewport.style.visibility = '';
}
