// Boots Python for the page. The page loads this module first thing, so the
// boot starts at once instead of after PyScript has set itself up; PyScript's
// `interpreter` points here too and its loadPyodide() gets the same boot.
//
// Python's own start-up is most of a normal boot, so we restore a memory
// snapshot taken at build time (web/build/snapshot.mjs) and fall back to a
// normal boot if that fails. boot.js has a worker (snapshot-worker.js) read
// and unpack the snapshot and compile the wasm off the main thread, which only
// instantiates them. Our Python package and PyScript's are bytecode in the
// standard-library zip.
// Along the way the page shell hears which stage the boot is in
// ('chainrule:boot-stage') or why it failed ('chainrule:boot-failed').
import { loadPyodide as loadPlainPyodide, version } from './pyodide.mjs';

export { version };

const INDEX_URL = new URL('./', import.meta.url).href;
const WASM_NAME = 'pyodide.asm.wasm';
// Filled in by the build: the size of the memory the snapshot restores (a
// snapshot of another size is from another build).
const SNAPSHOT_BYTES = Number('__SNAPSHOT_BYTES__');
const SNAPSHOT_SHA256 = '__SNAPSHOT_SHA256__';

const announce = (type, detail) => dispatchEvent(new CustomEvent(`chainrule:${type}`, { detail }));
// How Python came up, for tests and for anyone wondering why a boot was slow:
// "snapshot" (the gzipped download), "cached snapshot" (the service worker's copy) or "normal".
const recordBoot = (how) => { document.documentElement.dataset.pythonBoot = how; };
// Performance marks ('chainrule:…') let bench/boot.py say where a boot spent its time.
const mark = (name) => performance.mark(`chainrule:${name}`);
mark('boot-module');

class BootError extends Error {}
class SnapshotError extends Error {}

// Pyodide has no hooks for its downloads, so for the boot's duration this module
// lends it two globals, put back once Python is up. It relies on Pyodide calling
// globalThis.fetch and WebAssembly.instantiateStreaming when it downloads; should an
// upgrade stop doing so, tests/browser/test_first_visit.py's
// test_pyodide_boots_through_the_fetch_and_instantiate_the_boot_module_lends_it fails.
//
// Pyodide only warns when the wasm cannot be fetched or compiled, then waits
// forever: watching instantiateStreaming turns that into a prompt failure.
//
// When boot.js had the worker compile the wasm (globalThis.chainruleWasm),
// Pyodide's own download of it is skipped (its fetch gets a stand-in answer,
// status 299) and the worker's module is only instantiated; if the worker
// failed, the wasm is downloaded and compiled here after all, and a failure
// is reported as before.
const SKIPPED = 299;

function watchWasm() {
  const original = WebAssembly.instantiateStreaming;
  const realFetch = globalThis.fetch;
  const early = globalThis.chainruleWasm;
  delete globalThis.chainruleWasm;
  const precompiled = early?.catch(() => null);
  if (early) {
    globalThis.fetch = function fetch(resource, ...rest) {
      if (String(resource).endsWith(`/${WASM_NAME}`)) return Promise.resolve(new Response(null, { status: SKIPPED }));
      return realFetch.call(this, resource, ...rest);
    };
  }
  let fail;
  const failed = new Promise((_, reject) => (fail = reject));
  failed.catch(() => {});
  const watch = {
    failed,
    restore: () => {
      WebAssembly.instantiateStreaming = original;
      globalThis.fetch = realFetch;
    },
  };
  WebAssembly.instantiateStreaming = async (source, imports) => {
    let result;
    try {
      const module = await precompiled;
      if (module) {
        result = { module, instance: await WebAssembly.instantiate(module, imports) };
      } else {
        let response = await source;
        if (response.status === SKIPPED) response = await realFetch(new URL(WASM_NAME, INDEX_URL));
        if (!response.ok) throw new BootError(`${WASM_NAME} could not be downloaded (HTTP ${response.status})`);
        result = await original.call(WebAssembly, response, imports);
      }
      mark('wasm-compiled');
    } catch (error) {
      const reason = error instanceof BootError
        ? error
        : new BootError(`${WASM_NAME} could not be downloaded or compiled (${error.message})`);
      fail(reason);
      throw reason;
    }
    announce('boot-stage', 'start');
    return result;
  };
  return watch;
}

// Pyodide starts its downloads (wasm, stdlib, lockfile) long before it awaits
// them; one that fails early would surface as an unhandled rejection with a
// bare "Failed to fetch". Marking them handled leaves the reporting to the
// watch above and to Pyodide itself, which still see every failure.
// On a first visit the standard library comes from boot.js's worker
// (globalThis.chainruleStdlib: downloaded as its .xz, counted, staged); if
// that failed, from the network as usual. What Pyodide and this module download
// is handed to the service worker's staging cache (see sw.template.js), so
// precaching it later downloads nothing twice.
const STAGED = 'chainrule-staged';
const STAGED_FILES = ['pyodide-lock.json'];

function staged(response, url) {
  const name = url.pathname.split('/').pop();
  if (!response.ok || !response.body || !STAGED_FILES.includes(name)) return response;
  const [forPage, forCache] = response.body.tee();
  // A page the service worker controls has its files from the worker's cache already.
  if (globalThis.caches && !navigator.serviceWorker?.controller) {
    caches.open(STAGED)
      .then((cache) => cache.put(`${url.href}?staged`, new Response(forCache, { headers: response.headers })))
      .catch(() => {});
  }
  return new Response(forPage, response);
}

