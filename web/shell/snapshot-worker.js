// Downloads what Python's boot needs most and prepares it off the main thread:
// Pyodide's wasm (compiled as it arrives), its standard library and the Python
// snapshot. boot.js starts it first thing on the page; pyodide-boot.mjs if
// boot.js did not (then for the snapshot alone).
//
// Asked {link, wasm, stdlib, snapshot: URLs of the files, sizes,
// normalBootSecondsPerProbeMs, boot, packing, stage} (sizes: {wasm, stdlib, snapshot:
// {wire: bytes of the .xz, sha256 of the file}}, the link's speed as the page
// saw it (bytes per second; 0: time it on the wasm), the seconds a boot without the
// snapshot costs more than one with it per millisecond of cpuProbe(), 'snapshot'
// or 'normal' to force a boot, 'xz' or 'gzip' to force how the files come, and
// whether this page is one no service worker controls yet), it:
// - compiles the wasm and answers {module} or {wasmError};
// - answers {stdlib: the zip's bytes} or {stdlibError} (a page the service
//   worker controls reads its own copy: it is not asked for it);
// - answers {how, memory} (the buffer is transferred, not copied) or
//   {how: 'normal'} or {error}: the service worker's decoded copy of the
//   snapshot when the cache holds this build's ('cached snapshot'); else,
//   when the link is fast enough that downloading the snapshot costs less
//   than booting Python without it on this device, the download ('snapshot'); else no snapshot at all ('normal'), and the service
//   worker fetches it for the next visit once the page is idle; and says why,
//   {rule: {probeMs, mbps, snapshotSeconds, normalBootSeconds}};
// - reports {progress: [name, bytes on the wire so far, in all]} as it downloads,
//   and {finished} when it has nothing more to do.
// On a first visit each file comes as its .xz twin (web/build/xz.mjs), decoded
// here by pyodide/xz.js (gzipped on a fast link), and what arrived is handed to the service worker's
// staging cache, so that precaching it later downloads nothing twice, and so
// that a retry after a dropped connection downloads only what never arrived.
importScripts('xz.js');

const STAGED = 'chainrule-staged';

let staging = false;
// Staging goes on after the answers are sent: boot.js ends the worker only
// once it says {finished} (after its last put).
const stagings = [];
// The type a file is served with: the service worker keeps the staged copy as it is.
const TYPES = { wasm: 'application/wasm', zip: 'application/zip' };
const stage = (url, body) => {
  const headers = { 'Content-Type': TYPES[url.split('.').pop()] ?? 'application/octet-stream' };
  stagings.push(Promise.all([caches.open(STAGED), body])
    .then(([cache, bytes]) => cache.put(`${url}?staged`, new Response(bytes, { headers }))).catch(() => {}));
};

const hex = (buffer) => [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');

// What an earlier try of this first visit staged, if it is this build's file.
async function staged(url, sha256) {
  if (!staging || !sha256) return null;
  const found = await (await caches.open(STAGED)).match(`${url}?staged`);
  if (!found) return null;
  const body = await found.arrayBuffer();
  return hex(await crypto.subtle.digest('SHA-256', body)) === sha256 ? body : null;
}

// xz saves bytes on the wire and costs the time to decode them here, as they
// arrive. A boot without the snapshot (every link but the fastest) is quicker
// with xz even at 50 Mbps; the snapshot, chosen only on the fastest links, is
// quicker gzipped, which the browser decodes natively (docs/performance.md).
// The page's estimate of the link, from its first small files, is about half
// the link's speed, hence 30 Mbps of it (in bytes per second). A link the page
// could not time gets xz.
const XZ_BELOW_BYTES_PER_SECOND = 30e6 / 8;
let packing = 'xz';

// How many bytes `name` puts on the wire the way it is downloaded.
const onWire = (size) => (packing === 'xz' ? size.wire : size.gzip);

// `url`'s file, decoded as it arrives: its .xz twin (web/build/xz.mjs), or on a
// fast link the file as GitHub Pages gzips it (the snapshot as its .gz, which the
// server sends as it is). Its bytes on the wire are reported as they come (and
// to `onBytes`).
async function download(url, name, size, onBytes) {
  const file = packing === 'xz' ? `${url}.xz` : name === 'snapshot' ? `${url}.gz` : url;
  const response = await fetch(file);
  if (!response.ok) throw new Error(`${file.split('/').pop()}: HTTP ${response.status}`);
  // What fetch() reads of a file the server gzipped on the way is already decoded.
  const decodedByFetch = packing !== 'xz' && name !== 'snapshot';
  const wire = onWire(size);
  let received = 0;
  const counted = response.body.pipeThrough(new TransformStream({
    transform(chunk, controller) {
      received += chunk.byteLength;
      const sent = Math.min(wire, decodedByFetch ? Math.round(received * wire / size.bytes) : received);
      postMessage({ progress: [name, sent, wire] });
      onBytes?.(sent, wire);
      controller.enqueue(chunk);
    },
  }));
  if (packing === 'xz') return new XzReadableStream(counted);
  return decodedByFetch ? counted : counted.pipeThrough(new DecompressionStream('gzip'));
}

const arrived = (name, size) => postMessage({ progress: [name, onWire(size), onWire(size)] });

// The link's speed from the wasm as it arrives: bytes on the wire per second
// over the whole file (time to first byte left out), for when the page could not
// time the link itself.
function linkMeter() {
  let first = 0;
  let resolve;
  const measured = new Promise((done) => { resolve = done; });
  return {
    measured,
    failed: (bytesPerSecond = 0) => resolve(bytesPerSecond),
    onBytes(received, wire) {
      const now = performance.now();
      if (!first) {
        first = now;
        return;
      }
      if (received >= wire) resolve(received / Math.max((now - first) / 1000, 1e-3));
    },
  };
}

// How fast this device runs code just now: the milliseconds of a fixed piece of
// integer work (the median of three tries; a few ms on a laptop).
function cpuProbe() {
  const words = new Uint32Array(1 << 15);
  const times = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const start = performance.now();
    let x = 0x9e3779b9;
    for (let round = 0; round < 24; round++) {
      for (let i = 0; i < words.length; i++) {
        x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + words[i]) >>> 0;
        words[i] = x;
      }
    }
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[1];
}

