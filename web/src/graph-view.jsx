// The compute graph on the canvas: React Flow with our value, operator and edge components.
// Python sends positioned nodes and edges once per graph, then small batches of cell
// patches (values, grads, highlight); nothing here decides what to show.
import {
  createContext, memo, useContext, useEffect, useMemo, useState, useSyncExternalStore,
} from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import {
  BaseEdge, Controls, Handle, MiniMap, Position, ReactFlow, ReactFlowProvider, getBezierPath,
  useReactFlow, useStore, useStoreApi,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import {
  classes, createCells, notFinite, useCell, useCellLook, useLiveText, writeData, writeText,
  writeTitle,
} from './cells.js';
import { EdgeLayer } from './edge-layer.jsx';
import { declareGeometry, graphBounds, operandOffsets } from './geometry.js';
import {
  BIG_GRAPH, FIT_PADDING, MAX_ZOOM, MIN_ZOOM, boxOf, detailZoom, fitsView, focusNode,
  followViewport, startViewport, unionBox, viewRect,
} from './viewport.js';
import { NodeLabel, NodeMenu, PortLabels, useEditProps } from './edit-canvas.jsx';
import { InputValue } from './input-value.jsx';
import './graph-view.css';

const VISIBLE_ONLY_ABOVE = 1000;
const REGROUP_MS = 260;

// Whether nodes are drawn in full: below detailZoom() their text would be too small to
// read, so value and operator nodes are drawn as their coloured boxes alone, a tenth of
// the elements (a 2,000-node graph fits the view at about 0.05). Edit mode is always near.
const Near = createContext(true);

function gradKnown(cell) {
  return cell.g !== undefined && cell.g !== '';
}

// A value's look apart from its numbers: a tuning changes the numbers of every value
// below the input and the look of almost none (useCellLook, useLiveText). A value that
// is not finite is in the warning colour, with where it came from (`w`) as its tooltip.
// Forward mode on: the cell has a tangent text ("?" until the sweep reaches it).
const tangentShown = (cell) => Boolean(cell.tt);
const valueLook = (cell) => [cell.hl ?? '', cell.done ? 'done' : '', cell.mk ? 'mark' : '',
  notFinite(cell.v) ? 'warn' : '',
  gradKnown(cell) ? (notFinite(cell.g) ? 'grad warn' : 'grad') : '', cell.w ?? '',
  tangentShown(cell) ? (cell.t ? 'tangent' : 'tangent unknown') : ''].join(' ');
// Far, a value is its box (see Near): only its highlight ring and done band show, so
// forward mode turned on or off re-renders none of 2,000 boxes.
const farLook = (cell) => `${cell.hl ?? ''} ${cell.done ? 'done' : ''}`;
const origin = (cell) => cell.w || undefined;
const writeValueData = (element, cell) => {
  writeData(element, 'value', cell.v ?? '');
  writeData(element, 'grad', gradKnown(cell) ? cell.g : '');
  writeData(element, 'tangent', cell.t ?? '');
};
// A number shows 4 or 5 significant digits; its tooltip has the full value (or, for one
// that is not finite, where it came from).
const writeValueText = (element, cell) => {
  writeText(element, cell.vt ?? '');
  writeTitle(element, origin(cell) ?? cell.v ?? '');
};
const writeGradText = (element, cell) => {
  writeText(element, gradKnown(cell) ? cell.gt : '?');
  writeTitle(element, gradKnown(cell) ? cell.g : 'Not known yet: step backprop to it');
};
const writeTangentText = (element, cell) => writeText(element, cell.tt ?? '');

// The refs that keep a value's numbers current, for a value node and a group's row alike:
// its data attributes, and the text of its data and grad cells.
function useLiveNumbers(cells, id) {
  return {
    liveData: useLiveText(cells, id, writeValueData),
    liveValue: useLiveText(cells, id, writeValueText, true),
    liveGrad: useLiveText(cells, id, writeGradText, true),
    liveTangent: useLiveText(cells, id, writeTangentText, true),
  };
}

function makeValueNode(cells, handlers) {
  // Nodes are connectable in edit mode only, so `isConnectable` says whether it is on.
  // Handles are drawn only then: elsewhere Python has declared where they are (the edge
  // layer draws from that), and each is a component watching React Flow's store.
  return memo(({ id, data, sourcePosition, targetPosition, isConnectable: editing }) => {
    const near = useContext(Near);
    useCellLook(cells, id, near ? valueLook : farLook);
    const cell = cells.get(id);
    const { liveData, liveValue, liveGrad, liveTangent } = useLiveNumbers(cells, id);
    const known = gradKnown(cell);
    const dataClass = classes('vnode__cell', notFinite(cell.v) && 'is-warning',
      cell.vt === '?' && 'is-unknown');
    return (
      <div
        ref={liveData}
        className={classes('vnode', `vnode--${data.role}`, cell.hl && `is-${cell.hl}`,
          cell.done && 'is-done', cell.mk && 'is-marked', !near && 'is-far')}
        data-testid="value-node" data-id={id} data-label={data.label} data-role={data.role}
        data-value={cell.v ?? ''} data-grad={known ? cell.g : ''} data-tangent={cell.t ?? ''}
        title={data.role === 'incomplete' ? 'Incomplete: its operator is missing an operand, so it is not in the text' : undefined}
      >
        {near && (
          <>
            {editing && <Handle id="in" type="target" position={targetPosition} isConnectable />}
            <NodeLabel id={id} label={data.label} editing={editing} handlers={handlers} />
            {data.role === 'input'
              ? <InputValue name={data.label} cells={cells} id={id} liveValue={liveValue}
                            handlers={handlers} className={dataClass} />
              : <span className={dataClass} data-testid="value-data"
                      title={data.role === 'constant' ? 'A constant: change it in the text' : origin(cell)}>
                  <small>data</small>
                  <span className="vnode__number" ref={liveValue} title={origin(cell) ?? cell.v ?? ''}>{cell.vt ?? ''}</span>
                </span>}
            <span className={classes('vnode__cell', 'vnode__grad',
              known && notFinite(cell.g) && 'is-warning', !known && 'is-unknown')}>
              <small>grad</small>
              <span className="vnode__number" ref={liveGrad}
                    title={known ? cell.g : 'Not known yet: step backprop to it'}>{known ? cell.gt : '?'}</span>
            </span>
            {tangentShown(cell) && (
              <span className={classes('vnode__tangent', !cell.t && 'is-unknown',
                notFinite(cell.t) && 'is-warning')} data-testid="tangent-cell"
                    title="Forward mode: this value's tangent, its derivative with respect to the chosen input">
                <small>tangent</small><span ref={liveTangent}>{cell.tt}</span>
              </span>
            )}
            {editing && <Handle id="out" type="source" position={sourcePosition} isConnectable />}
          </>
        )}
      </div>
    );
  });
}

function makeOperatorNode(cells) {
  return memo(({ id, data, sourcePosition, targetPosition, isConnectable }) => {
    const cell = useCell(cells, id);
    const near = useContext(Near);
    const across = targetPosition === Position.Left || targetPosition === Position.Right
      ? 'top' : 'left';
    const inputs = operandOffsets(data.arity).map((at) => `${at * 100}%`);
    return (
      <div className={classes('onode', cell.hl && `is-${cell.hl}`,
                              data.incomplete && 'onode--incomplete', !near && 'is-far')}
           data-testid="operator-node" data-id={id} data-op={data.op}
           data-incomplete={data.incomplete ? 'true' : undefined}
           title={data.incomplete ? 'Incomplete: connect every input' : data.title}>
        {near && (
          <>
            {isConnectable && inputs.map((offset, k) => (
              <Handle key={k} id={`in${k}`} type="target" position={targetPosition}
                      style={{ [across]: offset }} isConnectable title={data.ports?.[k]} />
            ))}
            <PortLabels ports={data.ports} across={across} offsets={inputs} />
            <span className="onode__symbol">{data.op}</span>
            {isConnectable && <Handle id="out" type="source" position={sourcePosition} isConnectable />}
          </>
        )}
      </div>
    );
  });
}

// One value leaving a collapsed group: its own subscription, so a step that changes it
// re-renders this row only, and a tuning writes its numbers alone.
const rowLook = (cell) => [cell.done ? 'done' : '', notFinite(cell.v) ? 'warn' : '',
  gradKnown(cell) ? (notFinite(cell.g) ? 'grad warn' : 'grad') : '', cell.w ?? ''].join(' ');

function GroupRow({ cells, id, label }) {
  useCellLook(cells, id, rowLook);
  const cell = cells.get(id);
  const { liveData, liveValue, liveGrad } = useLiveNumbers(cells, id);
  const known = gradKnown(cell);
  return (
    <div className="gnode__row" data-testid="group-output" data-id={id} data-label={label}
         data-value={cell.v ?? ''} data-grad={known ? cell.g : ''} ref={liveData}>
      <span className="gnode__label" title={label}>{label}</span>
      <span className={classes('gnode__cell', notFinite(cell.v) && 'is-warning')}
            title={origin(cell)} ref={liveValue}>{cell.vt ?? ''}</span>
      <span className={classes('gnode__cell', 'gnode__grad', !known && 'is-unknown',
        known && notFinite(cell.g) && 'is-warning', cell.done && 'is-done')}
            ref={liveGrad}>{known ? cell.gt : '?'}</span>
    </div>
  );
}

// A collapsed group: its name and the values leaving it. A click anywhere expands it.
function makeGroupNode(cells, handlers) {
  return memo(({ id, data }) => {
    const cell = useCell(cells, id);
    const toggle = () => handlers.group?.(data.name);
    return (
      <div className={classes('gnode', cell.hl && `is-${cell.hl}`)} data-testid="group"
           data-id={id} data-group={data.name} data-collapsed="true" onClick={toggle}
           title={`${data.name}: ${data.size} nodes. Click to expand`}>
        <div className="gnode__header">
          <span className="gnode__name">{data.name}</span>
          <button type="button" className="group-toggle" data-testid="group-toggle"
                  aria-label={`Expand ${data.name}`} aria-expanded="false"
                  onClick={(event) => { event.stopPropagation(); toggle(); }}>+</button>
        </div>
        {data.outputs.map(([valueId, label]) => (
          <GroupRow key={valueId} cells={cells} id={valueId} label={label} />
        ))}
      </div>
    );
  });
}

// An expanded group: a frame around its members, its name in the strip along the side
// the edges come in from (dagre leaves half a rank gap there).
function makeFrameNode(handlers) {
  return memo(({ id, data, targetPosition }) => (
    <div className={classes('gframe', targetPosition === Position.Left ? 'gframe--across' : 'gframe--down')}
         data-testid="group" data-id={id} data-group={data.name} data-collapsed="false">
      <div className="gframe__title">
        <button type="button" className="group-toggle" data-testid="group-toggle"
                aria-label={`Collapse ${data.name}`} aria-expanded="true"
                onClick={() => handlers.group?.(data.name)}>−</button>
        <span className="gframe__name">{data.name}</span>
      </div>
    </div>
  ));
}

function makeFlowEdge(cells) {
  return memo(({ id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition,
    markerEnd }) => {
    const cell = useCell(cells, id);
    const [path] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition,
      targetPosition });
    return <BaseEdge id={id} path={path} markerEnd={markerEnd} data-edge-id={id}
                     className={classes('flow-edge', cell.hl && `is-${cell.hl}`)} />;
  });
}

