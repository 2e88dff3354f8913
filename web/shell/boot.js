// Runs before anything else on the page: shows which stage the Python boot is
// in, turns any boot failure (or a boot that never finishes) into
// <html data-state="error"> with a message, and registers the service worker
// once Python is ready so precaching never competes with the first boot.
// Boot events can arrive before the body is parsed, so what they change is
// kept on <html> and drawn into the page whenever the elements exist.
(() => {
  const root = document.documentElement;

  // The Python snapshot is the boot's biggest read: start it before any module
  // has loaded, in a worker (pyodide/snapshot-worker.js), so that it never waits
  // for the busy main thread. A first visit downloads the gzipped file; later
  // visits read the service worker's decompressed copy straight from its cache.
  // pyodide-boot.mjs takes the snapshot from here (and starts the worker
  // itself if this is missing).
  // The worker compiles Pyodide's wasm as well (globalThis.chainruleWasm).
  {
    const inPyodide = (name) => new URL(`pyodide/${name}`, document.baseURI).href;
    const worker = new Worker(inPyodide('snapshot-worker.js'));
    let snapshot, wasm;
    globalThis.chainruleSnapshot = new Promise((resolve, reject) => { snapshot = { resolve, reject }; });
    globalThis.chainruleWasm = new Promise((resolve, reject) => { wasm = { resolve, reject }; });
    let pending = 2;
    const settle = (promise, error, value) => {
      if (error) promise.reject(new Error(error));
      else promise.resolve(value);
      if (--pending === 0) worker.terminate();
    };
    worker.onmessage = ({ data }) => {
      if ('module' in data || 'wasmError' in data) settle(wasm, data.wasmError, data.module);
      else settle(snapshot, data.error, data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      snapshot.reject(new Error(event.message || 'the snapshot reader failed'));
      wasm.reject(new Error(event.message || 'the snapshot reader failed'));
    };
    worker.postMessage({
      cached: navigator.serviceWorker?.controller ? inPyodide('python.snapshot') : null,
      packed: inPyodide('python.snapshot.gz'),
      wasm: inPyodide('pyodide.asm.wasm'),
    });
    globalThis.chainruleSnapshot.catch(() => {});
    globalThis.chainruleWasm.catch(() => {});
  }

  const STAGES = {
    download: 'Downloading Python…',
    start: 'Starting Python…',
    ready: 'Ready',
  };
  // Generous limits: only a boot that is stuck, not one that is slow, should fail.
  const STAGE_LIMIT_MS = { download: 180000, start: 45000 };
  let watchdog = 0;
  let errorMessage = '';

  const element = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const loading = () => root.dataset.state === 'loading';

  function draw() {
    const label = element('boot-stage');
    if (label) label.textContent = STAGES[root.dataset.bootStage];
    const box = element('boot-error');
    if (box && errorMessage) {
      box.textContent = errorMessage;
      box.hidden = false;
    }
  }

  function fail(message) {
    if (!loading()) return;
    clearTimeout(watchdog);
    errorMessage = message;
    root.dataset.state = 'error';
    draw();
  }

  function enter(stage) {
    if (!loading()) return;
    root.dataset.bootStage = stage;
    draw();
    clearTimeout(watchdog);
    watchdog = setTimeout(
      () => fail(stage === 'download'
        ? 'Python is taking too long to download. Check your connection and reload the page.'
        : 'Python did not finish starting. Reload the page to try again.'),
      STAGE_LIMIT_MS[stage],
    );
  }

  function ready() {
    clearTimeout(watchdog);
    root.dataset.bootStage = 'ready';
    draw();
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.register('sw.js').catch((error) => {
        console.warn('Offline support is unavailable:', error);
      });
    }
  }

  // PyScript watches the whole document for new Python script tags and py-* event
  // attributes added later, with an XPath query over every added element. The canvas
  // never holds either, and adds thousands of elements per graph: watching them cost a
  // 2,000-node graph 0.35 s. PyScript's observer (known by where it is created) is
  // shown every change except the canvas's.
  {
    const Native = globalThis.MutationObserver;
    const inCanvas = (node) => node.closest?.('[data-testid="canvas"]')
      ?? node.parentElement?.closest('[data-testid="canvas"]');
    globalThis.MutationObserver = class extends Native {
      constructor(callback) {
        if (!new Error().stack?.includes('/pyscript/')) {
          super(callback);
          return;
        }
        super((records, observer) => {
          const outside = records.filter((record) => !inCanvas(record.target));
          if (outside.length) callback(outside, observer);
        });
      }
    };
  }

  addEventListener('chainrule:boot-stage', (event) => enter(event.detail));
  addEventListener('chainrule:boot-failed', (event) => fail(event.detail));
  addEventListener('error', (event) => {
    fail(`The page failed while starting Python: ${event.message}`);
  });
  addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    fail(`The page failed while starting Python: ${reason?.message ?? reason}`);
  });
  new MutationObserver(() => {
    if (root.dataset.state === 'ready') ready();
  }).observe(root, { attributes: true, attributeFilter: ['data-state'] });
  document.addEventListener('DOMContentLoaded', draw);

  enter('download');
})();
