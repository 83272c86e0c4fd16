"""Benchmark of sweeps: scenario-replications per second, locally and on a Dask cluster.

Run by hand; figures are printed, not asserted. One sensitivity study (crmsim sweep: two options,
each parameter moved alone, common random numbers) is run

1. serially (1 local worker),
2. on a local process pool of 2 workers (the default executor),
3. on a ``dask.distributed.LocalCluster`` of 2 worker processes on 127.0.0.1,

and for each the throughput is printed in scenario-replications per second (one
scenario-replication = one simulated run of one scenario with one replication seed), with a
check that all three give identical tables (they must: each run depends only on its scenario
and seed). The cluster's start-up is timed apart and left out of its throughput.

Usage::

    python benchmarks/bench_sweep.py               # the classroom company, 12 months
    python benchmarks/bench_sweep.py --months 24 --replications 6
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from crmsim.sim.sensitivity import sensitivity  # noqa: E402
from crmsim.sim.whatif import build_options  # noqa: E402


def study(executor=None, workers=None, *, months: int, replications: int):
    options = build_options([ROOT / "scenarios" / "classroom.toml"],
                            vary={"structure": ["extended_roles", "dedicated_post"]})  # fmt: skip
    grid = {"crm.adoption": [0.0, 1.0], "team.hours_per_month": [140, 180],
            "incentives.scheme": ["commission", "deferred"]}  # fmt: skip
    start = time.perf_counter()
    result = sensitivity(options, grid, replications=replications, seed=1, months=months,
                         executor=executor, workers=workers, progress=False)  # fmt: skip
    seconds = time.perf_counter() - start
    return result, seconds, len(result.comparison.runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--replications", type=int, default=4)
    args = parser.parse_args()
    size = {"months": args.months, "replications": args.replications}
    print(f"crmsim sweep benchmark: classroom company (300 customers, 10 managers), "
          f"{args.months} months, 2 options x 7 points x {args.replications} replications; "
          f"{os.cpu_count()} cores")  # fmt: skip

    rows = []
    serial, seconds, runs = study(workers=1, **size)
    rows.append(("local, 1 worker", seconds, runs))
    pool, seconds, runs = study(workers=2, **size)
    rows.append(("local pool, 2 workers", seconds, runs))
    same = [pool.comparison.runs.equals(serial.comparison.runs)]

    try:
        import distributed
    except ImportError:  # pragma: no cover - the test extra installs it
        print("distributed is not installed: the Dask cluster is skipped")
    else:
        start = time.perf_counter()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      host="127.0.0.1", dashboard_address=None) as cluster, \
                distributed.Client(cluster) as client:  # fmt: skip
            client.wait_for_workers(2)
            startup = time.perf_counter() - start
            remote, seconds, runs = study(executor=client, **size)
        rows.append((f"Dask LocalCluster, 2 workers (start-up {startup:.1f} s apart)", seconds,
                     runs))  # fmt: skip
        same.append(remote.comparison.runs.equals(serial.comparison.runs))

    table = pd.DataFrame(rows, columns=["executor", "seconds", "scenario-replications"])
    table["per second"] = table["scenario-replications"] / table["seconds"]
    table["speed-up"] = table["per second"] / table["per second"].iloc[0]
    with pd.option_context("display.float_format", "{:,.2f}".format, "display.width", 120):
        print(table.to_string(index=False))
    print("identical results on every executor:", all(same))


if __name__ == "__main__":
    main()
