"""A scenario calibrated from a company's own transaction history, with a fit report.

:func:`calibrate` turns a transaction list (one row per order or order line: customer, date,
amount) into a :class:`~crmsim.sim.scenario.Scenario` whose book is the company's customers as of
``as_of`` and whose lifecycle parameters are estimated from the history, and checks the result by
simulating the history back (a back-test).

What is estimated, and how
--------------------------
1. **Stage history.** Every customer's lifecycle stage (客户关系生命周期) is inferred at every
   month end with the transparent rules of :mod:`crmsim.methods.lifecycle` (the same rules
   ``infer_stage`` applies once).
2. **Transition rates** (``lifecycle.*_to_*``): the monthly moves between inferred stages are
   counted; the share of customer-months in a stage that move to another is the maximum-likelihood
   estimate of a Markov chain's transition probability, with a Wilson 95% interval. The model's
   chain allows fewer moves than the rules produce, so observed moves are mapped onto it (the
   table :attr:`Calibration.transitions` shows every observed move and where it went):
   exploration → formation *or stability* is the upward move; exploration, formation or stability
   → decline *or lost* the downward move; decline → formation *or stability* the recovery;
   stability → formation (spend grew again) counts as staying; moves out of lost (a customer
   back after six silent months) are reported but not modelled (lost is final in the model).
3. **Purchase level per stage** (``lifecycle.share_of_wallet``): revenue in the month after a
   month end in that stage divided by a twelfth of the customer's annual wallet, summed over
   customers (a ratio estimator, so the simulated revenue of a stage matches the history's). The
   wallet is the ``annual_wallet`` column of the customers table when given; otherwise a proxy,
   the customer's best three consecutive months of spend, times four (a yearly rate at its
   best; the share of wallet is then the share of that rate).
4. **Order frequency** (``lifecycle.orders_per_month``, ``lifecycle.size_elasticity``): orders
   per month are Poisson with mean ``rate[stage] × (wallet / median wallet) ** elasticity`` in
   the model; the elasticity maximises the Poisson likelihood (profiled over the stage rates,
   :func:`scipy.optimize.minimize_scalar`), the rates are then ``orders / Σ size``.
5. **Gross margin** (``lifecycle.gross_margin``): gross profit over revenue, when the
   transactions carry a gross-profit column.
   Intervals of 3-5 come from a bootstrap over customers (a customer's months are not
   independent of each other), percentile 95%.
6. **Churn** is the decline → lost rate of 2; the table :attr:`Calibration.observed` also gives
   the annual loss the history shows and the one the estimated chain implies.
7. **Acquisition, service level and turnover** (a pilot simulation of the calibrated model):
   the channels' lead rates are scaled so that the simulated new customers per month match the
   history's recent rate; the satisfaction at which the base transition rates apply
   (``lifecycle.satisfaction_reference``) is set to the mean satisfaction the company's current
   organisation produces in the model — so the estimated rates hold under today's organisation,
   and a structure that serves customers better or worse moves them, as in any other scenario;
   and decline → lost is lowered by the customers the model loses with departing managers
   (turnover), which the history's losses already include.

Everything else (funnel, service, structure, team, pay, CRM...) cannot be read from transactions
and keeps the value of the ``base`` scenario; :attr:`Calibration.estimates` lists what was
estimated and what kept its default, and why.

Left-censoring
--------------
A transaction export starts on some date; customers who were already buying before it look new.
The rules look back two windows (24 months by default), so a customer's stage is only trusted
(``observable``) from the month when that look-back lies inside the history, unless the customer
is known to be new: its ``first_purchase`` in the customers table falls inside the history, or
its first order in the file comes at least ``recency_lost_months`` (6) after the history starts
(by the rules' own definition it was not an active customer at the start), or ``cohort=True``
says every customer's first order is in the file (e.g. CDNOW). A ``first_purchase`` earlier
than the customer's first order in the file sets its tenure, so only the spend look-back (23
months) has to lie inside the history. Months before that are left out of every estimate.

The back-test
-------------
The calibrated model is simulated from the book as it was at the start of the fit window — the
first month end at which every customer's stage is observable, or the last ``fit_months`` months
if later — over the months to ``as_of``, ``replications`` times, and compared month by month
with the history: revenue, active customers and customers in each stage, with the 2.5-97.5%
range of the replications. It does not start at the first month of the history because the
stages there are the censored ones above: a simulation would start from stages the rules could
not see. It is an in-sample check (the estimates use the same months): it shows whether the
model reproduces the history, not how well it forecasts.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import math
import os
import warnings
from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from crmsim import _validation as v
from crmsim._version import __version__
from crmsim.errors import DataError, ParameterError
from crmsim.io.clean import as_text, dates_of, numbers_of
from crmsim.io.report import Note
from crmsim.methods.lifecycle import LifecycleRules, _as_timestamp, _coerce_rules, _infer
from crmsim.sim.funnel import CHANNEL_NAMES
from crmsim.sim.scenario import Scenario
from crmsim.terms import (
    CUSTOMER_TYPES,
    INDUSTRY_GROUPS,
    SIX_C,
    SPECIALTIES,
    STAGES,
    STATES,
    TIERS,
    label,
)

__all__ = [
    "FIT_MEASURES",
    "LabelledNote",
    "TRANSITION_PARAMETERS",
    "Calibration",
    "calibrate",
    "probability_alive",
]

E, F, S, D, L = range(5)  # stage codes, in STATES order

#: The model's transition parameters and the observed moves (from, to) counted for each.
TRANSITION_PARAMETERS: dict[str, tuple[int, tuple[int, ...]]] = {
    "exploration_to_formation": (E, (F, S)),
    "exploration_to_decline": (E, (D, L)),
    "formation_to_stability": (F, (S,)),
    "formation_to_decline": (F, (D, L)),
    "stability_to_decline": (S, (D, L)),
    "decline_to_recovery": (D, (E, F, S)),
    "decline_to_lost": (D, (L,)),
}

#: What the back-test compares, month by month (columns of the simulation's monthly table).
FIT_MEASURES: tuple[str, ...] = (
    "revenue",
    "active_customers",
    *(f"customers_{s}" for s in STAGES),
)

#: Customers per account manager when the data name no managers (the bundled company: 600 / 15).
CUSTOMERS_PER_MANAGER = 40
#: Fewest customer-months in a stage for its rates and purchase levels to be estimated.
MIN_EXPOSURE = 20
#: Verdict thresholds of the fit: share of months inside the simulated 95% range, and mean
#: relative difference (actual vs simulated mean).
GOOD_FIT = (0.8, 0.10)
FAIR_FIT = (0.5, 0.20)


# ------------------------------------------------------------------------------- the result


@dataclass(frozen=True)
class LabelledNote(Note):
    """A note whose values named in ``labelled`` are keys of the translation table, shown in the
    note's language (a stage, a measure)."""

    labelled: tuple[str, ...] = ()

    def text(self, lang: str | None = None) -> str:
        """The note in *lang*; with ``"both"``, the English then the Chinese sentence."""
        if lang == "both":
            return f"{self.text('en')} / {self.text('zh')}"
        values = {k: label(str(x), lang) if k in self.labelled else x
                  for k, x in self.values.items()}  # fmt: skip
        return label(self.key, lang).format(**values)


