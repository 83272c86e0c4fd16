"""Benchmark: the calibration on real data (CDNOW), in sample and on the classic hold-out.

CDNOW (Fader & Hardie; customers who first bought in the first quarter of 1997, every purchase
until June 1998, 78 weeks) ships with the ``lifetimes`` package, the optional extra ``cdnow``.
Run by hand (not part of the test suite)::

    pip install "crmsim[cdnow]"
    python benchmarks/calibrate_cdnow.py [--full] [--replications 20] [--plot holdout.png]

1. **In sample**: calibrate on all 78 weeks and print the estimates, the back-test (the last
   months simulated from the book as it was, against what happened) and the notes.
2. **Hold-out** (Fader, Hardie & Lee 2005, "Counting your customers the easy way", Marketing
   Science 24(2), figures 2-3): calibrate on the first 39 weeks (to 1997-09-30), simulate the
   next 39 weeks (October 1997 to June 1998: nine calendar months) from the book at that date,
   and compare the weekly repeat transactions with what happened, next to BG/NBD's forecast
   (``lifetimes``, fitted on the same 39 weeks, in weeks). The cohort is closed: the simulation
   wins no new customers. The simulation is monthly; its orders are spread evenly over each
   month's days to give weeks. Printed: each week's actual, simulated (mean and 95% range of
   the replications) and BG/NBD figures; the mean absolute error per week and the cumulative
   error at week 78 of both.

The published hold-out uses the 1-in-10 sample (2,357 customers), the default here; ``--full``
uses all 23,570 customers (slower). A purchase is a customer-day, as in the published data.
CDNOW is a music retailer, not a B2B distributor with account managers: the calibration makes up
a team (one manager per 40 active customers) and says so.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
import pandas as pd

from crmsim.calibrate import calibrate
from crmsim.sim.experiments import replicate
from crmsim.sim.scenario import Scenario

USD = Scenario(currency="USD")  # a US retailer's dollars
START = pd.Timestamp("1997-01-01")
SPLIT = pd.Timestamp("1997-09-30")  # end of week 39
WEEKS = 78


def weekly_repeats(tx: pd.DataFrame) -> np.ndarray:
    """Repeat transactions (every purchase but each customer's first) in weeks 1..78."""
    first = tx.groupby("customer_id")["date"].transform("min")
    repeat = tx[tx["date"] > first]
    week = ((repeat["date"] - START).dt.days // 7).to_numpy()
    return np.bincount(week[week < WEEKS], minlength=WEEKS).astype(float)


def weeks_from_months(orders: np.ndarray, first_month: pd.Timestamp) -> np.ndarray:
    """Monthly orders (replications × months, from *first_month*) spread evenly over each
    month's days, summed by week of the study (replications × 78)."""
    out = np.zeros((orders.shape[0], WEEKS))
    for k in range(orders.shape[1]):
        begin = first_month + pd.DateOffset(months=k)
        days = pd.date_range(begin, begin + pd.offsets.MonthEnd(0), freq="D")
        week = (days - START).days // 7
        share = np.bincount(week[week < WEEKS], minlength=WEEKS) / len(days)
        out += orders[:, [k]] * share[None, :]
    return out


def bgnbd_forecast(tx: pd.DataFrame) -> tuple[np.ndarray, dict[str, float]]:
    """BG/NBD (lifetimes) fitted on weeks 1-39 (T in weeks, days / 7): the expected repeat
    transactions in each hold-out week (weeks 40..78) and the fitted parameters."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from lifetimes import BetaGeoFitter
        from lifetimes.utils import summary_data_from_transaction_data
    cal = tx[tx["date"] <= SPLIT]
    s = summary_data_from_transaction_data(cal, "customer_id", "date",
                                           observation_period_end=SPLIT, freq="D")  # fmt: skip
    f, r, t = s["frequency"], s["recency"] / 7.0, s["T"] / 7.0
    bgf = BetaGeoFitter().fit(f, r, t)
    horizon = np.arange(0, WEEKS - 39 + 1)
    cumulative = np.array([bgf.conditional_expected_number_of_purchases_up_to_time(h, f, r, t)
                           .sum() for h in horizon])  # fmt: skip
    out = np.full(WEEKS, np.nan)
    out[39:] = np.diff(cumulative)
    return out, {k: float(v) for k, v in bgf.params_.items()}


def holdout(tx: pd.DataFrame, replications: int, bootstrap: int, seed: int,
            workers: int) -> tuple[np.ndarray, object, float]:  # fmt: skip
    """Calibrate on weeks 1-39, simulate the nine months after with no new customers: the
    simulated repeat transactions per week (replications × 78, zero before week 40)."""
    t0 = time.perf_counter()
    cal = calibrate(tx, as_of=SPLIT, cohort=True, months=9, replications=replications,
                    bootstrap=bootstrap, seed=seed, workers=workers, base=USD,
                    sources={"transactions": "CDNOW weeks 1-39"})  # fmt: skip
    closed = {f"channels.{ch.name}.{p}": 0.0 for ch in cal.scenario.channels
              for p in ("leads_per_month", "leads_per_stable_customer")}  # fmt: skip
    scenario = cal.scenario.with_(closed)
    reps = replicate(scenario, replications, seed=seed, workers=workers, progress=False)
    orders = reps.monthly.pivot(index="replication", columns="month", values="orders")
    seconds = time.perf_counter() - t0
    return weeks_from_months(orders.to_numpy(float), SPLIT + pd.Timedelta(days=1)), cal, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="all 23,570 customers")
    parser.add_argument("--replications", type=int, default=20)
    parser.add_argument("--bootstrap", type=int, default=50)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--plot", help="write the hold-out chart to this PNG file")
    args = parser.parse_args()

    from crmsim.datasets import load_cdnow

    tx = load_cdnow(sample=not args.full)
    name = "CDNOW" if args.full else "CDNOW sample"
    pd.set_option("display.width", 160)

    # ------------------------------------------------------------------ in sample
    t0 = time.perf_counter()
    full = calibrate(tx, cohort=True, replications=args.replications, bootstrap=args.bootstrap,
                     seed=args.seed, workers=args.workers, base=USD,
                     sources={"transactions": name})  # fmt: skip
    t_in = time.perf_counter() - t0
    m = full.meta
    print(f"{name}: {m['rows']:,} purchases, {m['customers']:,} customers, "
          f"{m['history_start'].date()} .. {m['as_of'].date()} ({m['months']} months)")
    print("\n== in sample: estimates ==")
    print(full.summary("en").to_string(index=False))
    print(f"\n== in sample: back-test from {m['fit_start'].date()} ==")
    print(full.fit_summary[["measure", "actual_mean", "simulated_mean", "relative_difference",
                            "inside_share", "verdict"]].round(3).to_string(index=False))
    print("\n== notes ==")
    for note in full.note_texts("en"):
        print("-", note)

    # ------------------------------------------------------------------ hold-out
    actual = weekly_repeats(tx)
    sim, cal, t_hold = holdout(tx, args.replications, 0, args.seed, args.workers)
    t1 = time.perf_counter()
    bg, params = bgnbd_forecast(tx)
    t_bg = time.perf_counter() - t1
    weeks = np.arange(1, WEEKS + 1)
    hold = weeks >= 40
    mean, lo, hi = sim.mean(axis=0), np.percentile(sim, 2.5, axis=0), np.percentile(sim, 97.5,
                                                                                     axis=0)
    table = pd.DataFrame({"week": weeks[hold], "actual": actual[hold],
                          "crmsim": mean[hold], "crmsim_low": lo[hold], "crmsim_high": hi[hold],
                          "bgnbd": bg[hold]})  # fmt: skip
    print("\n== hold-out: repeat transactions per week (weeks 40-78) ==")
    print(table.round(1).to_string(index=False))
    print(f"\nBG/NBD on weeks 1-39: {', '.join(f'{k} {v:.3f}' for k, v in params.items())}")
    total = actual[hold].sum()
    for label, pred in (("crmsim", mean[hold]), ("BG/NBD", bg[hold])):
        mae = np.abs(pred - actual[hold]).mean()
        cum = pred.sum() - total
        print(f"{label:7s} mean absolute error {mae:6.2f} a week ({mae / actual[hold].mean():.1%}"
              f" of the actual mean); cumulative at week 78 {pred.sum():8.1f} against "
              f"{total:.0f} ({cum:+.1f}, {cum / total:+.1%})")  # fmt: skip
    inside = ((actual[hold] >= lo[hold]) & (actual[hold] <= hi[hold])).mean()
    print(f"crmsim: the actual week lies inside the simulated 95% range in {inside:.0%} of the "
          "hold-out weeks")
    book = cal.book["stage"].value_counts().reindex(["exploration", "formation", "stability",
                                                    "decline"], fill_value=0)  # fmt: skip
    print(f"book on {SPLIT.date()}: {len(cal.book):,} customers not lost ("
          + ", ".join(f"{k} {v}" for k, v in book.items()) + f"); "
          f"{cal.meta['customers'] - len(cal.book):,} lost")

    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
        ax1.plot(weeks, actual, color="black", label="actual")
        ax1.plot(weeks[hold], mean[hold], color="tab:blue", label="crmsim (mean)")
        ax1.fill_between(weeks[hold], lo[hold], hi[hold], color="tab:blue", alpha=0.2,
                         label="crmsim 95%")  # fmt: skip
        ax1.plot(weeks[hold], bg[hold], color="tab:orange", ls="--", label="BG/NBD")
        ax1.axvline(39.5, color="grey", lw=0.8)
        ax1.set(xlabel="week", ylabel="repeat transactions", title="Weekly")
        ax1.legend(frameon=False)
        cum_actual = np.cumsum(actual)
        base = cum_actual[38]
        ax2.plot(weeks, cum_actual, color="black", label="actual")
        ax2.plot(weeks[hold], base + np.cumsum(mean[hold]), color="tab:blue", label="crmsim")
        ax2.plot(weeks[hold], base + np.cumsum(bg[hold]), color="tab:orange", ls="--",
                 label="BG/NBD")  # fmt: skip
        ax2.axvline(39.5, color="grey", lw=0.8)
        ax2.set(xlabel="week", ylabel="cumulative repeat transactions", title="Cumulative")
        ax2.legend(frameon=False)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        print(f"\nchart: {args.plot}")

    print(f"\ntime: in-sample calibrate {t_in:.1f} s (bootstrap {args.bootstrap}), hold-out "
          f"calibrate + simulation {t_hold:.1f} s, BG/NBD {t_bg:.1f} s "
          f"({args.replications} replications, workers {args.workers})")


if __name__ == "__main__":
    main()
