"""``crmsim calibrate``: from a company's transaction export to a calibrated scenario and its
fit report, in one command.

The user's files are read with :func:`crmsim.read_table` (UTF-8 or GBK CSV, .xlsx, Chinese
headers such as 客户编号 / 交易日期 / 销售额, ``¥1,200``, ``2022年1月3日``) and never modified.
:func:`calibrate_file` checks every output first and refuses to replace one unless
``overwrite=True`` (``--force``), reads the files, runs :func:`crmsim.sim.calibrate.calibrate`,
and writes

- the scenario as TOML, with a commented header saying where it came from, and its book (the
  customers active at ``as_of`` and their managers) as two CSV files beside it;
- an HTML report: how each file was read, the history, the estimates with their intervals, the
  observed moves between stages, the back-test (charts and tables), the book, optionally the
  BG/NBD cross-check, and the notes.

Errors name the file, the row (as the file counts it) and the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim.errors import DataError
from crmsim.io import ReadingReport, read_table, resolve_column
from crmsim.io.reading import _locate
from crmsim.report import Report, check_output_folder, new_figure
from crmsim.sim.calibrate import FIT_MEASURES, Calibration, calibrate
from crmsim.terms import STAGES, STATES, label

#: Value columns tried, in order, when the user names none.
VALUE_CANDIDATES = ("amount", "sales", "value", "revenue")


@dataclass
class CalibrationOutput:
    """What :func:`calibrate_file` produced: the calibration, the files written and the tables
    to print (title, table) in reading order."""

    calibration: Calibration
    files: dict[str, Path] = field(default_factory=dict)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)


def _name(path: str | Path) -> str:
    return Path(str(path)).name


def _check_outputs(
    scenario_path: Path, report_dir: Path, inputs: list[Path], overwrite: bool
) -> dict[str, Path]:
    """Refuse before any work: an output that exists (without *overwrite*) or that is one of
    the user's input files (never, even with *overwrite*)."""
    stem = scenario_path.stem
    files = {
        "scenario": scenario_path,
        "customers": scenario_path.with_name(f"{stem}_customers.csv"),
        "managers": scenario_path.with_name(f"{stem}_managers.csv"),
    }
    resolved_inputs = {p.resolve() for p in inputs}
    for path in [*files.values(), report_dir / "index.html"]:
        if path.resolve() in resolved_inputs:
            raise DataError(
                f"output {str(path)!r} is one of your input files; choose another "
                "name with --out or --report (your files are never modified)"
            )
    if scenario_path.suffix.lower() != ".toml":
        raise DataError(f"--out must name a .toml file; got {str(scenario_path)!r}")
    if scenario_path.exists() and scenario_path.is_dir():
        raise DataError(
            f"--out {str(scenario_path)!r} is a folder; give a file name such as scenario.toml"
        )
    if not overwrite:
        for path in files.values():
            if path.exists():
                raise DataError(label("calibrate.error.output_exists", "en").format(
                    path=str(path)))  # fmt: skip
    check_output_folder(report_dir, overwrite=overwrite)
    files["report"] = report_dir / "index.html"
    return files


def _read(
    path: str | Path, encoding: str | None, sheet: str | int
) -> tuple[pd.DataFrame, ReadingReport]:
    return read_table(path, rename="auto", encoding=encoding, sheet_name=sheet, report=True)


def _column(table: pd.DataFrame, reading: ReadingReport, given: str | None, default: str,
            option: str, candidates: tuple[str, ...] = ()) -> str:  # fmt: skip
    """The column the user means (their own header or the kit's name), or the default."""
    name = _name(reading.source)
    if given is not None:
        return resolve_column(table.columns, given, reading.mapping, source=name,
                              parameter=option)  # fmt: skip
    for candidate in (default, *candidates):
        if candidate in table.columns:
            return candidate
    return resolve_column(table.columns, default, reading.mapping, source=name,
                          parameter=option)  # fmt: skip


