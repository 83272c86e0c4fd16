"""Student copies carry no solution text anywhere; solution copies carry every solution; the
committed exercise notebooks are the student copies."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from crmsim.app.cli import main
from crmsim.exercises.notebooks import build
from crmsim.exercises.sets import all_sets

ROOT = Path(__file__).resolve().parents[1]


def _solution_lines(exercise_set):
    """Lines of the reference solutions that are not also in the student's template."""
    templates = {c.question: c.source for c in exercise_set.cells if c.kind == "answer"}
    for q in exercise_set.questions:
        given = {line.strip() for line in templates[q.number].splitlines()}
        for line in q.solution_code.splitlines():
            line = line.strip()
            if len(line) >= 8 and line not in given:
                yield q, line


def _assert_no_solution(text: str, exercise_set) -> None:
    for q, line in _solution_lines(exercise_set):
        assert line not in text, f"{exercise_set.name} {q.name}: solution line {line!r} found"


def test_student_command_writes_clean_copies(tmp_path, capsys):
    assert main(["exercises", "student", str(tmp_path)]) == 0
    assert f"{len(all_sets())} student notebooks" in capsys.readouterr().out
    for exercise_set in all_sets():
        path = tmp_path / f"{exercise_set.notebook}.ipynb"
        text = path.read_text(encoding="utf-8")  # cells, outputs and metadata alike
        _assert_no_solution(text, exercise_set)
        nb = nbformat.read(str(path), as_version=4)
        nbformat.validate(nb)
        assert nb.metadata["crmsim"] == {"exercise_set": exercise_set.name}
        sources = [c.source for c in nb.cells]
        for q in exercise_set.questions:
            assert any(s.startswith(f"{q.name}.check()") for s in sources)
        assert exercise_set.lesson in sources[0]


def test_solution_copies_hold_every_solution():
    for exercise_set in all_sets():
        text = "\n".join(c.source for c in build(exercise_set, solutions=True).cells)
        lines = list(_solution_lines(exercise_set))
        assert lines and all(line in text for _, line in lines)


@pytest.mark.parametrize("exercise_set", all_sets(), ids=lambda s: s.name)
def test_committed_notebooks_are_student_copies(exercise_set):
    path = ROOT / "exercises" / f"{exercise_set.notebook}.ipynb"
    text = path.read_text(encoding="utf-8")
    _assert_no_solution(text, exercise_set)
    nb = nbformat.reads(text, as_version=4)
    fresh = build(exercise_set)
    assert [c.source for c in nb.cells] == [c.source for c in fresh.cells]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs, "commit the notebook with its outputs"
    assert not any(o.output_type == "error" for o in outputs)


def test_choice_questions_show_the_students_own_options():
    for exercise_set in all_sets():
        sources = [c.source for c in build(exercise_set).cells]
        for q in exercise_set.questions:
            asks = any(s.startswith(f"{q.name}.ask()") for s in sources)
            assert asks == (q.kind == "choice" or q.case is not None), q.key


def test_executing_a_solution_notebook_leaves_no_progress_file_and_reports_a_failed_check(
    tmp_path, monkeypatch
):
    """`crmsim exercises solutions` runs each notebook with its progress file in a temporary
    folder, and a check that does not pass in a solution notebook is a problem, not a pass."""
    from crmsim.exercises.notebooks import execute_solutions
    from crmsim.exercises.sets import get_set

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CRMSIM_PROGRESS", raising=False)
    abc = get_set("ex02_abc")
    good, bad = tmp_path / "good.ipynb", tmp_path / "bad.ipynb"
    nbformat.write(build(abc, solutions=True), str(good))
    wrong = {2: "a_sales = 1.0"}
    nbformat.write(build(abc, solutions=True, answers=wrong), str(bad))
    assert execute_solutions(good, timeout=60) == []
    problems = execute_solutions(bad, timeout=60)
    assert len(problems) == 1 and "q2.check()" in problems[0] and "Not yet" in problems[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ipynb", "good.ipynb", "home"]
    assert not (home / ".crmsim").exists()
    executed = nbformat.read(str(good), as_version=4)
    assert any(c.get("outputs") for c in executed.cells if c.cell_type == "code")
