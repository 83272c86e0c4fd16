"""The report a manager takes into a meeting: one self-contained HTML page, in English or Chinese.

:func:`write_report` turns a :class:`~crmsim.sim.whatif.WhatIf` into ``index.html`` (charts
embedded as SVG images, CSS inline, no scripts, no network; it prints well) and
``tables/*.csv`` with the numbers behind every table and chart. Reading order:

1. **The answer** (first screen): the question, the options and what each changes, the
   recommendation weighing net contribution, revenue, customers, retention, service, complaints
   and risk, with its trade-offs, the horizon and the uncertainty, what a scheduled event costs,
   and the headline figures of every option.
2. **KPIs** with 95% confidence intervals and the paired differences to the baseline.
3. **Over time**: monthly and cumulative charts with confidence bands and event markers.
4. **Risk**: what a star's departure costs, and how concentrated sales are on few managers.
5. **Assumptions**: every parameter that differs from the defaults, the data the book came
   from, and what the model leaves out.
6. **The data**: the CSV files.

Every word comes from the translation catalogs (:mod:`crmsim.terms`, keys ``report.*`` and
``whatif.*``), every number is formatted for people.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim._version import __version__
from crmsim.plots.whatif import band_table, plot_bands, plot_concentration, plot_forest
from crmsim.report import Report, check_output_folder, new_figure, report_language
from crmsim.report.assumptions import (
    book_text,
    changed_for_people,
    changed_parameters,
    param_text,
    value_for_people,
)
from crmsim.report.economics import (
    add_economics_section,
    option_costs,
    report_currency,
    report_discount_rate,
    value_table,
)
from crmsim.report.sensitivity import sweep_command
from crmsim.sim.decision import money
from crmsim.sim.kpis import KPI, KPI_NAMES, display_label
from crmsim.sim.stats import mean_ci
from crmsim.sim.studies import difference_cells, estimate_cells, format_estimate
from crmsim.sim.whatif import EVENT_KPIS, WhatIf
from crmsim.terms import label, money_unit, parameter_label
from crmsim.terms import money as money_format

__all__ = [
    "GLANCE_KPIS",
    "book_text",
    "changed_parameters",
    "concentration_table",
    "report_currency",
    "sweep_command",
    "write_report",
]

#: Columns of the first screen's table, in order.
GLANCE_KPIS: tuple[str, ...] = (
    "value_created",
    "net_contribution",
    "revenue",
    "active_customers_end",
    "retention",
    "service_level",
    "complaint_rate",
)


def _t(key: str, lang: str, **values: Any) -> str:
    return label(f"whatif.report.{key}", lang).format(**values)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


# --------------------------------------------------------------------------- tables


def _value(kpi: str, x: float, signed: bool = False) -> str:
    """A KPI value in its display unit (M CNY, %, count), e.g. ``8.13`` or ``54.2``; counts of
    customers without decimals (a mean of 539.0 customers is 539)."""
    if KPI[kpi].unit == "customers" and math.isfinite(x):
        return f"{x:{'+' if signed else ''},.0f}"
    return format_estimate(x, math.nan, kpi, signed=signed)


def glance_table(
    whatif: WhatIf, lang: str, *, costs: pd.DataFrame | None = None,
    values: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The first screen's figures: one row per option, mean over the replications, with its
    net present value and headcount when given (:mod:`crmsim.report.economics`).

    Returns the table for people and the raw numbers (for the CSV).
    """
    runs = whatif.comparison.runs
    top = _top_share(whatif.comparison.managers)
    npv = values.set_index("option")["npv"] if values is not None else pd.Series(dtype=float)
    heads = costs.set_index("option")["headcount"] if costs is not None else pd.Series(dtype=float)
    unit = money_unit(lang, scale="M")
    raw_rows, rows = [], []
    for option in whatif.options:
        mine = runs[runs["scenario"] == option]
        raw = {"option": option, **{k: float(mine[k].mean()) for k in GLANCE_KPIS}}
        raw["npv"] = float(npv.get(option, math.nan))
        raw["headcount"] = float(heads.get(option, math.nan))
        raw["top_manager_share"] = float(top.get(option, math.nan))
        raw_rows.append(raw)
        row = {label("col.option", lang): whatif.label(option, lang)}
        row[display_label("net_contribution", lang)] = _value("net_contribution",
                                                              raw["net_contribution"])  # fmt: skip
        if values is not None:
            row[f"{_t('col_npv', lang)} ({unit})"] = f"{raw['npv'] / 1e6:,.2f}"
        for k in GLANCE_KPIS[1:]:
            row[display_label(k, lang)] = _value(k, raw[k])
        if costs is not None:
            row[_t("cost.headcount", lang)] = f"{raw['headcount']:,.0f}"
        row[_t("top_share_header", lang)] = (
            "" if math.isnan(raw["top_manager_share"]) else f"{raw['top_manager_share']:.0%}"
        )
        rows.append(row)
    return pd.DataFrame(rows), pd.DataFrame(raw_rows)


