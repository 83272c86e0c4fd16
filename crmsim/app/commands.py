"""The command-line subcommands a manager uses: ``demo``, ``simulate``, ``compare``, ``sweep``
and ``scenario new`` (the parser is in :mod:`crmsim.app.cli`, which imports this module only when a
command runs, so ``crmsim --help`` stays fast).

Commands print the headline tables and the recommendation on stdout, stages and progress on
stderr (a bar on a terminal, plain lines in a log), and end with the path of the report. Bad
input raises :class:`~crmsim.errors.CrmsimError`; :func:`crmsim.app.cli.main` turns it into one
line and exit status 2.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crmsim._version import __version__
from crmsim.errors import CrmsimError, ParameterError


def stage(command: str, text: str) -> None:
    """Tell the user what is happening (stderr, so it shows in a log and not in the tables)."""
    print(f"crmsim {command}: {text}", file=sys.stderr, flush=True)


def print_warnings(texts: list[str], file: Any = None) -> None:
    """The plausibility guard's findings, first of the output (:mod:`crmsim.sim.plausibility`)."""
    import textwrap

    for text in texts:
        print(textwrap.fill(text, width=100, initial_indent="WARNING: ",
                            subsequent_indent="  "), file=file or sys.stdout)  # fmt: skip


def print_table(title: str, table: Any, file: Any = None) -> None:
    """Print a titled table formatted for people (:func:`crmsim.report.format_table`)."""
    from crmsim.report import format_table, text_table

    file = file or sys.stdout
    print(f"\n== {title} ==", file=file)
    print(text_table(format_table(table)), file=file)


@contextlib.contextmanager
def dask_executor(address: str | None) -> Iterator[Any]:
    """A ``dask.distributed.Client`` connected to *address* (None: no client, local pool)."""
    if not address:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise CrmsimError(
            "option --dask needs the package 'distributed': pip install distributed "
            "(or pip install 'crmsim[dask]')"
        ) from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise CrmsimError(
            f"option --dask {address}: cannot connect to a Dask scheduler there ({exc})"
        ) from None
    try:
        yield client
    finally:
        client.close()


def _overrides(args: argparse.Namespace) -> tuple[list, list, list]:
    """(--set pairs, --vary pairs, --options pairs), refused when two of them, or --months,
    set the same parameter."""
    from crmsim.sim.scenario.overrides import check_conflicts, parse_set, parse_vary

    sets = [parse_set(item) for item in (getattr(args, "set", None) or [])]
    vary = [parse_vary(item) for item in (getattr(args, "vary", None) or [])]
    choices = [parse_vary(item, "--options") for item in (getattr(args, "options", None) or [])]
    check_conflicts([("--set", sets), ("--vary", vary), ("--options", choices)],
                    months=getattr(args, "months", None))  # fmt: skip
    return sets, vary, choices


def _check_books(options: dict[str, Any]) -> None:
    """Read and check every option's own book tables now, before any worker starts, so that
    a bad cell in the user's customers file is one line naming the file at once."""
    seen: set[tuple[str, str]] = set()
    for scenario in options.values():
        book = scenario.book
        key = (book.customers_path, book.managers_path)
        if book.source == "tables" and key not in seen:
            seen.add(key)
            book.resolve()


def _distinct(options: dict[str, Any]) -> None:
    """Refuse two options that are the same scenario (e.g. one structure named in English and
    in Chinese, or one file given twice): the comparison would show a difference of nothing."""
    seen: dict[str, str] = {}
    for name, scenario in options.items():
        first = seen.setdefault(scenario.replace(name="").hash(), name)
        if first != name:
            raise ParameterError(
                f"options {first!r} and {name!r} are the same scenario; give each option once"
            )


def _baseline(name: str | None, options: dict[str, Any]) -> str | None:
    """The option *name* means: its name, or its English or Chinese label."""
    if name is None:
        return None
    from crmsim.sim.whatif import option_label

    for option in options:
        if name in (option, option_label(option, "en"), option_label(option, "zh")):
            return option
    # a structure, rule or scheme name in either language
    from crmsim.sim.scenario.params import term_identifier
    from crmsim.sim.whatif import NAMED_PARAMETERS

    for vocabulary in dict.fromkeys(NAMED_PARAMETERS.values()):
        with contextlib.suppress(ParameterError):
            ident = term_identifier("--baseline", name, vocabulary)
            if ident in options:
                return ident
    raise ParameterError(
        f"option --baseline {name!r} is not one of the options: {', '.join(options)}"
    )


def _check_files(files: list[str]) -> None:
    for f in files:
        path = Path(f)
        if not path.is_file():
            what = "a folder" if path.is_dir() else "not found"
            raise ParameterError(f"scenario file {f!r}: {what}; expected a .toml scenario file")


def _pdf(args: argparse.Namespace, page: Path, command: str) -> Path | None:
    """With ``--pdf``: print *page* to ``report.pdf`` beside it, on ``--paper``."""
    if not getattr(args, "pdf", False):
        return None
    from crmsim.report.pdf import write_pdf

    stage(command, f"printing the report to PDF ({args.paper.upper()})")
    return write_pdf(page, paper=args.paper)


