"""The calibration report (``crmsim calibrate``): how each file was read, the history, the
estimates with their intervals, the observed moves between stages, the back-test, the book, the
probability-alive cross-check and the notes, as tables for people and one page.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crmsim.calibrate import FIT_MEASURES, Calibration
from crmsim.calibrate.result import FAIR_FIT, GOOD_FIT
from crmsim.io import ReadingReport
from crmsim.report import Report, new_figure
from crmsim.terms import STAGES, STATES, label


def _fmt_share(x: float) -> str:
    return "" if pd.isna(x) else f"{x:.0%}"


def _fmt_money(x: float) -> str:
    return "" if pd.isna(x) else f"{x:,.0f}"


def estimates_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """The estimates with labelled columns (what the report and the command line show)."""
    return cal.summary(lang)


def fit_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """The back-test per measure, labelled: actual and simulated means, difference, months
    inside the simulated range, verdict."""
    s = cal.fit_summary
    rows = []
    for r in s.itertuples():
        money = r.measure.startswith("revenue")
        fmt = _fmt_money if money else (lambda x: "" if pd.isna(x) else f"{x:,.1f}")
        rows.append({
            label("calibrate.col.measure", lang): label(f"calibrate.measure.{r.measure}", lang),
            label("calibrate.col.actual", lang): fmt(r.actual_mean),
            label("calibrate.col.simulated", lang): fmt(r.simulated_mean),
            label("calibrate.col.range", lang): (f"{fmt(r.low)} – {fmt(r.high)}"
                                                 if not pd.isna(r.low) else ""),
            label("calibrate.col.difference", lang): ("" if pd.isna(r.relative_difference)
                                                      else f"{r.relative_difference:+.1%}"),
            label("calibrate.col.inside", lang): _fmt_share(r.inside_share),
            label("calibrate.col.verdict", lang): label(f"calibrate.verdict.{r.verdict}", lang),
            label("calibrate.col.thresholds", lang): label("calibrate.thresholds", lang).format(
                good=f"{GOOD_FIT:.0%}", fair=f"{FAIR_FIT:.0%}"),
        })  # fmt: skip
    return pd.DataFrame(rows)


def observed_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """Figures of the history, labelled."""
    o = cal.observed
    values = []
    for m, x in zip(o["measure"], o["value"], strict=True):
        if m.startswith("annual_loss"):
            values.append(_fmt_share(x))
        elif m == "new_customers_per_month":
            values.append("" if pd.isna(x) else f"{x:.1f}")
        else:
            values.append(f"{int(x):,}")
    return pd.DataFrame({
        label("calibrate.col.measure", lang): [label(f"calibrate.observed.{m}", lang)
                                               for m in o["measure"]],
        label("calibrate.col.figure", lang): values,
        label("calibrate.col.note", lang): o["note"],
    })  # fmt: skip


def transitions_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """Observed moves, rows and columns labelled by stage."""
    t = cal.transitions.copy()
    t.index = [label(s, lang) for s in STATES]
    t.columns = [label(s, lang) for s in STATES]
    t.index.name = label("calibrate.col.from_to", lang)
    return t.reset_index()


def book_table(cal: Calibration, lang: str = "en") -> pd.DataFrame:
    """Customers per stage in the scenario's book."""
    counts = cal.book["stage"].value_counts().reindex(list(STAGES), fill_value=0)
    return pd.DataFrame({
        label("calibrate.col.stage", lang): [label(s, lang) for s in STAGES],
        label("calibrate.col.customers", lang): counts.to_numpy(),
    })  # fmt: skip


def alive_table(cal: Calibration, lang: str = "en") -> pd.DataFrame | None:
    """The BG/NBD agreement table, labelled (None without the cross-check)."""
    a = cal.alive_agreement
    if a is None:
        return None
    return pd.DataFrame({
        label("calibrate.col.stage", lang): [label(s, lang) for s in a["stage"]],
        label("calibrate.col.probably_alive", lang): a["probably_alive"].to_numpy(),
        label("calibrate.col.probably_gone", lang): a["probably_gone"].to_numpy(),
        label("calibrate.col.mean_probability_alive", lang): [
            "" if pd.isna(x) else f"{x:.2f}" for x in a["mean_probability_alive"]],
    })  # fmt: skip


def alive_params_table(cal: Calibration, lang: str = "en") -> pd.DataFrame | None:
    """The probability-alive model's fitted parameters (None without the cross-check)."""
    a = cal.meta.get("alive")
    if a is None:
        return None
    return pd.DataFrame({
        label("calibrate.col.parameter", lang): list(a["params"]),
        label("calibrate.col.estimate", lang): [f"{x:.4g}" for x in a["params"].values()],
    })  # fmt: skip


def alive_intro(cal: Calibration, lang: str = "en") -> str:
    """What the probability-alive model is, what it assumes and its fitted parameters."""
    a = cal.meta["alive"]
    params = ", ".join(f"{k} {x:.4g}" for k, x in a["params"].items())
    return label("calibrate.alive_intro", lang).format(
        unit=label(f"calibrate.alive_unit.{a['unit']}", lang),
        model=label(f"calibrate.alive_model.{a['model']}", lang),
        assumes=label(f"calibrate.alive_assumes.{a['model']}", lang), params=params)


