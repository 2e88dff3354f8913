// The service worker is generated from web/shell/sw.template.js with the list
// of every file in the site and a hash of all of them in its cache name, so a
// new deploy is a new cache that replaces the old one whole.
import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SHELL } from './paths.mjs';

async function listFiles(dir, prefix = '') {
  const files = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const relative = prefix + entry.name;
    if (entry.isDirectory()) files.push(...await listFiles(path.join(dir, entry.name), `${relative}/`));
    else files.push(relative);
  }
  return files;
}

export async function writeServiceWorker(siteDir, name = 'sw.js') {
  const files = (await listFiles(siteDir)).filter((file) => file !== name).sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(await readFile(path.join(siteDir, file)));
  }
  const cacheName = `chainrule-${hash.digest('hex').slice(0, 16)}`;
  const template = await readFile(path.join(SHELL, 'sw.template.js'), 'utf8');
  const assets = ['./', ...files];
  await writeFile(
    path.join(siteDir, name),
    template
      .replace('__CACHE_NAME__', cacheName)
      .replace('__ASSETS__', JSON.stringify(assets, null, 2))
      .replace('__INFLATE__', JSON.stringify(files.filter((file) => file.endsWith('.gz')))),
  );
  return { cacheName, assets };
}
