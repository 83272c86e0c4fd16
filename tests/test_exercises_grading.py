"""Grading a folder of messy submissions: every case is reported, the batch goes on, and no
submission is changed."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from crmsim.app.cli import main
from crmsim.exercises.grading import grade
from crmsim.exercises.notebooks import build
from crmsim.exercises.sets import get_set

ABC = get_set("ex02_abc")
SOLUTIONS = {q.number: q.solution_code for q in ABC.questions}
TIMEOUT = 30  # seconds per notebook: a normal one needs about 10


def _write(folder: Path, name: str, nb) -> None:
    nbformat.write(nb, str(folder / name))


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    _write(folder, "s001_02_abc.ipynb", build(ABC, student_id="s001", answers=SOLUTIONS))
    _write(folder, "s002_02_abc.ipynb", build(ABC, student_id="s002", answers={
        1: SOLUTIONS[1], 2: SOLUTIONS[2] + "\nshare_a = 100 * share_a  # a percentage"}))
    _write(folder, "s003_02_abc.ipynb", build(ABC))
    (folder / "s004_02_abc.ipynb").write_text("{not json", encoding="utf-8")
    (folder / "s005_02_abc.ipynb").write_text(json.dumps({"cells": 5}), encoding="utf-8")
    _write(folder, "s006_02_abc.ipynb", build(ABC, student_id="s006", answers={
        **SOLUTIONS, 1: "abc_classes = = 1"}))
    _write(folder, "s007_02_abc.ipynb", build(ABC, student_id="s007", answers={
        **SOLUTIONS, 2: "share_a = 1 / 0"}))
    _write(folder, "s008_02_abc.ipynb", build(ABC, student_id="s008", answers={
        **SOLUTIONS, 3: "while True:\n    pass"}))
    _write(folder, "homework.ipynb", build(ABC, student_id="s009", answers=SOLUTIONS))
    before = _digests(folder)
    out = folder.parent / "grades.csv"
    code = main(["exercises", "grade", str(folder), "--out", str(out), "--timeout",
                 str(TIMEOUT), "--workers", "2", "--no-progress"])
    return folder, before, out, code


def _row(table: pd.DataFrame, file: str) -> pd.Series:
    return table.set_index("file").loc[file]


def test_every_case_is_reported(messy):
    folder, _, out, code = messy
    assert code == 0
    table = pd.read_csv(out, keep_default_na=False)
    assert len(table) == 9
    correct = _row(table, "s001_02_abc.ipynb")
    assert (correct["status"], correct["score"], correct["total"]) == ("graded", 4, 4)
    assert correct["notes"] == ""
    partial = _row(table, "s002_02_abc.ipynb")
    assert partial[["q1", "q2", "q3", "q4"]].tolist() == [
        "correct", "incorrect", "not_attempted", "not_attempted"]
    assert partial["score"] == 1
    blank = _row(table, "s003_02_abc.ipynb")
    assert blank["score"] == 0 and blank["student_id"] == "s003"
    assert blank[["q1", "q2", "q3", "q4"]].tolist() == ["not_attempted"] * 4
    assert "no student id in setup" in blank["notes"]
    for file, reason in (("s004_02_abc.ipynb", "not valid JSON"),
                         ("s005_02_abc.ipynb", "not a notebook")):
        row = _row(table, file)
        assert row["status"] == "unreadable" and reason in row["notes"]
    syntax = _row(table, "s006_02_abc.ipynb")
    assert syntax["status"] == "errors" and "SyntaxError" in syntax["notes"]
    assert syntax["q1"] == "not_attempted" and syntax["score"] == 3
    raising = _row(table, "s007_02_abc.ipynb")
    assert raising["status"] == "errors" and "ZeroDivisionError" in raising["notes"]
    assert raising["score"] == 3
    loop = _row(table, "s008_02_abc.ipynb")
    assert loop["status"] == "timeout" and "timeout" in loop["notes"]
    assert loop[["q1", "q2", "q3", "q4"]].tolist() == [
        "correct", "correct", "not_attempted", "not_attempted"]
    renamed = _row(table, "homework.ipynb")
    assert renamed["set"] == "ex02_abc" and renamed["score"] == 4
    assert "renamed" in renamed["notes"] and "id mismatch" in renamed["notes"]
    assert renamed["student_id"] == "s009"
    feedback = out.with_name("grades_feedback")
    assert len(list(feedback.glob("*.md"))) == 9
    text = (feedback / "s002_02_abc.md").read_text(encoding="utf-8")
    assert "percentage" in text and "instructor may run more" in text


def test_submissions_are_unchanged(messy):
    folder, before, _, _ = messy
    assert _digests(folder) == before


def test_grading_twice_gives_the_same_csv(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    _write(folder, "a_02_abc.ipynb", build(ABC, student_id="a", answers={1: SOLUTIONS[1]}))
    (folder / "b_02_abc.ipynb").write_text("nope", encoding="utf-8")
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    grade(folder, first, timeout=TIMEOUT, workers=1)
    grade(folder, second, timeout=TIMEOUT, workers=1)
    assert first.read_bytes() == second.read_bytes()


def test_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        grade(tmp_path / "missing")
    with pytest.raises(ValueError, match="workers"):
        grade(tmp_path, workers=0)


def test_a_simulation_set_is_graded(tmp_path):
    """Set 07 runs crmsim.compare in the submission: the solved copy gets every point, a
    partial one its share, and nothing is changed."""
    structures = get_set("ex07_structures")
    answers = {q.number: q.solution_code for q in structures.questions}
    folder = tmp_path / "subs"
    folder.mkdir()
    _write(folder, "s101_07_structures.ipynb",
           build(structures, student_id="s101", answers=answers))
    _write(folder, "s102_07_structures.ipynb",
           build(structures, student_id="s102", answers={3: answers[3]}))
    before = _digests(folder)
    out = tmp_path / "grades.csv"
    grade(folder, out, timeout=60, workers=2)
    table = pd.read_csv(out, dtype={"student_id": str})
    solved = table[table["file"] == "s101_07_structures.ipynb"].iloc[0]
    partial = table[table["file"] == "s102_07_structures.ipynb"].iloc[0]
    assert solved["status"] == "graded" and solved["set"] == "ex07_structures"
    assert solved["score"] == solved["total"] == len(structures)
    assert partial["score"] == 1 and partial["q3"] == "correct"
    assert partial["q4"] == "not_attempted"
    assert _digests(folder) == before