# --------------------------------------------------------------------------- compare


def cmd_compare(args: argparse.Namespace) -> int:
    """``crmsim compare``: options from files, --set and --vary; the manager's report."""
    from crmsim.report import check_output_folder, text_table
    from crmsim.report.economics import report_currency
    from crmsim.report.manager import answer, glance_table, write_report
    from crmsim.report.sensitivity import sweep_command
    from crmsim.sim.whatif import build_options, run_whatif, scheduled_events
    from crmsim.terms import money

    check_output_folder(args.out, overwrite=args.force)
    _check_files(args.files)
    sets, vary, _ = _overrides(args)
    options = build_options(args.files, sets, vary)
    _distinct(options)
    _check_books(options)
    baseline = _baseline(args.baseline, options)
    events = sum(bool(scheduled_events(sc)) for sc in options.values())
    added = "" if args.no_counterfactual or not events else (
        f", plus {events} without its scheduled event (what the event costs)")  # fmt: skip
    stage("compare", f"{len(options)} option(s){added} × {args.replications} replications "
                     f"(seed {args.seed})")  # fmt: skip
    if args.uncertainty:
        stage("compare", f"then {args.uncertainty} plausible sets of the teaching values × "
                         f"{len(options)} option(s), one run each")  # fmt: skip
    with dask_executor(args.dask) as client:
        whatif = run_whatif(
            options, baseline=baseline, replications=args.replications, seed=args.seed,
            months=args.months, counterfactuals=not args.no_counterfactual, executor=client,
            workers=args.workers, progress=True, rank_on=args.rank_on,
            uncertainty=args.uncertainty or 0,
        )  # fmt: skip
    stage("compare", "writing the report")
    path = write_report(whatif, args.out, lang=args.lang, force=args.force, title=args.title,
                        question=args.question, currency=args.currency,
                        discount_rate=args.discount_rate)  # fmt: skip
    pdf = _pdf(args, path, "compare")
    headline, points = answer(whatif, args.lang, currency=args.currency)
    print(f"crmsim {__version__} compare: {', '.join(whatif.label(o, args.lang) for o in options)}")
    print_warnings(whatif.warnings(args.lang))
    print()
    print("\n\n".join([headline, *points]))
    with money(currency=report_currency(whatif, args.currency), scale="M"):
        glance, _ = glance_table(whatif, args.lang)
    print()
    print(text_table(glance))
    print()
    print("Which assumptions move this answer (one at a time):")
    print(f"  {sweep_command(whatif)}")
    print(f"\nReport written to {path}")
    if pdf:
        print(f"PDF ({args.paper.upper()}) written to {pdf}")
    return 0


# --------------------------------------------------------------------------- sweep


def study_warnings(comparison: Any, lang: str) -> list[str]:
    """The guard's findings over every run of a study, each once."""
    from crmsim.sim.plausibility import findings_text
    from crmsim.sim.whatif import option_label

    names = {option: option_label(option, lang) for option in comparison.findings}
    return findings_text(comparison.findings, lang, names=names)


def cmd_sweep(args: argparse.Namespace) -> int:
    """``crmsim sweep``: one parameter at a time around the options; a tornado chart."""
    from crmsim.report import check_output_folder
    from crmsim.report.sensitivity import sensitivity_sentences, write_sensitivity_report
    from crmsim.sim.sensitivity import sensitivity
    from crmsim.sim.whatif import build_options

    check_output_folder(args.out, overwrite=args.force)
    _check_files(args.files)
    sets, vary, choices = _overrides(args)
    if not vary:
        raise ParameterError("option --vary is needed: the parameters to move, e.g. "
                             "--vary crm.adoption=0,1")  # fmt: skip
    options = build_options(args.files, sets, choices, vary_option="--options")
    _distinct(options)
    _check_books(options)
    runs = (1 + sum(len(v) for _, v in vary)) * len(options)
    stage("sweep", f"{len(options)} option(s) × {runs // len(options)} points × "
                   f"{args.replications} replications (seed {args.seed})")  # fmt: skip
    with dask_executor(args.dask) as client:
        study = sensitivity(options, vary, replications=args.replications, seed=args.seed,
                            months=args.months, executor=client, workers=args.workers,
                            progress=True, rank_on=args.rank_on)  # fmt: skip
    stage("sweep", "writing the report")
    path = write_sensitivity_report(study, args.out, lang=args.lang, force=args.force,
                                    title=args.title, currency=args.currency)  # fmt: skip
    pdf = _pdf(args, path, "sweep")
    headline, points = sensitivity_sentences(study, args.lang, currency=args.currency)
    print(f"crmsim {__version__} sweep")
    print_warnings(study_warnings(study.comparison, args.lang))
    print()
    print("\n\n".join([headline, *points]))
    print_table("Tornado: the measure at each parameter's extreme values", study.tornado)
    print(f"\nReport written to {path}")
    if pdf:
        print(f"PDF ({args.paper.upper()}) written to {pdf}")
    return 0


