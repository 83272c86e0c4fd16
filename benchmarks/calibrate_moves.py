"""Benchmark: does a history need moves the simulation's lifecycle lacks?

The simulation's chain (crmsim/sim/scenario/lifecycle.py) has no exploration → lost move (a
first-time buyer leaves through decline) and no way back from lost. This script fits the
calibration's hidden-state model (crmsim.calibrate.hidden) to a history with the chain as it
is, then once more with each extra move allowed, and prints what each move gains:
:func:`crmsim.calibrate.hidden.extra_moves` (the fitted probability, the log-likelihood gained,
the likelihood-ratio p-value and the gain less the Schwarz (BIC) penalty; "needed" when that is
positive). Run by hand::

    python benchmarks/calibrate_moves.py              # the bundled company
    python benchmarks/calibrate_moves.py --cdnow      # the CDNOW sample (needs crmsim[cdnow])
    python benchmarks/calibrate_moves.py --cdnow --full

The history is read as ``calibrate`` reads it (the same cleaning, stage rules, wallets and
starting points).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from crmsim.calibrate import hidden as H
from crmsim.calibrate.book import _wallets
from crmsim.calibrate.history import _as_of, _clean_customers, _clean_transactions, _history
from crmsim.methods.lifecycle import _coerce_rules
from crmsim.sim.scenario.lifecycle import LifecycleParams
from crmsim.terms import STAGES


def history(transactions: pd.DataFrame, customers: pd.DataFrame | None, *, cohort: bool):
    """The calibration's history, wallets and median wallet of the book at the end."""
    tx = _clean_transactions(transactions, id="customer_id", date="date", value="amount",
                             order="order_id", profit=None, source="transactions")  # fmt: skip
    cust = _clean_customers(customers, "customer_id", "customers") if customers is not None \
        else None
    when, _ = _as_of(None, tx, "transactions")
    first = cust.set_index("customer_id")["first_purchase"] if cust is not None else None
    h = _history(tx, when, _coerce_rules(None), cohort=cohort, first_purchase=first)
    wallet, _ = _wallets(h, cust, len(h.month_starts))
    active = np.flatnonzero(h.stage_at_as_of["stage"].isin(STAGES).to_numpy())
    ref = wallet[active] if len(active) else wallet
    return h, wallet, float(np.median(ref[ref > 0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cdnow", action="store_true", help="the CDNOW sample")
    parser.add_argument("--full", action="store_true", help="with --cdnow: all customers")
    args = parser.parse_args()
    if args.cdnow:
        from crmsim.datasets import load_cdnow

        h, wallet, median = history(load_cdnow(sample=not args.full), None, cohort=True)
        name = "CDNOW" if args.full else "CDNOW sample"
    else:
        from crmsim.datasets import generate

        company = generate()
        h, wallet, median = history(company["transactions"], company["customers"],
                                    cohort=False)  # fmt: skip
        name = "bundled company"
    t0 = time.perf_counter()
    m = len(h.month_starts)
    est = H.estimate_hidden(h, wallet, median, min(12, m - 1), None,
                            chain=LifecycleParams().transition_matrix())  # fmt: skip
    rows = H.extra_moves(est.panel, est.fit)
    seconds = time.perf_counter() - t0
    print(f"{name}: {len(h.ids):,} customers, {m} months, "
          f"{int(est.panel.evidence.sum()):,} customer-months of evidence")
    table = pd.DataFrame(rows)
    table["probability"] = [", ".join(f"{p:.4f}" for p in ps) for ps in table["probability"]]
    with pd.option_context("display.width", 160, "display.float_format", "{:.4g}".format):
        print(table.to_string(index=False))
    print(f"\n(probability: per period, before and inside the last 12 months; "
          f"time {seconds:.0f} s)")


if __name__ == "__main__":
    main()
