"""The customer pyramid (金字塔理论): platinum, gold, iron and lead customers.

Two pyramids share the tier names but not their meaning; the kit offers both, clearly named.

- :func:`customer_pyramid` -- the textbook pyramid, a 2×2 grid of current value (当前价值) and
  growth potential (增值潜力), each split high/low:

  ============  =============  ==========  ====================================
  tier          current value  potential   recommended strategy (in short)
  ============  =============  ==========  ====================================
  IV Platinum   high           high        develop the relationship first
  III Gold      high           low         retain; raise loyalty
  II Iron       low            high        develop their buying potential
  I Lead        low            low         serve as ordinary customers
  ============  =============  ==========  ====================================

- :func:`profitability_pyramid` -- the pyramid of Zeithaml, Rust & Lemon (2001, California
  Management Review 43(4)): one axis only, realised profitability, cut by rank into the top few
  percent (platinum), the next group (gold), a middle group (iron) and the rest (lead).

:func:`pyramid_summary` counts customers and value per tier for either table.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import (
    check_choice,
    check_number,
    numeric_column,
    require_columns,
    require_dataframe,
    unique_column,
)
from crmsim.errors import DataError, ParameterError
from crmsim.methods._tally import category_counts
from crmsim.methods.abc import _customer_values, _rank_desc
from crmsim.terms import label

#: The four tiers, ordered from the apex of the pyramid down.
PYRAMID_TIERS: tuple[str, str, str, str] = ("platinum", "gold", "iron", "lead")

#: Roman numeral of each tier (IV at the apex, I at the base), as in the textbook.
TIER_NUMERALS: dict[str, str] = {"platinum": "IV", "gold": "III", "iron": "II", "lead": "I"}

#: (current level, potential level) of each tier in the textbook 2×2 pyramid.
TIER_LEVELS: dict[str, tuple[str, str]] = {
    "platinum": ("high", "high"),
    "gold": ("high", "low"),
    "iron": ("low", "high"),
    "lead": ("low", "low"),
}

#: Recommended strategy per tier of the textbook 2×2 pyramid (current value × growth potential).
STRATEGIES: dict[str, str] = {
    "platinum": (
        "Top priority: invest first in developing the relationship; dedicated account manager, "
        "joint planning, grow share of wallet."
    ),
    "gold": (
        "Retain: keep them buying and raise loyalty with service quality, recognition and "
        "loyalty terms; avoid over-investing in growth they cannot deliver."
    ),
    "iron": (
        "Develop: unlock their buying potential with cross-selling, up-selling and needs "
        "analysis, so they move up to platinum."
    ),
    "lead": (
        "Serve efficiently as ordinary customers through low-cost channels; watch for changes "
        "that raise their value."
    ),
}

#: Strategy per tier of the profitability pyramid (Zeithaml, Rust & Lemon 2001), in short.
PROFITABILITY_STRATEGIES: dict[str, str] = {
    "platinum": (
        "Most profitable few: reward and protect them, personal attention, keep them away from "
        "competitors."
    ),
    "gold": (
        "Profitable but less committed: give them reasons to buy more and move up to platinum."
    ),
    "iron": (
        "Needed for volume and capacity: serve at low cost, standardise the offer, look for "
        "ways to lift their margin."
    ),
    "lead": (
        "Cost more than they bring: raise prices or fees, cut cost to serve, or let them go."
    ),
}

_SPLITS = ("median", "quantile", "threshold")


def customer_pyramid(
    data: pd.DataFrame,
    current: str = "current_value",
    potential: str = "growth_potential",
    id: str = "customer_id",
    split: str = "median",
    current_threshold: float | None = None,
    potential_threshold: float | None = None,
    quantile: float = 0.5,
    lang: str = "en",
) -> pd.DataFrame:
    """Place customers in the textbook 2×2 customer pyramid (金字塔理论).

    Each customer's current value (当前价值) and growth potential (增值潜力) are split into
    "high" and "low"; the combination gives the tier: IV Platinum (铂金客户, high/high),
    III Gold (黄金客户, high current, low potential), II Iron (铁质客户, low current, high
    potential) and I Lead (铅质客户, low/low).

    This differs from :func:`profitability_pyramid` (Zeithaml, Rust & Lemon 2001), which ranks
    customers on a single axis, realised profitability. The tier names are the same but here
    "gold" means "valuable now, little room to grow", not "second most profitable".

    Parameters
    ----------
    data : DataFrame
        One row per customer (ids must be unique), e.g. from
        :func:`crmsim.methods.value.customer_value`.
    current, potential : str
        Numeric columns for current value and growth potential (no missing values).
    id : str, default "customer_id"
        Customer id column.
    split : {"median", "quantile", "threshold"}, default "median"
        How "high" is cut, on each axis separately:

        - ``"median"``: high when the value is strictly greater than the median;
        - ``"quantile"``: high when strictly greater than the ``quantile`` quantile (linear
          interpolation), e.g. ``quantile=0.8`` makes roughly the top 20% high;
        - ``"threshold"``: high when strictly greater than ``current_threshold`` /
          ``potential_threshold`` (both required, and only allowed with this split).
    current_threshold, potential_threshold : float, optional
        Explicit cuts for ``split="threshold"``.
    quantile : float, default 0.5
        Quantile in (0, 1) for ``split="quantile"``; ignored by the other splits.
    lang : {"en", "zh", "both"}, default "en"
        Language of ``tier_label`` (from :data:`crmsim.terms.TERMS`).

    Returns
    -------
    DataFrame
        A copy of *data* (same rows and order) with added columns ``current_level`` and
        ``potential_level`` ("high"/"low"), ``tier`` (platinum, gold, iron, lead),
        ``tier_label`` (e.g. "IV Platinum") and ``strategy`` (from :data:`STRATEGIES`).
        ``result.attrs["cuts"]`` holds the cut used on each axis, ``{"current": ...,
        "potential": ...}``, and ``attrs["value_column"]`` the current-value column.

    Notes
    -----
    Tie rule: a value *equal* to the cut is "low". With the median split this means "high"
    never holds more than half of the customers; with many equal values (e.g. lots of zero
    potential) it may hold far fewer. Example: current values 1, 2, 3, 4, 5 have median 3, so
    3 is low and only 4 and 5 are high.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "current_value": [100, 90, 10, 5],
    ...     "growth_potential": [50, 1, 60, 2],
    ... })
    >>> customer_pyramid(df)["tier"].tolist()
    ['platinum', 'gold', 'iron', 'lead']
    """
    require_dataframe(data, name="data")
    check_choice("split", split, _SPLITS)
    check_choice("lang", lang, ["en", "zh", "both"])
    if split != "threshold":
        for name, given in (
            ("current_threshold", current_threshold),
            ("potential_threshold", potential_threshold),
        ):
            if given is not None:
                raise ParameterError(
                    f"parameter {name!r} is only used with split='threshold'; got split={split!r}"
                )
    require_columns(data, [id, current, potential], source="data")
    unique_column(data, id, source="data")  # raises, naming missing or duplicated ids
    cur = numeric_column(data, current, source="data", id_column=id).to_numpy()
    pot = numeric_column(data, potential, source="data", id_column=id).to_numpy()
    if len(data) == 0:
        raise DataError("data: no customers (the table has no rows)")

    if split == "median":
        cut_cur, cut_pot = float(np.median(cur)), float(np.median(pot))
    elif split == "quantile":
        q = check_number("quantile", quantile, minimum=0.0, maximum=1.0)
        if not 0.0 < q < 1.0:
            raise ParameterError(f"parameter 'quantile' must be strictly between 0 and 1; got {q}")
        cut_cur, cut_pot = float(np.quantile(cur, q)), float(np.quantile(pot, q))
    else:
        missing = [
            name
            for name, given in (
                ("current_threshold", current_threshold),
                ("potential_threshold", potential_threshold),
            )
            if given is None
        ]
        if missing:
            raise ParameterError(
                f"split='threshold' needs both thresholds; missing parameter(s) "
                f"{', '.join(map(repr, missing))}"
            )
        cut_cur = check_number("current_threshold", current_threshold)
        cut_pot = check_number("potential_threshold", potential_threshold)

    cur_high = cur > cut_cur
    pot_high = pot > cut_pot
    # tier code: 0 platinum (high, high), 1 gold (high, low), 2 iron (low, high), 3 lead
    code = np.where(cur_high, 0, 2) + np.where(pot_high, 0, 1)
    levels = np.asarray(["high", "low"], dtype=object)
    labels = np.asarray([label(t, lang) for t in PYRAMID_TIERS], dtype=object)
    strategies = np.asarray([STRATEGIES[t] for t in PYRAMID_TIERS], dtype=object)
    out = data.copy()
    out["current_level"] = pd.array(levels[(~cur_high).astype("int8")], dtype="str")
    out["potential_level"] = pd.array(levels[(~pot_high).astype("int8")], dtype="str")
    out["tier"] = pd.array(np.asarray(PYRAMID_TIERS, dtype=object)[code], dtype="str")
    out["tier_label"] = pd.array(labels[code], dtype="str")
    out["strategy"] = pd.array(strategies[code], dtype="str")
    out.attrs = {
        "pyramid": "current_x_potential",
        "split": split,
        "cuts": {"current": cut_cur, "potential": cut_pot},
        "current_column": current,
        "potential_column": potential,
        "value_column": current,
        "id_column": id,
    }
    return out


def _check_cuts(cuts: Any) -> tuple[float, float, float]:
    try:
        values = tuple(float(c) for c in cuts)
    except (TypeError, ValueError):
        values = ()
    ok = (
        len(values) == 3
        and all(np.isfinite(values))
        and 0.0 < values[0] < values[1] < values[2] <= 1.0
    )
    if not ok:
        raise ParameterError(
            "parameter 'cuts' must be three increasing shares 0 < c1 < c2 < c3 <= 1 "
            f"(e.g. (0.05, 0.20, 0.50)); got {cuts!r}"
        )
    return values  # type: ignore[return-value]


def profitability_pyramid(
    data: pd.DataFrame,
    profit: str = "gross_profit",
    id: str = "customer_id",
    cuts: tuple[float, float, float] = (0.05, 0.20, 0.50),
    aggregate: bool | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Tier customers by profitability rank: the pyramid of Zeithaml, Rust & Lemon (2001).

    Zeithaml, Rust & Lemon ("The customer pyramid: creating and serving profitable
    customers", California Management Review 43(4), 2001) rank customers on one axis, the
    profit they bring, and cut the ranking into platinum, gold, iron and lead tiers. Unlike the
    textbook 2×2 pyramid (:func:`customer_pyramid`, current value × growth potential), a tier
    here says only how profitable the customer has been: gold is the second-best group, not
    "valuable now but with little room to grow".

    Parameters
    ----------
    data : DataFrame
        One row per customer or many (e.g. transactions); repeated ids are summed (see
        ``aggregate``).
    profit : str, default "gross_profit"
        Numeric profit column. Negative values are allowed (loss-making customers end up in
        the lead tier).
    id : str, default "customer_id"
        Customer id column.
    cuts : (float, float, float), default (0.05, 0.20, 0.50)
        Cumulative shares of customers, by rank, that end each tier: the top 5% are platinum,
        the rest of the top 20% gold, the rest of the top 50% iron, and everyone else lead.
    aggregate : bool or None, default None
        ``None`` sums ``profit`` per id when ids repeat; ``False`` requires unique ids.
    lang : {"en", "zh", "both"}, default "en"
        Language of ``tier_label``.

    Returns
    -------
    DataFrame
        One row per customer, sorted by profit descending, ties by id ascending. Columns
        ``<id>``, ``<profit>`` (the per-customer total, under the input column's name),
        ``rank`` (1 = most profitable), ``rank_share`` (rank / n), ``tier``, ``tier_label``
        and ``strategy`` (from :data:`PROFITABILITY_STRATEGIES`).

    Notes
    -----
    A customer belongs to the first tier whose cut is >= its ``rank_share`` (rank / n), so
    tier sizes are ``floor(c * n)`` differences: with 600 customers and the default cuts,
    30 platinum, 90 gold, 180 iron and 300 lead. With few customers a tier can be empty
    (10 customers: 5% of 10 is 0.5, so no platinum). Customers with equal profit are ordered
    by id, so tied customers on a cut may land in different tiers.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"customer_id": list("abcdefghij"),
    ...                    "gross_profit": [90, 80, 70, 60, 50, 40, 30, 20, 10, -5]})
    >>> profitability_pyramid(df, cuts=(0.1, 0.3, 0.6))["tier"].tolist()[:4]
    ['platinum', 'gold', 'gold', 'iron']
    """
    require_dataframe(data, name="data")
    c1, c2, c3 = _check_cuts(cuts)
    check_choice("lang", lang, ["en", "zh", "both"])
    ids, values = _customer_values(data, profit, id, aggregate, "data")
    if values.size == 0:
        raise DataError(f"data: no customers to rank (column {profit!r} is empty)")
    order = _rank_desc(ids, values)
    n = values.size
    rank = np.arange(1, n + 1, dtype="int64")
    rank_share = rank / n
    tol = 1e-12
    code = np.select([rank_share <= c1 + tol, rank_share <= c2 + tol, rank_share <= c3 + tol],
                     [0, 1, 2], default=3)
    tier = np.asarray(PYRAMID_TIERS, dtype=object)[code]
    labels = np.asarray([label(t, lang) for t in PYRAMID_TIERS], dtype=object)
    strategies = np.asarray([PROFITABILITY_STRATEGIES[t] for t in PYRAMID_TIERS], dtype=object)
    out = pd.DataFrame(
        {
            id: ids.take(order).array,
            profit: values[order],
            "rank": rank,
            "rank_share": rank_share,
            "tier": pd.array(tier, dtype="str"),
            "tier_label": pd.array(labels[code], dtype="str"),
            "strategy": pd.array(strategies[code], dtype="str"),
        }
    )
    out.attrs = {
        "pyramid": "profitability",
        "cuts": (c1, c2, c3),
        "value_column": profit,
        "id_column": id,
    }
    return out


