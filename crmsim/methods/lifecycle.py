"""Infer each customer's relationship lifecycle stage (客户关系生命周期) from transactions.

The lifecycle has four stages (Dwyer, Schurr & Oh 1987; the Chinese textbooks' 考察期, 形成期,
稳定期, 退化期) plus the end state of a relationship that was not recovered:

- **exploration (考察期)** — both sides test each other: short history, few small orders;
- **formation (形成期)** — trust and volume grow fast;
- **stability (稳定期)** — the highest level: a long, steady, large relationship;
- **decline (退化期)** — the level reverses; this can start from any stage;
- **lost (客户流失)** — the customer stopped buying.

The inference is a set of transparent rules, not a statistical model: every customer gets a
``stage`` and a ``reason`` that says which rule fired and with which numbers, so students can
check it by hand and instructors can change the thresholds (:class:`LifecycleRules`).

How time is measured
--------------------
All measures are taken at an ``as_of`` date; transactions after it are ignored. Months are
**whole calendar months elapsed**, counted like an age in years: from 2024-06-30 to 2024-12-31
is 6 months, from 2024-07-01 to 2024-12-31 is 5 (a month is complete when its day of the month
is reached, or the last day of a shorter month: 2024-08-31 → 2025-02-28 is 6 months).

- ``tenure_months``: months from the first order to ``as_of``;
- ``recency_months``: months from the last order to ``as_of``;
- ``spend_recent``: spend in the last ``window_months`` (12) months, i.e. orders less than
  12 elapsed months before ``as_of``; ``spend_previous``: the 12 months before that;
- ``trend_ratio = spend_recent / spend_previous`` (inf when there was no previous spend);
- ``peak_spend``: the customer's largest spend in any run of ``window_months`` consecutive
  months up to ``as_of``; ``peak_share = spend_recent / peak_spend`` (1.0 = at its own peak).

Ratios are rounded to 9 decimals before the rules compare them, so a hand-computed 70% is
exactly 70%. When ``window_months`` equals ``recency_lost_months``, ``recency_months >= 6``
holds exactly when ``spend_recent == 0``.

Why 12-month windows by default: business customers order in lumps (a few orders a month, of
varying size), so two half-years of the same steady customer easily differ by 30-70%. On the
bundled company, whose generator records each customer's true trajectory, half-year windows
with a 1.2 growth cut called 79 of 170 steady customers "formation"; twelve-month windows with
the defaults below agree with the true trajectory for 71% of customers instead of 61%. Set
``window_months=6, exploration_months=6, growth_ratio=1.2, stability_months=18,
recency_decline_months=3`` to reproduce the shorter half-year rule.

Rules, evaluated in this order (the first that holds decides)
-------------------------------------------------------------
1. **lost**: ``recency_months >= recency_lost_months`` (6).
2. **exploration**: ``tenure_months < exploration_months`` (9) or
   ``n_orders < exploration_min_orders`` (3).
3. **decline**: ``trend_ratio < decline_ratio`` (0.7), or ``recency_months >=
   recency_decline_months`` (4), or ``peak_share < decline_peak_share`` (0.5).
4. **formation**: ``trend_ratio > growth_ratio`` (1.3) or ``tenure_months < stability_months``
   (24).
5. **stability**: otherwise — an established relationship with steady spend.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import pandas as pd

from crmsim._validation import (
    check_choice,
    check_number,
    date_column,
    non_missing_column,
    numeric_column,
    require_columns,
    require_dataframe,
)
from crmsim.errors import DataError, ParameterError
from crmsim.methods._tally import category_counts
from crmsim.terms import STATES

__all__ = [
    "STATES",
    "LifecycleRules",
    "infer_stage",
    "stage_history",
    "stage_mix",
]


_FREQS: tuple[str, ...] = ("MS", "QS")
_RATIO_DECIMALS = 9


@dataclass(frozen=True)
class LifecycleRules:
    """Thresholds of the lifecycle rules (see the module docstring for the order of the rules).

    Attributes
    ----------
    recency_lost_months : int
        Lost when there has been no order for at least this many months (default 6).
    exploration_months : int
        Exploration while the first order is fewer than this many months old (default 9).
    exploration_min_orders : int
        Exploration while the customer has fewer orders than this (default 3; 0 disables).
    decline_ratio : float
        Decline when recent spend is below this share of the previous window's (default 0.7).
    recency_decline_months : int
        Decline when there has been no order for at least this many months (default 4).
    decline_peak_share : float
        Decline when recent spend is below this share of the customer's own peak window
        (default 0.5; 0 disables).
    growth_ratio : float
        Formation when recent spend is above this multiple of the previous window's (default 1.3).
    stability_months : int
        Formation (not yet stability) while the relationship is younger than this (default 24).
    window_months : int
        Length of the recent and previous spend windows (default 12; see the note on window
        length in the module docstring).

    Raises
    ------
    ParameterError
        When a threshold is impossible; the message names the field.

    Examples
    --------
    >>> LifecycleRules(recency_lost_months=9).recency_lost_months
    9
    """

    recency_lost_months: int = 6
    exploration_months: int = 9
    exploration_min_orders: int = 3
    decline_ratio: float = 0.7
    recency_decline_months: int = 4
    decline_peak_share: float = 0.5
    growth_ratio: float = 1.3
    stability_months: int = 24
    window_months: int = 12

    def __post_init__(self) -> None:
        check_number("recency_lost_months", self.recency_lost_months, minimum=1, integer=True)
        check_number("exploration_months", self.exploration_months, minimum=0, integer=True)
        check_number(
            "exploration_min_orders", self.exploration_min_orders, minimum=0, integer=True
        )
        check_number("decline_ratio", self.decline_ratio, minimum=0.0, maximum=1.0)
        check_number(
            "recency_decline_months", self.recency_decline_months, minimum=1,
            maximum=self.recency_lost_months,
            integer=True,
        )
        check_number("decline_peak_share", self.decline_peak_share, minimum=0.0, maximum=1.0)
        check_number("growth_ratio", self.growth_ratio, minimum=1.0)
        check_number(
            "stability_months", self.stability_months, minimum=self.exploration_months,
            integer=True,
        )
        check_number("window_months", self.window_months, minimum=1, integer=True)
        for name in _INT_FIELDS:  # 6.0 is accepted as 6 and stored as an int
            object.__setattr__(self, name, int(getattr(self, name)))


_INT_FIELDS = (
    "recency_lost_months",
    "exploration_months",
    "exploration_min_orders",
    "recency_decline_months",
    "stability_months",
    "window_months",
)


def _coerce_rules(rules: Any) -> LifecycleRules:
    if rules is None:
        return LifecycleRules()
    if isinstance(rules, LifecycleRules):
        return rules
    if isinstance(rules, Mapping):
        names = {f.name for f in fields(LifecycleRules)}
        unknown = sorted(map(str, set(rules) - names))
        if unknown:
            raise ParameterError(
                f"parameter 'rules' has unknown field(s) {unknown}; known: {sorted(names)}"
            )
        return LifecycleRules(**rules)
    raise ParameterError(
        f"parameter 'rules' must be a LifecycleRules, a dict of its fields or None; got "
        f"{type(rules).__name__}"
    )


# ---------------------------------------------------------------------------- time helpers


def _months_between(start: pd.Series, end: pd.Timestamp) -> np.ndarray:
    """Whole calendar months elapsed from each date in *start* to *end* (like an age).

    Worked out once for every day from the first date to the last (a few thousand days),
    then looked up for each date: millions of transactions fall on few days."""
    days = start.to_numpy().astype("datetime64[D]")
    if not len(days):
        return np.zeros(0, dtype="int64")
    first = days.min()
    calendar = np.arange(first, days.max() + np.timedelta64(1, "D"))
    month = calendar.astype("datetime64[M]")
    months = (end.year - 1970) * 12 + (end.month - 1) - month.astype("int64")
    day = (calendar - month.astype("datetime64[D]")).astype("int64") + 1
    reached = end.day >= np.minimum(day, end.days_in_month)
    elapsed = (months - (~reached).astype("int64")).astype("int64")
    return elapsed[(days - first).astype("int64")]


def _as_timestamp(as_of: Any, dates: pd.Series) -> pd.Timestamp:
    if as_of is None:
        if dates.empty:
            raise DataError("transactions: no rows, so 'as_of' cannot default to the last date")
        return pd.Timestamp(dates.max())
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError):
        raise ParameterError(
            f"parameter 'as_of' must be a date such as '2024-12-31'; got {as_of!r}"
        ) from None
    if ts is pd.NaT:
        raise ParameterError(f"parameter 'as_of' must be a date; got {as_of!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _validated(
    transactions: pd.DataFrame, id: str, date: str, value: str, order: str | None
) -> pd.DataFrame:
    """One clean frame: id, date (datetime64), value (float >= 0) and, when *order* names a
    column, the order key (without one, each row is an order)."""
    source = "transactions"
    require_dataframe(transactions, name="transactions")
    require_columns(transactions, [id, date, value], source=source)
    non_missing_column(transactions, id, source=source)
    ids = transactions[id]
    dates = date_column(transactions, date, source=source, id_column=id)
    amounts = numeric_column(
        transactions, value, source=source, id_column=id, allow_negative=False
    )
    clean = pd.DataFrame(
        {
            "_id": ids.to_numpy(),
            "_date": dates.to_numpy(),
            "_value": amounts.to_numpy(),
        }
    )
    if order is not None and order in transactions.columns:
        clean["_order"] = transactions[order].to_numpy()
    if clean["_date"].dt.tz is not None:
        clean["_date"] = clean["_date"].dt.tz_localize(None)
    clean["_date"] = clean["_date"].dt.normalize()
    return clean


# ---------------------------------------------------------------------------- inference


def _pct(ratio: np.ndarray) -> np.ndarray:
    """Ratios as percent text with one decimal ('69.6%'); 'n/a' when not finite."""
    finite = np.isfinite(ratio)
    text = np.char.mod("%.1f%%", np.where(finite, ratio * 100.0, 0.0))
    return np.where(finite, text, "n/a")


def _ints(values: np.ndarray) -> np.ndarray:
    return np.char.mod("%d", values.astype("int64"))


def _months(values: np.ndarray) -> np.ndarray:
    """'1 month', '3 months'."""
    return np.char.add(_ints(values), np.where(values == 1, " month", " months"))


def _cat(*parts: Any) -> np.ndarray:
    """Concatenate string arrays and literals element-wise."""
    out = np.asarray(parts[0], dtype=str)
    for p in parts[1:]:
        out = np.char.add(out, np.asarray(p, dtype=str))
    return out


def _spend_by_month(
    values: pd.Series, customer: np.ndarray, bins: np.ndarray, customers: int, n_bins: int
) -> np.ndarray:
    """Spend per customer (row, numbered by *customer*) and month (column, *bins*).

    One grouping on the cell's number adds each cell's rows in the order a grouping on
    (customer, month) does. The matrix is laid out as the former ``unstack`` / ``reindex`` left
    it: row by row when every month has a sale, month by month when a month was filled in.
    numpy adds a row's months in another order in the two layouts, so this keeps the last bit
    of ``spend_recent``, ``spend_previous`` and ``peak_spend`` exactly as it was."""
    by_cell = values.groupby(bins * customers + customer, sort=False).sum()
    spend = np.zeros(n_bins * customers)
    spend[by_cell.index.to_numpy()] = by_cell.to_numpy()
    if (np.bincount(bins, minlength=n_bins) > 0).all():  # every month present: row by row
        return np.ascontiguousarray(spend.reshape(n_bins, customers).T)
    return spend.reshape(n_bins, customers).T


def _infer(
    clean: pd.DataFrame, as_of: pd.Timestamp, rules: LifecycleRules, reasons: bool = True
) -> pd.DataFrame:
    """Stage table from a validated frame (columns _id, _date, _value and, if orders are
    named, _order; without it each row is an order); with ``reasons=False`` the reason column
    is empty (the text takes most of the time)."""
    tx = clean[clean["_date"] <= as_of]
    columns = ["first_order", "last_order", "n_orders", "total_spend", "tenure_months",
               "recency_months", "spend_recent", "spend_previous", "trend_ratio",
               "peak_spend", "peak_share", "stage", "reason"]
    if tx.empty:
        return pd.DataFrame({c: [] for c in ["_id", *columns]})
    w = rules.window_months
    bins = _months_between(tx["_date"], as_of)
    g = tx.groupby("_id", sort=True)
    first = g["_date"].min()
    last = g["_date"].max()
    counted = g["_order"].nunique() if "_order" in tx.columns else g.size()
    n_orders = counted.to_numpy().astype("int64")
    total = g["_value"].sum().to_numpy()

    n_bins = max(int(bins.max()) + 1, 2 * w)
    spend = _spend_by_month(tx["_value"], g.ngroup().to_numpy(), bins, len(first), n_bins)
    recent = spend[:, :w].sum(axis=1)
    previous = spend[:, w:2 * w].sum(axis=1)
    # sums over every run of w consecutive months (zeros padded beyond the history)
    padded = np.concatenate([np.zeros((len(spend), 1)), spend, np.zeros((len(spend), w - 1))],
                            axis=1)
    csum = np.cumsum(padded, axis=1)
    windows = csum[:, w:] - csum[:, :-w]
    peak = windows.max(axis=1)

    with np.errstate(divide="ignore", invalid="ignore"):
        trend = np.where(previous > 0, recent / np.where(previous > 0, previous, 1.0),
                         np.where(recent > 0, np.inf, np.nan))
        peak_share = np.where(peak > 0, recent / np.where(peak > 0, peak, 1.0), np.nan)
    # float noise guard: 4200 / 6000 must compare as exactly 0.7 against the 70% rule
    trend = np.round(trend, _RATIO_DECIMALS)
    peak_share = np.round(peak_share, _RATIO_DECIMALS)
    tenure = _months_between(first.reset_index(drop=True), as_of)
    recency = _months_between(last.reset_index(drop=True), as_of)

    r = rules
    is_lost = recency >= r.recency_lost_months
    young = tenure < r.exploration_months
    few = n_orders < r.exploration_min_orders
    falling = trend < r.decline_ratio
    quiet = recency >= r.recency_decline_months
    below_peak = peak_share < r.decline_peak_share
    growing = trend > r.growth_ratio
    forming = tenure < r.stability_months

    conditions = [is_lost, young | few, falling | quiet | below_peak, growing | forming]
    order = ["lost", "exploration", "decline", "formation", "stability"]
    stage = np.select(conditions, order[:-1], default="stability")
    if not reasons:
        reason = np.full(len(stage), "", dtype=object)
        return _stage_table(first, last, n_orders, total, tenure, recency, recent, previous,
                            trend, peak, peak_share, stage, reason)  # fmt: skip
    ws = str(w)

    # each stage's text is written for that stage's customers only
    def lost(k: np.ndarray) -> np.ndarray:
        return _cat("no order for ", _months(recency[k]), f" (>= {r.recency_lost_months})")

    def exploration(k: np.ndarray) -> np.ndarray:
        return np.where(
            young[k],
            _cat("first order ", _months(tenure[k]), f" ago (< {r.exploration_months})"),
            _cat("only ", _ints(n_orders[k]), np.where(n_orders[k] == 1, " order", " orders"),
                 f" (< {r.exploration_min_orders})"),
        )

    def decline(k: np.ndarray) -> np.ndarray:
        return np.select(
            [falling[k], quiet[k]],
            [
                _cat(f"last {ws} months' spend is ", _pct(trend[k]), f" of the previous {ws} "
                     f"(< {r.decline_ratio:.0%})"),
                _cat("no order for ", _months(recency[k]), f" (>= {r.recency_decline_months})"),
            ],
            default=_cat(f"last {ws} months' spend is ", _pct(peak_share[k]),
                         f" of its best {ws} months (< {r.decline_peak_share:.0%})"),
        )

    def formation(k: np.ndarray) -> np.ndarray:
        return np.select(
            [growing[k] & np.isinf(trend[k]), growing[k]],
            [
                _cat(f"spend in the last {ws} months, none in the previous {ws}"),
                _cat(f"last {ws} months' spend is ", _pct(trend[k]), f" of the previous {ws} "
                     f"(> {r.growth_ratio:.0%})"),
            ],
            default=_cat("relationship ", _months(tenure[k]), f" old (< {r.stability_months})"),
        )

    def stability(k: np.ndarray) -> np.ndarray:
        return _cat("relationship ", _months(tenure[k]), f" old, last {ws} months' spend ",
                    _pct(trend[k]), f" of the previous {ws}")

    reason_text = np.empty(len(stage), dtype=object)
    for name, text in zip(order, [lost, exploration, decline, formation, stability],
                          strict=True):
        k = np.flatnonzero(stage == name)
        if len(k):
            reason_text[k] = text(k)
    reason = [f"{s}: {text}" for s, text in zip(stage.tolist(), reason_text.tolist(), strict=True)]
    return _stage_table(first, last, n_orders, total, tenure, recency, recent, previous, trend,
                        peak, peak_share, stage, reason)  # fmt: skip


def _stage_table(first, last, n_orders, total, tenure, recency, recent, previous, trend, peak,
                 peak_share, stage, reason) -> pd.DataFrame:  # fmt: skip
    """The columns of :func:`_infer` as a DataFrame."""
    return pd.DataFrame(
        {
            "_id": first.index.to_numpy(),
            "first_order": first.to_numpy(),
            "last_order": last.to_numpy(),
            "n_orders": n_orders,
            "total_spend": total,
            "tenure_months": tenure,
            "recency_months": recency,
            "spend_recent": recent,
            "spend_previous": previous,
            "trend_ratio": trend,
            "peak_spend": peak,
            "peak_share": peak_share,
            "stage": pd.array(stage.tolist(), dtype="str"),
            "reason": pd.array(list(reason), dtype="str"),
        }
    )


def infer_stage(
    transactions: pd.DataFrame,
    as_of: Any = None,
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    rules: LifecycleRules | Mapping[str, Any] | None = None,
    *,
    order: str | None = "order_id",
) -> pd.DataFrame:
    """Infer each customer's lifecycle stage at ``as_of`` with transparent rules.

    Parameters
    ----------
    transactions : DataFrame
        One row per order (or order line): customer id, date and amount (CNY, >= 0).
    as_of : date-like, optional
        The analysis date; transactions after it are ignored. Defaults to the last date in the
        data (for the bundled data use ``"2024-12-31"``).
    id, date, value : str
        Column names of the customer id, the date and the amount.
    rules : LifecycleRules or dict, optional
        Thresholds; a dict is turned into :class:`LifecycleRules` (unknown keys are an error).
    order : str or None
        Column identifying orders: ``n_orders`` counts its distinct values per customer. When
        ``None`` or when the column is absent, each row counts as one order.

    Returns
    -------
    DataFrame
        One row per customer with at least one transaction on or before ``as_of``, sorted by id.
        Columns: id, ``first_order``, ``last_order``, ``n_orders``, ``total_spend``,
        ``tenure_months``, ``recency_months``, ``spend_recent``, ``spend_previous``,
        ``trend_ratio``, ``peak_spend``, ``peak_share``, ``stage`` (one of :data:`STATES`) and
        ``reason`` (which rule fired, with the numbers). ``attrs["as_of"]`` holds the date used.
        See the module docstring for the definitions and the rules.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["C1"] * 3, "amount": [100.0, 120.0, 90.0],
    ...                    "date": ["2024-10-05", "2024-11-05", "2024-12-05"]})
    >>> infer_stage(tx, as_of="2024-12-31")[["stage", "reason"]].values.tolist()
    [['exploration', 'exploration: first order 2 months ago (< 9)']]
    """
    chosen = _coerce_rules(rules)
    clean = _validated(transactions, id, date, value, order)
    when = _as_timestamp(as_of, clean["_date"])
    table = _infer(clean, when, chosen).rename(columns={"_id": id})
    table.attrs["as_of"] = when
    return table


def stage_history(
    transactions: pd.DataFrame,
    customer_id: Any,
    freq: str = "MS",
    as_of: Any = None,
    *,
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    rules: LifecycleRules | Mapping[str, Any] | None = None,
    order: str | None = "order_id",
) -> pd.DataFrame:
    """One customer's spend per month (or quarter) with the stage inferred at each period end.

    This shows the path a relationship takes through the stages: the stage in each row is what
    :func:`infer_stage` would say if it were run on the last day of that period (or on
    ``as_of`` for the last, partial period), using only the transactions up to then.

    Parameters
    ----------
    transactions : DataFrame
        Transactions of any number of customers (see :func:`infer_stage`).
    customer_id : str
        The customer to follow.
    freq : {"MS", "QS"}
        Period length: calendar months (default) or calendar quarters.
    as_of : date-like, optional
        Last date of the history; defaults to the last date in the whole data (not the
        customer's last order), so a lost customer's final silent months are shown.
    id, date, value, rules, order
        As in :func:`infer_stage`.

    Returns
    -------
    DataFrame
        One row per period from the period of the first order to the period holding ``as_of``:
        ``period_start``, ``period_end`` (the evaluation date), ``spend`` (CNY in the period),
        ``tenure_months``, ``recency_months``, ``trend_ratio``, ``peak_share``, ``stage`` and
        ``reason``.

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["C1", "C1"], "amount": [100.0, 50.0],
    ...                    "date": ["2024-01-10", "2024-02-10"]})
    >>> stage_history(tx, "C1", as_of="2024-09-30")["stage"].tolist()[-1]
    'lost'
    """
    check_choice("freq", freq, _FREQS)
    chosen = _coerce_rules(rules)
    clean = _validated(transactions, id, date, value, order)
    when = _as_timestamp(as_of, clean["_date"])
    mine = clean[(clean["_id"] == customer_id) & (clean["_date"] <= when)]
    if mine.empty:
        raise DataError(
            f"transactions: customer {customer_id!r} (column {id!r}) has no transactions on or "
            f"before {when.date()}"
        )
    offset = pd.tseries.frequencies.to_offset(freq)
    first_start = offset.rollback(mine["_date"].min().normalize())
    starts = pd.date_range(first_start, when, freq=freq)
    ends = (starts + offset) - pd.Timedelta(days=1)
    ends = ends.where(ends <= when, when)
    period = np.searchsorted(starts.to_numpy(), mine["_date"].to_numpy(), side="right") - 1
    spend = np.bincount(period, weights=mine["_value"].to_numpy(), minlength=len(starts))

    rows = []
    for end in ends:  # one customer: a short loop over periods
        rows.append(_infer(mine, end, chosen).iloc[0])
    stages = pd.DataFrame(rows).reset_index(drop=True)
    return pd.DataFrame(
        {
            "period_start": starts.to_numpy(),
            "period_end": ends.to_numpy(),
            "spend": spend,
            "tenure_months": stages["tenure_months"].to_numpy(dtype="int64"),
            "recency_months": stages["recency_months"].to_numpy(dtype="int64"),
            "trend_ratio": stages["trend_ratio"].to_numpy(dtype="float64"),
            "peak_share": stages["peak_share"].to_numpy(dtype="float64"),
            "stage": pd.array(stages["stage"].tolist(), dtype="str"),
            "reason": pd.array(stages["reason"].tolist(), dtype="str"),
        }
    )


def stage_mix(table: pd.DataFrame, *, stage: str = "stage") -> pd.DataFrame:
    """Count and share of customers in each lifecycle stage.

    Parameters
    ----------
    table : DataFrame
        A table with a stage column, e.g. the output of :func:`infer_stage`.
    stage : str
        Name of the stage column.

    Returns
    -------
    DataFrame
        Five rows, always in :data:`STATES` order, with columns ``stage``, ``count`` (int) and
        ``share`` (sums to 1; NaN for an empty table).

    Examples
    --------
    >>> stage_mix(pd.DataFrame({"stage": ["lost", "formation", "lost"]}))["count"].tolist()
    [0, 1, 0, 0, 2]
    """
    summary = category_counts(table, stage, STATES, source="stage_mix table")
    return summary.rename(columns={stage: "stage"})

