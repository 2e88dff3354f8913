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

// The ids whose cell has a highlight part, as [[id, part]], one array per change: a
// layer that draws only what is highlighted watches this instead of a cell per item.
export function useHighlighted(cells) {
  return useSyncExternalStore(cells.subscribeHighlighted, cells.highlighted, cells.highlighted);
}

export function createCells() {
  const cells = new Map();
  const listeners = new Map();
  const empty = {};
  const lit = new Map();
  const litListeners = new Set();
  let litList = [];

  function notify(id) {
    const set = listeners.get(id);
    if (set) for (const listener of set) listener();
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
