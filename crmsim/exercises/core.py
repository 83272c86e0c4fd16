"""Questions that check a student's answer and say what is wrong with it (after Kaggle learntools).

A :class:`Question` knows how to compute its expected answer from a student's own data
(:class:`crmsim.exercises.data.StudentData`) with crmsim's methods, so no answer is typed in by
hand. :meth:`Question.check` runs the checks in a fixed order and stops at the first that fails:

1. **defined** — the answer is not the ``____`` placeholder (else "not attempted");
2. **type** — a number, a table, a choice, a function... (a function is called on the data first:
   an exception or a missing ``return`` gets its own message);
3. **shape** — the right customers / length / allowed values;
4. **value** — equal to the expected answer within a tolerance;
5. **near misses** — when the value is wrong, is it a known mistake (ABC cut on customer count,
   pyramid split by the mean...)? Then the message says which.

The expected value is never shown unless :meth:`Question.solution` is called. A passing check says
what was checked, not that everything is right: the instructor's grading may check more (it calls
a student's function on other students' data as well).
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmsim.terms import label

__all__ = ["____", "Feedback", "NearMiss", "Question", "is_blank"]

_SHOWN = 3


class _Blank:
    """The ``____`` placeholder: an answer not given yet. It can be assigned and called on
    without error, so an unanswered notebook runs from top to bottom."""

    _instance: _Blank | None = None

    def __new__(cls) -> _Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "____"

    def __bool__(self) -> bool:
        return False


#: The placeholder students replace with their answer.
____ = _Blank()


def is_blank(value: Any) -> bool:
    """True for the ``____`` placeholder and for a function whose body still uses it."""
    if value is ____:
        return True
    code = getattr(value, "__code__", None)
    return code is not None and "____" in code.co_names


def msg(key: str, **values: Any) -> str:
    """The exercise message *key* in the current language, with *values* filled in."""
    return label(f"exercise.{key}").format(**values)


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """The outcome of one check: ``status`` is "not_attempted", "incorrect" or "correct".

    ``checks`` lists what was checked and passed (in order); ``message`` says what failed, or
    for a correct answer what was checked. Shown in a notebook as a short paragraph.
    """

    question: str
    status: str
    message: str
    checks: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def _title(self) -> str:
        return msg(f"status.{self.status}")

    def __repr__(self) -> str:
        return f"{self.question} · {self._title()}: {self.message}"

    def _repr_markdown_(self) -> str:
        mark = {"correct": "✅", "incorrect": "❌", "not_attempted": "✏️"}[self.status]
        return f"{mark} **{self.question} · {self._title()}**: {self.message}"


class _Fail(Exception):
    """A failed check, carrying its message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NearMiss:
    """A known wrong answer and its message ``key``.

    Either ``make(data)`` computes the wrong answer (matched with the question's comparison), or
    ``test(answer, data)`` recognises it (e.g. scores outside the 1-5 scale).
    """

    key: str
    make: Callable[[Any], Any] | None = None
    test: Callable[[Any, Any], bool] | None = None


# --------------------------------------------------------------------------- questions


