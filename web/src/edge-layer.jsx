// The edges outside edit mode: plain paths in one SVG, under the nodes. React Flow draws
// each edge as its own <svg> with a component that watches its two nodes in the store;
// on an MLP that was half the time of every redraw. Edit mode keeps React Flow's edges,
// which can be clicked, deleted and follow a dragged node.
import { memo, useMemo } from 'react';
import { EdgeLabelRenderer } from '@xyflow/react';
import { classes, useHighlighted } from './cells.js';
import { edgePath, graphBounds } from './geometry.js';

// A highlighted edge is drawn again on top, in a small layer of its own, so a step
// changes nothing in the layer that holds every edge. One component draws them all: with
// a component per edge, React would visit every edge's on each step to find the two that
// changed (2,000 of them on a big graph).
const Highlights = memo(({ cells, pathOf }) => useHighlighted(cells).map(([id, part]) => {
  const d = pathOf.get(id);
  return d ? <path key={id} d={d} data-highlight-of={id} className={classes('flow-edge', `is-${part}`)}
                   markerEnd="url(#chainrule-arrow-hl)" /> : null;
}));

// React Flow's closed arrowhead, scaled with the stroke like its own.
function Arrowhead({ id }) {
  return (
    <marker id={id} className="edge-layer__arrow" markerWidth="16" markerHeight="16"
            viewBox="-10 -10 20 20" markerUnits="strokeWidth" orient="auto-start-reverse"
            refX="0" refY="0">
      <polyline strokeLinecap="round" strokeLinejoin="round" points="-5,-4 0,0 -5,4 -5,-4" />
    </marker>
  );
}

// Every edge, and the layer for highlighted ones: two SVGs in the flow's viewport.
export function EdgePaths({ cells, nodes, edges }) {
  const { paths, pathOf, width, height } = useMemo(() => {
    const byId = new Map(nodes.map((node) => [node.id, node]));
    const drawn = edges.map((edge) => [edge.id, edgePath(edge, byId.get(edge.source),
      byId.get(edge.target))]).filter(([, d]) => d);
    const box = graphBounds(nodes) ?? { x: 0, y: 0, width: 0, height: 0 };
    return { paths: drawn, pathOf: new Map(drawn), width: Math.ceil(Math.max(0, box.x + box.width)),
      height: Math.ceil(Math.max(0, box.y + box.height)) };
  }, [nodes, edges]);
  // Both layers are fixed boxes the size of the graph: a highlight that comes or goes
  // never changes their painted bounds, so a step only repaints.
  return (
    <>
      <svg className="edge-layer edge-layer--all" data-testid="edge-layer" width={width} height={height}
           aria-hidden="true">
        <defs>
          <Arrowhead id="chainrule-arrow" />
          <Arrowhead id="chainrule-arrow-hl" />
        </defs>
        {paths.map(([id, d]) => <path key={id} d={d} data-edge-id={id} className="flow-edge"
                                      markerEnd="url(#chainrule-arrow)" />)}
      </svg>
      <svg className="edge-layer" width={width} height={height} aria-hidden="true">
        <Highlights cells={cells} pathOf={pathOf} />
      </svg>
    </>
  );
}

// The edge layer in the flow's viewport (React Flow's label layer, under the nodes).
export function EdgeLayer(props) {
  return <EdgeLabelRenderer><EdgePaths {...props} /></EdgeLabelRenderer>;
}
