"""Benchmark of the manager's dashboard (run by hand; figures reported, not asserted).

What a manager waits for after pressing Run in :func:`crmsim.widgets.dashboard`, in seconds:

- **click to result**: from the click until the recommendation, tables and chart are on screen
  (what the status line reports; target: under 3 s for the defaults on 2 cores);
- the simulations alone (``DashboardResult.seconds``);
- **report ready**: when the downloadable report, built beside the page after the result, is
  offered (measured from the click);

for

- the defaults: the classroom company (300 customers, 10 managers), the four structures,
  5 replications of 12 months (20 runs), in the kernel (``workers=1``) and on a warm pool of
  two worker processes (``workers=2``, started when the dashboard is built);
- an uploaded file: 1,200 customers with their own 25 account managers (the bundled
  company's customers, doubled), same settings;
- switching the language afterwards (redraw and report, no simulation).

Usage::

    python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import matplotlib
import pandas as pd

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


def _click(app) -> tuple[float, float]:
    """Click Run; return (click to result, click to report ready)."""
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        app.run_button.click()
    result = time.perf_counter() - start
    assert app.error is None, app.message.value
    app.report_files()
    return result, time.perf_counter() - start


def _big_file() -> bytes:
    """1,200 customers with their own 25 account managers (the bundled ones, doubled)."""
    customers = pd.read_csv(ROOT / "datasets" / "customers.csv")
    twice = pd.concat([customers, customers.assign(customer_id=customers["customer_id"] + "-2")])
    twice["manager_id"] = [f"M{i % 25 + 1:02d}" for i in range(len(twice))]
    return twice.to_csv(index=False).encode("utf-8")


def main() -> None:
    from crmsim.report.fonts import warm_fonts
    from crmsim.widgets import dashboard

    for workers in (1, 2):
        start = time.perf_counter()
        app = dashboard(workers=workers)
        warm_fonts()  # a manager reads the page while the report's font is prepared
        if workers != 1:
            time.sleep(3)  # ... and while the pool of workers starts
        print(f"page ready (font prepared) in {time.perf_counter() - start:.2f} s")
        whole, ready = _click(app)
        print(f"defaults, workers={workers} ({app.result.runs} runs, classroom company): "
              f"click to result {whole:.2f} s (simulations {app.result.seconds:.2f} s), "
              f"report ready {ready:.2f} s after the click")  # fmt: skip
        again, ready = _click(app)
        print(f"  second click: click to result {again:.2f} s, report ready {ready:.2f} s")
    app.load_file("customers_1200.csv", _big_file())
    whole, ready = _click(app)
    print(f"uploaded file ({app.result.company[1]} customers, its own "
          f"{app.customer_file.managers_named} managers, {app.result.runs} runs, workers=2): "
          f"click to result {whole:.2f} s (simulations {app.result.seconds:.2f} s), report "
          f"ready {ready:.2f} s")  # fmt: skip
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        app.set_language("zh")
    drawn = time.perf_counter() - start
    app.report_files()
    print(f"switch to Chinese: redrawn in {drawn:.2f} s, report ready "
          f"{time.perf_counter() - start:.2f} s (no simulation)")  # fmt: skip


if __name__ == "__main__":
    main()
