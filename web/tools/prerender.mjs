// The default graph, in both directions, three ways into the built page: as static HTML
// in the canvas (the flow's own markup, rendered here with React's server renderer) with
// a small script that keeps the direction that suits the canvas and fits it, so it is on
// screen at the first paint; as JSON, which the renderer draws as a live flow in its
// place; and the dagre layouts they were drawn from, which Python reuses on its first
// boot (#first-layout). With it, what Python's step
// controls do on it (#first-steps), which web/shell/first-steps.js replays until Python
// is up, and the step bar and explanation at its first step, written into the page.
// CPython runs web/tools/prerender.py (chainrule has no dependencies, so PYTHONPATH=py is enough).
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { ROOT, WEB } from '../build/paths.mjs';

const GRAPH_MARKER = '<!-- build: first graph -->';
const CANVAS = 'data-testid="canvas"><!-- build: first paint --></div>';
// Where the first step's words go: the empty element of each testid (its attributes in
// any order), and what it holds at place 0 of the recording (attributes, content).
const escapeHtml = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
const FIRST_PLACE = [
  ['step-counter', (steps, place) => [` data-phase="${place.phase}"`, escapeHtml(place.counter)]],
  ['step-explanation', (steps, place) => ['', place.explanation]],
  ['sweep-counts', (steps) => ['', escapeHtml(steps.sweeps)]],
];
const emptyElement = (testid) => new RegExp(`(<(\\w+)[^>]*data-testid="${testid}"[^>]*)>(</\\2>)`, 'g');

const SOURCES = path.join(WEB, 'src');
const BUNDLE = { bundle: true, jsx: 'automatic', logLevel: 'warning', legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' } };

// `<` escaped so no text in the graph can close the script element.
const inlineJson = (id, json) =>
  `<script type="application/json" id="${id}">${json.replaceAll('<', '\\u003c')}</script>`;

// The graph's HTML in each direction, from web/src/first-paint.jsx bundled for Node next
// to `page`.
async function renderFirstGraphs(page, views) {
  const server = `${page}.first-paint.cjs`;
  await build({ ...BUNDLE, entryPoints: [path.join(SOURCES, 'first-paint.jsx')], outfile: server,
    platform: 'node', format: 'cjs', loader: { '.css': 'empty' } });
  try {
    const { renderFirstGraph } = createRequire(import.meta.url)(server);
    const graphs = Object.values(views).map((view) => renderFirstGraph(view));
    return { html: graphs.map((graph) => graph.html).join(''), count: graphs[0].count };
  } finally {
    await rm(server);
  }
}

// xyflow's fitting maths without the d3 modules the rest of @xyflow/system pulls in: the
// fit never calls them, and stubbed out they shake away with everything that does.
const NO_D3 = {
  name: 'no-d3',
  setup(builder) {
    builder.onResolve({ filter: /^d3-/ }, (args) => ({ path: args.path, namespace: 'no-d3' }));
    builder.onLoad({ filter: /.*/, namespace: 'no-d3' }, () => ({ contents: 'module.exports = {};' }));
  },
};

async function fitScript() {
  const { outputFiles: [script] } = await build({ ...BUNDLE, write: false, minify: true,
    entryPoints: [path.join(SOURCES, 'first-fit.js')], format: 'iife', target: 'es2022',
    plugins: [NO_D3] });
  return `<script>${script.text.trim()}</script>`;
}

const readAndRemove = async (file) => {
  const text = await readFile(file, 'utf8');
  await rm(file);
  return text;
};

export async function inlineFirstGraph(page) {
  const viewsFile = `${page}.first-graph.json`;
  const layoutsFile = `${page}.first-layout.json`;
  const stepsFile = `${page}.first-steps.json`;
  execFileSync(process.env.PYTHON ?? 'python3', [path.join(ROOT, 'web', 'tools', 'prerender.py'), viewsFile, layoutsFile, stepsFile], {
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'py') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const views = await readAndRemove(viewsFile);
  const layouts = await readAndRemove(layoutsFile);
  const steps = await readAndRemove(stepsFile);
  const graph = await renderFirstGraphs(page, JSON.parse(views));
  const scripts = [inlineJson('first-graph', views), inlineJson('first-layout', layouts),
    inlineJson('first-steps', steps), await fitScript()];
  let html = await readFile(page, 'utf8');
  for (const marker of [GRAPH_MARKER, CANVAS]) {
    if (html.split(marker).length !== 2) throw new Error(`index.html lacks exactly one ${marker}`);
  }
  const recording = JSON.parse(steps);
  for (const [testid, words] of FIRST_PLACE) {
    if ((html.match(emptyElement(testid)) ?? []).length !== 1) {
      throw new Error(`index.html lacks exactly one empty element with data-testid="${testid}"`);
    }
    const [attributes, content] = words(recording, recording.places[0]);
    html = html.replace(emptyElement(testid), (_, open, tag, close) => `${open}${attributes}>${content}${close}`);
  }
  // The canvas says how many nodes it shows, as the flow's setGraph does, and where a
  // direction the user picked is kept (first-fit.js draws that one).
  const canvas = `data-testid="canvas" data-nodes="${graph.count}" `
    + `data-direction-key="${recording.storage.direction}">${graph.html}</div>`;
  await writeFile(page, html
    .replace(CANVAS, () => canvas)
    .replace(GRAPH_MARKER, () => scripts.join('\n  ')));
}
