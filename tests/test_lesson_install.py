"""One install runs every lesson: `pip install -e ".[lab]"` brings all the lessons import.

The lessons themselves run under nbval with a kernel that imports only that install
(tests/lesson_install.py, wired in tests/conftest.py); these tests check the guard itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lesson_install import (
    LESSON_EXTRA,
    allowed_distributions,
    blocked_distributions,
    blocked_modules,
    lesson_requirements,
    startup_code,
)
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def test_the_lab_install_is_installed_here():
    """The test extra brings the lab extra, so the guard below sees the whole lab install."""
    from importlib import metadata

    for requirement in lesson_requirements():
        if requirement.marker is None or requirement.marker.evaluate():
            metadata.distribution(requirement.name)  # PackageNotFoundError names it


def test_the_lab_install_brings_jupyterlab_slides_and_the_cdnow_data():
    allowed = allowed_distributions()
    # JupyterLab with a kernel, RISE for slides, nbconvert for the decks and handouts,
    # lifetimes for lesson 02's CDNOW data
    assert {"jupyterlab", "ipykernel", "jupyterlab-rise", "nbconvert", "lifetimes"} <= allowed
    # and not the test tools
    assert not {"pytest", "hypothesis", "nbval", "playwright"} & allowed


def test_the_readme_gives_that_install_for_the_lessons():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f'pip install -e ".[{LESSON_EXTRA}]"' in readme
    start = (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")
    assert f'pip install -e \\".[{LESSON_EXTRA}]\\"' in start


def _run(code: str, startup: str, tmp_path: Path) -> subprocess.CompletedProcess:
    guard = tmp_path / "guard.py"
    guard.write_text(startup, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", f"exec(open({str(guard)!r}).read())\n{code}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )


def test_the_guard_stops_a_lesson_that_needs_more_than_the_install(tmp_path):
    """Without lifetimes in the lab extra (as on the day the issue was filed), lesson 02's
    load_cdnow() fails under the guard, with a message that says what to do."""
    without = allowed_distributions([r for r in lesson_requirements() if r.name != "lifetimes"])
    startup = startup_code(blocked_modules(without), blocked_distributions(without))
    out = _run("from crmsim import datasets\ndatasets.load_cdnow()", startup, tmp_path)
    assert out.returncode != 0
    assert "ImportError" in out.stderr and "lifetimes" in out.stderr
    out = _run("import lifetimes", startup, tmp_path)
    assert "ModuleNotFoundError" in out.stderr and "'lifetimes'" in out.stderr
    assert 'pip install -e ".[lab]"' in out.stderr and "pyproject.toml" in out.stderr


def test_the_guard_lets_the_real_install_load_the_cdnow_data(tmp_path):
    allowed = allowed_distributions()
    startup = startup_code(blocked_modules(allowed), blocked_distributions(allowed))
    code = "from crmsim import datasets\nprint(len(datasets.load_cdnow()))\nimport pytest"
    out = _run(code, startup, tmp_path)
    assert "69659" in out.stdout, out.stderr
    assert "'pytest' belongs to the distribution 'pytest'" in out.stderr


def test_notebook_kernels_of_this_run_have_the_guard():
    """The kernels nbval starts read IPYTHONDIR from this process's environment."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    try:
        reply = client.execute_interactive(
            "import sys; print([type(f).__name__ for f in sys.meta_path][0])",
            timeout=60,
            output_hook=lambda msg: outputs.append(msg),
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    text = "".join(m["content"].get("text", "") for m in outputs)
    assert reply["content"]["status"] == "ok"
    assert "_LessonInstallOnly" in text


outputs: list = []


@pytest.mark.parametrize("requirement", ["jupyterlab-rise>=0.43", "lifetimes>=0.11"])
def test_lab_extra_lists(requirement):
    names = {str(r) for r in lesson_requirements()}
    assert str(Requirement(requirement)) in names
