"""Benchmark of the crmsim simulation engine (run by hand; figures are reported, not asserted).

Prints, in one run:

1. bare SimPy throughput: a minimal loop of resource request / hold / release on this machine;
2. crmsim's cost per manager contact (one funnel step worked or one service request served) on
   the default scenario, and its ratio to the bare SimPy cycle;
3. the classroom scenario (300 customers, 10 managers, 24 months; target < 0.3 s);
4. the default demo: 4 structures x 20 replications x 36 months (target < 60 s on 2 cores);
5. a large book: 20,000 customers, 200 managers, 60 months, one replication (target < 60 s and
   < 2 GB peak memory), measured in a fresh interpreter with resource.getrusage.

Usage::

    python benchmarks/bench_sim.py            # everything
    python benchmarks/bench_sim.py --quick    # skip the demo and the large book
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crmsim.demo import run_demo  # noqa: E402
from crmsim.sim.experiments import simulate  # noqa: E402
from crmsim.sim.report import structure_comparison  # noqa: E402
from crmsim.sim.scenario import Scenario  # noqa: E402


def bare_simpy(cycles: int = 200_000) -> float:
    """Seconds per request/hold/release cycle of a minimal SimPy loop."""
    env = simpy.Environment()
    res = simpy.Resource(env, capacity=1)

    def user():
        for _ in range(cycles):
            with res.request() as req:
                yield req
                yield env.timeout(1.0)

    env.process(user())
    t0 = time.perf_counter()
    env.run()
    return (time.perf_counter() - t0) / cycles


def contacts(result) -> int:
    """Manager contacts of a run: funnel steps worked plus service requests served."""
    leads = result.leads
    k = leads["steps_passed"]
    worked = k.where(leads["outcome"].isin(["cold", "open"]), k + 1)
    worked = worked.where(leads["outcome"] != "won", 9)
    return int(worked.sum() + result.monthly["service_requests"].sum())


def _large(queue: mp.Queue) -> None:
    sc = Scenario.synthetic(20_000, 200, months=60)
    t0 = time.perf_counter()
    result = simulate(sc, seed=1)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, peak_mb, contacts(result), len(result.customers)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the demo and the large book")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"SimPy {simpy.__version__}")  # fmt: skip

    bare = min(bare_simpy() for _ in range(3))
    print(f"1. bare SimPy: {bare * 1e6:.2f} us per request/hold/release cycle "
          f"({1 / bare:,.0f} cycles/s)")  # fmt: skip

    sc = Scenario()
    simulate(sc.replace(months=2), seed=0)  # warm-up (imports, bundled data)
    times, result = [], None
    for seed in range(3):
        t0 = time.perf_counter()
        result = simulate(sc, seed=seed)
        times.append(time.perf_counter() - t0)
    n = contacts(result)
    per = min(times) / n
    print(f"2. default scenario ({result.meta['book_note']}, {sc.months} months): "
          f"{min(times):.2f} s for {n:,} manager contacts = {per * 1e6:.1f} us per contact, "
          f"{per / bare:.1f} x a bare SimPy cycle")  # fmt: skip

    classroom = Scenario.from_toml(ROOT / "scenarios" / "classroom.toml")
    times = []
    for seed in range(7):
        t0 = time.perf_counter()
        simulate(classroom, seed=seed)
        times.append(time.perf_counter() - t0)
    print(f"3. classroom (300 customers, 10 managers, 24 months): median "
          f"{statistics.median(times):.3f} s, best {min(times):.3f} s "
          "(target < 0.3 s)")  # fmt: skip

    if args.quick:
        return
    t0 = time.perf_counter()
    structure_comparison(replications=20, months=36, seed=2024, workers=2, progress=False)
    sim = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        run_demo(folder, workers=2, progress=False)
        demo = time.perf_counter() - t0
    print(f"4. demo: structure comparison (4 structures x 20 replications x 36 months, "
          f"2 workers) {sim:.1f} s; the whole `crmsim demo` (methods, simulation, charts, "
          f"report) {demo:.1f} s (target < 60 s)")  # fmt: skip

    # a fresh interpreter ("spawn"): a forked child would inherit this process's objects, and
    # the garbage collector would keep walking them during the run
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_large, args=(queue,))
    proc.start()
    elapsed, peak_mb, n, customers = queue.get()
    proc.join()
    print(f"5. large book (20,000 customers, 200 managers, 60 months, 1 replication): "
          f"{elapsed:.1f} s, peak RSS {peak_mb:,.0f} MB, {n:,} contacts "
          f"({elapsed / n * 1e6:.1f} us each), {customers:,} customers in the run "
          f"(target < 60 s, < 2 GB)")  # fmt: skip


if __name__ == "__main__":
    main()