def pyramid_summary(
    table: pd.DataFrame, value: str | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Count customers and value per pyramid tier.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`customer_pyramid` or :func:`profitability_pyramid` (needs a
        ``tier`` column).
    value : str, optional
        Numeric column to total per tier. Default: the table's value column recorded by the
        pyramid function (the current-value column for the 2×2 pyramid, the profit column for
        the profitability pyramid); if there is none, only counts are returned.

    Returns
    -------
    DataFrame
        Index ``tier`` with all four tiers, apex first (platinum, gold, iron, lead), even empty
        ones. Columns ``label`` (e.g. "IV Platinum"), ``count``, ``share`` (of customers) and,
        when a value column is known, ``value`` (total) and ``value_share`` (of the grand
        total; NaN if the grand total is 0).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "customer_id": ["a", "b", "c", "d"],
    ...     "current_value": [100, 90, 10, 5],
    ...     "growth_potential": [50, 1, 60, 2],
    ... })
    >>> pyramid_summary(customer_pyramid(df))["count"].tolist()
    [1, 1, 1, 1]
    """
    require_dataframe(table, name="table")
    check_choice("lang", lang, ["en", "zh", "both"])
    counts = category_counts(table, "tier", PYRAMID_TIERS, source="table")
    if value is None:
        value = table.attrs.get("value_column")
        if value is not None and value not in table.columns:
            value = None
    tiers = list(PYRAMID_TIERS)
    keys = table["tier"].to_numpy()
    summary = pd.DataFrame(
        {
            "label": [label(t, lang) for t in tiers],
            "count": counts["count"].to_numpy(),
            "share": counts["share"].to_numpy(),
        },
        index=pd.Index(tiers, name="tier"),
    )
    if value is not None:
        values = numeric_column(table, value, source="table")
        totals = values.groupby(keys).sum().reindex(tiers, fill_value=0.0).astype("float64")
        grand = float(values.sum())
        summary["value"] = totals.to_numpy()
        summary["value_share"] = totals.to_numpy() / grand if grand != 0 else np.nan
    summary.attrs = {"value_column": value}
    return summary
