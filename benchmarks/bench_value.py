"""Benchmark of issue 19's additions (run by hand; figures are reported, not asserted).

Prints, in one run:

1. what customer value and the plausibility guard cost: the guard before a run
   (:func:`crmsim.sim.plausibility.check_scenario`), the two valuations of the book
   (:mod:`crmsim.sim.engine.equity`) and the new KPIs, against the whole run, on the classroom
   company and on a 20,000-customer book (target: under 10% of a run);
2. ``crmsim compare scenarios/classroom.toml --vary structure=<the four> --uncertainty 100``
   on 2 workers, wall time of the command (target: under 30 s on 2 cores);
3. a 100,000-customer, 1,000-manager, 60-month run in a fresh interpreter: time and peak memory
   (targets: under 20 s and 600 MB; 48 s and 1.0 GB before issue 19).

Usage::

    python benchmarks/bench_value.py            # everything
    python benchmarks/bench_value.py --quick    # skip the 100,000-customer run
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = str(ROOT)

from crmsim.sim.engine.model import Simulation  # noqa: E402
from crmsim.sim.kpis import KPI  # noqa: E402
from crmsim.sim.plausibility import check_scenario  # noqa: E402
from crmsim.sim.scenario import Scenario  # noqa: E402

FOUR = "extended_roles,dedicated_post,dedicated_department,department_with_operations"


def overhead(scenario: Scenario, repeats: int = 3) -> tuple[float, float]:
    """Seconds of a whole run, and of the guard, the two valuations and the new KPIs in it."""
    best_run, best_extra = float("inf"), float("inf")
    for seed in range(repeats):
        t0 = time.perf_counter()
        sim = Simulation(scenario, seed)
        result = sim.run()
        run = time.perf_counter() - t0
        t0 = time.perf_counter()
        check_scenario(scenario, sim.book_tables)
        sim._book_value(at_start=True)
        sim._book_value(at_start=False)
        KPI["value_created"].compute(result)
        KPI["customer_equity_end"].compute(result)
        extra = time.perf_counter() - t0
        best_run, best_extra = min(best_run, run), min(best_extra, extra)
    return best_run, best_extra


def _large(queue: mp.Queue) -> None:
    sys.path.insert(0, os.environ["PYTHONPATH"])
    from crmsim.sim.experiments import simulate
    from crmsim.sim.scenario import Scenario

    sc = Scenario.synthetic(100_000, 1_000, months=60)
    t0 = time.perf_counter()
    result = simulate(sc, seed=1)
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, peak, len(result.customers), len(result.leads)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 100,000-customer run")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for label, sc in (("classroom 300/10/24", Scenario.from_toml(ROOT / "scenarios" /
                                                                  "classroom.toml")),
                      ("synthetic 20,000/200/24", Scenario.synthetic(20_000, 200, months=24))):
        run, extra = overhead(sc, repeats=3 if "classroom" in label else 1)
        print(f"1. {label}: run {run:.2f} s, guard + valuations + new KPIs {extra * 1e3:.1f} ms "
              f"= {extra / run:.1%} of the run (target < 10%)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "crmsim.app.cli", "compare", "scenarios/classroom.toml",
               "--vary", f"structure={FOUR}", "--uncertainty", "100", "--workers", "2",
               "--out", str(Path(tmp) / "report")]  # fmt: skip
        t0 = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        wall = time.perf_counter() - t0
    robust = next((line for line in done.stdout.splitlines() if "How robust" in line), "")
    print(f"2. compare --uncertainty 100, classroom, four structures, 2 workers: {wall:.1f} s "
          f"(exit {done.returncode}; target < 30 s)\n   {robust[:160]}")  # fmt: skip
    if not args.quick:
        ctx = mp.get_context("spawn")
        queue = ctx.Queue()
        proc = ctx.Process(target=_large, args=(queue,))
        proc.start()
        elapsed, peak, customers, leads = queue.get()
        proc.join()
        print(f"3. 100,000 customers, 1,000 managers, 60 months: {elapsed:.1f} s, peak "
              f"{peak:,.0f} MB ({customers:,} customers, {leads:,} leads; targets < 20 s, "
              f"< 600 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
