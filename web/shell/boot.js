// Runs before anything else on the page: shows which stage the Python boot is
// in, turns any boot failure (or a boot that never finishes) into
// <html data-state="error"> with a message, and registers the service worker
// once Python is ready so precaching never competes with the first boot.
// Boot events can arrive before the body is parsed, so what they change is
// kept on <html> and drawn into the page whenever the elements exist.
(() => {
  const root = document.documentElement;

  // What the boot downloads, {wasm, stdlib, snapshot: {wire: bytes on the wire,
  // sha256: of the file}}: filled in by the build (web/build.mjs).
  const SIZES = __BOOT_SIZES__;
  globalThis.chainruleSizes = SIZES;
  // How many seconds more a boot without the snapshot takes than one with it, per
  // millisecond that the snapshot worker's CPU probe takes (docs/performance.md):
  // how fast the device is, and how busy, scales Python's start-up and the probe
  // alike. On a first visit the snapshot is downloaded only when the link brings
  // it in less time than a boot without it would cost.
  const NORMAL_BOOT_SECONDS_PER_PROBE_MS = 0.03;
  // ?boot=snapshot or ?boot=normal forces a first visit's choice, ?packing=xz or
  // ?packing=gzip how its files come (for tests and benchmarks).
  const forced = new URLSearchParams(location.search).get('boot');
  const packing = new URLSearchParams(location.search).get('packing');

  // The first Step before Python (first-steps.js) needs the renderer alone. On a
  // first visit the boot's downloads wait until it and its stylesheet have arrived
  // (the load events of preloads of them, which the page's own tags share), so that
  // on a slow link they do not share the link with it; the link is just as busy
  // either way, so Python is not later for it. A page the service worker serves
  // has nothing to wait for, and a renderer that never arrives holds nothing up for long.
  const RENDERER_WAIT_MS = 4000;
  const inSite = (file) => new URL(file, document.baseURI).href;
  const add = (tag, properties) => document.head.append(Object.assign(document.createElement(tag), properties));
  globalThis.chainruleDownloads = new Promise((resolve) => {
    if (navigator.serviceWorker?.controller) {
      resolve();
      return;
    }
    let waiting = 2;
    const arrived = () => {
      waiting -= 1;
      if (!waiting) resolve();
    };
    add('link', { rel: 'modulepreload', href: inSite('renderer/renderer.js'), onload: arrived, onerror: resolve });
    add('link', { rel: 'preload', as: 'style', href: inSite('renderer/renderer.css'), onload: arrived, onerror: resolve });
    setTimeout(resolve, RENDERER_WAIT_MS);
  });
  // Then the rest of the boot starts at once: our boot module, which starts Python
  // (pyodide-boot.mjs; PyScript's config points at the same module), PyScript, and
  // the files they ask for, preloaded so none waits for the one before it
  // (`crossorigin` makes a preload match Pyodide's fetch(), so nothing downloads twice).
  globalThis.chainruleDownloads.then(() => {
    performance.mark('chainrule:downloads');
    for (const file of ['pyodide/pyodide.mjs', 'pyodide/pyodide.asm.mjs', 'renderer/layout.js']) {
      add('link', { rel: 'modulepreload', href: inSite(file) });
    }
    // (The standard library comes from the worker below on a first visit.)
    add('link', { rel: 'preload', as: 'fetch', crossOrigin: 'anonymous', href: inSite('pyodide/pyodide-lock.json') });
    add('script', { type: 'module', src: inSite('pyodide/pyodide-boot.mjs') });
    // PyScript reads its config (which names our boot module) from the page's Python
    // script element when its module runs; run before the page is parsed, as a cached
    // page's can be, it would find none and fetch Pyodide from its CDN. So it
    // downloads now and runs once the page is parsed.
    add('link', { rel: 'modulepreload', href: inSite('pyscript/core.js') });
    const startPyScript = () => add('script', { type: 'module', src: inSite('pyscript/core.js') });
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', startPyScript, { once: true });
    else startPyScript();
  });

  // The link's speed as the page came over it until the renderer had arrived: the
  // bytes of everything that came from the network by then, over the time bytes were
  // arriving (first to last byte of each, overlaps counted once), in bytes per second;
  // 0 when the renderer came from a cache. The boot's choice needs it before the wasm
  // has arrived, so that the snapshot, when chosen, downloads beside the wasm.
  function linkSpeed() {
    const renderer = performance.getEntriesByName(inSite('renderer/renderer.js'))[0];
    if (!renderer?.transferSize) return 0;
    const arrived = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .filter((entry) => entry.transferSize > 0 && entry.responseStart > 0 && entry.responseEnd <= renderer.responseEnd)
      .sort((a, b) => a.responseStart - b.responseStart);
    let busy = 0;
    let until = 0;
    for (const { responseStart, responseEnd } of arrived) {
      busy += Math.max(0, responseEnd - Math.max(responseStart, until));
      until = Math.max(until, responseEnd);
    }
    const bytes = arrived.reduce((sum, entry) => sum + entry.encodedBodySize, 0);
    return busy > 0 ? bytes / (busy / 1000) : 0;
  }

  // The wasm, the standard library and the Python snapshot are the boot's
  // biggest reads: start them before any module has loaded (once the renderer
  // is in), in a worker (pyodide/snapshot-worker.js), so that they never wait
  // for the busy main thread. The worker compiles the wasm
  // (globalThis.chainruleWasm), hands over the standard library on a first
  // visit (globalThis.chainruleStdlib) and decides whether Python starts from
  // the snapshot: the service worker's copy when it has this build's, a
  // download when the link is fast, else none (globalThis.chainruleSnapshot
  // resolves {how: 'normal'}). pyodide-boot.mjs takes them from here (and
  // starts the worker itself, for the snapshot, if this is missing).
  {
    const inPyodide = (name) => new URL(`pyodide/${name}`, document.baseURI).href;
    const worker = new Worker(inPyodide('snapshot-worker.js'));
    const first = !navigator.serviceWorker?.controller;
    const answers = {};
    for (const name of ['snapshot', 'wasm', 'stdlib']) {
      globalThis[`chainrule${name[0].toUpperCase()}${name.slice(1)}`] = new Promise((resolve, reject) => {
        answers[name] = { resolve, reject };
      });
    }
    if (!first) delete globalThis.chainruleStdlib; // the service worker's copy is read as usual
    const settle = (name, error, value) => {
      if (error) answers[name].reject(new Error(error));
      else answers[name].resolve(value);
    };
    worker.onmessage = ({ data }) => {
      if ('finished' in data) worker.terminate();
      else if ('progress' in data) dispatchEvent(new CustomEvent('chainrule:boot-progress', { detail: data.progress }));
      else if ('module' in data || 'wasmError' in data) settle('wasm', data.wasmError, data.module);
      else if ('stdlib' in data || 'stdlibError' in data) settle('stdlib', data.stdlibError, data.stdlib);
      else if ('rule' in data) performance.mark('chainrule:boot-rule', { detail: data.rule });
      else settle('snapshot', data.error, data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      for (const answer of Object.values(answers)) answer.reject(new Error(event.message || 'the snapshot reader failed'));
    };
    globalThis.chainruleDownloads.then(() => worker.postMessage({
      link: linkSpeed(),
      wasm: inPyodide('pyodide.asm.wasm'),
      stdlib: inPyodide('python_stdlib.zip'),
      snapshot: inPyodide('python.snapshot'),
      sizes: SIZES,
      normalBootSecondsPerProbeMs: NORMAL_BOOT_SECONDS_PER_PROBE_MS,
      boot: forced,
      packing,
      stage: first,
    }));
    for (const name of ['Snapshot', 'Wasm', 'Stdlib']) globalThis[`chainrule${name}`]?.catch(() => {});
  }

  const STAGES = {
    download: 'Downloading Python…',
    start: 'Starting Python…',
    ready: 'Ready',
    error: 'Python could not start',
  };
  // Generous limits: only a boot that is stuck, not one that is slow, should fail.
  const STAGE_LIMIT_MS = { download: 180000, start: 45000 };
  let watchdog = 0;
  let errorMessage = '';
  // Bytes on the wire received and needed, per file: the wasm and the standard
  // library always, the snapshot once the worker decided to download it.
  const downloads = { wasm: [0, SIZES.wasm.wire], stdlib: [0, SIZES.stdlib.wire] };
  const megabytes = (bytes) => (bytes / 1e6).toFixed(1);
  function stageText() {
    const stage = root.dataset.bootStage;
    if (stage !== 'download') return STAGES[stage];
    const files = Object.values(downloads);
    const received = files.reduce((sum, [got]) => sum + got, 0);
    const needed = files.reduce((sum, [, all]) => sum + all, 0);
    return `${STAGES.download} ${megabytes(received)} of ${megabytes(needed)} MB`;
  }

  const element = (testid) => document.querySelector(`[data-testid="${testid}"]`);
  const loading = () => root.dataset.state === 'loading';

  // Controls that wait for Python say so while it starts (and why they stay
  // disabled if it cannot); their own titles come back once it is ready. The
  // step controls wait only when the build's recorded steps do not replay
  // (first-steps.js sets <html data-steps="replayed"> when they do).
  const WAITING = { loading: 'Python is starting…', error: 'Python could not start' };
  globalThis.chainruleWaiting = () => WAITING[root.dataset.state];
  const STEP_BUTTONS = '[data-testid="controls"] button';
  const TANGENT = '[data-testid="tangent-input"]';
  function explainDisabled() {
    const why = WAITING[root.dataset.state];
    const replayed = root.dataset.steps === 'replayed';
    for (const control of document.querySelectorAll(`[data-needs-python], ${STEP_BUTTONS}, ${TANGENT}`)) {
      const waits = !replayed || control.matches(`[data-needs-python], ${TANGENT}`);
      if (why && waits && control.disabled) {
        control.dataset.ownTitle ??= control.title;
        control.title = why;
      } else if (control.dataset.ownTitle !== undefined) {
        control.title = control.dataset.ownTitle;
        delete control.dataset.ownTitle;
      }
    }
  }

  function draw() {
    explainDisabled();
    const label = element('boot-stage');
    if (label) label.textContent = stageText();
    const box = element('boot-error');
    if (box && errorMessage && box.hidden) {
      // A reload finishes the boot: what already arrived whole comes from the
      // staging cache (snapshot-worker.js, pyodide-boot.mjs) or the HTTP cache.
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.dataset.testid = 'retry';
      retry.textContent = 'Retry';
      retry.addEventListener('click', () => location.reload());
      box.replaceChildren(`${errorMessage} `, retry);
      box.hidden = false;
    }
    if (root.dataset.state === 'error') {
      // The rest of the page agrees: nothing to edit or tune without Python.
      const editor = element('expression');
      if (editor) editor.readOnly = true;
      const inputs = document.querySelector('.inputs__empty');
      if (inputs) inputs.textContent = 'Inputs cannot be tuned: Python could not start.';
    }
  }

  function fail(message) {
    if (!loading()) return;
    clearTimeout(watchdog);
    errorMessage = message;
    root.dataset.state = 'error';
    root.dataset.bootStage = 'error';
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

  // Once the page is ready and idle, the service worker caches this build for
  // offline use and the next visit: what the boot downloaded comes from the
  // staging cache, the rest (the snapshot after a normal boot) is downloaded
  // at low priority.
  async function cacheForLater() {
    try {
      await navigator.serviceWorker.register('sw.js');
      const registration = await navigator.serviceWorker.ready;
      registration.active.postMessage({ type: 'precache' });
    } catch (error) {
      console.warn('Offline support is unavailable:', error);
    }
  }

  function ready() {
    clearTimeout(watchdog);
    root.dataset.bootStage = 'ready';
    draw();
    if ('serviceWorker' in navigator) {
      const idle = globalThis.requestIdleCallback ?? ((callback) => setTimeout(callback, 1));
      idle(cacheForLater, { timeout: 2000 });
    }
  }

  // PyScript watches the whole document for new Python script tags and py-* event
  // attributes added later, with an XPath query over every added element. The canvas
  // never holds either, and adds thousands of elements per graph: watching them cost a
  // 2,000-node graph 0.35 s. PyScript has no option for it, so its observer (known by
  // where it is created) is shown every change except the canvas's. Should PyScript make
  // it elsewhere, tests/browser/test_graph_view.py's
  // test_pyscripts_document_observer_never_searches_the_canvas fails.
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
  addEventListener('chainrule:controls', explainDisabled);
  addEventListener('chainrule:boot-progress', ({ detail: [name, received, needed] }) => {
    downloads[name] = [received, needed];
    if (root.dataset.bootStage === 'download') draw();
  });
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
