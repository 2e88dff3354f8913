// Boots Python for the page. The page loads this module first thing, so the
// boot starts at once instead of after PyScript has set itself up; PyScript's
// `interpreter` points here too and its loadPyodide() gets the same boot.
//
// Python's own start-up is most of a normal boot, so we restore a memory
// snapshot taken at build time (web/build/snapshot.mjs) and fall back to a
// normal boot if that fails. Along the way the page shell hears which stage
// the boot is in ('chainrule:boot-stage') or why it failed ('chainrule:boot-failed').
import { loadPyodide as loadPlainPyodide, version } from './pyodide.mjs';

export { version };

const INDEX_URL = new URL('./', import.meta.url).href;
const WASM_NAME = 'pyodide.asm.wasm';
// Filled in by the build: the size of the memory the snapshot restores, so its
// buffer can be handed to Pyodide before the download finishes.
const SNAPSHOT_BYTES = Number('__SNAPSHOT_BYTES__');

const announce = (type, detail) => dispatchEvent(new CustomEvent(`chainrule:${type}`, { detail }));
// How Python came up, for tests and for anyone wondering why a boot was slow:
// "snapshot" (the gzipped download), "cached snapshot" (the service worker's copy) or "normal".
const recordBoot = (how) => { document.documentElement.dataset.pythonBoot = how; };
const never = new Promise(() => {});

class BootError extends Error {}
class SnapshotError extends Error {}

// Pyodide only warns when the wasm cannot be fetched or compiled, then waits
// forever: watching instantiateStreaming turns that into a prompt failure. It
// also holds the compiled instance back until the snapshot is in memory, so
// compiling the wasm and downloading the snapshot overlap.
function watchWasm() {
  const original = WebAssembly.instantiateStreaming;
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {});
  let entered;
  const watch = {
    failed,
    holdUntil: null,
    // Resolves once Pyodide asked for its first instance (and took its hold).
    entered: new Promise((resolve) => (entered = resolve)),
    restore: () => { WebAssembly.instantiateStreaming = original; },
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const hold = watch.holdUntil;
    entered();
    let result;
    try {
      const response = await source;
      if (!response.ok) throw new BootError(`${WASM_NAME} could not be downloaded (HTTP ${response.status})`);
      result = await original.call(WebAssembly, response, imports);
    } catch (error) {
      const reason = error instanceof BootError
        ? error
        : new BootError(`${WASM_NAME} could not be downloaded or compiled (${error.message})`);
      fail(reason);
      throw reason;
    }
    if (hold) await hold.catch(() => never);
    announce('boot-stage', 'start');
    return result;
  };
  return watch;
}

// Pyodide starts its downloads (wasm, stdlib, lockfile) long before it awaits
// them; one that fails early would surface as an unhandled rejection with a
// bare "Failed to fetch". Marking them handled leaves the reporting to the
// watch above and to Pyodide itself, which still see every failure.
function quietEarlyFetches() {
  const original = globalThis.fetch;
  globalThis.fetch = function fetch(...args) {
    const response = original.apply(this, args);
    response.catch(() => {});
    return response;
  };
  return () => { globalThis.fetch = original; };
}

// boot.js starts reading the snapshot before this module loads: the service
// worker's decompressed copy straight from its cache on later visits, the
// gzipped download on a first visit. Without boot.js, fetch it here.
async function openSnapshotStream() {
  const early = await globalThis.chainruleSnapshot?.catch(() => undefined);
  delete globalThis.chainruleSnapshot;
  const { response, packed } = early ?? {
    response: await fetch(new URL('python.snapshot.gz', INDEX_URL)),
    packed: true,
  };
  if (!response.ok) throw new SnapshotError(`no Python snapshot (HTTP ${response.status})`);
  if (!packed) return { how: 'cached snapshot', stream: response.body };
  return { how: 'snapshot', stream: response.body.pipeThrough(new DecompressionStream('gzip')) };
}

