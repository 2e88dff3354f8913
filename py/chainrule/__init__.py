"""chainrule: scalar autodiff you can watch, one chain-rule step at a time."""

from .core.engine import Value, maximum, minimum, tangents
from .core.expr import ExprError, Program, parse
from .view.graph import flow_graph
from .core.ids import node_ids
from .core.nn import MLP, Layer, Neuron
from .core.stepper import (ForwardStep, Step, TangentStep, backward_steps, forward_step_count,
                           forward_steps, step_count, tangent_steps)

__version__ = "0.1.0"


def show(x, **options):
    """The interactive graph of `x` in a notebook: see chainrule.notebook.show. Needs
    `pip install "chainrule[notebook]"`."""
    from .notebook import show as show_in_notebook

    return show_in_notebook(x, **options)


__all__ = [
    "Value", "maximum", "minimum", "parse", "ExprError", "Program", "flow_graph", "node_ids",
    "backward_steps", "step_count", "Step", "forward_steps", "tangent_steps", "tangents",
    "forward_step_count", "ForwardStep", "TangentStep", "Neuron", "Layer", "MLP", "show",
    "__version__",
]
