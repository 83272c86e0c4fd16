"""The back-test: the calibrated model simulated over the history's last months and compared with
what happened, month by month, with a verdict per measure; and the figures of the history that are
not parameters (customers, orders, annual loss observed and implied).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim.calibrate.history import _History
from crmsim.calibrate.result import FAIR_FIT, FIT_MEASURES, GOOD_FIT, L
from crmsim.sim.scenario import Scenario
from crmsim.terms import (
    STAGES,
    STATES,
)

#: How a 95% range is read from a finite sample of simulated or resampled values (numpy's
#: percentile ``method``): the ((B + 1) × 2.5%)-th and ((B + 1) × 97.5%)-th smallest of B
#: values, interpolated between neighbours (Davison & Hinkley 1997, *Bootstrap Methods and their
#: Application*, §5.2; Hyndman & Fan 1996, definition 6). A new draw from the same distribution
#: falls inside with probability 95%, or (B - 1) / (B + 1) when B < 39 and the range is the
#: smallest to the largest value. numpy's default (positions 1 + (B - 1) × p) would hold it with
#: probability 0.95 × (B - 1) / (B + 1): 86% with 20 replications, 91% with 50 refits.
PERCENTILE = "weibull"
#: Replications of the back-test by default: the fewest (39) whose range, smallest to largest,
#: holds a new draw with probability 95% (see :data:`PERCENTILE`).
BACKTEST_REPLICATIONS = 39


def _fit_tables(
    h: _History, m0: int, monthly: pd.DataFrame, posterior: np.ndarray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actual vs simulated, month by month and per measure.

    The actual customers in each stage are the history's stages counted, or with *posterior*
    (customers × months × 5, the hidden-state model's probability of each stage, zero before a
    customer's start) their expected numbers: the sum of the probabilities. The stage is never
    seen; counting each customer's most probable stage undercounts the stages customers are
    least sure to be in (a customer 60% stable and 40% in decline counts as one stable), the
    expected number does not."""
    months = np.arange(m0 + 1, len(h.month_starts))
    actual = {"revenue": h.revenue[:, months].sum(axis=0)}
    if posterior is not None:
        expected = posterior[:, months].sum(axis=0)  # months × 5
        for s, stage in enumerate(STAGES):
            actual[f"customers_{stage}"] = expected[:, s].astype(float)
        actual["active_customers"] = expected[:, :L].sum(axis=1).astype(float)
    else:
        for s, stage in enumerate(STAGES):
            actual[f"customers_{stage}"] = (h.stage[:, months] == s).sum(axis=0).astype(float)
        actual["active_customers"] = (
            ((h.stage[:, months] >= 0) & (h.stage[:, months] < L)).sum(axis=0).astype(float)
        )
    rows = []
    for measure in FIT_MEASURES:
        sim = monthly.pivot(index="month", columns="replication", values=measure).to_numpy(float)
        for j, m in enumerate(months):
            a = float(actual[measure][j])
            mean = float(sim[j].mean())
            lo, hi = np.percentile(sim[j], [2.5, 97.5], method=PERCENTILE)
            rows.append(
                {
                    "month": j + 1,
                    "date": h.month_starts[m],
                    "measure": measure,
                    "actual": a,
                    "simulated": mean,
                    "low": float(lo),
                    "high": float(hi),
                    "difference": a - mean,
                    "relative_difference": (a - mean) / mean if mean else np.nan,
                    "inside": bool(lo <= a <= hi),
                }
            )
    fit = pd.DataFrame(rows)
    summary = []
    for measure, g in fit.groupby("measure", sort=False):
        a_mean, s_mean = float(g["actual"].mean()), float(g["simulated"].mean())
        errors = np.abs(g["actual"] - g["simulated"]) / g["actual"].where(g["actual"] > 0)
        mae = float(errors.mean()) if errors.notna().any() else np.nan
        rel = (a_mean - s_mean) / s_mean if s_mean else np.nan
        inside = float(g["inside"].mean())
        summary.append({
            "measure": measure, "actual_mean": a_mean, "simulated_mean": s_mean,
            "relative_difference": rel, "mean_abs_error": mae, "inside_share": inside,
            "low": np.nan, "high": np.nan, "verdict": _verdict(inside, rel),
        })  # fmt: skip
    totals = monthly.groupby("replication")["revenue"].sum().to_numpy(float)
    a_total = float(actual["revenue"].sum())
    lo, hi = np.percentile(totals, [2.5, 97.5], method=PERCENTILE)
    rel = (a_total - totals.mean()) / totals.mean() if totals.mean() else np.nan
    inside = float(lo <= a_total <= hi)
    summary.append({
        "measure": "revenue_total", "actual_mean": a_total, "simulated_mean": float(totals.mean()),
        "relative_difference": rel, "mean_abs_error": abs(rel), "inside_share": inside,
        "low": float(lo), "high": float(hi), "verdict": _verdict(inside, rel),
    })  # fmt: skip
    return fit, pd.DataFrame(summary)