@dataclass
class Question:
    """One exercise question.

    Parameters
    ----------
    set_name, number : str, int
        The exercise set (``"ex02_abc"``) and the question's number in it (1, 2, ...).
    var : str
        The notebook variable that holds the answer (``q.check()`` reads it).
    kind : {"number", "labels", "values", "choice", "id", "function"}
        ``"labels"``: one category per customer (Series indexed by id, dict, or a DataFrame
        with the id column and ``column``); ``"values"``: one number per customer (same
        forms), compared within ``tolerance``; ``"choice"``: one of ``options``; ``"id"``: one
        customer id of the data; ``"function"``: a function called with ``args(data)`` whose
        result is checked as ``returns``.
    expected : callable
        ``expected(data)`` -> the right answer, computed with crmsim's methods.
    solution_code : str
        The code that answers the question in the notebook (shown by :meth:`solution`, filled in
        by ``crmsim exercises solutions``).
    hints : int
        How many graduated hints there are (texts in ``crmsim.terms``).
    near_misses : sequence of NearMiss
        Known wrong answers with their targeted messages.
    tolerance : float
        Absolute tolerance for numbers.
    options : sequence of str
        Allowed answers of a choice question.
    column : str
        For ``"labels"`` given as a DataFrame: the column holding the category.
    allowed : sequence of str
        For ``"labels"``: the allowed categories.
    returns : str
        For ``"function"``: the kind of the function's result.
    args : callable
        For ``"function"``: ``args(data)`` -> tuple of arguments (copies are passed).
    """

    set_name: str
    number: int
    var: str
    kind: str
    expected: Callable[[Any], Any]
    solution_code: str
    hints: int = 2
    near_misses: Sequence[NearMiss] = ()
    tolerance: float = 1e-6
    options: Sequence[str] = ()
    column: str = ""
    allowed: Sequence[str] = ()
    returns: str = "number"
    args: Callable[[Any], tuple] | None = None
    _namespace: dict[str, Any] | None = field(default=None, repr=False)
    _data: Any = field(default=None, repr=False)
    _hints_seen: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        kinds = ("number", "labels", "values", "choice", "id", "function")
        if self.kind not in kinds:
            raise ValueError(f"Question.kind must be one of {kinds}; got {self.kind!r}")

    @property
    def name(self) -> str:
        return f"q{self.number}"

    @property
    def key(self) -> str:
        return f"{self.set_name}.q{self.number}"

    # ------------------------------------------------------------------ binding

    def bind(self, data: Any, namespace: dict[str, Any] | None) -> Question:
        """Attach the student's data and notebook namespace (done by the set's ``setup``)."""
        self._data = data
        self._namespace = namespace
        return self

    def _answer(self, answer: Any) -> Any:
        if answer is not _MISSING:
            return answer
        if self._namespace is None:
            return ____
        return self._namespace.get(self.var, _UNDEFINED)

    # ------------------------------------------------------------------ student API

    def check(self, answer: Any = None, /) -> Feedback:
        """Check the answer (by default the notebook variable ``var``) on the student's data.

        Returns a :class:`Feedback` (shown as the cell's output) and records the outcome in the
        local progress file.
        """
        from crmsim.exercises.progress import record

        given = self._answer(_MISSING if answer is None else answer)
        feedback = self.evaluate(given, self._require_data())
        record(self._data.student_id, self.key, checked=feedback.status)
        return feedback

    def hint(self, level: int | None = None) -> str:
        """A hint. ``hint()`` gives the next one; ``hint(2)`` only after ``hint(1)``."""
        from crmsim.exercises.progress import record

        if level is None:
            level = min(self._hints_seen + 1, self.hints)
        if not isinstance(level, int) or not 1 <= level <= self.hints:
            raise ValueError(f"hint level must be 1..{self.hints}; got {level!r}")
        if level > self._hints_seen + 1:
            return _Text(msg("hint_order", level=level, previous=level - 1))
        self._hints_seen = max(self._hints_seen, level)
        if self._data is not None:
            record(self._data.student_id, self.key, hint=level)
        return _Text(f"{msg('hint_title', level=level)}: {msg(f'{self.key}.hint{level}')}")

    def solution(self) -> str:
        """The reference solution (code) and, for this student's data, the expected answer."""
        from crmsim.exercises.progress import record

        data = self._require_data()
        record(data.student_id, self.key, solution=True)
        value = self.expected(data)
        shown = value if self.kind != "function" else None
        text = f"{msg('solution_title')}:\n\n{self.solution_code}"
        if shown is not None:
            text += f"\n\n{msg('expected_is')}: {_short(shown)}"
        return _Text(text)

    # ------------------------------------------------------------------ checking

    def _require_data(self) -> Any:
        if self._data is None:
            raise RuntimeError(
                f"{self.name}: run the set's setup(student_id=...) cell first, e.g. "
                f"`data = ex.setup(student_id=\"2024001\")`"
            )
        return self._data

    def evaluate(self, answer: Any, data: Any, extra: Sequence[Any] = ()) -> Feedback:
        """Run the checks of this question on *answer* for *data* (and, for a function, on
        each dataset in *extra* too, as the instructor's grading does)."""
        if answer is _UNDEFINED:
            return Feedback(self.name, "not_attempted", msg("undefined", var=self.var))
        if is_blank(answer):
            return Feedback(self.name, "not_attempted", msg("not_attempted", var=self.var))
        passed: list[str] = []
        try:
            if self.kind == "function":
                for one in (data, *extra):
                    self._check_function(answer, one, passed)
            else:
                self._check_value(self.kind, answer, data, passed)
        except _Fail as fail:
            return Feedback(self.name, "incorrect", fail.message, tuple(passed))
        done = "; ".join(passed)
        return Feedback(self.name, "correct", msg("passed", checks=done), tuple(passed))

    def _check_function(self, fn: Any, data: Any, passed: list[str]) -> None:
        if not callable(fn):
            raise _Fail(msg("not_function", var=self.var, got=type(fn).__name__))
        args = tuple(_copy(a) for a in (self.args(data) if self.args else (data,)))
        try:
            result = fn(*args)
        except Exception as exc:  # the student's code: any exception is reported, not raised
            raise _Fail(msg("raised", var=self.var, error=f"{type(exc).__name__}: {exc}")) from None
        if result is None:
            raise _Fail(msg("no_return", var=self.var))
        if msg("check.runs") not in passed:
            passed.append(msg("check.runs"))
        self._check_value(self.returns, result, data, passed)

    def _check_value(self, kind: str, answer: Any, data: Any, passed: list[str]) -> None:
        expected = self.expected(data)
        if kind == "number":
            got = _number(answer)
            _once(passed, msg("check.type", kind=msg("kind.number")))
            if _close(got, expected, self.tolerance):
                _once(passed, msg("check.value"))
                return
            self._near_misses(kind, answer, data)
            raise _Fail(msg("wrong_number"))
        if kind == "choice":
            got = _choice(answer, self.options)
            _once(passed, msg("check.type", kind=msg("kind.choice")))
            if got == expected:
                _once(passed, msg("check.value"))
                return
            self._near_misses(kind, got, data)
            raise _Fail(msg("wrong_choice"))
        if kind == "id":
            ids = [str(i) for i in data.ids]
            if not isinstance(answer, str):
                raise _Fail(msg("wrong_type", expected=msg("kind.id"), got=type(answer).__name__))
            _once(passed, msg("check.type", kind=msg("kind.id")))
            if answer.strip() not in ids:
                raise _Fail(msg("unknown_id", got=answer))
            _once(passed, msg("check.known_id"))
            if answer.strip() == expected:
                _once(passed, msg("check.value"))
                return
            self._near_misses(kind, answer.strip(), data)
            raise _Fail(msg("wrong_id"))
        if kind == "values":
            got = _values(answer, data, self.column, passed)
            wrong = _differing_values(got, expected, self.tolerance)
            if not wrong:
                _once(passed, msg("check.value"))
                return
            self._near_misses(kind, got, data)
            raise _Fail(msg("wrong_values", n=len(wrong), of=len(expected), ids=_ids(wrong)))
        # labels
        got = _labels(answer, data, self.column, self.allowed, passed)
        wrong = _differing(got, expected)
        if not wrong:
            _once(passed, msg("check.value"))
            return
        self._near_misses(kind, got, data)
        raise _Fail(msg("wrong_labels", n=len(wrong), of=len(expected), ids=_ids(wrong)))

    def _near_misses(self, kind: str, got: Any, data: Any) -> None:
        for near in self.near_misses:
            if near.test is not None:
                hit = bool(near.test(got, data))
            else:
                value = near.make(data)
                if kind == "number":
                    hit = _close(_number(got), value, self.tolerance)
                elif kind == "labels":
                    hit = not _differing(got, value)
                elif kind == "values":
                    hit = not _differing_values(got, value, self.tolerance)
                else:
                    hit = got == value
            if hit:
                raise _Fail(msg(f"{self.key}.{near.key}"))


