// The default graph as JSON, inlined into the built page for the first paint, and the
// dagre layout it was drawn from, which Python reuses on its first boot (#first-layout).
// CPython runs web/tools/prerender.py (chainrule has no dependencies, so PYTHONPATH=py is enough).
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../build/paths.mjs';

const MARKER = '<!-- build: first graph -->';

// `<` escaped so no text in the graph can close the script element.
const inlineJson = async (id, file) => {
  const json = (await readFile(file, 'utf8')).replaceAll('<', '\\u003c');
  await rm(file);
  return `<script type="application/json" id="${id}">${json}</script>`;
};

export async function inlineFirstGraph(page) {
  const view = `${page}.first-graph.json`;
  const layout = `${page}.first-layout.json`;
  execFileSync(process.env.PYTHON ?? 'python3', [path.join(ROOT, 'web', 'tools', 'prerender.py'), view, layout], {
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'py') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const scripts = `${await inlineJson('first-graph', view)}\n  ${await inlineJson('first-layout', layout)}`;
  const html = await readFile(page, 'utf8');
  if (!html.includes(MARKER)) throw new Error('index.html lacks the marker for the first graph');
  await writeFile(page, html.replace(MARKER, () => scripts));
}
