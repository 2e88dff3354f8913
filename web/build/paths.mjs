import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const WEB = fileURLToPath(new URL('..', import.meta.url));
export const ROOT = path.resolve(WEB, '..');
export const SHELL = path.join(WEB, 'shell');
export const MODULES = path.join(WEB, 'node_modules');
export const PY_PACKAGE = path.join(ROOT, 'py', 'chainrule');
