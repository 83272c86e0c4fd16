"""The checks of crmsim.exercises.core: order, messages, placeholder, hints, solution, progress."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import crmsim
from crmsim.exercises import ____, is_blank, progress
from crmsim.exercises.core import msg
from crmsim.exercises.data import seed_of, student_data
from crmsim.exercises.sets import get_set


@pytest.fixture(autouse=True)
def _progress_file(tmp_path, monkeypatch):
    monkeypatch.setenv("CRMSIM_PROGRESS", str(tmp_path / "progress.json"))
    return tmp_path / "progress.json"


@pytest.fixture
def abc():
    s = get_set("ex02_abc")
    return s, s.data("2024001")


def test_placeholder_runs_and_is_blank():
    assert repr(____) == "____" and not ____
    assert is_blank(____)

    def f(x):
        ____  # noqa: B018

    def g(x):
        return x

    assert is_blank(f) and not is_blank(g) and not is_blank(0)


def test_type_then_shape_then_value(abc):
    s, data = abc
    q1 = s.question(1)
    expected = q1.expected(data)
    fb = q1.evaluate(42, data)
    assert fb.status == "incorrect" and "int" in fb.message and not fb.checks
    fb = q1.evaluate(expected.iloc[:-2], data)
    assert f"got {len(expected) - 2}" in fb.message and len(fb.checks) == 1
    assert expected.index[-1] in fb.message  # names a missing customer
    wrong = expected.copy()
    wrong.iloc[0] = "Z"
    assert "categories Z" in q1.evaluate(wrong, data).message
    flipped = expected.copy()
    flipped.iloc[-1] = "A" if flipped.iloc[-1] != "A" else "C"
    fb = q1.evaluate(flipped, data)
    assert fb.message == msg("wrong_labels", n=1, of=len(expected), ids=expected.index[-1])
    # accepted forms: Series, dict, a DataFrame with id and class columns
    table = expected.rename("class").rename_axis("customer_id").reset_index()
    for form in (expected, expected.to_dict(), table):
        assert q1.evaluate(form, data).passed


def test_numbers(abc):
    s, data = abc
    q2 = s.question(2)
    right = q2.expected(data)
    assert q2.evaluate(right + 0.004, data).passed  # within the stated tolerance
    assert q2.evaluate(True, data).status == "incorrect"  # a bool is not a number
    assert "single number" in q2.evaluate(pd.Series([right]), data).message
    assert "finite" in q2.evaluate(float("nan"), data).message
    assert q2.evaluate(right + 0.2, data).message == msg("wrong_number")
    assert f"{right:.6g}" not in q2.evaluate(right + 0.2, data).message


def test_choices_and_ids():
    s = get_set("ex01_lifecycle")
    data = s.data("2024001")
    q3, q4 = s.question(3), s.question(4)
    assert "'maybe'" in q3.evaluate("maybe", data).message
    assert q3.evaluate(" Decline ", data).passed  # case and spaces do not matter
    assert q4.evaluate("C9999", data).message == msg("unknown_id", got="C9999")
    assert "int" in q4.evaluate(12, data).message


def test_function_answers_get_clear_messages():
    s = get_set("ex04_credit")
    q1 = s.question(1)
    data = s.data("2024001")

    def no_return(scores):
        scores.mean(axis=1)

    def raises(scores):
        return scores["charactr"]

    assert q1.evaluate(no_return, data).message == msg("no_return", var="six_c_score")
    assert "KeyError" in q1.evaluate(raises, data).message
    assert q1.evaluate(3.5, data).message == msg("not_function", var="six_c_score", got="float")
    assert "got 2" in q1.evaluate(lambda s: s.mean(axis=1).iloc[:2], data).message
    fb = q1.evaluate(lambda s: s.mean(axis=1), data, s.extra_data(data))
    assert fb.passed and msg("check.runs") in fb.checks
    # a function that only fits this student's data fails on the instructor's extra data
    mine = q1.expected(data)
    fb = q1.evaluate(lambda scores: mine, data, s.extra_data(data))
    assert fb.status == "incorrect"
    assert q1.evaluate(lambda scores: mine, data).passed


def test_notebook_flow_hints_solution_progress(_progress_file):
    s = get_set("ex02_abc")
    namespace = {"crmsim": crmsim}
    data = s.setup(student_id="2024001", namespace=namespace)
    q1 = s.question(1)
    namespace["abc_classes"] = ____
    assert q1.check().status == "not_attempted"
    del namespace["abc_classes"]
    assert q1.check().message == msg("undefined", var="abc_classes")
    assert "hint 1 first" in q1.hint(2)
    assert q1.hint().startswith("Hint 1") and q1.hint().startswith("Hint 2")
    exec(s.solution_for(1), {**namespace, "data": data}, namespace)
    assert q1.check().passed
    text = q1.solution()
    assert s.solution_for(1) in text
    saved = json.loads(_progress_file.read_text(encoding="utf-8"))
    entry = saved["2024001"]["ex02_abc.q1"]
    assert entry == {"passed": True, "last": "correct", "checks": 3, "hints": 2,
                     "solution": True}
    table = progress("2024001")
    assert table["question"].tolist() == ["ex02_abc.q1"]
    assert bool(table["passed"].iloc[0])


def test_placeholder_id_uses_demo_data():
    s = get_set("ex02_abc")
    data = s.setup(student_id=____, namespace={})
    assert data.student_id == "demo"
    with pytest.raises(ValueError, match="student_id"):
        s.setup(student_id=2024001, namespace={})


def test_messages_follow_the_language(abc):
    s, data = abc
    q2 = s.question(2)
    with crmsim.language("zh"):
        assert "正确" in repr(q2.evaluate(q2.expected(data), data))
        assert "百分数" in q2.evaluate(100 * q2.expected(data), data).message
    with crmsim.language("both"):
        assert "Correct (正确)" in repr(q2.evaluate(q2.expected(data), data))


def test_student_data_is_seeded_by_id():
    assert seed_of("a") == seed_of(" a ")
    a, b = student_data("a"), student_data("a")
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert a.ids != student_data("b").ids
    assert set(a.transactions["customer_id"]) <= set(a.ids)
    with pytest.raises(ValueError, match="student_id"):
        student_data("")
    with pytest.raises(ValueError, match="n_customers"):
        student_data("a", n_customers=2)
