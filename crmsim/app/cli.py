"""The ``crmsim`` command line: ``demo``, ``analyze``, ``simulate``, ``compare``, ``sweep``,
``scenario new``, ``calibrate`` and ``exercises``.

This is the only place (with the notebooks and widgets) that prints. The commands themselves live
in :mod:`crmsim.app.commands` and are imported only when one runs, so ``crmsim --help`` starts
fast. Bad input — a wrong option value, an unknown parameter, an impossible value, an output
folder holding an earlier report — ends with a one-line message naming what is wrong and exit
status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from crmsim._version import __version__
from crmsim.errors import CrmsimError
from crmsim.exercises.cli import register as register_exercises

if TYPE_CHECKING:  # pandas is imported where it is used, so that --help starts fast
    import pandas as pd


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (and exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _whole(minimum: int, what: str):
    """An argparse type: a whole number >= *minimum*, with a message naming what it counts."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number >= {minimum} ({what}); got {text!r}"
            )
        return value

    parse.__name__ = what  # argparse names the type in its messages
    return parse


def _currency_code(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(
            f"expected a three-letter currency code such as CNY, USD or EUR; got {text!r}"
        )
    return code


_currency_code.__name__ = "currency code"


def _rate(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.strip().endswith("%") else 1)
    except ValueError:
        value = None
    if value is None or not 0 <= value < 1:
        raise argparse.ArgumentTypeError(
            f"expected an annual rate between 0 and 1, e.g. 0.08 or 8%; got {text!r}"
        )
    return value


_rate.__name__ = "discount rate"

_WORKERS = _whole(1, "worker processes")
_REPLICATIONS = _whole(2, "replications")
#: crmsim.calibrate.backtest.BACKTEST_REPLICATIONS, written out so that --help imports no
#: pandas (tests/test_calibrate.py checks they agree)
_BACKTEST_REPLICATIONS = 39
_MONTHS = _whole(1, "months")
_SEED = _whole(0, "seed")


def print_table(title: str, table: pd.DataFrame, file=None) -> None:
    """Print a titled table formatted for people."""
    from crmsim.app.commands import print_table as _print

    _print(title, table, file)


def _cmd(name: str):
    """The command *name* of :mod:`crmsim.app.commands`, imported when it runs."""

    def run(args: argparse.Namespace) -> int:
        from crmsim.app import commands

        return getattr(commands, name)(args)

    return run


def _cmd_analyze(args: argparse.Namespace) -> int:
    from crmsim.app.analyze import analyze_file

    header_row = None
    if args.header_row is not None:
        try:
            header_row = tuple(int(x) for x in args.header_row.split(","))
        except ValueError:
            print(
                f"crmsim analyze: error: --header-row must be a row number such as 3, or two "
                f"such as 3,4; got {args.header_row!r}",
                file=sys.stderr,
            )
            return 2
    _check_sheet(args.sheet, [args.path])
    try:
        result = analyze_file(
            args.path,
            args.out,
            value=args.value,
            id=args.id,
            encoding=args.encoding,
            sheet_name=0 if args.sheet is None else args.sheet,
            overwrite=args.force,
            header_row=header_row[0] if header_row and len(header_row) == 1 else header_row,
            negative=args.negative,
            dayfirst=args.dayfirst,
        )
    except PermissionError as exc:  # a locked file (open in Excel) or a read-only folder
        print(
            f"crmsim analyze: error: cannot access {exc.filename!r}: {exc.strerror}",
            file=sys.stderr,
        )
        return 2
    for title, table in result.tables:
        print_table(title, table)
    print(f"\nReport written to {result.report_path}")
    return 0


def _check_sheet(sheet: str | int | None, paths: list[str | None]) -> None:
    """--sheet names a worksheet of an Excel workbook: refused when no file given is one."""
    if sheet is None:
        return
    files = [p for p in paths if p is not None]
    if files and not any(str(p).lower().endswith((".xlsx", ".xlsm")) for p in files):
        from crmsim.errors import ParameterError

        raise ParameterError(f"option --sheet {sheet}: {Path(files[0]).name} is a CSV file, "
                             "which has no worksheets; leave out --sheet")  # fmt: skip


def _date_options(p: argparse.ArgumentParser) -> None:
    order = p.add_mutually_exclusive_group()
    order.add_argument("--dayfirst", dest="dayfirst", action="store_const", const=True,
                       help="dates such as 03/02/2024 are day/month/year (3 February)")
    order.add_argument("--monthfirst", dest="dayfirst", action="store_const", const=False,
                       help="dates such as 03/02/2024 are month/day/year (2 March); default: "
                       "decided by a date in the column with a day above 12")  # fmt: skip


def _run_options(p: argparse.ArgumentParser, replications: int) -> None:
    """Options shared by the simulation commands."""
    p.add_argument("--replications", type=_REPLICATIONS, default=replications,
                   help=f"replications per option, on common random numbers (default: "
                   f"{replications})")  # fmt: skip
    p.add_argument("--seed", type=_SEED, default=0, help="seed of the study (default: 0)")
    p.add_argument("--months", type=_MONTHS, help="horizon for every option (default: the files')")
    p.add_argument("--workers", type=_WORKERS,
                   help="local worker processes (default: one per core)")  # fmt: skip


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from crmsim.app.calibrate import calibrate_file

    _check_sheet(args.sheet, [args.transactions, args.customers, args.managers])
    try:
        result = calibrate_file(
            args.transactions, customers=args.customers, managers=args.managers,
            as_of=args.as_of, out=args.out, report=args.report, overwrite=args.force,
            value=args.value, id=args.id, date=args.date, encoding=args.encoding,
            sheet=0 if args.sheet is None else args.sheet, cohort=args.cohort,
            months=args.months, dayfirst=args.dayfirst,
            replications=args.replications, seed=args.seed, alive=args.alive,
            alive_unit=args.alive_unit, lang=args.lang, workers=args.workers,
            currency=args.currency,
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


def _override_options(p: argparse.ArgumentParser, vary_help: str) -> None:
    p.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="change a parameter in every option, e.g. --set crm.adoption=0.5 "
                   "(repeatable; names in English or Chinese: "
                   "--set structure=扩大工作范围)")  # fmt: skip
    p.add_argument("--vary", action="append", metavar="KEY=V1,V2,...", help=vary_help)


def _rank_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rank-on", choices=("value_created", "net_contribution"),
                   help="the yardstick: customer value created (default: net contribution "
                   "discounted, plus the customer equity left at the horizon, minus the equity "
                   "at the start) or net contribution over the horizon alone")  # fmt: skip


