// The lessons (lessons/*.md, read by chainrule/state/lessons.py) ship as plain files
// beside the page: the page fetches one when it is opened, and the service worker
// precaches them with the rest, so a lesson works offline too.
import { cp, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './paths.mjs';

export const LESSONS = path.join(ROOT, 'lessons');

export async function copyLessons(outdir) {
  await mkdir(outdir, { recursive: true });
  const names = (await readdir(LESSONS)).filter((name) => name.endsWith('.md')).sort();
  for (const name of names) await cp(path.join(LESSONS, name), path.join(outdir, name));
  return names;
}
