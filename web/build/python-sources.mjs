// Our Python package and PyScript's ship as bytecode in the standard-library
// zip (web/build/stdlib_trim.py), which is where the page imports them from;
// ours also as plain files (py/chainrule/**/*.py) for the footer's Source
// link. There is no `packages` key, so no micropip.
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PY_PACKAGE } from './paths.mjs';

// Paths relative to the package, subpackages included; the notebook widget is
// for notebooks, not the page.
const NOT_IN_PAGE = ['notebook'];

export async function packageModules() {
  const names = await readdir(PY_PACKAGE, { recursive: true });
  return names
    .filter((name) => name.endsWith('.py') && !NOT_IN_PAGE.includes(name.split(path.sep)[0]))
    .map((name) => name.split(path.sep).join('/'))
    .sort();
}

export async function copyPythonPackage(outdir) {
  const modules = await packageModules();
  for (const name of modules) {
    await cp(path.join(PY_PACKAGE, name), path.join(outdir, name), { recursive: true });
  }
  return modules;
}

// Paths in `interpreter` and `js_modules` are relative to the page, which the
// config sits beside (and is inlined into: web/build/page.mjs).
export function pyscriptConfig() {
  return {
    interpreter: './pyodide/pyodide-boot.mjs',
    js_modules: { main: { './renderer/renderer.js': 'renderer', './renderer/layout.js': 'layout' } },
    plugins: ['!codemirror', '!deprecations-manager', '!donkey', '!py-editor', '!py-game', '!py-terminal'],
  };
}