def _verdict(inside: float, rel: float) -> str:
    """The verdict of a series from the share of months inside the simulated 95% band
    (:data:`GOOD_FIT`, :data:`FAIR_FIT`); *rel* is shown beside it, not judged."""
    if inside >= GOOD_FIT:
        return "good"
    if inside >= FAIR_FIT:
        return "fair"
    return "poor"


def _seasonality(h: _History) -> dict[str, Any] | None:
    """Month-of-year swing of revenue (the model has none), when there are 12+ months."""
    n = len(h.month_starts)
    if n < 24:  # two years at least, so a season is not mistaken for a trend
        return None
    total = pd.Series(h.revenue.sum(axis=0), index=h.month_starts)
    trend = total.rolling(12, center=True, min_periods=6).mean()
    ratio = (total / trend).groupby(total.index.month).mean()
    if ratio.isna().all():
        return None
    low, high = int(ratio.idxmin()), int(ratio.idxmax())
    swing = float(ratio.max() - ratio.min())
    if swing < 0.2:
        return None
    return {"low": low, "low_ratio": float(ratio[low]), "high": high,
            "high_ratio": float(ratio[high])}  # fmt: skip


def _observed(
    h: _History, counts: np.ndarray, scenario: Scenario, new_per_month: float, window: int,
    tx: pd.DataFrame, when: pd.Timestamp,
) -> pd.DataFrame:  # fmt: skip
    """Figures of the history: sizes, annual loss observed and implied by the chain."""
    n_months = len(h.month_starts)
    rows = [
        ("rows", len(tx[tx["_date"] <= when]), ""),
        ("customers", len(h.ids), ""),
        ("months", n_months, f"{h.month_starts[0].date()} .. {h.month_ends[-1].date()}"),
        ("observable_customer_months", int(h.observable.sum()), ""),
        ("observed_moves", int(counts.sum()), ""),
        ("new_customers_per_month", new_per_month, f"last {window} months"),
    ]
    # annual loss: of the customers active 12 months before the end, the share lost at the end
    if n_months > 12:
        a = h.stage[:, n_months - 13]
        b = h.stage[:, n_months - 1]
        active = (a >= 0) & (a < L) & h.observable[:, n_months - 13]
        if active.any():
            observed = float((b[active] == L).mean())
            P = scenario.lifecycle.transition_matrix()
            start = np.bincount(a[active], minlength=5)[:5].astype(float)
            start /= start.sum()
            implied = float((start @ np.linalg.matrix_power(P, 12))[L])
            rows.append(
                (
                    "annual_loss_observed",
                    observed,
                    f"{int(active.sum())} customers active on {h.month_ends[n_months - 13].date()}",
                )
            )
            rows.append(
                (
                    "annual_loss_implied",
                    implied,
                    "the estimated chain at reference satisfaction, same start",
                )
            )
    return pd.DataFrame(rows, columns=["measure", "value", "note"])


def _panel_table(h: _History) -> pd.DataFrame:
    n, m = h.stage.shape
    present = h.stage >= 0
    rows, cols = np.nonzero(present)
    return pd.DataFrame(
        {
            "customer_id": h.ids[rows].astype(str),
            "month_end": h.month_ends[cols],
            "stage": np.array(STATES, dtype=object)[h.stage[rows, cols]].astype(str),
            "revenue": h.revenue[rows, cols],
            "orders": h.orders[rows, cols].astype(np.int64),
            "observable": h.observable[rows, cols],
        }
    )


def _agreement(table: pd.DataFrame) -> pd.DataFrame:
    verdict = np.where(table["probability_alive"] >= 0.5, "probably_alive", "probably_gone")
    t = table.assign(verdict=verdict)
    counts = pd.crosstab(t["stage"], t["verdict"]).reindex(index=list(STATES),
                                                           columns=["probably_alive",
                                                                    "probably_gone"],
                                                           fill_value=0)  # fmt: skip
    counts["mean_probability_alive"] = (
        t.groupby("stage")["probability_alive"].mean().reindex(list(STATES))
    )
    counts.index.name = "stage"
    return counts.reset_index()
