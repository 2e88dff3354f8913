// Inlined in the page after the build's static graph: fits it to the canvas the way the
// flow's fitView will, then shows it. A classic script, so it runs once the stylesheets
// are in and the canvas has its size, before the first paint that could show the graph.
import { getViewportForBounds } from '@xyflow/system';
import { FIT_PADDING, MAX_ZOOM, MIN_ZOOM } from './viewport.js';

const viewport = document.querySelector('[data-testid="canvas"] [data-first-bounds]');
const flow = viewport?.closest('.react-flow');
if (flow) {
  const [x, y, width, height] = viewport.dataset.firstBounds.split(' ').map(Number);
  const fit = getViewportForBounds({ x, y, width, height }, flow.offsetWidth, flow.offsetHeight,
    MIN_ZOOM, MAX_ZOOM, FIT_PADDING);
  viewport.style.transform = `translate(${fit.x}px,${fit.y}px) scale(${fit.zoom})`;
  viewport.style.visibility = '';
}
