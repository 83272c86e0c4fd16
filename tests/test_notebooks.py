"""The notebooks are complete, listed and executed in order (nbval checks their outputs)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb")) if (ROOT / "exercises").is_dir() else []
LESSONS = [p for p in NOTEBOOKS if re.match(r"\d\d_", p.name)]
INDEX = ROOT / "notebooks" / "README.md"


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


@pytest.mark.parametrize("path", NOTEBOOKS + EXERCISES, ids=lambda p: p.name)
def test_every_notebook_is_listed_in_the_index(path):
    index = INDEX.read_text(encoding="utf-8")
    listed = path.name if path.parent.name == "notebooks" else f"exercises/{path.name}"
    assert f"`{listed}`" in index, f"{listed} is missing from notebooks/README.md"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_has_the_required_sections(path):
    text = _markdown(_read(path))
    assert _section(text, "what you will learn").strip(), "no learning objectives section"
    objectives = _section(text, "what you will learn")
    assert "Knowledge" in objectives and "Skills" in objectives
    check = _section(text, "check your understanding")
    assert check.strip(), "no 'Check your understanding' section"
    if not path.name.startswith("00_"):
        assert re.search(r"exercises/\d\d_\w+\.ipynb", check), (
            "the check-your-understanding section must name its exercises/NN_topic.ipynb file")
    assert _section(text, "summary").strip(), "no summary section"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_executed_top_to_bottom_in_one_run(path):
    counts = [c.execution_count for c in _read(path).cells if c.cell_type == "code"]
    missing = [i for i, n in enumerate(counts) if n is None]
    assert not missing, f"unexecuted code cells at positions {missing}"
    assert counts == list(range(1, len(counts) + 1)), (
        f"execution counts {counts} are not 1..{len(counts)}: re-run from a clean kernel")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_error_outputs(path):
    for cell in _read(path).cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"cell {cell.execution_count} has an error output: {errors[0].ename}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_widget_cells_are_ignored_by_nbval(path):
    for cell in _read(path).cells:
        if cell.cell_type != "code":
            continue
        widget = any("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                     for o in cell.outputs)
        if widget:
            assert cell.source.startswith("# NBVAL_IGNORE_OUTPUT"), (
                f"cell {cell.execution_count} shows a widget; start it with # NBVAL_IGNORE_OUTPUT")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_saved_widget_state(path):
    # random model ids that change on every run; notebooks/execute.py drops them
    assert "widgets" not in _read(path).metadata, (
        f"{path.name} stores widget state; re-run it with python notebooks/execute.py"
    )
