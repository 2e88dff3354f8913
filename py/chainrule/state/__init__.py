"""What the page is showing and how it changes: the session (program, view, step, tuning),
inputs, share links, examples, scripts, canvas editing, undo, keys.

Depends on view and core; never on the browser."""
