"""The ``crmsim`` command line: ``demo``, ``analyze``, ``simulate`` and ``calibrate``.

This is the only place (with the notebooks and widgets) that prints. Bad input ends with a one-line
message naming what is wrong and exit status 2, not a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crmsim._version import __version__
from crmsim.errors import CrmsimError
from crmsim.exercises.cli import register as register_exercises

if TYPE_CHECKING:  # pandas is imported where it is used, so that --help starts fast
    import pandas as pd


def print_table(title: str, table: pd.DataFrame, file=None) -> None:
    """Print a titled table with floats rounded for reading."""
    import pandas as pd

    from crmsim.report import format_table

    file = file or sys.stdout
    print(f"\n== {title} ==", file=file)
    with pd.option_context("display.width", 120, "display.max_columns", 20,
                           "display.max_colwidth", 60):
        print(format_table(table).to_string(), file=file)


def _cmd_demo(args: argparse.Namespace) -> int:
    from crmsim.demo import run_demo

    result = run_demo(args.out, replications=args.replications, months=args.months,
                      workers=args.workers)
    print(f"crmsim {__version__} demo: the bundled office-supplies distributor")
    for title, table in result.tables:
        print_table(title, table)
    print(f"\nReport written to {result.report_path}")
    return 0


def _cmd_analyze(args: argparse.Namespace) -> int:
    from crmsim.analyze import analyze_file

    header_row = None
    if args.header_row is not None:
        try:
            header_row = tuple(int(x) for x in args.header_row.split(","))
        except ValueError:
            print(f"crmsim analyze: error: --header-row must be a row number such as 3, or two "
                  f"such as 3,4; got {args.header_row!r}", file=sys.stderr)
            return 2
    try:
        result = analyze_file(
            args.path, args.out, value=args.value, id=args.id, encoding=args.encoding,
            sheet_name=args.sheet, overwrite=args.force,
            header_row=header_row[0] if header_row and len(header_row) == 1 else header_row,
        )
    except PermissionError as exc:  # a locked file (open in Excel) or a read-only folder
        print(f"crmsim analyze: error: cannot access {exc.filename!r}: {exc.strerror}",
              file=sys.stderr)
        return 2
    for title, table in result.tables:
        print_table(title, table)
    print(f"\nReport written to {result.report_path}")
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    from crmsim.report import Report
    from crmsim.sim.report import (
        add_scenario_section,
        add_structure_section,
        scenario_study,
        structure_comparison,
    )
    from crmsim.sim.scenario import Scenario

    scenario = Scenario.from_toml(args.scenario)
    if args.months is not None:
        scenario = scenario.replace(months=args.months)
    rep = Report(f"crmsim simulation: {scenario.name}")
    study = scenario_study(scenario, args.replications, seed=args.seed, workers=args.workers)
    tables = add_scenario_section(rep, study)
    if args.compare_structures:
        tables += add_structure_section(
            rep, structure_comparison(args.replications, scenario.months, args.seed,
                                      base=scenario, workers=args.workers))  # fmt: skip
    changed = _changed_parameters(scenario)
    rep.heading("Parameters that differ from the defaults")
    rep.table(changed, caption=f"All other parameters: see Scenario().describe() "
              f"(scenario file {args.scenario})")  # fmt: skip
    path = rep.write(args.out)
    print(f"crmsim {__version__} simulate: {scenario.name}")
    for title, table in [*tables, ("Parameters that differ from the defaults", changed)]:
        print_table(title, table)
    print(f"\nReport written to {path}")
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from crmsim.app.calibrate import calibrate_file

    try:
        result = calibrate_file(
            args.transactions, customers=args.customers, managers=args.managers,
            as_of=args.as_of, out=args.out, report=args.report, overwrite=args.force,
            value=args.value, id=args.id, date=args.date, encoding=args.encoding,
            sheet=args.sheet, cohort=args.cohort, months=args.months,
            replications=args.replications, seed=args.seed, alive=args.alive, lang=args.lang,
            workers=args.workers,
        )  # fmt: skip
    except PermissionError as exc:  # a locked file (open in Excel) or a read-only folder
        print(
            f"crmsim calibrate: error: cannot access {exc.filename!r}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    except ImportError as exc:  # --alive without the optional extra
        print(f"crmsim calibrate: error: {exc}", file=sys.stderr)
        return 2
    cal = result.calibration
    print(f"crmsim {__version__} calibrate: {cal.meta['source']} as of {cal.meta['as_of'].date()}")
    *tables, (notes_title, notes) = result.tables
    for title, table in tables:
        print_table(title, table)
    print(f"\n== {notes_title} ==")
    for note in notes.iloc[:, 0]:
        print(textwrap.fill(note, width=100, initial_indent="- ", subsequent_indent="  "))
    print()
    for key, path in result.files.items():
        print(f"{key}: {path}")
    return 0


def _changed_parameters(scenario) -> pd.DataFrame:
    from crmsim.sim.scenario import Scenario

    mine = scenario.describe()
    default = Scenario().describe().set_index("parameter")["value"]
    differs = [
        p not in default.index or str(v) != str(default[p])
        for p, v in zip(mine["parameter"], mine["value"], strict=True)
    ]
    return mine.loc[differs, ["parameter", "value", "unit"]].reset_index(drop=True)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the tests and for --help)."""
    parser = argparse.ArgumentParser(
        prog="crmsim",
        description="CRM teaching and simulation kit: textbook methods and a SimPy model of "
        "account-manager structures.",
    )
    parser.add_argument("--version", action="version", version=f"crmsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="run every method on the bundled company, write a report")
    demo.add_argument("--out", default="crmsim-demo", help="output folder (default: crmsim-demo)")
    demo.add_argument("--replications", type=int, default=20,
                      help="replications per structure in the simulation (default: 20)")
    demo.add_argument("--months", type=int, default=36, help="simulated months (default: 36)")
    demo.add_argument("--workers", type=int, help="processes to use (default: one per core)")
    demo.set_defaults(func=_cmd_demo)

    analyze = sub.add_parser("analyze", help="ABC, concentration, pyramid, 6C on your own file")
    analyze.add_argument("path", help="CSV (UTF-8, UTF-8 with BOM, GBK; comma, semicolon, tab "
                         "or pipe) or .xlsx file")
    analyze.add_argument("--value", help="column to rank customers by, as the kit or your file "
                         "names it, e.g. amount or 销售额 (default: amount, ...)")
    analyze.add_argument("--id", default="customer_id",
                         help="customer id column, e.g. customer_id or 客户编号")
    analyze.add_argument("--encoding", help="file encoding (default: detect UTF-8 / GBK)")
    analyze.add_argument("--sheet", default=0, help="sheet name or index for .xlsx files")
    analyze.add_argument("--header-row",
                         help="row number of the header, e.g. 3, or 3,4 for two header rows "
                         "(default: found automatically)")
    analyze.add_argument("--out", default="crmsim-analysis", help="output folder")
    analyze.add_argument("--force", action="store_true",
                         help="replace a report already in the output folder")
    analyze.set_defaults(func=_cmd_analyze)

    simulate = sub.add_parser("simulate", help="run a scenario file and write a report")
    simulate.add_argument("scenario", help="scenario TOML file (see scenarios/ for examples)")
    simulate.add_argument("--replications", type=int, default=10,
                          help="replications (default: 10)")
    simulate.add_argument("--seed", type=int, default=0, help="seed of the study (default: 0)")
    simulate.add_argument("--months", type=int, help="override the scenario's horizon")
    simulate.add_argument("--compare-structures", action="store_true",
                          help="also run the scenario under each of the four structures")
    simulate.add_argument("--workers", type=int, help="processes to use (default: one per core)")
    simulate.add_argument("--out", default="crmsim-simulation", help="output folder")
    simulate.set_defaults(func=_cmd_simulate)
    calib = sub.add_parser(
        "calibrate",
        help="estimate a scenario from your transaction export, with a fit report",
        description="Estimate lifecycle transition rates, purchases per stage, order frequency, "
        "churn and the book from a transaction history; write the scenario (TOML + book CSVs) "
        "and an HTML report of the estimates and of a back-test against the history.",
    )
    calib.add_argument(
        "transactions",
        help="transactions: CSV (UTF-8 or GBK) or .xlsx, one row "
        "per order or order line (customer, date, amount)",
    )
    calib.add_argument(
        "--customers",
        help="customers table (customer_id; optional "
        "annual_wallet, first_purchase, manager_id, customer_type...)",
    )
    calib.add_argument(
        "--managers",
        help="account managers table (manager_id; optional tier, "
        "specialty, skill, monthly_cost...)",
    )
    calib.add_argument(
        "--as-of",
        help="end of the history, e.g. 2024-12-31 (default: end of the month of the last order)",
    )
    calib.add_argument(
        "--out",
        default="scenario.toml",
        help="scenario file to write (default: scenario.toml; the book goes to "
        "<name>_customers.csv and <name>_managers.csv beside it)",
    )
    calib.add_argument(
        "--report",
        default="crmsim-calibration",
        help="folder of the HTML report (default: crmsim-calibration)",
    )
    calib.add_argument(
        "--force", action="store_true", help="replace a scenario or report that already exists"
    )
    calib.add_argument(
        "--value",
        help="amount column, as your file or the kit names it, e.g. "
        "销售额 or amount (default: amount)",
    )
    calib.add_argument("--id", help="customer id column, e.g. 客户编号 (default: customer_id)")
    calib.add_argument("--date", help="date column, e.g. 交易日期 (default: date)")
    calib.add_argument("--encoding", help="file encoding (default: detect UTF-8 / GBK)")
    calib.add_argument("--sheet", default=0, help="sheet name or index for .xlsx files")
    calib.add_argument(
        "--cohort",
        action="store_true",
        help="every customer's first order is in the file (e.g. CDNOW)",
    )
    calib.add_argument(
        "--months", type=int, default=12, help="horizon of the calibrated scenario (default: 12)"
    )
    calib.add_argument(
        "--replications", type=int, default=20, help="replications of the back-test (default: 20)"
    )
    calib.add_argument("--seed", type=int, default=0, help="seed (default: 0)")
    calib.add_argument(
        "--alive",
        action="store_true",
        help="cross-check the stages with the BG/NBD probability alive "
        '(needs the optional extra: pip install "crmsim[cdnow]")',
    )
    calib.add_argument(
        "--lang",
        default="en",
        choices=["en", "zh", "both"],
        help="language of the report and the printed tables (default: en)",
    )
    calib.add_argument("--workers", type=int, help="processes to use (default: one per core)")
    calib.set_defaults(func=_cmd_calibrate)
    register_exercises(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``crmsim`` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "sheet", None) is not None and str(args.sheet).isdigit():
        args.sheet = int(args.sheet)
    try:
        return args.func(args)
    except (CrmsimError, FileNotFoundError) as exc:
        print(f"crmsim {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
