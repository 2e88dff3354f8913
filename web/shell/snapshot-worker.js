// Downloads and compiles Pyodide's wasm and reads the Python snapshot off the
// main thread. boot.js starts it first thing on the page; pyodide-boot.mjs if
// boot.js did not.
//
// Asked {wasm, cached, packed, snapshotSha, sizes, normalBootSeconds, boot, stage}
// (URLs, the snapshot's hash, {wasm, snapshot: [bytes, bytes on the wire]},
// the seconds a boot without the snapshot costs more than one with it, and
// 'snapshot' or 'normal' to force a boot), it:
// - compiles the wasm as it downloads (from the browser's code cache when it
//   has one) and answers {module} or {wasmError};
// - answers {how, memory} (the buffer is transferred, not copied) or
//   {how: 'normal'} or {error}: the service worker's decompressed copy of the
//   snapshot when the cache holds this build's ('cached snapshot'); else,
//   when the link is fast enough that downloading the snapshot costs less
//   than booting Python without it (measured on the wasm as it arrives), the
//   gzipped file ('snapshot'); else no snapshot at all ('normal'), and the
//   service worker fetches it for the next visit once the page is idle;
// - reports {progress: [name, bytes on the wire so far, in all]} as it downloads,
//   and {finished} when it has nothing more to do;
// - when `stage` (a page no service worker controls yet), hands what it
//   downloaded to the service worker's staging cache, so that precaching it
//   later downloads nothing twice.
const STAGED = 'chainrule-staged';

let uncontrolled = false;
let staging = false;
// Staging goes on after the answers are sent: boot.js ends the worker only
// once it says {finished} (after its last put).
const stagings = [];
const stage = (url, response) => {
  stagings.push(caches.open(STAGED).then((cache) => cache.put(`${url}?staged`, response)).catch(() => {}));
};

// What an earlier try of this first visit staged, if it is this build's file
// (a retry after a dropped connection downloads only what never arrived).
async function staged(url, sha256) {
  if (!staging || !sha256) return null;
  const found = await (await caches.open(STAGED)).match(`${url}?staged`);
  if (!found) return null;
  const body = await found.arrayBuffer();
  const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', body))]
    .map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return hash === sha256 ? body : null;
}

// A response whose body reports its progress as it is read (scaled from the
// decoded bytes to the bytes on the wire: the server may compress it on the way).
function counted(response, name, decodedSize, wireSize, onBytes) {
  let decoded = 0;
  const body = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      decoded += chunk.byteLength;
      const wire = Math.min(wireSize, Math.round(decoded * (wireSize / decodedSize)));
      postMessage({ progress: [name, wire, wireSize] });
      onBytes?.(wire);
      controller.enqueue(chunk);
    },
  }));
  return new Response(body, { status: response.status, headers: response.headers });
}

// The link's speed, from the wasm as it arrives: bytes on the wire per second
// over the whole file (time to first byte left out). Waiting for all of it
// delays nothing on a link that bounds the boot: the snapshot, if chosen,
// follows the wasm on the same link.
function linkMeter() {
  let first = 0;
  let resolve;
  const measured = new Promise((done) => { resolve = done; });
  return {
    measured,
    failed: (bytesPerSecond = 0) => resolve(bytesPerSecond),
    onBytes(wire, wireSize) {
      const now = performance.now();
      if (!first) {
        first = now;
        return;
      }
      if (wire === wireSize) resolve(wire / Math.max((now - first) / 1000, 1e-3));
    },
  };
}

async function compile({ wasm, sizes }, meter) {
  try {
    const kept = await staged(wasm, sizes.wasm[2]);
    if (kept) {
      meter.failed(Infinity);
      postMessage({ progress: ['wasm', sizes.wasm[1], sizes.wasm[1]] });
      postMessage({ module: await WebAssembly.compile(kept) });
      return;
    }
    const response = await fetch(wasm);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // A page the service worker controls compiles the response itself: the
    // browser keeps the compiled code for that URL (a rebuilt response has none),
    // and has no download to count.
    if (!uncontrolled) {
      meter.failed(Infinity);
      postMessage({ module: await WebAssembly.compileStreaming(response) });
      return;
    }
    // Counted on a branch of its own: the compiler reads only as fast as it
    // compiles, and the link's speed is what the boot's choice needs.
    const headers = { 'Content-Type': 'application/wasm' };
    const [forCompile, forCount] = response.body.tee();
    const [whole, wire] = sizes.wasm;
    const arriving = counted(new Response(forCount, { headers }), 'wasm', whole, wire,
      (received) => meter.onBytes(received, wire));
    if (staging) stage(wasm, arriving);
    else arriving.body.pipeTo(new WritableStream()).catch(() => {});
    postMessage({ module: await WebAssembly.compileStreaming(new Response(forCompile, { headers })) });
  } catch (error) {
    meter.failed(0);
    postMessage({ wasmError: error.message });
  }
}

async function cachedSnapshot({ cached, snapshotSha }) {
  if (!cached || !globalThis.caches) return null;
  const found = await caches.match(cached);
  return found?.headers.get('X-Sha256') === snapshotSha ? found : null;
}

async function download({ packed, cached, sizes }) {
  const response = await fetch(packed);
  if (!response.ok) throw new Error(`no Python snapshot (HTTP ${response.status})`);
  const body = counted(response, 'snapshot', ...sizes.snapshot);
  const sparse = await new Response(body.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer();
  if (staging) stage(cached, new Response(sparse.slice(0)));
  return sparse;
}

async function read(data, meter) {
  const inCache = await cachedSnapshot(data);
  if (inCache) return { how: 'cached snapshot', sparse: await inCache.arrayBuffer() };
  const kept = await staged(data.cached, data.snapshotSha);
  if (kept) return { how: 'snapshot', sparse: kept };
  if (data.boot !== 'snapshot') {
    if (data.boot === 'normal') return { how: 'normal' };
    const bytesPerSecond = await meter.measured;
    if (data.sizes.snapshot[1] / bytesPerSecond > data.normalBootSeconds) return { how: 'normal' };
  }
  return { how: 'snapshot', sparse: await download(data) };
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

async function answer(data, meter) {
  try {
    const { how, sparse } = await read(data, meter);
    if (!sparse) {
      postMessage({ how });
      return;
    }
    const memory = unpack(sparse);
    postMessage({ how, memory }, [memory]);
  } catch (error) {
    postMessage({ error: error.message });
  }
}

addEventListener('message', async ({ data }) => {
  uncontrolled = data.stage;
  staging = uncontrolled && Boolean(globalThis.caches);
  const meter = linkMeter();
  await Promise.all([data.wasm && compile(data, meter), answer(data, meter)]);
  await Promise.all(stagings);
  postMessage({ finished: true });
});
