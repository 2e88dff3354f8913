// The edges outside edit mode: plain paths in one SVG, under the nodes. React Flow draws
// each edge as its own <svg> with a component that watches its two nodes in the store;
// on an MLP that was half the time of every redraw. Edit mode keeps React Flow's edges,
// which can be clicked, deleted and follow a dragged node.
import { memo, useMemo } from 'react';
import { EdgeLabelRenderer } from '@xyflow/react';
import { classes, useCell } from './cells.js';
import { edgePath } from './geometry.js';

const FlowPath = memo(({ cells, id, d }) => {
  const { hl } = useCell(cells, id);
  return (
    <path d={d} data-edge-id={id} className={classes('flow-edge', hl && `is-${hl}`)}
          markerEnd={hl ? 'url(#chainrule-arrow-hl)' : 'url(#chainrule-arrow)'} />
  );
});

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

export function EdgeLayer({ cells, nodes, edges }) {
  const { paths, width, height } = useMemo(() => {
    const byId = new Map(nodes.map((node) => [node.id, node]));
    let right = 0;
    let bottom = 0;
    for (const node of nodes) {
      right = Math.max(right, node.position.x + (node.width ?? 0));
      bottom = Math.max(bottom, node.position.y + (node.height ?? 0));
    }
    const drawn = edges.map((edge) => [edge.id, edgePath(edge, byId.get(edge.source),
      byId.get(edge.target))]).filter(([, d]) => d);
    return { paths: drawn, width: Math.ceil(right), height: Math.ceil(bottom) };
  }, [nodes, edges]);
  // A fixed box the size of the graph: a highlight restyles a path but never changes the
  // layer's painted bounds, so a step only repaints.
  return (
    <EdgeLabelRenderer>
      <svg className="edge-layer" data-testid="edge-layer" width={width} height={height}
           aria-hidden="true">
        <defs>
          <Arrowhead id="chainrule-arrow" />
          <Arrowhead id="chainrule-arrow-hl" />
        </defs>
        {paths.map(([id, d]) => <FlowPath key={id} cells={cells} id={id} d={d} />)}
      </svg>
    </EdgeLabelRenderer>
  );
}
