// Inlined in the page after the build's static graph: places it in the canvas the way the
// flow's first view will (viewport.js's startViewport), then shows it. A classic script,
// so it runs once the stylesheets are in and the canvas has its size, before the first
// paint that could show the graph.
import { startViewport } from './viewport.js';

const viewport = document.querySelector('[data-testid="canvas"] [data-first-bounds]');
const flow = viewport?.closest('.react-flow');
if (flow) {
  const box = (text) => {
    const [x, y, width, height] = text.split(' ').map(Number);
    return { x, y, width, height };
  };
  const { firstBounds, firstFocus, firstCount } = viewport.dataset;
  const start = startViewport(box(firstBounds), box(firstFocus), flow.offsetWidth,
    flow.offsetHeight, Number(firstCount));
  viewport.style.transform = `translate(${start.x}px,${start.y}px) scale(${start.zoom})`;
  viewport.style.visibility = '';
}
