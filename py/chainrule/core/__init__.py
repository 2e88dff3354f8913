"""The engine and its language: values and ops, the expression parser, the steppers that
apply the chain rule one step at a time, their explanations, and the small neural nets.

Depends on nothing else in chainrule."""
