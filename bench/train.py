"""How fast the page trains: one gradient-descent step of the default 2-8-8-1 network on a
32-sample batch of two moons, on CPython and in the browser.

    .venv/bin/python bench/train.py [--seconds 4] [--runs 3]      (after `make build`)

CPython: the float backprop the page uses (Trainer.step, accuracy included) and, for
comparison, the same step through a Value graph (Trainer.loss + backward), plus the
steps the defaults take to reach 95% training accuracy. Browser: the Train button runs
for a few seconds; the page's own clock of a step (data-step-ms, Python's time per step,
a running average sampled every 250 ms) and steps per second of wall time, which also
holds the plots' redraws and the browser's turns between chunks; and the page's long
tasks (over 50 ms, when input would wait) while training.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO / "py"))

from render import app_page, site_argument, spread  # noqa: E402

from chainrule.train.trainer import Trainer  # noqa: E402

STEP_MS = "Number(document.querySelector('[data-testid=\"train-rate\"]').dataset.stepMs)"
WATCH_LONG_TASKS = """() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
    }).observe({type: 'longtask'});
}"""
STEPS = "Number(document.querySelector('[data-testid=\"train-step-count\"]').textContent)"


def cpython(steps=300):
    trainer = Trainer()
    times = []
    first_95 = None
    for _ in range(steps):
        started = time.perf_counter()
        record = trainer.step()
        times.append((time.perf_counter() - started) * 1000)
        if first_95 is None and record.accuracy >= 0.95:
            first_95 = record.step
    graph = Trainer()
    graph_times = []
    for _ in range(30):
        started = time.perf_counter()
        loss = graph.loss(graph.batch())
        graph.model.zero_grad()
        loss.backward()
        graph_times.append((time.perf_counter() - started) * 1000)
    return times, graph_times, first_95


def browser(site, seconds, runs):
    samples, rates = [], []
    with app_page(site) as page:
        page.click('[data-testid="train-panel"] summary')
        page.evaluate(WATCH_LONG_TASKS)
        for _ in range(runs):
            page.click('[data-testid="train-reset"]')
            before, started = page.evaluate(STEPS), time.monotonic()
            page.click('[data-testid="train"]')
            while time.monotonic() - started < seconds:
                page.wait_for_timeout(250)
                samples.append(page.evaluate(STEP_MS))
            page.click('[data-testid="train"]')
            rates.append((page.evaluate(STEPS) - before) / (time.monotonic() - started))
        long_tasks = page.evaluate("window.longTasks")
    return samples, rates, long_tasks, runs * seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--runs", type=int, default=3)
    site_argument(parser)
    args = parser.parse_args()
    times, graph_times, first_95 = cpython()
    print("one training step, 2-8-8-1, batch 32 (min / median / max)")
    print(f"  CPython, float backprop   {spread(times, '6.2f')} ms "
          f"({1000 / statistics.median(times):.0f} steps/s)")
    print(f"  CPython, Value graph      {spread(graph_times, '6.2f')} ms (loss + backward only)")
    print(f"  steps to 95% accuracy     {first_95}")
    samples, rates, long_tasks, seconds = browser(args.site, args.seconds, args.runs)
    print(f"  browser, a step's own     {spread(samples, '6.2f')} ms")
    print(f"  browser, while training   {spread(rates, '6.0f')} steps/s of wall time")
    longest = f", the longest {max(long_tasks):.0f} ms" if long_tasks else ""
    print(f"  long tasks while training {len(long_tasks)} in {seconds:.0f} s{longest}")


if __name__ == "__main__":
    main()
