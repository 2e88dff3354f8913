// The xz decoder the site ships (xz-decompress: xz-embedded in a small wasm), for the
// files the build compresses with xz (web/build/xz.mjs): bundled as a classic script
// that the snapshot worker and the service worker load with importScripts().
import { XzReadableStream } from 'xz-decompress';

globalThis.XzReadableStream = XzReadableStream;
