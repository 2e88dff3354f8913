// The thin renderer Python drives: mount the graph view once, and hand Python dagre and
// graphlib's JSON reader/writer so a layout crosses the bridge in a few calls.
import { mountGraph } from './graph-view.jsx';
// Styles: graph-view.jsx imports its CSS; esbuild writes it out as renderer.css.

// dagre and graphlib come in a module of their own (layout.js), which PyScript imports
// before Python starts (js_modules): the first Step before Python (the shell's replay)
// needs this module alone, so a slow link brings it sooner without them. PyScript keeps
// a copy of this module's exports, made before layout.js may have run: these stand-ins
// call through to it.
let layout = null;
export function provideLayout(module) {
  layout = module;
}
export const dagre = { layout: (graph) => layout.dagre.layout(graph) };
export const graphlibJson = {
  read: (json) => layout.graphlibJson.read(json),
  write: (graph) => layout.graphlibJson.write(graph),
};

let view = null;

// The one graph view of the page: the first paint and Python share it.
export function mount(element) {
  view ??= mountGraph(element);
  return view;
}

// Draws the build's prerendered default graph (inlined in the page as JSON, one view per
// direction) in the direction the page's first paint chose (first-fit.js) while Python
// boots; Python then sends the same nodes, ids and positions, and takes over unseen.
// Returns the view.
export function paintFirst(element, script) {
  const first = mount(element);
  if (!first.drawn) {
    const views = JSON.parse(script.textContent);
    first.setGraph(JSON.stringify(views[element.dataset.firstDirection ?? 'LR']), true);
  }
  return first;
}

export { download, downloadPng } from './export.js';
