"""Every question of every exercise set, checked without kernels (answers computed directly).

- Right is right: over 30 student ids, the reference solution passes, the right answer rounded
  to the precision the question states passes, and each known near miss gets its own message
  (or passes, when on that student's data it happens to be the right answer).
- Copying and guessing fail: over 100 student ids, for every number and table question, the
  class-wide typical answer and a classmate's answer each pass for fewer than 5 ids; every
  multiple-choice question draws its options' order (and most their right answer) from the data.
- The blank answer is "not attempted"; every hint and near miss has its message.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest

import crmsim
from crmsim.exercises import ____
from crmsim.exercises.core import msg
from crmsim.exercises.sets import all_sets, get_set
from crmsim.terms import TERMS

IDS_100 = tuple(f"2024{i:03d}" for i in range(100))
IDS_30 = IDS_100[:30]
SETS = [s.name for s in all_sets()]
QUESTIONS = [(s.name, q.number) for s in all_sets() for q in s.questions]
AUTO = [(s.name, q.number) for s in all_sets() for q in s.questions if q.kind != "text"]
#: Fewer than this many ids of 100 may pass with a guessed or copied answer.
COPY_LIMIT = 5


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMSIM_PROGRESS", str(tmp_path / "progress.json"))


@functools.cache
def _expected(set_name: str, number: int) -> tuple:
    """The right answer of question *number* for each of the 100 ids (computed once)."""
    s = get_set(set_name)
    q = s.question(number)
    return tuple(q.expected(s.data(sid)) for sid in IDS_100)


def _solve(exercise_set, question, student_id):
    """Run the question's reference code on the student's data, as a notebook would."""
    namespace = {"crmsim": crmsim, "pd": pd}
    data = exercise_set.setup(student_id, namespace=namespace)
    namespace.update({q.name: q for q in exercise_set.questions}, data=data)
    exec(question.solution_code, namespace)
    return namespace[question.var], data


def _letter(question, data, value):
    return next(k for k, v in question.choices(data).items() if v == value)


@pytest.mark.parametrize(("set_name", "number"), QUESTIONS)
def test_reference_solution_passes(set_name, number):
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    for student_id in ("demo", "2024001", "s-17", "王小明"):
        answer, data = _solve(exercise_set, q, student_id)
        extra = exercise_set.unseen_data("test") if q.kind == "function" else ()
        feedback = q.evaluate(answer, data, extra)
        want = "submitted" if q.kind == "text" else "correct"
        assert feedback.status == want, (student_id, feedback.message)
        if want == "correct":
            assert "instructor may run more" in feedback.message


@pytest.mark.parametrize(("set_name", "number"), AUTO)
def test_right_rounded_and_near_misses_over_30_ids(set_name, number):
    """The right answer passes; rounded to the stated decimals it passes; each near miss gets
    its message unless it is the right answer on that student's data."""
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    fired = {near.key: 0 for near in q.near_misses if near.make is not None}
    for i, student_id in enumerate(IDS_30):
        data = exercise_set.data(student_id)
        right = _expected(set_name, number)[i]
        if q.kind == "function":
            answer = lambda scores: scores.mean(axis=1)  # noqa: E731
        elif q.kind == "choice":
            answer = _letter(q, data, right)
        else:
            answer = right
        assert q.evaluate(answer, data).passed, (student_id, q.evaluate(answer, data).message)
        if q.decimals is not None:
            rounded = round(float(right), q.decimals)
            feedback = q.evaluate(rounded, data)
            assert feedback.passed, (student_id, rounded, right, feedback.message)
            assert q.evaluate(float(f"{right:.{q.decimals + 4}f}"), data).passed
        for near in q.near_misses:
            if near.make is None:
                continue
            wrong = near.make(data)
            given = _letter(q, data, wrong) if q.kind == "choice" else wrong
            feedback = q.evaluate(given, data)
            if feedback.passed:
                continue  # on this student's data the mistake gives the right answer
            if q.kind == "number" and q.decimals is not None:
                # the mistake rounded like the right answer is never taken for the right one
                digits = q.decimals if near.tolerance is None else max(q.decimals - 2, 0)
                assert q.evaluate(round(float(wrong), digits), data).status != "correct"
            assert feedback.status in ("incorrect", "partial")
            if feedback.message == msg(f"{q.key}.{near.key}"):
                fired[near.key] += 1
                assert feedback.credit == near.credit
    for key, n in fired.items():
        assert n >= 3, f"{q.key}.{key} fired for only {n} of 30 students"


def _numeric_or_table():
    for s in all_sets():
        for q in s.questions:
            if q.kind in ("number", "labels", "values", "id"):
                yield s.name, q.number


@pytest.mark.parametrize(("set_name", "number"), list(_numeric_or_table()))
def test_guessing_and_copying_fail_over_100_ids(set_name, number):
    """A blind guess (the class's typical answer) and a classmate's answer each pass for fewer
    than 5 of 100 students."""
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    expected = _expected(set_name, number)
    datas = [exercise_set.data(sid) for sid in IDS_100]
    if q.kind == "number":
        guess = float(np.median(expected))
    elif q.kind == "id":
        guess = pd.Series(expected).value_counts().index[0]
    else:  # a table: the first student's shape with the class's most common value
        typical = pd.concat(expected).astype(str).value_counts().index[0]
        guess = pd.Series(typical, index=expected[0].index)
        if q.kind == "values":
            guess = guess.astype(float)
    guessed = sum(q.evaluate(guess, d).passed for d in datas)
    copied = sum(q.evaluate(expected[(i + 1) % 100], d).passed for i, d in enumerate(datas))
    assert guessed < COPY_LIMIT, f"{q.key}: the guess {guess!r} passes for {guessed} of 100"
    assert copied < COPY_LIMIT, f"{q.key}: a classmate's answer passes for {copied} of 100"


