"""Benchmark: ``crmsim analyze`` on a transaction export of millions of rows (issue 21).

Run by hand (not part of the test suite)::

    python benchmarks/bench_big_file.py [--rows 8000000] [--folder /tmp/crmsim-big]

It writes a CSV of ``--rows`` transactions (``customer_id,date,amount``; 200,000 customers over
three years; 8,000,000 rows make about 200 MB), then runs ``crmsim analyze`` on it in a fresh
process and prints the wall time, the CPU time and the peak memory (the process's maximum
resident set size). Target on the 2-core reference machine: under 30 s and under 1.5 GB.
It also reads the file once with ``read_table`` alone, to show what reading costs.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

TARGET_SECONDS = 30.0
TARGET_BYTES = 1.5 * 2**30


def write_file(path: Path, rows: int, seed: int = 1) -> None:
    """A transaction export: ids C000000.., ISO dates 2021-2023, amounts with two decimals."""
    rng = np.random.default_rng(seed)
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("customer_id,date,amount\n")
        step = 1_000_000
        start = np.datetime64("2021-01-01")
        for first in range(0, rows, step):
            n = min(step, rows - first)
            ids = rng.integers(0, 200_000, n)
            days = np.sort(rng.integers(0, 3 * 365, n))
            dates = (start + days).astype(str)
            amounts = np.round(rng.lognormal(5, 1, n), 2)
            stream.write("".join(f"C{i:06d},{d},{a:.2f}\n"
                                 for i, d, a in zip(ids, dates, amounts, strict=True)))


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak resident bytes, exit status) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        print(proc.stderr[-2000:], file=sys.stderr)
    return wall, cpu, after.ru_maxrss * 1024, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=8_000_000)
    parser.add_argument("--folder", default="/tmp/crmsim-big")
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / f"transactions_{args.rows}.csv"
    if not data.exists():
        t = time.perf_counter()
        write_file(data, args.rows)
        print(f"wrote {data} ({data.stat().st_size / 2**20:,.0f} MB) in "
              f"{time.perf_counter() - t:.0f} s")
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    where = subprocess.run([sys.executable, "-c", "import crmsim; print(crmsim.__file__)"],
                           env=env, capture_output=True, text=True, check=False).stdout.strip()
    print(f"crmsim imported by the child processes from {where}")  # this checkout, not another
    read = [sys.executable, "-c", "import sys; from crmsim.io import read_table; "
            "df = read_table(sys.argv[1]); print(len(df))", str(data)]
    wall, cpu, peak, code = run(read, env)
    print(f"read_table: {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak / 2**20:,.0f} MB")
    out = folder / "report"
    shutil.rmtree(out, ignore_errors=True)
    analyze = [sys.executable, "-m", "crmsim.app.cli", "analyze", str(data), "--out", str(out)]
    wall, cpu, peak, code = run(analyze, env)
    ok = code == 0 and wall < TARGET_SECONDS and peak < TARGET_BYTES
    print(f"crmsim analyze: {wall:6.1f} s wall, {cpu:6.1f} s CPU, peak {peak / 2**20:,.0f} MB "
          f"(target < {TARGET_SECONDS:.0f} s, < {TARGET_BYTES / 2**30:.1f} GB): "
          f"{'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
