"""Student and solution notebooks, both built from the sets' cells, so they cannot drift apart.

The student notebook has ``____`` in every answer cell and nothing of the solutions (cells,
outputs and metadata); the solution notebook has each question's ``solution_code`` in its
answer cell. Both carry ``metadata["crmsim"] = {"exercise_set": name}``, which the grader uses
when a file was renamed.

Every edition is built from the same sets (``lang="zh"`` for the Chinese one in
``exercises/zh/``): the code cells are the same, the text comes from the translation catalogs.
A set's own English text (title, question prompts, notes) is the source: its catalog message
(``exercise_text.<set>.title``, ``.q<n>.prompt``, ``.note<k>``) carries the same English, and a
translation is used only while that English has not changed since it was translated (see
:mod:`crmsim.exercises.texts`; tests/test_exercises_notebooks.py says which message to update).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from crmsim.exercises.sets import ExerciseSet, all_sets
from crmsim.exercises.texts import say
from crmsim.terms import label, resolve_language

__all__ = ["build", "edition_dir", "execute_solutions", "text_keys", "write_notebooks"]

_KERNEL = {"display_name": "Python 3", "language": "python", "name": "python3"}


def edition_dir(root: str | Path, lang: str = "en") -> Path:
    """Where the *lang* edition of the exercises lives under *root* (``exercises/`` for English,
    ``exercises/zh/`` for Chinese)."""
    return Path(root) if lang == "en" else Path(root) / lang


def _lesson(exercise_set: ExerciseSet, lang: str) -> str:
    """The lesson's path from the repository root, in the edition of *lang*."""
    lesson = Path(exercise_set.lesson)
    return str(lesson if lang == "en" else lesson.parent / lang / lesson.name)


def text_keys(exercise_set: ExerciseSet) -> dict[str, str]:
    """Catalog key -> the set's English text, for its title and every markdown cell."""
    keys = {f"exercise_text.{exercise_set.name}.title": exercise_set.title}
    notes = 0
    for cell in exercise_set.cells:
        if cell.kind != "markdown":
            continue
        if cell.question:
            keys[f"exercise_text.{exercise_set.name}.q{cell.question}.prompt"] = cell.source
        else:
            keys[f"exercise_text.{exercise_set.name}.note{notes}"] = cell.source
            notes += 1
    return keys


def _intro(exercise_set: ExerciseSet, lang: str) -> str:
    lesson = _lesson(exercise_set, lang)
    up = "../" if lang == "en" else "../../"
    title = say(f"exercise_text.{exercise_set.name}.title", exercise_set.title, lang)
    return f"# {title}\n\n" + label("exercise.notebook.intro", lang).format(
        lesson=Path(lesson).stem, link=f"{up}{lesson}")


def _setup_code(exercise_set: ExerciseSet, lang: str) -> str:
    names = ", ".join(q.name for q in exercise_set.questions)
    switch = "" if lang == "en" else (
        f'crmsim.set_language("{lang}")  # {label("exercise.notebook.language_comment", lang)}\n')
    return (
        f"import crmsim  # noqa: F401 ({label('exercise.notebook.import_comment', lang)})\n"
        "from crmsim.exercises import ____, progress\n"
        f"from crmsim.exercises.sets import {exercise_set.name} as ex\n\n"
        f"{switch}"
        f"# {label('exercise.notebook.student_id_comment', lang)}\n"
        "data = ex.setup(student_id=____)\n"
        f"{names} = ex.questions()\n"
        "data"
    )


def _check_code(number: int, lang: str) -> str:
    return (
        f"q{number}.check()\n"
        f"# q{number}.hint()       # {label('exercise.notebook.hint_comment', lang)}\n"
        f"# q{number}.solution()   # {label('exercise.notebook.solution_comment', lang)}"
    )


def build(
    exercise_set: ExerciseSet,
    solutions: bool = False,
    student_id: str | None = None,
    answers: dict[int, str] | None = None,
    lang: str = "en",
) -> nbformat.NotebookNode:
    """The notebook of *exercise_set*: the student copy, or with *solutions* every answer filled
    in.

    *student_id* fills in the setup cell's id and *answers* (question number -> code) replaces
    answer cells: a filled-in submission, as the tests and the benchmark need. *lang* is the
    edition: ``"zh"`` writes the text in Chinese and switches the kit's messages (checks, hints)
    to Chinese in the setup cell; the code cells are those of the English edition.
    """
    lang = resolve_language(lang)
    texts = text_keys(exercise_set)
    setup = _setup_code(exercise_set, lang)
    if student_id is not None:
        setup = setup.replace("student_id=____", f"student_id={student_id!r}")
    cells = [new_markdown_cell(_intro(exercise_set, lang)), new_code_cell(setup)]
    keys = iter(k for k in texts if not k.endswith(".title"))
    for cell in exercise_set.cells:
        if cell.kind == "markdown":
            cells.append(new_markdown_cell(say(next(keys), cell.source, lang)))
        elif cell.kind == "code":
            cells.append(new_code_cell(cell.source))
        elif cell.kind == "answer":
            source = exercise_set.solution_for(cell.question) if solutions else cell.source
            if answers and cell.question in answers:
                source = answers[cell.question]
            cells.append(new_code_cell(source))
        elif cell.kind == "ask":
            cells.append(new_code_cell(
                f"q{cell.question}.ask()  # {label('exercise.notebook.ask_comment', lang)}"))
        elif cell.kind == "check":
            cells.append(new_code_cell(_check_code(cell.question, lang)))
        else:
            raise ValueError(f"{exercise_set.name}: unknown cell kind {cell.kind!r}")
    cells.append(new_markdown_cell(f"## {label('exercise.notebook.progress', lang)}"))
    cells.append(new_code_cell("# NBVAL_IGNORE_OUTPUT\nprogress(data.student_id, ex.SET.name)"))
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(_KERNEL)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata["crmsim"] = {"exercise_set": exercise_set.name}
    if lang != "en":
        nb.metadata["crmsim"]["language"] = lang
    # stable cell ids, the same in every edition: the same source always gives the same file
    for i, c in enumerate(nb.cells):
        c["id"] = f"{exercise_set.notebook.replace('_', '-')}-{i:02d}"
    return nb


def write_notebooks(out_dir: str | Path, solutions: bool = False, lang: str = "en") -> list[Path]:
    """Write every set's notebook (``01_lifecycle.ipynb`` ...) into *out_dir*; return the paths.

    Solution notebooks are written without outputs; execute them with
    :func:`execute_solutions`. *lang* chooses the edition (see :func:`build`).
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for exercise_set in all_sets():
        path = out / f"{exercise_set.notebook}.ipynb"
        nbformat.write(build(exercise_set, solutions=solutions, lang=lang), str(path))
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