// The snapshot arrives sparse (web/build/sparse.mjs): records of
// [u32 offset][u32 length][bytes] for the memory's non-zero runs, then an end
// record; everything else stays zero in the freshly allocated buffer.
const END_OFFSET = 0xffffffff;

async function fillSparse(reader, buffer) {
  const header = new Uint8Array(8);
  const fields = new DataView(header.buffer);
  let headerBytes = 0;
  let offset = 0;
  let remaining = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const bytes = chunk.value;
    let at = 0;
    while (at < bytes.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, bytes.length - at);
        buffer.set(bytes.subarray(at, at + take), offset);
        offset += take;
        remaining -= take;
        at += take;
        continue;
      }
      const take = Math.min(8 - headerBytes, bytes.length - at);
      header.set(bytes.subarray(at, at + take), headerBytes);
      headerBytes += take;
      at += take;
      if (headerBytes < 8) break;
      headerBytes = 0;
      offset = fields.getUint32(0, true);
      remaining = fields.getUint32(4, true);
      if (offset === END_OFFSET) return;
      if (offset + remaining > buffer.length) throw new SnapshotError('the Python snapshot does not fit this build');
    }
  }
  throw new SnapshotError('the Python snapshot is truncated');
}

function downloadSnapshot() {
  const buffer = new Uint8Array(SNAPSHOT_BYTES);
  const filled = (async () => {
    const { how, stream } = await openSnapshotStream();
    await fillSparse(stream.getReader(), buffer);
    return how;
  })();
  filled.catch(() => {});
  return { buffer, filled };
}

// Every restore starts from the same memory image, so the random generator
// would repeat itself across visits unless reseeded from the browser's entropy.
function reseed(pyodide) {
  pyodide.runPython('import sys\nif "random" in sys.modules: sys.modules["random"].seed()');
}

async function bootFromSnapshot(watch) {
  const snapshot = downloadSnapshot();
  watch.holdUntil = snapshot.filled;
  const attempt = loadPlainPyodide({ indexURL: INDEX_URL, _loadSnapshot: snapshot.buffer });
  try {
    const pyodide = await Promise.race([attempt, watch.failed, snapshot.filled.then(() => never)]);
    reseed(pyodide);
    recordBoot(await snapshot.filled);
    return pyodide;
  } catch (error) {
    // An attempt whose snapshot never arrived stays parked on its hold; make
    // sure it has taken that hold before a normal boot lifts it.
    await Promise.race([watch.entered, attempt.catch(() => {})]);
    throw error;
  }
}

async function bootPython() {
  const watch = watchWasm();
  const restoreFetch = quietEarlyFetches();
  try {
    if (SNAPSHOT_BYTES > 0) {
      try {
        return await bootFromSnapshot(watch);
      } catch (error) {
        if (error instanceof BootError) throw error;
        console.warn('Restoring the Python snapshot failed; booting normally.', error);
        watch.holdUntil = null;
      }
    }
    const pyodide = await Promise.race([loadPlainPyodide({ indexURL: INDEX_URL }), watch.failed]);
    recordBoot('normal');
    return pyodide;
  } catch (error) {
    announce('boot-failed', error instanceof BootError
      ? `Python could not start: ${error.message}. Check your connection and reload the page.`
      : `Python could not start: ${error.message}`);
    throw error;
  } finally {
    watch.restore();
    restoreFetch();
  }
}

const booting = bootPython();
booting.catch(() => {});

// What PyScript calls. It passes the index URL (ours) and its output streams.
export async function loadPyodide({ indexURL, stdout, stderr, ...rest } = {}) {
  const unsupported = Object.keys(rest);
  if (unsupported.length) throw new Error(`pyodide-boot.mjs does not support ${unsupported.join(', ')}`);
  const pyodide = await booting;
  if (stdout) pyodide.setStdout({ batched: stdout });
  if (stderr) pyodide.setStderr({ batched: stderr });
  return pyodide;
}
