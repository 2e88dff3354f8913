// How the view fits a graph: shared by the flow and the build's first paint, whose
// static copy of the default graph must sit exactly where the flow then draws it.
export const FIT_PADDING = 0.12;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 2.5;
// Below this zoom a node's 13 px text is under 3 px: nodes are drawn without it.
export const DETAIL_ZOOM = 0.2;