// Outside edit mode the edge layer draws the edges; React Flow's are for editing.
const NO_EDGES = [];
const EDGE_DEFAULTS = { type: 'flow', markerEnd: { type: 'arrowclosed', width: 16, height: 16 } };

const FOLLOW_MS = 200;
const PANNED = { x: 0, y: 0 }; // a pan by hand (see onMoveStart)

function followDuration() {
  return matchMedia('(prefers-reduced-motion: reduce)').matches ? 0 : FOLLOW_MS;
}

// Lets code outside React ask the flow to fit the view after a new graph is drawn, and
// tells the cells which nodes are in view (useLiveText writes their text alone).
function ViewportBridge({ api, cells }) {
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  useEffect(() => {
    api.fitView = (options) => flow.fitView({ padding: FIT_PADDING, ...options });
    // The first view of `nodes` (viewport.js's startViewport), at once, if the pane has
    // its size yet (or the element it fills, `size`, has one); true if it did.
    api.start = (nodes, size) => {
      let { width, height } = flowStore.getState();
      if (!width || !height) ({ width, height } = size ?? {});
      if (!width || !height || !nodes.length) return false;
      const focus = focusNode(nodes);
      const { x, y, zoom } = startViewport(graphBounds(nodes), focus && boxOf(focus), width,
        height, nodes.length);
      flow.setViewport({ x, y, zoom });
      return true;
    };
    // Pans (same zoom) so the nodes `ids` are in view, clear of the edges; if they cannot
    // all be, the nodes `fallback`. Nothing moves while the whole graph is in view.
    api.reveal = (ids, fallback = []) => {
      const { transform, width, height } = flowStore.getState();
      if (!width || !height) return;
      const view = viewRect(transform, width, height);
      const bounds = api.bounds;
      if (bounds && bounds.x >= view.x && bounds.y >= view.y
          && bounds.x + bounds.width <= view.x + view.width
          && bounds.y + bounds.height <= view.y + view.height) return;
      const boxesOf = (list) => list.map((id) => api.byId?.get(id)).filter(Boolean).map(boxOf);
      let box = unionBox(boxesOf(ids));
      if (box && !fitsView(box, transform[2], width, height) && fallback.length) {
        box = unionBox(boxesOf(fallback)) ?? box;
      }
      const next = box && followViewport(box, transform, width, height, bounds);
      if (next) flow.setViewport(next, { duration: followDuration() });
    };
    api.toFlow = (x, y) => flow.screenToFlowPosition({ x, y });
    api.centre = (x, y) => flow.setCenter(x, y, { zoom: flow.getZoom(), duration: followDuration() });
  }, [api, flow, flowStore]);
  useEffect(() => {
    cells.setSight((id) => inView(flowStore.getState(), id));
    const unsubscribe = flowStore.subscribe((state, before) => {
      if (state.transform !== before.transform || state.width !== before.width
          || state.height !== before.height) cells.reveal();
    });
    return () => {
      unsubscribe();
      cells.setSight(() => true);
    };
  }, [cells, flowStore]);
  return null;
}