def _top_share(managers: pd.DataFrame) -> pd.Series:
    if managers.empty or "share_of_sales" not in managers:
        return pd.Series(dtype=float)
    top = managers.groupby(["scenario", "replication"], sort=False)["share_of_sales"].max()
    return top.groupby(level="scenario", sort=False).mean()


def kpi_table(whatif: WhatIf, lang: str, names: list[str]) -> pd.DataFrame:
    """Rows KPIs, columns options: "mean ± half-width of the 95% CI" in display units."""
    cells = estimate_cells(whatif.comparison, KPI_NAMES)
    columns: dict[str, list[str]] = {label("col.kpi", lang): [display_label(k, lang)
                                                              for k in KPI_NAMES]}  # fmt: skip
    for option in names:
        columns[whatif.label(option, lang)] = cells[option]
    return pd.DataFrame(columns)


def difference_table(whatif: WhatIf, lang: str, names: list[str]) -> pd.DataFrame:
    """Rows KPIs, columns options other than the baseline: paired difference ± half-width,
    ``*`` when the 95% interval excludes zero."""
    cells = difference_cells(whatif.comparison, KPI_NAMES)
    columns: dict[str, list[str]] = {label("col.kpi", lang): [display_label(k, lang)
                                                              for k in KPI_NAMES]}  # fmt: skip
    for option in names:
        if option != whatif.baseline:
            columns[whatif.label(option, lang)] = cells[option]
    return pd.DataFrame(columns)


