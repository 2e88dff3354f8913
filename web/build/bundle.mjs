// The renderer: web/src -> one minified ES module + one CSS file.
import path from 'node:path';
import { build } from 'esbuild';
import { WEB } from './paths.mjs';

export async function bundleRenderer(outdir) {
  await build({
    entryPoints: { renderer: path.join(WEB, 'src', 'renderer.jsx') },
    outdir,
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    logLevel: 'warning',
  });
}