// Whether node `id` (any id that is no node: yes) is at least partly in the flow's pane.
function inView({ transform: [x, y, zoom], width, height, nodeLookup }, id) {
  const node = nodeLookup.get(id);
  if (!node || !width || !height) return true;
  const { x: left, y: top } = node.internals.positionAbsolute;
  const right = left + (node.measured?.width ?? node.width ?? 0);
  const bottom = top + (node.measured?.height ?? node.height ?? 0);
  return right * zoom + x >= 0 && left * zoom + x <= width
    && bottom * zoom + y >= 0 && top * zoom + y <= height;
}

function GraphView({ store, cells, api, nodeTypes, edgeTypes, handlers }) {
  const { nodes, edges, editing } = useSyncExternalStore(store.subscribe, store.get, store.get);
  const [menu, setMenu] = useState(null);
  const editProps = useEditProps(store, handlers, editing, setMenu);
  useEffect(() => setMenu(null), [editing, edges]); // a menu points at a node drawn then
  const near = useStore((flow) => editing || flow.transform[2] >= detailZoom());
  const bounds = useMemo(() => graphBounds(nodes), [nodes]);
  api.bounds = bounds;
  api.byId = useMemo(() => new Map(nodes.map((node) => [node.id, node])), [nodes]);
  // The overview shows while part of the graph is out of view; a big graph is fitted
  // whole and zoomed into by hand, and 2,000 overview boxes would cost its every redraw.
  const overflowing = useStore((flow) => {
    if (!bounds || !flow.width || nodes.length > BIG_GRAPH) return false;
    const view = viewRect(flow.transform, flow.width, flow.height);
    const slack = 1 / flow.transform[2];
    return bounds.x < view.x - slack || bounds.y < view.y - slack
      || bounds.x + bounds.width > view.x + view.width + slack
      || bounds.y + bounds.height > view.y + view.height + slack;
  });
  const byHand = () => { api.following = false; };
  return (
    <Near.Provider value={near}>
      <ReactFlow
        nodes={nodes} edges={editing ? edges : NO_EDGES} nodeTypes={nodeTypes} edgeTypes={edgeTypes}
        defaultEdgeOptions={EDGE_DEFAULTS} minZoom={MIN_ZOOM} maxZoom={MAX_ZOOM}
        nodesDraggable={false} nodesConnectable={false} elementsSelectable={false}
        onlyRenderVisibleElements={nodes.length > VISIBLE_ONLY_ABOVE}
        // A pan or zoom by hand (an event; the page's own moves have none) stops the
        // view following the step until Reset, Fit or a new graph.
        onMoveStart={(event) => { if (event) byHand(); }}
        proOptions={{ hideAttribution: true }} {...editProps}
        // No Space-to-pan (a drag pans anyway): its handler cancels Space on every focused
        // element but a button or a link, so a <summary> could not be opened with it.
        panActivationKeyCode={null}
      >
        <ViewportBridge api={api} cells={cells} />
        {!editing && <EdgeLayer cells={cells} nodes={nodes} edges={edges} />}
        {editing && <NodeMenu menu={menu} handlers={handlers} close={() => setMenu(null)} />}
        {overflowing && (
          <div onPointerDown={byHand}>
            <MiniMap position="top-right" pannable zoomable={false} ariaLabel="Overview of the graph"
                     nodeClassName={(node) => `minimap-node minimap-node--${node.type}`}
                     nodeBorderRadius={4} data-testid="minimap"
                     onClick={(event, { x, y }) => {
                       byHand();
                       api.centre?.(x, y);
                     }} />
          </div>
        )}
        <Controls showInteractive={false} position="bottom-right" onZoomIn={byHand}
                  onZoomOut={byHand} onFitView={() => { api.following = true; }}
                  fitViewOptions={{ padding: FIT_PADDING }} />
      </ReactFlow>
    </Near.Provider>
  );
}

