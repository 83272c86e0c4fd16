"""Benchmark of the lesson apps' callback latency (run by hand; figures are reported, not asserted).

For each app: build it on the bundled company (or the classroom scenario), then change one
control at least five times and report the median and the maximum of ``App.last_seconds`` (the
time from the value change to the end of the redraw, measured inside the app). Headless: figures
are built and drawn to their canvas, but no PNG is sent to a browser.

Targets (issue 8): < 0.3 s for method apps, < 1 s for simulation apps.

Usage::

    python benchmarks/bench_widgets_03_05.py
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib
from _apps import latency  # benchmarks/_apps.py (scripts run from benchmarks/ on sys.path)

matplotlib.use("Agg")


def _report(name: str, kind: str, times: list[float], note: str = "") -> None:
    target = 0.3 if kind == "method" else 1.0
    med = statistics.median(times)
    flag = "ok" if med < target else "OVER TARGET"
    print(f"  {name:<34} {kind:<10} median {med:6.3f} s  max {max(times):6.3f} s  "
          f"(n={len(times)}, target < {target} s, {flag}) {note}")


def bench_lessons_03_05(print_header: bool = True) -> dict[str, list[float]]:
    """Lessons 03–05: pyramid_explorer, credit_explorer, credit_policy_explorer and
    relationship_map_builder."""
    import crmsim
    from crmsim import datasets
    from crmsim.widgets.credit import credit_explorer, credit_policy_explorer
    from crmsim.widgets.pyramid import pyramid_explorer
    from crmsim.widgets.relationship_map import relationship_map_builder

    if print_header:
        print("lessons 03-05 apps (crmsim.widgets.pyramid, .credit)")
    customers = datasets.load_customers()
    value = crmsim.customer_value(
        datasets.load_transactions(), as_of="2024-12-31", customers=customers
    )
    figures: dict[str, list[float]] = {}

    with contextlib.redirect_stdout(io.StringIO()):
        app = pyramid_explorer(value)
        app.controls["split"].value = "quantile"
    figures["pyramid_explorer"] = latency(
        app, [("quantile", q) for q in (0.6, 0.7, 0.8, 0.9, 0.65, 0.75)]
    )
    _report("pyramid_explorer (quantile)", "method", figures["pyramid_explorer"])

    with contextlib.redirect_stdout(io.StringIO()):
        app = credit_explorer(customers)
    figures["credit_explorer"] = latency(
        app, [("character", w) for w in (2, 3, 4, 5, 0, 1)]
    )
    _report("credit_explorer (weights)", "method", figures["credit_explorer"])

    with contextlib.redirect_stdout(io.StringIO()):
        app = credit_policy_explorer(replications=3, seed=1)  # warm: the 3 policies at 0.5
    first = latency(
        app, [("acceptance", a) for a in (0.2, 0.4, 0.6, 0.8, 1.0)]
    )
    figures["credit_policy_explorer (new setting)"] = first
    _report("credit_policy_explorer (new)", "simulation", first,
            "classroom scenario, 3 replications")
    cached = latency(app, [("policy", p) for p in ("decline", "accept", "cash_only")] * 2)
    figures["credit_policy_explorer (cached)"] = cached
    _report("credit_policy_explorer (policy)", "simulation", cached,
            "policy buttons, run when the app was built")

    with contextlib.redirect_stdout(io.StringIO()):
        app = relationship_map_builder(datasets.load_relationship_map())
    clicks = []
    pairs = list(app.controls["decide_need"].options)[:6]
    for i, (_, pair) in enumerate(pairs):
        with contextlib.redirect_stdout(io.StringIO()):  # (each set also redraws: not timed)
            app.controls["decide_need"].value = pair
            app.controls["decision"].value = "drop" if i % 2 else "keep"
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            app.controls["apply_decision"].click()
        clicks.append(time.perf_counter() - start)  # the whole click: map change, sync, redraw
        if app.error is not None:
            raise RuntimeError(str(app.error))
    figures["relationship_map_builder"] = clicks
    _report("relationship_map_builder (click)", "method", clicks,
            "bundled map, keep/drop clicks")
    return figures


def main(benches: Sequence[Callable[..., Any]] = (bench_lessons_03_05,)) -> None:
    for bench in benches:
        bench()


if __name__ == "__main__":
    main()
