"""The exercises' own texts in the session's language: titles, prompts, notes, options and the
students' own cases.

A set's English text lives with the set (``crmsim/exercises/sets/exNN_*.py``); its translations
are catalog messages under ``exercise_text.<set>.*`` whose English is that same text. A
translation is used only while its English still equals the set's text, so an edited question
shows in English until it is translated again (and tests/test_exercises_notebooks.py lists it).
"""

from __future__ import annotations

from typing import Any

from crmsim.terms import catalog, get_language, label

__all__ = ["case_text", "option_label", "say"]


def say(key: str, english: str, lang: str) -> str:
    """*english* in *lang*: the catalog's translation of *key* while the catalog's English is
    still *english*, else *english* itself."""
    if lang == "en" or catalog.english().get(key) != english:
        return english
    return label(key, lang)


def option_label(question: str, value: str, text: str) -> str:
    """Option *value* (shown as *text* in English) of *question* (``"ex03_pyramid.q3"``) as the
    student reads it in the session's language: a vocabulary term by its label (``"decline"`` ->
    退化期), a sentence by its message ``exercise_text.<question>.option.<value>``."""
    lang = get_language()
    if lang == "en":
        return text
    if text == value and len(value) > 1 and "." not in value and value in catalog.english():
        return label(value, lang)
    return say(f"exercise_text.{question}.option.{value}", text, lang)


def case_text(key: str, english: str, **values: Any) -> str:
    """A student's own case (the text ``q.ask()`` shows) in the session's language.

    *english* is the set's template (``{fields}`` filled in with *values*); its translation is
    the catalog message ``exercise_text.<key>`` (e.g. ``ex04_credit.q3.case``), used while that
    message's English is still *english* (see :func:`say`).
    """
    return say(f"exercise_text.{key}", english, get_language()).format(**values)