def calibrate_file(
    path: str | Path,
    *,
    customers: str | Path | None = None,
    managers: str | Path | None = None,
    as_of: Any = None,
    out: str | Path = "scenario.toml",
    report: str | Path = "crmsim-calibration",
    overwrite: bool = False,
    value: str | None = None,
    id: str | None = None,
    date: str | None = None,
    encoding: str | None = None,
    sheet: str | int = 0,
    cohort: bool = False,
    months: int = 12,
    replications: int = 20,
    seed: int = 0,
    alive: bool = False,
    lang: str = "en",
    workers: int | None = None,
) -> CalibrationOutput:
    """Read a transaction export (and optionally customers and managers), calibrate a
    scenario, and write the scenario (TOML + book CSVs) and an HTML fit report.

    Parameters
    ----------
    path : str or Path
        Transactions: CSV or .xlsx, one row per order or order line.
    customers, managers : str or Path, optional
        Customer and account-manager tables (same formats).
    as_of : date-like, optional
        End of the history (default: end of the month of the last order).
    out : str or Path
        The scenario file (``.toml``); its book goes to ``<stem>_customers.csv`` and
        ``<stem>_managers.csv`` beside it.
    report : str or Path
        Folder of the HTML report.
    overwrite : bool
        Replace outputs that exist (``--force``); without it nothing is replaced.
    value, id, date : str, optional
        Columns of the transactions, as the file names them (销售额) or the kit does (amount).
    encoding, sheet
        As in :func:`crmsim.read_table` (applied to every file).
    cohort, months, replications, seed, alive, workers
        As in :func:`crmsim.sim.calibrate.calibrate`.
    lang : {"en", "zh", "both"}
        Language of the report.

    Raises
    ------
    crmsim.errors.DataError
        An output exists (without *overwrite*) or is an input file, or a file is unreadable or
        holds a bad value (the message names the file, row and column).
    FileNotFoundError
        An input file does not exist.
    """
    inputs = [Path(p) for p in (path, customers, managers) if p is not None]
    scenario_path, report_dir = Path(out), Path(report)
    files = _check_outputs(scenario_path, report_dir, inputs, overwrite)

    tx, tx_reading = _read(path, encoding, sheet)
    readings = {"transactions": tx_reading}
    id_col = _column(tx, tx_reading, id, "customer_id", "--id")
    date_col = _column(tx, tx_reading, date, "date", "--date")
    value_col = _column(tx, tx_reading, value, "amount", "--value", VALUE_CANDIDATES)
    cust = team = None
    if customers is not None:
        cust, readings["customers"] = _read(customers, encoding, sheet)
        if (
            id_col != "customer_id"
            and id_col not in cust.columns
            and ("customer_id" not in cust.columns)
        ):
            id_cust = resolve_column(cust.columns, id or "customer_id",
                                     readings["customers"].mapping,
                                     source=_name(customers), parameter="--id")  # fmt: skip
            cust = cust.rename(columns={id_cust: id_col})
    if managers is not None:
        team, readings["managers"] = _read(managers, encoding, sheet)
    sources = {k: _name(r.source) for k, r in readings.items()}
    try:
        cal = calibrate(
            tx, cust, team, as_of=as_of, id=id_col, date=date_col, value=value_col,
            cohort=cohort, months=months, replications=replications, seed=seed, alive=alive,
            sources=sources, workers=workers,
        )  # fmt: skip
    except DataError as exc:
        raise DataError(_in_file(str(exc), readings)) from None

    written = cal.write_scenario(scenario_path, overwrite=overwrite)
    output = CalibrationOutput(calibration=cal, files={**written, "report": files["report"]})
    rep = calibration_report(cal, readings=readings, files=output.files, lang=lang,
                             tables=output.tables)  # fmt: skip
    rep.write(report_dir, overwrite=overwrite)
    return output


def _in_file(message: str, readings: dict[str, ReadingReport]) -> str:
    """Add the rows as the file counts them (below title rows and the header) to a message
    that names a file and data rows."""
    for reading in readings.values():
        name = _name(reading.source)
        if message.startswith(name + ":"):
            where = f"{name}, sheet {reading.sheet!r}" if reading.sheet is not None else name
            return _locate(message, where, reading)
    return message


# ------------------------------------------------------------------------------- the report


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
    from crmsim.sim.plots import plot_calibration_fit

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
    if files:
        rep.heading(label("calibrate.section.files", lang))
        rep.table(pd.DataFrame({
            label("calibrate.col.what", lang): [label(f"calibrate.file.{k}", lang) for k in files],
            label("calibrate.col.file", lang): [str(p) for p in files.values()],
        }))  # fmt: skip
    for reading in (readings or {}).values():
        rep.heading(f"{label('reading.title', lang)}: {_name(reading.source)}")
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
            months=int(cal.fit["month"].max())))  # fmt: skip
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
        rep.text(label("calibrate.alive_intro", lang))
        add(rep, label("calibrate.section.alive", lang), agreement)

    rep.heading(label("calibrate.section.notes", lang))
    notes = cal.note_texts(lang)
    for note in notes:
        rep.text(note, note=True)
    collected.append((label("calibrate.section.notes", lang),
                      pd.DataFrame({label("calibrate.col.note", lang): notes})))  # fmt: skip
    return rep
