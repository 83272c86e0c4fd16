"""Benchmark of the crmsim simulation engine (run by hand; figures are reported, not asserted).

Prints, in one run:

1. bare SimPy throughput: a minimal loop of resource request / hold / release on this machine;
2. crmsim's cost per manager contact (one funnel step worked or one service request served) on
   the default scenario, and its ratio to the bare SimPy cycle;
   (target <= 1.0 x);
3. the classroom scenario (300 customers, 10 managers, 24 months): one run, and 10 replications
   on 2 workers (target < 1 s, so lesson widgets can show intervals);
4. start-up: ``import crmsim`` (target < 0.8 s), ``import crmsim`` and its first simulation
   name, and ``crmsim --help`` (target < 0.5 s), next to ``import pandas, simpy``;
5. the default demo: 4 structures x 20 replications x 36 months (target < 60 s on 2 cores);
6. a large book: 20,000 customers, 200 managers, 60 months, one replication (target < 15 s and
   < 1 GB peak memory), measured in a fresh interpreter with resource.getrusage;
7. time against the size of the book, 1,000 to 16,000 customers (1 manager per 100, 24 months),
   each in a fresh interpreter: the exponent of a least-squares fit of log time on log size
   (target <= 1.05).

``--tree PATH`` runs the same benchmark on another checkout (e.g. the first-edition engine,
``git archive 6aa9fe1``), so before and after are measured by the same code.

Usage::

    python benchmarks/bench_sim.py                   # everything
    python benchmarks/bench_sim.py --quick           # skip the demo, the large book, the scaling
    python benchmarks/bench_sim.py --tree /tmp/old   # the same, on another engine
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy


def _tree() -> Path:
    """The checkout to benchmark: --tree PATH, else the one this file is in."""
    if "--tree" in sys.argv:
        return Path(sys.argv[sys.argv.index("--tree") + 1]).resolve()
    return Path(__file__).resolve().parents[1]


ROOT = _tree()
sys.path.insert(0, str(ROOT))
os.environ["PYTHONPATH"] = str(ROOT)  # for the fresh interpreters started below

from crmsim.app.demo import run_demo  # noqa: E402
from crmsim.sim.experiments import replicate, simulate  # noqa: E402
from crmsim.sim.scenario import Scenario  # noqa: E402
from crmsim.sim.studies import structure_comparison  # noqa: E402


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


def _large(queue: mp.Queue, n: int = 20_000, months: int = 60) -> None:
    sys.path.insert(0, os.environ["PYTHONPATH"])
    from crmsim.sim.experiments import simulate
    from crmsim.sim.scenario import Scenario

    sc = Scenario.synthetic(n, max(n // 100, 1), months=months)
    t0 = time.perf_counter()
    result = simulate(sc, seed=1)
    elapsed = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, peak_mb, contacts(result), len(result.customers)))


def fresh(n: int, months: int) -> tuple[float, float, int, int]:
    """Run a synthetic book of *n* customers in a fresh interpreter ("spawn"): a forked child
    would inherit this process's objects, and the garbage collector would keep walking them."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_large, args=(queue, n, months))
    proc.start()
    out = queue.get()
    proc.join()
    return out


def startup(code: list[str], repeats: int = 3) -> float:
    """Best wall time of a fresh interpreter running *code* (seconds)."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, *code], check=True, capture_output=True, cwd=ROOT)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip the demo, the large book and the scaling")  # fmt: skip
    parser.add_argument("--tree", help="checkout to benchmark (default: this one)")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"SimPy {simpy.__version__}; engine from {ROOT}; load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip

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
    reps = []
    for seed in range(3):
        t0 = time.perf_counter()
        replicate(classroom, 10, seed=seed, workers=2, progress=False)
        reps.append(time.perf_counter() - t0)
    print(f"3. classroom (300 customers, 10 managers, 24 months): one run median "
          f"{statistics.median(times):.3f} s, best {min(times):.3f} s; 10 replications on 2 "
          f"workers median {statistics.median(reps):.2f} s, best {min(reps):.2f} s "
          "(target < 1 s)")  # fmt: skip

    base = startup(["-c", "import pandas, simpy"])
    imp = startup(["-c", "import crmsim"])
    first = startup(["-c", "import crmsim; crmsim.simulate"])
    helps = startup(["-m", "crmsim.app.cli", "--help"])
    print(f"4. start-up: import crmsim {imp:.2f} s (target < 0.8 s); import crmsim and "
          f"crmsim.simulate {first:.2f} s; crmsim --help {helps:.2f} s (target < 0.5 s); "
          f"import pandas, simpy {base:.2f} s")  # fmt: skip

    if args.quick:
        return
    t0 = time.perf_counter()
    structure_comparison(replications=20, months=36, seed=2024, workers=2, progress=False)
    sim = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as folder:
        t0 = time.perf_counter()
        run_demo(folder, workers=2, progress=False)
        demo = time.perf_counter() - t0
    print(f"5. demo: structure comparison (4 structures x 20 replications x 36 months, "
          f"2 workers) {sim:.1f} s; the whole `crmsim demo` (methods, simulation, charts, "
          f"report) {demo:.1f} s (target < 60 s)")  # fmt: skip

    elapsed, peak_mb, n, customers = fresh(20_000, 60)
    print(f"6. large book (20,000 customers, 200 managers, 60 months, 1 replication): "
          f"{elapsed:.1f} s, peak RSS {peak_mb:,.0f} MB, {n:,} contacts "
          f"({elapsed / n * 1e6:.1f} us each), {customers:,} customers in the run "
          f"(target < 15 s, < 1 GB)")  # fmt: skip

    sizes = [1_000, 2_000, 4_000, 8_000, 16_000]
    seconds = [fresh(size, 24)[0] for size in sizes]
    slope = float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])
    pairs = ", ".join(f"{size:,}: {sec:.2f} s" for size, sec in zip(sizes, seconds, strict=True))
    print(f"7. time against book size (24 months): {pairs}; exponent {slope:.3f} "
          "(target <= 1.05)")  # fmt: skip


if __name__ == "__main__":
    main()