@dataclass(frozen=True, eq=False)
class Calibration:
    """What :func:`calibrate` found: the scenario, the estimates and how well the model fits.

    Attributes
    ----------
    scenario : Scenario
        The calibrated scenario: the ``base`` scenario with the estimates, its book the company's
        customers active at ``as_of`` (source ``"tables"``), starting the day after ``as_of``.
    estimates : DataFrame
        One row per scenario parameter set from the data (or left at its default because the
        data could not inform it): ``parameter`` (dotted path in the scenario), ``estimate``,
        ``ci_low``, ``ci_high`` (95%; NaN where not meaningful), ``default`` (the base
        scenario's value), ``n`` (customer-months, customers or months behind the estimate),
        ``method`` (how: ``transition_counts``, ``ratio``, ``poisson_profile``, ``margin``,
        ``pilot_run``, ``default``) and ``used`` (True if the scenario holds the estimate).
    transitions : DataFrame
        Observed monthly moves between inferred stages (rows: from, columns: to, customer-months
        whose starting stage is observable), in :data:`~crmsim.terms.STATES` order.
    observed : DataFrame
        Figures of the history that are not parameters: ``measure``, ``value``, ``note``
        (customers, orders, months, annual loss observed and implied, new customers...).
    fit : DataFrame
        The back-test, month by month: ``month`` (1 = first simulated month), ``date`` (month
        start), ``measure`` (one of :data:`FIT_MEASURES`), ``actual``, ``simulated`` (mean of the
        replications), ``low``, ``high`` (2.5% and 97.5% of the replications), ``difference``
        (actual - simulated), ``relative_difference`` (difference / simulated) and ``inside``.
    fit_summary : DataFrame
        Per measure: ``actual_mean``, ``simulated_mean``, ``relative_difference`` (of the
        means), ``mean_abs_error`` (mean of |actual - simulated| / actual), ``inside_share``
        (share of months inside the simulated range) and ``verdict`` (``good``: inside_share
        >= 0.8 and |relative_difference| <= 10%; ``fair``: inside_share >= 0.5 or
        |relative_difference| <= 20%; else ``poor``), plus a ``revenue_total`` row whose
        ``low``/``high`` are the range of the simulated totals.
    panel : DataFrame
        The stage history: ``customer_id``, ``month_end``, ``stage``, ``revenue`` and ``orders``
        (in the month that ends there) and ``observable``.
    book : DataFrame
        The customers of the calibrated scenario's book (its ``customers`` table).
    alive : DataFrame or None
        With ``alive=True``: per customer, the stage at ``as_of`` and the BG/NBD probability
        of being alive (:func:`probability_alive`).
    alive_agreement : DataFrame or None
        Customers by stage at ``as_of`` (rows) and BG/NBD verdict (``probably_alive`` when the
        probability is at least 0.5, else ``probably_gone``), with the mean probability.
    notes : list of Note
        What the reader must know: censoring, proxies, defaults kept, where the fit is poor. Each
        note renders in English or Chinese (``note.text(lang)``).
    meta : dict
        ``as_of``, ``history_start``, ``fit_start``, ``months``, ``rows``, ``customers``,
        ``seed``, ``replications``, ``crmsim_version``, ``source``.
    """

    scenario: Scenario
    estimates: pd.DataFrame
    transitions: pd.DataFrame
    observed: pd.DataFrame
    fit: pd.DataFrame
    fit_summary: pd.DataFrame
    panel: pd.DataFrame
    book: pd.DataFrame
    alive: pd.DataFrame | None
    alive_agreement: pd.DataFrame | None
    notes: list[Note] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    def scenario_files(self, path: str | os.PathLike[str]) -> dict[str, Path]:
        """Where :meth:`write_scenario` puts the scenario and its book: ``scenario``
        (*path*), ``customers`` and ``managers`` (CSV files beside it, named after it)."""
        path = Path(path)
        return {
            "scenario": path,
            "customers": path.with_name(f"{path.stem}_customers.csv"),
            "managers": path.with_name(f"{path.stem}_managers.csv"),
        }

    def scenario_toml(self, path: str | os.PathLike[str] = "scenario.toml") -> str:
        """The TOML text :meth:`write_scenario` writes to *path*: a commented header saying
        where the scenario came from, then every parameter; the book's tables are named as
        CSV files beside *path* (relative paths, read relative to the TOML file)."""
        from crmsim.sim.toml_io import dumps

        files = self.scenario_files(path)
        data = self.scenario.to_dict()
        data["book"]["customers"] = None
        data["book"]["managers"] = None
        data["book"]["customers_path"] = files["customers"].name
        data["book"]["managers_path"] = files["managers"].name
        m = self.meta
        estimated = sorted({p.split(".")[0] for p in
                            self.estimates.loc[self.estimates["used"], "parameter"]})  # fmt: skip
        header = [
            f"# crmsim scenario calibrated from {m['source']} ({m['rows']:,} rows, "
            f"{m['customers']:,} customers, {m['history_start'].date()} .. {m['as_of'].date()})",
            f"# by crmsim {m['crmsim_version']} (crmsim calibrate), as of {m['as_of'].date()}, "
            f"seed {m['seed']}, {m['replications']} back-test replications.",
            f"# The book (the {len(self.book):,} customers active on {m['as_of'].date()} and "
            "their account managers) is in",
            f"#   {files['customers'].name} and {files['managers'].name}, beside this file.",
            f"# Estimated from the history: sections {', '.join(estimated)} (see the "
            "calibration report",
            "#   for intervals, the back-test and notes); every other parameter is the base "
            "scenario's.",
            "",
        ]
        return "\n".join(header) + dumps(data)

    def write_scenario(
        self, path: str | os.PathLike[str], *, overwrite: bool = False
    ) -> dict[str, Path]:
        """Write the scenario as TOML and its book as two CSV files beside it.

        Nothing is written if any of the three files exists and *overwrite* is False.
        ``Scenario.from_toml(path)`` reads the scenario back.

        Returns
        -------
        dict
            The paths written, as :meth:`scenario_files`.

        Raises
        ------
        crmsim.errors.DataError
            A file exists and *overwrite* is False (the message names it).
        """
        files = self.scenario_files(path)
        existing = [p for p in files.values() if p.exists()]
        if existing and not overwrite:
            raise DataError(label("calibrate.error.output_exists", "en").format(
                path=str(existing[0])))  # fmt: skip
        text = self.scenario_toml(path)
        files["scenario"].parent.mkdir(parents=True, exist_ok=True)
        customers = self.scenario.book.customers
        managers = self.scenario.book.managers
        customers.to_csv(files["customers"], index=False, date_format="%Y-%m-%d",
                         lineterminator="\n")  # fmt: skip
        managers.to_csv(files["managers"], index=False, date_format="%Y-%m-%d",
                        lineterminator="\n")  # fmt: skip
        files["scenario"].write_text(text, encoding="utf-8")
        return files

    def note_texts(self, lang: str | None = None) -> list[str]:
        """The notes as sentences in *lang* (``"en"``, ``"zh"`` or ``"both"``)."""
        return [n.text(lang) for n in self.notes]

    def summary(self, lang: str | None = None) -> pd.DataFrame:
        """The estimates with labelled columns: parameter, estimate, 95% interval, the value
        in the scenario, the default, n and how it was estimated."""
        est = self.estimates
        interval = [
            "" if np.isnan(lo) else f"{_num(lo)} – {_num(hi)}"
            for lo, hi in zip(est["ci_low"], est["ci_high"], strict=True)
        ]
        return pd.DataFrame(
            {
                label("calibrate.col.parameter", lang): est["parameter"],
                label("calibrate.col.estimate", lang): [_num(x) for x in est["estimate"]],
                label("calibrate.col.interval", lang): interval,
                label("calibrate.col.value", lang): [_num(x) for x in est["value"]],
                label("calibrate.col.default", lang): [_num(x) for x in est["default"]],
                label("calibrate.col.n", lang): est["n"],
                label("calibrate.col.method", lang): [
                    label(f"calibrate.method.{m}", lang) for m in est["method"]
                ],
            }
        )


