"""``crmsim exercises``: hand out and grade exercise notebooks from the command line.

- ``crmsim exercises student OUT_DIR`` writes clean student notebooks (no solution anywhere);
- ``crmsim exercises solutions OUT_DIR`` writes instructor copies, every answer filled in and
  executed;
- ``crmsim exercises grade SUBMISSIONS_DIR --out grades.csv`` grades a folder of submissions
  (see :func:`crmsim.exercises.grading.grade`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _cmd_student(args: argparse.Namespace) -> int:
    from crmsim.exercises.notebooks import write_notebooks

    paths = write_notebooks(args.out_dir)
    print(f"Wrote {len(paths)} student notebooks to {Path(args.out_dir)}:")
    for p in paths:
        print(f"  {p.name}")
    return 0


def _cmd_solutions(args: argparse.Namespace) -> int:
    import nbformat
    from tqdm.auto import tqdm

    from crmsim.exercises.grading import execute
    from crmsim.exercises.notebooks import write_notebooks

    paths = write_notebooks(args.out_dir, solutions=True)
    failed = []
    for path in tqdm(paths, desc="executing", unit="notebook", disable=args.no_progress):
        nb = nbformat.read(str(path), as_version=4)
        nb, info = execute(nb, timeout=args.timeout, cwd=path.parent)
        nbformat.write(nb, str(path))
        if info["errors"] or info["timed_out"]:
            failed.append(f"{path.name}: {info['errors'] or 'timeout'}")
    print(f"Wrote {len(paths)} solution notebooks, executed, to {Path(args.out_dir)}")
    for line in failed:
        print(f"  problem in {line}", file=sys.stderr)
    return 1 if failed else 0


def _cmd_grade(args: argparse.Namespace) -> int:
    from crmsim.exercises.grading import grade

    table = grade(args.submissions, out=args.out, feedback_dir=args.feedback,
                  timeout=args.timeout, workers=args.workers, progress=not args.no_progress)
    print(f"Graded {len(table)} submissions; grades written to {args.out}")
    counts = table["status"].value_counts().sort_index()
    for status, n in counts.items():
        print(f"  {status}: {n}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``exercises`` command and its three subcommands to ``crmsim``'s parser."""
    ex = subparsers.add_parser("exercises", help="hand out and grade exercise notebooks")
    sub = ex.add_subparsers(dest="exercises_command", required=True)

    student = sub.add_parser("student", help="write clean student notebooks")
    student.add_argument("out_dir", help="folder to write the notebooks to")
    student.set_defaults(func=_cmd_student)

    solutions = sub.add_parser("solutions", help="write executed notebooks with the answers")
    solutions.add_argument("out_dir", help="folder to write the notebooks to")
    solutions.add_argument("--timeout", type=float, default=120.0,
                           help="seconds each notebook may run (default: 120)")
    solutions.add_argument("--no-progress", action="store_true", help="no progress bar")
    solutions.set_defaults(func=_cmd_solutions)

    grade = sub.add_parser("grade", help="grade a folder of submitted notebooks")
    grade.add_argument("submissions", help="folder of submitted .ipynb files")
    grade.add_argument("--out", default="grades.csv", help="CSV to write (default: grades.csv)")
    grade.add_argument("--feedback", help="folder for the feedback files "
                       "(default: <out stem>_feedback next to the CSV)")
    grade.add_argument("--timeout", type=float, default=60.0,
                       help="seconds each notebook may run (default: 60)")
    grade.add_argument("--workers", type=int, default=2,
                       help="notebooks graded at once (default: 2)")
    grade.add_argument("--no-progress", action="store_true", help="no progress bar")
    grade.set_defaults(func=_cmd_grade)