def fit_summary_lines(cal: Calibration, lang: str = "en") -> list[str]:
    """One sentence per back-test series: months inside the simulated 95% range, verdict."""
    s = cal.fit_summary.set_index("measure")
    months = int(cal.fit["month"].max()) if len(cal.fit) else 0
    lines = []
    for measure in FIT_MEASURES:
        if measure not in s.index:
            continue
        r = s.loc[measure]
        lines.append(label("calibrate.summary_line", lang).format(
            measure=label(f"calibrate.measure.{measure}", lang),
            inside=int(round(r["inside_share"] * months)), months=months,
            verdict=label(f"calibrate.verdict.{r['verdict']}", lang)))  # fmt: skip
    return lines


def calibration_report(
    cal: Calibration,
    *,
    readings: dict[str, ReadingReport] | None = None,
    files: dict[str, Path] | None = None,
    lang: str = "en",
    tables: list[tuple[str, pd.DataFrame]] | None = None,
) -> Report:
    """The HTML report of a calibration (not yet written: call ``.write(folder)``).

    *tables*, if given, collects (title, table) pairs in reading order for printing.
    """
    from crmsim.plots.calibration import plot_calibration_fit

    collected = tables if tables is not None else []

    def add(rep: Report, title: str, table: pd.DataFrame) -> None:
        collected.append((title, table))
        rep.table(table, caption=title)

    m = cal.meta
    rep = Report(label("calibrate.title", lang).format(source=m["source"]))
    rep.text(label("calibrate.intro", lang).format(
        rows=f"{m['rows']:,}", customers=f"{m['customers']:,}",
        start=m["history_start"].date(), as_of=m["as_of"].date(), months=m["months"],
        scenario_start=cal.scenario.book.start_date, book=f"{len(cal.book):,}"))  # fmt: skip
    if len(cal.fit):
        rep.heading(label("calibrate.section.summary", lang))
        lines = [*fit_summary_lines(cal, lang), label("calibrate.summary_why", lang)]
        for line in lines:
            rep.text(line)
        collected.append((label("calibrate.section.summary", lang),
                          pd.DataFrame({label("calibrate.col.note", lang): lines})))  # fmt: skip
    if files:
        rep.heading(label("calibrate.section.files", lang))
        rep.table(pd.DataFrame({
            label("calibrate.col.what", lang): [label(f"calibrate.file.{k}", lang) for k in files],
            label("calibrate.col.file", lang): [str(p) for p in files.values()],
        }))  # fmt: skip
    for reading in (readings or {}).values():
        rep.heading(f"{label('reading.title', lang)}: {Path(str(reading.source)).name}")
        rep.table(reading.summary(lang))
        rep.table(reading.columns_table(lang), caption=label("reading.columns_title", lang))
        if reading.rejected:
            rep.table(reading.rejected_table(lang), caption=label("reading.rejected_title", lang))
        for note in reading.note_texts(lang):
            rep.text(note, note=True)

    rep.heading(label("calibrate.section.history", lang))
    add(rep, label("calibrate.section.history", lang), observed_table(cal, lang))

    rep.heading(label("calibrate.section.estimates", lang))
    rep.text(label("calibrate.estimates_intro", lang))
    add(rep, label("calibrate.section.estimates", lang), estimates_table(cal, lang))

    rep.heading(label("calibrate.section.transitions", lang))
    rep.text(label("calibrate.transitions_intro", lang))
    add(rep, label("calibrate.section.transitions", lang), transitions_table(cal, lang))

    rep.heading(label("calibrate.section.fit", lang))
    if len(cal.fit):
        rep.text(label("calibrate.fit_intro", lang).format(
            replications=m["replications"], fit_start=m["fit_start"].date(),
            replayed=m.get("backtest_new_customers", 0),
            months=int(cal.fit["month"].max()), good=f"{GOOD_FIT:.0%}",
            fair=f"{FAIR_FIT:.0%}"))  # fmt: skip
        add(rep, label("calibrate.section.fit", lang), fit_table(cal, lang))
        fig, ax = new_figure(8, 4.5)
        plot_calibration_fit(cal.fit, "revenue", ax=ax, lang=lang)
        rep.figure(fig, "fit_revenue", label("calibrate.chart.revenue", lang))
        fig, ax = new_figure(8, 5)
        plot_calibration_fit(cal.fit, [f for f in FIT_MEASURES if f.startswith("customers_")],
                             ax=ax, lang=lang)  # fmt: skip
        rep.figure(fig, "fit_stages", label("calibrate.chart.stages", lang))
    else:
        rep.text(label("calibrate.no_fit", lang), note=True)

    rep.heading(label("calibrate.section.book", lang))
    add(rep, label("calibrate.section.book", lang), book_table(cal, lang))

    agreement = alive_table(cal, lang)
    if agreement is not None:
        rep.heading(label("calibrate.section.alive", lang))
        rep.text(alive_intro(cal, lang))
        add(rep, label("calibrate.section.alive", lang), agreement)
        model = label(f"calibrate.alive_model.{cal.meta['alive']['model']}", lang)
        add(rep, model, alive_params_table(cal, lang))

    rep.heading(label("calibrate.section.notes", lang))
    notes = cal.note_texts(lang)
    for note in notes:
        rep.text(note, note=True)
    collected.append((label("calibrate.section.notes", lang),
                      pd.DataFrame({label("calibrate.col.note", lang): notes})))  # fmt: skip
    return rep
