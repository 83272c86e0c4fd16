"""Benchmark: grade a class of 30 submissions of exercise set 02 (ABC) with two workers.

Run by hand from the repository root::

    python benchmarks/bench_grading.py [--students 30] [--workers 2] [--timeout 60]

Prints the wall time, seconds per submission and the spread of scores. Submissions are a mix:
every third fully answered, the others partly answered, each with its own student id.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nbformat

from crmsim.exercises.grading import grade
from crmsim.exercises.notebooks import build
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "submissions"
        folder.mkdir()
        make_class(folder, args.students)
        start = time.perf_counter()
        table = grade(folder, Path(tmp) / "grades.csv", timeout=args.timeout,
                      workers=args.workers, progress=True)
        seconds = time.perf_counter() - start
    print(f"graded {len(table)} submissions with {args.workers} workers in {seconds:.1f} s: "
          f"{seconds / len(table):.2f} s per submission (wall), "
          f"{seconds * args.workers / len(table):.2f} s per submission per worker")
    print("status:", table["status"].value_counts().to_dict())
    print("scores:", table["score"].value_counts().sort_index().to_dict())


if __name__ == "__main__":
    main()
