// dagre and graphlib's JSON reader/writer, handed to the renderer for Python's layouts
// (renderer.jsx says why they are a module of their own).
import dagre from '@dagrejs/dagre';
import { json as graphlibJson } from '@dagrejs/graphlib';
import { provideLayout } from './renderer.js';

provideLayout({ dagre, graphlibJson });
