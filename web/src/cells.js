// Per-id data cells outside React Flow's node data: values, grads and highlight change on
// every step, and a node subscribed to its own cell re-renders alone when its look
// changes; its numbers are written in place (useLiveText).
import { useCallback, useSyncExternalStore } from 'react';

const whole = (cell) => cell;

export function useCell(cells, id) {
  return useCellLook(cells, id, whole);
}

// Re-renders only when `look(cell)` changes (a string, or the cell itself): what the
// element looks like, its classes, apart from the numbers `useLiveText` writes.
export function useCellLook(cells, id, look) {
  const read = () => look(cells.get(id));
  // The same reader on the server: the build renders the first graph to HTML.
  return useSyncExternalStore((listener) => cells.subscribe(id, listener), read, read);
}

// A ref that keeps an element's numbers up to date without React: `write(element, cell)`
// runs now and on every change of the cell. A tuning changes every value and grad below
// the input, and re-rendering every node for them cost React about 2 ms of the frame at
// 200 nodes, for the same few DOM writes as these. React still renders the same numbers
// whenever it renders the element (its first render, the build's static HTML, a change
// of look), so the element's text must be a single string child and its attributes
// plain strings. Text (`inSight`) is written only while its node is in view (see
// setSight): new text costs the browser layout and paint even out of view, and zoomed in
// to read a 200-node graph, most of the numbers a tuning changes are out of it.
export function useLiveText(cells, id, write, inSight = false) {
  return useCallback((element) => {
    if (!element) return undefined;
    const draw = (cell) => write(element, cell);
    draw(cells.get(id));
    return cells.watch(id, draw, inSight);
  }, [cells, id, write, inSight]);
}

// As React writes an element's only text: into its text node, which is cheaper for the
// browser than a new node in its place.
export function writeText(element, text) {
  const node = element.firstChild;
  if (node && node === element.lastChild && node.nodeType === Node.TEXT_NODE) {
    if (node.nodeValue !== text) node.nodeValue = text;
  } else if (element.textContent !== text) {
    element.textContent = text;
  }
}

export function writeTitle(element, text) {
  if (element.title !== text) element.title = text;
}

// The data attributes as last written, kept on the element: reading one back through
// `dataset` is a DOM call, and a patch of every cell reads three on every value node.
const WRITTEN = Symbol('data written');

export function writeData(element, key, text) {
  const written = (element[WRITTEN] ??= {});
  if (written[key] !== text) {
    written[key] = text;
    element.dataset[key] = text;
  }
}

// Python's numbers cross as JSON numbers when finite and otherwise as the text "nan",
// "inf" or "-inf" (py/chainrule/wire.py), which a cell's number text (`v`, `g`: Python's
// repr) is too. This is the one place that reads that text: such a value is drawn in
// the warning colour.
const NOT_FINITE = new Set(['nan', 'inf', '-inf']);

export function notFinite(wire) {
  return NOT_FINITE.has(wire);
}

export function classes(...names) {
  return names.filter(Boolean).join(' ');
}

// Cells are flat records of strings and booleans.
function sameCell(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

// The ids whose cell has a highlight part, as [[id, part]], one array per change: a
// layer that draws only what is highlighted watches this instead of a cell per item.
export function useHighlighted(cells) {
  return useSyncExternalStore(cells.subscribeHighlighted, cells.highlighted, cells.highlighted);
}

export function createCells() {
  const cells = new Map();
  const listeners = new Map();
  const writers = new Map();
  const sightWriters = new Map();
  const waiting = new Set(); // ids whose text changed out of view
  let inView = () => true;
  const empty = {};
  const lit = new Map();
  const litListeners = new Set();
  let litList = [];

  function draw(map, id) {
    const drawn = map.get(id);
    if (drawn) for (const write of drawn) write(cells.get(id) ?? empty);
  }

  function notify(id) {
    draw(writers, id);
    if (sightWriters.has(id)) {
      if (inView(id)) {
        waiting.delete(id);
        draw(sightWriters, id);
      } else {
        waiting.add(id);
      }
    }
    const set = listeners.get(id);
    if (set) for (const listener of set) listener();
  }

  function add(map, id, item) {
    let set = map.get(id);
    if (!set) map.set(id, (set = new Set()));
    set.add(item);
    return () => {
      set.delete(item);
      if (!set.size) map.delete(id);
    };
  }

  // Keeps `lit` in step with the cell of `id`; true if its highlight changed.
  function track(id) {
    const part = cells.get(id)?.hl || '';
    if ((lit.get(id) ?? '') === part) return false;
    if (part) lit.set(id, part);
    else lit.delete(id);
    return true;
  }

  function notifyHighlighted(changed) {
    if (!changed) return;
    litList = [...lit];
    for (const listener of litListeners) listener();
  }

  return {
    get: (id) => cells.get(id) ?? empty,
    // Replaces every cell: used with a new graph. Only the cells that differ are
    // notified: a regrouped graph keeps most of them, and each notice is a re-render.
    reset(entries) {
      const next = new Map(Object.entries(entries ?? {}));
      const changed = [...cells.keys()].filter((id) => !next.has(id));
      for (const [id, cell] of next) {
        const old = cells.get(id);
        if (old && sameCell(old, cell)) next.set(id, old);
        else changed.push(id);
      }
      cells.clear();
      for (const [id, cell] of next) cells.set(id, cell);
      let relit = false;
      for (const id of [...lit.keys(), ...changed]) relit = track(id) || relit;
      for (const id of changed) notify(id);
      notifyHighlighted(relit);
    },
    // Merges patches into some cells and notifies only those.
    update(patches) {
      let relit = false;
      for (const [id, patch] of Object.entries(patches ?? {})) {
        cells.set(id, { ...(cells.get(id) ?? empty), ...patch });
        relit = track(id) || relit;
        notify(id);
      }
      notifyHighlighted(relit);
    },
    highlighted: () => litList,
    subscribeHighlighted(listener) {
      litListeners.add(listener);
      return () => litListeners.delete(listener);
    },
    subscribe: (id, listener) => add(listeners, id, listener),
    watch: (id, write, inSight) => add(inSight ? sightWriters : writers, id, write),
    // `visible(id)`: whether the element that shows `id` is in view (the flow's viewport).
    setSight(visible) {
      inView = visible;
    },
    // The view moved: writes the text that waited for the ids now in view.
    reveal() {
      for (const id of waiting) {
        if (inView(id)) {
          waiting.delete(id);
          draw(sightWriters, id);
        }
      }
    },
  };
}
