"""The history a calibration reads: the user's tables checked and cleaned, and every customer's
month-by-month record (spend, orders, inferred lifecycle stage, whether the stage is observable).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim.errors import DataError
from crmsim.io.clean import as_text, numbers_of
from crmsim.methods.lifecycle import LifecycleRules, _as_timestamp, _infer
from crmsim.terms import (
    STATES,
)


def _num(x: float) -> str:
    """A number for a table: 4 significant digits, thousands separated."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _text_ids(values: pd.Series) -> pd.Series:
    """Identifiers as text (numbers such as CDNOW's 1, 2... become "1", "2")."""
    if pd.api.types.is_integer_dtype(values):
        return values.astype("int64").astype(str)
    return as_text(values)


def _dates(table: pd.DataFrame, column: str, source: str, id_column: str | None) -> pd.Series:
    """*column* as datetime64[ns] by the kit's one date policy (crmsim.io.dates: 2022年1月3日,
    Excel serials, day/month/year decided per column); a cell that is not a date, or a column
    whose day/month order is not shown, raises naming the rows: no row is ever dropped."""
    frame = table.reset_index(drop=True)
    out = v.date_column(frame, column, source=source, id_column=id_column, serial=True)
    out = out.astype("datetime64[ns]")
    if getattr(out.dt, "tz", None) is not None:  # pragma: no cover - tz-aware input
        out = out.dt.tz_localize(None)
    return out.dt.normalize()


def _numbers(
    table: pd.DataFrame, column: str, source: str, id_column: str | None, **checks: Any
) -> np.ndarray:
    """*column* as float64, cleaned like read_table does (1,200 / ¥80), then checked."""
    numbers, bad, _ = numbers_of(table[column].reset_index(drop=True))
    shown = np.where(bad, table[column].to_numpy(dtype=object), numbers.to_numpy(dtype=object))
    frame = pd.DataFrame({column: shown})
    if id_column is not None:
        frame[id_column] = table[id_column].to_numpy()
    return v.numeric_column(frame, column, source=source, id_column=id_column, **checks).to_numpy()


def _clean_transactions(
    transactions: Any,
    *,
    id: str,
    date: str,
    value: str,
    order: str | None,
    profit: str | None,
    source: str,
) -> pd.DataFrame:
    """``_id`` (text), ``_date``, ``_value`` (>= 0), ``_order``, ``_profit`` (NaN if absent)."""
    v.require_dataframe(transactions, name=source)
    v.require_columns(transactions, [id, date, value], source=source)
    if transactions.empty:
        raise DataError(f"{source}: no rows; a transaction history is needed to calibrate")
    v.non_missing_column(transactions, id, source=source)
    tx = transactions.reset_index(drop=True)
    out = pd.DataFrame({"_id": _text_ids(tx[id]).to_numpy()})
    out["_date"] = _dates(tx, date, source, id).to_numpy()
    out["_value"] = _numbers(tx, value, source, id, allow_negative=False)
    if order is not None and order in tx.columns:
        out["_order"] = _text_ids(tx[order]).fillna("").to_numpy()
    else:
        out["_order"] = np.arange(len(tx)).astype(str)
    if profit is not None and profit in tx.columns:
        out["_profit"] = _numbers(tx, profit, source, id)
    else:
        out["_profit"] = np.nan
    return out


def _as_of(as_of: Any, tx: pd.DataFrame, source: str) -> tuple[pd.Timestamp, bool]:
    """The analysis date and whether it was given. Default: the end of the month of the last
    order (an export usually runs to a month end)."""
    first, last = tx["_date"].min(), tx["_date"].max()
    if as_of is None:
        return (last + pd.offsets.MonthEnd(0)).normalize(), False
    when = _as_timestamp(as_of, tx["_date"])  # parsed and checked as the lifecycle rules do
    if when < first:
        raise DataError(
            f"parameter 'as_of' ({when.date()}) is before the first order in {source} "
            f"({first.date()}); give a date on or after it"
        )
    return when, True


def _clean_customers(customers: Any, id: str, source: str) -> pd.DataFrame:
    """The customers table with text ids, checked wallets and dates (other columns as given)."""
    v.require_dataframe(customers, name=source)
    key = id if id in customers.columns else "customer_id"
    v.require_columns(customers, [key], source=source)
    v.unique_column(customers, key, source=source)
    c = customers.reset_index(drop=True).copy()
    c["customer_id"] = _text_ids(c[key]).to_numpy()
    if key != "customer_id":
        c = c.drop(columns=key)
    if "annual_wallet" in c.columns:
        wallet = _numbers(c, "annual_wallet", source, "customer_id", allow_nan=True)
        bad = ~np.isnan(wallet) & (wallet <= 0)
        if bad.any():
            rows = np.flatnonzero(bad)[:5]
            found = ", ".join(
                f"{wallet[r]:g} at row {r + 1} (id {c['customer_id'].iloc[r]})" for r in rows
            )
            raise DataError(f"{source}: column 'annual_wallet' must be > 0; found {found}")
        c["annual_wallet"] = wallet
    if "first_purchase" in c.columns:
        c["first_purchase"] = _dates(c, "first_purchase", source, "customer_id").to_numpy()
    if "manager_id" in c.columns:
        c["manager_id"] = _text_ids(c["manager_id"]).to_numpy()
    return c


def _clean_managers(managers: Any, source: str) -> pd.DataFrame:
    v.require_dataframe(managers, name=source)
    v.require_columns(managers, ["manager_id"], source=source)
    v.unique_column(managers, "manager_id", source=source)
    m = managers.reset_index(drop=True).copy()
    m["manager_id"] = _text_ids(m["manager_id"]).to_numpy()
    return m


