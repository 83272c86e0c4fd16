"""Benchmark: the textbook methods on 1,000,000 synthetic customers.

Run by hand (not part of the test suite)::

    python benchmarks/bench_methods.py [--customers 1000000] [--repeat 3]

For each method it prints the best wall time of ``--repeat`` runs and the peak memory the call
allocated (measured in a separate run under tracemalloc, which numpy and pandas report to, so the
timing is not slowed by tracing). Target on the 2-core reference machine: each under 1 s.
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
import tracemalloc

import numpy as np
import pandas as pd

from crmsim.methods.abc import abc_classify
from crmsim.methods.concentration import concentration_summary
from crmsim.methods.credit import credit_score
from crmsim.methods.pyramid import customer_pyramid
from crmsim.terms import SIX_C

TARGET_SECONDS = 1.0


def make_customers(n: int, seed: int = 0) -> pd.DataFrame:
    """n customers with heavy-tailed value, growth potential and 6C scores."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame(
        {
            "customer_id": [f"C{i:07d}" for i in range(n)],
            "amount": np.round(rng.lognormal(9.0, 1.4, n), 2),
            "current_value": np.round(rng.lognormal(9.0, 1.4, n), 2),
            "growth_potential": np.round(rng.lognormal(8.5, 1.2, n), 2),
        }
    )
    for name in SIX_C:
        table[name] = rng.integers(1, 6, n)
    return table


def measure(fn, repeat: int) -> tuple[float, float]:
    """Best wall time over *repeat* runs (s) and peak traced allocation of one run (MB)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    data = make_customers(args.customers)
    cases = {
        "abc_classify": lambda: abc_classify(data, value="amount", id="customer_id"),
        "concentration_summary": lambda: concentration_summary(
            data, value="amount", id="customer_id"),
        "customer_pyramid": lambda: customer_pyramid(
            data, current="current_value", potential="growth_potential", id="customer_id"),
        "credit_score (6C)": lambda: credit_score(data, id="customer_id"),
    }
    print(f"{args.customers:,} customers; python {platform.python_version()}, "
          f"pandas {pd.__version__}, numpy {np.__version__}; best of {args.repeat}")
    print(f"{'method':<24}{'seconds':>10}{'peak MB':>10}  target < {TARGET_SECONDS:g} s")
    for name, fn in cases.items():
        seconds, peak = measure(fn, args.repeat)
        verdict = "ok" if seconds < TARGET_SECONDS else "SLOW"
        print(f"{name:<24}{seconds:>10.3f}{peak:>10.1f}  {verdict}")


if __name__ == "__main__":
    main()
