// Build time only: the default graph as HTML, the same markup the page's flow draws,
// so the graph is on screen at the page's first paint, before any script has run.
// The build renders it in both directions; the page's first-fit.js keeps the one that
// suits the canvas and places it; the flow then replaces it with the same pixels.
import { renderToStaticMarkup, renderToString } from 'react-dom/server';
import { EdgePaths } from './edge-layer.jsx';
import { declareGeometry, graphBounds } from './geometry.js';
import { createView } from './graph-view.jsx';
import { boxOf, focusNode } from './viewport.js';

const VIEWPORT = '<div class="react-flow__viewport xyflow__viewport react-flow__container" style="transform:translate(0px,0px) scale(1)">';
const EDGE_LAYER = '<div class="react-flow__edgelabel-renderer"></div>';

function replaceOnce(html, marker, replacement) {
  const at = html.indexOf(marker);
  if (at < 0 || html.indexOf(marker, at + 1) >= 0) {
    throw new Error(`React Flow's static markup no longer has exactly one ${marker}`);
  }
  return html.slice(0, at) + replacement + html.slice(at + marker.length);
}

// `view`: a view Python draws first ({direction, nodes, edges, cells}). Returns the flow's
// HTML, its viewport hidden until first-fit.js has chosen and fitted it to the canvas,
// and its node count.
export function renderFirstGraph(view) {
  const { direction, nodes, edges, cells } = view;
  nodes.forEach(declareGeometry);
  const flowView = createView();
  flowView.cells.reset(cells);
  flowView.store.set({ nodes, edges, editing: false });
  // On the server the flow's store takes its nodes from the provider; the edge layer
  // is a portal there, which the server cannot render, so it goes in by hand.
  const flow = renderToString(flowView.tree({ initialNodes: nodes, initialEdges: [] }));
  const edgePaths = renderToStaticMarkup(<EdgePaths cells={flowView.cells} nodes={nodes} edges={edges} />);
  const flat = ({ x, y, width, height }) => [x, y, width, height].join(' ');
  const bounds = flat(graphBounds(nodes));
  const focus = flat(boxOf(focusNode(nodes)));
  const hidden = VIEWPORT.replace('style="', `data-first-direction="${direction}" `
    + `data-first-bounds="${bounds}" data-first-focus="${focus}" `
    + `data-first-count="${nodes.length}" style="visibility:hidden;`);
  const html = replaceOnce(replaceOnce(flow, VIEWPORT, hidden), EDGE_LAYER,
    EDGE_LAYER.replace('></div>', `>${edgePaths}</div>`));
  return { html, count: nodes.length };
}
