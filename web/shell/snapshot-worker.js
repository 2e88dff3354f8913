// Reads the Python snapshot off the main thread and hands back Pyodide's whole
// memory image, ready to restore (the buffer is transferred, not copied).
// boot.js starts it first thing on the page; pyodide-boot.mjs if boot.js did not.
//
// Asked {cached, packed} (URLs), it reads the service worker's decompressed
// copy from Cache Storage if there is one, else downloads the gzipped file,
// and answers {how: 'cached snapshot' | 'snapshot', memory} or {error}.
//
// The snapshot is sparse (web/build/sparse.mjs), records of
// [u32 offset][u32 length][bytes], little-endian: first a size record
// (offset 0xFFFFFFFE, length = the memory's size, no bytes), then the memory's
// non-zero runs, then an end record (offset 0xFFFFFFFF). Everything else stays
// zero in the freshly allocated memory.
const SIZE_OFFSET = 0xfffffffe;
const END_OFFSET = 0xffffffff;

async function unpack(reader) {
  const header = new Uint8Array(8);
  const fields = new DataView(header.buffer);
  let memory = null;
  let headerBytes = 0;
  let offset = 0;
  let remaining = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    const bytes = chunk.value;
    let at = 0;
    while (at < bytes.length) {
      if (remaining > 0) {
        const take = Math.min(remaining, bytes.length - at);
        memory.set(bytes.subarray(at, at + take), offset);
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
      if (offset === END_OFFSET && memory) return memory;
      if (offset === SIZE_OFFSET && !memory) {
        memory = new Uint8Array(remaining);
        remaining = 0;
        continue;
      }
      if (!memory || offset + remaining > memory.length) throw new Error('the Python snapshot is malformed');
    }
  }
  throw new Error('the Python snapshot is truncated');
}

async function read({ cached, packed }) {
  const inCache = cached && globalThis.caches ? await caches.match(cached) : undefined;
  if (inCache) return { how: 'cached snapshot', memory: await unpack(inCache.body.getReader()) };
  const response = await fetch(packed);
  if (!response.ok) throw new Error(`no Python snapshot (HTTP ${response.status})`);
  const stream = response.body.pipeThrough(new DecompressionStream('gzip'));
  return { how: 'snapshot', memory: await unpack(stream.getReader()) };
}

// Asked {wasm} (a URL) as well, it compiles Pyodide's wasm here too (from the
// browser's code cache when it has one) and answers {module} or {wasmError}
// first: the main thread then only instantiates it.
async function compile(url) {
  try {
    postMessage({ module: await WebAssembly.compileStreaming(fetch(url)) });
  } catch (error) {
    postMessage({ wasmError: error.message });
  }
}

addEventListener('message', async ({ data }) => {
  if (data.wasm) compile(data.wasm);
  try {
    const { how, memory } = await read(data);
    postMessage({ how, memory }, [memory.buffer]);
  } catch (error) {
    postMessage({ error: error.message });
  }
});
