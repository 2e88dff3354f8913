// The default graph as JSON, inlined into the built page for the first paint. CPython runs
// web/tools/prerender.py (chainrule has no dependencies, so PYTHONPATH=py is enough).
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '../build/paths.mjs';

const MARKER = '<!-- build: first graph -->';

export async function inlineFirstGraph(page) {
  const out = `${page}.first-graph.json`;
  execFileSync(process.env.PYTHON ?? 'python3', [path.join(ROOT, 'web', 'tools', 'prerender.py'), out], {
    env: { ...process.env, PYTHONPATH: path.join(ROOT, 'py') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // `<` escaped so no text in the graph can close the script element.
  const json = (await readFile(out, 'utf8')).replaceAll('<', '\\u003c');
  await rm(out);
  const html = await readFile(page, 'utf8');
  if (!html.includes(MARKER)) throw new Error('index.html lacks the marker for the first graph');
  await writeFile(page, html.replace(MARKER, () => `<script type="application/json" id="first-graph">${json}</script>`));
}
