"""Lesson 04 apps: 6C credit analysis (6C分析), grades A–D and the credit policy.

- :func:`credit_explorer` — a method app: six weight sliders re-score every customer with
  :func:`crmsim.credit_score`; the app shows how many customers land in each grade (and how that
  differs from equal weights), the sales policy of each grade, and the radar chart of one
  customer chosen in a dropdown. Well under 0.3 s per change on the bundled company.
- :func:`credit_policy_explorer` — a simulation app: what a stricter or looser policy for grade D
  prospects (decline / cash only / accept on credit) does to bad debt, sales and new customers,
  using the simulation's credit mechanics (:mod:`crmsim.sim.scenario.credit`). It runs the
  **classroom
  scenario** (300 customers, 10 managers, 24 months) with **few replications** (3 by default)
  and **caches** every setting it has run, so a change costs about one second the first time and
  nothing after that.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from crmsim._validation import check_number, require_columns, require_dataframe
from crmsim.errors import ParameterError
from crmsim.methods.credit import DEFAULT_POLICIES, credit_score, grade_summary
from crmsim.plots.credit import plot_credit_radar, plot_grade_distribution
from crmsim.sim.experiments import replicate
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import mean_ci
from crmsim.terms import GRADES, SIX_C, label, resolve_language
from crmsim.widgets._app import App, show_figure

__all__ = [
    "CreditView",
    "PolicyView",
    "classroom_scenario",
    "credit_compute",
    "credit_explorer",
    "credit_policy_explorer",
    "credit_policy_compute",
]


# ---------------------------------------------------------------------------- weights app


@dataclass(frozen=True)
class CreditView:
    """What :func:`credit_explorer` shows for one setting of its controls.

    Attributes
    ----------
    scored : DataFrame
        :func:`crmsim.credit_score` of the table with the chosen weights.
    grades : DataFrame
        One row per grade A–D: ``count`` now, ``equal_weights`` (count with equal weights),
        ``change`` and ``policy`` (the grade's sales policy in words).
    regraded : int
        Customers whose grade differs from their grade under equal weights.
    customer : Series
        The scored row of the customer chosen in the dropdown.
    weights : dict
        The weights used, normalised to sum 1.
    """

    scored: pd.DataFrame
    grades: pd.DataFrame
    regraded: int
    customer: pd.Series
    weights: dict[str, float]


def credit_compute(
    table: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    customer: Any = None,
    *,
    id: str = "customer_id",
    baseline: pd.DataFrame | None = None,
) -> CreditView:
    """Score *table* with *weights* and compare the grades with equal weights.

    Parameters
    ----------
    table : DataFrame
        One row per customer with the id and the six 6C score columns.
    weights : dict, optional
        Weight of each C (see :func:`crmsim.credit_score`); ``None`` means equal weights.
    customer : optional
        Id of the customer to single out (default: the first row).
    id : str
        Id column.
    baseline : DataFrame, optional
        A precomputed equal-weights :func:`crmsim.credit_score` of *table*.

    Returns
    -------
    CreditView

    Examples
    --------
    >>> d = pd.DataFrame({"customer_id": ["x", "y"], "character": [5, 1], "capacity": [4, 2],
    ...                   "capital": [3, 3], "collateral": [4, 2], "condition": [5, 3],
    ...                   "continuity": [3, 1]})
    >>> view = credit_compute(d, dict(character=1, capacity=0, capital=0, collateral=0,
    ...                               condition=0, continuity=0))
    >>> view.scored["grade"].tolist(), view.regraded     # equal weights: A and C
    (['A', 'D'], 1)
    """
    if baseline is None:
        baseline = credit_score(table, id=id)
    scored = credit_score(table, weights, id=id)
    now = grade_summary(scored).set_index("grade")["count"]
    before = grade_summary(baseline).set_index("grade")["count"]
    grades = pd.DataFrame(
        {
            "count": now.astype("int64"),
            "equal_weights": before.astype("int64"),
            "change": (now - before).astype("int64"),
            "policy": [DEFAULT_POLICIES[g].description for g in GRADES],
        },
        index=pd.Index(list(GRADES), name="grade"),
    )
    if customer is None:
        customer = scored[id].iloc[0]
    match = scored.index[scored[id] == customer]
    if len(match) == 0:
        raise ParameterError(f"parameter 'customer': no customer with {id} {customer!r}")
    w = np.array([1.0] * len(SIX_C)) if weights is None else np.array(
        [float(weights[c]) for c in SIX_C]
    )
    return CreditView(
        scored=scored,
        grades=grades,
        regraded=int((scored["grade"].to_numpy() != baseline["grade"].to_numpy()).sum()),
        customer=scored.loc[match[0]],
        weights=dict(zip(SIX_C, (w / w.sum()).tolist(), strict=True)),
    )


def credit_explorer(
    table: pd.DataFrame,
    *,
    id: str = "customer_id",
    customers: list[Any] | None = None,
    lang: str | None = None,
) -> App:
    """An app: weight the six Cs, see the grades A–D move and one customer's radar chart.

    Controls: one integer slider (0–5, start 1) per C — ``character``, ``capacity``,
    ``capital``, ``collateral``, ``condition``, ``continuity`` — and ``customer``, a dropdown of
    customer ids. Setting ``continuity`` to 0 gives the international 5 Cs. All weights at 0 is
    impossible and shown as a message.

    A method app (one :func:`crmsim.credit_score` call per change; no simulation).

    Parameters
    ----------
    table : DataFrame
        One row per customer with the id and the six score columns, e.g.
        ``crmsim.datasets.load_customers()``.
    id : str
        Id column.
    customers : list, optional
        Ids offered in the dropdown (default: every customer, in table order).
    lang : {"en", "zh", "both"}, optional
        Language of the app's labels (default: the session language).

    Returns
    -------
    App
        ``app.result`` is a :class:`CreditView`.
    """
    lang = resolve_language(lang)
    require_dataframe(table, name="table")
    require_columns(table, [id, *SIX_C], source="table")
    baseline = credit_score(table, id=id)
    ids = list(baseline[id]) if customers is None else list(customers)

    def t(key: str) -> str:
        return label(f"credit_app.{key}", lang)

    style = {"description_width": "120px"}
    controls: dict[str, W.Widget] = {
        c: W.IntSlider(value=1, min=0, max=5, step=1, description=label(c, lang),
                       continuous_update=False, style=style)
        for c in SIX_C
    }
    controls["customer"] = W.Dropdown(options=ids, value=ids[0], description=t("customer"),
                                      style=style)

    def compute(customer: Any = None, **weights: float) -> CreditView:
        return credit_compute(table, weights, customer, id=id, baseline=baseline)

    # one figure for the app's life, cleared and redrawn on every change: building a polar
    # axes costs more than drawing it. A plain Figure, so pyplot's close("all") leaves it alone.
    fig = Figure(figsize=(9, 4))
    ax_bar = fig.add_subplot(1, 2, 1)
    ax_radar = fig.add_subplot(1, 2, 2, projection="polar")
    fig.subplots_adjust(left=0.08, right=0.95, bottom=0.12, top=0.88, wspace=0.4)

    def render(view: CreditView, out: W.Output) -> None:
        from IPython.display import HTML, display

        ax_bar.cla()
        ax_radar.cla()
        plot_grade_distribution(view.scored, ax=ax_bar)
        plot_credit_radar(view.customer, ax=ax_radar, id=id)
        display(fig)
        c = view.customer
        policy = DEFAULT_POLICIES[c["grade"]].description
        display(HTML(
            t("this_customer").format(id=c[id], score=c["score"], grade=c["grade"], policy=policy)
            + "<br>" + t("regraded").format(n=view.regraded)
        ))
        shown = view.grades.rename(
            index={g: label(f"grade.{g}", lang) for g in GRADES},
            columns={"count": t("count"), "equal_weights": label("credit_app.grades", lang),
                     "change": t("change"), "policy": t("policy")},
        ).rename_axis(t("grade"))
        shown = shown.drop(columns=label("credit_app.grades", lang))
        display(HTML(f"<b>{t('grades')}</b>" + shown.to_html()))

    return App(controls, compute, render, title=t("title"), lang=lang)


# ---------------------------------------------------------------------------- policy app

#: The grade D policies of the simulation, loosest first.
_POLICIES = ("accept", "cash_only", "decline")
_KPIS = ("revenue", "bad_debt", "new_customers", "declined")


def classroom_scenario() -> Scenario:
    """The classroom company of ``scenarios/classroom.toml``: 300 customers, 10 managers, 24 months.

    Built in code so the app does not depend on the repository's ``scenarios/`` folder.

    Examples
    --------
    >>> s = classroom_scenario()
    >>> s.book.n_customers, s.book.n_managers, s.months
    (300, 10, 24)
    """
    return Scenario.synthetic(300, 10, months=24).with_(
        {"book.seed": 2024, "name": "classroom: 300 customers, 10 managers"}
    )


@dataclass(frozen=True)
class PolicyView:
    """What :func:`credit_policy_explorer` shows for one policy.

    Attributes
    ----------
    runs : DataFrame
        One row per replication: ``replication``, ``revenue``, ``bad_debt`` (CNY over the
        horizon), ``new_customers`` and ``declined`` (grade D prospects declined at agreement).
    summary : DataFrame
        Index: the four figures; columns ``mean``, ``ci_low``, ``ci_high`` (95% t interval over
        replications), ``difference``, ``diff_low``, ``diff_high`` (paired difference against
        accepting grade D on credit, same seeds).
    policy : str
        ``"accept"``, ``"cash_only"`` or ``"decline"``.
    acceptance : float
        Share of grade D prospects who accept cash-only terms (used by ``"cash_only"`` only).
    """

    runs: pd.DataFrame
    summary: pd.DataFrame
    policy: str
    acceptance: float


def _policy_runs(scenario: Scenario, replications: int, seed: int) -> pd.DataFrame:
    reps = replicate(scenario, replications, seed=seed, workers=1, progress=False)
    monthly = reps.monthly.groupby("replication")
    funnel = reps.funnel.groupby("replication")
    return pd.DataFrame(
        {
            "replication": np.arange(replications),
            "revenue": monthly["revenue"].sum().to_numpy(),
            "bad_debt": monthly["bad_debt"].sum().to_numpy(),
            "new_customers": monthly["new_customers"].sum().to_numpy(),
            "declined": funnel["declined_credit"].sum().to_numpy().astype("float64"),
        }
    )


def credit_policy_compute(
    policy: str = "cash_only",
    acceptance: float = 0.5,
    *,
    scenario: Scenario | None = None,
    replications: int = 3,
    seed: int = 1,
    cache: dict | None = None,
) -> PolicyView:
    """Simulate one grade D policy and compare it with accepting grade D on credit.

    Parameters
    ----------
    policy : {"accept", "cash_only", "decline"}
        What happens to a grade D prospect at the agreement step (``credit.grade_d_policy``).
    acceptance : float
        Share of grade D prospects who accept cash-only terms (``credit.cash_only_acceptance``).
    scenario : Scenario, optional
        Default :func:`classroom_scenario`.
    replications, seed : int
        Replications per policy, and the seed shared by all policies (common random numbers).
    cache : dict, optional
        Runs already simulated, keyed by ``(policy, acceptance)``; filled in place.

    Returns
    -------
    PolicyView
    """
    if policy not in _POLICIES:
        raise ParameterError(f"parameter 'policy' must be one of {list(_POLICIES)}; got {policy!r}")
    acceptance = check_number("acceptance", acceptance, minimum=0.0, maximum=1.0)
    replications = int(check_number("replications", replications, minimum=2, integer=True))
    scenario = classroom_scenario() if scenario is None else scenario
    cache = {} if cache is None else cache

    def runs_of(p: str, a: float) -> pd.DataFrame:
        key = (p, round(a, 6) if p == "cash_only" else None)
        if key not in cache:
            sc = scenario.with_({"credit.grade_d_policy": p, "credit.cash_only_acceptance": a})
            cache[key] = _policy_runs(sc, replications, seed)
        return cache[key]

    runs = runs_of(policy, acceptance)
    base = runs_of("accept", acceptance)
    rows = {}
    for k in _KPIS:
        level = mean_ci(runs[k].to_numpy())
        diff = mean_ci(runs[k].to_numpy() - base[k].to_numpy())
        rows[k] = {
            "mean": level["mean"], "ci_low": level["ci_low"], "ci_high": level["ci_high"],
            "difference": diff["mean"], "diff_low": diff["ci_low"], "diff_high": diff["ci_high"],
        }
    summary = pd.DataFrame.from_dict(rows, orient="index").rename_axis("kpi")
    return PolicyView(runs=runs, summary=summary, policy=policy, acceptance=acceptance)


def credit_policy_explorer(
    scenario: Scenario | None = None,
    *,
    replications: int = 3,
    seed: int = 1,
    cache: dict | None = None,
    warm: bool = True,
    lang: str | None = None,
) -> App:
    """An app: a stricter or looser policy for grade D prospects, answered by simulation.

    Controls: ``policy`` (accept on credit / cash only / decline) and ``acceptance`` (share of
    grade D prospects who accept cash-only terms, used by the cash-only policy). The app shows
    sales, bad debt, new customers and declined prospects over the horizon — mean and 95%
    interval over replications — and the paired difference against accepting grade D on credit.

    Responsiveness: the **classroom scenario** (300 customers, 10 managers, 24 months), **3
    replications** and a **cache** of every setting already run (the baseline is simulated
    once; with ``warm=True`` the three policies are run when the app is built). In the
    simulation only grade D prospects are treated differently; existing customers keep their
    terms, and every customer on credit loses ``credit.bad_debt_rate`` of its purchases per
    grade.

    Parameters
    ----------
    scenario : Scenario, optional
        Default :func:`classroom_scenario`.
    replications : int
        Replications per setting (at least 2, for an interval).
    seed : int
        Shared by every setting (common random numbers).
    cache : dict, optional
        Runs already simulated by :func:`credit_policy_compute` with the same scenario,
        replications and seed (e.g. by a lesson's static table); filled in place.
    warm : bool
        Simulate the three policies at the starting acceptance when the app is built (about
        three times the cost of one change), so that the policy buttons answer at once.
    lang : {"en", "zh", "both"}, optional
        Language of the labels.

    Returns
    -------
    App
        ``app.result`` is a :class:`PolicyView`; ``app.cache`` holds the runs.
    """
    lang = resolve_language(lang)
    scenario = classroom_scenario() if scenario is None else scenario
    if not isinstance(scenario, Scenario):
        raise ParameterError(
            f"parameter 'scenario' must be a Scenario; got {type(scenario).__name__}"
        )
    check_number("replications", replications, minimum=2, integer=True)
    cache = {} if cache is None else cache

    def t(key: str) -> str:
        return label(f"credit_policy_app.{key}", lang)

    style = {"description_width": "160px"}
    controls = {
        "policy": W.ToggleButtons(
            options=[(t(p), p) for p in _POLICIES], value="cash_only",
            description=t("policy"), style=style,
        ),
        "acceptance": W.FloatSlider(
            value=scenario.credit.cash_only_acceptance, min=0.0, max=1.0, step=0.1,
            description=t("acceptance"), continuous_update=False, readout_format=".1f",
            style=style,
        ),
    }

    def compute(policy: str, acceptance: float) -> PolicyView:
        return credit_policy_compute(policy, acceptance, scenario=scenario,
                                     replications=replications, seed=seed, cache=cache)

    def render(view: PolicyView, out: W.Output) -> None:
        from IPython.display import HTML, display

        s = view.summary

        def fmt(x: float) -> str:
            return f"{x:,.0f}" if abs(x) >= 100 or x == 0 else f"{x:,.1f}"

        table = pd.DataFrame(
            {
                t("mean"): [fmt(v) for v in s["mean"]],
                t("ci"): [f"{fmt(a)} – {fmt(b)}" for a, b in zip(s["ci_low"], s["ci_high"],
                                                                  strict=True)],
                t("difference"): [
                    f"{d:+,.0f} [{a:+,.0f}, {b:+,.0f}]"
                    for d, a, b in zip(s["difference"], s["diff_low"], s["diff_high"],
                                       strict=True)
                ],
            },
            index=pd.Index([t(k) for k in s.index], name=t("kpi")),
        )
        fig, axes = plt.subplots(1, 2, figsize=(8, 3))
        for ax, k in zip(axes, ("bad_debt", "revenue"), strict=True):
            ax.errorbar([0], [s.loc[k, "difference"]],
                        yerr=[[s.loc[k, "difference"] - s.loc[k, "diff_low"]],
                              [s.loc[k, "diff_high"] - s.loc[k, "difference"]]],
                        fmt="o", capsize=8, markersize=8)
            ax.axhline(0, color="grey", lw=1)
            ax.set_xticks([])
            ax.set_title(f"{t(k)}: {t('difference')}")
        fig.subplots_adjust(left=0.14, right=0.98, wspace=0.45)
        show_figure(fig)
        display(HTML(table.to_html()))
        display(HTML(f"<small>{t('note').format(reps=len(view.runs), months=scenario.months)}"
                     "</small>"))

    if warm:
        # the three policies at the starting acceptance: switching policy is then instant
        for p in _POLICIES:
            compute(p, controls["acceptance"].value)
    app = App(controls, compute, render, title=t("title"), lang=lang)
    app.cache = cache  # type: ignore[attr-defined]
    return app