function createGraphStore() {
  let graph = { nodes: [], edges: [], editing: false };
  const listeners = new Set();
  return {
    get: () => graph,
    set(next) {
      graph = next;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

// The parts of one graph view: its stores, the handlers Python sets, and the React tree
// that draws them. The page mounts them (mountGraph); the build renders them once to
// HTML for the first paint (first-paint.jsx).
export function createView() {
  const store = createGraphStore();
  const cells = createCells();
  const api = { following: true };
  const handlers = {};
  const nodeTypes = {
    value: makeValueNode(cells, handlers), operator: makeOperatorNode(cells),
    group: makeGroupNode(cells, handlers), frame: makeFrameNode(handlers),
  };
  const edgeTypes = { flow: makeFlowEdge(cells) };
  const tree = (providerProps) => (
    <ReactFlowProvider {...providerProps}>
      <GraphView store={store} cells={cells} api={api} nodeTypes={nodeTypes}
                 edgeTypes={edgeTypes} handlers={handlers} />
    </ReactFlowProvider>
  );
  return { store, cells, api, handlers, tree };
}

// React Flow watches every node it mounts with a ResizeObserver, whose first report
// measures the node and its handles again (getBoundingClientRect each) and updates the
// store: at 2,000 nodes, a quarter of a second in the first frame of every new graph.
// Outside edit mode Python has declared every size (declareGeometry), so node elements
// are not watched then; edit mode's nodes are measured as React Flow wants.
// React Flow has no option for this, and makes that observer once, in the flow's first
// render (useResizeObserver's useState), so mountGraph lends it this class for that render
// alone. Should an upgrade make it elsewhere, tests/browser/test_graph_view.py's
// test_react_flow_never_measures_nodes_whose_size_python_declared fails.
function declaredSizeObserver(Native, editing) {
  return class extends Native {
    observe(target, options) {
      if (!editing() && target.classList.contains('react-flow__node')) return;
      super.observe(target, options);
    }
  };
}

// Mounts the graph view into `element` (replacing the build's static first paint, if it
// is there); returns the handle Python drives.
export function mountGraph(element) {
  const { store, cells, api, handlers, tree } = createView();
  const root = createRoot(element);
  // Synchronous, so the first graph paints before Python's boot takes the main thread.
  // React Flow makes its node observer in this first render: it gets ours.
  const { ResizeObserver: native } = window;
  window.ResizeObserver = declaredSizeObserver(native, () => store.get().editing);
  try {
    flushSync(() => root.render(tree()));
  } finally {
    window.ResizeObserver = native;
  }
  element.dataset.mounted = 'true';
  let drawn = false;
  let regrouping = 0;
  const handle = {
    get drawn() { return drawn; },
    // A new graph, as JSON text {nodes, edges, cells}: positioned nodes and edges and
    // every cell. JSON because one string crosses the Python bridge far faster than
    // thousands of converted objects.
    setGraph(json, fit = true) {
      const { nodes, edges, cells: cellData } = JSON.parse(json);
      // Edit mode draws bigger handles: there React Flow measures them itself.
      if (!store.get().editing) nodes.forEach(declareGeometry);
      drawn = true;
      cells.reset(cellData);
      // Fitted once, for this graph: the edits and drags that follow keep the viewport.
      // Fitted from Python's sizes in the same render, so the nodes are drawn once, at
      // the zoom (and so the detail) they are seen at: a big graph's React Flow draws
      // only what is in view. A graph drawn whole is fitted again on the next frame, once
      // the page around the canvas has its final size.
      const before = store.get().nodes;
      let fitted = false;
      flushSync(() => {
        store.set({ ...store.get(), nodes, edges });
        // The pane may not have measured itself yet: the canvas it fills has its size.
        if (fit) fitted = api.start?.(nodes, { width: element.clientWidth, height: element.clientHeight }) ?? false;
      });
      if (fit) {
        api.following = true;
        if (!fitted || nodes.length <= VISIBLE_ONLY_ABOVE) {
          requestAnimationFrame(() => api.start?.(store.get().nodes));
        }
      } else {
        // A node the canvas editor just made appears in view.
        const old = new Set(before.map((node) => node.id));
        const made = nodes.filter((node) => !old.has(node.id) && node.type !== 'frame');
        if (made.length && made.length < nodes.length) api.reveal?.(made.map((node) => node.id));
      }
      element.dataset.nodes = String(nodes.length);
    },
    // The same program regrouped: new boxes and positions, slid there briefly so the eye
    // can follow what moved.
    regroup(json, fit = false) {
      // A transition starts whenever the new transform meets the class, so the class
      // need not be taken off first (that forced a style and layout pass of every node).
      element.classList.add('is-regrouping');
      clearTimeout(regrouping);
      regrouping = setTimeout(() => element.classList.remove('is-regrouping'), REGROUP_MS);
      handle.setGraph(json, fit);
      if (!matchMedia('(prefers-reduced-motion: reduce)').matches) {
        for (const layer of element.querySelectorAll('.edge-layer')) {
          layer.animate([{ opacity: 0 }, { opacity: 1 }], { duration: REGROUP_MS, easing: 'ease-in' });
        }
      }
    },
    // Python's handler for a group's expand/collapse toggle: (name) -> nothing.
    setGroupHandler(handler) {
      handlers.group = handler;
    },
    // Patches to some cells, as JSON {id: {v, vt, g, gt, hl, done, mk}} (mk: a lesson marks it); only those re-render.
    update(json) {
      cells.update(JSON.parse(json));
      if (api.following) handle.follow();
    },
    // Brings the current step's nodes into view (the operand's alone if they do not fit).
    follow() {
      const lit = cells.highlighted();
      const nodes = lit.map(([id]) => id);
      const operand = lit.filter(([, part]) => part === 'operand' || part === 'result').map(([id]) => id);
      api.reveal?.(nodes, operand);
    },
    // Brings nodes into view, as JSON [ids, fallback ids]; with `whenFollowing`, only if
    // the view is following (no pan or zoom by hand since the last Reset, Fit or graph).
    reveal(json, whenFollowing = false) {
      if (whenFollowing && !api.following) return;
      const [ids, fallback] = JSON.parse(json);
      api.reveal?.(ids, fallback ?? []);
    },
    // The canvas changed size (the panel opened or closed): the first view again, and
    // the step, unless the user has moved the view by hand.
    reframe() {
      // Two frames: the pane has its new size once React Flow's ResizeObserver reported.
      requestAnimationFrame(() => requestAnimationFrame(() => {
        if (!api.following) return;
        api.start?.(store.get().nodes);
        handle.follow();
      }));
    },
    // Reset, Fit: the view follows the step again.
    followAgain() {
      api.following = true;
      handle.follow();
    },
    // Python's handler for input gestures on the canvas: (kind, name, ...) -> error text.
    // Until it is set (Python still booting) the gestures do nothing.
    setInputHandler(handler) {
      handlers.input = handler;
    },
    // Edit mode (edit-canvas.jsx): nodes can be dragged, connected, selected and deleted,
    // each gesture reported to Python's `handler(kind, json) -> refusal text or ''`.
    setEditing(on) {
      flushSync(() => store.set({ ...store.get(), editing: Boolean(on) }));
    },
    setEditHandler(handler) {
      handlers.edit = handler;
    },
    // React Flow fits once its nodes are measured, a frame or two later; `data-fits`
    // counts the fits on screen, so a test can wait for this one rather than for time.
    fitView() {
      api.following = true;
      Promise.resolve(api.fitView?.()).then(() => requestAnimationFrame(() => {
        element.dataset.fits = String(Number(element.dataset.fits ?? 0) + 1);
      }));
    },
    // The canvas's size in CSS px, as JSON [width, height].
    canvasSize() {
      return JSON.stringify([element.clientWidth, element.clientHeight]);
    },
    // The flow coordinates of the middle of what the canvas shows, as JSON [x, y].
    viewCenter() {
      const box = element.getBoundingClientRect();
      const point = api.toFlow?.(box.left + box.width / 2, box.top + box.height / 2);
      return JSON.stringify(point ? [point.x, point.y] : [0, 0]);
    },
    unmount() {
      root.unmount();
      delete element.dataset.mounted;
    },
  };
  return handle;
}
