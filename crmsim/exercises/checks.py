"""How an answer is compared with the expected one, and the message when it differs.

The comparisons of :class:`crmsim.exercises.core.Question`, one per kind of answer: a number
within a tolerance, a choice by its letter, one value or category per customer (a Series, a
dict or a table, indexed by the right customers). Each returns the answer in a canonical form or
raises :class:`Fail` with the student's message (in the current language).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from crmsim.terms import label

#: Customers named in a message before "…".
SHOWN = 3


def msg(key: str, **values: Any) -> str:
    """The exercise message *key* in the current language, with *values* filled in."""
    return label(f"exercise.{key}").format(**values)


def type_name(value: Any) -> str:
    """The name of *value*'s type as a student wrote it (also for answers rebuilt from data)."""
    return getattr(value, "py_name", None) or type(value).__name__


class Fail(Exception):
    """A failed check, carrying its message and the credit it still earns."""

    def __init__(self, message: str, credit: float = 0.0, near_miss: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.credit = credit
        self.near_miss = near_miss


def once(passed: list[str], text: str) -> None:
    if text not in passed:
        passed.append(text)


def shown_ids(ids: Sequence[Any]) -> str:
    shown = ", ".join(map(str, list(ids)[:SHOWN]))
    return shown + (" …" if len(ids) > SHOWN else "")


def as_number(answer: Any) -> float:
    if isinstance(answer, (bool, np.bool_)) or not isinstance(answer, numbers.Real):
        if type_name(answer) in ("Series", "ndarray") and np.size(answer) == 1:
            raise Fail(msg("one_number_not_array", got=type_name(answer)))
        raise Fail(msg("wrong_type", expected=msg("kind.number"), got=type_name(answer)))
    value = float(answer)
    if not math.isfinite(value):
        raise Fail(msg("not_finite", got=value))
    return value


def close(got: float, expected: float, tolerance: float) -> bool:
    """Within *tolerance* (with room for the float error of a rounded decimal)."""
    expected = float(expected)
    return abs(got - expected) <= tolerance * (1 + 1e-9) + 1e-12 * max(1.0, abs(expected))


def as_choice(answer: Any, choices: Mapping[str, str], texts: Mapping[str, str]) -> str:
    """The option value of a letter answer."""
    letters = ", ".join(repr(k) for k in choices)
    if not isinstance(answer, str):
        raise Fail(msg("wrong_type", expected=msg("kind.choice"), got=type_name(answer)))
    text = answer.strip().lower().rstrip(")").strip()
    if text in choices:
        return choices[text]
    words = {v.lower() for v in choices.values()} | {t.lower() for t in texts.values()}
    if text in words:
        raise Fail(msg("choice_letter", got=answer, letters=letters))
    raise Fail(msg("unknown_option", got=answer, options=letters))


def as_labels(
    answer: Any,
    ids: Sequence[str],
    column: str,
    allowed: Sequence[str],
    passed: list[str],
    other: bool = False,
) -> pd.Series:
    """The answer as a Series id -> category, checked for type, customers and categories."""
    series = per_customer(answer, ids, column, msg("kind.labels"), passed, other)
    values = [str(v) for v in series.to_numpy()]
    bad = sorted({v for v in values if v not in allowed})
    if bad:
        raise Fail(msg("unknown_labels", got=shown_ids(bad), allowed=", ".join(allowed)))
    once(passed, msg("check.shape"))
    return pd.Series(values, index=series.index)


def as_values(
    answer: Any, ids: Sequence[str], column: str, passed: list[str], other: bool = False
) -> pd.Series:
    """The answer as a Series id -> float, checked for type, customers and numbers."""
    series = per_customer(answer, ids, column, msg("kind.values"), passed, other)
    numeric = pd.to_numeric(series, errors="coerce")
    bad = [i for i, v in numeric.items() if not np.isfinite(v)]
    if bad:
        raise Fail(msg("not_numbers", ids=shown_ids(bad)))
    once(passed, msg("check.shape"))
    return numeric.astype("float64")


def differing_values(got: pd.Series, expected: pd.Series, tolerance: float) -> list[str]:
    expected = pd.Series(expected.to_numpy(dtype="float64"), index=[str(i) for i in expected.index])
    got = got.reindex(expected.index).to_numpy(dtype="float64")
    close = np.isclose(got, expected.to_numpy(), rtol=1e-9, atol=tolerance * (1 + 1e-9))
    return [i for i, ok in zip(expected.index, close, strict=True) if not ok]


def per_customer(
    answer: Any,
    ids: Sequence[str],
    column: str,
    kind: str,
    passed: list[str],
    other: bool = False,
    id_col: str = "customer_id",
) -> pd.Series:
    """The answer as a Series indexed by *ids* (str), in that order."""
    if isinstance(answer, pd.DataFrame):
        if id_col in answer.columns and column in answer.columns:
            series = pd.Series(answer[column].to_numpy(), index=answer[id_col].to_numpy())
        elif column in answer.columns:
            series = pd.Series(answer[column].to_numpy(), index=answer.index.to_numpy())
        else:
            columns = list(map(str, answer.columns))
            raise Fail(msg("missing_column", column=column, columns=columns))
    elif isinstance(answer, pd.Series):
        series = answer
    elif isinstance(answer, Mapping):
        series = pd.Series(dict(answer), dtype="object")
    else:
        raise Fail(msg("wrong_type", expected=kind, got=type_name(answer)))
    once(passed, msg("check.type", kind=kind))
    index = [str(i) for i in series.index]
    if len(index) != len(set(index)):
        dup = sorted({i for i in index if index.count(i) > 1})
        raise Fail(msg("duplicated_ids", ids=shown_ids(dup)))
    missing = sorted(set(ids) - set(index))
    extra = sorted(set(index) - set(ids))
    if len(index) != len(ids) or missing or extra:
        key = "wrong_length_input" if other else "wrong_length"
        raise Fail(
            msg(
                key,
                got=len(index),
                expected=len(ids),
                missing=shown_ids(missing) or "-",
                extra=shown_ids(extra) or "-",
            )
        )
    return pd.Series(series.to_numpy(), index=index).reindex(ids)


def differing(got: pd.Series, expected: pd.Series) -> list[str]:
    expected = pd.Series(
        [str(v) for v in expected.to_numpy()], index=[str(i) for i in expected.index]
    )
    got = got.reindex(expected.index)
    return [i for i in expected.index if got[i] != expected[i]]
