// What the build does to index.html on its way into the site: a script the
// page needs before anything else is inlined, one request fewer in front of the boot.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

const INLINE_SCRIPT = /<script src="([^"]+)" data-inline><\/script>/g;

export async function buildPage(page, shellDir) {
  let result = page;
  for (const [tag, src] of page.matchAll(INLINE_SCRIPT)) {
    const code = await readFile(path.join(shellDir, src), 'utf8');
    result = result.replace(tag, () => `<script>\n${code}</script>`);
  }
  return result;
}
