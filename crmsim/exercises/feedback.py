"""Feedback a student can read: one HTML page per submitted file, in the student's language.

The page shows the score, each question's result, points and message (the messages were written
in the student's language when the answers were checked), the instructor's comments on answers
graded by hand, and what happened while the notebook ran (a time-out, an error, a solution
looked at). Everything taken from a submission is HTML-escaped.

File names: the submission's path with ``/`` as ``__`` and ``.html`` for ``.ipynb``; two names
that would differ only in letter case (one file on Windows and macOS) get a short hash of the
path each, so no feedback file overwrites another.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Sequence
from typing import Any

from crmsim.exercises.gradebook import fmt_points
from crmsim.terms import LANGUAGES, label

__all__ = ["feedback_html", "feedback_names", "note_text"]

_STYLE = """
body { font-family: system-ui, "Noto Sans CJK SC", sans-serif; max-width: 52rem; margin: 2rem auto;
       padding: 0 1rem; color: #1d2430; line-height: 1.5; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border-bottom: 1px solid #d5dae1; padding: .4rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f1f4f8; }
.score { font-size: 1.3rem; font-weight: 600; }
.correct { color: #1a7f37; } .partial { color: #9a6700; } .incorrect { color: #cf222e; }
.not_attempted, .submitted, .graded { color: #57606a; }
pre { white-space: pre-wrap; background: #f6f8fa; padding: .5rem; }
"""


def _lang(lang: str | None) -> str:
    return lang if lang in LANGUAGES else "en"


def _t(key: str, lang: str, **values: Any) -> str:
    return label(f"exercise.feedback.{key}", lang).format(**values)


def note_text(note: dict[str, Any], lang: str) -> str:
    """A note for the student (``{"key": ..., "values": {...}}``) in *lang*."""
    return _t(f"note.{note['key']}", _lang(lang), **note.get("values", {}))


def _status(status: str, lang: str) -> str:
    if status == "graded":
        return _t("graded_by_hand", lang)
    return label(f"exercise.status.{status}", lang)


def feedback_html(result: dict[str, Any], title: str, lang: str | None = None) -> str:
    """The feedback page of one result (see :mod:`crmsim.exercises.grading`)."""
    lang = _lang(lang or result.get("lang"))
    e = html.escape
    who = result.get("student_id") or "?"
    parts = [
        "<!doctype html>",
        f'<html lang="{"zh-Hans" if lang == "zh" else "en"}">',
        '<head><meta charset="utf-8">',
        f"<title>{e(_t('title', lang))}: {e(title)} · {e(who)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>{e(_t('title', lang))}: {e(title)}</h1>",
        f"<p>{e(_t('student', lang))}: <b>{e(who)}</b> · {e(_t('file', lang))}: "
        f"<code>{e(result['file'])}</code></p>",
    ]
    score, total = result.get("score"), result.get("total")
    if total is not None:
        line = f"{e(_t('score', lang))}: {fmt_points(score or 0.0)} / {fmt_points(total)}"
        if result.get("pending"):
            line += " · " + e(_t("pending", lang, points=fmt_points(result["pending"])))
        parts.append(f'<p class="score">{line}</p>')
    questions = result.get("questions", [])
    if questions:
        parts.append(
            f"<table><tr><th>{e(_t('question', lang))}</th>"
            f"<th>{e(_t('result', lang))}</th><th>{e(_t('points', lang))}</th>"
            f"<th>{e(_t('message', lang))}</th></tr>"
        )
        for q in questions:
            points = "" if q.get("points") is None else fmt_points(q["points"])
            message = e(q.get("message", ""))
            if q.get("comment"):
                message += f"<br><i>{e(_t('comment', lang))}:</i> {e(q['comment'])}"
            if q.get("solution_used"):
                message += f"<br><i>{e(_t('solution_used', lang))}</i>"
            parts.append(
                f'<tr><td>q{q["number"]}</td><td class="{e(q["status"])}">'
                f"{e(_status(q['status'], lang))}</td><td>{points} / {fmt_points(q['max'])}</td>"
                f"<td>{message}</td></tr>"
            )
        parts.append("</table>")
    notes = result.get("student_notes", [])
    if notes:
        parts.append(f"<h2>{e(_t('notes', lang))}</h2><ul>")
        parts += [f"<li>{e(note_text(n, lang))}</li>" for n in notes]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def feedback_names(files: Sequence[str]) -> dict[str, str]:
    """Submission path -> its feedback file's name, unique even where letter case is ignored."""

    def plain(rel: str) -> str:
        stem = re.sub(r"\.ipynb$", "", rel, flags=re.I).replace("/", "__")
        return re.sub(r"[^\w.\-]+", "_", stem, flags=re.UNICODE)

    names = {rel: plain(rel) for rel in files}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name.casefold()] = counts.get(name.casefold(), 0) + 1
    out = {}
    for rel, name in names.items():
        if counts[name.casefold()] > 1:
            name += "-" + hashlib.sha256(rel.encode()).hexdigest()[:8]
        out[rel] = name + ".html"
    return out
