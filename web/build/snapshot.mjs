// A Pyodide memory snapshot taken after Python has started, imported our
// package and compiled what the page will import or run (snapshot_prepare.py):
// restoring it in the browser skips most of Python's start-up.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { MODULES, WEB } from './paths.mjs';
import { pageScripts, pyscriptStartupCode } from './pyscript-code.mjs';
import { toSparse } from './sparse.mjs';

const PREPARE = path.join(WEB, 'build', 'snapshot_prepare.py');
// Where Pyodide starts in the browser too, and where PyScript writes `files`.
const HOME = '/home/pyodide';
// Where the code PyScript will hand runPython() waits for snapshot_prepare.py.
const RUN_CODE_DIR = '/tmp/chainrule-run-code';

// Our package and PyScript's are imported from the site's standard-library zip, as in
// the page, where they are bytecode (web/build/stdlib_trim.py).
export async function makeSnapshot(pyodideDir) {
  const files = {};

  const page = await readFile(path.join(pyodideDir, '..', 'index.html'), 'utf8');
  const startup = await pyscriptStartupCode();
  const runCode = [...startup, ...await pageScripts(page)];
  runCode.forEach((code, i) => { files[`${RUN_CODE_DIR}/${i}.py`] = code; });
  const inRunCodeDir = (codes, first = 0) => codes.map((_, i) => `${RUN_CODE_DIR}/${first + i}.py`).join(':');

  const { loadPyodide } = await import(path.join(pyodideDir, 'pyodide.mjs'));
  const pyodide = await loadPyodide({
    indexURL: pyodideDir,
    _makeSnapshot: true,
    // Only what a browser boot would have, nothing from the build machine.
    env: {
      HOME,
      CHAINRULE_RUN_CODE: inRunCodeDir(runCode),
      CHAINRULE_PYSCRIPT_STARTUP: inRunCodeDir(startup),
    },
  });
  for (const [file, content] of Object.entries(files)) {
    pyodide.FS.mkdirTree(path.posix.dirname(file));
    pyodide.FS.writeFile(file, content);
  }
  pyodide.runPython(await readFile(PREPARE, 'utf8'), { filename: 'snapshot_prepare.py' });
  const memory = Buffer.from(pyodide.makeMemorySnapshot());
  return { sparse: toSparse(memory), bytes: memory.length };
}
