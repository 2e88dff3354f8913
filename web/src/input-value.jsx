// An input node's number on the canvas: drag sideways to scrub it, click (or Enter) to type
// one. Only the gestures live here; Python reads the number, decides the value, and sends
// the new cells back through the usual update. `handlers.input(kind, name, ...)` is
// Python's handler (absent while Python boots): an error message for a refused entry, else ''.
// The node re-renders this only when its look changes: the cell is read here, and the
// number shown is kept up to date by the node's `liveValue` ref (cells.js).
import { useEffect, useRef, useState } from 'react';
import './input-value.css';

const DRAG_THRESHOLD_PX = 3;
// The input whose field Enter or Escape just closed: its number takes the focus back,
// also when the new graph that a commit may bring mounts it afresh.
let refocus = null;

export function InputValue({ name, cells, id, liveValue, handlers, className }) {
  const cell = cells.get(id);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState('');
  const drag = useRef(null);
  const closed = useRef(false); // Escape or a commit closed the field: its blur is not a commit
  const number = useRef(null);
  const testid = `value-${name}`;
  const report = (...args) => handlers.input?.(...args) ?? '';
  useEffect(() => {
    if (!editing && refocus === name && number.current) {
      refocus = null;
      number.current.focus();
    }
  }, [editing, name]);

  if (editing) {
    const close = (fromKey) => {
      closed.current = true;
      if (fromKey) refocus = name;
      setEditing(false);
      setError('');
    };
    const commit = (text, fromKey) => {
      const message = report('commit', name, text);
      if (message) setError(message);
      else close(fromKey);
      return !message;
    };
    return (
      <span className={className}>
        {error
          ? <small className="vnode__error" role="alert" title={error}
                   data-testid={`value-error-${name}`}>{error}</small>
          : <small>data</small>}
        <input
          className="vnode__input nodrag nopan nowheel" data-testid={testid}
          aria-label={`Value of ${name}`} aria-invalid={error ? 'true' : undefined}
          defaultValue={cell.e ?? cell.v} autoFocus inputMode="decimal" spellCheck={false}
          onFocus={(event) => event.target.select()}
          onKeyDown={(event) => {
            event.stopPropagation();
            if (event.key === 'Enter') commit(event.target.value, true);
            else if (event.key === 'Escape') close(true);
          }}
          onBlur={(event) => { if (!closed.current && !commit(event.target.value, false)) close(false); }}
        />
      </span>
    );
  }

  const open = () => {
    if (!handlers.input) return;
    closed.current = false;
    setEditing(true);
  };
  const onPointerDown = (event) => {
    if (event.button !== 0 || !handlers.input) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { x: event.clientX, startX: event.clientX, moving: false };
  };
  const onPointerMove = (event) => {
    const state = drag.current;
    if (!state) return;
    if (!state.moving) {
      if (Math.abs(event.clientX - state.startX) < DRAG_THRESHOLD_PX) return;
      state.moving = true;
      report('scrub-start', name);
    }
    const dx = event.clientX - state.x;
    state.x = event.clientX;
    if (dx) report('scrub', name, dx, event.shiftKey);
  };
  const onPointerUp = (event) => {
    const state = drag.current;
    drag.current = null;
    if (!state) return;
    if (state.moving) report('scrub-end', name);
    else if (event.type === 'pointerup') open();
  };

  return (
    <span
      ref={number}
      className={`${className} vnode__tunable nodrag nopan`} data-testid={testid} tabIndex={0}
      role="button" aria-description="Drag sideways to change it, or press Enter to type a number"
      title="Drag sideways to change (Shift: finer) · click to type"
      onPointerDown={onPointerDown} onPointerMove={onPointerMove}
      onPointerUp={onPointerUp} onPointerCancel={onPointerUp}
      onKeyDown={(event) => {
        // a role="button" answers Space as a button does (not the page's Play)
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          event.stopPropagation();
          open();
        }
      }}
    >
      <span className="visually-hidden">{name} </span><small>data</small>
      <span className="vnode__number" ref={liveValue} title={cell.v ?? ''}>{cell.vt ?? ''}</span>
    </span>
  );
}
