// What the build does to index.html on its way into the site, each one request
// fewer in front of the boot: a script the page needs before anything else is
// inlined, and so is the PyScript config (PyScript reads a JSON object in the
// `config` attribute as the config itself; pyscript.json stays in the site).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pyscriptConfig } from './python-sources.mjs';

const INLINE_SCRIPT = /<script src="([^"]+)" data-inline><\/script>/g;
const CONFIG_FILE = 'config="pyscript.json"';

const SOURCE_LINK = /href="[^"]*"(?= data-source-link)/;

// Where the footer's "Source" link points: the repository the site is built from when the
// build can tell (CHAINRULE_SOURCE_URL, GitHub Actions' variables, the git remote), else
// the Python sources the site itself ships.
export function sourceUrl(env = process.env) {
  if (env.CHAINRULE_SOURCE_URL) return env.CHAINRULE_SOURCE_URL;
  if (env.GITHUB_REPOSITORY) {
    return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}`;
  }
  try {
    const remote = execFileSync('git', ['remote', 'get-url', 'origin'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const ssh = remote.match(/^git@([^:]+):(.+?)(\.git)?$/);
    if (ssh) return `https://${ssh[1]}/${ssh[2]}`;
    if (/^https:\/\//.test(remote)) return remote.replace(/\.git$/, '');
  } catch {
    // no git, or no remote: fall through
  }
  return null;
}

const asAttribute = (value) => JSON.stringify(value).replaceAll('&', '&amp;').replaceAll("'", '&#39;');

export async function buildPage(page, shellDir) {
  let result = page;
  for (const [tag, src] of page.matchAll(INLINE_SCRIPT)) {
    const code = await readFile(path.join(shellDir, src), 'utf8');
    result = result.replace(tag, () => `<script>\n${code}</script>`);
  }
  const source = sourceUrl();
  if (source) result = result.replace(SOURCE_LINK, () => `href="${source.replaceAll('"', '%22')}"`);
  return result
    .replaceAll(CONFIG_FILE, () => `config='${asAttribute(pyscriptConfig())}'`);
}