def _num(x: float) -> str:
    """A number for a table: 4 significant digits, thousands separated."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


# ------------------------------------------------------------------------------- validation


def _text_ids(values: pd.Series) -> pd.Series:
    """Identifiers as text (numbers such as CDNOW's 1, 2... become "1", "2")."""
    if pd.api.types.is_integer_dtype(values):
        return values.astype("int64").astype(str)
    return as_text(values)


def _dates(table: pd.DataFrame, column: str, source: str, id_column: str | None) -> pd.Series:
    """*column* as datetime64[ns], read like read_table does (2022年1月3日, Excel serials)."""
    dated, bad = dates_of(table[column].reset_index(drop=True), serial=True)
    if bad.any() or dated.isna().any():
        raw = table[column].reset_index(drop=True).astype(object)
        shown = dated.astype(object).where(~bad & dated.notna(), raw.where(raw.notna(), None))
        frame = table.reset_index(drop=True).assign(**{column: shown})
        v.date_column(frame, column, source=source, id_column=id_column)  # raises, naming rows
    out = dated.astype("datetime64[ns]")
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


# ------------------------------------------------------------------------------- the history


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


# ------------------------------------------------------------------------------- estimators


def _wilson(k: int, n: int) -> tuple[float, float]:
    from scipy.stats import binomtest

    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return float(ci.low), float(ci.high)


def _pairs(h: _History) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Stage at a month end, the next month's stage, revenue and orders, for the pairs whose
    starting stage is observable: (from, to, revenue, orders), each customers × pairs."""
    valid = h.observable[:, :-1] & (h.stage[:, :-1] >= 0) & (h.stage[:, :-1] != L)
    return valid, h.stage[:, :-1], h.stage[:, 1:], np.stack([h.revenue[:, 1:], h.orders[:, 1:]])


def _transition_counts(h: _History) -> np.ndarray:
    valid = h.observable[:, :-1] & (h.stage[:, :-1] >= 0)
    a, b = h.stage[:, :-1][valid], h.stage[:, 1:][valid]
    counts = np.zeros((5, 5), dtype=np.int64)
    np.add.at(counts, (a.astype(int), b.astype(int)), 1)
    return counts


def _per_customer_stage_sums(h: _History, wallet: np.ndarray) -> dict[str, np.ndarray]:
    """Per customer and starting stage (customers × 4): months, revenue, orders, wallet/12."""
    valid, frm, _, (rev, orders) = _pairs(h)
    n = len(h.ids)
    out = {k: np.zeros((n, 4)) for k in ("months", "revenue", "orders", "wallet12")}
    for s in range(4):
        mask = valid & (frm == s)
        out["months"][:, s] = mask.sum(axis=1)
        out["revenue"][:, s] = np.where(mask, rev, 0.0).sum(axis=1)
        out["orders"][:, s] = np.where(mask, orders, 0.0).sum(axis=1)
    out["wallet12"] = out["months"] * (wallet / 12.0)[:, None]
    return out


def _elasticity(
    orders: np.ndarray, months: np.ndarray, logx: np.ndarray, weights: np.ndarray | None = None
) -> float:
    """The size elasticity that maximises the Poisson likelihood, profiled over stage rates.

    ``orders`` and ``months`` are customers × stages; ``logx`` is log(wallet / median)."""
    from scipy.optimize import minimize_scalar

    w = np.ones(len(logx)) if weights is None else weights
    K = orders * w[:, None]
    N = months * w[:, None]
    k_total = K.sum(axis=0)
    k_logx = float((K.sum(axis=1) * logx).sum())
    use = k_total > 0

    def negloglik(e: float) -> float:
        exposure = (N * np.exp(e * logx)[:, None]).sum(axis=0)
        lam = k_total[use] / exposure[use]
        return -(float((k_total[use] * np.log(lam)).sum()) + e * k_logx)

    res = minimize_scalar(negloglik, bounds=(0.0, 2.0), method="bounded",
                          options={"xatol": 1e-5})  # fmt: skip
    return float(res.x)


def _rates_given_elasticity(
    orders: np.ndarray, months: np.ndarray, logx: np.ndarray, e: float, w: np.ndarray
) -> np.ndarray:
    exposure = ((months * w[:, None]) * np.exp(e * logx)[:, None]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (orders * w[:, None]).sum(axis=0) / exposure


def _bootstrap_weights(n: int, b: int, rng: np.random.Generator) -> np.ndarray:
    """*b* bootstrap resamples of *n* customers as multiplicity weights (b × n)."""
    return rng.multinomial(n, np.full(n, 1.0 / n), size=b).astype(float)


def _percentile(values: np.ndarray) -> tuple[float, float]:
    values = values[np.isfinite(values)]
    if len(values) < 2:
        return np.nan, np.nan
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


# ------------------------------------------------------------------------------- book tables

_CUSTOMER_CATEGORIES = {
    "customer_type": CUSTOMER_TYPES,
    "industry_group": INDUSTRY_GROUPS,
    "channel": CHANNEL_NAMES,
}
_MANAGER_CATEGORIES = {"tier": TIERS, "specialty": SPECIALTIES, "industry_focus": INDUSTRY_GROUPS}
_MANAGER_NUMBERS = ("monthly_cost", "skill")


def _kept_columns(
    table: pd.DataFrame, categories: Mapping[str, tuple[str, ...]], source: str,
    notes: list[Note],
) -> list[str]:  # fmt: skip
    """Columns of *table* the simulation can use: categorical ones only if every value is one
    of the kit's categories (otherwise left out with a note)."""
    kept = []
    for col, allowed in categories.items():
        if col not in table.columns:
            continue
        values = table[col].dropna().astype(str)
        if len(values) == len(table) and values.isin(allowed).all():
            kept.append(col)
        else:
            odd = sorted(set(values) - set(allowed))[:3]
            notes.append(
                Note(
                    "calibrate.note.column_left_out",
                    {"source": source, "column": col, "values": ", ".join(odd)},
                )
            )
    return kept


def _kept_scores(table: pd.DataFrame, source: str, notes: list[Note]) -> list[str]:
    """The 6C score columns (1-5, every customer scored) the book can use; others are left
    out with a note (the simulation then scores 3)."""
    kept = []
    for col in SIX_C:
        if col not in table.columns:
            continue
        numbers, bad, _ = numbers_of(table[col].reset_index(drop=True))
        values = numbers.to_numpy(dtype=float)
        if not bad.any() and np.isfinite(values).all() and ((values >= 1) & (values <= 5)).all():
            kept.append(col)
            table[col] = values
        else:
            odd = [str(x) for x in table[col][bad | ~np.isfinite(values)
                                              | (values < 1) | (values > 5)].head(3)]  # fmt: skip
            notes.append(
                Note(
                    "calibrate.note.column_left_out",
                    {"source": source, "column": col, "values": ", ".join(odd)},
                )
            )
    return kept


def _managers_and_assignment(
    ids: np.ndarray,
    wallet: np.ndarray,
    n_active: int,
    customers: pd.DataFrame | None,
    managers: pd.DataFrame | None,
    sources: Mapping[str, str],
    notes: list[Note],
) -> tuple[np.ndarray, pd.DataFrame]:
    """The manager of every customer (ids order) and the managers table."""
    given = None
    if customers is not None and "manager_id" in customers.columns:
        given = customers.set_index("customer_id")["manager_id"].reindex(ids)
    if managers is not None:
        team = managers.copy()
        kept = _kept_columns(team, _MANAGER_CATEGORIES, sources["managers"], notes)
        columns = ["manager_id", *kept]
        for col in ("hire_date",):
            if col in team.columns:
                team[col] = _dates(team, col, sources["managers"], "manager_id").to_numpy()
                columns.append(col)
        for col in _MANAGER_NUMBERS:
            if col in team.columns:
                team[col] = _numbers(team, col, sources["managers"], "manager_id",
                                     allow_negative=False)  # fmt: skip
                columns.append(col)
        if "skill" in team.columns:
            bad = (team["skill"] <= 0) | (team["skill"] > 1)
            if bad.any():
                r = int(np.flatnonzero(bad.to_numpy())[0])
                raise DataError(
                    f"{sources['managers']}: column 'skill' must be in (0, 1]; found "
                    f"{team['skill'].iloc[r]:g} at row {r + 1} (id {team['manager_id'].iloc[r]})"
                )
        team = team[columns]
    elif given is not None and given.notna().any():
        team = pd.DataFrame({"manager_id": sorted(given.dropna().unique())})
        notes.append(Note("calibrate.note.managers_from_customers", {"n": len(team)}))
    else:
        k = max(1, round(n_active / CUSTOMERS_PER_MANAGER))
        team = pd.DataFrame({"manager_id": [f"M{i + 1:02d}" if k < 100 else f"M{i + 1:04d}"
                                            for i in range(k)]})  # fmt: skip
        notes.append(Note("calibrate.note.managers_made",
                          {"n": k, "per": CUSTOMERS_PER_MANAGER}))  # fmt: skip
    manager = np.empty(len(ids), dtype=object)
    team_ids = team["manager_id"].to_numpy(dtype=object)
    if given is not None:
        unknown = given.notna() & ~given.isin(team_ids)
        if unknown.any():
            bad = given[unknown]
            rows = customers.reset_index(drop=True)
            pos = rows.index[rows["customer_id"].isin(bad.index)][:5]
            found = ", ".join(
                f"{rows['manager_id'].iloc[p]!r} at row {p + 1} (id {rows['customer_id'].iloc[p]})"
                for p in pos
            )
            raise DataError(
                f"{sources['customers']}: column 'manager_id' must name a manager of "
                f"{sources['managers']}; found {found}"
            )
        manager[:] = given.to_numpy(dtype=object)
    missing = np.array([m is None or (isinstance(m, float) and np.isnan(m)) or m is pd.NA
                        for m in manager], dtype=bool)  # fmt: skip
    if missing.any():
        # round robin by wallet, largest first, so every manager gets large and small accounts
        order = np.flatnonzero(missing)[np.argsort(-wallet[missing], kind="stable")]
        manager[order] = team_ids[np.arange(len(order)) % len(team_ids)]
        if given is not None:
            notes.append(Note("calibrate.note.managers_assigned", {"n": int(missing.sum())}))
    return manager.astype(str), team


def _book_table(
    h: _History,
    rows: np.ndarray,
    stage_codes: np.ndarray,
    wallet: np.ndarray,
    manager: np.ndarray,
    customers: pd.DataFrame | None,
    kept: list[str],
) -> pd.DataFrame:
    """A customers table for :class:`~crmsim.sim.book.Book` (source "tables")."""
    ids = h.ids[rows]
    first = pd.Series(h.first_order[rows])
    if customers is not None and "first_purchase" in customers.columns:
        known = customers.set_index("customer_id")["first_purchase"].reindex(ids)
        first = pd.Series(np.where(known.notna(), known.to_numpy(), first.to_numpy()))
    table = pd.DataFrame(
        {
            "customer_id": ids.astype(str),
            "manager_id": manager[rows],
            "first_purchase": pd.to_datetime(first).to_numpy(dtype="datetime64[ns]"),
            "annual_wallet": np.round(wallet[rows], 2),
            "stage": np.array(STATES, dtype=object)[stage_codes].astype(str),
        }
    )
    if customers is not None and kept:
        extra = customers.set_index("customer_id")[kept].reindex(ids)
        for col in kept:
            values = extra[col]
            table[col] = (values.to_numpy(dtype=float) if col in SIX_C
                          else values.astype(str).to_numpy())  # fmt: skip
    return table


# ------------------------------------------------------------------------------- calibrate


def calibrate(
    transactions: pd.DataFrame,
    customers: pd.DataFrame | None = None,
    managers: pd.DataFrame | None = None,
    *,
    as_of: Any = None,
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    order: str | None = "order_id",
    profit: str | None = "gross_profit",
    rules: LifecycleRules | Mapping[str, Any] | None = None,
    cohort: bool = False,
    base: Scenario | None = None,
    months: int = 12,
    fit_months: int = 12,
    replications: int = 20,
    bootstrap: int = 200,
    alive: bool = False,
    seed: int = 0,
    sources: Mapping[str, str] | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
) -> Calibration:
    """Estimate a scenario from a transaction history and check it against that history.

    See the module docstring for what is estimated and how.

    Parameters
    ----------
    transactions : DataFrame
        One row per order or order line: customer id, date, amount (>= 0); optionally an order
        id (orders are its distinct values, else each row is an order) and gross profit.
    customers : DataFrame, optional
        One row per customer: ``customer_id`` (or the *id* column); used when present:
        ``annual_wallet`` (> 0), ``first_purchase``, ``manager_id``, ``customer_type``,
        ``industry_group``, ``channel``, the 6C scores.
    managers : DataFrame, optional
        One row per account manager: ``manager_id``; used when present: ``tier``, ``specialty``,
        ``industry_focus``, ``hire_date``, ``monthly_cost``, ``skill``. Without managers, the
        managers named in the customers table are used, or a team of one manager per
        :data:`CUSTOMERS_PER_MANAGER` active customers is made up (and said so in the notes).
    as_of : date-like, optional
        End of the history; later rows are ignored. Default: the end of the month of the last
        order.
    id, date, value, order, profit : str
        Column names in *transactions* (``order`` and ``profit`` are optional columns).
    rules : LifecycleRules or dict, optional
        Thresholds of the stage rules (:class:`~crmsim.methods.lifecycle.LifecycleRules`).
    cohort : bool
        Every customer's first order is in the file (a cohort data set such as CDNOW), so no
        customer is left-censored.
    base : Scenario, optional
        The scenario whose other parameters the calibrated one keeps (default ``Scenario()``).
    months : int
        Horizon of the calibrated scenario (default 12).
    fit_months : int
        Longest back-test (default 12 months, ending at ``as_of``).
    replications : int
        Replications of the back-test (default 20; the pilot run uses up to 4).
    bootstrap : int
        Bootstrap resamples of customers for the intervals (default 200; 0 for none).
    alive : bool
        Also compute the BG/NBD probability that each customer is alive with the ``lifetimes``
        package (optional extra ``cdnow``) and compare it with the stages.
    seed : int
        Seed of the bootstrap, the pilot and the back-test: the same seed gives the same result.
    sources : dict, optional
        Names of the tables in messages, e.g. ``{"transactions": "sales.csv"}`` (default
        "transactions", "customers", "managers").
    executor, workers
        Where the simulations run (as in :func:`~crmsim.sim.experiments.replicate`).

    Returns
    -------
    Calibration

    Raises
    ------
    crmsim.errors.DataError
        A table lacks a column, holds a value that is not a date or a number, a negative
        amount, a wallet <= 0 or an unknown manager (the message names the table, row and
        column), the history is empty, or ``as_of`` is before the first order.
    crmsim.errors.ParameterError
        An argument is impossible (the message names it).

    Examples
    --------
    >>> tx = pd.DataFrame({
    ...     "customer_id": ["C1"] * 8 + ["C2"] * 3,
    ...     "date": pd.to_datetime(["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05",
    ...                             "2024-05-05", "2024-06-05", "2024-07-05", "2024-08-05",
    ...                             "2024-01-10", "2024-02-10", "2024-03-10"]),
    ...     "amount": [100.0] * 11})
    >>> cal = calibrate(tx, as_of="2024-12-31", cohort=True, replications=2, bootstrap=0,
    ...                 workers=1)
    >>> cal.transitions.loc["exploration"].tolist()  # 15 stays, 1 up (C1), 1 straight to lost
    [15, 1, 0, 0, 1]
    >>> cal.book[["customer_id", "stage"]].values.tolist()  # C2 is lost, not in the book
    [['C1', 'decline']]
    """
    names = {"transactions": "transactions", "customers": "customers", "managers": "managers"}
    names.update(dict(sources or {}))
    chosen = _coerce_rules(rules)
    for pname, val, lo in (("months", months, 1), ("fit_months", fit_months, 1),
                           ("replications", replications, 1), ("bootstrap", bootstrap, 0),
                           ("seed", seed, 0)):  # fmt: skip
        v.check_number(pname, val, minimum=lo, integer=True)
    if not isinstance(cohort, bool):
        raise ParameterError(f"parameter 'cohort' must be true or false; got {cohort!r}")
    base = Scenario() if base is None else base
    if not isinstance(base, Scenario):
        raise ParameterError(f"parameter 'base' must be a Scenario; got {type(base).__name__}")

    tx = _clean_transactions(transactions, id=id, date=date, value=value, order=order,
                             profit=profit, source=names["transactions"])  # fmt: skip
    cust = _clean_customers(customers, id, names["customers"]) if customers is not None else None
    team_in = _clean_managers(managers, names["managers"]) if managers is not None else None
    when, given = _as_of(as_of, tx, names["transactions"])
    notes: list[Note] = []
    later = int((tx["_date"] > when).sum())
    if later:
        notes.append(Note("calibrate.note.rows_after", {"n": later, "as_of": when.date()}))
    last = tx["_date"].max()
    if not given and (when - last).days > 7:
        notes.append(Note("calibrate.note.as_of_default",
                          {"as_of": when.date(), "last": last.date()}))  # fmt: skip
    first_purchase = None
    if cust is not None and "first_purchase" in cust.columns:
        first_purchase = cust.set_index("customer_id")["first_purchase"]
    h = _history(tx, when, chosen, cohort=cohort, first_purchase=first_purchase)
    if cust is not None and not cust["customer_id"].isin(h.ids).any():
        raise DataError(
            f"{names['customers']}: none of its customer ids (e.g. "
            f"{cust['customer_id'].iloc[0]!r}) appears in column {id!r} of "
            f"{names['transactions']} (e.g. {h.ids[0]!r}); the two tables must use the same ids"
        )
    n_months = len(h.month_starts)
    if n_months < 2:
        raise DataError(
            f"{names['transactions']}: the history from {tx['_date'].min().date()} to "
            f"{when.date()} covers {n_months} complete month(s); at least 2 are needed"
        )
    if when != h.month_ends[-1]:
        notes.append(Note("calibrate.note.partial_month", {"as_of": when.date()}))

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(11,)))
    est_rows: list[dict[str, Any]] = []
    lc_default = base.lifecycle

    # ---------------------------------------------------------------- wallets
    wallet, wallet_note = _wallets(h, cust, n_months)
    notes.append(wallet_note)

    # ---------------------------------------------------------------- transitions
    counts = _transition_counts(h)
    changes: dict[str, Any] = {}
    for pname, (frm, targets) in TRANSITION_PARAMETERS.items():
        n = int(counts[frm].sum())
        k = int(counts[frm, list(targets)].sum())
        default = float(getattr(lc_default, pname))
        if n >= MIN_EXPOSURE:
            lo, hi = _wilson(k, n)
            changes[f"lifecycle.{pname}"] = round(k / n, 6)
            est_rows.append(_row(f"lifecycle.{pname}", k / n, lo, hi, default, n,
                                 "transition_counts", True))  # fmt: skip
        else:
            est_rows.append(_row(f"lifecycle.{pname}", np.nan, np.nan, np.nan, default, n,
                                 "default", False))  # fmt: skip
            notes.append(LabelledNote("calibrate.note.too_few",
                                      {"parameter": f"lifecycle.{pname}", "n": n,
                                       "min": MIN_EXPOSURE, "stage": STATES[frm]},
                                      labelled=("stage",)))  # fmt: skip
    if counts[:, :].sum() == 0:
        notes.append(Note("calibrate.note.no_observable",
                          {"guard": h.guard + 1}))  # fmt: skip
    transitions = pd.DataFrame(counts, index=list(STATES), columns=list(STATES))
    transitions.index.name = "from"
    transitions.columns.name = "to"
    odd = {
        "stability_to_formation": int(counts[S, F]),
        "decline_to_stability": int(counts[D, S]),
        "reactivated": int(counts[L, :L].sum()),
        "exploration_to_lost": int(counts[E, L]),
    }
    for key, k in odd.items():
        if k:
            notes.append(Note(f"calibrate.note.moved_{key}", {"n": k}))

    # ---------------------------------------------------------------- purchases per stage
    sums = _per_customer_stage_sums(h, wallet)
    stage_months = sums["months"].sum(axis=0)
    # sizes are relative to the median wallet of the book the scenario starts from (as the
    # simulation computes them), i.e. of the customers active at as_of
    final_rows = np.flatnonzero(h.stage_at_as_of["stage"].isin(STAGES).to_numpy())
    ref = wallet[final_rows] if len(final_rows) else wallet
    median_wallet = float(np.median(ref[ref > 0])) if (ref > 0).any() else 1.0
    logx = np.log(np.maximum(wallet, 1e-9) / median_wallet)
    boots = _bootstrap_weights(len(h.ids), bootstrap, rng) if bootstrap and len(h.ids) else None
    sow = sums["revenue"].sum(axis=0) / np.where(
        sums["wallet12"].sum(axis=0) > 0, sums["wallet12"].sum(axis=0), np.nan
    )
    if boots is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            sow_b = (boots @ sums["revenue"]) / (boots @ sums["wallet12"])
    sow_map = dict(lc_default.share_of_wallet)
    for s, stage in enumerate(STAGES):
        path = f"lifecycle.share_of_wallet.{stage}"
        default = float(lc_default.share_of_wallet[stage])
        if stage_months[s] >= MIN_EXPOSURE and np.isfinite(sow[s]):
            lo, hi = _percentile(sow_b[:, s]) if boots is not None else (np.nan, np.nan)
            sow_map[stage] = round(float(sow[s]), 6)
            est_rows.append(_row(path, sow[s], lo, hi, default, int(stage_months[s]), "ratio",
                                 True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, default,
                                 int(stage_months[s]), "default", False))  # fmt: skip
    too_big = {k: x for k, x in sow_map.items() if x > 1}
    if too_big and wallet_note.key == "calibrate.note.wallet_table":
        stage, x = next(iter(too_big.items()))
        raise DataError(
            f"{names['customers']}: column 'annual_wallet' is below what customers bought: in "
            f"the {stage} stage they bought {x:.0%} of their annual wallet; check the wallets "
            "(or leave the column out to use each customer's best quarter's spend times four)"
        )
    for stage, x in too_big.items():  # a proxy below a stage's buying: the model's cap is 1
        sow_map[stage] = 1.0
        notes.append(LabelledNote("calibrate.note.share_capped", {"stage": stage, "share": x},
                                  labelled=("stage",)))  # fmt: skip
    changes["lifecycle.share_of_wallet"] = sow_map

    # ---------------------------------------------------------------- order frequency
    opm_map = dict(lc_default.orders_per_month)
    seen = logx[sums["months"].sum(axis=1) > 0]
    has_spread = bool(len(seen) and np.ptp(seen) > 0)
    e_default = float(lc_default.size_elasticity)
    if has_spread and stage_months.sum() >= MIN_EXPOSURE:
        ones = np.ones(len(h.ids))
        e_hat = _elasticity(sums["orders"], sums["months"], logx)
        e_b = (np.array([_elasticity(sums["orders"], sums["months"], logx, w) for w in boots])
               if boots is not None else np.array([]))  # fmt: skip
        lo, hi = _percentile(e_b)
        changes["lifecycle.size_elasticity"] = round(e_hat, 6)
        est_rows.append(_row("lifecycle.size_elasticity", e_hat, lo, hi, e_default,
                             int((sums["months"].sum(axis=1) > 0).sum()), "poisson_profile",
                             True))  # fmt: skip
        rates = _rates_given_elasticity(sums["orders"], sums["months"], logx, e_hat, ones)
        rates_b = (np.array([_rates_given_elasticity(sums["orders"], sums["months"], logx, e, w)
                             for e, w in zip(e_b, boots, strict=True)])
                   if boots is not None else None)  # fmt: skip
    else:
        e_hat = e_default
        est_rows.append(_row("lifecycle.size_elasticity", np.nan, np.nan, np.nan, e_default,
                             0, "default", False))  # fmt: skip
        ones = np.ones(len(h.ids))
        rates = _rates_given_elasticity(sums["orders"], sums["months"], logx, e_hat, ones)
        rates_b = (np.array([_rates_given_elasticity(sums["orders"], sums["months"], logx,
                                                     e_hat, w) for w in boots])
                   if boots is not None else None)  # fmt: skip
    for s, stage in enumerate(STAGES):
        path = f"lifecycle.orders_per_month.{stage}"
        default = float(lc_default.orders_per_month[stage])
        if stage_months[s] >= MIN_EXPOSURE and np.isfinite(rates[s]):
            lo, hi = _percentile(rates_b[:, s]) if rates_b is not None else (np.nan, np.nan)
            opm_map[stage] = round(float(rates[s]), 6)
            est_rows.append(_row(path, rates[s], lo, hi, default, int(stage_months[s]),
                                 "poisson_profile", True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, default,
                                 int(stage_months[s]), "default", False))  # fmt: skip
    changes["lifecycle.orders_per_month"] = opm_map

    # ---------------------------------------------------------------- gross margin
    margin_default = float(lc_default.gross_margin)
    has_profit = tx["_profit"].notna().any()
    if has_profit:
        upto = tx[tx["_date"] <= when]
        index = pd.Index(h.ids)
        rows = index.get_indexer(upto["_id"].to_numpy(dtype=object))
        amount_c = np.bincount(rows, weights=upto["_value"].to_numpy(), minlength=len(h.ids))
        profit_c = np.bincount(rows, weights=upto["_profit"].fillna(0.0).to_numpy(),
                               minlength=len(h.ids))  # fmt: skip
        margin = float(profit_c.sum() / amount_c.sum()) if amount_c.sum() > 0 else np.nan
        lo, hi = (_percentile((boots @ profit_c) / (boots @ amount_c)) if boots is not None
                  else (np.nan, np.nan))  # fmt: skip
        if np.isfinite(margin) and 0 <= margin <= 1:
            changes["lifecycle.gross_margin"] = round(margin, 6)
            est_rows.append(_row("lifecycle.gross_margin", margin, lo, hi, margin_default,
                                 len(upto), "margin", True))  # fmt: skip
        else:
            est_rows.append(_row("lifecycle.gross_margin", margin, lo, hi, margin_default,
                                 len(upto), "default", False))  # fmt: skip
            notes.append(Note("calibrate.note.margin_out_of_range", {"margin": margin}))
    else:
        est_rows.append(_row("lifecycle.gross_margin", np.nan, np.nan, np.nan, margin_default,
                             0, "default", False))  # fmt: skip
        notes.append(Note("calibrate.note.no_profit", {"default": margin_default}))

    # ---------------------------------------------------------------- the scenario
    try:
        scenario = base.with_(changes)
    except ParameterError as exc:  # pragma: no cover - estimates are probabilities by design
        raise ParameterError(f"an estimate from the data is not a valid parameter: {exc}") from exc

    # ---------------------------------------------------------------- books
    manager, team = _managers_and_assignment(
        h.ids, wallet, len(final_rows), cust, team_in, names, notes
    )
    kept: list[str] = []
    if cust is not None:
        kept = _kept_columns(cust, _CUSTOMER_CATEGORIES, names["customers"], notes)
        kept += _kept_scores(cust, names["customers"], notes)
    codes = {s: i for i, s in enumerate(STATES)}
    final_codes = h.stage_at_as_of["stage"].map(codes).to_numpy()[final_rows]
    book = _book_table(h, final_rows, final_codes, wallet, manager, cust, kept)
    lost_at_end = int((h.stage_at_as_of["stage"] == "lost").sum())
    if lost_at_end:
        notes.append(Note("calibrate.note.lost_left_out", {"n": lost_at_end}))
    if cust is not None:
        never = int((~cust["customer_id"].isin(h.ids)).sum())
        if never:
            notes.append(
                Note("calibrate.note.no_orders", {"n": never, "source": names["customers"]})
            )
    start = (when + pd.Timedelta(days=1)).strftime("%Y-%m-%d")
    name = f"calibrated from {names['transactions']} as of {when.date()}"
    scenario = _with_book(scenario, book, team, start, months, name)
    estimated = scenario  # before the pilot's adjustments

    # ---------------------------------------------------------------- back-test set-up
    m0 = max(h.guard, n_months - 1 - fit_months)
    fit_start = None
    backtest = None
    if m0 < n_months - 1:
        start_codes = h.stage[:, m0]
        rows0 = np.flatnonzero((start_codes >= 0) & (start_codes < L))
        book0 = _book_table(h, rows0, start_codes[rows0], wallet, manager, cust, kept)
        fit_start = h.month_ends[m0]
        backtest = _with_book(
            scenario, book0, team, h.month_starts[m0 + 1].strftime("%Y-%m-%d"),
            n_months - 1 - m0, f"back-test from {fit_start.date()}",
        )  # fmt: skip
    else:
        notes.append(Note("calibrate.note.no_backtest",
                          {"months": n_months, "need": h.guard + 2}))  # fmt: skip

    # ---------------------------------------------------------------- acquisition (observed)
    first = pd.DatetimeIndex(h.first_order)
    first_month = ((first.year - h.month_starts[0].year) * 12
                   + (first.month - h.month_starts[0].month)).to_numpy()  # fmt: skip
    window_from = m0 + 1 if backtest is not None else max(0, n_months - 12)
    window = n_months - window_from
    new_in_window = int((h.new & (first_month >= window_from) & (first_month < n_months)).sum())
    new_per_month = new_in_window / window if window else np.nan

    # ---------------------------------------------------------------- pilot
    from crmsim.sim.experiments import replicate

    pilot_scenario = backtest if backtest is not None else scenario
    pilot_seed = np.random.SeedSequence(seed, spawn_key=(12,))
    n_pilot = min(4, max(2, replications))
    pilot = replicate(pilot_scenario, n_pilot, seed=pilot_seed, executor=executor,
                      workers=workers, progress=False)  # fmt: skip
    pm = pilot.monthly
    # the simulated funnel starts empty and satisfaction settles: read both after a few months
    settled = pm[pm["month"] > min(3, int(pm["month"].max()) // 2)]
    sat = (float(settled["mean_satisfaction"].mean())
           if settled["mean_satisfaction"].notna().any() else None)  # fmt: skip
    pilot_changes: dict[str, Any] = {}
    for pname in ("satisfaction_reference", "initial_satisfaction"):
        path = f"lifecycle.{pname}"
        default = float(getattr(lc_default, pname))
        if sat is not None and scenario.lifecycle.service_effects:
            pilot_changes[path] = round(min(max(sat, 0.0), 1.0), 4)
            est_rows.append(_row(path, pilot_changes[path], np.nan, np.nan, default,
                                 len(pm), "pilot_run", True))  # fmt: skip
        else:
            est_rows.append(_row(path, np.nan, np.nan, np.nan, default, 0, "default", False))
    sim_new = float(settled["new_customers"].mean())
    first_month_new = float(pm.loc[pm["month"] == 1, "new_customers"].mean())
    if sim_new > 0 and first_month_new < 0.5 * sim_new:
        notes.append(Note("calibrate.note.empty_funnel", {}))
    if np.isfinite(new_per_month) and sim_new > 0:
        factor = new_per_month / sim_new
        for ch in scenario.channels:
            for pname in ("leads_per_month", "leads_per_stable_customer"):
                path = f"channels.{ch.name}.{pname}"
                old = float(getattr(ch, pname))
                pilot_changes[path] = round(old * factor, 6)
                if pname == "leads_per_month":
                    est_rows.append(_row(path, old * factor, np.nan, np.nan,
                                         float(getattr(base.channel(ch.name), pname)), window,
                                         "pilot_run", True))  # fmt: skip
        notes.append(Note("calibrate.note.acquisition",
                          {"observed": new_per_month, "simulated": sim_new, "factor": factor,
                           "months": window}))  # fmt: skip
    else:
        notes.append(Note("calibrate.note.acquisition_kept", {}))
    # customers who leave with a departing manager (turnover) are losses the history already
    # holds: take the pilot's defections off the decline -> lost rate, so they are not counted
    # twice
    defections = float(pm["defections"].mean())
    in_decline = float(pm["customers_decline"].mean())
    p_lost = changes.get("lifecycle.decline_to_lost")
    if p_lost is not None and defections > 0 and in_decline > 0:
        net = max(0.0, p_lost - defections / in_decline)
        pilot_changes["lifecycle.decline_to_lost"] = round(net, 6)
        for r in est_rows:
            if r["parameter"] == "lifecycle.decline_to_lost":
                r["value"] = net
        notes.append(Note("calibrate.note.defections",
                          {"defections": defections, "estimate": p_lost, "net": net}))  # fmt: skip
    if pilot_changes:
        scenario = scenario.with_(pilot_changes)
        if backtest is not None:
            backtest = backtest.with_(pilot_changes)

    # ---------------------------------------------------------------- back-test
    if backtest is not None:
        reps = replicate(backtest, replications, seed=seed, executor=executor, workers=workers,
                         progress=False)  # fmt: skip
        fit, fit_summary = _fit_tables(h, m0, reps.monthly)
        for row in fit_summary.itertuples():
            if row.measure != "revenue_total" and row.verdict == "poor":
                notes.append(LabelledNote("calibrate.note.poor_fit",
                                          {"measure": f"calibrate.measure.{row.measure}",
                                           "inside": row.inside_share,
                                           "difference": row.relative_difference},
                                          labelled=("measure",)))  # fmt: skip
        seasonal = _seasonality(h)
        if seasonal is not None:
            notes.append(Note("calibrate.note.seasonality", seasonal))
    else:
        fit = pd.DataFrame(
            columns=[
                "month",
                "date",
                "measure",
                "actual",
                "simulated",
                "low",
                "high",
                "difference",
                "relative_difference",
                "inside",
            ]
        )
        fit_summary = pd.DataFrame(
            columns=[
                "measure",
                "actual_mean",
                "simulated_mean",
                "relative_difference",
                "mean_abs_error",
                "inside_share",
                "low",
                "high",
                "verdict",
            ]
        )

    # ---------------------------------------------------------------- observed figures
    observed = _observed(h, counts, estimated, new_per_month, window, tx, when)
    figures = dict(zip(observed["measure"], observed["value"], strict=True))
    if "annual_loss_observed" in figures and figures["annual_loss_observed"] > 0:
        obs, imp = figures["annual_loss_observed"], figures["annual_loss_implied"]
        if abs(imp - obs) / obs > 0.25:
            notes.append(Note("calibrate.note.loss_gap",
                              {"implied": imp, "observed": obs,
                               "date": h.month_ends[n_months - 13].date()}))  # fmt: skip
    out_of_exploration = int(counts[E, F:].sum())
    if counts[E, L] >= MIN_EXPOSURE and counts[E, L] > 0.25 * out_of_exploration:
        notes.append(Note("calibrate.note.lost_wave", {"months": chosen.recency_lost_months}))

    # ---------------------------------------------------------------- defaults kept
    notes.append(Note("calibrate.note.defaults_kept", {}))
    censored = int((~h.new).sum())
    if censored:
        notes.append(Note("calibrate.note.censored",
                          {"n": censored, "total": len(h.ids),
                           "start": h.month_ends[h.guard].date() if h.guard < n_months
                           else "-"}))  # fmt: skip
        if h.guard >= n_months - 1 and not cohort:
            notes.append(Note("calibrate.note.cohort_hint", {"months": n_months}))

    # ---------------------------------------------------------------- BG/NBD cross-check
    alive_table = agreement = None
    if alive:
        try:
            p = probability_alive(
                tx.rename(columns={"_id": "customer_id", "_date": "date", "_value": "amount"}),
                as_of=when,
            )
        except DataError as exc:
            p = None
            notes.append(Note("calibrate.note.alive_failed", {"reason": str(exc)}))
    if alive and p is not None:
        stage_end = h.stage_at_as_of[["_id", "stage"]].rename(columns={"_id": "customer_id"})
        alive_table = stage_end.merge(p[["customer_id", "probability_alive"]], on="customer_id",
                                      how="left")  # fmt: skip
        agreement = _agreement(alive_table)

    estimates = pd.DataFrame(est_rows)
    panel = _panel_table(h)
    meta = {
        "as_of": when,
        "history_start": h.month_starts[0],
        "fit_start": fit_start,
        "months": n_months,
        "rows": len(tx),
        "customers": len(h.ids),
        "seed": seed,
        "replications": replications,
        "bootstrap": bootstrap,
        "crmsim_version": __version__,
        "source": names["transactions"],
        "wallet": "table" if wallet_note.key == "calibrate.note.wallet_table" else "proxy",
    }
    return Calibration(
        scenario=scenario,
        estimates=estimates,
        transitions=transitions,
        observed=observed,
        fit=fit,
        fit_summary=fit_summary,
        panel=panel,
        book=book,
        alive=alive_table,
        alive_agreement=agreement,
        notes=notes,
        meta=meta,
    )


def _row(parameter: str, estimate: float, lo: float, hi: float, default: float, n: int,
         method: str, used: bool) -> dict[str, Any]:  # fmt: skip
    return {
        "parameter": parameter,
        "estimate": float(estimate),
        "ci_low": float(lo),
        "ci_high": float(hi),
        "default": float(default),
        "n": int(n),
        "method": method,
        "used": bool(used),
        "value": float(estimate) if used else float(default),
    }


def _wallets(h: _History, cust: pd.DataFrame | None, n_months: int) -> tuple[np.ndarray, Note]:
    """Annual wallet per customer: the customers table's, else the best quarter's spend × 4."""
    peak = _best_quarter_rate(h, n_months - 1)
    proxy = np.where(peak > 0, peak, np.nan)
    if cust is not None and "annual_wallet" in cust.columns:
        given = cust.set_index("customer_id")["annual_wallet"].reindex(h.ids).to_numpy(float)
        has = np.isfinite(given)
        if has.all():
            return given, Note("calibrate.note.wallet_table", {})
        if has.any():
            both = has & np.isfinite(proxy)
            scale = float(np.median(given[both] / proxy[both])) if both.any() else 1.0
            filled = np.where(has, given, proxy * scale)
            filled = np.where(np.isfinite(filled), filled, np.nanmedian(given))
            return filled, Note("calibrate.note.wallet_mixed",
                                {"n": int((~has).sum()), "scale": scale})  # fmt: skip
    filled = np.where(np.isfinite(proxy), proxy, np.nanmedian(proxy) if np.isfinite(proxy).any()
                      else 1.0)  # fmt: skip
    return filled, Note("calibrate.note.wallet_proxy", {})


def _with_book(
    scenario: Scenario, customers: pd.DataFrame, managers: pd.DataFrame, start: str,
    months: int, name: str,
) -> Scenario:  # fmt: skip
    """*scenario* on a book of these tables, starting on *start*, for *months*."""
    from crmsim.sim.book import Book

    old = scenario.book
    book = Book(source="tables", customers=customers, managers=managers, start_date=start,
                seed=old.seed, initial_decline_share=old.initial_decline_share)  # fmt: skip
    return dataclasses.replace(scenario, book=book, months=int(months), name=name)


def _fit_tables(h: _History, m0: int, monthly: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Actual vs simulated, month by month and per measure."""
    months = np.arange(m0 + 1, len(h.month_starts))
    actual = {"revenue": h.revenue[:, months].sum(axis=0)}
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
            lo, hi = np.percentile(sim[j], [2.5, 97.5])
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
    lo, hi = np.percentile(totals, [2.5, 97.5])
    rel = (a_total - totals.mean()) / totals.mean() if totals.mean() else np.nan
    inside = float(lo <= a_total <= hi)
    summary.append({
        "measure": "revenue_total", "actual_mean": a_total, "simulated_mean": float(totals.mean()),
        "relative_difference": rel, "mean_abs_error": abs(rel), "inside_share": inside,
        "low": float(lo), "high": float(hi), "verdict": _verdict(inside, rel),
    })  # fmt: skip
    return fit, pd.DataFrame(summary)


def _verdict(inside: float, rel: float) -> str:
    rel = abs(rel) if np.isfinite(rel) else np.inf
    if inside >= GOOD_FIT[0] and rel <= GOOD_FIT[1]:
        return "good"
    if inside >= FAIR_FIT[0] or rel <= FAIR_FIT[1]:
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


# ------------------------------------------------------------------------------- BG/NBD


def probability_alive(
    transactions: pd.DataFrame,
    as_of: Any = None,
    *,
    id: str = "customer_id",
    date: str = "date",
    value: str = "amount",
    freq: str = "D",
    penalizer: float = 0.0,
) -> pd.DataFrame:
    """The BG/NBD probability that each customer is still "alive", fitted by ``lifetimes``.

    A cross-check of the lifecycle rules' "lost" and "decline" verdicts with a published model
    (the beta-geometric / negative binomial distribution model of Fader, Hardie & Lee, "Counting
    your customers the easy way", Marketing Science, 2005), fitted by the ``lifetimes`` package's
    :class:`~lifetimes.BetaGeoFitter` — not by crmsim. Needs the optional extra ``cdnow``
    (``pip install "crmsim[cdnow]"``).

    Parameters
    ----------
    transactions : DataFrame
        Customer id, date and amount columns.
    as_of : date-like, optional
        End of the observation period (default: the last date).
    id, date, value : str
        Column names.
    freq : str
        Time unit of the model (``"D"`` days, ``"W"`` weeks), as in ``lifetimes``.
    penalizer : float
        ``lifetimes``' penalizer coefficient (0: plain maximum likelihood).

    Returns
    -------
    DataFrame
        ``customer_id``, ``frequency`` (repeat purchase periods), ``recency``, ``T`` (in
        *freq* units) and ``probability_alive``; ``attrs["params"]`` holds the fitted r,
        alpha, a, b.

    Raises
    ------
    ImportError
        ``lifetimes`` is not installed (the message names the ``cdnow`` extra).

    Examples
    --------
    >>> tx = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "C", "C"],
    ...                    "date": ["2024-01-02", "2024-03-01", "2024-06-01", "2024-01-05",
    ...                             "2024-02-01", "2024-02-20"], "amount": [1.0] * 6})
    >>> p = probability_alive(tx, as_of="2024-06-30")
    >>> p.columns.tolist()
    ['customer_id', 'frequency', 'recency', 'T', 'probability_alive']
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # lifetimes sets a pandas option pandas 3 deprecates
            from lifetimes import BetaGeoFitter
            from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data
    except ImportError:
        raise ImportError(
            "probability_alive needs the 'lifetimes' package, which is not installed; install "
            'the optional extra with: pip install "crmsim[cdnow]" (or pip install lifetimes)'
        ) from None
    v.check_number("penalizer", penalizer, minimum=0)
    tx = _clean_transactions(transactions, id=id, date=date, value=value, order=None,
                             profit=None, source="transactions")  # fmt: skip
    when, _ = _as_of(as_of, tx, "transactions")
    if as_of is None:
        when = tx["_date"].max()
    tx = tx[tx["_date"] <= when]
    summary = summary_data_from_transaction_data(
        tx, "_id", "_date", observation_period_end=when, freq=freq
    )
    # lifetimes prints the optimiser's state when a fit fails and suggests a penalizer: try the
    # one asked for, then two small ones, silently
    tried = [penalizer] + [x for x in (0.001, 0.01) if x > penalizer]
    fitter = None
    for coef in tried:
        candidate = BetaGeoFitter(penalizer_coef=coef)
        try:
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore", RuntimeWarning)
                candidate.fit(summary["frequency"], summary["recency"], summary["T"])
        except ConvergenceError:
            continue
        fitter = candidate
        break
    if fitter is None:
        raise DataError(
            "the BG/NBD model (lifetimes.BetaGeoFitter) did not converge on these transactions, "
            f"with penalizer {', '.join(f'{x:g}' for x in tried)}; its probability alive is not "
            "available for this data"
        )
    p = fitter.conditional_probability_alive(summary["frequency"], summary["recency"],
                                             summary["T"])  # fmt: skip
    out = pd.DataFrame(
        {
            "customer_id": summary.index.to_numpy().astype(str),
            "frequency": summary["frequency"].to_numpy(),
            "recency": summary["recency"].to_numpy(),
            "T": summary["T"].to_numpy(),
            "probability_alive": np.asarray(p, dtype=float),
        }
    )
    out.attrs["params"] = {k: float(x) for k, x in fitter.params_.items()}
    out.attrs["penalizer"] = float(fitter.penalizer_coef)
    return out
