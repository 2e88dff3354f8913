// How the view fits a graph: shared by the flow and the build's first paint, whose
// static copy of the default graph must sit exactly where the flow then draws it.
export const FIT_PADDING = 0.12;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2.5;
// The zoom below which a node's 13 px text is too small to read, so nodes are drawn
// without it: where the text would be under 6.5 device pixels (half size on a common
// screen, a quarter on a double-density one), and never under 2.6 CSS pixels.
const READABLE_TEXT_ZOOM = 0.5;
const MIN_DETAIL_ZOOM = 0.2;
export function detailZoom(pixelRatio = globalThis.devicePixelRatio ?? 1) {
  return Math.max(MIN_DETAIL_ZOOM, READABLE_TEXT_ZOOM / pixelRatio);
}
