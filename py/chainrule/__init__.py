"""chainrule: scalar autodiff you can watch, one chain-rule step at a time."""

from .engine import Value, maximum, minimum
from .expr import ExprError, Program, parse
from .graph import flow_graph, node_ids
from .nn import MLP, Layer, Neuron
from .stepper import Step, backward_steps, step_count

__version__ = "0.1.0"

__all__ = [
    "Value", "maximum", "minimum", "parse", "ExprError", "Program", "flow_graph", "node_ids",
    "backward_steps", "step_count", "Step", "Neuron", "Layer", "MLP", "__version__",
]
