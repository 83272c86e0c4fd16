"""The checks of crmsim.exercises.core: order, messages, placeholder, choices, credit, text
answers, function answers, hints, solution, progress; and answers as plain data."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pandas as pd
import pytest

import crmsim
from crmsim.exercises import ____, is_blank, progress
from crmsim.exercises.answers import Opaque, decode, encode
from crmsim.exercises.core import Call, Calls, msg
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
    assert is_blank(____) and is_blank("____") and is_blank("  ")

    def f(x):
        ____  # noqa: B018

    def g(x):
        return x

    assert is_blank(f) and not is_blank(g) and not is_blank(0) and not is_blank("a")


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


def test_partial_credit_of_a_table_is_set_by_the_question(abc):
    s, data = abc
    q1 = s.question(1)
    expected = q1.expected(data)
    flipped = expected.copy()
    flipped.iloc[-1] = "A" if flipped.iloc[-1] != "A" else "C"
    fb = q1.evaluate(flipped, data)
    right = 1 - 1 / len(expected)
    assert fb.status == "partial" and fb.credit == pytest.approx(q1.partial * right, abs=1e-4)
    assert q1.evaluate(expected.iloc[:-2], data).credit == 0.0  # wrong shape: no credit


def test_numbers_and_stated_precision(abc):
    s, data = abc
    q2, q4 = s.question(2), s.question(4)
    right = q2.expected(data)
    assert q2.decimals == 0 and q2.evaluate(round(right), data).passed
    assert q2.evaluate(right + 0.49, data).passed and not q2.evaluate(right + 0.6, data).passed
    assert q2.evaluate(True, data).status == "incorrect"  # a bool is not a number
    assert "single number" in q2.evaluate(pd.Series([right]), data).message
    assert "finite" in q2.evaluate(float("nan"), data).message
    assert q2.evaluate(right + 1000, data).message == msg("wrong_number")
    assert f"{right:.6g}" not in q2.evaluate(right + 1000, data).message
    share = q4.expected(data)
    assert q4.evaluate(round(share, 3), data).passed and q4.evaluate(np.float64(share), data).passed
    assert not q4.evaluate(round(share, 3) + 0.001, data).passed


def test_choices_are_letters_in_the_students_own_order():
    s = get_set("ex01_lifecycle")
    q3 = s.question(3)
    mine, theirs = s.data("2024001"), s.data("2024002")
    assert set(q3.choices(mine).values()) == set(q3.options)
    orders = {tuple(q3.choices(s.data(f"x{i}")).values()) for i in range(12)}
    assert len(orders) > 3  # the order depends on the student
    right = q3.expected(mine)
    letter = next(k for k, v in q3.choices(mine).items() if v == right)
    assert q3.evaluate(letter, mine).passed and q3.evaluate(f" {letter.upper()}) ", mine).passed
    fb = q3.evaluate(right, mine)  # the option's text, not its letter
    assert fb.status == "incorrect" and fb.message.startswith(repr(right))
    assert "'maybe'" in q3.evaluate("maybe", mine).message
    assert q3.case(mine) != q3.case(theirs)  # the described customer is drawn from the id


def test_ask_and_letter_show_the_students_own_case(tmp_path):
    s = get_set("ex02_abc")
    namespace = {}
    data = s.setup(student_id="2024001", namespace=namespace)
    q3 = s.question(3)
    text = q3.ask()
    assert data.asked in text and "a) " in text
    right = q3.expected(data)
    assert q3.evaluate(q3.letter(right), data).passed
    with pytest.raises(ValueError, match="not one of the options"):
        q3.letter("D")


def test_ids_are_the_students_own():
    s = get_set("ex01_lifecycle")
    data = s.data("2024001")
    q4 = s.question(4)
    unknown = next(f"C{i:04d}" for i in range(10_000) if f"C{i:04d}" not in data.ids)
    assert q4.evaluate(unknown, data).message == msg("unknown_id", got=unknown)
    assert "int" in q4.evaluate(12, data).message
    assert q4.evaluate(q4.expected(data), data).passed


def test_text_answers_are_submitted_for_grading_by_hand():
    s = get_set("ex02_abc")
    q5 = s.question(5)
    data = s.data("demo")
    assert q5.graded_by_hand
    fb = q5.evaluate("Short answer.", data)
    assert fb.status == "not_attempted" and "2 words" in fb.message
    fb = q5.evaluate(" ".join(["word"] * 20), data)
    assert fb.status == "submitted" and fb.credit == 0.0 and "20 words" in fb.message
    assert q5.evaluate(3, data).status == "incorrect"


def test_function_answers_get_clear_messages():
    s = get_set("ex04_credit")
    q1 = s.question(1)
    data = s.data("2024001")
    unseen = s.unseen_data("test")

    def no_return(scores):
        scores.mean(axis=1)

    def raises(scores):
        return scores["charactr"]

    assert q1.evaluate(no_return, data).message == msg("no_return", var="six_c_score")
    assert "KeyError" in q1.evaluate(raises, data).message
    assert q1.evaluate(3.5, data).message == msg("not_function", var="six_c_score", got="float")
    assert "got 2" in q1.evaluate(lambda s: s.mean(axis=1).iloc[:2], data).message
    fb = q1.evaluate(lambda s: s.mean(axis=1), data, unseen)
    assert fb.passed and msg("check.runs") in fb.checks
    assert msg("check.other_data", n=2) in fb.checks


def test_a_function_fitted_to_own_data_fails_on_unseen_data_with_a_true_message():
    """A function that returns the student's own answer whatever its input fails on the
    grader's unseen data, and the message does not call the student's customers "not yours"."""
    s = get_set("ex04_credit")
    q1 = s.question(1)
    data = s.data("2024001")
    mine = q1.expected(data)
    fb = q1.evaluate(lambda scores: mine, data, s.unseen_data("test"))
    assert fb.status == "incorrect"
    assert fb.message.startswith(msg("on_other_data", message="")[:20])
    assert "not in the input" in fb.message and "your customers" not in fb.message
    assert q1.evaluate(lambda scores: mine, data).passed  # on its own data it is right


def test_function_answers_as_data_are_checked_like_functions():
    s = get_set("ex04_credit")
    q1 = s.question(1)
    data = s.data("2024001")
    unseen = s.unseen_data("test")
    fn = lambda scores: scores.mean(axis=1)  # noqa: E731
    calls = Calls(tuple(Call.of(fn, q1.args(d)) for d in (data, *unseen)))
    assert q1.evaluate(calls, data, unseen).passed
    assert q1.evaluate(Calls(calls.results[:1]), data, unseen).message == msg(
        "not_called", var="six_c_score"
    )
    assert q1.evaluate(Calls((), blank=True), data).status == "not_attempted"
    broken = Calls((Call(error="KeyError: 'x'"), *calls.results[1:]))
    assert "KeyError" in q1.evaluate(broken, data, unseen).message


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
    assert entry == {"passed": True, "last": "correct", "checks": 3, "hints": 2, "solution": True}
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
    q4 = s.question(4)
    with crmsim.language("zh"):
        assert "正确" in repr(q4.evaluate(q4.expected(data), data))
        assert "百分数" in q4.evaluate(100 * q4.expected(data), data).message
    with crmsim.language("both"):
        assert "Correct (正确)" in repr(q4.evaluate(q4.expected(data), data))


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


# --------------------------------------------------------------------------- plain data


@pytest.mark.parametrize(
    "value",
    [
        0.25,
        3,
        -7,
        float("inf"),
        np.float64(0.1),
        np.int64(5),
        "A",
        "",
        True,
        None,
        pd.Series(["A", "B"], index=["C0001", "C0002"]),
        pd.Series([1.5, 2.25], index=["C0001", "C0002"]),
        pd.DataFrame({"customer_id": ["C1", "C2"], "class": ["A", "C"], "x": [1, 2]}),
        {"C0001": "A", "C0002": 0.5},
    ],
)
def test_answers_round_trip_as_plain_json(value):
    record = encode(value)
    text = json.dumps(record, allow_nan=False)  # plain JSON, nothing else
    back = decode(json.loads(text))
    if isinstance(value, pd.Series):
        assert back.index.tolist() == value.index.tolist()
        assert back.tolist() == value.tolist()
    elif isinstance(value, pd.DataFrame):
        assert back["class"].tolist() == value["class"].tolist()
        assert back["x"].tolist() == value["x"].tolist()
    elif isinstance(value, float) and not np.isfinite(value):
        assert back == value
    else:
        assert back == value and type(back).__name__ in (
            "int",
            "float",
            "str",
            "bool",
            "NoneType",
            "dict",
        )


def test_blank_function_and_other_values_are_described_not_rebuilt():
    assert decode(encode(____)) is ____

    def f(x):
        ____  # noqa: B018

    assert encode(f) == {"t": "function", "blank": True, "py": "function", "calls": []}
    fig = object()
    back = decode(encode(fig))
    assert isinstance(back, Opaque) and back.py_name == "object"
    arr = decode(encode(np.array([0.3])))
    assert np.size(arr) == 1 and type(arr).__name__ == "_Array"


@pytest.mark.parametrize(
    "record",
    [
        {"t": "frame", "csv": 5},
        {"t": "int", "v": "1"},
        {"t": "series", "csv": "a,b\n1,2"},
        {"t": "pickle", "v": "gASV"},
        {"nothing": 1},
        ["not", "a", "dict"],
        {"t": "str", "v": "x" * 3_000_000},
    ],
)
def test_malformed_records_decode_to_an_opaque_value(record):
    assert isinstance(decode(record), Opaque)


def test_nothing_is_pickled():
    """The answer format has no place for code: encode never pickles, decode never unpickles."""
    import crmsim.exercises.answers as answers
    import crmsim.exercises.harness as harness
    import crmsim.exercises.runner as runner

    for module in (answers, harness, runner):
        source = open(module.__file__, encoding="utf-8").read()
        assert "pickle" not in source.replace("never pickle", "").replace("pickled", "")
    evil = {"t": "other", "py": pickle.dumps(object).hex()}
    assert isinstance(decode(evil), Opaque)