def _choices():
    for s in all_sets():
        for q in s.questions:
            if q.kind == "choice":
                yield s.name, q.number


@pytest.mark.parametrize(("set_name", "number"), list(_choices()))
def test_choices_are_drawn_from_the_students_data(set_name, number):
    """Each student sees the options in an order drawn from the id: the right letter varies,
    so a classmate's letter is right only by chance; a drawn case varies the right option."""
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    datas = [exercise_set.data(sid) for sid in IDS_100]
    expected = _expected(set_name, number)
    letters = [_letter(q, d, e) for d, e in zip(datas, expected, strict=True)]
    n_options = len(q.choices(datas[0]))
    top = pd.Series(letters).value_counts().iloc[0]
    assert top <= 100 / n_options + 25, f"{q.key}: one letter is right for {top} of 100"
    copied = sum(q.evaluate(letters[(i + 1) % 100], d).passed for i, d in enumerate(datas))
    assert copied <= 100 / n_options + 25
    if q.case is not None:
        assert len(set(expected)) >= 3, f"{q.key}: the drawn case gives {set(expected)}"
        assert len({q.case(d) for d in datas[:20]}) >= 3


@pytest.mark.parametrize(("set_name", "number"), QUESTIONS)
def test_blank_is_not_attempted(set_name, number):
    exercise_set = get_set(set_name)
    q = exercise_set.question(number)
    data = exercise_set.data("demo")
    if q.kind == "function":

        def blank(scores):
            ____  # noqa: B018

        answer = blank
    elif q.kind == "text":
        answer = "____"
    else:
        answer = ____
    feedback = q.evaluate(answer, data)
    assert feedback.status == "not_attempted"
    assert q.var in feedback.message


def test_every_hint_and_near_miss_has_its_message_and_no_message_is_orphaned():
    wanted = set()
    for s in all_sets():
        for q in s.questions:
            wanted |= {f"exercise.{q.key}.hint{i}" for i in range(1, q.hints + 1)}
            wanted |= {f"exercise.{q.key}.{n.key}" for n in q.near_misses}
    have = {k for k in TERMS if k.startswith("exercise.") and k.split(".")[1] in SETS}
    assert not wanted - have, f"messages missing: {sorted(wanted - have)}"
    assert not have - wanted, f"messages no question uses: {sorted(have - wanted)}"


def test_points_and_policy_are_part_of_the_set():
    for s in all_sets():
        assert s.points == sum(q.points for q in s.questions) > 0
        assert 0.0 <= s.solution_credit <= 1.0
        assert sum(q.graded_by_hand for q in s.questions) == 1  # one answer in words
        for q in s.questions:
            assert 0.0 <= q.partial <= 1.0
            assert all(0.0 <= n.credit < 1.0 for n in q.near_misses)


def test_off_scale_6c_scores_get_their_message():
    exercise_set = get_set("ex04_credit")
    q = exercise_set.question(1)
    data = exercise_set.data("2024001")
    for wrong in (lambda s: s.sum(axis=1), lambda s: 20 * s.mean(axis=1)):
        feedback = q.evaluate(wrong, data)
        assert feedback.message == msg("ex04_credit.q1.off_scale")


def test_same_id_same_data_and_own_customer_ids():
    a, b = get_set("ex02_abc").data("x1"), get_set("ex02_abc").data("x1")
    assert a is b
    other = get_set("ex02_abc").data("x2")
    assert len(set(a.ids) & set(other.ids)) < 5
    assert all(i.startswith("C") and len(i) == 5 for i in a.ids)


def test_funnel_rate_on_all_leads_gets_its_message_on_a_hand_worked_table():
    """Month 1 has ended (won, lost, lost); month 2 has an open lead. crmsim's rate counts
    month 1 only: 1/3. Won over the ended leads is 2/5; once month 2 holds two won leads, won
    over all leads is 3/6. Each mistake gets its own message; rounded to 3 decimals, 1/3 passes."""
    from crmsim.exercises.data import StudentData

    exercise_set = get_set("ex06_funnel")
    q = exercise_set.question(1)
    leads = pd.DataFrame(
        {
            "month": [1, 1, 1, 2, 2, 2],
            "outcome": ["won", "lost", "lost", "won", "lost", "open"],
            "channel": ["referral"] * 6,
        }
    )
    base = exercise_set.data("demo")
    data = StudentData(
        "hand", base.customers, base.transactions, tables={**base.tables, "leads": leads}
    )
    assert q.evaluate(1 / 3, data).passed and q.evaluate(0.333, data).passed
    assert not q.evaluate(0.33, data).passed  # the question asks for 3 decimals
    ended = q.evaluate(2 / 5, data)  # 2 won over the 5 ended leads
    assert ended.message == msg("ex06_funnel.q1.ended_leads")
    leads.loc[4, "outcome"] = "won"  # month 2: now 2 won, 1 open -> all leads 3/6
    assert q.evaluate(0.5, data).message == msg("ex06_funnel.q1.all_leads")
    percent = q.evaluate(33.3, data)
    assert percent.message == msg("ex06_funnel.q1.percent")
    assert percent.status == "partial" and percent.credit == 0.5
