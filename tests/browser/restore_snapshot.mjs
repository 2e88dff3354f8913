// `node restore_snapshot.mjs SITE CODE`: restores the site's Python snapshot in
// Node the way pyodide-boot.mjs does in the page, runs CODE, prints its value.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

const [site, code] = process.argv.slice(2);
const pyodideDir = path.resolve(site, 'pyodide');
const boot = readFileSync(path.join(pyodideDir, 'pyodide-boot.mjs'), 'utf8');
const size = Number(boot.match(/const SNAPSHOT_BYTES = Number\('(\d+)'\)/)[1]);
const sparse = gunzipSync(readFileSync(path.join(pyodideDir, 'python.snapshot.gz')));
// Format: web/build/sparse.mjs (a size record, the non-zero runs, an end record).
if (sparse.readUInt32LE(0) !== 0xfffffffe || sparse.readUInt32LE(4) !== size) {
  throw new Error('the snapshot does not start with the size record of this build');
}
const memory = new Uint8Array(size);
for (let at = 8; ;) {
  const offset = sparse.readUInt32LE(at);
  const length = sparse.readUInt32LE(at + 4);
  at += 8;
  if (offset === 0xffffffff) break;
  memory.set(sparse.subarray(at, at + length), offset);
  at += length;
}
const { loadPyodide } = await import(path.join(pyodideDir, 'pyodide.mjs'));
const pyodide = await loadPyodide({ indexURL: pyodideDir, _loadSnapshot: memory });
console.log(pyodide.runPython(code));
