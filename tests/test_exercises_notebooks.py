"""Student copies carry no solution text anywhere; solution copies carry every solution; the
committed exercise notebooks are the student copies."""

from __future__ import annotations

import re
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


# --------------------------------------------------------------------------- the Chinese edition


def _code_without_comments(source: str) -> list[str]:
    lines = []
    for line in source.splitlines():
        code = line.split("  #", 1)[0].rstrip() if not line.lstrip().startswith("#") else ""
        if code and not code.startswith("crmsim.set_language("):
            lines.append(code)
    return lines


@pytest.mark.parametrize("exercise_set", all_sets(), ids=lambda s: s.name)
def test_committed_chinese_notebooks_are_the_chinese_student_copies(exercise_set):
    path = ROOT / "exercises" / "zh" / f"{exercise_set.notebook}.ipynb"
    text = path.read_text(encoding="utf-8")
    _assert_no_solution(text, exercise_set)
    nb = nbformat.reads(text, as_version=4)
    fresh = build(exercise_set, lang="zh")
    assert [c.source for c in nb.cells] == [c.source for c in fresh.cells]
    assert nb.metadata["crmsim"] == {"exercise_set": exercise_set.name, "language": "zh"}
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs, "commit the notebook with its outputs"
    assert not any(o.output_type == "error" for o in outputs)
    # the checks speak Chinese: the kit's language is switched in the setup cell
    checks = "".join(str(o.get("data", {}).get("text/plain", "")) for c in nb.cells
                     if c.cell_type == "code" and c.source.startswith("q1.check()")
                     for o in c.outputs)
    assert re.search(r"[\u4e00-\u9fff]", checks), checks


@pytest.mark.parametrize("exercise_set", all_sets(), ids=lambda s: s.name)
def test_the_two_editions_have_the_same_cells_and_code(exercise_set):
    english, chinese = build(exercise_set), build(exercise_set, lang="zh")
    assert [c.get("id") for c in english.cells] == [c.get("id") for c in chinese.cells]
    for a, b in zip(english.cells, chinese.cells, strict=True):
        assert a.cell_type == b.cell_type
        if a.cell_type == "code":
            assert _code_without_comments(a.source) == _code_without_comments(b.source)
        else:
            assert re.search(r"[\u4e00-\u9fff]", b.source), f"untranslated: {b.source[:60]}"
    setup = chinese.cells[1].source
    assert 'crmsim.set_language("zh")' in setup or "crmsim.set_language('zh')" in setup


def test_every_question_text_has_its_catalog_message():
    """A set's English text (title, prompts, notes) is the catalog's English for its key: when a
    question changes, the catalog must follow (and its translation be redone)."""
    from crmsim.exercises.notebooks import text_keys
    from crmsim.terms import catalog

    english = catalog.english()
    stale = [key for s in all_sets() for key, text in text_keys(s).items()
             if english.get(key) != text]
    assert not stale, (
        f"update these messages in crmsim/terms/locale (template and every catalog): {stale}")


@pytest.mark.parametrize("exercise_set", [s for s in all_sets()
                                          if any(q.case is not None for q in s.questions)],
                         ids=lambda s: s.name)
def test_every_students_case_reads_in_chinese(exercise_set):
    """The case `q.ask()` shows (a customer described in words, five customers' sales, a piece of
    evidence...) comes from catalog messages, so the Chinese edition shows it in Chinese: no
    English sentence outside the code spans, for several students."""
    from crmsim.terms import language

    for student in ("demo", "2024001", "2024002", "2024003", "2024017"):
        data = exercise_set.data(student)
        for q in exercise_set.questions:
            if q.case is None:
                continue
            with language("zh"):
                text = q.case(data)
            prose = re.sub(r"`[^`]*`", "", text)
            assert re.search(r"[\u4e00-\u9fff]", prose), (q.key, text)
            assert not re.search(r"[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}", prose), (q.key, text)


def test_the_student_command_writes_the_chinese_edition(tmp_path):
    assert main(["exercises", "student", str(tmp_path), "--lang", "zh"]) == 0
    nb = nbformat.read(str(tmp_path / "02_abc.ipynb"), as_version=4)
    assert nb.cells[0].source.startswith("# 练习02")
    assert "../../notebooks/zh/02_abc_and_pareto.ipynb" in nb.cells[0].source
