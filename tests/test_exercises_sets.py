"""Every question of every exercise set: the reference solution passes for several student ids,
the blank answer is "not attempted", and each known wrong answer gets its targeted message."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import crmsim
from crmsim.exercises import ____
from crmsim.exercises.core import msg
from crmsim.exercises.sets import all_sets, get_set

IDS = ("demo", "2024001", "s-17", "王小明")
QUESTIONS = [(s.name, q.number) for s in all_sets() for q in s.questions]


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMSIM_PROGRESS", str(tmp_path / "progress.json"))


def _solve(exercise_set, question, data):
    namespace = {"crmsim": crmsim, "data": data, "pd": pd}
    exec(question.solution_code, namespace)
    return namespace[question.var]


@pytest.mark.parametrize(("set_name", "number"), QUESTIONS)
@pytest.mark.parametrize("student_id", IDS)
def test_reference_solution_passes(set_name, number, student_id):
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    data = exercise_set.data(student_id)
    extra = exercise_set.extra_data(data) if q.kind == "function" else ()
    feedback = q.evaluate(_solve(exercise_set, q, data), data, extra)
    assert feedback.status == "correct", feedback.message
    assert "instructor may run more" in feedback.message
    assert "all tests passed" not in feedback.message.lower()


@pytest.mark.parametrize(("set_name", "number"), QUESTIONS)
def test_blank_is_not_attempted(set_name, number):
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    data = exercise_set.data("demo")
    if q.kind == "function":
        def blank(scores):
            ____  # noqa: B018
        answer = blank
    else:
        answer = ____
    feedback = q.evaluate(answer, data)
    assert feedback.status == "not_attempted"
    assert q.var in feedback.message


def _near_misses():
    for s in all_sets():
        for q in s.questions:
            for near in q.near_misses:
                if near.make is not None:
                    yield s.name, q.number, near.key


@pytest.mark.parametrize(("set_name", "number", "key"), list(_near_misses()))
def test_each_near_miss_gets_its_message(set_name, number, key):
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    near = next(n for n in q.near_misses if n.key == key)
    tried = 0
    for student_id in IDS:
        data = exercise_set.data(student_id)
        wrong, right = near.make(data), q.expected(data)
        if q.evaluate(wrong, data).status == "correct" or (
            isinstance(right, pd.Series) and wrong.equals(right)
        ):
            continue  # on this student's data the mistake happens to give the right answer
        feedback = q.evaluate(wrong, data)
        assert feedback.status == "incorrect"
        assert feedback.message == msg(f"{q.key}.{key}")
        tried += 1
    assert tried >= 2, f"{q.key}.{key} differs from the answer for fewer than 2 students"


def test_off_scale_6c_scores_get_their_message():
    exercise_set = get_set("ex04_credit")
    q = exercise_set.question(1)
    data = exercise_set.data("2024001")
    for wrong in (lambda s: s.sum(axis=1), lambda s: 20 * s.mean(axis=1)):
        feedback = q.evaluate(wrong, data)
        assert feedback.message == msg("ex04_credit.q1.off_scale")


def test_copying_a_classmates_answer_does_not_pass():
    exercise_set = get_set("ex02_abc")
    q = exercise_set.question(2)
    mine, theirs = exercise_set.data("2024001"), exercise_set.data("2024002")
    assert q.evaluate(q.expected(theirs), mine).status == "incorrect"
    assert mine.ids != theirs.ids


def test_same_id_same_data_and_questions_have_hints():
    for s in all_sets():
        a, b = s.data("x1"), s.data("x1")
        assert a is b
        for q in s.questions:
            for level in range(1, q.hints + 1):
                text = msg(f"{q.key}.hint{level}")
                assert text != f"exercise.{q.key}.hint{level}"


@settings(max_examples=8)
@given(st.text(min_size=1, max_size=12).filter(lambda s: s.strip() and "#" not in s))
def test_any_student_id_gets_working_abc_questions(student_id):
    exercise_set = get_set("ex02_abc")
    data = exercise_set.data(student_id)
    assert len(data.ids) == 40 and data.ids == sorted(data.ids)
    for q in exercise_set.questions:
        assert q.evaluate(_solve(exercise_set, q, data), data).passed
    assert not exercise_set.question(1).evaluate(
        exercise_set.question(1).near_misses[0].make(data), data).passed
