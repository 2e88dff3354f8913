// Edit mode on the canvas: the gestures that change the program (drag a node, connect,
// delete, double-click to add an input or rename, right-click for "make output").
// Python decides every edit: `handlers.edit(kind, json)` returns '' or why it was refused,
// and a successful edit comes back as a new graph. Only selection and dragging are kept
// here, between two of Python's graphs.
import { memo, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, useReactFlow } from '@xyflow/react';
import './edit-canvas.css';

const KEEP = new Set(['select', 'position', 'dimensions']); // 'remove' is Python's to decide

export function reportEdit(handlers, kind, detail) {
  return handlers.edit?.(kind, JSON.stringify(detail)) ?? '';
}

// The ReactFlow props of edit mode (an empty object when it is off).
export function useEditProps(store, handlers, editing, setMenu) {
  const flow = useReactFlow();
  if (!editing) return {};
  const graph = () => store.get();
  return {
    className: 'is-editing',
    nodesDraggable: true,
    nodesConnectable: true,
    elementsSelectable: true,
    zoomOnDoubleClick: false,
    deleteKeyCode: ['Delete', 'Backspace'],
    onNodesChange: (changes) => {
      const kept = changes.filter((c) => KEEP.has(c.type));
      if (kept.length) store.set({ ...graph(), nodes: applyNodeChanges(kept, graph().nodes) });
    },
    onEdgesChange: (changes) => {
      const kept = changes.filter((c) => c.type === 'select');
      if (kept.length) store.set({ ...graph(), edges: applyEdgeChanges(kept, graph().edges) });
    },
    onConnect: ({ source, sourceHandle, target, targetHandle }) => {
      reportEdit(handlers, 'connect', { source, sourceHandle, target, targetHandle });
    },
    onNodeDragStop: (event, node, nodes) => {
      const moves = (nodes ?? [node]).map((moved) => ({ id: moved.id, ...moved.position }));
      reportEdit(handlers, 'move', { moves }); // one trip for a whole selection
    },
    onBeforeDelete: async ({ nodes, edges }) => {
      reportEdit(handlers, 'delete', { nodes: nodes.map((n) => n.id), edges: edges.map((e) => e.id) });
      return false;
    },
    onDoubleClick: (event) => {
      if (!event.target.classList?.contains('react-flow__pane')) return;
      const { x, y } = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
      reportEdit(handlers, 'add-input', { x, y });
    },
    onNodeContextMenu: (event, node) => {
      if (node.type !== 'value' || node.data.role === 'constant') return;
      event.preventDefault();
      const box = event.currentTarget.closest('.react-flow').getBoundingClientRect();
      setMenu({ id: node.id, label: node.data.label, refusal: node.data.notOutput ?? '',
                x: event.clientX - box.left, y: event.clientY - box.top });
    },
    onPaneClick: () => setMenu(null),
  };
}

// The right-click menu of a value node. An action Python says cannot succeed there is
// shown disabled, with Python's reason under it.
export function NodeMenu({ menu, handlers, close }) {
  if (!menu) return null;
  const reason = menu.refusal ? `make-output-reason-${menu.id}` : undefined;
  return (
    <div className="edit-menu nodrag nopan" role="menu" style={{ left: menu.x, top: menu.y }}>
      <button type="button" role="menuitem" data-testid="make-output" disabled={!!menu.refusal}
              aria-describedby={reason}
              onClick={() => { reportEdit(handlers, 'make-output', { id: menu.id }); close(); }}>
        Make {menu.label} the output
      </button>
      {menu.refusal && <small className="edit-menu__reason" id={reason}
                              data-testid="make-output-reason">{menu.refusal}.</small>}
    </div>
  );
}

// A value node's name: in edit mode, double-click to rename it. Memoized: its node redraws
// on every step and tuning, the name only when it changes.
export const NodeLabel = memo(({ id, label, editing, handlers }) => {
  const [renaming, setRenaming] = useState(false);
  if (!renaming) {
    return (
      <span className="vnode__label" title={editing && label ? 'Double-click to rename' : label}
            data-testid={`label-${label}`}
            onDoubleClick={editing && label ? (event) => { event.stopPropagation(); setRenaming(true); } : undefined}>
        {label}
      </span>
    );
  }
  const commit = (text) => {
    if (!reportEdit(handlers, 'rename', { id, name: text })) setRenaming(false);
  };
  return (
    <span className="vnode__label">
      <input className="vnode__rename nodrag nopan" data-testid={`rename-${label}`} defaultValue={label}
             aria-label={`New name for ${label}`} autoFocus spellCheck={false} size={Math.max(2, label.length)}
             onFocus={(event) => event.target.select()}
             onKeyDown={(event) => {
               event.stopPropagation();
               if (event.key === 'Enter') commit(event.target.value);
               else if (event.key === 'Escape') setRenaming(false);
             }}
             onBlur={() => setRenaming(false)} />
    </span>
  );
});

// Operand names next to the inputs of a non-commutative operator (base/exponent, ...).
// Left to right, each name sits left of its input; top to bottom, the first name goes to
// the operator's left and the second to its right, where two long names cannot overlap.
export function PortLabels({ ports, across, offsets }) {
  if (!ports) return null;
  return ports.map((name, k) => (
    <small key={k} className={`onode__port onode__port--${across} onode__port--${k}`}
           style={across === 'top' ? { top: offsets[k] } : undefined}
           data-port={`in${k}`}>{name}</small>
  ));
}