def _report_options(p: argparse.ArgumentParser, out: str) -> None:
    p.add_argument("--out", default=out, help=f"output folder (default: {out})")
    p.add_argument("--force", action="store_true",
                   help="replace a report already in the output folder")  # fmt: skip
    p.add_argument("--lang", choices=("en", "zh"), default="en",
                   help="language of the report: en (English) or zh (中文)")  # fmt: skip
    p.add_argument("--title", help="title of the report (default: from the options)")
    p.add_argument("--pdf", action="store_true",
                   help="also print the report to report.pdf in the output folder (with the "
                   "Chromium or Chrome on this machine; every table fits the paper)")  # fmt: skip
    p.add_argument("--paper", choices=("a4", "letter"), default="a4",
                   help="paper of the PDF: a4 or letter (default: a4)")  # fmt: skip
    p.add_argument("--currency", type=_currency_code,
                   help="currency the amounts are in, e.g. USD (default: the scenarios' "
                   "'currency', CNY unless set); it names the money, nothing is "
                   "converted")  # fmt: skip
    p.add_argument("--dask", metavar="SCHEDULER_ADDRESS",
                   help="run on a Dask cluster, e.g. tcp://10.0.0.5:8786 (needs the package "
                   "distributed); results are identical to a local run")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the tests and for --help)."""
    parser = _Parser(
        prog="crmsim",
        description="CRM teaching and simulation kit: textbook methods and a SimPy model of "
        "account-manager structures.",
    )
    parser.add_argument("--version", action="version", version=f"crmsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("demo", help="run every method on the bundled company, write a report")
    demo.add_argument("--out", default="crmsim-demo", help="output folder (default: crmsim-demo)")
    demo.add_argument(
        "--replications",
        type=_REPLICATIONS,
        default=20,
        help="replications per structure in the simulation (default: 20)",
    )
    demo.add_argument("--months", type=_MONTHS, default=36,
                      help="simulated months (default: 36)")  # fmt: skip
    demo.add_argument("--workers", type=_WORKERS, help="processes to use (default: one per core)")
    demo.add_argument("--force", action="store_true",
                      help="replace a report already in the output folder")  # fmt: skip
    demo.set_defaults(func=_cmd("cmd_demo"))

    analyze = sub.add_parser("analyze", help="ABC, concentration, pyramid, 6C on your own file")
    analyze.add_argument(
        "path", help="CSV (UTF-8, UTF-8 with BOM, GBK; comma, semicolon, tab or pipe) or .xlsx file"
    )
    analyze.add_argument(
        "--value",
        help="column to rank customers by, as the kit or your file "
        "names it, e.g. amount or 销售额 (default: amount, ...)",
    )
    analyze.add_argument(
        "--id", default="customer_id", help="customer id column, e.g. customer_id or 客户编号"
    )
    analyze.add_argument("--encoding", help="file encoding (default: detect UTF-8 / GBK)")
    analyze.add_argument("--sheet", help="sheet name or position (from 0) in an .xlsx workbook "
                         "(default: the first)")  # fmt: skip
    _date_options(analyze)
    analyze.add_argument("--negative", choices=("error", "exclude"),
                         help="customers with a negative total in ABC: refuse (error, the default"
                         " except for gross_profit) or leave them out of the ranking (exclude)")
    analyze.add_argument(
        "--header-row",
        help="row number of the header, e.g. 3, or 3,4 for two header rows "
        "(default: found automatically)",
    )
    analyze.add_argument("--out", default="crmsim-analysis", help="output folder")
    analyze.add_argument(
        "--force", action="store_true", help="replace a report already in the output folder"
    )
    analyze.set_defaults(func=_cmd_analyze)

    simulate = sub.add_parser("simulate", help="run a scenario file and write a report")
    simulate.add_argument("scenario", help="scenario TOML file (see scenarios/ for examples)")
    _run_options(simulate, 10)
    simulate.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="change a parameter, e.g. --set crm.adoption=0.5 (repeatable)",
    )
    simulate.add_argument(
        "--compare-structures",
        action="store_true",
        help="also run the scenario under each of the four structures",
    )
    simulate.add_argument("--out", default="crmsim-simulation", help="output folder")
    simulate.add_argument("--force", action="store_true",
                          help="replace a report already in the output folder")  # fmt: skip
    simulate.set_defaults(func=_cmd("cmd_simulate"))

    compare = sub.add_parser(
        "compare", help="compare options (scenario files and/or --set/--vary) in a report",
        description="Compare options on common random numbers and write a report a manager can "
        "take into a meeting. The options are the scenario files given and/or the values of "
        "--vary (every combination); --set changes every option. An option with a scheduled "
        "event (a star leaving) is compared with the event not happening, automatically. "
        "Example: crmsim compare --vary structure=扩大工作范围,增设独立岗位 --out report",
    )  # fmt: skip
    compare.add_argument(
        "files",
        nargs="*",
        metavar="SCENARIO.toml",
        help="scenario files, each an option (default: the bundled company)",
    )
    _override_options(compare, "each value becomes an option, e.g. --vary crm.adoption=0,0.5,1 "
                      "or --vary structure=extended_roles,dedicated_post (repeatable: every "
                      "combination)")  # fmt: skip
    compare.add_argument("--baseline", help="the option differences are taken against "
                         "(default: the first)")  # fmt: skip
    compare.add_argument("--question", help="the question on the report's first screen")
    compare.add_argument("--discount-rate", type=_rate, default=None,
                         help="annual discount rate of the net present value, e.g. 0.08 or 8%% "
                         "(default: the scenarios' value.discount_rate, 12%%)")  # fmt: skip
    compare.add_argument("--no-counterfactual", action="store_true",
                         help="do not add the 'event does not happen' options")  # fmt: skip
    _rank_option(compare)
    compare.add_argument("--uncertainty", type=_whole(1, "parameter sets"), metavar="N",
                         help="also draw N plausible sets of the teaching values (structure "
                         "effects, company mechanisms, discount rate), run every option under "
                         "each and report how often each option is best (e.g. 100)")  # fmt: skip
    _run_options(compare, 10)
    _report_options(compare, "crmsim-compare")
    compare.set_defaults(func=_cmd("cmd_compare"))

    sweep = sub.add_parser(
        "sweep", help="which parameters move the answer: a tornado chart",
        description="Move each --vary parameter alone over its values, around the options "
        "(scenario files, --options values), on common random numbers, and draw a tornado chart "
        "of the effect on net contribution (with several options: on the lead of the best one, "
        "and whether another option takes the lead). "
        "Example: crmsim sweep scenarios/classroom.toml "
        "--options structure=扩大工作范围,增设独立岗位 --vary crm.adoption=0,1 "
        "--vary team.hours_per_month=140,180 --out sweep",
    )  # fmt: skip
    sweep.add_argument(
        "files",
        nargs="*",
        metavar="SCENARIO.toml",
        help="scenario files, each an option (default: the bundled company)",
    )
    _override_options(sweep, "a parameter to move and its values, e.g. --vary crm.adoption=0,1 "
                      "(repeatable; one parameter at a time). A parameter the options set "
                      "differently themselves takes factors of each option's own value: "
                      "--vary structure.monthly_overhead=x0.5,x2")  # fmt: skip
    sweep.add_argument(
        "--options",
        action="append",
        metavar="KEY=V1,V2,...",
        help="make each value an option, as --vary does in crmsim compare",
    )
    _rank_option(sweep)
    _run_options(sweep, 5)
    _report_options(sweep, "crmsim-sweep")
    sweep.set_defaults(func=_cmd("cmd_sweep"))

    scenario = sub.add_parser("scenario", help="scenario files: write a commented template")
    scenario_sub = scenario.add_subparsers(dest="scenario_command", required=True,
                                           parser_class=_Parser)  # fmt: skip
    new = scenario_sub.add_parser("new", help="write a template with every parameter, its unit, "
                                  "default and meaning")  # fmt: skip
    new.add_argument("path", help="file to write, e.g. my_company.toml")
    new.add_argument("--name", help="the scenario's name (default: from the file name)")
    new.add_argument("--force", action="store_true", help="replace an existing file")
    new.set_defaults(func=_cmd("cmd_scenario_new"))
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
    calib.add_argument("--sheet", help="sheet name or position (from 0) in .xlsx workbooks "
                       "(default: the first)")  # fmt: skip
    _date_options(calib)
    calib.add_argument(
        "--cohort",
        action="store_true",
        help="every customer's first order is in the file (e.g. CDNOW)",
    )
    calib.add_argument(
        "--months", type=_MONTHS, default=12,
        help="horizon of the calibrated scenario (default: 12)",
    )  # fmt: skip
    calib.add_argument(
        "--replications", type=_REPLICATIONS, default=_BACKTEST_REPLICATIONS,
        help=f"replications of the back-test (default: {_BACKTEST_REPLICATIONS}, the fewest whose "
        "smallest-to-largest range is a 95%% range)",
    )  # fmt: skip
    calib.add_argument("--seed", type=_SEED, default=0, help="seed (default: 0)")
    calib.add_argument(
        "--alive", nargs="?", const="mbgnbd", default=False,
        choices=("mbgnbd", "bgnbd", "paretonbd"), metavar="MODEL",
        help="cross-check the stages with a buy-till-you-die probability alive: mbgnbd (the "
        "modified BG/NBD, the default), bgnbd or paretonbd "
        '(needs the optional extra: pip install "crmsim[cdnow]")',
    )  # fmt: skip
    calib.add_argument(
        "--alive-unit", choices=("day", "week"), default="day",
        help="time unit of that model (default: day; the published CDNOW fits use week)",
    )  # fmt: skip
    calib.add_argument(
        "--lang",
        default="en",
        choices=["en", "zh", "both"],
        help="language of the report and the printed tables (default: en)",
    )
    calib.add_argument("--workers", type=_WORKERS, help="processes to use (default: one per core)")
    calib.add_argument("--currency", type=_currency_code, default="CNY",
                       help="currency of the amounts, e.g. USD for CDNOW (default: CNY); the "
                       "calibrated scenario and its report name it")  # fmt: skip
    calib.set_defaults(func=_cmd_calibrate)

    register_exercises(sub)
    return parser


class _Stopped(KeyboardInterrupt):
    """Raised in the main thread when the process is asked to stop (SIGTERM, SIGHUP)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _stop(signum: int, frame: object) -> NoReturn:
    raise _Stopped(signum)


