// `node build.mjs [outdir]`: builds the static site (default: ../site).
// Everything is written to a scratch folder first and swapped in at the end,
// so a failed build never leaves a half-built site behind.
import { cp, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { bundleRenderer } from './build/bundle.mjs';
import { ROOT, SHELL, PY_PACKAGE } from './build/paths.mjs';
import { buildPage } from './build/page.mjs';
import { copyPythonPackage, pyscriptConfig } from './build/python-sources.mjs';
import { copyLessons } from './build/lessons.mjs';
import { writeServiceWorker } from './build/service-worker.mjs';
import { makeSnapshot } from './build/snapshot.mjs';
import { trimStdlib } from './build/stdlib.mjs';
import { copyPyodide, copyPyScript } from './build/vendor.mjs';
import { unxz, writeDecoder, xz, xzBeside } from './build/xz.mjs';
import { inlineFirstGraph } from './tools/prerender.mjs';

const site = path.resolve(process.argv[2] ?? path.join(ROOT, 'site'));
const scratch = `${site}.partial`;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const step = async (label, work) => {
  const started = performance.now();
  const result = await work();
  console.log(`  ${label.padEnd(18)} ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return result;
};

await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });
const inSite = (...parts) => path.join(scratch, ...parts);

console.log(`building ${path.relative(process.cwd(), site) || '.'}`);
await step('renderer bundle', () => bundleRenderer(inSite('renderer')));
await step('pyodide + pyscript', async () => {
  await copyPyodide(inSite('pyodide'));
  await copyPyScript(inSite('pyscript'));
});
const modules = await step('page + python', async () => {
  for (const name of ['shell.css', 'manifest.webmanifest', 'icons']) {
    await cp(path.join(SHELL, name), inSite(name), { recursive: true });
  }
  const modules = await copyPythonPackage(inSite('py', 'chainrule'));
  await copyLessons(inSite('lessons'));
  const config = pyscriptConfig(modules);
  await writeFile(inSite('pyscript.json'), `${JSON.stringify(config, null, 2)}\n`);
  const page = await readFile(path.join(ROOT, 'index.html'), 'utf8');
  await writeFile(inSite('index.html'), await buildPage(page, SHELL));
  return modules;
});
await step('first graph', () => inlineFirstGraph(inSite('index.html')));
await step('standard library', async () => {
  const page = await readFile(inSite('index.html'), 'utf8');
  const { kept, before, after } = await trimStdlib(inSite('pyodide'), PY_PACKAGE, modules, page);
  console.log(`    ${kept.length} modules kept, ${(before / 1e6).toFixed(2)} MB -> ${(after / 1e6).toFixed(2)} MB`);
});
await step('python snapshot', async () => {
  const { sparse, bytes } = await makeSnapshot(inSite('pyodide'));
  await writeFile(inSite('pyodide', 'python.snapshot.xz'), await xz(sparse));
  // The boot module tells this build's snapshot from another's by its size and hash.
  const snapshotSha256 = sha256(sparse);
  const boot = await readFile(path.join(SHELL, 'pyodide-boot.mjs'), 'utf8');
  await writeFile(inSite('pyodide', 'pyodide-boot.mjs'), boot
    .replace('__SNAPSHOT_BYTES__', String(bytes))
    .replace('__SNAPSHOT_SHA256__', snapshotSha256));
});
await step('xz', async () => {
  await writeDecoder(inSite('pyodide', 'xz.js'));
  // What a first visit downloads of each, and the hash of what it decodes to: a retry
  // takes a file that arrived whole from the staging cache, and the loader's progress
  // counts the bytes on the wire: `wire` of the .xz twin, `gzip` of the file as GitHub
  // Pages gzips it (the snapshot has a .gz twin, sent as it is), which fast links get.
  const sizes = {};
  for (const [name, file] of [['wasm', 'pyodide.asm.wasm'], ['stdlib', 'python_stdlib.zip'],
    ['snapshot', 'python.snapshot']]) {
    const plain = inSite('pyodide', file);
    if (name !== 'snapshot') await xzBeside(plain);
    const content = name === 'snapshot' ? await unxz(`${plain}.xz`) : await readFile(plain);
    const gzipped = await promisify(gzip)(content, { level: name === 'snapshot' ? 9 : 6 });
    if (name === 'snapshot') await writeFile(`${plain}.gz`, gzipped);
    sizes[name] = { wire: (await stat(`${plain}.xz`)).size, gzip: gzipped.length,
      bytes: content.length, sha256: sha256(content) };
  }
  console.log(`    ${Object.entries(sizes).map(([name, { wire, gzip: gz }]) => `${name} ${(wire / 1e6).toFixed(2)} MB (gzip ${(gz / 1e6).toFixed(2)})`).join(', ')}`);
  const page = await readFile(inSite('index.html'), 'utf8');
  await writeFile(inSite('index.html'), page.replace('__BOOT_SIZES__', () => JSON.stringify(sizes)));
});
const { cacheName, assets } = await step('service worker', () => writeServiceWorker(scratch));

await rm(site, { recursive: true, force: true });
await rename(scratch, site);
console.log(`  ${assets.length} assets precached as ${cacheName}`);
