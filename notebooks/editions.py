"""The lessons' editions: English (``notebooks/``) and Chinese (``notebooks/zh/``), kept in step.

One lesson, two notebooks with the same cells in the same order and the same cell ids. The
English notebook is the source of the structure, the code and the slide metadata; the Chinese
one holds the Chinese text of every markdown cell and, in code cells, Chinese text only where the
code itself speaks to the reader (comments, chart titles, printed sentences, row names). The rule
the two must keep, cell by cell (:func:`differences`):

- same cell ids, types and slide metadata (``slideshow``, ``tags``);
- code cells equal up to comments and translated text: parsed into syntax trees, the trees are
  the same, except that a string the English cell writes may be Chinese text in the Chinese one
  (a string with Chinese characters; in an f-string only the text around the ``{values}``
  changes, the values themselves stay the same and in the same order), and the language switch
  ``crmsim.set_language("en")`` reads ``"zh"``;
- every markdown cell of the Chinese edition is written in Chinese.

Usage, from the repository root::

    python notebooks/editions.py check           # report where the editions differ
    python notebooks/editions.py sync            # copy structure, metadata and new cells over
    python notebooks/editions.py student OUT     # student editions: instructor's notes removed

``sync`` takes every English cell to the Chinese notebook: cells new in English are copied (in
English, so ``check`` then lists them to translate), slide metadata and tags are copied, Chinese
text is kept; a code cell whose code changed in English is reported, not overwritten. After a
sync, re-run the Chinese notebooks (``python notebooks/execute.py``).

Slides: every lesson cell carries ``metadata.slideshow`` (:func:`slide_metadata`): a heading
starts a slide (``#``/``##``) or a sub-slide (``###``), the setup cell is skipped, instructor's
notes are speaker notes, everything else continues the slide. Instructor's notes are markdown
cells tagged ``instructor-notes``; the student edition leaves them out.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
#: Folder of each translated edition, by language code.
EDITIONS: dict[str, Path] = {"zh": HERE / "zh"}
#: Tag of an instructor's-notes cell (left out of the student edition, speaker notes in slides).
NOTES_TAG = "instructor-notes"
#: Tag of the setup cell (imports and display options; skipped in slides).
SETUP_TAG = "setup"
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_LANGUAGE_SWITCH = {("en", "zh")}


def lesson_paths() -> list[Path]:
    """English notebooks that have editions: the quickstart and the lessons ``NN_*.ipynb``."""
    return [HERE / "quickstart.ipynb", *sorted(HERE.glob("[0-9][0-9]_*.ipynb"))]


def edition_path(path: Path, lang: str) -> Path:
    """The *lang* edition of the English notebook *path*."""
    return EDITIONS[lang] / path.name


def has_cjk(text: str) -> bool:
    """Whether *text* holds Chinese (CJK) characters."""
    return bool(_CJK.search(text))


# --------------------------------------------------------------------------- slides


def slide_metadata(cell: nbformat.NotebookNode) -> dict:
    """The ``slideshow`` metadata of an English lesson cell."""
    tags = cell.metadata.get("tags", [])
    if NOTES_TAG in tags:
        kind = "notes"
    elif SETUP_TAG in tags:
        kind = "skip"
    elif cell.cell_type == "markdown" and re.match(r"#{1,2} ", cell.source):
        kind = "slide"
    elif cell.cell_type == "markdown" and re.match(r"#{3} ", cell.source):
        kind = "subslide"
    else:
        kind = "-"
    return {"slide_type": kind}


def set_slides(nb: nbformat.NotebookNode) -> None:
    """Slide metadata on every cell, and RISE's scrolling for slides taller than the screen."""
    for cell in nb.cells:
        cell.metadata["slideshow"] = slide_metadata(cell)
    nb.metadata["rise"] = {"scroll": True, "autolaunch": False, "transition": "none"}


# --------------------------------------------------------------------------- comparing code


def _parse(source: str) -> ast.Module:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
    return ast.parse("\n".join(lines))


def _same_text(en: str, tr: str) -> bool:
    return en == tr or has_cjk(tr) or (en, tr) in _LANGUAGE_SWITCH


def _compare(a: object, b: object, where: str, out: list[str]) -> None:
    if isinstance(a, ast.JoinedStr) and isinstance(b, ast.JoinedStr):
        values_a = [v for v in a.values if isinstance(v, ast.FormattedValue)]
        values_b = [v for v in b.values if isinstance(v, ast.FormattedValue)]
        if len(values_a) != len(values_b):
            out.append(f"{where}: an f-string shows other values")
        else:
            for x, y in zip(values_a, values_b, strict=True):
                _compare(x, y, where, out)
        texts_a = [v.value for v in a.values if isinstance(v, ast.Constant)]
        texts_b = [v.value for v in b.values if isinstance(v, ast.Constant)]
        if texts_a != texts_b and not any(has_cjk(t) for t in texts_b):
            out.append(f"{where}: an f-string's text differs without being translated")
        return
    if isinstance(a, ast.Constant) and isinstance(b, ast.Constant):
        if isinstance(a.value, str) and isinstance(b.value, str):
            if not _same_text(a.value, b.value):
                out.append(f"{where}: string {a.value!r} became {b.value!r}")
        elif type(a.value) is not type(b.value) or a.value != b.value:
            out.append(f"{where}: constant {a.value!r} became {b.value!r}")
        return
    if type(a) is not type(b):
        out.append(f"{where}: {type(a).__name__} became {type(b).__name__}")
        return
    if isinstance(a, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} items became {len(b)}")
            return
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _compare(x, y, f"{where}[{i}]", out)
        return
    if isinstance(a, ast.AST):
        line = getattr(a, "lineno", None)
        here = f"line {line}" if line is not None else where
        for field in a._fields:
            _compare(getattr(a, field, None), getattr(b, field, None), here, out)
        return
    if a != b:
        out.append(f"{where}: {a!r} became {b!r}")


