"""What the page redraws after a change: one table, so that no change forgets a panel.

Every change to what the page shows goes through the glue's one refresh (page/app.py),
named by its kind here; the table lists the parts of the page drawn from the state that
the change makes stale, in the order they are drawn. A new panel is a new part, added to
the kinds that make it stale: tests/test_refresh.py checks the rules below on every kind.
"""

# The parts of the page drawn from the state, and what each shows.
PARTS = {
    "stop-playing": "Play stops: the change is not a step of it",
    "graph": "the canvas, as a new picture (nodes, edges, layout)",
    "patches": "the canvas's changed cells only",
    "regroup": "the canvas's boxes and frames after a group opened or closed",
    "editor-text": "the editor's text, rewritten (the canvas owns the program)",
    "editor-follows": "the editor's text, rewritten unless the user typed something new",
    "edit-model": "the canvas being edited takes the tuned numbers",
    "inputs": "the Inputs panel's rows",
    "input": "one input's field and slider",
    "tangent-inputs": "forward mode's input select and the sweep counts",
    "grad-check": "the gradient check's results, marked stale",
    "editing": "edit mode's button and tools",
    "groups": "the collapse/expand buttons",
    "history": "undo and redo",
    "step": "the step counter, the step buttons and the explanation",
    "step-later": "the explanation, once a drag pauses",
    "saved": "the text, its groups and its example saved for the next visit",
    "examples": "the Examples select",
    "link": "the URL's hash, at once",
    "link-soon": "the URL's hash, a moment later (steps come fast)",
}

REDRAWS = {
    # a new program from the editor, an example, a link, a sample, undo
    "program": ("stop-playing", "graph", "editing", "inputs", "tangent-inputs", "grad-check",
                "groups", "history", "step", "saved", "examples", "link"),
    # the canvas's program changed, built by hand
    "canvas-program": ("stop-playing", "editor-text", "graph", "editing", "inputs",
                       "tangent-inputs", "grad-check", "groups", "history", "step", "saved",
                       "examples", "link"),
    # the canvas drew again without a new program (New graph on an empty one, a node alone)
    "canvas-layout": ("stop-playing", "graph", "editing", "groups", "history", "step", "link"),
    # a failed draw: everything back as it was
    "restored": ("graph", "editing", "inputs", "tangent-inputs", "groups", "history", "step"),
    # an input's number, set (typed, slider released, scrub ended)
    "tuned": ("stop-playing", "patches", "input", "grad-check", "step", "editor-follows",
              "edit-model", "history", "saved", "examples", "link"),
    # an input's number in the middle of a drag
    "tuning": ("stop-playing", "patches", "input", "step-later"),
    # the direction, or Tidy: a new layout of the same program
    "layout": ("graph", "link"),
    # edit mode on or off
    "mode": ("graph", "editing", "groups", "step"),
    # a group opened or closed
    "groups": ("regroup", "groups", "step", "saved", "link-soon"),
    # Step, Back, Reset, Finish
    "step": ("patches", "step", "link-soon"),
    # the forward pass, or forward mode's input
    "pass": ("stop-playing", "patches", "step", "tangent-inputs", "link-soon"),
}


def redraws(kind):
    """The parts a change of `kind` redraws, in order (KeyError for an unknown kind)."""
    return REDRAWS[kind]
