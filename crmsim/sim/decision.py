"""What a comparison means for the manager: a recommendation that weighs several KPIs.

:func:`recommend` reads a :class:`~crmsim.sim.experiments.Comparison` (options run on common
random numbers) and answers in plain words:

- which option creates the most customer value (``value_created``: net contribution discounted
  to the start plus the customer equity of the book left at the horizon, minus the equity at the
  start; domain.md §12, :mod:`crmsim.sim.scenario.value`) — or, with ``rank_on=
  "net_contribution"``, earns the most net contribution (净贡献) inside the horizon — and whether
  the paired 95% confidence interval against the runner-up excludes zero; otherwise it says that
  the replications cannot tell the two apart, rather than naming a winner. It says which yardstick
  it ranks on and shows the horizon's net contribution beside customer value;
- the trade-offs: the KPIs a manager also cares about (revenue, active customers at the end,
  retention of the initial book, service level, complaints, customers who left with a departing
  manager) on which the leading option is clearly worse, or clearly better, than the others;
- the risk: how much of the sales the top account manager carries in each option;
- the horizon: the month in which the leader's cumulative net contribution overtakes an option
  that starts ahead (a more expensive structure pays for itself later), or, when an option
  clearly earns more per month by the end of the run (paired interval above zero), roughly how
  long after the horizon it would overtake (when that is within another horizon's length).

Nothing here draws or prints; every sentence comes from the translation table
(:mod:`crmsim.terms`, keys ``decision.*``), so the recommendation reads the same in
English and Chinese.

Examples
--------
>>> from crmsim.sim.experiments import compare
>>> from crmsim.sim.scenario import Scenario
>>> s = Scenario.synthetic(60, 3, months=3)
>>> rec = recommend(compare({"a": s, "b": s}, replications=2, seed=1, workers=1))
>>> rec.best is None   # the same scenario twice: no option is clearly better
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmsim.errors import ParameterError
from crmsim.sim.kpis import KPI
from crmsim.sim.stats import mean_ci
from crmsim.terms import label, money_unit, resolve_language

__all__ = ["RANK_ON", "TRADE_OFF_KPIS", "Recommendation", "paired_difference", "recommend",
           "crossover_month"]  # fmt: skip

#: The yardsticks a recommendation can rank on; the first is the default when the runs have it.
RANK_ON: tuple[str, ...] = ("value_created", "net_contribution")

#: KPIs weighed beside net contribution, in the order the trade-offs are told.
TRADE_OFF_KPIS: tuple[str, ...] = (
    "revenue",
    "active_customers_end",
    "retention",
    "service_level",
    "complaint_rate",
    "defections",
)

#: How many months at the end of the run are read as "by the end" (monthly gap trend).
END_MONTHS = 6

#: When net contribution ties, another KPI tips the choice only if its difference is clear and
#: material: at least this share of the other option's value (money, customers, complaints) or
#: this many points of a share (1 percentage point).
MATERIAL = 0.01


@dataclass(frozen=True)
class Recommendation:
    """The plain-language answer of :func:`recommend`.

    Attributes
    ----------
    best : str or None
        The option that is clearly first on net contribution (its paired 95% CI against the
        runner-up excludes zero), or None when no option is clearly better.
    leader : str
        The option with the highest mean net contribution (even if not clearly better).
    runner_up : str or None
        The second option on net contribution (None with a single option).
    headline : str
        One sentence: the answer.
    points : list of str
        Trade-offs, risk, horizon and uncertainty, one sentence each.
    crossover : dict
        Per other option: the month the leader's cumulative net contribution overtakes it for
        good (None when the leader is ahead from the first month or never overtakes).
    differences : DataFrame
        Leader minus each other option, per KPI: ``option, kpi, mean_difference, ci_low,
        ci_high, clear`` (paired over the replications).
    lang : str
        Language of the sentences.
    suggested : str or None
        The option the recommendation points to: :attr:`best` when there is one; otherwise,
        when the yardstick cannot separate the two leading options, the one of them that is
        clearly better on some other KPI (revenue, customers, retention, service, complaints,
        defections) and clearly worse on none; None when the choice is a judgement call.
    rank_on : str
        The yardstick the options are ranked on (one of :data:`RANK_ON`).
    """

    best: str | None
    leader: str
    runner_up: str | None
    headline: str
    points: list[str] = field(default_factory=list)
    crossover: dict[str, int | None] = field(default_factory=dict)
    differences: pd.DataFrame = field(default_factory=pd.DataFrame)
    lang: str = "en"
    suggested: str | None = None
    rank_on: str = "net_contribution"

    def text(self) -> str:
        """The headline and every point as one paragraph each."""
        return "\n\n".join([self.headline, *self.points])


# --------------------------------------------------------------------------- numbers


def _t(key: str, lang: str, **values: Any) -> str:
    return label(f"decision.{key}", lang).format(**values)


def _default_name(option: str, lang: str) -> str:
    """An option's display name: a structure's or rule's translated name, else as given."""
    return label(option, lang)


