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
    "practice": "practice mode's question follows the step (the number it asks for stays "
                "hidden on the canvas) and its panel",
    "lesson": "the lesson's panel, its task's state, and the nodes its step marks",
}

REDRAWS = {
    # a new program from the editor, an example, a link, a sample, undo
    "program": ("stop-playing", "graph", "practice", "editing", "inputs", "tangent-inputs",
                "grad-check", "groups", "history", "step", "lesson", "saved", "examples",
                "link"),
    # the canvas's program changed, built by hand
    "canvas-program": ("stop-playing", "editor-text", "graph", "practice", "editing", "inputs",
                       "tangent-inputs", "grad-check", "groups", "history", "step", "lesson",
                       "saved", "examples", "link"),
    # the canvas drew again without a new program (New graph on an empty one, a node alone)
    "canvas-layout": ("stop-playing", "graph", "practice", "editing", "groups", "history",
                      "step", "lesson", "link"),
    # a failed draw: everything back as it was
    "restored": ("graph", "practice", "editing", "inputs", "tangent-inputs", "groups",
                 "history", "step", "lesson"),
    # an input's number, set (typed, slider released, scrub ended)
    "tuned": ("stop-playing", "patches", "practice", "input", "grad-check", "step", "lesson",
              "editor-follows", "edit-model", "history", "saved", "examples", "link"),
    # an input's number in the middle of a drag
    "tuning": ("stop-playing", "patches", "practice", "input", "step-later"),
    # the direction, or Tidy: a new layout of the same program
    "layout": ("graph", "practice", "lesson", "link"),
    # edit mode on or off
    "mode": ("graph", "practice", "editing", "groups", "step", "lesson"),
    # a group opened or closed
    "groups": ("regroup", "practice", "groups", "step", "lesson", "saved", "link-soon"),
    # Step, Back, Reset, Finish (`move` says which; a Step of practice asks)
    "step": ("patches", "practice", "step", "lesson", "link-soon"),
    # the forward pass, or forward mode's input
    "pass": ("stop-playing", "patches", "practice", "step", "tangent-inputs", "lesson",
             "link-soon"),
    # practice mode on or off
    "practice": ("stop-playing", "patches", "practice", "step", "lesson", "link-soon"),
    # a practice answer checked, or Show me
    "answer": ("stop-playing", "patches", "practice", "step", "lesson", "link-soon"),
    # a lesson opened, closed or moved to another step (what its step set up came first)
    "lesson": ("stop-playing", "lesson", "link"),
}


def redraws(kind):
    """The parts a change of `kind` redraws, in order (KeyError for an unknown kind)."""
    return REDRAWS[kind]
