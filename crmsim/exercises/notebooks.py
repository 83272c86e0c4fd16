"""Student and solution notebooks, both built from the sets' cells, so they cannot drift apart.

The student notebook has ``____`` in every answer cell and nothing of the solutions (cells,
outputs and metadata); the solution notebook has each question's ``solution_code`` in its
answer cell. Both carry ``metadata["crmsim"] = {"exercise_set": name}``, which the grader uses
when a file was renamed.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmsim.exercises.sets import ExerciseSet, all_sets

__all__ = ["build", "execute_solutions", "write_notebooks"]

_KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def _intro(exercise_set: ExerciseSet) -> str:
    lesson = exercise_set.lesson
    return (
        f"# {exercise_set.title}\n\n"
        f"These exercises go with the lesson [{Path(lesson).stem}](../{lesson}). Every student "
        "works on their own small company, made from their student id, so the answers are "
        "yours alone.\n\n"
        "How to work:\n\n"
        "1. Put your student id in the setup cell below (between quotes) and run it.\n"
        "2. For each question, replace `____` in the answer cell with your code and run it.\n"
        "3. Run the check cell under it: `q1.check()` says what is wrong, or which checks "
        "passed. Your instructor's grading may run more checks.\n"
        "4. Stuck? `q1.hint()` gives a hint, run it again for a second one; `q1.solution()` "
        "shows the answer (your progress records that you looked).\n\n"
        "Progress is kept on this computer only (`progress()` shows it)."
    )


def _setup_code(exercise_set: ExerciseSet) -> str:
    names = ", ".join(q.name for q in exercise_set.questions)
    return (
        "import crmsim  # noqa: F401 (you will use it in your answers)\n"
        "from crmsim.exercises import ____, progress\n"
        f"from crmsim.exercises.sets import {exercise_set.name} as ex\n\n"
        '# your student id between quotes, e.g. student_id="2024001"\n'
        "data = ex.setup(student_id=____)\n"
        f"{names} = ex.questions()\n"
        "data"
    )


def _check_code(number: int) -> str:
    return (
        f"q{number}.check()\n"
        f"# q{number}.hint()       # a hint; run again for the next one\n"
        f"# q{number}.solution()   # the answer (recorded in your progress)"
    )


def build(
    exercise_set: ExerciseSet,
    solutions: bool = False,
    student_id: str | None = None,
    answers: dict[int, str] | None = None,
) -> nbformat.NotebookNode:
    """The notebook of *exercise_set*: the student copy, or with *solutions* every answer filled
    in.

    *student_id* fills in the setup cell's id and *answers* (question number -> code) replaces
    answer cells: a filled-in submission, as the tests and the benchmark need.
    """
    setup = _setup_code(exercise_set)
    if student_id is not None:
        setup = setup.replace("student_id=____", f"student_id={student_id!r}")
    cells = [new_markdown_cell(_intro(exercise_set)), new_code_cell(setup)]
    for cell in exercise_set.cells:
        if cell.kind == "markdown":
            cells.append(new_markdown_cell(cell.source))
        elif cell.kind == "code":
            cells.append(new_code_cell(cell.source))
        elif cell.kind == "answer":
            source = exercise_set.solution_for(cell.question) if solutions else cell.source
            if answers and cell.question in answers:
                source = answers[cell.question]
            cells.append(new_code_cell(source))
        elif cell.kind == "ask":
            cells.append(new_code_cell(f"q{cell.question}.ask()  # your own case and options"))
        elif cell.kind == "check":
            cells.append(new_code_cell(_check_code(cell.question)))
        else:
            raise ValueError(f"{exercise_set.name}: unknown cell kind {cell.kind!r}")
    cells.append(new_markdown_cell("## Your progress"))
    cells.append(new_code_cell("# NBVAL_IGNORE_OUTPUT\nprogress(data.student_id, ex.SET.name)"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(_KERNEL)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["crmsim"] = {"exercise_set": exercise_set.name}
    # stable cell ids: the same source always gives the same file
    for i, c in enumerate(nb.cells):
        c["id"] = f"{exercise_set.notebook.replace('_', '-')}-{i:02d}"
    return nb


def write_notebooks(out_dir: str | Path, solutions: bool = False) -> list[Path]:
    """Write every set's notebook (``01_lifecycle.ipynb`` ...) into *out_dir*; return the paths.

    Solution notebooks are written without outputs; execute them with
    :func:`execute_solutions`.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for exercise_set in all_sets():
        path = out / f"{exercise_set.notebook}.ipynb"
        nbformat.write(build(exercise_set, solutions=solutions), str(path))
        paths.append(path)
    return paths


def execute_solutions(path: str | Path, timeout: float = 120.0) -> list[str]:
    """Execute the instructor's solution notebook *path* in place (a trusted notebook: a plain
    kernel, no sandbox) and return its problems: a cell that raised, or a check that did not
    pass (every check of a solution notebook must say "Correct", or "Submitted" for a text
    answer). The kernel works in a temporary folder, so no progress file is left beside the
    notebook or in the instructor's home.
    """
    import os
    import tempfile

    from nbclient import NotebookClient

    path = Path(path)
    nb = nbformat.read(str(path), as_version=4)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="crmsim-solutions-") as work:
        env = dict(os.environ)
        env["CRMSIM_PROGRESS"] = str(Path(work) / "progress.json")
        env["MPLBACKEND"] = "Agg"
        client = NotebookClient(
            nb,
            timeout=int(timeout),
            kernel_name="python3",
            allow_errors=True,
            resources={"metadata": {"path": work}},
        )
        try:
            with client.setup_kernel(env=env, cwd=work):
                for index, cell in enumerate(nb.cells):
                    if cell.cell_type == "code":
                        client.execute_cell(cell, index)
        except Exception as exc:  # a hung or dead kernel: reported, the notebook still written
            problems.append(f"kernel: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problems.append(f"cell {number}: {out.get('ename')}: {out.get('evalue')}")
        if cell.source.lstrip().startswith("q") and ".check()" in cell.source.split("\n")[0]:
            shown = "".join(
                str(o.get("data", {}).get("text/markdown", "")) for o in cell.get("outputs", [])
            )
            if not shown.startswith(("✅", "📝")):
                problems.append(
                    f"cell {number}: {cell.source.splitlines()[0]} says "
                    f"{shown.strip()[:200] or 'nothing'}"
                )
    nbformat.write(nb, str(path))
    return problems
