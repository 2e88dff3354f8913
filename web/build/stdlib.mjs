// Pyodide's standard-library zip cut to the modules the page can import
// (web/build/stdlib_trim.py follows every import from the page's Python code),
// each compiled to bytecode: every boot downloads and mounts it before Python starts.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WEB } from './paths.mjs';
import { pageScripts, pyscriptPackageFiles, pyscriptStartupCode } from './pyscript-code.mjs';

const TRIM = path.join(WEB, 'build', 'stdlib_trim.py');
export const STDLIB = 'python_stdlib.zip';

// {file name: source} of all the Python the page runs: our package, PyScript's,
// PyScript's start-up code, the page's scripts and what prepares the snapshot.
async function pageSources(packageDir, modules, page) {
  const sources = {};
  for (const [file, source] of Object.entries(await pyscriptPackageFiles())) sources[file] = source;
  for (const name of modules) sources[`chainrule/${name}`] = await readFile(path.join(packageDir, name), 'utf8');
  [...await pyscriptStartupCode(), ...await pageScripts(page)].forEach((code, i) => {
    sources[`__page_${i}__.py`] = code;
  });
  // The snapshot is taken in the same Python, after it ran this.
  sources['snapshot_prepare.py'] = await readFile(path.join(WEB, 'build', 'snapshot_prepare.py'), 'utf8');
  return sources;
}

export async function trimStdlib(pyodideDir, packageDir, modules, page) {
  const scratch = path.join(tmpdir(), `chainrule-stdlib-${process.pid}`);
  const full = path.join(pyodideDir, STDLIB);
  const sourcesFile = `${scratch}.json`;
  await writeFile(sourcesFile, JSON.stringify(await pageSources(packageDir, modules, page)));
  const { loadPyodide } = await import(path.join(pyodideDir, 'pyodide.mjs'));
  const pyodide = await loadPyodide({ indexURL: pyodideDir });
  // Node's files are seen under /node in Pyodide's file system.
  pyodide.FS.mkdirTree('/node');
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: '/' }, '/node');
  const inNode = (file) => `/node${path.resolve(file)}`;
  const out = `${scratch}.zip`;
  const env = pyodide.runPython('import os; os.environ');
  env.set('CHAINRULE_STDLIB_IN', inNode(full));
  env.set('CHAINRULE_STDLIB_OUT', inNode(out));
  env.set('CHAINRULE_STDLIB_SOURCES', inNode(sourcesFile));
  env.destroy();
  try {
    pyodide.runPython(await readFile(TRIM, 'utf8'), { filename: 'stdlib_trim.py' });
    const kept = JSON.parse(pyodide.globals.get('json_needed'));
    const before = (await readFile(full)).length;
    const trimmed = await readFile(out);
    await writeFile(full, trimmed);
    return { kept, before, after: trimmed.length };
  } finally {
    await rm(out, { force: true });
    await rm(sourcesFile, { force: true });
  }
}
