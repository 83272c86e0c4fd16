"""What each option costs and returns, as a manager reads it: headcount, a cost breakdown,
net present value, payback, and KPIs per 100 customers.

Every number is read from the run tables of a :class:`~crmsim.sim.whatif.WhatIf` (the monthly
cost columns, the managers table) and the options' own parameters; nothing is simulated here.

:func:`option_costs` is the one seam between the model's numbers and these pages: the headcount
and cost table is the model's own (:meth:`crmsim.sim.whatif.WhatIf.costs`); this module formats
it, and discounts at the options' own rate (``value.discount_rate``) unless told otherwise.

Examples
--------
>>> import numpy as np
>>> discount_factors(3, 0.12).round(4).tolist()   # end of months 1-3 at 12% a year
[0.9906, 0.9813, 0.9721]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from crmsim.sim.kpis import KPI, display_label
from crmsim.sim.stats import mean_ci
from crmsim.sim.whatif import COST_COLUMNS
from crmsim.terms import label, money_unit

__all__ = [
    "add_economics_section",
    "discount_factors",
    "option_costs",
    "report_discount_rate",
    "per_customer_table",
    "report_currency",
    "value_table",
]


def report_currency(whatif: Any, currency: str | None = None) -> str:
    """The currency a report names its money in: *currency* when given, else the options'
    (``Scenario.currency``; the first option's when they disagree)."""
    if currency:
        return str(currency).upper()
    return next(iter(whatif.options.values())).currency


def discount_factors(months: int, rate: float) -> np.ndarray:
    """Discount factor of the end of each month 1..*months* at the annual *rate*."""
    return 1.0 / (1.0 + float(rate)) ** (np.arange(1, int(months) + 1) / 12.0)


def option_costs(whatif: Any) -> pd.DataFrame:
    """Headcount and cost breakdown of each option: the model's own table,
    :meth:`crmsim.sim.whatif.WhatIf.costs` (the report only formats it)."""
    return whatif.costs()


def report_discount_rate(whatif: Any, rate: float | None = None) -> float:
    """The annual discount rate of the net present value: *rate* when given, else the options'
    own ``value.discount_rate`` (the rate customer equity is valued at; the first option's)."""
    if rate is not None:
        return float(rate)
    return float(next(iter(whatif.options.values())).value.discount_rate)


def _net_per_run(monthly: pd.DataFrame, option: str) -> pd.DataFrame:
    """Months × replications of *option*'s net contribution."""
    mine = monthly[monthly["scenario"] == option]
    return mine.pivot_table(index="month", columns="replication", values="net_contribution",
                            sort=True)  # fmt: skip


def value_table(whatif: Any, rate: float | None = None, level: float = 0.95) -> pd.DataFrame:
    """Net present value of each option at the annual discount *rate*, and its payback.

    Returns
    -------
    DataFrame
        ``option, npv, npv_low, npv_high`` (discounted net contribution over the horizon, mean
        and CI over the replications), ``npv_difference, difference_low, difference_high``
        (paired against the baseline; NaN for the baseline), ``payback_month``: the month from
        which the option's cumulative net contribution (mean over the replications) stays at or
        above the baseline's to the end of the horizon (1: from the start; NaN: not within the
        horizon, or the baseline itself).
    """
    monthly = whatif.comparison.monthly
    base = _net_per_run(monthly, whatif.baseline)
    factors = discount_factors(len(base), report_discount_rate(whatif, rate))
    base_npv = (base.to_numpy() * factors[:, None]).sum(axis=0)
    rows = []
    for option in whatif.options:
        net = _net_per_run(monthly, option)
        npv = (net.to_numpy() * factors[:, None]).sum(axis=0)
        ci = mean_ci(pd.Series(npv), level)
        row = {"option": option, "npv": ci["mean"], "npv_low": ci["ci_low"],
               "npv_high": ci["ci_high"], "npv_difference": math.nan,
               "difference_low": math.nan, "difference_high": math.nan,
               "payback_month": math.nan}  # fmt: skip
        if option != whatif.baseline:
            d = mean_ci(pd.Series(npv - base_npv), level)
            row.update(npv_difference=d["mean"], difference_low=d["ci_low"],
                       difference_high=d["ci_high"])  # fmt: skip
            gap = (net.mean(axis=1) - base.mean(axis=1)).cumsum().to_numpy()
            behind = np.flatnonzero(gap < 0)
            if not len(behind):
                row["payback_month"] = 1.0
            elif behind[-1] + 1 < len(gap):
                row["payback_month"] = float(net.index[behind[-1] + 1])
        rows.append(row)
    return pd.DataFrame(rows)


#: KPIs of :func:`per_customer_table`: run KPI → how it is summed.
PER_CUSTOMER_KPIS: tuple[str, ...] = ("net_contribution", "revenue", "new_customers",
                                      "lost_customers", "complaints")  # fmt: skip


def per_customer_table(whatif: Any, costs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """KPIs per 100 customers of each option's initial book (mean and CI over replications).

    Returns
    -------
    DataFrame
        ``option, kpi, mean, ci_low, ci_high``.
    """
    size = costs.set_index("option")["customers_start"]
    runs = whatif.comparison.runs
    rows = []
    for option in whatif.options:
        n = float(size.get(option, math.nan))
        mine = runs[runs["scenario"] == option]
        for kpi in PER_CUSTOMER_KPIS:
            if kpi not in mine or not n:
                continue
            ci = mean_ci(mine[kpi].astype(float) * 100.0 / n, level)
            rows.append({"option": option, "kpi": kpi, "mean": ci["mean"],
                         "ci_low": ci["ci_low"], "ci_high": ci["ci_high"]})  # fmt: skip
    return pd.DataFrame(rows, columns=["option", "kpi", "mean", "ci_low", "ci_high"])


# --------------------------------------------------------------------------- for people


def _t(key: str, lang: str, **values: Any) -> str:
    return label(f"whatif.report.{key}", lang).format(**values)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def add_economics_section(
    rep: Any, whatif: Any, lang: str, costs: pd.DataFrame, values: pd.DataFrame, rate: float,
    names: dict[str, str],
) -> None:
    """Headcount and costs (items as rows, options as columns: it prints on A4 whatever the
    number of options), net present value and payback, and KPIs per 100 customers."""
    unit = money_unit(lang, scale="M")
    options = [o for o in whatif.options if o in set(costs["option"])]
    rep.heading(_t("costs_heading", lang))
    rep.text(_t("costs_intro", lang, months=whatif.months, n=whatif.replications))
    table = costs.set_index("option").loc[options]
    counts = ("people", "positions", "operations_staff", "operations_units", "headcount",
              "customers_start")  # fmt: skip
    money_rows = (*COST_COLUMNS, "total_cost")
    rows = []
    for item in (*counts, *money_rows, "coordination_days"):
        if item not in table:
            continue
        row = {_t("cost_item", lang): _t(f"cost.{item}", lang)}
        for option in options:
            x = float(table.at[option, item])
            row[names[option]] = (f"{x:,.0f}" if item in counts else f"{x:,.1f}"
                                  if item == "coordination_days" else f"{x / 1e6:,.2f}")
        rows.append(row)
    rep.table(pd.DataFrame(rows), _t("costs_caption", lang, months=whatif.months, unit=unit),
              formatted=True, csv="costs", raw=costs)  # fmt: skip

    base = names[whatif.baseline]
    percent = f"{rate:.0%}" if float(rate * 100).is_integer() else f"{rate:.1%}"
    rep.text(_t("value_intro", lang, rate=percent))
    rows = []
    for row in values.itertuples(index=False):
        half = (row.npv_high - row.npv_low) / 2
        cells = {label("col.option", lang): names[row.option],
                 _t("col_npv", lang): f"{row.npv / 1e6:,.2f} ± {half / 1e6:,.2f}"}  # fmt: skip
        if row.option == whatif.baseline:
            diff = payback = _t("payback_baseline", lang)
        else:
            dhalf = (row.difference_high - row.difference_low) / 2
            clear = " *" if row.difference_low > 0 or row.difference_high < 0 else ""
            diff = f"{row.npv_difference / 1e6:+,.2f} ± {dhalf / 1e6:,.2f}{clear}"
            payback = (_t("payback_never", lang, months=whatif.months)
                       if math.isnan(row.payback_month) else _t("payback_start", lang)
                       if row.payback_month == 1 else
                       _t("payback_month", lang, month=int(row.payback_month)))  # fmt: skip
        cells[_t("col_npv_difference", lang, baseline=base)] = diff
        cells[_t("col_payback", lang, baseline=base)] = payback
        rows.append(cells)
    rep.table(pd.DataFrame(rows), _t("value_caption", lang, rate=percent, baseline=base,
                                     unit=unit), formatted=True, csv="value",
              raw=values)  # fmt: skip

    sizes = table["customers_start"] if "customers_start" in table else pd.Series(dtype=float)
    if sizes.nunique() > 1:  # books of different sizes: totals are not comparable
        per = per_customer_table(whatif, costs)
        rep.text(_t("per100_intro", lang))
        rows = []
        for option in options:
            mine = per[per["option"] == option].set_index("kpi")
            cells = {label("col.option", lang): names[option]}
            for kpi, r in mine.iterrows():
                money_kpi = KPI[kpi].unit == "CNY"
                scale = 1e6 if money_kpi else 1.0
                spec = ",.3f" if money_kpi else ",.1f"
                name = display_label(kpi, lang)
                half = (r["ci_high"] - r["ci_low"]) / 2 / scale
                mean = r["mean"] / scale
                cells[_t("per100_kpi", lang, kpi=name)] = f"{mean:{spec}} ± {half:{spec}}"
            rows.append(cells)
        shown = _sep(lang).join(f"{names[o]} {sizes[o]:,.0f}" for o in options)
        rep.table(pd.DataFrame(rows), _t("per100_caption", lang, sizes=shown), formatted=True,
                  csv="per_100_customers", raw=per)  # fmt: skip
