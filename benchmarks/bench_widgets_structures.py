"""Benchmark of the lesson 07 app's callback latency (run by hand; figures reported, not asserted).

:func:`crmsim.widgets.structure_explorer` is a simulation app (target < 1 s per change). Two
cases are measured, each as the median and maximum of ``App.last_seconds`` over at least five
value changes:

- *new profile*: every change sets a company profile the app has not simulated yet, so all four
  structures are simulated (classroom-size book, 12 months, 3 replications);
- *cached*: the changes go back to profiles already seen, answered from the app's cache
  (only the summary, chart and table are redrawn).

Usage::

    python benchmarks/bench_widgets_structures.py
"""

from __future__ import annotations

import statistics

import matplotlib
from _apps import latency  # benchmarks/_apps.py (scripts run from benchmarks/ on sys.path)

matplotlib.use("Agg")


def _report(name: str, times: list[float], target: float = 1.0) -> None:
    med = statistics.median(times)
    flag = "ok" if med < target else "OVER TARGET"
    print(f"  {name:<44} median {med:6.3f} s  max {max(times):6.3f} s  "
          f"(n={len(times)}, target < {target} s, {flag})")


def bench_lesson_07(print_header: bool = True) -> dict[str, list[float]]:
    """Lesson 07: structure_explorer, new profiles, a new size preset and cached profiles."""
    from crmsim.widgets import structure_explorer

    if print_header:
        print("lesson 07 app (simulation; target < 1 s per change)")
    app = structure_explorer()
    new = latency(app, [("business_lines", v) for v in (2, 3, 4, 5, 6)])
    cached = latency(app, [("business_lines", v) for v in (1, 2, 3, 4, 5)])
    two = latency(app, [("structures", ("extended_roles", "dedicated_post")),
                         ("structures", ("dedicated_post", "dedicated_department")),
                         ("structures", ("extended_roles", "department_with_operations")),
                         ("structures", ("dedicated_department",)),
                         ("structures", ("extended_roles", "dedicated_post"))])
    sizes = latency(app, [("size", v) for v in ("small", "key_accounts")])
    results = {
        "structure_explorer: new profile (4 structures)": new,
        "structure_explorer: new size preset": sizes,
        "structure_explorer: cached profile": cached,
        "structure_explorer: structure choice (cached)": two,
    }
    for name, times in results.items():
        _report(name, times)
    return results


if __name__ == "__main__":
    bench_lesson_07()
