"""The notebooks are complete, listed and executed in order (nbval checks their outputs)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "notebooks"))
import editions  # noqa: E402

ENGLISH = sorted((ROOT / "notebooks").glob("*.ipynb"))
CHINESE = sorted((ROOT / "notebooks" / "zh").glob("*.ipynb"))
NOTEBOOKS = ENGLISH + CHINESE
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb")) if (ROOT / "exercises").is_dir() else []
LESSONS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
INDEX = ROOT / "notebooks" / "README.md"
#: The headings every lesson has, per edition: objectives (with knowledge and skills), the check
#: of understanding, the summary; and the timing plan's table header.
HEADINGS = {
    "en": {"objectives": "what you will learn", "knowledge": "Knowledge", "skills": "Skills",
           "check": "check your understanding", "summary": "summary",
           "timing": "| part | minutes |",
           "notes": r"\*\*Instructor's notes, question (\d+)\.\*\*"},
    "zh": {"objectives": "学习目标", "knowledge": "知识", "skills": "技能",
           "check": "检验理解", "summary": "小结", "timing": "| 环节 | 分钟 |",
           "notes": r"\*\*教师备注：第 ?(\d+) ?题\*\*"},
}


def _lang(path: Path) -> str:
    return "zh" if path.parent.name == "zh" else "en"


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _markdown(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def _section(text: str, heading: str) -> str:
    """Text of the markdown section whose heading contains *heading* (to the next heading)."""
    match = re.search(rf"^#+ [^\n]*{heading}[^\n]*\n(.*?)(?=^#+ |\Z)", text,
                      flags=re.IGNORECASE | re.MULTILINE | re.DOTALL)
    return match.group(1) if match else ""


def test_the_guard_sees_the_notebooks():
    names = {p.name for p in NOTEBOOKS}
    assert {"quickstart.ipynb", "00_start_here.ipynb", "02_abc_and_pareto.ipynb"} <= names


@pytest.mark.parametrize("path", ENGLISH + EXERCISES, ids=lambda p: p.name)
def test_every_notebook_is_listed_in_the_index(path):
    index = INDEX.read_text(encoding="utf-8")
    listed = path.name if path.parent.name == "notebooks" else f"exercises/{path.name}"
    assert f"`{listed}`" in index, f"{listed} is missing from notebooks/README.md"


def _ids(path: Path) -> str:
    return f"{_lang(path)}/{path.name}"


@pytest.mark.parametrize("path", LESSONS, ids=_ids)
def test_lesson_has_the_required_sections(path):
    words = HEADINGS[_lang(path)]
    text = _markdown(_read(path))
    objectives = _section(text, words["objectives"])
    assert objectives.strip(), "no learning objectives section"
    assert words["knowledge"] in objectives and words["skills"] in objectives
    check = _section(text, words["check"])
    assert check.strip(), "no 'Check your understanding' section"
    if not path.name.startswith("00_"):
        folder = "exercises/zh/" if _lang(path) == "zh" else "exercises/"
        assert re.search(rf"{folder}\d\d_\w+\.ipynb", check), (
            f"the check-your-understanding section must name its {folder}NN_topic.ipynb file")
    assert _section(text, words["summary"]).strip(), "no summary section"


@pytest.mark.parametrize("path", [p for p in LESSONS if not p.name.startswith("00_")], ids=_ids)
def test_lesson_has_a_timing_plan_for_90_minutes(path):
    text = _markdown(_read(path))
    header = HEADINGS[_lang(path)]["timing"]
    assert header in text, f"no timing plan (a table headed {header!r})"
    table = text[text.index(header):].split("\n\n")[0]
    minutes = [int(m) for m in re.findall(r"\|\s*(\d+)\s*\|\s*$", table, flags=re.MULTILINE)]
    assert sum(minutes) == 90, f"the timing plan adds up to {sum(minutes)} minutes: {minutes}"


@pytest.mark.parametrize("path", [p for p in LESSONS if not p.name.startswith("00_")], ids=_ids)
def test_every_discussion_question_has_instructor_notes(path):
    nb = _read(path)
    words = HEADINGS[_lang(path)]
    check = _section(_markdown(editions.student_edition(nb)), words["check"])
    questions = {int(n) for n in re.findall(r"^(\d+)\. ", check, flags=re.MULTILINE)}
    assert questions, "no numbered discussion questions in the check-your-understanding section"
    notes = [c for c in nb.cells if editions.NOTES_TAG in c.metadata.get("tags", [])]
    answered = {int(m) for c in notes for m in re.findall(words["notes"], c.source)}
    assert answered == questions, f"questions {sorted(questions)}, notes for {sorted(answered)}"
    for cell in notes:
        assert cell.metadata["slideshow"]["slide_type"] == "notes"
    assert not any(editions.NOTES_TAG in c.metadata.get("tags", [])
                   for c in editions.student_edition(nb).cells)


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.name != "dashboard.ipynb"], ids=_ids)
def test_every_cell_has_slide_metadata(path):
    nb = _read(path)
    kinds = [c.metadata.get("slideshow", {}).get("slide_type") for c in nb.cells]
    assert None not in kinds, f"cells without slide metadata at {kinds.index(None)}"
    assert kinds[0] == "slide", "a deck starts with a slide"
    assert set(kinds) <= {"slide", "subslide", "fragment", "-", "skip", "notes"}
    assert nb.metadata.get("rise", {}).get("scroll") is True


def test_every_lesson_has_a_chinese_edition():
    english = {p.name for p in editions.lesson_paths()}
    assert english == {p.name for p in CHINESE if p.name != "dashboard.ipynb"}
    assert len(english) == 12  # eleven lessons and the quickstart


@pytest.mark.parametrize("path", editions.lesson_paths(), ids=lambda p: p.name)
def test_the_two_editions_share_code_and_structure(path):
    """Cell by cell: same ids, types, slide metadata and code (comments and translated text
    aside, see notebooks/editions.py); every Chinese markdown cell written in Chinese."""
    chinese = editions.edition_path(path, "zh")
    assert editions.differences(_read(path), _read(chinese)) == []


def test_the_edition_check_sees_changed_code():
    """Guard the guard: changed code, an untranslated cell or another value in a printed
    sentence are all reported."""
    same = editions.code_differences
    assert same('print(f"{n} customers")', 'print(f"{n} 个客户")') == []
    assert same('x = "current_value"', 'x = "当前价值"') == []
    assert same('crmsim.set_language("en")', 'crmsim.set_language("zh")') == []
    assert same('x = a + 1  # one more', 'x = a + 1  # 再加一') == []
    assert same('x = a + 1', 'x = a + 2')
    assert same('df["current_value"]', 'df["historical_value"]')
    assert same('print(f"{n} customers")', 'print(f"{m} 个客户")')
    assert same('f(a, b)', 'f(a)')
    en = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    assert editions.differences(en, en) == ["cell 0 (" + en.cells[0].get("id") + "): markdown "
                                            "not translated"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_executed_top_to_bottom_in_one_run(path):
    counts = [c.execution_count for c in _read(path).cells if c.cell_type == "code"]
    missing = [i for i, n in enumerate(counts) if n is None]
    assert not missing, f"unexecuted code cells at positions {missing}"
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts} are not 1..{len(counts)}: re-run from a clean kernel")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_no_error_outputs(path):
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"cell {cell.execution_count} has an error output: {errors[0].ename}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_widget_cells_are_ignored_by_nbval(path):
    for cell in _read(path).cells:
        if cell.cell_type != "code":
            continue
        widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                     for o in cell.outputs)
        if widget:
            assert cell.source.startswith("# NBVAL_IGNORE_OUTPUT"), (
                f"cell {cell.execution_count} shows a widget; start it with # NBVAL_IGNORE_OUTPUT")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_ids)
def test_no_saved_widget_state(path):
    # random model ids that change on every run; notebooks/execute.py drops them
    assert "widgets" not in _read(path).metadata, (
        f"{path.name} stores widget state; re-run it with python notebooks/execute.py"
    )


MARKDOWN_FILES = NOTEBOOKS + EXERCISES + sorted((ROOT / "exercises" / "zh").glob("*.ipynb"))


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_bold_text_renders_as_bold(path):
    """No ``**`` left in the rendered text: CommonMark closes ``**`` after punctuation only
    when a space or punctuation follows, so ``**动手试试。**在…`` shows its asterisks (in
    Chinese, end the bold before the full stop: ``**动手试试**。在…``). Rendered with mistune,
    the Markdown parser nbconvert uses."""
    import mistune

    shown = []
    for cell in _read(path).cells:
        if cell.cell_type != "markdown":
            continue
        rendered = re.sub(r"<(code|pre)>.*?</\1>", "", mistune.html(cell.source), flags=re.S)
        shown += [line for line in rendered.splitlines() if "**" in line]
    assert shown == [], f"{path.name}: bold that does not render: {shown[:3]}"
