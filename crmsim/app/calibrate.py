"""``crmsim calibrate``: from a company's transaction export to a calibrated scenario and its
fit report, in one command.

The user's files are read with :func:`crmsim.read_table` (UTF-8 or GBK CSV, .xlsx, Chinese
headers such as 客户编号 / 交易日期 / 销售额, ``¥1,200``, ``2022年1月3日``) and never modified.
:func:`calibrate_file` checks every output first and refuses to replace one unless
``overwrite=True`` (``--force``), reads the files, runs :func:`crmsim.calibrate.calibrate`,
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

from crmsim._validation import date_column
from crmsim.calibrate import Calibration, calibrate
from crmsim.calibrate.backtest import BACKTEST_REPLICATIONS
from crmsim.errors import DataError, ParameterError
from crmsim.io import ReadingReport, read_table, resolve_column
from crmsim.io.dates import date_or_none
from crmsim.io.reading import _locate
from crmsim.report import check_output_folder
from crmsim.report.calibration import calibration_report
from crmsim.sim.scenario import Scenario
from crmsim.terms import label, money

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
    path: str | Path, encoding: str | None, sheet: str | int, dayfirst: bool | None = None
) -> tuple[pd.DataFrame, ReadingReport]:
    return read_table(path, rename="auto", encoding=encoding, sheet_name=sheet, report=True,
                      dayfirst=dayfirst)  # fmt: skip


def _dated(table: pd.DataFrame, reading: ReadingReport, column: str, id_col: str,
           dayfirst: bool | None) -> pd.DataFrame:  # fmt: skip
    """*table* with its date column parsed by the kit's one date policy, or an error naming
    the file, the rows and the option that helps: never a row silently dropped."""
    if pd.api.types.is_datetime64_any_dtype(table[column]):
        return table
    name = _name(reading.source)
    where = f"{name}, sheet {reading.sheet!r}" if reading.sheet is not None else name
    undecided = reading.undecided_dates.get(column)
    if undecided is not None:
        raise DataError(undecided.message(column, where, cli=False),
                        cli=undecided.message(column, where, cli=True))  # fmt: skip
    try:
        dates = date_column(table, column, source=where, id_column=id_col, serial=True,
                            dayfirst=dayfirst)  # fmt: skip
    except DataError as exc:
        raise DataError(_locate(str(exc), where, reading),
                        cli=_locate(exc.cli_message, where, reading)) from None
    return table.assign(**{column: dates.to_numpy()})


def _as_of(as_of: Any, dayfirst: bool | None) -> Any:
    """--as-of read by the kit's date policy: 03/02/2024 needs --dayfirst or --monthfirst."""
    if not isinstance(as_of, str):
        return as_of
    stamp = date_or_none(as_of, dayfirst=dayfirst)
    if stamp is None:
        raise ParameterError(
            f"parameter 'as_of' must be a date such as '2024-12-31'; got {as_of!r}",
            cli=f"option --as-of {as_of!r} is not a date the kit reads without doubt; write it "
            "as 2024-12-31" + (", or give --dayfirst or --monthfirst" if "/" in as_of
                               or "." in as_of else ""),
        )
    return stamp


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
    replications: int = BACKTEST_REPLICATIONS,
    seed: int = 0,
    alive: bool | str = False,
    alive_unit: str = "day",
    lang: str = "en",
    workers: int | None = None,
    currency: str = "CNY",
    dayfirst: bool | None = None,
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
    cohort, months, replications, seed, alive, alive_unit, workers
        As in :func:`crmsim.calibrate.calibrate`.
    lang : {"en", "zh", "both"}
        Language of the report.
    currency : str
        Currency of the amounts in the history (ISO code, e.g. ``"USD"`` for CDNOW): the
        calibrated scenario's ``currency``, and the money named in its report.
    dayfirst : bool, optional
        Order of dates written day/month/year (True) or month/day/year (False); default:
        decided per column by a date with a day above 12, else refused (``--dayfirst``).

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

    as_of = _as_of(as_of, dayfirst)
    tx, tx_reading = _read(path, encoding, sheet, dayfirst)
    readings = {"transactions": tx_reading}
    id_col = _column(tx, tx_reading, id, "customer_id", "--id")
    date_col = _column(tx, tx_reading, date, "date", "--date")
    value_col = _column(tx, tx_reading, value, "amount", "--value", VALUE_CANDIDATES)
    if id_col in tx_reading.scientific:
        raise DataError(f"{_name(path)}: column {id_col!r} (the customer id) holds ids in "
                        f"scientific notation such as {tx_reading.scientific[id_col]!r}: Excel "
                        "shortened them and different customers may now share one id; format "
                        "the column as text in Excel (Format Cells > Text), export the ids again "
                        "and save the file again")  # fmt: skip
    tx = _dated(tx, tx_reading, date_col, id_col, dayfirst)
    cust = team = None
    if customers is not None:
        cust, readings["customers"] = _read(customers, encoding, sheet, dayfirst)
        if "first_purchase" in cust.columns:
            cust = _dated(cust, readings["customers"], "first_purchase", cust.columns[0],
                          dayfirst)  # fmt: skip
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
        team, readings["managers"] = _read(managers, encoding, sheet, dayfirst)
    sources = {k: _name(r.source) for k, r in readings.items()}
    try:
        cal = calibrate(
            tx, cust, team, as_of=as_of, id=id_col, date=date_col, value=value_col,
            cohort=cohort, months=months, replications=replications, seed=seed, alive=alive,
            alive_unit=alive_unit, sources=sources, workers=workers,
            base=Scenario(currency=currency),
        )  # fmt: skip
    except DataError as exc:
        raise DataError(_in_file(str(exc), readings),
                        cli=_in_file(exc.cli_message, readings)) from None

    written = cal.write_scenario(scenario_path, overwrite=overwrite)  # atomic, escaped CSVs
    output = CalibrationOutput(calibration=cal, files={**written, "report": files["report"]})
    with money(currency=cal.scenario.currency):  # the history's own currency, not CNY
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
