"""Training a small MLP on a toy dataset: data, batched gradients, the trainer, runs, the
Train panel's form and its plots.

Depends on core only."""
