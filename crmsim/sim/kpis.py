"""The one registry of the simulation's headline KPIs: name, how it is computed, label (English
and Chinese, keys ``kpi.*`` of the :mod:`crmsim.terms` catalogs), unit, display scale and direction.

:meth:`crmsim.sim.result.SimulationResult.kpis`, the comparisons of :mod:`crmsim.sim.experiments`
and the tables of :mod:`crmsim.sim.studies` all read :data:`KPIS`; adding a KPI means adding one
:class:`Kpi` here and its label in the catalogs (``crmsim/terms/locale``).

Examples
--------
>>> [k.name for k in KPIS][:3]
['revenue', 'gross_profit', 'net_contribution']
>>> display_label("retention", "en"), display_label("revenue", "zh")
('Initial book still active (%)', '收入 (百万元)')
>>> KPI["complaints"].higher_is_better
False
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from crmsim.terms import label, money_unit, resolve_language


@dataclass(frozen=True)
class Kpi:
    """One headline figure of a run.

    Attributes
    ----------
    name : str
        Identifier (column of comparison tables).
    compute : callable
        ``compute(result) -> float`` from a :class:`~crmsim.sim.result.SimulationResult`.
    description : str
        How it is computed, in words.
    unit : str
        Unit of the computed value (``CNY``, ``customers``, ``share``...).
    higher_is_better : bool or None
        Direction: True if more is better, False if less is better, None if neither (a level
        to keep in a band, such as utilisation).
    display_unit : str
        Unit shown in tables after scaling ('' for plain counts).
    scale : float
        Factor from ``unit`` to ``display_unit`` (1e-6 for M CNY, 100 for percent).
    decimals : int
        Decimals shown.
    """

    name: str
    compute: Callable[[Any], float]
    description: str
    unit: str
    higher_is_better: bool | None
    display_unit: str = ""
    scale: float = 1.0
    decimals: int = 1

    @property
    def label_key(self) -> str:
        """Key of the label in :data:`crmsim.terms.TERMS`."""
        return f"kpi.{self.name}"


def _total(column: str) -> Callable[[Any], float]:
    def compute(result: Any) -> float:
        return float(result.monthly[column].sum())

    return compute


def _retention(result: Any) -> float:
    c = result.customers
    book = c["origin"] == "book"
    return float((c.loc[book, "stage"] != "lost").mean()) if book.any() else np.nan


def _service_level(result: Any) -> float:
    m = result.monthly
    requests = m["service_requests"].sum()
    on_time = (m["service_level"].fillna(0.0) * m["service_requests"]).sum()
    return float(on_time / requests) if requests else np.nan


def _complaint_rate(result: Any) -> float:
    """Complaints per 100 customers a year: complaints over the customer-months served."""
    m = result.monthly
    served = float(m["active_customers"].sum())
    return float(m["complaints"].sum()) / served * 1200.0 if served else np.nan


def conversion(leads: Any) -> float:
    """Share of leads won, over the arrival-month cohorts in which every lead has ended.

    Leads still open when the run stops are the ones furthest along or slowest; counting won
    over the leads that *ended* leaves them out and biases the rate down (about 0.068 against
    a true 0.076 on the default company). A cohort (leads arriving in the same month) whose
    leads have all ended has had time to end, and won / leads of such cohorts estimates the
    rate without that bias. NaN if no cohort has ended.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"month": [1, 1, 2, 2], "outcome": ["won", "lost", "won", "open"]})
    >>> conversion(leads)
    0.5
    """
    month = leads["month"].to_numpy()
    is_open = leads["outcome"].to_numpy() == "open"
    complete = ~np.isin(month, np.unique(month[is_open]))
    if not complete.any():
        return np.nan
    return float((leads["outcome"].to_numpy()[complete] == "won").mean())


def discounted_net_contribution(result: Any) -> float:
    """Net contribution of each month discounted to the start at the scenario's rate
    (``meta["discount_factor"]`` a month; month *t* weighs ``δ**t``)."""
    delta = float(result.meta.get("discount_factor", 1.0))
    net = result.monthly["net_contribution"].to_numpy(dtype=float)
    return float((net * delta ** np.arange(1, len(net) + 1)).sum())


def value_created(result: Any) -> float:
    """Customer value created over the run (domain.md §12; :mod:`crmsim.sim.scenario.value`):
    discounted net contribution + customer equity left at the horizon, discounted, - customer
    equity at the start.

    Examples
    --------
    >>> import pandas as pd
    >>> from types import SimpleNamespace
    >>> r = SimpleNamespace(monthly=pd.DataFrame({"net_contribution": [100.0, 100.0]}),
    ...     meta={"discount_factor": 0.5, "customer_equity_start": 1000.0,
    ...           "customer_equity_end": 800.0})
    >>> value_created(r)   # 100 * 0.5 + 100 * 0.25 + 800 * 0.25 - 1000
    -725.0
    """
    meta = result.meta
    if "customer_equity_end" not in meta:
        return np.nan
    delta = float(meta.get("discount_factor", 1.0))
    months = len(result.monthly)
    return (discounted_net_contribution(result) + delta**months * meta["customer_equity_end"]
            - meta["customer_equity_start"])  # fmt: skip


def _meta(key: str) -> Callable[[Any], float]:
    def compute(result: Any) -> float:
        return float(result.meta.get(key, np.nan))

    return compute


#: The KPIs, in display order.
KPIS: tuple[Kpi, ...] = (
    Kpi("revenue", _total("revenue"), "Total revenue over the run.", "CNY", True,
        "M CNY", 1e-6, 2),
    Kpi("gross_profit", _total("gross_profit"), "Gross margin minus bad debt, total.", "CNY",
        True, "M CNY", 1e-6, 2),
    Kpi("net_contribution", _total("net_contribution"),
        "Gross profit minus every cost (pay, operations, overhead, leads, CRM, hiring).",
        "CNY", True, "M CNY", 1e-6, 2),
    Kpi("value_created", value_created,
        "Customer value created: net contribution discounted to the start, plus the customer "
        "equity of the book left at the horizon (discounted), minus the equity at the start.",
        "CNY", True, "M CNY", 1e-6, 2),
    Kpi("customer_equity_end", _meta("customer_equity_end"),
        "Customer equity at the horizon: each active customer's expected discounted margin "
        "less the cost to serve it, from the lifecycle chain (Pfeifer & Carraway 2000).",
        "CNY", True, "M CNY", 1e-6, 2),
    Kpi("new_customers", _total("new_customers"), "Leads won over the run.", "customers",
        True),
    Kpi("lost_customers", _total("lost_customers"), "Customers lost, defections included.",
        "customers", False),
    Kpi("defections", _total("defections"), "Customers who left with a departing manager.",
        "customers", False),
    Kpi("active_customers_end", lambda r: float(r.monthly["active_customers"].iloc[-1]),
        "Active customers at the end of the last month.", "customers", True),
    Kpi("retention", _retention, "Share of the initial book still active at the end.",
        "share", True, "%", 100.0),
    Kpi("service_level", _service_level,
        "Share of the run's service requests resolved within the response target.", "share",
        True, "%", 100.0),
    Kpi("mean_satisfaction", lambda r: float(r.monthly["mean_satisfaction"].iloc[-1]),
        "Mean satisfaction of the active customers in the last month.", "0-1", True, "0-1",
        1.0, 3),
    Kpi("complaints", _total("complaints"), "Complaints over the run.", "complaints", False),
    Kpi("complaint_rate", _complaint_rate,
        "Complaints per 100 customers a year: complaints over the customer-months served "
        "(active customers summed over the months), times 1,200; comparable between options "
        "that serve different numbers of customers.", "per 100 customers a year", False),
    Kpi("praise", _total("praise"), "Praise over the run.", "praise", True),
    Kpi("manager_utilisation", lambda r: float(r.monthly["manager_utilisation"].mean()),
        "Hours worked on customers over hours available, mean over months.", "share", None,
        "%", 100.0),
    Kpi("conversion", lambda r: conversion(r.leads),
        "Won over leads, in the arrival months whose leads have all ended (see conversion).",
        "share", True, "%", 100.0),
    Kpi("open_leads_end", lambda r: float((r.leads["outcome"] == "open").sum()),
        "Leads still in the funnel when the run stops (left out of conversion).", "leads",
        None),
)  # fmt: skip

#: KPI names, in display order.
KPI_NAMES: tuple[str, ...] = tuple(k.name for k in KPIS)
#: KPI by name.
KPI: dict[str, Kpi] = {k.name: k for k in KPIS}


def compute_kpis(result: Any) -> dict[str, float]:
    """Every KPI of *result* (a SimulationResult), by name, in display order."""
    return {k.name: k.compute(result) for k in KPIS}


def display_label(name: str, lang: str | None = None) -> str:
    """Label of KPI *name* with its display unit, e.g. ``"Revenue (M CNY)"``."""
    kpi = KPI[name]
    text = label(kpi.label_key, lang)
    if not kpi.display_unit:
        return text
    unit_lang = "zh" if resolve_language(lang) == "zh" else "en"  # "both": one unit is enough
    if kpi.display_unit == "M CNY":  # money: in the currency of the page (crmsim.terms.money)
        return f"{text} ({money_unit(unit_lang, scale='M')})"
    return f"{text} ({label('unit.' + kpi.display_unit, unit_lang)})"
