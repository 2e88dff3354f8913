// Reads the Python snapshot and compiles Pyodide's wasm off the main thread.
// boot.js starts it first thing on the page; pyodide-boot.mjs if boot.js did not.
//
// Asked {cached, packed, wasm} (URLs), it compiles the wasm (from the browser's
// code cache when it has one) and answers {module} or {wasmError}; it reads the
// service worker's decompressed copy of the snapshot from Cache Storage if there
// is one, else downloads the gzipped file and inflates it, unpacks it into the
// memory image Pyodide restores and answers {how: 'cached snapshot' | 'snapshot',
// memory} (the buffer is transferred, not copied) or {error}.
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

// The snapshot is sparse (web/build/sparse.mjs), records of
// [u32 offset][u32 length][bytes], little-endian: a size record (offset
// 0xFFFFFFFE, length = the memory's size, no bytes), the memory's non-zero
// runs, an end record (offset 0xFFFFFFFF). The rest of the memory stays zero.
const SIZE_OFFSET = 0xfffffffe;
const END_OFFSET = 0xffffffff;

function unpack(sparse) {
  const fields = new DataView(sparse);
  const bytes = new Uint8Array(sparse);
  if (sparse.byteLength < 8 || fields.getUint32(0, true) !== SIZE_OFFSET) {
    throw new Error('the Python snapshot has no size record');
  }
  const memory = new Uint8Array(fields.getUint32(4, true));
  for (let at = 8; at + 8 <= sparse.byteLength;) {
    const offset = fields.getUint32(at, true);
    const length = fields.getUint32(at + 4, true);
    at += 8;
    if (offset === END_OFFSET) return memory.buffer;
    if (offset + length > memory.length || at + length > sparse.byteLength) break;
    memory.set(bytes.subarray(at, at + length), offset);
    at += length;
  }
  throw new Error('the Python snapshot is truncated');
}

addEventListener('message', async ({ data }) => {
  if (data.wasm) compile(data.wasm);
  try {
    const { how, sparse } = await read(data);
    const memory = unpack(sparse);
    postMessage({ how, memory }, [memory]);
  } catch (error) {
    postMessage({ error: error.message });
  }
});
