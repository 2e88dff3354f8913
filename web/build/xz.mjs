// The boot's biggest downloads, xz-compressed: gzip, what GitHub Pages compresses with,
// leaves a quarter to a third more bytes on the wire (docs/performance.md). Each file
// is kept as it is too (a fallback, and what the service worker caches); its .xz twin
// is what a first visit downloads, decoded by pyodide/xz.js (web/shell/xz.js).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { MODULES, ROOT, SHELL } from './paths.mjs';

const run = promisify(execFile);

// Packed files are kept by the hash of what they pack: most builds change no byte of
// Pyodide's wasm, and xz takes seconds over it.
const CACHE = path.join(ROOT, 'build', 'xz');

// `xz` from xz-utils: Node has no xz encoder of its own. (-9e packs these files no
// smaller than -9, at half the speed.)
export async function xz(bytes) {
  const kept = path.join(CACHE, `${createHash('sha256').update(bytes).digest('hex')}.xz`);
  try {
    return await readFile(kept);
  } catch {
    // not packed yet
  }
  const packed = await runXz(bytes);
  await mkdir(CACHE, { recursive: true });
  await writeFile(`${kept}.partial`, packed);
  await rename(`${kept}.partial`, kept);
  return packed;
}

async function runXz(bytes) {
  const child = execFile('xz', ['-9', '--threads=1', '--check=crc32', '-c'],
    { encoding: 'buffer', maxBuffer: 1 << 30 });
  const done = new Promise((resolve, reject) => {
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => reject(new Error(`xz could not run (install xz-utils): ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`xz exited with ${code}`))));
  });
  child.stdin.end(bytes);
  return done;
}

export async function unxz(file) {
  const { stdout } = await run('xz', ['-dc', file], { encoding: 'buffer', maxBuffer: 1 << 30 });
  return stdout;
}

// Writes `file`.xz beside `file`; returns its size.
export async function xzBeside(file) {
  const packed = await xz(await readFile(file));
  await writeFile(`${file}.xz`, packed);
  return packed.length;
}

// pyodide/xz.js: the decoder as one classic script. Its Node-only fallback import
// ('stream/web') is never reached in a browser, which has ReadableStream.
export async function writeDecoder(outfile) {
  await build({
    entryPoints: [path.join(SHELL, 'xz.js')],
    outfile,
    bundle: true,
    format: 'iife',
    minify: true,
    target: 'es2022',
    legalComments: 'inline',
    logLevel: 'warning',
    nodePaths: [MODULES],
    plugins: [{
      name: 'no-node-streams',
      setup(builder) {
        builder.onResolve({ filter: /^stream\/web$/ }, () => ({ path: 'stream/web', namespace: 'no-node' }));
        builder.onLoad({ filter: /.*/, namespace: 'no-node' }, () => ({ contents: 'module.exports = {};' }));
      },
    }],
  });
}
