// `node build/widget.mjs [outdir]`: the notebook widget's ES module and CSS, bundled from
// the same renderer sources as the page (web/src) into the Python package, where
// chainrule.notebook loads them (git-ignored; shipped in the wheel and sdist).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLE_OPTIONS } from './bundle.mjs';
import { PY_PACKAGE, WEB } from './paths.mjs';

export const WIDGET_DIR = path.join(PY_PACKAGE, 'notebook', 'static');

export async function bundleWidget(outdir = WIDGET_DIR) {
  await build({
    entryPoints: { widget: path.join(WEB, 'src', 'widget.jsx') },
    outdir,
    ...BUNDLE_OPTIONS,
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleWidget(process.argv[2] ? path.resolve(process.argv[2]) : WIDGET_DIR);
}