_MISSING = object()
_UNDEFINED = type("_Undefined", (), {"__repr__": lambda self: "<undefined>"})()


class _Text(str):
    """A string that a notebook shows as text (not as a quoted repr)."""

    def __repr__(self) -> str:
        return str(self)


def _once(passed: list[str], text: str) -> None:
    if text not in passed:
        passed.append(text)


def _copy(value: Any) -> Any:
    return value.copy() if hasattr(value, "copy") else value


def _short(value: Any) -> str:
    if isinstance(value, pd.Series):
        return "\n" + value.to_string()
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _ids(ids: Sequence[Any]) -> str:
    shown = ", ".join(map(str, list(ids)[:_SHOWN]))
    return shown + (" …" if len(ids) > _SHOWN else "")


def _number(answer: Any) -> float:
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        if isinstance(answer, (pd.Series, np.ndarray)) and np.size(answer) == 1:
            raise _Fail(msg("one_number_not_array", got=type(answer).__name__))
        raise _Fail(msg("wrong_type", expected=msg("kind.number"), got=type(answer).__name__))
    value = float(answer)
    if not math.isfinite(value):
        raise _Fail(msg("not_finite", got=value))
    return value


def _close(got: float, expected: float, tolerance: float) -> bool:
    return math.isclose(got, float(expected), rel_tol=1e-9, abs_tol=tolerance)