@contextlib.contextmanager
def _stop_signals():
    """While a command runs, SIGTERM and SIGHUP end it the way Ctrl-C does: the worker
    processes are stopped (crmsim.sim.experiments) and one line is printed."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set in the main thread (a test runner's thread)
        return
    wanted = [s for s in ("SIGTERM", "SIGHUP") if hasattr(signal, s)]
    before = {name: signal.signal(getattr(signal, name), _stop) for name in wanted}
    try:
        yield
    finally:
        for name, handler in before.items():
            signal.signal(getattr(signal, name), handler)


def _os_error(exc: OSError) -> str:
    """An operating-system error in one line, naming the file."""
    where = exc.filename if exc.filename is not None else None
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return f"cannot access {str(where)!r}: {reason}" if where else reason
    return f"{str(where)!r}: {reason}" if where else reason


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``crmsim`` command.

    Every way a command can fail ends in one line on stderr: exit status 2 for bad input, an
    output that cannot be written (read-only folder, full disk) or a worker process that died;
    130 after Ctrl-C and 143 after SIGTERM (the worker processes are stopped first). Anything
    else is a bug in crmsim: one line asking to report it, exit status 1 (set CRMSIM_DEBUG=1 to
    see the traceback).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help, --version, or a one-line error (status 2)
        return int(exc.code or 0)
    if getattr(args, "sheet", None) is not None and str(args.sheet).isdigit():
        args.sheet = int(args.sheet)
    workers = getattr(args, "workers", None)
    if isinstance(workers, int) and not isinstance(workers, bool) and workers < 1:
        print(f"crmsim: error: option --workers: expected a whole number >= 1; got {workers} "
              "(see crmsim --help)", file=sys.stderr)  # fmt: skip
        return 2
    name = " ".join(filter(None, [args.command, getattr(args, "scenario_command", None),
                                  getattr(args, "exercises_command", None)]))  # fmt: skip
    try:
        with _stop_signals():
            return args.func(args)
    except (CrmsimError, FileNotFoundError, IsADirectoryError, NotADirectoryError) as exc:
        message = getattr(exc, "cli_message", None) or str(exc)
        if isinstance(exc, OSError) and exc.filename is not None and exc.strerror:
            message = _os_error(exc)
        print(f"crmsim {name}: error: {_one_line(message)}", file=sys.stderr)
        return 2
    except OSError as exc:  # a read-only folder, a full disk, a file locked by Excel
        print(f"crmsim {name}: error: {_one_line(_os_error(exc))}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"crmsim {name}: error: not enough memory; try a smaller file or scenario, or "
              "fewer --workers", file=sys.stderr)  # fmt: skip
        return 2
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        how = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        print(f"crmsim {name}: stopped ({how}); worker processes, if any, were ended and no "
              "file was left half-written", file=sys.stderr)  # fmt: skip
        return 128 + int(signum)
    except Exception as exc:  # a bug: one line, the traceback only on request
        if os.environ.get("CRMSIM_DEBUG"):
            raise
        print(f"crmsim {name}: internal error ({type(exc).__name__}: {_one_line(str(exc))}); "
              f"please report it with the command you ran (CRMSIM_DEBUG=1 shows the details)",
              file=sys.stderr)  # fmt: skip
        return 1


def _one_line(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
