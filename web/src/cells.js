// Per-id data cells outside React Flow's node data: values, grads and highlight change on
// every step, and a node subscribed to its own cell re-renders alone when it changes.
import { useSyncExternalStore } from 'react';

export function useCell(cells, id) {
  const read = () => cells.get(id);
  // The same reader on the server: the build renders the first graph to HTML.
  return useSyncExternalStore((listener) => cells.subscribe(id, listener), read, read);
}

export function classes(...names) {
  return names.filter(Boolean).join(' ');
}

// Cells are flat records of strings and booleans.
function sameCell(a, b) {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

export function createCells() {
  const cells = new Map();
  const listeners = new Map();
  const empty = {};

  function notify(id) {
    const set = listeners.get(id);
    if (set) for (const listener of set) listener();
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
      for (const id of changed) notify(id);
    },
    // Merges patches into some cells and notifies only those.
    update(patches) {
      for (const [id, patch] of Object.entries(patches ?? {})) {
        cells.set(id, { ...(cells.get(id) ?? empty), ...patch });
        notify(id);
      }
    },
    subscribe(id, listener) {
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (!set.size) listeners.delete(id);
      };
    },
  };
}
