// The thin renderer Python drives: mount the graph view once, and hand Python dagre and
// graphlib's JSON reader/writer so a layout crosses the bridge in a few calls.
import { mountGraph } from './graph-view.jsx';
// Styles: graph-view.jsx imports its CSS; esbuild writes it out as renderer.css.

// dagre and graphlib come in a module of their own (layout.js), which PyScript imports
// before Python starts (js_modules): the first Step before Python (the shell's replay)
// needs this module alone, so a slow link brings it sooner without them.
export let dagre = null;
export let graphlibJson = null;
export function provideLayout(layout) {
  ({ dagre, graphlibJson } = layout);
}

let view = null;

// The one graph view of the page: the first paint and Python share it.
export function mount(element) {
  view ??= mountGraph(element);
  return view;
}

// Draws the build's prerendered default graph (inlined in the page as JSON) while Python
// boots; Python then sends the same nodes, ids and positions, and takes over unseen.
// Returns the view.
export function paintFirst(element, script) {
  const first = mount(element);
  if (!first.drawn) first.setGraph(script.textContent, true);
  return first;
}

export { download, downloadPng } from './export.js';
