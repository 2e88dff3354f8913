// The snapshot is Pyodide's whole wasm memory (30 MiB), about half of it zero
// pages. We ship only the non-zero runs, into a buffer that starts zeroed:
// half the bytes to inflate on a first visit and to read on later ones.
//
// Format (little-endian): records of [u32 offset][u32 length][length bytes],
// starting with the size record [0xFFFFFFFE][memory size] (no bytes), so the
// reader can allocate the memory before the first run arrives, and ending with
// the record [0xFFFFFFFF][0]. web/shell/pyodide-boot.mjs unpacks it.
const PAGE = 4096;
export const SIZE_OFFSET = 0xfffffffe;
export const END_OFFSET = 0xffffffff;

function record(offset, bytes) {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(offset, 0);
  header.writeUInt32LE(bytes.length, 4);
  return [header, bytes];
}

export function toSparse(memory) {
  const parts = [...record(SIZE_OFFSET, Buffer.alloc(0))];
  parts[0].writeUInt32LE(memory.length, 4);
  let runStart = -1;
  const isZero = (start) => memory.subarray(start, start + PAGE).every((byte) => byte === 0);
  for (let start = 0; start <= memory.length; start += PAGE) {
    const zero = start === memory.length || isZero(start);
    if (!zero && runStart < 0) runStart = start;
    if (zero && runStart >= 0) {
      parts.push(...record(runStart, memory.subarray(runStart, Math.min(start, memory.length))));
      runStart = -1;
    }
  }
  parts.push(...record(END_OFFSET, Buffer.alloc(0)));
  return Buffer.concat(parts);
}
