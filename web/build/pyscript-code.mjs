// The Python source PyScript hands Pyodide's runPython() at every boot, exactly
// as PyScript builds it: its own start-up code (which writes and imports its
// `pyscript` package) and the page's <script type="py">. The snapshot compiles
// these ahead of time (snapshot_prepare.py), so a boot compiles no Python.
//
// This mirrors @pyscript/core 0.7.31 and polyscript: core.js/hooks.js join the
// `codeBeforeRun` hooks (the stdlib first, then `inputFailure`) for scripts
// that run synchronously, the `codeBeforeRunAsync` ones (the stdlib alone) for
// the default, async scripts; custom.js and _python.js dedent them again before
// runPython[Async](); a page script is read as dedent(textContent), loses its
// first line break and is dedented once more.
// Should a PyScript upgrade change any of it, the snapshot simply misses and
// Python compiles the code at boot as before (tests/browser/test_app_shell.py
// watches for that).
//
// PyScript's start-up code writes its `pyscript` package into Python's home
// (pathlib, file by file) and imports it. The build puts that same package
// (from the same artifact, pyscriptPackageFiles()) into the standard-library
// zip as bytecode, ahead of the home on sys.path, so the snapshot stands in a
// code object that only imports the package for exactly this start-up code.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MODULES } from './paths.mjs';

const PYSCRIPT_SRC = path.join(MODULES, '@pyscript', 'core', 'src');

async function dedent() {
  return (await import(path.join(MODULES, 'codedent', 'esm', 'index.js'))).default;
}

// hooks.js cannot be imported in Node (it pulls in polyscript's browser code);
// its `inputFailure` is a plain template literal, read from the source.
async function inputFailure() {
  const source = await readFile(path.join(PYSCRIPT_SRC, 'hooks.js'), 'utf8');
  const literal = source.match(/export const inputFailure = `([^`$]*)`;/);
  if (!literal) throw new Error('@pyscript/core: no inputFailure in src/hooks.js');
  // eslint-disable-next-line no-new-func
  return new Function(`return \`${literal[1]}\`;`)();
}

// PyScript's Python package, {path under Python's home: source}, exactly as
// its start-up code writes it (the artifact it is generated from).
export async function pyscriptPackageFiles() {
  const { default: tree } = await import(path.join(PYSCRIPT_SRC, 'stdlib', 'pyscript.js'));
  const files = {};
  const walk = (node, dir) => {
    for (const [name, value] of Object.entries(node)) {
      if (typeof value === 'string') files[`${dir}${name}`] = value;
      else walk(value, `${dir}${name}/`);
    }
  };
  walk(tree, '');
  return files;
}

export async function pyscriptStartupCode() {
  const D = await dedent();
  const { stdlib } = await import(path.join(PYSCRIPT_SRC, 'stdlib.js'));
  const asRun = (hooks) => D(D(hooks.map(D).join('\n')));
  return [asRun([stdlib]), asRun([stdlib, await inputFailure()])];
}

// The text of every <script type="py"> of the built page, as PyScript runs it.
export async function pageScripts(page) {
  const D = await dedent();
  const scripts = [];
  for (const [, body] of page.matchAll(/<script type="py"[^>]*>([\s\S]*?)<\/script>/g)) {
    scripts.push(D(D(body).replace(/^(?:\n|\r\n)/, '')));
  }
  return scripts;
}
