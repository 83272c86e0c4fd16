"""Questions that check a student's answer and say what is wrong with it (after Kaggle learntools).

A :class:`Question` knows how to compute its expected answer from a student's own data
(:class:`crmsim.exercises.data.StudentData`) with crmsim's methods, so no answer is typed in by
hand. :meth:`Question.evaluate` runs the checks in a fixed order and stops at the first that fails:

1. **defined** — the answer is not the ``____`` placeholder (else "not attempted");
2. **type** — a number, a table, a choice, a function... (a function is called on the data first:
   an exception or a missing ``return`` gets its own message);
3. **shape** — the right customers / length / allowed values;
4. **value** — the expected answer (or another textbook-correct method's) within the stated
   precision (the comparisons are in :mod:`crmsim.exercises.checks`);
5. **near misses** — when wrong, is it a known mistake (ABC cut on customer count...)?

Each outcome carries a ``credit``, the share of the question's ``points`` it earns: 1 when
right, a near miss's ``credit``, or ``partial`` times the share of customers right; a ``"text"``
answer is "submitted" and graded by hand. :meth:`Question.evaluate` needs no kernel: the grader
calls it in its own process on answers the notebook only *produced* as plain data
(:mod:`crmsim.exercises.answers`); a function answer then arrives as :class:`Calls`, results of
calls on inputs the student has not seen. The expected value is shown only by
:meth:`Question.solution`; a passing check says what was checked, and the grading checks more.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from crmsim.exercises.checks import (
    Fail,
    as_choice,
    as_labels,
    as_number,
    as_values,
    close,
    differing,
    differing_values,
    msg,
    once,
    shown_ids,
    type_name,
)

__all__ = ["____", "Call", "Calls", "Feedback", "NearMiss", "Question", "is_blank"]

SHOWN = 3
#: Question kinds.
KINDS = ("number", "labels", "values", "choice", "id", "function", "text")
#: Outcomes of a check, best first.
STATUSES = ("correct", "partial", "submitted", "incorrect", "not_attempted")
#: Letters of the options of a choice question.
LETTERS = "abcdefghij"


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
    """True for the ``____`` placeholder, a text still holding it, and a function whose body
    still uses it."""
    if value is ____ or type(value).__name__ == "_Blank":
        return True
    if isinstance(value, str):
        return value.strip() in ("", "____")
    code = getattr(value, "__code__", None)
    return code is not None and "____" in code.co_names


# --------------------------------------------------------------------------- feedback


@dataclass(frozen=True)
class Feedback:
    """The outcome of one check.

    ``status`` is one of :data:`STATUSES`; ``credit`` the share of the question's points earned
    (0-1; a "submitted" text is graded by hand); ``checks`` lists what was checked and passed (in
    order); ``message`` says what failed, or for a correct answer what was checked;
    ``near_miss`` names the known mistake recognised, if any. Shown in a notebook as a short
    paragraph.
    """

    question: str
    status: str
    message: str
    checks: tuple[str, ...] = ()
    credit: float = 0.0
    near_miss: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "correct"

    def _title(self) -> str:
        return msg(f"status.{self.status}")

    def __repr__(self) -> str:
        return f"{self.question} · {self._title()}: {self.message}"

    def _repr_markdown_(self) -> str:
        mark = {
            "correct": "✅",
            "partial": "🟡",
            "incorrect": "❌",
            "not_attempted": "✏️",
            "submitted": "📝",
        }[self.status]
        return f"{mark} **{self.question} · {self._title()}**: {self.message}"


@dataclass(frozen=True)
class NearMiss:
    """A known wrong answer and its message ``key``.

    Either ``make(data)`` computes the wrong answer (matched with the question's comparison, or
    within ``tolerance`` when given: a percentage needs 100 times the share's), or
    ``test(answer, data)`` recognises it (e.g. scores outside the 1-5 scale). ``credit`` is the
    share of the question's points the mistake still earns (partial credit, default none).
    """

    key: str
    make: Callable[[Any], Any] | None = None
    test: Callable[[Any, Any], bool] | None = None
    credit: float = 0.0
    tolerance: float | None = None


# --------------------------------------------------------------------------- function answers


@dataclass(frozen=True)
class Call:
    """What calling a student's function once gave: a ``value``, or the ``error`` it raised
    (``"KeyError: 'x'"``); ``value`` None means it returned None."""

    value: Any = None
    error: str | None = None

    @classmethod
    def of(cls, fn: Callable[..., Any], args: Sequence[Any]) -> Call:
        """Call *fn* on copies of *args* and record the outcome (never raises)."""
        try:
            return cls(value=fn(*[_copy(a) for a in args]))
        except Exception as exc:  # the student's code: any exception is reported, not raised
            return cls(error=f"{type(exc).__name__}: {exc}")


@dataclass(frozen=True)
class Calls:
    """A function answer as data: its calls on the student's data, then on each further input.

    ``blank`` is True while the function still holds ``____``. ``None`` in ``results`` means
    that call was not made (the notebook stopped first).
    """

    results: tuple[Call | None, ...] = ()
    blank: bool = False
    py_name: str = "function"


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
    kind : {"number", "labels", "values", "choice", "id", "function", "text"}
        ``"labels"``: one category per customer (Series indexed by id, dict, or a DataFrame
        with the id column and ``column``); ``"values"``: one number per customer (same
        forms), compared within the tolerance; ``"choice"``: the letter of one of the student's
        options (their order is drawn from the student's id, see :meth:`choices`); ``"id"``: one
        customer id of the data; ``"function"``: a function called with ``args(data)`` whose
        result is checked as ``returns``; ``"text"``: a few sentences, graded by hand.
    expected : callable
        ``expected(data)`` -> the right answer, computed with crmsim's methods (for a choice:
        the right option's value).
    solution_code : str
        The code that answers the question in the notebook (shown by :meth:`solution`, filled in
        by ``crmsim exercises solutions``).
    hints : int
        How many graduated hints there are (texts in ``crmsim.terms``).
    near_misses : sequence of NearMiss
        Known wrong answers with their targeted messages.
    decimals : int, optional
        The precision the question text asks for: any answer that rounds the right one to at
        least this many decimals passes (tolerance half a unit of the last decimal).
    tolerance : float, optional
        Absolute tolerance when no ``decimals`` are stated (default 1e-6).
    alternatives : sequence of callable
        ``alt(data)`` -> the answer of another textbook-correct method (e.g. counting whole
        customers instead of interpolating); it passes too.
    options : sequence of str, or callable
        The option values of a choice question (or ``options(data)`` when they depend on the
        student's data).
    option_text : mapping or callable, optional
        Option value -> the text shown for it (default: the value itself).
    case : callable, optional
        ``case(data)`` -> the student's own version of the question (shown by :meth:`ask`).
    column : str
        For ``"labels"``/``"values"`` given as a DataFrame: the column holding the answer.
    ids : callable, optional
        For ``"labels"``/``"values"``: ``ids(data)`` -> the ids the answer is indexed by
        (default: the student's customers, ``data.ids``).
    allowed : sequence of str
        For ``"labels"``: the allowed categories.
    returns : str
        For ``"function"``: the kind of the function's result.
    args : callable
        For ``"function"``: ``args(data)`` -> tuple of arguments (copies are passed).
    points : float
        The question's points in the gradebook.
    partial : float
        For ``"labels"``/``"values"``: the largest share of the points a partly right table
        earns (times the share of customers right); 0 means all or nothing.
    min_words : int
        For ``"text"``: fewer words than this is "not attempted".
    """

    set_name: str
    number: int
    var: str
    kind: str
    expected: Callable[[Any], Any]
    solution_code: str
    hints: int = 2
    near_misses: Sequence[NearMiss] = ()
    decimals: int | None = None
    tolerance: float | None = None
    alternatives: Sequence[Callable[[Any], Any]] = ()
    options: Sequence[str] | Callable[[Any], Sequence[str]] = ()
    option_text: Mapping[str, str] | Callable[[Any], Mapping[str, str]] | None = None
    case: Callable[[Any], str] | None = None
    column: str = ""
    ids: Callable[[Any], Sequence[str]] | None = None
    allowed: Sequence[str] = ()
    returns: str = "number"
    args: Callable[[Any], tuple] | None = None
    points: float = 1.0
    partial: float = 0.0
    min_words: int = 10
    _namespace: dict[str, Any] | None = field(default=None, repr=False)
    _data: Any = field(default=None, repr=False)
    _hints_seen: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Question.kind must be one of {KINDS}; got {self.kind!r}")
        if self.kind == "choice" and not self.options:
            raise ValueError(f"{self.key}: a choice question needs options")

    @property
    def name(self) -> str:
        return f"q{self.number}"

    @property
    def key(self) -> str:
        return f"{self.set_name}.q{self.number}"

    @property
    def graded_by_hand(self) -> bool:
        """True for a text answer, which the instructor grades."""
        return self.kind == "text"

    @property
    def abs_tol(self) -> float:
        """The absolute tolerance of number comparisons."""
        if self.decimals is not None:
            return 0.5 * 10.0**-self.decimals
        return 1e-6 if self.tolerance is None else float(self.tolerance)

    # ------------------------------------------------------------------ choices

    def choices(self, data: Any) -> dict[str, str]:
        """Letter -> option value, in this student's order (drawn from their id), so that a
        classmate's letter is no answer."""
        from crmsim.exercises.data import seed_of

        values = list(self.options(data) if callable(self.options) else self.options)
        rng = np.random.default_rng([seed_of(data.student_id), 7919, self.number])
        order = rng.permutation(len(values))
        return {LETTERS[i]: values[j] for i, j in enumerate(order)}

    def letter(self, value: str) -> str:
        """The letter of option *value* among your options (for code that computes the answer)."""
        data = self._require_data()
        for letter, option in self.choices(data).items():
            if option == value:
                return letter
        raise ValueError(f"{value!r} is not one of the options of {self.name}")

    def _option_text(self, data: Any) -> Mapping[str, str]:
        texts = self.option_text(data) if callable(self.option_text) else self.option_text
        return texts or {}

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

    def ask(self) -> str:
        """Your own version of the question: the case drawn from your data and, for a choice,
        your lettered options."""
        from crmsim.exercises.texts import option_label

        data = self._require_data()
        parts = []
        if self.case is not None:
            parts.append(self.case(data))
        if self.kind == "choice":
            texts = self._option_text(data)
            parts.append(msg("your_options"))
            parts += [
                f"  {letter}) {option_label(self.key, value, texts.get(value, value))}"
                for letter, value in self.choices(data).items()
            ]
        return _Text("\n".join(parts))

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
        """The reference solution (code) and, for this student's data, the expected answer.

        Recorded in your progress; the instructor's grading sees it too (see the set's policy).
        """
        from crmsim.exercises.progress import record

        data = self._require_data()
        record(data.student_id, self.key, solution=True)
        text = f"{msg('solution_title')}:\n\n{self.solution_code}"
        if self.kind == "choice":
            value = self.expected(data)
            letter = next(k for k, v in self.choices(data).items() if v == value)
            text += f"\n\n{msg('expected_is')}: {letter!r}"
        elif self.kind not in ("function", "text"):
            text += f"\n\n{msg('expected_is')}: {_short(self.expected(data))}"
        return _Text(text)

    # ------------------------------------------------------------------ checking

    def _require_data(self) -> Any:
        if self._data is None:
            raise RuntimeError(
                f"{self.name}: run the set's setup(student_id=...) cell first, e.g. "
                f'`data = ex.setup(student_id="2024001")`'
            )
        return self._data

    def evaluate(self, answer: Any, data: Any, extra: Sequence[Any] = ()) -> Feedback:
        """Run the checks of this question on *answer* for *data*.

        For a function, *answer* is the function or its :class:`Calls`; the calls on the datasets
        of *extra* (inputs the student has not seen, as the instructor's grading makes) are
        checked too.
        """
        if answer is _UNDEFINED:
            return Feedback(self.name, "not_attempted", msg("undefined", var=self.var))
        if is_blank(answer) or (isinstance(answer, Calls) and answer.blank):
            return Feedback(self.name, "not_attempted", msg("not_attempted", var=self.var))
        passed: list[str] = []
        try:
            if self.kind == "text":
                return self._check_text(answer)
            if self.kind == "function":
                self._check_function(answer, data, extra, passed)
            else:
                credit = self._check_value(self.kind, answer, data, passed)
                if credit is not None:
                    raise credit
        except Fail as fail:
            status = "partial" if fail.credit > 0 else "incorrect"
            return Feedback(
                self.name, status, fail.message, tuple(passed), fail.credit, fail.near_miss
            )
        done = "; ".join(passed)
        return Feedback(self.name, "correct", msg("passed", checks=done), tuple(passed), 1.0)

    def _check_text(self, answer: Any) -> Feedback:
        if not isinstance(answer, str):
            raise Fail(msg("wrong_type", expected=msg("kind.text"), got=type_name(answer)))
        words = len(answer.split())
        if words < self.min_words:
            return Feedback(
                self.name,
                "not_attempted",
                msg("text_short", var=self.var, words=words, least=self.min_words),
            )
        return Feedback(self.name, "submitted", msg("text_submitted", words=words))

    def _check_function(self, fn: Any, data: Any, extra: Sequence[Any], passed: list[str]) -> None:
        datasets = (data, *extra)
        if isinstance(fn, Calls):
            results = list(fn.results)
        elif callable(fn):
            results = [Call.of(fn, self.args(d) if self.args else (d,)) for d in datasets]
        else:
            raise Fail(msg("not_function", var=self.var, got=type_name(fn)))
        for i, one in enumerate(datasets):
            result = results[i] if i < len(results) else None
            other = i > 0
            if result is None:
                raise Fail(msg("not_called", var=self.var))
            try:
                if result.error is not None:
                    raise Fail(msg("raised", var=self.var, error=result.error))
                if result.value is None:
                    raise Fail(msg("no_return", var=self.var))
                once(passed, msg("check.runs"))
                credit = self._check_value(self.returns, result.value, one, passed, other)
                if credit is not None:
                    raise credit
            except Fail as fail:
                if other:
                    raise Fail(msg("on_other_data", message=fail.message)) from None
                raise
        if extra:
            once(passed, msg("check.other_data", n=len(extra)))

    def _check_value(
        self, kind: str, answer: Any, data: Any, passed: list[str], other: bool = False
    ) -> Fail | None:
        """Check *answer*; return None when right, raise :class:`Fail` when wrong, or return
        the partial credit of a partly right table (as a :class:`Fail` to raise)."""
        expected = self.expected(data)
        if kind == "number":
            got = as_number(answer)
            once(passed, msg("check.type", kind=msg("kind.number")))
            rights = [expected, *(alt(data) for alt in self.alternatives)]
            if any(close(got, right, self.abs_tol) for right in rights):
                once(passed, msg("check.value"))
                return None
            self._near_misses(kind, got, data)
            raise Fail(msg("wrong_number"))
        if kind == "choice":
            choices = self.choices(data)
            got = as_choice(answer, choices, self._option_text(data))
            once(passed, msg("check.type", kind=msg("kind.choice")))
            if got == expected:
                once(passed, msg("check.value"))
                return None
            self._near_misses(kind, got, data)
            raise Fail(msg("wrong_choice"))
        if kind == "id":
            ids = [str(i) for i in data.ids]
            if not isinstance(answer, str):
                raise Fail(msg("wrong_type", expected=msg("kind.id"), got=type_name(answer)))
            once(passed, msg("check.type", kind=msg("kind.id")))
            if answer.strip() not in ids:
                raise Fail(msg("unknown_id", got=answer))
            once(passed, msg("check.known_id"))
            if answer.strip() == expected:
                once(passed, msg("check.value"))
                return None
            self._near_misses(kind, answer.strip(), data)
            raise Fail(msg("wrong_id"))
        ids = [str(i) for i in (self.ids(data) if self.ids else data.ids)]
        if kind == "values":
            got = as_values(answer, ids, self.column, passed, other)
            rights = [expected, *(alt(data) for alt in self.alternatives)]
            wrong = min((differing_values(got, r, self.abs_tol) for r in rights), key=len)
            if not wrong:
                once(passed, msg("check.value"))
                return None
            self._near_misses(kind, got, data)
            return self._partly(
                wrong,
                len(expected),
                msg("wrong_values", n=len(wrong), of=len(expected), ids=shown_ids(wrong)),
            )
        # labels
        got = as_labels(answer, ids, self.column, self.allowed, passed, other)
        wrong = differing(got, expected)
        if not wrong:
            once(passed, msg("check.value"))
            return None
        self._near_misses(kind, got, data)
        return self._partly(
            wrong,
            len(expected),
            msg("wrong_labels", n=len(wrong), of=len(expected), ids=shown_ids(wrong)),
        )

    def _partly(self, wrong: Sequence[str], of: int, message: str) -> Fail:
        right = 1.0 - len(wrong) / of if of else 0.0
        return Fail(message, credit=round(self.partial * right, 4))

    def _near_misses(self, kind: str, got: Any, data: Any) -> None:
        for near in self.near_misses:
            if near.test is not None:
                hit = bool(near.test(got, data))
            else:
                value = near.make(data)
                tol = self.abs_tol if near.tolerance is None else near.tolerance
                if kind == "number":
                    hit = close(got, value, tol)
                elif kind == "labels":
                    hit = not differing(got, value)
                elif kind == "values":
                    hit = not differing_values(got, value, tol)
                else:
                    hit = got == value
            if hit:
                raise Fail(msg(f"{self.key}.{near.key}"), credit=near.credit, near_miss=near.key)


_MISSING = object()
_UNDEFINED = type("_Undefined", (), {"__repr__": lambda self: "<undefined>"})()


class _Text(str):
    """A string that a notebook shows as text (not as a quoted repr)."""

    def __repr__(self) -> str:
        return str(self)


def _copy(value: Any) -> Any:
    return value.copy() if hasattr(value, "copy") else value


def _short(value: Any) -> str:
    if isinstance(value, pd.Series):
        return "\n" + value.to_string()
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def caller_namespace(depth: int = 2) -> dict[str, Any]:
    """The global namespace of the caller's caller (the notebook, for ``setup``)."""
    return sys._getframe(depth).f_globals
