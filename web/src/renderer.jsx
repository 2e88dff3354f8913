// The thin renderer: draws what Python hands it and reports nothing back yet.
// Python owns the state; this module only turns {nodes, edges} into pixels.
import { useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { Background, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './renderer.css';

function createGraphStore() {
  let graph = { nodes: [], edges: [] };
  const listeners = new Set();
  return {
    get: () => graph,
    set(nodes, edges) {
      graph = { nodes: Array.from(nodes ?? []), edges: Array.from(edges ?? []) };
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function GraphView({ store }) {
  const { nodes, edges } = useSyncExternalStore(store.subscribe, store.get);
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      fitView
      proOptions={{ hideAttribution: true }}
      nodesConnectable={false}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
    </ReactFlow>
  );
}

export function mount(element) {
  const store = createGraphStore();
  const root = createRoot(element);
  root.render(
    <ReactFlowProvider>
      <GraphView store={store} />
    </ReactFlowProvider>,
  );
  element.dataset.mounted = 'true';
  return {
    setGraph: (nodes, edges) => store.set(nodes, edges),
    unmount() {
      root.unmount();
      delete element.dataset.mounted;
    },
  };
}
