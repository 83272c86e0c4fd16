"""What the bundled company's generator put in, as the calibration's parameters.

:func:`crmsim.datasets.generate.generate` draws each customer's lifecycle from one of seven
trajectories with its own timing: it is not a Markov chain, so the monthly transition rates a
calibration estimates have no generator value. What does have one (documented with each entry of
:func:`calibration_truth`): the seasonal factors, stable customers' share of wallet and orders per
month, the size elasticity, the gross margin and the annual loss (:func:`annual_loss_truth`).
``benchmarks/calibrate_recovery.py`` prints them beside the estimates; ``tests/test_calibrate.py``
checks them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from crmsim.datasets.generate import (
    CATEGORIES,
    CATEGORY_MARGIN,
    DISCOUNT_PROB,
    SCHOOL_AUGUST_BOOST,
    SEASON,
)

__all__ = ["MONTH_KEYS", "annual_loss_truth", "calibration_truth"]

#: The season's keys, January to December (as the scenario's ``season.factors``).
MONTH_KEYS: tuple[str, ...] = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
_WOBBLE = 0.12  # the generator's month-to-month log-sd of a relationship's level


def calibration_truth(data: dict, median_wallet: float) -> dict[str, float]:
    """The generator's value of each scenario parameter a calibration of *data* (the dict
    :func:`~crmsim.datasets.generate.generate` returns) estimates that has one, by the
    parameter's dotted path.

    - ``season.factors.<month>``: ``SEASON``, schools' August spend times
      ``SCHOOL_AUGUST_BOOST``, weighted by each customer's expected spend (wallet × share),
      scaled to mean 1;
    - ``lifecycle.share_of_wallet.stability``: what the generator's stable customers buy a year
      over their wallet (share × mean season × the level's wobble);
    - ``lifecycle.orders_per_month.stability``: orders per month of a stable customer of
      *median_wallet* (the book's median, as the simulation's sizes are) and the mean share,
      mean over the season;
    - ``lifecycle.size_elasticity``: 0.35;
    - ``lifecycle.gross_margin``: the category margins weighted by sales, less the lines sold
      below cost.

    The share of wallet is each customer's expected one (0.4, 0.5 for referrals, times
    0.85 + 0.3 × its manager's skill); the draws around it are not returned by the generator.
    """
    cu, mg = data["customers"], data["account_managers"]
    skill = cu["manager_id"].map(mg.set_index("manager_id")["skill"])
    share = np.clip((0.4 + 0.1 * (cu["channel"] == "referral")) * (0.85 + 0.3 * skill), 0.05, 0.95)
    share = share.to_numpy()
    wallet = cu["annual_wallet"].to_numpy()
    school = (cu["customer_type"] == "school_government").to_numpy()
    months = np.tile(SEASON, (len(cu), 1))
    months[school, 7] *= SCHOOL_AUGUST_BOOST
    season = ((wallet * share)[:, None] * months).sum(axis=0)
    season = season / season.mean()
    truth = {f"season.factors.{m}": float(x) for m, x in zip(MONTH_KEYS, season, strict=True)}
    arche = data["truth"].set_index("customer_id")["archetype"].reindex(cu["customer_id"])
    stable = (arche == "stable").to_numpy()
    mean_season = np.where(school, (SEASON.sum() + (SCHOOL_AUGUST_BOOST - 1) * SEASON[7]) / 12,
                           SEASON.mean())  # fmt: skip
    wobble = np.exp(_WOBBLE**2 / 2)
    truth["lifecycle.share_of_wallet.stability"] = float(
        (wallet * share * mean_season * wobble)[stable].sum() / wallet[stable].sum())
    truth["lifecycle.orders_per_month.stability"] = float(
        1.5 * (median_wallet * share.mean() / 30_000) ** 0.35 * np.sqrt(SEASON).mean())
    truth["lifecycle.size_elasticity"] = 0.35
    tx = data["transactions"]
    cat = tx["category"].map({c: i for i, c in enumerate(CATEGORIES)}).to_numpy()
    listed = float((tx["amount"] * CATEGORY_MARGIN[cat]).sum() / tx["amount"].sum())
    truth["lifecycle.gross_margin"] = (1 - DISCOUNT_PROB) * listed - DISCOUNT_PROB * 0.045
    return truth


def annual_loss_truth(data: dict, year_end: str = "2023-12-31") -> float:
    """Share of the customers who bought in the half-year to *year_end* whose hidden
    trajectory is "lost" (the generator makes every such customer leave by July 2024): the
    annual loss a calibration to the end of 2024 should imply."""
    arche = data["truth"].set_index("customer_id")["archetype"]
    tx = data["transactions"]
    end = pd.Timestamp(year_end)
    recent = tx[(tx["date"] > end - pd.DateOffset(months=6)) & (tx["date"] <= end)]
    return float((arche.reindex(recent["customer_id"].unique()) == "lost").mean())