const WASM_HEADERS = { 'Content-Type': 'application/wasm' };

async function compile({ wasm, sizes, stage: uncontrolled }, meter) {
  try {
    // A page the service worker controls compiles the cached file itself: the
    // browser keeps the compiled code for that URL, and there is no link to time.
    if (!uncontrolled) {
      meter.failed(Infinity);
      postMessage({ module: await WebAssembly.compileStreaming(fetch(wasm)) });
      return;
    }
    const kept = await staged(wasm, sizes.wasm.sha256);
    if (kept) {
      meter.failed(Infinity);
      arrived('wasm', sizes.wasm);
      postMessage({ module: await WebAssembly.compile(kept) });
      return;
    }
    const decoded = await download(wasm, 'wasm', sizes.wasm, meter.onBytes);
    const [forCompile, forCache] = decoded.tee();
    if (staging) stage(wasm, new Response(forCache).blob());
    else forCache.cancel();
    postMessage({ module: await WebAssembly.compileStreaming(new Response(forCompile, { headers: WASM_HEADERS })) });
  } catch (error) {
    meter.failed(0);
    postMessage({ wasmError: error.message });
  }
}

async function readStdlib({ stdlib, sizes }) {
  try {
    let body = await staged(stdlib, sizes.stdlib.sha256);
    if (body) {
      arrived('stdlib', sizes.stdlib);
    } else {
      body = await new Response(await download(stdlib, 'stdlib', sizes.stdlib)).arrayBuffer();
      if (staging) stage(stdlib, body.slice(0));
    }
    postMessage({ stdlib: body }, [body]);
  } catch (error) {
    postMessage({ stdlibError: error.message });
  }
}

async function cachedSnapshot({ snapshot, sizes }) {
  if (!globalThis.caches) return null;
  const found = await caches.match(snapshot);
  return found?.headers.get('X-Sha256') === sizes.snapshot.sha256 ? found : null;
}

async function read(data, meter) {
  const inCache = await cachedSnapshot(data);
  if (inCache) return { how: 'cached snapshot', sparse: await inCache.arrayBuffer() };
  const kept = await staged(data.snapshot, data.sizes.snapshot.sha256);
  if (kept) {
    arrived('snapshot', data.sizes.snapshot);
    return { how: 'snapshot', sparse: kept };
  }
  if (data.boot !== 'snapshot') {
    if (data.boot === 'normal') return { how: 'normal' };
    const probeMs = cpuProbe();
    const normalBootSeconds = probeMs * data.normalBootSecondsPerProbeMs;
    // The page's estimate of the link is low rather than high, and the choice is
    // made now: a snapshot chosen once the wasm has arrived would start its download
    // only then, when a boot without it is already under way. A link the page could
    // not time is timed on the wasm as it arrives.
    const bytesPerSecond = data.link || await meter.measured;
    const rule = {
      probeMs,
      mbps: bytesPerSecond * 8e-6,
      packing,
      snapshotSeconds: onWire(data.sizes.snapshot) / bytesPerSecond,
      normalBootSeconds,
    };
    postMessage({ rule });
    if (rule.snapshotSeconds > rule.normalBootSeconds) return { how: 'normal' };
  }
  postMessage({ progress: ['snapshot', 0, onWire(data.sizes.snapshot)] });
  const decoded = await download(data.snapshot, 'snapshot', data.sizes.snapshot);
  const sparse = await new Response(decoded).arrayBuffer();
  // A deploy between the page and this download would restore another build's Python.
  if (hex(await crypto.subtle.digest('SHA-256', sparse)) !== data.sizes.snapshot.sha256) {
    throw new Error('the Python snapshot is not this build\'s');
  }
  if (staging) stage(data.snapshot, sparse.slice(0));
  return { how: 'snapshot', sparse };
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
  staging = data.stage && Boolean(globalThis.caches);
  packing = data.packing ?? (data.link >= XZ_BELOW_BYTES_PER_SECOND ? 'gzip' : 'xz');
  const meter = linkMeter();
  await Promise.all([
    data.wasm && compile(data, meter),
    data.stdlib && data.stage && readStdlib(data),
    answer(data, meter),
  ]);
  await Promise.all(stagings);
  postMessage({ finished: true });
});
