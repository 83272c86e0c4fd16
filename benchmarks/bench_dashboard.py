"""Benchmark of the manager's dashboard (run by hand; figures reported, not asserted).

What a manager waits for after pressing Run in :func:`crmsim.widgets.dashboard`, in seconds:
the simulations alone (``DashboardResult.seconds``) and the whole click (simulations, tables,
chart and the downloadable report), for

- the defaults: the classroom company (300 customers, 10 managers), the four structures,
  5 replications of 12 months (20 runs, target: a few seconds);
- an uploaded file: the bundled company's 600 customers, its 15 managers, same settings;
- switching the language afterwards (redraw only, no simulation).

Usage::

    python benchmarks/bench_dashboard.py
"""

from __future__ import annotations

import contextlib
import io
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]


def _click(app) -> float:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        app.run_button.click()
    assert app.error is None, app.message.value
    return time.perf_counter() - start


def main() -> None:
    from crmsim.widgets import dashboard

    app = dashboard()
    whole = _click(app)
    print(f"defaults ({app.result.runs} runs, classroom company): simulations "
          f"{app.result.seconds:.2f} s, whole click {whole:.2f} s")  # fmt: skip
    app.load_file("customers.csv", (ROOT / "datasets" / "customers.csv").read_bytes())
    whole = _click(app)
    print(f"uploaded bundled company ({app.result.company[1]} customers, "
          f"{app.controls['team_size'].value} managers, {app.result.runs} runs): simulations "
          f"{app.result.seconds:.2f} s, whole click {whole:.2f} s")  # fmt: skip
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        app.set_language("zh")
    print(f"switch to Chinese (redraw and report, no simulation): "
          f"{time.perf_counter() - start:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