def money(x: float, lang: str, signed: bool = False) -> str:
    """Million CNY with two decimals: ``"1.23 M CNY"`` / ``"1.23 百万元"``.

    >>> money(1_234_567, "en"), money(-20_000, "zh", signed=True)
    ('1.23 M CNY', '-0.02 百万元')
    """
    unit = money_unit(lang, scale="M")  # the page's currency (crmsim.terms.money)
    return f"{x / 1e6:{'+' if signed else ''},.2f} {unit}"


def amount(kpi: str, x: float, lang: str) -> str:
    """An absolute difference in *kpi*'s natural unit (money, customers, percentage points)."""
    k = KPI[kpi]
    if k.unit == "CNY":
        return money(abs(x), lang)
    if k.unit == "share":
        return _t("unit_points", lang, x=abs(x) * 100)
    if k.unit.startswith("per 100"):  # a rate: one decimal
        return f"{abs(x):,.1f}"
    return f"{abs(x):,.0f}"


def paired_difference(runs: pd.DataFrame, a: str, b: str, kpi: str,
                      level: float = 0.95) -> dict[str, float]:  # fmt: skip
    """Mean and CI of *a* minus *b* on *kpi*, paired replication by replication."""
    wide = runs.pivot_table(index="replication", columns="scenario", values=kpi, sort=False)
    d = (wide[a] - wide[b]).to_numpy(dtype=float)
    return mean_ci(d, level)


def _cumulative(monthly: pd.DataFrame, column: str = "net_contribution") -> pd.DataFrame:
    """Mean over the replications of the cumulative *column*: months x options."""
    table = monthly.sort_values(["scenario", "replication", "month"])
    cum = table.groupby(["scenario", "replication"], sort=False)[column].cumsum()
    wide = table.assign(cum=cum).pivot_table(
        index="month", columns="scenario", values="cum", aggfunc="mean", sort=False
    )
    return wide


def crossover_month(gap: pd.Series) -> int | None:
    """The month from which *gap* (leader minus other, cumulative, indexed by month) stays
    above zero for good, when it starts at or below zero; None otherwise.

    >>> crossover_month(pd.Series([-3.0, -1.0, 2.0, 4.0], index=[1, 2, 3, 4]))
    3
    >>> crossover_month(pd.Series([1.0, 2.0], index=[1, 2])) is None
    True
    """
    values = gap.to_numpy(dtype=float)
    if len(values) == 0 or values[0] > 0 or values[-1] <= 0:
        return None
    below = np.flatnonzero(values <= 0)
    return int(gap.index[below[-1] + 1])


