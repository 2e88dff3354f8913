// What the build does to index.html on its way into the site, each one request
// fewer in front of the boot: a script the page needs before anything else is
// inlined, and so is the PyScript config (PyScript reads a JSON object in the
// `config` attribute as the config itself; pyscript.json stays in the site).
// A preload of Pyodide's wasm is dropped: boot.js has a worker compile the wasm
// (pyodide-boot.mjs only instantiates it), so the page itself never reads it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pyscriptConfig } from './python-sources.mjs';

const INLINE_SCRIPT = /<script src="([^"]+)" data-inline><\/script>/g;
const CONFIG_FILE = 'config="pyscript.json"';
const WASM_PRELOAD = /\n?[ \t]*<link rel="preload" href="pyodide\/pyodide\.asm\.wasm"[^>]*>/g;

const asAttribute = (value) => JSON.stringify(value).replaceAll('&', '&amp;').replaceAll("'", '&#39;');

export async function buildPage(page, shellDir) {
  let result = page;
  for (const [tag, src] of page.matchAll(INLINE_SCRIPT)) {
    const code = await readFile(path.join(shellDir, src), 'utf8');
    result = result.replace(tag, () => `<script>\n${code}</script>`);
  }
  return result
    .replaceAll(CONFIG_FILE, () => `config='${asAttribute(pyscriptConfig())}'`)
    .replace(WASM_PRELOAD, '');
}
