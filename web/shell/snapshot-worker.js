// Reads the Python snapshot and compiles Pyodide's wasm off the main thread.
// boot.js starts it first thing on the page; pyodide-boot.mjs if boot.js did not.
//
// Asked {cached, packed, wasm} (URLs), it compiles the wasm (from the browser's
// code cache when it has one) and answers {module} or {wasmError}; it reads the
// service worker's decompressed copy of the snapshot from Cache Storage if there
// is one, else downloads the gzipped file and inflates it, and answers
// {how: 'cached snapshot' | 'snapshot', sparse} (the buffer is transferred, not
// copied) or {error}. pyodide-boot.mjs unpacks the sparse image (web/build/sparse.mjs).
async function compile(url) {
  try {
    postMessage({ module: await WebAssembly.compileStreaming(fetch(url)) });
  } catch (error) {
    postMessage({ wasmError: error.message });
  }
}

async function read({ cached, packed }) {
  const inCache = cached && globalThis.caches ? await caches.match(cached) : undefined;
  if (inCache) return { how: 'cached snapshot', sparse: await inCache.arrayBuffer() };
  const response = await fetch(packed);
  if (!response.ok) throw new Error(`no Python snapshot (HTTP ${response.status})`);
  const inflated = new Response(response.body.pipeThrough(new DecompressionStream('gzip')));
  return { how: 'snapshot', sparse: await inflated.arrayBuffer() };
}

addEventListener('message', async ({ data }) => {
  if (data.wasm) compile(data.wasm);
  try {
    const { how, sparse } = await read(data);
    postMessage({ how, sparse }, [sparse]);
  } catch (error) {
    postMessage({ error: error.message });
  }
});
