"""The project's packaging files agree with each other and the layout is as documented."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
_REQ = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")

# conda-forge names that differ from the PyPI name
CONDA_TO_PYPI: dict[str, str] = {}


def _split(requirement: str) -> tuple[str, str]:
    req, _, _marker = requirement.partition(";")
    match = _REQ.match(req)
    assert match, f"cannot parse requirement {requirement!r}"
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    """Unconditional runtime + lab + test requirements: name -> specifier."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = list(project["dependencies"])
    for extra in ("lab", "test"):
        reqs += project["optional-dependencies"][extra]
    # requirements with an environment marker (e.g. tomli on old Pythons) are conditional
    return dict(_split(r) for r in reqs if ";" not in r)


def environment_requirements() -> dict[str, str]:
    """Dependencies of environment.yml, conda ones and those of its pip list (python, pip and
    the ``-e .`` install excluded): name -> specifier."""
    found: dict[str, str] = {}
    in_deps = False
    for raw in (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith(" "):
            in_deps = line.startswith("dependencies:")
            continue
        stripped = line.strip()
        # first-level list items ("  - name>=x") and packages of the nested pip list
        # ("      - name>=x", for packages conda-forge lacks), not pip options such as "-e ."
        item = stripped[2:] if stripped.startswith("- ") else ""
        if in_deps and item and not item.endswith(":") and not item.startswith("-"):
            name, spec = _split(item)
            if name not in {"python", "pip"}:
                found[CONDA_TO_PYPI.get(name, name)] = spec
    return found


def test_environment_yml_matches_pyproject():
    pyproject = pyproject_requirements()
    conda = environment_requirements()
    assert set(conda) == set(pyproject), (
        f"only in pyproject.toml: {sorted(set(pyproject) - set(conda))}; "
        f"only in environment.yml: {sorted(set(conda) - set(pyproject))}"
    )
    differing = {n: (pyproject[n], conda[n]) for n in pyproject if pyproject[n] != conda[n]}
    assert not differing, f"version specifiers differ (pyproject, environment.yml): {differing}"


def test_environment_parser_sees_the_packages():
    """Guard the guard: the parser really sees packages, so a dropped one would be noticed."""
    conda = environment_requirements()
    assert {"numpy", "pandas", "simpy", "ipywidgets", "pytest", "nbval"} <= set(conda)
    assert "noto-cjk-sans-otc" in conda, "the pip list of environment.yml is read too"


@pytest.mark.parametrize(
    "path",
    ["crmsim", "datasets", "notebooks", "exercises", "tests", "benchmarks",
     "environment.yml", "README.md", ".ci/run"],
)
def test_top_level_layout(path):
    assert (ROOT / path).exists(), f"{path} is part of the documented layout"


def test_readme_states_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install -e . && crmsim demo' in readme
    assert 'pip install -e ".[test]" && pytest' in readme


def test_ci_script_runs_the_readme_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install -e ".[test]"' in ci
    assert "pytest" in ci


def test_the_chinese_readme_gives_the_same_set_up_commands():
    readme = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    assert 'pip install -e . && crmsim demo' in readme
    assert 'pip install -e ".[test]" && pytest' in readme
    assert 'pip install -e ".[lab]"' in readme
    assert "README.zh-CN.md" in (ROOT / "README.md").read_text(encoding="utf-8")
