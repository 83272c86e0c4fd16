"""Benchmark: grade a class of 30 submissions of exercise set 02 (ABC), isolated, with two workers.

Run by hand from the repository root::

    python benchmarks/bench_grading.py [--students 30] [--workers 2] [--timeout 60]

Grades the class twice in the sandbox (bubblewrap where available) and once without it, and
prints the wall time and seconds per submission of each, the sandbox's cost (the difference per
submission), whether the two sandboxed runs wrote identical CSVs, and the spread of scores.
Submissions are a mix, each with its own student id: every third fully answered, the others
partly answered.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import nbformat

from crmsim.exercises.grading import grade
from crmsim.exercises.notebooks import build
from crmsim.exercises.sandbox import isolation
from crmsim.exercises.sets import get_set


def make_class(folder: Path, students: int) -> None:
    """Write *students* submissions of set 02 into *folder*."""
    abc = get_set("ex02_abc")
    solutions = {q.number: q.solution_code for q in abc.questions}
    for i in range(students):
        sid = f"2024{i:03d}"
        answers = solutions if i % 3 == 0 else {n: solutions[n] for n in range(1, 2 + i % 3)}
        nb = build(abc, student_id=sid, answers=answers)
        nbformat.write(nb, str(folder / f"{sid}_02_abc.ipynb"))


def run(folder: Path, out: Path, args: argparse.Namespace, sandbox: str) -> tuple[float, object]:
    start = time.perf_counter()
    table = grade(folder, out, timeout=args.timeout, workers=args.workers, sandbox=sandbox)
    return time.perf_counter() - start, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    os.environ.setdefault("CRMSIM_GRADING_SECRET", "benchmark")
    info = isolation("auto")
    print(info.describe().splitlines()[0])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        make_class(folder, args.students)
        n = args.students
        timings = {}
        first, table = run(folder, Path(tmp) / "a" / "grades.csv", args, "auto")
        second, _ = run(folder, Path(tmp) / "b" / "grades.csv", args, "auto")
        bare, _ = run(folder, Path(tmp) / "c" / "grades.csv", args, "off")
        timings = {"sandboxed (1st)": first, "sandboxed (2nd)": second, "no sandbox": bare}
        same = (Path(tmp) / "a" / "grades.csv").read_bytes() == (
            Path(tmp) / "b" / "grades.csv"
        ).read_bytes()
    for name, seconds in timings.items():
        print(
            f"{name:>16}: {n} submissions, {args.workers} workers, {seconds:.1f} s: "
            f"{seconds / n:.2f} s per submission (wall), "
            f"{seconds * args.workers / n:.2f} s per submission per worker"
        )
    cost = (min(first, second) - bare) / n
    print(f"sandbox cost: {cost:+.2f} s per submission (wall), best sandboxed run vs no sandbox")
    print(f"grading twice gives identical CSVs: {same}")
    print("status:", table["status"].value_counts().to_dict())
    print("scores:", table["score"].value_counts().sort_index().to_dict())


if __name__ == "__main__":
    main()
