// Our Python package ships as bytecode in the standard-library zip
// (web/build/stdlib_trim.py), which is where the page imports it from, and as
// plain files (py/chainrule/**/*.py) for the footer's Source link. PyScript's
// own package comes as one bundle (py/home.json: {path under Python's home:
// source}) that pyodide-boot.mjs writes into Pyodide's file system before
// PyScript gets the interpreter, and that PyScript's start-up code then
// imports (web/build/pyscript-code.mjs). There is no `packages` key, so no
// micropip.
import { cp, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PY_PACKAGE } from './paths.mjs';
import { pyscriptPackageFiles } from './pyscript-code.mjs';

// Beside the package folder: <site>/py/home.json.
export const HOME_BUNDLE = 'home.json';

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
  await writeFile(path.join(outdir, '..', HOME_BUNDLE), JSON.stringify(await pyscriptPackageFiles()));
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