def concentration_table(managers: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per option: share of sales of the largest manager and of the top fifth of managers.

    Returns
    -------
    DataFrame
        ``option, measure, mean, ci_low, ci_high`` (measures ``top_manager``, ``top_fifth``).

    Examples
    --------
    >>> m = pd.DataFrame({"scenario": "a", "replication": [0] * 5 + [1] * 5,
    ...                   "share_of_sales": [0.4, 0.3, 0.1, 0.1, 0.1] * 2})
    >>> concentration_table(m)["mean"].round(2).tolist()
    [0.4, 0.4]
    """
    rows = []
    for option, part in managers.groupby("scenario", sort=False):
        tops, fifths = [], []
        for _, run in part.groupby("replication", sort=False):
            shares = run["share_of_sales"].fillna(0.0).sort_values(ascending=False).to_numpy()
            tops.append(shares[0] if len(shares) else math.nan)
            k = max(1, math.ceil(0.2 * len(shares)))
            fifths.append(shares[:k].sum() if len(shares) else math.nan)
        for measure, values in (("top_manager", tops), ("top_fifth", fifths)):
            ci = mean_ci(pd.Series(values, dtype=float), level)
            rows.append({"option": option, "measure": measure, "mean": ci["mean"],
                         "ci_low": ci["ci_low"], "ci_high": ci["ci_high"]})  # fmt: skip
    return pd.DataFrame(rows, columns=["option", "measure", "mean", "ci_low", "ci_high"])


# --------------------------------------------------------------------------- sentences


def _option_changes(whatif: WhatIf, option: str, lang: str, limit: int = 4) -> str:
    """What *option* changes against the baseline, in a few words."""
    if option == whatif.baseline:
        return _t("is_baseline", lang)
    mine = whatif.options[option].describe().set_index("parameter")["value"]
    base = whatif.options[whatif.baseline].describe().set_index("parameter")["value"]
    items = []
    structure_done = False
    for p in mine.index:
        if p == "name" or (p in base.index and param_text(mine[p]) == param_text(base[p])):
            continue
        if p.startswith("structure."):
            if structure_done:
                continue
            structure_done = True
            items.append(_t("structure_change", lang, name=label(str(mine["structure.name"]),
                                                                   lang)))  # fmt: skip
            continue
        old = value_for_people(p, base[p], lang) if p in base.index else ""
        colon = "：" if lang == "zh" else ": "
        items.append(f"{parameter_label(p, lang)}{colon}{old} → "
                     f"{value_for_people(p, mine[p], lang)}")  # fmt: skip
    if not items:
        return _t("same_as_baseline", lang)
    shown = _sep(lang).join(items[:limit])
    if len(items) > limit:
        shown += _t("and_more", lang, n=len(items) - limit)
    return _t("changes", lang, items=shown)


def _first_mention(whatif: WhatIf, option: str, lang: str) -> str:
    """An option's name with its Chinese term beside it in an English report (e.g. "Extended
    roles (扩大工作范围)"), as the name alone otherwise."""
    shown = whatif.label(option, lang)
    other = whatif.label(option, "zh")
    return f"{shown} ({other})" if lang == "en" and other != shown else shown


def _event_text(event: Any, month: int, lang: str) -> str:
    return label(f"whatif.event.{event.key}", lang).format(month=month)


def event_sentences(whatif: WhatIf, lang: str, level: float = 0.95) -> list[str]:
    """One sentence per option with a scheduled event: what the event costs."""
    costs = whatif.event_costs(level)
    out = []
    for option, cf in whatif.counterfactuals.items():
        part = costs[costs["option"] == option].set_index("kpi")
        if part.empty:
            continue
        events = _sep(lang).join(_event_text(e, m, lang) for e, m in whatif.events[option])
        net = part.loc["net_contribution"]
        ci = label("decision.ci", lang).format(
            level=round(level * 100), low=money(net["ci_low"], lang, True),
            high=money(net["ci_high"], lang, True))  # fmt: skip
        out.append(_t(
            "event_cost", lang, option=whatif.label(option, lang), events=events,
            without=whatif.label(cf, lang), net=money(net["mean_difference"], lang, True),
            ci=ci, revenue=money(part.at["revenue", "mean_difference"], lang, True),
            defections=f"{part.at['defections', 'mean_difference']:+,.0f}",
            active=f"{part.at['active_customers_end', 'mean_difference']:+,.0f}",
        ))  # fmt: skip
    return out


def default_question(whatif: WhatIf, lang: str) -> str:
    """The question the report answers when the user gave none."""
    names = [whatif.label(o, lang) for o in whatif.options]
    if len(names) >= 2:
        listed = _t("or", lang).join([_sep(lang).join(names[:-1]), names[-1]])
        return _t("question_choose", lang, months=whatif.months, options=listed)
    option = next(iter(whatif.options))
    if option in whatif.counterfactuals:
        events = _sep(lang).join(_event_text(e, m, lang) for e, m in whatif.events[option])
        return _t("question_event", lang, events=events, months=whatif.months)
    return _t("question_single", lang, option=names[0], months=whatif.months)


# --------------------------------------------------------------------------- the report


def write_report(
    whatif: WhatIf,
    out_dir: str | Path,
    *,
    lang: str = "en",
    force: bool = False,
    title: str | None = None,
    question: str | None = None,
    currency: str | None = None,
    discount_rate: float | None = None,
    source: str | None = None,
) -> Path:
    """Write the manager's report of *whatif* into *out_dir*; return the path of index.html.

    Parameters
    ----------
    whatif : WhatIf
        From :func:`crmsim.sim.whatif.run_whatif`.
    out_dir : str or Path
        Folder for ``index.html`` and ``tables/*.csv`` (created if missing).
    lang : {"en", "zh"}
        Language of the whole report, charts included.
    force : bool
        Replace a report already in *out_dir* (default False: refuse).
    title, question : str, optional
        The page's title and the question on its first screen (defaults from the options).
    currency : str, optional
        Currency the money is named in (default: the options' ``Scenario.currency``). Money is
        written in millions throughout: tables, sentences and chart axes.
    discount_rate : float, optional
        Annual rate of the net present value (default: the options' own
        ``value.discount_rate``, the rate their customer equity is valued at).
    source : str, optional
        Where the customers and managers came from, when they were given as tables without a
        file name (e.g. the name of a file uploaded to the dashboard).

    Returns
    -------
    Path

    Raises
    ------
    crmsim.errors.DataError
        *out_dir* is an existing file, or holds an earlier report and *force* is False.

    Examples
    --------
    >>> import tempfile
    >>> from crmsim.sim.scenario import Scenario
    >>> from crmsim.sim.whatif import build_options, run_whatif
    >>> base = Scenario.synthetic(60, 3, months=3)
    >>> w = run_whatif(build_options(vary={"crm.adoption": [0, 1]}, base=base),
    ...                replications=2, seed=1, workers=1)
    >>> path = write_report(w, tempfile.mkdtemp(), lang="zh")
    >>> path.name, (path.parent / "tables" / "kpis.csv").is_file()
    ('index.html', True)
    """
    if not isinstance(whatif, WhatIf):
        raise TypeError(f"write_report needs a WhatIf from run_whatif; got {type(whatif).__name__}")
    lang = report_language(lang)
    out = check_output_folder(out_dir, overwrite=force)
    rep = build_report(whatif, lang=lang, title=title, question=question, currency=currency,
                       discount_rate=discount_rate, source=source)  # fmt: skip
    return rep.write(out, overwrite=force)


def answer(whatif: WhatIf, lang: str = "en", currency: str | None = None) -> tuple[str, list[str]]:
    """The first screen's answer: a headline and its points.

    With two options or more, the recommendation (and what each scheduled event costs); with one
    option whose scheduled event was compared with its counterfactual, what the event costs;
    otherwise the recommendation's note that there is nothing to compare.
    """
    lang = report_language(lang)
    with money_format(currency=report_currency(whatif, currency), scale="M"):
        rec = whatif.recommendation(lang)
        events = event_sentences(whatif, lang)
    if len(whatif.options) >= 2:
        return rec.headline, [*events, *rec.points]
    if events:
        uncertainty = label("decision.uncertainty", lang).format(n=whatif.replications, level=95)
        return events[0], [*events[1:], *rec.points, uncertainty]
    return rec.headline, list(rec.points)


def build_report(
    whatif: WhatIf,
    *,
    lang: str = "en",
    title: str | None = None,
    question: str | None = None,
    currency: str | None = None,
    discount_rate: float | None = None,
    source: str | None = None,
) -> Report:
    """The :class:`~crmsim.report.Report` of *whatif*, not yet written (arguments as
    :func:`write_report`)."""
    lang = report_language(lang)
    with money_format(currency=report_currency(whatif, currency), scale="M"):
        return _build(whatif, lang, title, question, discount_rate, source)


def _build(whatif: WhatIf, lang: str, title: str | None, question: str | None,
           discount_rate: float | None, source: str | None) -> Report:  # fmt: skip
    rec = whatif.recommendation(lang)
    names = {o: whatif.label(o, lang) for o in whatif.comparison.runs["scenario"].unique()}
    options = list(whatif.options)
    all_runs = list(dict.fromkeys(whatif.comparison.runs["scenario"]))
    title = title or _t("title", lang, options=_t("vs", lang).join(names[o] for o in options))
    subtitle = _t("subtitle", lang, version=__version__, n=whatif.replications,
                  months=whatif.months, seed=whatif.seed)  # fmt: skip
    rep = Report(title, lang=lang, subtitle=subtitle)
    costs = option_costs(whatif)
    discount_rate = report_discount_rate(whatif, discount_rate)
    values = value_table(whatif, discount_rate)

    # 1. the answer -----------------------------------------------------------------------
    question = question or default_question(whatif, lang)
    headline, points = answer(whatif, lang)
    for text in whatif.warnings(lang):  # the plausibility guard, before the answer
        rep.warning(text)
    rep.answer(headline, points, question=question)
    rep.heading(_t("options_heading", lang), level=3)
    colon = "：" if lang == "zh" else ": "
    rep.bullets([f"{_first_mention(whatif, o, lang)}{colon}{_option_changes(whatif, o, lang)}"
                 for o in options])  # fmt: skip
    glance, glance_raw = glance_table(whatif, lang, costs=costs, values=values)
    chosen = options.index(rec.suggested) if rec.suggested in options else None
    rep.table(glance, _t("glance_caption", lang, months=whatif.months, n=whatif.replications),
              formatted=True, highlight=chosen)  # fmt: skip
    rep.data(glance_raw, "at_a_glance")
    if chosen is not None:
        rep.text(_t("highlight_note", lang, option=names[rec.suggested]), note=True)
    if len(options) > 1:
        rep.text(_t("sweep_pointer_short", lang))

    # 2. costs, headcount, value ------------------------------------------------------------
    add_economics_section(rep, whatif, lang, costs, values, discount_rate, names)

    # 3. KPIs -------------------------------------------------------------------------------
    rep.heading(_t("kpi_heading", lang))
    rep.text(_t("kpi_intro", lang, n=whatif.replications, baseline=names[whatif.baseline]))
    rep.table(kpi_table(whatif, lang, all_runs),
              _t("kpi_caption", lang, months=whatif.months, n=whatif.replications),
              formatted=True)  # fmt: skip
    rep.data(whatif.comparison.summary, "kpis")
    if len(all_runs) > 1:
        rep.table(difference_table(whatif, lang, all_runs),
                  _t("difference_caption", lang, baseline=names[whatif.baseline]),
                  formatted=True)  # fmt: skip
        rep.data(whatif.comparison.differences, "differences")
        diff = whatif.comparison.differences
        part = diff[(diff["kpi"] == "net_contribution") & (diff["scenario"] != whatif.baseline)]
        part = part.rename(columns={"scenario": "option"})
        fig, ax = new_figure(8, 1.4 + 0.55 * max(len(part), 1))
        plot_forest(part, "net_contribution", names=names, against=names[whatif.baseline],
                    ax=ax, lang=lang)  # fmt: skip
        rep.figure(fig, "net_contribution_differences", _t("forest_caption", lang),
                   data=part.reset_index(drop=True))  # fmt: skip
    rep.data(whatif.comparison.runs, "runs")
    rep.data(rec.differences, "recommendation_differences")
    if whatif.robustness is not None:
        rep.data(whatif.robustness.draws, "uncertainty_draws")
        rep.data(whatif.robustness.table(), "uncertainty_summary")
        rep.data(whatif.robustness.parameters, "uncertainty_parameters")

    # 4. over time --------------------------------------------------------------------------
    rep.heading(_t("time_heading", lang))
    rep.text(_t("time_intro", lang))
    markers = _event_markers(whatif, lang)
    cum = band_table(whatif.comparison.monthly, "net_contribution", cumulative=True)
    crossovers = {
        _t("crossover_marker", lang, option=names[rec.leader], other=names[o]): m
        for o, m in rec.crossover.items() if m is not None
    }  # fmt: skip
    styles = _line_styles(whatif)
    fig, ax = new_figure(9, 4.4)
    plot_bands(cum, "net_contribution", names=names, events=markers, crossovers=crossovers,
               cumulative=True, styles=styles, ax=ax, lang=lang)  # fmt: skip
    rep.figure(fig, "cumulative_net_contribution", _t("cumulative_caption", lang), data=cum)
    for column in ("net_contribution", "revenue", "active_customers", "service_level"):
        bands = band_table(whatif.comparison.monthly, column)
        fig, ax = new_figure(9, 4.0)
        plot_bands(bands, column, names=names, events=markers, styles=styles, ax=ax, lang=lang)
        rep.figure(fig, f"monthly_{column}", _t(f"monthly_caption_{column}", lang), data=bands)

    # 5. risk -------------------------------------------------------------------------------
    rep.heading(_t("risk_heading", lang))
    if whatif.counterfactuals:
        _event_blocks(rep, whatif, lang)
    else:
        rep.text(_t("no_event", lang))
    conc = concentration_table(whatif.comparison.managers)
    if len(conc):
        fig, ax = new_figure(9, 1.4 + 0.5 * conc["option"].nunique())
        plot_concentration(conc, names=names, ax=ax, lang=lang)
        rep.figure(fig, "concentration", _t("concentration_caption", lang), data=conc)

    # 6. assumptions ------------------------------------------------------------------------
    rep.heading(_t("assumptions_heading", lang))
    scenarios = {o: whatif.scenarios[o] for o in all_runs}
    changed = changed_parameters(scenarios)
    if len(changed):
        rep.table(changed_for_people(scenarios, names, lang), _t("changed_caption", lang),
                  csv="parameters_changed", formatted=True, raw=changed)  # fmt: skip
    else:
        rep.text(_t("nothing_changed", lang))
    rep.heading(_t("data_heading", lang), level=3)
    books = dict.fromkeys(book_text(whatif.options[o], lang, source) for o in options)
    rep.bullets(list(books))
    rep.heading(_t("leaves_out_heading", lang), level=3)
    rep.bullets([_t(f"leaves_out_{i}", lang) for i in range(1, 7)])
    rep.heading(_t("method_heading", lang), level=3)
    rep.text(_t("method", lang, n=whatif.replications, seed=whatif.seed, version=__version__))
    hashes = pd.DataFrame({
        label("col.option", lang): [names[o] for o in all_runs],
        _t("col_hash", lang): [whatif.scenarios[o].hash()[:12] for o in all_runs],
    })  # fmt: skip
    rep.table(hashes, _t("hash_caption", lang), formatted=True)
    if len(options) > 1:
        rep.heading(_t("sweep_pointer_heading", lang), level=3)
        rep.text(_t("sweep_pointer", lang))
        rep.code(sweep_command(whatif))

    # 7. the data ---------------------------------------------------------------------------
    rep.heading(_t("data_files_heading", lang))
    rep.text(_t("data_files", lang, currency=money_unit(lang, scale="1")))
    rep.links(sorted(f"tables/{name}.csv" for name in rep._csv))
    return rep


def _event_blocks(rep: Report, whatif: WhatIf, lang: str) -> None:
    """The event-cost table and the chart of its cumulative cost."""
    names = {o: whatif.label(o, lang) for o in whatif.scenarios}
    rep.text(_t("event_intro", lang))
    costs = whatif.event_costs()
    rep.table(_event_cost_table(costs, whatif, lang), _t("event_caption", lang), formatted=True)
    rep.data(costs, "event_costs")
    gap = _event_gap(whatif)
    fig, ax = new_figure(9, 4.0)
    plot_bands(gap, "net_contribution", names=names, events=_event_markers(whatif, lang),
               cumulative=True, ax=ax, lang=lang)  # fmt: skip
    ax.set_title(_t("event_gap_title", lang))
    rep.figure(fig, "event_cost_over_time", _t("event_gap_caption", lang), data=gap)


def add_event_section(rep: Report, whatif: WhatIf, lang: str = "en") -> list[str]:
    """Add "what the scheduled event costs" to *rep* (answer box, table, chart); return its
    sentences (for the command line). Used by ``crmsim simulate``."""
    sentences = event_sentences(whatif, lang)
    if not sentences:
        return []
    rep.heading(_t("event_heading", lang))
    uncertainty = label("decision.uncertainty", lang).format(n=whatif.replications, level=95)
    rep.answer(sentences[0], [*sentences[1:], uncertainty],
               question=default_question(whatif, lang))  # fmt: skip
    _event_blocks(rep, whatif, lang)
    return sentences


def _line_styles(whatif: WhatIf) -> dict[str, dict[str, str]]:
    """One colour per option; its counterfactual in the same colour, dashed."""
    styles: dict[str, dict[str, str]] = {}
    for i, option in enumerate(whatif.options):
        styles[option] = {"color": f"C{i % 10}"}
        cf = whatif.counterfactuals.get(option)
        if cf is not None and cf not in whatif.options:
            styles[cf] = {"color": f"C{i % 10}", "linestyle": "--"}
    return styles


def _event_markers(whatif: WhatIf, lang: str) -> dict[str, int]:
    markers: dict[str, int] = {}
    for found in whatif.events.values():
        for event, month in found:
            markers.setdefault(label(f"whatif.chart.marker.{event.key}", lang), month)
    return markers


def _event_cost_table(costs: pd.DataFrame, whatif: WhatIf, lang: str) -> pd.DataFrame:
    rows = []
    for option, part in costs.groupby("option", sort=False):
        part = part.set_index("kpi")
        row = {label("col.option", lang): whatif.label(option, lang)}
        for k in EVENT_KPIS:
            if k not in part.index:
                continue
            mean = part.at[k, "mean_difference"]
            half = (part.at[k, "ci_high"] - part.at[k, "ci_low"]) / 2
            text = format_estimate(mean, half, k, signed=True)
            row[display_label(k, lang)] = text + (" *" if part.at[k, "clear"] else "")
        rows.append(row)
    return pd.DataFrame(rows)


def _event_gap(whatif: WhatIf) -> pd.DataFrame:
    """Per option with an event: cumulative net contribution minus its counterfactual's, by
    month, paired replication by replication (``scenario`` is the option)."""
    monthly = whatif.comparison.monthly
    parts = []
    for option, cf in whatif.counterfactuals.items():
        a = monthly[monthly["scenario"] == option].set_index(["replication", "month"])
        b = monthly[monthly["scenario"] == cf].set_index(["replication", "month"])
        gap = (a["net_contribution"] - b["net_contribution"]).rename("net_contribution")
        parts.append(gap.reset_index().assign(scenario=option))
    table = pd.concat(parts, ignore_index=True)
    return band_table(table, "net_contribution", cumulative=True)
