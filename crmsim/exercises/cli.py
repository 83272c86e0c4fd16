"""``crmsim exercises``: hand out, check and grade exercise notebooks from the command line.

- ``crmsim exercises student OUT_DIR`` writes clean student notebooks (no solution anywhere);
- ``crmsim exercises solutions OUT_DIR`` writes instructor copies, every answer filled in and
  executed; it fails when a check in them does not pass;
- ``crmsim exercises validate NOTEBOOK...`` grades notebooks as the grader would: solutions must
  pass, and with ``--invert`` blank copies must fail (nbgrader's ``validate``);
- ``crmsim exercises grade SUBMISSIONS --out grades.csv`` grades a folder (see
  :func:`crmsim.exercises.grading.grade`); ``--student ID`` regrades one student;
- ``crmsim exercises merge grades.csv grades_manual.csv --out final.csv`` puts the points of the
  answers graded by hand back;
- ``crmsim exercises export grades.csv --lms moodle --out moodle.csv`` writes a CSV that Moodle's
  or Canvas's gradebook imports.

Bad input ends with one line on stderr and exit status 2, never a traceback; no existing output
file is replaced without ``--force``.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable
from pathlib import Path


def _one_line_errors(command: Callable[[argparse.Namespace], int]) -> Callable:
    """Run *command*; a problem with the input or the files is one line and exit status 2."""

    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except (ValueError, OSError, RuntimeError, KeyError) as exc:
            name = args.exercises_command
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if isinstance(exc, PermissionError) and exc.filename:
                text = f"cannot write {exc.filename!r}: {exc.strerror}"
            print(f"crmsim exercises {name}: error: {text}", file=sys.stderr)
            return 2

    return run


@_one_line_errors
def _cmd_student(args: argparse.Namespace) -> int:
    from crmsim.exercises.notebooks import write_notebooks

    paths = write_notebooks(args.out_dir, lang=args.lang)
    print(f"Wrote {len(paths)} student notebooks to {Path(args.out_dir)}:")
    for p in paths:
        print(f"  {p.name}")
    return 0


@_one_line_errors
def _cmd_solutions(args: argparse.Namespace) -> int:
    from tqdm.auto import tqdm

    from crmsim.exercises.notebooks import execute_solutions, write_notebooks

    paths = write_notebooks(args.out_dir, solutions=True, lang=args.lang)
    failed = []
    for path in tqdm(paths, desc="executing", unit="notebook", disable=args.no_progress):
        problems = execute_solutions(path, timeout=args.timeout)
        failed += [f"{path.name}: {p}" for p in problems]
    print(f"Wrote {len(paths)} solution notebooks, executed, to {Path(args.out_dir)}")
    for line in failed:
        print(f"  problem in {line}", file=sys.stderr)
    return 1 if failed else 0


@_one_line_errors
def _cmd_validate(args: argparse.Namespace) -> int:
    from crmsim.exercises.grading import validate

    outcome = validate(
        args.notebooks, invert=args.invert, timeout=args.timeout, sandbox=args.sandbox
    )
    for file, ok, why in outcome:
        print(f"{'PASS' if ok else 'FAIL'} {file}: {why}")
    return 0 if all(ok for _, ok, _ in outcome) else 1


@_one_line_errors
def _cmd_grade(args: argparse.Namespace) -> int:
    from crmsim.exercises.grading import grade

    table = grade(
        args.submissions,
        out=args.out,
        feedback_dir=args.feedback,
        timeout=args.timeout,
        workers=args.workers,
        progress=not args.no_progress,
        sandbox=args.sandbox,
        lang=args.lang,
        force=args.force,
        only=args.student,
        on_isolation=lambda info: print(info.describe()),
    )
    what = f"Regraded {', '.join(args.student)}" if args.student else "Graded"
    print(f"{what}: {len(table)} files in {args.out}")
    for status, n in table["status"].value_counts().sort_index().items():
        print(f"  {status}: {n}")
    pending = int((table["pending"].fillna(0).astype(float) > 0).sum())
    if pending:
        from crmsim.exercises.grading import outputs_of

        manual = outputs_of(Path(args.out))["manual"]
        print(
            f"  {pending} files have answers to grade by hand: fill in {manual}, then "
            f"`crmsim exercises merge {args.out} {manual} --out FINAL.csv`"
        )
    return 0


@_one_line_errors
def _cmd_merge(args: argparse.Namespace) -> int:
    from crmsim.exercises import gradebook
    from crmsim.exercises.grading import outputs_of, write_outputs

    results = gradebook.read_results(outputs_of(Path(args.grades))["results"])
    problems = gradebook.merge_manual(results, Path(args.manual))
    for line in problems:
        print(f"  not merged: {line}", file=sys.stderr)
    if Path(args.out).resolve() == Path(args.grades).resolve() and not args.force:
        raise ValueError(
            f"{args.out!r} is the gradebook being merged; pass --force to "
            "replace it, or another --out"
        )
    table = write_outputs(results, Path(args.out), force=args.force)
    print(f"Merged {args.manual} into {len(table)} files: {args.out}")
    return 1 if problems else 0


@_one_line_errors
def _cmd_export(args: argparse.Namespace) -> int:
    import pandas as pd

    from crmsim.exercises import gradebook
    from crmsim.exercises.sets import all_sets

    grades = pd.read_csv(args.grades, dtype=str, keep_default_na=False)
    missing = {"student_id", "set", "score", "file"} - set(grades.columns)
    if missing:
        raise ValueError(f"{args.grades!r} is not a crmsim gradebook (no {sorted(missing)})")
    titles = {s.name: s.title for s in all_sets()}
    points = {s.name: s.points for s in all_sets()}
    table, notes = gradebook.lms_table(grades, args.lms, titles, points)
    gradebook.write_csv(Path(args.out), table, force=args.force)
    for line in notes:
        print(f"  note: {line}", file=sys.stderr)
    print(f"Wrote {len(table) - (args.lms == 'canvas')} students for {args.lms} to {args.out}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``exercises`` command and its subcommands to ``crmsim``'s parser."""
    ex = subparsers.add_parser("exercises", help="hand out and grade exercise notebooks")
    sub = ex.add_subparsers(dest="exercises_command", required=True)

    student = sub.add_parser("student", help="write clean student notebooks")
    student.add_argument("out_dir", help="folder to write the notebooks to")
    student.add_argument("--lang", choices=["en", "zh"], default="en",
                         help="edition: en (default) or zh (中文版: text, checks and hints)")
    student.set_defaults(func=_cmd_student)

    solutions = sub.add_parser("solutions", help="write executed notebooks with the answers")
    solutions.add_argument("out_dir", help="folder to write the notebooks to")
    solutions.add_argument("--lang", choices=["en", "zh"], default="en",
                           help="edition: en (default) or zh (中文版)")
    solutions.add_argument(
        "--timeout", type=float, default=120.0, help="seconds each notebook may run (default: 120)"
    )
    solutions.add_argument("--no-progress", action="store_true", help="no progress bar")
    solutions.set_defaults(func=_cmd_solutions)

    sandbox = {
        "choices": ("auto", "require", "off"),
        "default": "auto",
        "help": "isolation of each notebook: bubblewrap when available (auto), "
        "bubblewrap or fail (require), none: trusted notebooks only (off)",
    }
    validate = sub.add_parser(
        "validate", help="check that notebooks pass (or, with --invert, fail) the grader"
    )
    validate.add_argument("notebooks", nargs="+", help="notebook files")
    validate.add_argument(
        "--invert", action="store_true", help="every question must fail (a blank copy)"
    )
    validate.add_argument(
        "--timeout", type=float, default=120.0, help="seconds each notebook may run (default: 120)"
    )
    validate.add_argument("--sandbox", **sandbox)
    validate.set_defaults(func=_cmd_validate)

    grade = sub.add_parser("grade", help="grade a folder of submitted notebooks")
    grade.add_argument("submissions", help="folder of submitted files")
    grade.add_argument("--out", default="grades.csv", help="CSV to write (default: grades.csv)")
    grade.add_argument(
        "--feedback",
        help="folder for the feedback pages (default: <out stem>_feedback next to the CSV)",
    )
    grade.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        help="seconds each notebook's cells may run (default: 60)",
    )
    grade.add_argument(
        "--workers", type=int, default=2, help="notebooks graded at once (default: 2)"
    )
    grade.add_argument("--sandbox", **sandbox)
    grade.add_argument(
        "--lang", default="en", help="feedback language of notebooks that chose none (en, zh, both)"
    )
    grade.add_argument(
        "--student",
        action="append",
        metavar="ID",
        help="regrade only this student id (or file); repeatable; updates the existing --out",
    )
    grade.add_argument("--force", action="store_true", help="replace existing output files")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.set_defaults(func=_cmd_grade)

    merge = sub.add_parser("merge", help="merge the points of answers graded by hand")
    merge.add_argument("grades", help="the gradebook written by grade (grades.csv)")
    merge.add_argument("manual", help="the filled-in manual-grading file (grades_manual.csv)")
    merge.add_argument("--out", required=True, help="the merged gradebook to write")
    merge.add_argument("--force", action="store_true", help="replace existing output files")
    merge.set_defaults(func=_cmd_merge)

    export = sub.add_parser("export", help="write a gradebook CSV that Moodle or Canvas imports")
    export.add_argument("grades", help="the gradebook written by grade or merge")
    export.add_argument("--lms", choices=("moodle", "canvas"), required=True)
    export.add_argument("--out", required=True, help="the CSV to write")
    export.add_argument("--force", action="store_true", help="replace an existing file")
    export.set_defaults(func=_cmd_export)