@dataclass
class _History:
    """The stage history as arrays: customers (rows, sorted ids) × complete months."""

    ids: np.ndarray  # customer ids (text), sorted
    month_starts: pd.DatetimeIndex
    month_ends: pd.DatetimeIndex
    stage: np.ndarray  # int8 codes; -1 before the first order
    revenue: np.ndarray
    orders: np.ndarray
    observable: np.ndarray  # bool: the stage at this month end can be trusted
    new: np.ndarray  # bool per customer: its first order is in the file
    first_order: np.ndarray  # datetime64 per customer
    guard: int  # months after which every customer's stage is observable
    stage_at_as_of: pd.DataFrame  # _infer at as_of (all customers with an order up to as_of)


def _history(
    tx: pd.DataFrame,
    as_of: pd.Timestamp,
    rules: LifecycleRules,
    *,
    cohort: bool,
    first_purchase: pd.Series | None,
) -> _History:
    tx = tx[tx["_date"] <= as_of]
    start = tx["_date"].min().to_period("M").to_timestamp()
    last_complete = (
        as_of if as_of == as_of + pd.offsets.MonthEnd(0) else (as_of - pd.offsets.MonthEnd(1))
    )
    month_starts = pd.date_range(start, last_complete, freq="MS")
    month_ends = month_starts + pd.offsets.MonthEnd(0)
    n_months = len(month_starts)
    codes = {s: i for i, s in enumerate(STATES)}

    # a first purchase known from the customers table, earlier than the first order in the
    # file, starts the relationship (tenure): a zero-value row on that day carrying the id of
    # the customer's first order in the file, so orders, spend and peaks are unchanged
    ruled = tx
    with_start: set[str] = set()
    if first_purchase is not None:
        firsts = tx.sort_values(["_date", "_order"], kind="stable").drop_duplicates("_id")
        known = first_purchase.reindex(firsts["_id"].to_numpy())
        earlier = (known.notna() & (known.to_numpy() < firsts["_date"].to_numpy())).to_numpy()
        if earlier.any():
            extra = firsts[earlier].assign(_date=known.to_numpy()[earlier], _value=0.0,
                                           _profit=np.nan)  # fmt: skip
            ruled = pd.concat([extra, tx], ignore_index=True)
            with_start = set(extra["_id"])
    stage_now = _infer(ruled, as_of, rules, reasons=False)
    ids = stage_now["_id"].to_numpy(dtype=object)
    index = pd.Index(ids)
    n = len(ids)
    stage = np.full((n, n_months), -1, dtype=np.int8)
    for m, end in enumerate(month_ends):
        table = _infer(ruled, end, rules, reasons=False)
        if len(table):
            rows = index.get_indexer(table["_id"].to_numpy(dtype=object))
            stage[rows, m] = table["stage"].map(codes).to_numpy(dtype=np.int8)

    month = (tx["_date"].dt.year - start.year) * 12 + (tx["_date"].dt.month - start.month)
    row = index.get_indexer(tx["_id"].to_numpy(dtype=object))
    in_months = (month < n_months).to_numpy()
    cell = row[in_months] * n_months + month.to_numpy()[in_months]
    size = n * n_months
    revenue = np.bincount(cell, weights=tx["_value"].to_numpy()[in_months], minlength=size)
    orders_frame = pd.DataFrame({"cell": cell, "order": tx["_order"].to_numpy()[in_months]})
    distinct = orders_frame.drop_duplicates()["cell"].to_numpy()
    orders = np.bincount(distinct, minlength=size)

    first_order = tx.groupby("_id")["_date"].min().reindex(ids).to_numpy(dtype="datetime64[ns]")
    first_month = (
        (pd.DatetimeIndex(first_order).year - start.year) * 12
        + (pd.DatetimeIndex(first_order).month - start.month)
    ).to_numpy()
    if cohort:
        new = np.ones(n, dtype=bool)
    else:
        new = first_month >= rules.recency_lost_months
        if first_purchase is not None:
            known = first_purchase.reindex(ids)
            has = known.notna().to_numpy()
            new = np.where(has, (known >= start).to_numpy(dtype=bool), new)
    # the rules look back two windows (trend) and measure tenure from the first order: a
    # customer who may have bought before the file starts is trusted once both lie inside
    # the history (tenure is right from the start when the customers table gives it)
    looks_back = 2 * rules.window_months - 1
    has_start = np.array([i in with_start for i in ids], dtype=bool)
    guard_i = np.where(new, 0, np.where(has_start, looks_back,
                                        max(looks_back, rules.stability_months)))  # fmt: skip
    guard = int(guard_i.max()) if n else 0
    months = np.arange(n_months)[None, :]
    observable = (stage >= 0) & (months >= guard_i[:, None])
    return _History(
        ids=ids,
        month_starts=month_starts,
        month_ends=month_ends,
        stage=stage,
        revenue=revenue.reshape(n, n_months),
        orders=orders.reshape(n, n_months),
        observable=observable,
        new=new,
        first_order=first_order,
        guard=guard,
        stage_at_as_of=stage_now,
    )


def _best_quarter_rate(h: _History, upto: int) -> np.ndarray:
    """Each customer's best three consecutive months of spend (months 0..upto), times four:
    a yearly rate at its best, the wallet proxy when the data give no wallets."""
    spend = h.revenue[:, : upto + 1]
    csum = np.concatenate([np.zeros((len(spend), 1)), np.cumsum(spend, axis=1)], axis=1)
    w = min(3, spend.shape[1])
    windows = csum[:, w:] - csum[:, :-w]
    return windows.max(axis=1) * (12.0 / w)
