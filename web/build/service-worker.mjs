// The service worker is generated from web/shell/sw.template.js with the files
// the page uses, each with the SHA-256 of its contents, and a hash of the whole
// site in its cache name, so a new deploy is a new cache that replaces the old
// one whole.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHELL } from './paths.mjs';
import { unxz } from './xz.mjs';

// What no page asks for, so nothing precaches it: index.html is cached as './',
// the config is inlined into the page, our package's files come as bytecode in the
// standard-library zip (they are only the footer's Source link), and of PyScript's
// chunks those of the editor, terminal, MicroPython, TOML and zip support that
// our config never loads (names without their content hash).
const LEFT_OUT = [
  /^index\.html$/,
  /^pyscript\.json$/,
  /^py\/chainrule\//,
  /^pyscript\/(codemirror|xterm)[\w-]*\.js$/,
  /^pyscript\/(index|mpy|py|pyodide_graph|toml|zip)-[\w-]{8}\.js$/,
  /^pyscript\/(service-worker|storage)\.js$/,
  /^pyscript\/(core|xterm)\.css$/,
  // the snapshot's gzip twin, which fast links download (it is cached decoded, from
  // its .xz twin when nothing staged it)
  /^pyodide\/python\.snapshot\.gz$/,
];
// The .xz twins (web/build/xz.mjs) are where the worker downloads a file from when
// nothing staged it; it keeps the file decoded, under the name without .xz (the
// snapshot has no plain twin: the page reads it from the cache as it is).
const XZ = /\.xz$/;

async function listFiles(dir, prefix = '') {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) files.push(...await listFiles(path.join(dir, entry.name), `${relative}/`));
    else files.push(relative);
  }
  return files;
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

export async function writeServiceWorker(siteDir, name = 'sw.js') {
  const files = (await listFiles(siteDir)).filter((file) => file !== name).sort();
  const hash = createHash('sha256');
  const assets = [];
  for (const file of files) {
    const bytes = await readFile(path.join(siteDir, file));
    hash.update(`${file}\0`);
    hash.update(bytes);
    if (LEFT_OUT.some((pattern) => pattern.test(file))) continue;
    const plain = file.replace(XZ, '');
    if (XZ.test(file) && !files.includes(plain)) {
      assets.push([plain, sha256(await unxz(path.join(siteDir, file))), file]);
    } else if (!XZ.test(file)) {
      const twin = files.includes(`${file}.xz`) ? [`${file}.xz`] : [];
      assets.push([file, sha256(bytes), ...twin]);
    }
  }
  assets.unshift(['./', sha256(await readFile(path.join(siteDir, 'index.html')))]);
  const cacheName = `chainrule-${hash.digest('hex').slice(0, 16)}`;
  const template = await readFile(path.join(SHELL, 'sw.template.js'), 'utf8');
  const decoder = (await readFile(path.join(siteDir, 'pyodide', 'xz.js'), 'utf8')).trim();
  await writeFile(
    path.join(siteDir, name),
    template
      .replace('__CACHE_NAME__', cacheName)
      .replace('__ASSETS__', () => JSON.stringify(assets, null, 2))
      .replace('__XZ_DECODER__', () => decoder),
  );
  return { cacheName, assets };
}
