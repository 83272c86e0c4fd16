"""Lesson 07 app: which account-manager structure (客户经理制) fits which company.

:func:`structure_explorer` describes a company with a few controls — business lines, need
complexity, share of customers needing special expertise, share needing confidentiality, a size
preset — and simulates the chosen structures on it over common random numbers
(:func:`crmsim.sim.compare`). It shows net contribution, revenue, retention and service level per
structure, each with its 95% interval, and the paired difference of net contribution against the
first structure chosen.

To answer quickly it is a simulation app run **small**: a classroom-size book (150 or 300
customers), a **12-month horizon**, **3 replications**, and a **cache** keyed by the company
profile and structure, so a structure already simulated for a profile is never run again
(switching structures on and off, or going back to a profile, costs only the redraw). A profile
not seen before still takes about 0.4-0.5 s per chosen structure (see
``benchmarks/bench_widgets_structures.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as W
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import ParameterError
from crmsim.plots._fonts import use_cjk_font
from crmsim.plots.simulation import scenario_label
from crmsim.sim.experiments import compare
from crmsim.sim.scenario import Scenario
from crmsim.sim.stats import mean_ci
from crmsim.terms import STRUCTURES, label, resolve_language
from crmsim.widgets._app import App, show_figure

__all__ = ["SIZE_PRESETS", "StructureView", "profile_scenario", "structure_compute",
           "structure_explorer"]

#: The KPIs the app shows, in order.
SHOWN_KPIS: tuple[str, ...] = ("value_created", "net_contribution", "revenue", "service_level")

#: The yardstick the structures are ranked on (customer value created, crmsim.sim.scenario.value).
RANK_ON = "value_created"

#: Size presets: customers, managers, wallet scale and spread of the synthetic book.
SIZE_PRESETS: dict[str, dict[str, float]] = {
    "small": {"n_customers": 150, "n_managers": 6, "wallet_scale": 1.0, "wallet_spread": 0.9},
    "classroom": {"n_customers": 300, "n_managers": 10, "wallet_scale": 1.0, "wallet_spread": 0.9},
    "key_accounts": {"n_customers": 300, "n_managers": 10, "wallet_scale": 4.0,
                     "wallet_spread": 1.2},
}


def profile_scenario(
    business_lines: int = 1,
    need_complexity: float = 0.0,
    expertise_share: float = 0.0,
    confidential_share: float = 0.0,
    size: str = "classroom",
    *,
    months: int = 12,
    trained_at_start: bool = False,
) -> Scenario:
    """A synthetic scenario for one company profile (lead rates scaled to the book's size).

    Parameters
    ----------
    business_lines : int
        Business lines selling to the same customers (``company.business_lines``, at least 1).
    need_complexity, expertise_share, confidential_share : float
        The ``company`` section's shares, each in [0, 1].
    size : {"small", "classroom", "key_accounts"}
        A :data:`SIZE_PRESETS` entry.
    months : int
        Horizon.
    trained_at_start : bool
        Whether the firm already has account management, organised as a dedicated post with a
        trained team (default False: the firm is newly organising its account management
        (``company.current_structure = "none"``), so every structure pays its reorganisation,
        as in the ``scenarios/fit_*.toml`` files).

    Returns
    -------
    Scenario

    Examples
    --------
    >>> s = profile_scenario(3, 0.5, size="small")
    >>> s.book.n_customers, s.company.business_lines, s.months
    (150, 3, 12)
    """
    if size not in SIZE_PRESETS:
        raise ParameterError(f"parameter 'size' must be one of {list(SIZE_PRESETS)}; got {size!r}")
    preset = SIZE_PRESETS[size]
    return Scenario.synthetic(int(preset["n_customers"]), int(preset["n_managers"]),
                              months=months).with_(
        {
            "name": f"profile ({size})",
            "book.seed": 2024,
            "book.wallet_scale": preset["wallet_scale"],
            "book.wallet_spread": preset["wallet_spread"],
            "company.business_lines": business_lines,
            "company.need_complexity": need_complexity,
            "company.expertise_share": expertise_share,
            "company.confidential_share": confidential_share,
            "company.current_structure": "dedicated_post" if trained_at_start else "none",
        }
    )


@dataclass(frozen=True)
class StructureView:
    """What :func:`structure_explorer` shows for one setting of its controls.

    Attributes
    ----------
    summary : DataFrame
        ``structure, kpi, mean, ci_low, ci_high`` for each chosen structure and each of
        :data:`SHOWN_KPIS` (95% t intervals over replications).
    differences : DataFrame
        ``structure, baseline, mean_difference, ci_low, ci_high``: customer value created minus
        the baseline's, replication by replication (common random numbers).
    runs : DataFrame
        ``structure, replication`` and every KPI, one row per run.
    best : str
        The structure with the highest mean customer value created.
    """

    summary: pd.DataFrame
    differences: pd.DataFrame
    runs: pd.DataFrame
    best: str


def structure_compute(
    structures: tuple[str, ...] | list[str],
    business_lines: int = 1,
    need_complexity: float = 0.0,
    expertise_share: float = 0.0,
    confidential_share: float = 0.0,
    size: str = "classroom",
    *,
    months: int = 12,
    replications: int = 3,
    seed: int = 7,
    cache: dict | None = None,
) -> StructureView:
    """Simulate the chosen structures on one company profile; KPIs with 95% intervals.

    Each structure is run on the same replication seeds (common random numbers), so the paired
    differences against the first structure remove the noise the structures share. Runs already
    in *cache* (same profile, structure, months, replications and seed) are reused.

    Parameters
    ----------
    structures : sequence of str
        At least one of :data:`crmsim.terms.STRUCTURES`; the first is the baseline.
    business_lines, need_complexity, expertise_share, confidential_share, size
        The company profile (see :func:`profile_scenario`).
    months, replications, seed
        Simulation settings (replications at least 2, for an interval).
    cache : dict, optional
        Filled in place with each structure's runs.

    Returns
    -------
    StructureView
    """
    structures = tuple(structures)
    if not structures:
        raise ParameterError("parameter 'structures' must name at least one structure")
    unknown = [s for s in structures if s not in STRUCTURES]
    if unknown:
        raise ParameterError(
            f"parameter 'structures' must hold names from {list(STRUCTURES)}; got {unknown}"
        )
    check_number("replications", replications, minimum=2, integer=True)
    check_number("business_lines", business_lines, minimum=1, integer=True)
    for name, value in (("need_complexity", need_complexity),
                        ("expertise_share", expertise_share),
                        ("confidential_share", confidential_share)):
        check_number(name, value, minimum=0, maximum=1)
    cache = {} if cache is None else cache
    profile = (int(business_lines), round(float(need_complexity), 6),
               round(float(expertise_share), 6), round(float(confidential_share), 6), size,
               int(months), int(replications), int(seed))
    missing = [s for s in structures if (profile, s) not in cache]
    if missing:
        base = profile_scenario(business_lines, need_complexity, expertise_share,
                                confidential_share, size, months=months)
        runs = compare({s: base.with_("structure", s) for s in missing},
                       replications=replications, seed=seed, workers=1, progress=False).runs
        for s in missing:
            cache[(profile, s)] = runs[runs["scenario"] == s].reset_index(drop=True)
    runs = pd.concat([cache[(profile, s)] for s in structures], ignore_index=True)
    runs = runs.rename(columns={"scenario": "structure"})
    rows = []
    for s in structures:
        mine = runs[runs["structure"] == s]
        for k in SHOWN_KPIS:
            ci = mean_ci(mine[k].to_numpy(dtype=float), 0.95)
            rows.append({"structure": s, "kpi": k, "mean": ci["mean"],
                         "ci_low": ci["ci_low"], "ci_high": ci["ci_high"]})
    summary = pd.DataFrame(rows)
    baseline = structures[0]
    wide = runs.pivot(index="replication", columns="structure", values=RANK_ON)
    diff_rows = []
    for s in structures[1:]:
        ci = mean_ci((wide[s] - wide[baseline]).to_numpy(dtype=float), 0.95)
        diff_rows.append({"structure": s, "baseline": baseline, "mean_difference": ci["mean"],
                          "ci_low": ci["ci_low"], "ci_high": ci["ci_high"]})
    differences = pd.DataFrame(
        diff_rows, columns=["structure", "baseline", "mean_difference", "ci_low", "ci_high"]
    )
    net = summary[summary["kpi"] == RANK_ON].set_index("structure")["mean"]
    return StructureView(summary=summary, differences=differences, runs=runs,
                         best=str(net.idxmax()))


def structure_explorer(
    *,
    months: int = 12,
    replications: int = 3,
    seed: int = 7,
    cache: dict | None = None,
    lang: str | None = None,
) -> App:
    """An app: describe a company and see which account-manager structure fits it.

    Controls: ``business_lines`` (1–6), ``need_complexity``, ``expertise_share`` and
    ``confidential_share`` (0–1), ``size`` (small / classroom / key accounts: large and unequal
    wallets) and ``structures`` (which of the four to compare; the first chosen is the baseline of
    the paired differences). The app shows a 2×2 chart — net contribution, revenue, retention and
    service level per structure with 95% intervals — and a table of the paired differences in
    net contribution.

    Responsiveness: a classroom-size book (150 or 300 customers), a 12-month horizon, 3
    replications and a cache of every (profile, structure) already simulated. A new profile costs
    three short runs per chosen structure (about 0.14 s a run, so about 0.4-0.5 s per structure
    and 1.6-2 s for all four on a shared 2-core machine: over the 1 s target; fewer structures
    chosen, or ``replications=2``, bring it near 1 s). A profile or structure seen before
    answers from the cache in under 0.1 s. Over 12 months, training and ramp-up weigh more than
    over the 24–36 months of the ``scenarios/fit_*.toml`` files, so rankings may differ from
    theirs near a tie.

    Parameters
    ----------
    months, replications, seed
        Simulation settings (replications at least 2).
    cache : dict, optional
        Runs already simulated by :func:`structure_compute` with the same settings; filled in
        place.
    lang : {"en", "zh", "both"}, optional
        Language of the labels.

    Returns
    -------
    App
        ``app.result`` is a :class:`StructureView`; ``app.cache`` holds the runs.
    """
    lang = resolve_language(lang)
    check_number("replications", replications, minimum=2, integer=True)
    cache = {} if cache is None else cache

    def t(key: str) -> str:
        return label(f"widget.structures.{key}", lang)

    style = {"description_width": "180px"}
    slider = {"min": 0.0, "max": 1.0, "step": 0.1, "continuous_update": False,
              "readout_format": ".1f", "style": style}
    controls = {
        "business_lines": W.IntSlider(value=1, min=1, max=6, description=t("business_lines"),
                                      continuous_update=False, style=style),
        "need_complexity": W.FloatSlider(value=0.0, description=t("need_complexity"), **slider),
        "expertise_share": W.FloatSlider(value=0.0, description=t("expertise_share"), **slider),
        "confidential_share": W.FloatSlider(value=0.0, description=t("confidential_share"),
                                            **slider),
        "size": W.Dropdown(options=[(t(f"size_{k}"), k) for k in SIZE_PRESETS],
                           value="classroom", description=t("size"), style=style),
        "structures": W.SelectMultiple(
            options=[(scenario_label(s, lang), s) for s in STRUCTURES], value=tuple(STRUCTURES),
            rows=4, description=t("structures"), style=style,
        ),
    }

    def compute(structures, business_lines, need_complexity, expertise_share,
                confidential_share, size) -> StructureView:
        if not structures:
            raise ValueError(t("need_structure"))
        return structure_compute(structures, business_lines, need_complexity, expertise_share,
                                 confidential_share, size, months=months,
                                 replications=replications, seed=seed, cache=cache)

    def render(view: StructureView, out: W.Output) -> None:
        from IPython.display import HTML, display

        names = list(dict.fromkeys(view.summary["structure"]))
        fig, axes = plt.subplots(2, 2, figsize=(9, 5), constrained_layout=True)
        y = np.arange(len(names))
        ticks = [scenario_label(s, lang) for s in names]
        for ax, kpi in zip(axes.ravel(), SHOWN_KPIS, strict=True):
            part = view.summary[view.summary["kpi"] == kpi].set_index("structure").loc[names]
            mean = part["mean"].to_numpy(dtype=float)
            err = np.vstack([np.nan_to_num(mean - part["ci_low"].to_numpy(dtype=float)),
                             np.nan_to_num(part["ci_high"].to_numpy(dtype=float) - mean)])
            ax.errorbar(mean, y, xerr=err, fmt="o", capsize=4)
            ax.set_yticks(y)
            ax.set_yticklabels(ticks)
            ax.invert_yaxis()
            ax.set_title(t(f"kpi_{kpi}"))
            ax.grid(axis="x", alpha=0.3)
        fig.suptitle(t("chart_title"))
        if lang != "en":
            use_cjk_font(fig)
        show_figure(fig)
        display(HTML(f"<p><b>{t('best')}:</b> {scenario_label(view.best, lang)}</p>"))
        if len(view.differences):
            d = view.differences
            table = pd.DataFrame({
                t("structure"): [scenario_label(s, lang) for s in d["structure"]],
                t("difference"): [
                    f"{m:+,.0f} [{a:+,.0f}, {b:+,.0f}]"
                    for m, a, b in zip(d["mean_difference"], d["ci_low"], d["ci_high"],
                                       strict=True)
                ],
            })
            display(HTML(f"<p>{t('differences')} "
                         f"{scenario_label(str(d['baseline'].iloc[0]), lang)}</p>"))
            display(HTML(table.to_html(index=False)))

    app = App(controls, compute, render, title=t("title"), lang=lang)
    app.cache = cache  # type: ignore[attr-defined]
    return app
