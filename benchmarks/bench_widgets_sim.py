"""Benchmark: callback latency of the simulation lesson apps (lessons 06, 08, 09, 10).

Run by hand (not part of the test suite)::

    PYTHONPATH=. python benchmarks/bench_widgets_sim.py [--changes 5]

Each app is built on its default company (the classroom company, 300 customers and 10 managers,
12 months, 3 replications on common random numbers). Then one control is moved to ``--changes``
values not seen before (each a cache miss: the new setting is simulated), then through
``--changes`` values already seen (cache hits); for the planner also text typed into a step.
The figure is ``App.last_seconds``: compute and render of one change, as a slider move would
trigger it.
Target: under 1 s per change (simulation apps). Serial, one process: never more than 2 workers.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import platform
import statistics
import time

TARGET_SECONDS = 1.0


def _measure(app, name: str, values: list) -> list[float]:
    times = []
    for v in values:
        with contextlib.redirect_stdout(io.StringIO()):  # tables shown outside a kernel
            app.controls[name].value = v
        if app.error is not None:
            raise RuntimeError(f"{name}={v!r}: {app.error}")
        times.append(app.last_seconds)
    return times


def bench_sim_apps(changes: int = 5) -> list[dict]:
    """Latency rows (app, kind, median_s, max_s, n) of the four simulation apps."""
    import numpy as np

    from crmsim.widgets.funnel import funnel_explorer
    from crmsim.widgets.incentives import incentive_explorer
    from crmsim.widgets.rollout import rollout_planner
    from crmsim.widgets.star import star_departure_explorer

    def grid(low: float, high: float) -> list[float]:
        return [round(float(x), 2) for x in np.linspace(low, high, changes)]

    plans = [
        ("funnel_explorer", funnel_explorer, "presentation", grid(0.75, 0.95), None),
        ("star_departure_explorer", star_departure_explorer, "adoption", grid(0.4, 0.8), None),
        ("incentive_explorer", incentive_explorer, "deferred_share", grid(0.3, 0.5), None),
        ("rollout_planner", rollout_planner, "phase1", grid(0.1, 0.4), "step1"),
    ]
    rows = []
    for app_name, factory, control, values, text in plans:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            app = factory()
        build = time.perf_counter() - start
        rows.append({"app": app_name, "kind": "build", "median_s": build, "max_s": build, "n": 1})
        cold = _measure(app, control, values)
        warm = _measure(app, control, list(reversed(values[:-1])) + [values[-1]])
        for kind, t in (("new setting (simulated)", cold), ("seen setting (cached)", warm)):
            rows.append({"app": app_name, "kind": kind, "median_s": statistics.median(t),
                         "max_s": max(t), "n": len(t)})  # fmt: skip
        if text:
            typed = _measure(app, text, [f"goal {i}" for i in range(changes)])
            rows.append({"app": app_name, "kind": "typing a plan note", "n": len(typed),
                         "median_s": statistics.median(typed), "max_s": max(typed)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=5, help="value changes per app (>= 5)")
    args = parser.parse_args()
    import matplotlib

    matplotlib.use("Agg")
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"target < {TARGET_SECONDS:.1f} s per change")
    for row in bench_sim_apps(max(5, args.changes)):
        flag = "" if row["kind"] == "build" or row["median_s"] < TARGET_SECONDS else "  (over)"
        print(f"{row['app']:<26} {row['kind']:<26} median {row['median_s']:6.3f} s  "
              f"max {row['max_s']:6.3f} s  n={row['n']}{flag}")


if __name__ == "__main__":
    main()
