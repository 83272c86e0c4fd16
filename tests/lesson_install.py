"""What `pip install -e ".[lab]"` brings, and a guard that lets a notebook kernel import nothing
else.

The README tells instructors and students to install the lessons with the ``lab`` extra. The
test suite itself runs with the ``test`` extra, which installs more (lifetimes, voila,
playwright, ...), so a lesson that needs one of those would pass here and fail in class. To see
what a class sees, tests/conftest.py gives every notebook kernel an IPython startup file
(:func:`startup_code`) that refuses to import a module belonging to an installed distribution
outside the lab install's requirements (:func:`allowed_distributions`, the whole dependency
closure read from the installed packages' metadata). nbval's runs of the lessons are thereby
runs under exactly the lab install.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
#: The install the README gives for lessons.
LESSON_EXTRA = "lab"


def _name(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def lesson_requirements(extra: str = LESSON_EXTRA) -> list[Requirement]:
    """crmsim's own requirements plus those of *extra*, from pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [
        Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"][extra]]
    ]


def allowed_distributions(requirements: list[Requirement] | None = None) -> set[str]:
    """Names of the distributions *requirements* bring, with everything they require in turn
    (extras and environment markers honoured), read from the installed metadata."""
    todo = list(lesson_requirements() if requirements is None else requirements)
    seen: dict[str, set[str]] = {}
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        name = _name(req.name)
        if name in seen and set(req.extras) <= seen[name]:
            continue
        extras = seen.setdefault(name, set())
        extras.update(req.extras)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # not installed here: nothing of it can be imported either
        for text in dist.requires or []:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": e}) for e in extras | {""}):
                todo.append(Requirement(str(sub).split(";")[0]))
    return set(seen)


def blocked_modules(allowed: set[str]) -> dict[str, str]:
    """Top-level module -> distribution, for installed distributions outside *allowed*
    (a module that an allowed distribution also provides stays importable)."""
    owners = metadata.packages_distributions()
    blocked = {}
    for module, dists in owners.items():
        names = {_name(d) for d in dists}
        if module.startswith("_") or names & allowed or module == "crmsim":
            continue
        blocked[module] = sorted(names)[0]
    return blocked


def blocked_distributions(allowed: set[str]) -> list[str]:
    """Installed distributions outside *allowed*."""
    installed = {_name(d.metadata["Name"]) for d in metadata.distributions() if d.metadata["Name"]}
    return sorted(installed - allowed)


def startup_code(blocked: dict[str, str], dists: list[str] = (), extra: str = LESSON_EXTRA) -> str:
    """Python for an IPython startup file: a meta-path finder that raises ModuleNotFoundError,
    naming the distribution and the install, for every module of *blocked*; and the metadata of
    the distributions *dists* hidden (PackageNotFoundError), as if they were not installed (a
    data file found through a distribution's metadata, like CDNOW's, is then missing too)."""
    return f'''"""crmsim tests: this kernel imports what `pip install -e ".[{extra}]"` brings."""
import importlib.metadata as _metadata
import sys

_HIDDEN = set({list(dists)!r})
_from_name = _metadata.Distribution.from_name.__func__


def _installed_for_lessons(cls, name):
    if name.lower().replace("_", "-").replace(".", "-") in _HIDDEN:
        raise _metadata.PackageNotFoundError(name)
    return _from_name(cls, name)


_metadata.Distribution.from_name = classmethod(_installed_for_lessons)


class _LessonInstallOnly:
    BLOCKED = {blocked!r}

    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in self.BLOCKED:
            raise ModuleNotFoundError(
                f"{{top!r}} belongs to the distribution {{self.BLOCKED[top]!r}}, which "
                f"'pip install -e \\".[{extra}]\\"' does not install: a lesson needing it "
                f"fails in class; add it to the '{extra}' extra of pyproject.toml",
                name=top,
            )
        return None


sys.meta_path.insert(0, _LessonInstallOnly())
'''


def kernel_allowed() -> set[str]:
    """What a notebook kernel may import: the lessons' install, and the kernel's own machinery
    (ipykernel and what it needs; JupyterLab brings it, and it runs the notebook rather than
    being imported by a lesson)."""
    return allowed_distributions() | allowed_distributions([Requirement("ipykernel")])


def write_ipython_dir(folder: Path) -> Path:
    """An IPYTHONDIR whose default profile installs the guard at kernel start."""
    startup = folder / "profile_default" / "startup"
    startup.mkdir(parents=True, exist_ok=True)
    allowed = kernel_allowed()
    code = startup_code(blocked_modules(allowed), blocked_distributions(allowed))
    (startup / "00-crmsim-lesson-install.py").write_text(code, encoding="utf-8")
    return folder
