// The renderer: web/src -> one minified ES module + one CSS file.
import path from 'node:path';
import { build } from 'esbuild';
import { WEB } from './paths.mjs';

// How the page's renderer and the notebook widget (widget.mjs) are bundled.
export const BUNDLE_OPTIONS = {
  bundle: true,
  format: 'esm',
  minify: true,
  target: 'es2022',
  jsx: 'automatic',
  define: { 'process.env.NODE_ENV': '"production"' },
  legalComments: 'none',
  logLevel: 'warning',
};

// The renderer, and beside it the layout module that imports it (web/src/layout.js).
export async function bundleRenderer(outdir) {
  await build({
    entryPoints: { renderer: path.join(WEB, 'src', 'renderer.jsx') },
    outdir,
    ...BUNDLE_OPTIONS,
  });
  await build({
    entryPoints: { layout: path.join(WEB, 'src', 'layout.js') },
    outdir,
    external: ['./renderer.js'],
    ...BUNDLE_OPTIONS,
  });
}