def code_differences(en: str, tr: str) -> list[str]:
    """Where the translated code cell *tr* differs from the English *en* beyond comments and
    translated text (empty when they are the same code)."""
    try:
        tree_en, tree_tr = _parse(en), _parse(tr)
    except SyntaxError as exc:
        return [f"does not parse: {exc}"]
    out: list[str] = []
    _compare(tree_en, tree_tr, "cell", out)
    return out


def differences(en_nb: nbformat.NotebookNode, tr_nb: nbformat.NotebookNode) -> list[str]:
    """Every way the translated notebook breaks the rule of the module docstring."""
    problems = []
    ids_en = [c.get("id") for c in en_nb.cells]
    ids_tr = [c.get("id") for c in tr_nb.cells]
    if ids_en != ids_tr:
        missing = [i for i in ids_en if i not in ids_tr]
        extra = [i for i in ids_tr if i not in ids_en]
        return [f"cells differ: missing {missing}, extra {extra}" if missing or extra
                else "cells are in another order"]
    for number, (a, b) in enumerate(zip(en_nb.cells, tr_nb.cells, strict=True)):
        where = f"cell {number} ({a.get('id')})"
        if a.cell_type != b.cell_type:
            problems.append(f"{where}: {a.cell_type} became {b.cell_type}")
            continue
        for key in ("slideshow", "tags"):
            if a.metadata.get(key) != b.metadata.get(key):
                problems.append(f"{where}: metadata {key!r} differs")
        if a.cell_type == "markdown" and not has_cjk(b.source):
            problems.append(f"{where}: markdown not translated")
        if a.cell_type == "code":
            problems += [f"{where}: {p}" for p in code_differences(a.source, b.source)]
    return problems


# --------------------------------------------------------------------------- sync and student


def sync(path: Path, lang: str = "zh") -> list[str]:
    """Bring the *lang* edition of *path* in step with it (see the module docstring); return
    what still needs a translator."""
    en_nb = nbformat.read(path, as_version=4)
    target = edition_path(path, lang)
    if target.exists():
        tr_nb = nbformat.read(target, as_version=4)
    else:
        tr_nb = copy.deepcopy(en_nb)
        for cell in tr_nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    old = {c.get("id"): c for c in tr_nb.cells}
    cells, todo = [], []
    for cell in en_nb.cells:
        mine = old.get(cell.get("id"))
        if mine is None or mine.cell_type != cell.cell_type:
            mine = copy.deepcopy(cell)
            if mine.cell_type == "code":
                mine.outputs, mine.execution_count = [], None
            todo.append(f"{cell.get('id')}: new, to translate")
        elif cell.cell_type == "code" and code_differences(cell.source, mine.source):
            todo.append(f"{cell.get('id')}: code changed in English, update the translation")
        for key in ("slideshow", "tags"):
            if key in cell.metadata:
                mine.metadata[key] = copy.deepcopy(cell.metadata[key])
            else:
                mine.metadata.pop(key, None)
        cells.append(mine)
    tr_nb.cells = cells
    tr_nb.metadata = copy.deepcopy(en_nb.metadata)
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(tr_nb, target)
    return todo


def student_edition(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of *nb* without the instructor's notes."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if NOTES_TAG not in c.metadata.get("tags", [])]
    return out


def write_student_editions(out_dir: Path) -> list[Path]:
    """Every lesson of every edition, without instructor's notes, into *out_dir*
    (``en/`` and one folder per language)."""
    written = []
    for path in lesson_paths():
        for lang, source in [("en", path), *((k, edition_path(path, k)) for k in EDITIONS)]:
            target = Path(out_dir) / lang / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(student_edition(nbformat.read(source, as_version=4)), target)
            written.append(target)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="report where the editions differ")
    sub.add_parser("sync", help="copy structure, metadata and new cells to the editions")
    student = sub.add_parser("student", help="write the student editions")
    student.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    status = 0
    if args.command == "student":
        for target in write_student_editions(args.out):
            print(target)
        return 0
    for path in lesson_paths():
        for lang in EDITIONS:
            if args.command == "sync":
                todo = sync(path, lang)
            else:
                target = edition_path(path, lang)
                todo = (differences(nbformat.read(path, as_version=4),
                                    nbformat.read(target, as_version=4))
                        if target.exists() else ["no edition yet"])
            for line in todo:
                print(f"{lang}/{path.name}: {line}")
                status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
