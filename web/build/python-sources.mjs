// Our Python package ships as plain files that PyScript writes into Pyodide's
// file system (`files` in the config); there is no `packages` key, so no micropip.
import { cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { PY_PACKAGE } from './paths.mjs';

export async function packageModules() {
  const names = await readdir(PY_PACKAGE);
  return names.filter((name) => name.endsWith('.py')).sort();
}

export async function copyPythonPackage(outdir) {
  const modules = await packageModules();
  for (const name of modules) {
    await cp(path.join(PY_PACKAGE, name), path.join(outdir, name));
  }
  return modules;
}

// Paths in `files` and `interpreter` are relative to the page and the config,
// which sit side by side at the top of the site.
export function pyscriptConfig(modules) {
  return {
    interpreter: './pyodide/pyodide-boot.mjs',
    files: Object.fromEntries(
      modules.map((name) => [`./py/chainrule/${name}`, `./chainrule/${name}`]),
    ),
    js_modules: { main: { './renderer/renderer.js': 'renderer' } },
    plugins: ['!codemirror', '!deprecations-manager', '!donkey', '!py-editor', '!py-game', '!py-terminal'],
  };
}
