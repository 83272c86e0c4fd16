"""Benchmark: callback latency of the lesson apps (crmsim.widgets) on the bundled company.

Run by hand (not part of the test suite)::

    python benchmarks/bench_widgets.py [--changes 7] [--no-png]

For each app it makes the app, then changes one control ``--changes`` times (alternating between
two values, as a student dragging a slider back and forth would) and reports the median and the
worst of ``App.last_seconds``: the time from the new value to the redrawn output, compute and
render included. Figures are really rendered to PNG, as the notebook's inline backend does (an
IPython shell with the inline figure formatter is started), so the figures are not flattered by
a headless run. Targets: under 0.3 s for method apps, under 1 s for simulation apps.
"""

from __future__ import annotations

import argparse
import platform
import statistics

METHOD_TARGET = 0.3
SIMULATION_TARGET = 1.0


def _inline_shell() -> None:
    """Start an IPython shell whose display() renders figures to PNG, as in a notebook."""
    import matplotlib
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.pylabtools import select_figure_formats

    matplotlib.use("Agg")
    shell = InteractiveShell.instance()
    select_figure_formats(shell, {"png"})


def _measure(app, control: str, values: list, changes: int) -> list[float]:
    times = []
    for i in range(changes):
        app.controls[control].value = values[i % len(values)]
        if app.error is not None:
            raise RuntimeError(f"{control}={values[i % len(values)]!r}: {app.error}")
        times.append(app.last_seconds)
    return times


def bench_lessons_00_02(changes: int = 7) -> list[dict]:
    """Apps of lessons 00-02: abc_explorer (method) and lifecycle_explorer (simulation)."""
    import crmsim
    from crmsim import datasets
    from crmsim.widgets.abc import abc_explorer
    from crmsim.widgets.lifecycle import lifecycle_explorer

    value = crmsim.customer_value(datasets.load_transactions(), as_of="2024-12-31",
                                  customers=datasets.load_customers())
    abc = abc_explorer(value, value="current_value")
    life = lifecycle_explorer()
    cases = [
        ("abc_explorer", "method", abc, "cutoff_a", [0.70, 0.80]),
        ("abc_explorer", "method", abc, "value", ["historical_value", "current_value"]),
        ("abc_explorer", "method", abc, "boundary", ["before", "including"]),
        ("lifecycle_explorer", "simulation", life, "service_level", [0.3, 0.8]),
        ("lifecycle_explorer", "simulation", life, "start_stage", ["stability", "decline"]),
        ("lifecycle_explorer", "simulation", life, "months", [60, 36]),
    ]
    rows = []
    for name, kind, app, control, values in cases:
        times = _measure(app, control, values, changes)
        target = METHOD_TARGET if kind == "method" else SIMULATION_TARGET
        rows.append({"app": name, "kind": kind, "control": control,
                     "median_s": statistics.median(times), "max_s": max(times),
                     "target_s": target})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=7, help="value changes per control (>= 5)")
    parser.add_argument("--no-png", action="store_true",
                        help="do not render figures to PNG (compute and figure building only)")
    args = parser.parse_args(argv)
    if args.changes < 5:
        parser.error("--changes must be at least 5")
    if not args.no_png:
        _inline_shell()
    print(f"python {platform.python_version()} on {platform.machine()}, "
          f"{args.changes} value changes per control, "
          f"{'no PNG rendering' if args.no_png else 'figures rendered to PNG'}")
    rows = bench_lessons_00_02(args.changes)
    print(f"{'app':<20} {'control':<15} {'median s':>9} {'max s':>7} {'target':>7}  ok")
    for r in rows:
        ok = "yes" if r["median_s"] < r["target_s"] else "NO"
        print(f"{r['app']:<20} {r['control']:<15} {r['median_s']:>9.3f} {r['max_s']:>7.3f} "
              f"{r['target_s']:>7.1f}  {ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
