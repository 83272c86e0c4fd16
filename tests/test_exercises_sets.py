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


def test_funnel_rate_on_all_leads_gets_its_message_on_a_hand_worked_table():
    """Month 1 has ended (won, lost, lost); month 2 has an open lead. crmsim's rate counts
    month 1 only: 1/3. Won over the ended leads is 2/5; once month 2 holds two won leads, won
    over all leads is 3/6. Each mistake gets its own message."""
    from crmsim.exercises.data import StudentData

    exercise_set = get_set("ex06_funnel")
    q = exercise_set.question(1)
    leads = pd.DataFrame({
        "month": [1, 1, 1, 2, 2, 2],
        "outcome": ["won", "lost", "lost", "won", "lost", "open"],
        "channel": ["referral"] * 6,
    })
    base = exercise_set.data("demo")
    data = StudentData("hand", base.customers, base.transactions,
                       tables={**base.tables, "leads": leads})
    # crmsim's rate: month 1 only, 1 won of 3 leads
    assert q.evaluate(1 / 3, data).passed
    assert q.evaluate(2 / 6, data).passed  # here won over all leads happens to be 1/3 too
    ended = q.evaluate(2 / 5, data)  # 2 won over the 5 ended leads
    assert ended.message == msg("ex06_funnel.q1.ended_leads")
    leads.loc[4, "outcome"] = "won"  # month 2: now 2 won, 1 open -> all leads 3/6
    assert q.evaluate(0.5, data).message == msg("ex06_funnel.q1.all_leads")
    assert q.evaluate(100 / 3, data).message == msg("ex06_funnel.q1.percent")


@pytest.mark.parametrize("set_name", ["ex07_structures", "ex08_star_salespeople"])
def test_copying_a_classmates_simulated_answer_does_not_pass(set_name):
    exercise_set = get_set(set_name)
    q = exercise_set.question(1)
    mine, theirs = exercise_set.data("2024001"), exercise_set.data("2024002")
    assert q.evaluate(q.expected(mine), mine).passed
    assert q.evaluate(q.expected(theirs), mine).status == "incorrect"
