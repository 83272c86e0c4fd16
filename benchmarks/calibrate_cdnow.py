"""Benchmark and example: calibrate a scenario from the CDNOW purchase history.

CDNOW (Fader & Hardie; 23,570 customers who first bought in the first quarter of 1997, every
purchase until June 1998) ships with the ``lifetimes`` package, the optional extra ``cdnow``.
Run by hand (not part of the test suite)::

    pip install "crmsim[cdnow]"
    python benchmarks/calibrate_cdnow.py [--replications 20] [--workers 2] [--alive]
    python benchmarks/calibrate_cdnow.py --bundled    # the bundled company instead, for comparison

It prints the estimates, the observed moves between stages, the back-test (simulated vs actual),
the notes, and the time taken by each part: reading, the calibration (stage history, estimates,
pilot and back-test simulations) and, with ``--alive``, the BG/NBD cross-check.

CDNOW is a cohort (every customer's first order is in the file), so it runs with
``cohort=True``. It is a music retailer, not a B2B distributor with account managers: the
calibration makes up a team (one manager per 40 active customers) and says so.
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import pandas as pd

from crmsim.calibrate import calibrate
from crmsim.report.calibration import fit_table, observed_table, transitions_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--bootstrap", type=int, default=200)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--alive", action="store_true", help="also the BG/NBD cross-check")
    parser.add_argument("--bundled", action="store_true", help="the bundled company instead")
    args = parser.parse_args()

    t0 = time.perf_counter()
    if args.bundled:
        from crmsim.datasets import load_account_managers, load_customers, load_transactions

        tables = (load_transactions(), load_customers(), load_account_managers())
        kwargs: dict = {}
        name = "bundled company"
    else:
        from crmsim.datasets import load_cdnow
        from crmsim.sim import Scenario

        tables = (load_cdnow(), None, None)
        kwargs = {"cohort": True, "base": Scenario(currency="USD")}  # a US retailer's dollars
        name = "CDNOW"
    t_read = time.perf_counter() - t0

    t1 = time.perf_counter()
    cal = calibrate(
        *tables, replications=args.replications, bootstrap=args.bootstrap, seed=args.seed,
        workers=args.workers, sources={"transactions": name}, **kwargs,
    )  # fmt: skip
    t_cal = time.perf_counter() - t1
    t_alive = None
    if args.alive:
        from crmsim.calibrate import probability_alive

        t2 = time.perf_counter()
        alive = probability_alive(tables[0], as_of=cal.meta["as_of"])
        t_alive = time.perf_counter() - t2

    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.max_colwidth", 60):  # fmt: skip
        m = cal.meta
        print(f"{name}: {m['rows']:,} rows, {m['customers']:,} customers, "
              f"{m['history_start'].date()} .. {m['as_of'].date()} ({m['months']} months); "
              f"book at as_of: {len(cal.book):,} active customers")  # fmt: skip
        print("\n== the history ==")
        print(observed_table(cal).to_string(index=False))
        print("\n== estimates ==")
        print(cal.summary().to_string(index=False))
        print("\n== observed moves between stages (customer-months) ==")
        print(transitions_table(cal).to_string(index=False))
        print(f"\n== back-test from {m['fit_start'].date() if m['fit_start'] is not None else '-'}"
              f", {args.replications} replications ==")  # fmt: skip
        if len(cal.fit):
            print(fit_table(cal).to_string(index=False))
        print("\n== notes ==")
        for note in cal.note_texts("en"):
            print("-", note)
        if t_alive is not None:
            merged = cal.panel[cal.panel["month_end"] == cal.panel["month_end"].max()][
                ["customer_id", "stage"]
            ].merge(alive, on="customer_id")
            print("\n== BG/NBD probability alive by stage at as_of (lifetimes) ==")
            print(merged.groupby("stage")["probability_alive"].describe().round(3).to_string())
            print("fitted:", {k: round(v, 4) for k, v in alive.attrs["params"].items()})

    print(f"\ntime: reading {t_read:.2f} s, calibrate {t_cal:.2f} s"
          + (f", BG/NBD {t_alive:.2f} s" if t_alive is not None else "")
          + f" (workers {args.workers}, bootstrap {args.bootstrap}; {platform.processor() or ''}"
          f" {os.cpu_count()} cores, Python {platform.python_version()})")  # fmt: skip


if __name__ == "__main__":
    main()
