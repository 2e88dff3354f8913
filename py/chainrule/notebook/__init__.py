"""chainrule in a notebook: `show(x)` draws `x`'s compute graph as an interactive widget.

Works wherever anywidget does (JupyterLab, Notebook 7, VS Code, Colab; marimo through
`mo.ui.anywidget`). Needs `pip install "chainrule[notebook]"`.
"""

import sys

from .convert import convert


def show(x, *, write_grads=False, labels=None, model=None, direction="LR", height=480):
    """The interactive graph of `x`: a chainrule Value, a parsed program, expression text,
    or a micrograd Value. Step, Back, Play, Reset and Finish walk backprop one chain-rule
    contribution at a time; an input's number on the graph can be dragged or typed.

    The widget works on a copy: your objects' `.grad` and `.data` are left alone, since
    micrograd's `backward()` adds to `.grad` and would add to what the widget left. With
    `write_grads=True` the widget writes its numbers into your objects after every action.
    `labels` ({name: node}) names unlabelled nodes; by default the variables of the code
    that called show() name them (`a = Value(2.0)` is drawn as `a`). `model` (an MLP,
    Layer or Neuron) boxes each neuron as a group and names its weights.
    """
    from .widget import GraphWidget  # anywidget is needed from here on only

    if labels is None:
        labels = _caller_names()
    converted = convert(x, labels=labels, model=model)
    return GraphWidget(converted, direction=direction, write_grads=write_grads, height=height)


def _caller_names():
    """{name: object} of the calling code's variables (outside chainrule), locals first."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__", "").startswith("chainrule"):
        frame = frame.f_back
    if frame is None:
        return {}
    names = {}
    for scope in (frame.f_locals, frame.f_globals):
        for name, value in scope.items():
            if not name.startswith("_") and name not in names:
                names[name] = value
    return names


__all__ = ["show"]
