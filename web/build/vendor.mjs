// Pyodide's core files and PyScript's dist/, served from our own origin.
import { cp, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { MODULES, SHELL } from './paths.mjs';

export const PYODIDE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];

// Beside them, our reader of the Python snapshot (pyodide-boot.mjs, the boot
// module, is written there by the snapshot step, which fills in its size).
export const BOOT_FILES = ['snapshot-worker.js'];

export async function copyPyodide(outdir) {
  await mkdir(outdir, { recursive: true });
  for (const name of PYODIDE_FILES) {
    await cp(path.join(MODULES, 'pyodide', name), path.join(outdir, name));
  }
  for (const name of BOOT_FILES) {
    await cp(path.join(SHELL, name), path.join(outdir, name));
  }
}

// Source maps are left out: only devtools ask for them, and the service
// worker would otherwise precache megabytes nobody downloads.
export async function copyPyScript(outdir) {
  await cp(path.join(MODULES, '@pyscript', 'core', 'dist'), outdir, {
    recursive: true,
    filter: (source) => !source.endsWith('.map'),
  });
}