function quietEarlyFetches() {
  const original = globalThis.fetch;
  const stdlib = globalThis.chainruleStdlib;
  delete globalThis.chainruleStdlib;
  globalThis.fetch = function fetch(resource, ...rest) {
    let url;
    try {
      url = new URL(String(resource instanceof Request ? resource.url : resource), INDEX_URL);
    } catch {
      url = null;
    }
    const download = () => {
      const response = original.call(this, resource, ...rest);
      return url ? response.then((answer) => staged(answer, url)) : response;
    };
    const response = stdlib && url?.pathname.endsWith('/python_stdlib.zip')
      ? stdlib.then((body) => new Response(body, { headers: { 'Content-Type': 'application/zip' } }),
        (error) => {
          console.warn('The standard library did not come through; downloading it as usual.', error);
          return download();
        })
      : download();
    response.catch(() => {});
    return response;
  };
  return () => { globalThis.fetch = original; };
}

// boot.js starts reading the snapshot before this module loads, in a worker
// (snapshot-worker.js): the service worker's decoded copy straight from its
// cache on later visits, the .xz download on a first visit; the worker
// unpacks it into the memory image Pyodide restores. Without boot.js, start
// that worker here.
function readSnapshot() {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('snapshot-worker.js', INDEX_URL));
    worker.onmessage = ({ data }) => {
      if ('finished' in data) worker.terminate();
      else if (data.error) reject(new Error(data.error));
      else if ('how' in data) resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      reject(new Error(event.message || 'the snapshot reader failed'));
    };
    worker.postMessage({
      snapshot: new URL('python.snapshot', INDEX_URL).href,
      sizes: { snapshot: globalThis.chainruleSizes?.snapshot ?? { wire: 0, sha256: SNAPSHOT_SHA256 } },
      boot: 'snapshot',
    });
  });
}

async function loadSnapshot() {
  const early = globalThis.chainruleSnapshot;
  delete globalThis.chainruleSnapshot;
  try {
    return await (early ?? readSnapshot());
  } catch (error) {
    throw new SnapshotError(error.message);
  }
}

// Every restore starts from the same memory image, so the random generator
// would repeat itself across visits unless reseeded from the browser's entropy.
// (No runPython here: compiling even one line costs the boot more than this.)
function reseed(pyodide) {
  const modules = pyodide.pyimport('sys').modules;
  const random = modules.get('random');
  random?.seed();
  random?.destroy();
  modules.destroy();
}

// Our package and PyScript's are bytecode in the standard-library zip, but
// PyScript's start-up code writes its package's source into Python's home (the
// working directory, sys.path[0]) and imports it: with the zip first, the
// import takes the bytecode and nothing is compiled. Either boot has the home
// ahead of the zip (the snapshot's sys.path holds it twice), so the zip moves
// to the front.
function bytecodeFirst(pyodide) {
  const sys = pyodide.pyimport('sys');
  const path = sys.path;
  const zip = path.findIndex((entry) => entry.endsWith('.zip'));
  if (zip > 0) path.unshift(...path.splice(zip, 1));
  path.destroy();
  sys.destroy();
}

async function bootFromSnapshot(watch, snapshot) {
  if (snapshot.memory.byteLength !== SNAPSHOT_BYTES) {
    throw new SnapshotError('the Python snapshot does not fit this build');
  }
  mark('snapshot-read');
  const pyodide = await Promise.race([
    loadPlainPyodide({ indexURL: INDEX_URL, _loadSnapshot: snapshot.memory }), watch.failed,
  ]);
  mark('python-restored');
  reseed(pyodide);
  recordBoot(snapshot.how);
  return pyodide;
}

// The worker decides between the snapshot and a normal boot (snapshot-worker.js):
// with the snapshot when the cache has it or the link is fast, else without.
async function startPython(watch) {
  if (SNAPSHOT_BYTES > 0) {
    try {
      const snapshot = await loadSnapshot();
      if (snapshot.memory) return await bootFromSnapshot(watch, snapshot);
    } catch (error) {
      if (error instanceof BootError) throw error;
      console.warn('Restoring the Python snapshot failed; booting normally.', error);
    }
  }
  const pyodide = await Promise.race([loadPlainPyodide({ indexURL: INDEX_URL }), watch.failed]);
  recordBoot('normal');
  return pyodide;
}

async function bootPython() {
  const watch = watchWasm();
  const restoreFetch = quietEarlyFetches();
  try {
    const pyodide = await startPython(watch);
    bytecodeFirst(pyodide);
    return pyodide;
  } catch (error) {
    announce('boot-failed', error instanceof BootError
      ? `Python could not start: ${error.message}. Check your connection and reload the page.`
      : `Python could not start: ${error.message}`);
    throw error;
  } finally {
    restoreFetch();
    watch.restore();
  }
}

// boot.js holds the boot's downloads until the renderer has arrived.
const booting = Promise.resolve(globalThis.chainruleDownloads).then(bootPython);
booting.catch(() => {});

// What PyScript calls. It passes the index URL (ours) and its output streams.
export async function loadPyodide({ indexURL, stdout, stderr, ...rest } = {}) {
  const unsupported = Object.keys(rest);
  if (unsupported.length) throw new Error(`pyodide-boot.mjs does not support ${unsupported.join(', ')}`);
  mark('pyscript-asks');
  const pyodide = await booting;
  if (stdout) pyodide.setStdout({ batched: stdout });
  if (stderr) pyodide.setStderr({ batched: stderr });
  return pyodide;
}