def _choice(answer: Any, options: Sequence[str]) -> str:
    if not isinstance(answer, str):
        raise _Fail(msg("wrong_type", expected=msg("kind.choice"), got=type(answer).__name__))
    text = answer.strip().lower()
    lowered = {o.lower(): o for o in options}
    if text not in lowered:
        raise _Fail(msg("unknown_option", got=answer, options=", ".join(map(repr, options))))
    return lowered[text]


def _labels(
    answer: Any, data: Any, column: str, allowed: Sequence[str], passed: list[str]
) -> pd.Series:
    """The answer as a Series id -> category, checked for type, customers and categories."""
    series = _per_customer(answer, data, column, msg("kind.labels"), passed)
    values = [str(v) for v in series.to_numpy()]
    bad = sorted({v for v in values if v not in allowed})
    if bad:
        raise _Fail(msg("unknown_labels", got=_ids(bad), allowed=", ".join(allowed)))
    _once(passed, msg("check.shape"))
    return pd.Series(values, index=series.index)


def _values(answer: Any, data: Any, column: str, passed: list[str]) -> pd.Series:
    """The answer as a Series id -> float, checked for type, customers and numbers."""
    series = _per_customer(answer, data, column, msg("kind.values"), passed)
    numeric = pd.to_numeric(series, errors="coerce")
    bad = [i for i, v in numeric.items() if not np.isfinite(v)]
    if bad:
        raise _Fail(msg("not_numbers", ids=_ids(bad)))
    _once(passed, msg("check.shape"))
    return numeric.astype("float64")


def _differing_values(got: pd.Series, expected: pd.Series, tolerance: float) -> list[str]:
    expected = pd.Series(expected.to_numpy(dtype="float64"), index=[str(i) for i in expected.index])
    got = got.reindex(expected.index).to_numpy(dtype="float64")
    close = np.isclose(got, expected.to_numpy(), rtol=1e-9, atol=tolerance)
    return [i for i, ok in zip(expected.index, close, strict=True) if not ok]


def _per_customer(
    answer: Any, data: Any, column: str, kind: str, passed: list[str]
) -> pd.Series:
    """The answer as a Series indexed by the data's ids (str), in the data's order."""
    id_col = data.id_column
    if isinstance(answer, pd.DataFrame):
        if id_col in answer.columns and column in answer.columns:
            series = pd.Series(answer[column].to_numpy(), index=answer[id_col].to_numpy())
        elif column in answer.columns:
            series = pd.Series(answer[column].to_numpy(), index=answer.index.to_numpy())
        else:
            columns = list(map(str, answer.columns))
            raise _Fail(msg("missing_column", column=column, columns=columns))
    elif isinstance(answer, pd.Series):
        series = answer
    elif isinstance(answer, Mapping):
        series = pd.Series(dict(answer))
    else:
        raise _Fail(msg("wrong_type", expected=kind, got=type(answer).__name__))
    _once(passed, msg("check.type", kind=kind))
    index = [str(i) for i in series.index]
    ids = [str(i) for i in data.ids]
    if len(index) != len(set(index)):
        dup = sorted({i for i in index if index.count(i) > 1})
        raise _Fail(msg("duplicated_ids", ids=_ids(dup)))
    missing = sorted(set(ids) - set(index))
    extra = sorted(set(index) - set(ids))
    if len(index) != len(ids) or missing or extra:
        raise _Fail(
            msg("wrong_length", got=len(index), expected=len(ids),
                missing=_ids(missing) or "-", extra=_ids(extra) or "-")
        )
    return pd.Series(series.to_numpy(), index=index).reindex(ids)


def _differing(got: pd.Series, expected: pd.Series) -> list[str]:
    expected = pd.Series(
        [str(v) for v in expected.to_numpy()], index=[str(i) for i in expected.index]
    )
    got = got.reindex(expected.index)
    return [i for i in expected.index if got[i] != expected[i]]


def caller_namespace(depth: int = 2) -> dict[str, Any]:
    """The global namespace of the caller's caller (the notebook, for ``setup``)."""
    return sys._getframe(depth).f_globals