# --------------------------------------------------------------------------- scenario new


def cmd_scenario_new(args: argparse.Namespace) -> int:
    """``crmsim scenario new PATH``: a commented template with every parameter."""
    from crmsim.app.template import scenario_template
    from crmsim.io.writing import write_text

    path = Path(args.path)
    if path.is_dir():
        raise ParameterError(f"{str(path)!r} is a folder; give a file name such as my_company.toml")
    if path.exists() and not args.force:
        raise ParameterError(f"{str(path)!r} already exists; use --force to replace it, or "
                             "choose another name")  # fmt: skip
    if path.suffix.lower() != ".toml":
        raise ParameterError(f"{str(path)!r}: a scenario file name ends in .toml")
    name = args.name or path.stem.replace("_", " ")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text(path, scenario_template(name, path.name))  # atomic: never a 0-byte file
    print(f"Wrote {path}: every parameter with its unit, default and meaning.")
    print(f"Edit it, then run:  crmsim simulate {path}")
    print(f"or compare options: crmsim compare {path} --vary structure=扩大工作范围,增设独立岗位")
    return 0


# --------------------------------------------------------------------------- demo, simulate


def cmd_demo(args: argparse.Namespace) -> int:
    """``crmsim demo``: every method on the bundled company and the four structures."""
    from crmsim.app.demo import run_demo

    def on_stage(i: int, n: int, text: str) -> None:
        stage("demo", f"[{i}/{n}] {text}")

    result = run_demo(args.out, replications=args.replications, months=args.months,
                      workers=args.workers, progress=True, on_stage=on_stage,
                      overwrite=args.force)  # fmt: skip
    print(f"crmsim {__version__} demo: the bundled office-supplies distributor")
    print_warnings(result.warnings)
    for title, table in result.tables:
        print_table(title, table)
    if result.recommendation:
        print("\n== Recommendation ==")
        print(result.recommendation)
    print(f"\nReport written to {result.report_path}")
    return 0


def cmd_simulate(args: argparse.Namespace) -> int:
    """``crmsim simulate``: one scenario file, its KPIs, the cost of its scheduled events."""
    from crmsim.report import Report, check_output_folder
    from crmsim.report.manager import add_event_section, changed_parameters
    from crmsim.report.simulation import add_scenario_section, add_structure_section
    from crmsim.sim.studies import (
        scenario_study,
        structure_comparison,
        structure_recommendation,
    )
    from crmsim.sim.whatif import build_options, run_whatif, scheduled_events

    check_output_folder(args.out, overwrite=args.force)
    _check_files([args.scenario])
    sets, _, _ = _overrides(args)
    options = build_options([args.scenario], sets)
    _check_books(options)
    stem, scenario = next(iter(options.items()))
    if args.months is not None:
        scenario = scenario.replace(months=args.months)
    rep = Report(f"crmsim simulation: {scenario.name}")
    tables = []
    lines = []
    if scheduled_events(scenario):
        stage("simulate", "the scenario schedules an event: comparing it with the event not "
                          "happening, on common random numbers")  # fmt: skip
        whatif = run_whatif({stem: scenario}, replications=args.replications, seed=args.seed,
                            workers=args.workers, progress=True)  # fmt: skip
        lines += add_event_section(rep, whatif, "en")
    stage("simulate", f"{scenario.name}: {args.replications} replications")
    study = scenario_study(scenario, args.replications, seed=args.seed, workers=args.workers,
                           progress=True)  # fmt: skip
    tables += add_scenario_section(rep, study)
    if args.compare_structures:
        stage("simulate", "the four structures on this company")
        structures = structure_comparison(args.replications, scenario.months, args.seed,
                                          base=scenario, workers=args.workers,
                                          progress=True)  # fmt: skip
        tables += add_structure_section(rep, structures)
        lines.append(structure_recommendation(structures).text())
    changed = changed_parameters({stem: scenario}).rename(columns={stem: "value"})
    rep.heading("Parameters that differ from the defaults")
    rep.table(changed, caption=f"All other parameters: see Scenario().describe() "
              f"(scenario file {args.scenario})", csv="parameters_changed")  # fmt: skip
    from crmsim.sim.experiments import findings_of
    from crmsim.sim.plausibility import findings_text
    from crmsim.terms import label

    found = {scenario.name: findings_of(study.replications.runs)}
    if args.compare_structures:
        found.update({f"{s} ": f for s, f in structures.comparison.findings.items()})
    names = {key: label(key.strip(), "en") if key.endswith(" ") else key for key in found}
    warnings = findings_text(found, "en", names=names)
    for text in reversed(warnings):
        rep.blocks.insert(1, ("warning", text))
    path = rep.write(args.out, overwrite=args.force)
    print(f"crmsim {__version__} simulate: {scenario.name}")
    print_warnings(warnings)
    for text in lines:
        print()
        print(text)
    for title, table in [*tables, ("Parameters that differ from the defaults", changed)]:
        print_table(title, table)
    print(f"\nReport written to {path}")
    return 0