def _end_trend(monthly: pd.DataFrame, leader: str, other: str, months: int,
               level: float = 0.95) -> dict[str, float]:  # fmt: skip
    """Monthly net contribution of *other* minus *leader* over the last *months* months: mean
    and confidence interval, paired replication by replication."""
    last = monthly["month"].max()
    recent = monthly[monthly["month"] > last - months]
    per = recent.pivot_table(index="replication", columns="scenario", values="net_contribution",
                             aggfunc="mean", sort=False)  # fmt: skip
    return mean_ci((per[other] - per[leader]).to_numpy(dtype=float), level)


def _top_share(managers: pd.DataFrame) -> pd.Series:
    """Per option: mean over replications of the largest single manager's share of sales."""
    if managers.empty or "share_of_sales" not in managers:
        return pd.Series(dtype=float)
    top = managers.groupby(["scenario", "replication"], sort=False)["share_of_sales"].max()
    return top.groupby(level="scenario", sort=False).mean()


# --------------------------------------------------------------------------- recommendation


def recommend(
    comparison: Any,
    *,
    scenarios: Mapping[str, Any] | None = None,
    lang: str | None = None,
    level: float = 0.95,
    names: Mapping[str, str] | None = None,
    rank_on: str | None = None,
) -> Recommendation:
    """Weigh a comparison's options the way a manager would, and say it in plain words.

    Parameters
    ----------
    comparison : Comparison
        From :func:`crmsim.sim.experiments.compare` (or :func:`crmsim.sim.whatif.compare_options`).
    scenarios : mapping of option name to Scenario, optional
        The options compared; used for the horizon (months) when given.
    lang : {"en", "zh", "both"}, optional
        Language of the sentences (default the session language; "both" gives English).
    level : float
        Confidence level of the intervals.
    names : mapping of option to display name, optional
        How to call each option in the sentences (default: a structure's or rule's name in
        *lang*, else the option as given).
    rank_on : {"value_created", "net_contribution"}, optional
        The yardstick (default: customer value created when the runs have it, else net
        contribution over the horizon).

    Returns
    -------
    Recommendation
    """
    lang = resolve_language(lang)
    lang = "en" if lang == "both" else lang
    shown = dict(names or {})

    def _name(option: str, lang: str) -> str:
        return shown.get(option) or _default_name(option, lang)

    runs = comparison.runs
    for column in ("scenario", "replication", "net_contribution"):
        if column not in runs:
            raise ParameterError(f"parameter 'comparison': its runs table has no {column!r} column")
    measure = rank_measure(runs, rank_on)
    on_value = measure != "net_contribution"
    trade_kpis = (("net_contribution",) if on_value else ()) + TRADE_OFF_KPIS
    options = list(dict.fromkeys(runs["scenario"]))
    n_reps = int(runs["replication"].nunique())
    months = int(comparison.monthly["month"].max()) if len(comparison.monthly) else 0
    if scenarios:
        months = max(int(getattr(sc, "months", months)) for sc in scenarios.values())
    means = runs.groupby("scenario", sort=False)[measure].mean()
    net_means = runs.groupby("scenario", sort=False)["net_contribution"].mean()
    ranked = list(means.sort_values(ascending=False, kind="mergesort").index)
    leader = ranked[0]
    runner = ranked[1] if len(ranked) > 1 else None
    L = _name(leader, lang)

    # paired differences: leader minus every other option, on every KPI weighed
    rows = []
    kpis = (measure,) + tuple(k for k in trade_kpis if k in runs)
    for other in options:
        if other == leader:
            continue
        for k in kpis:
            ci = paired_difference(runs, leader, other, k, level)
            clear = bool(ci["ci_low"] > 0 or ci["ci_high"] < 0)
            rows.append(
                {
                    "option": other,
                    "kpi": k,
                    "mean_difference": ci["mean"],
                    "ci_low": ci["ci_low"],
                    "ci_high": ci["ci_high"],
                    "clear": clear,
                }
            )
    diffs = pd.DataFrame(rows, columns=["option", "kpi", "mean_difference", "ci_low", "ci_high",
                                        "clear"])  # fmt: skip

    def diff(other: str, k: str) -> pd.Series:
        return diffs[(diffs["option"] == other) & (diffs["kpi"] == k)].iloc[0]

    points: list[str] = []
    suggested: str | None = None
    suffix = "_value" if on_value else ""
    if runner is None:
        headline = _t("single" + suffix, lang, option=L, months=months,
                      value=money(means[leader], lang),
                      net=money(net_means[leader], lang))  # fmt: skip
        return Recommendation(None, leader, None, headline, points, {}, diffs, lang,
                              rank_on=measure)  # fmt: skip

    d = diff(runner, measure)
    R = _name(runner, lang)
    ci_text = _t("ci", lang, level=round(level * 100), low=money(d["ci_low"], lang, True),
                 high=money(d["ci_high"], lang, True))  # fmt: skip
    if d["clear"] and d["mean_difference"] > 0:
        best = leader
        headline = _t("best" + suffix, lang, option=L, value=money(d["mean_difference"], lang),
                      months=months, other=R, ci=ci_text)  # fmt: skip
    else:
        best = None
        headline = _t("no_clear_best" + suffix, lang, option=L, other=R, months=months,
                      value=money(d["mean_difference"], lang), ci=ci_text)  # fmt: skip
        lean = _lean(diff, runs, leader, runner, lang, trade_kpis)
        space = "" if lang == "zh" else " "
        if lean is not None:
            suggested = lean[0]
            headline += space + _t("lean", lang, option=_name(lean[0], lang),
                                   other=_name(lean[1], lang), items=lean[2])  # fmt: skip
        else:
            headline += space + _t("judgement", lang)

    # trade-offs against the runner-up (and the baseline when it is a third option)
    against = [runner]
    if comparison.baseline not in (leader, runner) and comparison.baseline in options:
        against.append(comparison.baseline)
    if on_value:  # say which yardstick ranks the options, and show the horizon's figure beside it
        items = [_t("net_item", lang, option=_name(o, lang), value=money(net_means[o], lang))
                 for o in ranked]  # fmt: skip
        points.append(_t("yardstick_value", lang, months=months,
                         items=_t("list_sep", lang).join(items)))  # fmt: skip
    for other in against:
        other_name = _name(other, lang)
        worse, better = [], []
        for k in trade_kpis:
            if k not in runs:
                continue
            row = diff(other, k)
            direction = KPI[k].higher_is_better
            if not row["clear"] or direction is None:
                continue
            good = (row["mean_difference"] > 0) == direction
            more = row["mean_difference"] > 0
            phrase = _t(f"kpi_{k}_{'more' if more else 'less'}", lang,
                        x=amount(k, row["mean_difference"], lang))  # fmt: skip
            (better if good else worse).append(phrase)
        sep = _t("list_sep", lang)
        if worse:
            points.append(_t("trade_off", lang, option=L, other=other_name, items=sep.join(worse)))
        if better:
            points.append(
                _t("also_better", lang, option=L, other=other_name, items=sep.join(better))
            )
        if not worse and not better:
            points.append(_t("no_trade_off", lang, option=L, other=other_name))

    # the other options: what each does best, and at what price in net contribution
    reference = suggested or leader
    means_by_kpi = {k: runs.groupby("scenario", sort=False)[k].mean()
                    for k in trade_kpis if k in runs}  # fmt: skip
    for other in ranked:
        if other in against or other in (leader, reference):
            continue
        items = []
        for k, m in means_by_kpi.items():
            direction = KPI[k].higher_is_better
            if direction is None or (m.idxmax() if direction else m.idxmin()) != other:
                continue
            ci = paired_difference(runs, other, reference, k, level)
            if ci["ci_low"] > 0 or ci["ci_high"] < 0:
                items.append(_t(f"kpi_short_{k}", lang))
        if items:
            gap = paired_difference(runs, reference, other, measure, level)["mean"]
            points.append(_t("best_on" + suffix, lang, other=_name(other, lang),
                             items=_t("name_sep", lang).join(items),
                             option=_name(reference, lang), months=months,
                             value=money(gap, lang)))  # fmt: skip

    # the horizon: crossover month, or an option gaining by the end of the run
    crossover: dict[str, int | None] = {}
    if len(comparison.monthly):
        cum = _cumulative(comparison.monthly)
        for other in options:
            if other == leader:
                continue
            month = crossover_month(cum[leader] - cum[other])
            crossover[other] = month
            if month is not None:
                points.append(_t("crossover", lang, option=L, other=_name(other, lang),
                                 month=month, months=months))  # fmt: skip
        window = min(END_MONTHS, max(months // 3, 1))
        for other in options:
            if other == leader:
                continue
            trend = _end_trend(comparison.monthly, leader, other, window, level)
            gain = trend["mean"]
            deficit = float(cum[leader].iloc[-1] - cum[other].iloc[-1])
            # said only when the monthly gain is clear and the catch-up within another horizon
            if trend["ci_low"] > 0 and deficit > 0 and deficit / gain <= months:
                after = math.ceil(deficit / gain)
                points.append(_t("overtake_later", lang, other=_name(other, lang), option=L,
                                 gain=money(gain, lang), window=window, after=after))  # fmt: skip

    # the risk: sales carried by the top manager
    top = _top_share(comparison.managers)
    if len(top):
        parts = [_t("risk_item", lang, option=_name(o, lang), share=top[o] * 100)
                 for o in options if o in top.index]  # fmt: skip
        points.append(_t("risk", lang, items=_t("list_sep", lang).join(parts)))

    points.append(_t("uncertainty", lang, n=n_reps, level=round(level * 100)))
    return Recommendation(best, leader, runner, headline, points, crossover, diffs, lang,
                          best or suggested, measure)  # fmt: skip


def rank_measure(runs: pd.DataFrame, rank_on: str | None = None) -> str:
    """The yardstick to rank *runs* on: *rank_on* if given (checked), else customer value
    created when every run has it, else net contribution.

    >>> rank_measure(pd.DataFrame({"net_contribution": [1.0]}))
    'net_contribution'
    """
    if rank_on is not None:
        if rank_on not in RANK_ON:
            raise ParameterError(
                f"parameter 'rank_on' must be one of {list(RANK_ON)}; got {rank_on!r}"
            )
        if rank_on not in runs or runs[rank_on].isna().any():
            raise ParameterError(f"parameter 'rank_on': the runs have no {rank_on!r} to rank on")
        return rank_on
    if "value_created" in runs and runs["value_created"].notna().all():
        return "value_created"
    return "net_contribution"


def _lean(diff: Any, runs: pd.DataFrame, leader: str, runner: str,
          lang: str, kpis: tuple[str, ...] = TRADE_OFF_KPIS,
          ) -> tuple[str, str, str] | None:  # fmt: skip
    """When net contribution cannot separate the two leading options: the one that is clearly
    and materially (:data:`MATERIAL`) better on some other KPI and clearly and materially worse
    on none, with those KPIs named; else None."""
    wins: dict[str, list[str]] = {leader: [], runner: []}
    for k in kpis:
        direction = KPI[k].higher_is_better
        if k not in runs or direction is None:
            continue
        row = diff(runner, k)  # leader minus runner-up
        scale = 1.0 if KPI[k].unit == "share" else abs(
            float(runs.loc[runs["scenario"] == runner, k].mean()))  # fmt: skip
        if not row["clear"] or abs(row["mean_difference"]) < MATERIAL * scale:
            continue
        good_for_leader = (row["mean_difference"] > 0) == direction
        wins[leader if good_for_leader else runner].append(_t(f"kpi_short_{k}", lang))
    for option, other in ((runner, leader), (leader, runner)):
        if wins[option] and not wins[other]:
            return option, other, _t("name_sep", lang).join(wins[option])
    return None
