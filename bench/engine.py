"""chainrule vs micrograd 0.1.0, side by side in one run.

    .venv/bin/python bench/engine.py [--repeats 7] [--cap 262144]

1. Training-step workload: forward + backward of MLP(3, [16, 16, 1]) with a squared-error
   loss summed over 20 fixed samples (about 15,000 nodes), with identical weights in both
   engines. Best of N repeats, runs interleaved; the ratio target is <= 0.8. Timed as
   Python runs by default (cyclic GC on), and again with the GC paused: micrograd's
   closures make a reference cycle per node, so much of its time is garbage collection.
2. The deepest chain `v = v + 1` each engine can backprop: micrograd's recursive
   topological sort stops at Python's recursion limit; chainrule's is iterative.
"""

import argparse
import gc
import math
import platform
import random
import sys
import time

from chainrule import MLP, Value

try:
    from micrograd.engine import Value as MGValue
    from micrograd.nn import MLP as MGMLP
except ImportError:  # pragma: no cover - the bench needs the `bench` extra
    sys.exit("micrograd is not installed: pip install -e .[bench]  (micrograd==0.1.0)")

SIZES = [16, 16, 1]
N_SAMPLES = 20
TARGET_RATIO = 0.8


def dataset(seed=1234):
    rng = random.Random(seed)
    xs = [[rng.uniform(-2.0, 2.0) for _ in range(3)] for _ in range(N_SAMPLES)]
    ys = [rng.uniform(-1.0, 1.0) for _ in range(N_SAMPLES)]
    return xs, ys


def twin_networks(seed=0):
    """Our MLP and a micrograd MLP carrying exactly the same weights and biases."""
    ours = MLP(3, SIZES, seed=seed)
    theirs = MGMLP(3, SIZES)
    for layer, mg_layer in zip(ours.layers, theirs.layers):
        assert len(layer.neurons) == len(mg_layer.neurons)
        for n, mg_n in zip(layer.neurons, mg_layer.neurons):
            for w, mg_w in zip(n.w, mg_n.w):
                mg_w.data = w.data
            mg_n.b.data = n.b.data
    return ours, theirs


def step_ours(net, xs, ys):
    loss = sum(((net(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
    net.zero_grad()
    loss.backward()
    return loss


def step_micrograd(net, xs, ys):
    loss = sum((net(x) - y) ** 2 for x, y in zip(xs, ys))
    net.zero_grad()
    loss.backward()
    return loss


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def training_step(repeats):
    xs, ys = dataset()
    ours, theirs = twin_networks()
    loss = step_ours(ours, xs, ys)
    mg_loss = step_micrograd(theirs, xs, ys)
    nodes = len(loss.topological_order())
    # same numbers in both engines, or the timing compares different work
    assert math.isclose(loss.data, mg_loss.data, rel_tol=1e-12), (loss.data, mg_loss.data)
    worst = max(abs(p.grad - q.grad) / max(1.0, abs(q.grad))
                for p, q in zip(ours.parameters(), theirs.parameters()))
    assert worst < 1e-9, worst

    def interleaved():
        t_ours, t_mg = [], []
        for _ in range(repeats):  # interleaved, so drift in the machine hits both alike
            t_ours.append(best_of(lambda: step_ours(ours, xs, ys), 1))
            t_mg.append(best_of(lambda: step_micrograd(theirs, xs, ys), 1))
        return min(t_ours), min(t_mg)

    t_ours, t_mg = interleaved()
    gc.disable()
    try:
        nogc_ours, nogc_mg = interleaved()
    finally:
        gc.enable()
    fwd_ours = best_of(lambda: sum(((ours(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0)),
                       repeats)
    fwd_mg = best_of(lambda: sum((theirs(x) - y) ** 2 for x, y in zip(xs, ys)), repeats)
    return {
        "nodes": nodes, "loss": loss.data, "max_grad_diff": worst,
        "ours": t_ours, "micrograd": t_mg, "nogc_ours": nogc_ours, "nogc_micrograd": nogc_mg,
        "fwd_ours": fwd_ours, "fwd_micrograd": fwd_mg,
    }


def chain(value_cls, depth):
    x = value_cls(0.5)
    v = x
    for _ in range(depth):
        v = v + 1
    return x, v


def backprops(value_cls, depth):
    """True if a chain of `depth` additions backprops correctly in this engine."""
    x, v = chain(value_cls, depth)
    try:
        v.backward()
    except RecursionError:
        return False
    finally:
        del v
    return x.grad == 1


def deepest(value_cls, cap, start=64):
    """The largest depth <= cap that backprops: doubling, then bisection."""
    lo, hi = 0, start
    while hi <= cap and backprops(value_cls, hi):
        lo, hi = hi, hi * 2
    if hi > cap:
        return lo, True  # still fine at the cap
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if backprops(value_cls, mid):
            lo = mid
        else:
            hi = mid
    return lo, False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cap", type=int, default=1 << 18,
                        help="deepest chain to try for either engine")
    args = parser.parse_args()

    print(f"Python {platform.python_version()} ({platform.python_implementation()}), "
          f"{platform.machine()}, recursion limit {sys.getrecursionlimit()}")
    r = training_step(args.repeats)
    ratio = r["ours"] / r["micrograd"]
    print(f"\nforward+backward, MLP(3, {SIZES}), squared error over {N_SAMPLES} samples "
          f"({r['nodes']:,} nodes), best of {args.repeats}:")
    print(f"  chainrule  {r['ours'] * 1e3:8.2f} ms   (forward alone {r['fwd_ours'] * 1e3:.2f} ms)")
    print(f"  micrograd  {r['micrograd'] * 1e3:8.2f} ms   "
          f"(forward alone {r['fwd_micrograd'] * 1e3:.2f} ms)")
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"  ratio      {ratio:8.3f}      ({verdict} the target <= {TARGET_RATIO})")
    print(f"  with the cyclic GC paused: chainrule {r['nogc_ours'] * 1e3:.2f} ms, micrograd "
          f"{r['nogc_micrograd'] * 1e3:.2f} ms, ratio {r['nogc_ours'] / r['nogc_micrograd']:.3f}")
    print(f"  same loss in both ({r['loss']:.6g}); largest grad difference {r['max_grad_diff']:.1e}")

    print(f"\ndeepest chain `v = v + 1` that backprops (search capped at {args.cap:,}):")
    for name, cls in (("chainrule", Value), ("micrograd", MGValue)):
        t = time.perf_counter()
        depth, capped = deepest(cls, args.cap)
        note = f">= {depth:,} (reached the cap)" if capped else f"{depth:,}"
        print(f"  {name:<10} {note}   [{time.perf_counter() - t:.1f} s to find]")


if __name__ == "__main__":
    main()
