"""The package layout: one home per kind of thing, and data flowing one way between the homes.

Each folder of crmsim may import only from the folders below it in :data:`LAYERS` (and from the
small shared modules at the top of the package), so there is no circle and nothing low down
depends on what is built on it: the simulation never draws a chart or writes a page, charts and
pages never run the model, and the faces (command line, widgets) sit on top.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "crmsim"

#: Folders, lowest first. A module may import from its own folder and any folder before it.
#: ``datasets`` comes after ``methods``: the bundled relationship map is loaded as the method's
#: own object, while no method ever reads the bundled data.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("terms",),
    ("io",),
    ("methods",),
    ("datasets",),
    ("sim",),
    ("calibrate",),
    ("plots",),
    ("report",),
    ("widgets", "exercises"),
    ("app",),
)
#: Modules directly in crmsim/ that everything may use.
SHARED = {"crmsim", "crmsim._validation", "crmsim.errors", "crmsim._version"}
#: Longest module allowed without a reason written in its docstring.
MAX_LINES = 600


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, path


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every crmsim module *path* imports, anywhere in the file (functions included)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("crmsim")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("crmsim"):
            if node.module == "crmsim":  # from crmsim import datasets -> crmsim.datasets
                out += [(node.lineno, f"crmsim.{a.name}") for a in node.names
                        if (PACKAGE / a.name).is_dir()]  # fmt: skip
                out += [(node.lineno, "crmsim") for a in node.names
                        if not (PACKAGE / a.name).is_dir()]  # fmt: skip
            else:
                out.append((node.lineno, node.module))
    return out


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if module in SHARED or len(parts) < 2:
        return None
    for i, names in enumerate(LAYERS):
        if parts[1] in names:
            return i
    raise AssertionError(f"{module}: crmsim/{parts[1]} is in no layer of tests/test_layout.py")


def test_every_folder_has_a_layer_and_nothing_else_sits_at_the_top():
    top = sorted(p.name for p in PACKAGE.iterdir() if p.suffix == ".py")
    assert top == ["__init__.py", "_validation.py", "_version.py", "errors.py"]
    for path in PACKAGE.iterdir():
        if path.is_dir() and (path / "__init__.py").exists():
            _layer(f"crmsim.{path.name}")


def test_imports_go_down_the_layers_only():
    wrong = []
    for name, path in _modules():
        mine = _layer(name)
        if mine is None:
            continue
        for line, target in _imports(path):
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {target}")
            if name.startswith("crmsim.sim") and target.split(".")[:2] in (
                ["crmsim", "plots"], ["crmsim", "report"]
            ):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} draws or writes")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


def test_no_module_level_import_circle():
    """The module-level imports between crmsim's modules form no circle."""
    graph: dict[str, set[str]] = {}
    for name, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for node in tree.body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crmsim"):
                deps.add(node.module)
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("crmsim")}
        graph[name] = {d for d in deps if d != name}

    def package_of(dep: str) -> list[str]:  # importing a.b.c runs a/__init__, a.b/__init__
        parts = dep.split(".")
        return [".".join(parts[: i + 1]) for i in range(1, len(parts))]

    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in graph.get(node, ()):
            for target in package_of(dep)[-1:]:
                if target not in graph:
                    continue
                if state.get(target) == 1:
                    circle = stack[stack.index(target):] + [target]
                    raise AssertionError("import circle: " + " -> ".join(circle))
                if target not in state:
                    visit(target)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


@pytest.mark.parametrize("name", [n for n, _ in _modules()])
def test_long_modules_say_why(name):
    path = dict(_modules())[name]
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    if lines <= MAX_LINES:
        return
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert "Longer than most modules" in doc, (
        f"{path.relative_to(PACKAGE.parent)} has {lines} lines (over {MAX_LINES}) and its "
        "docstring does not say why ('Longer than most modules ... because ...')"
    )


def test_one_name_per_file_in_each_folder_names_its_role():
    """A topic may have a parameters module and a mechanics module, in scenario/ and engine/;
    nowhere else does one folder of sim/ repeat another's module names."""
    sim = PACKAGE / "sim"
    top = {p.stem for p in sim.glob("*.py")} - {"__init__"}
    for folder in ("scenario", "engine"):
        inner = {p.stem for p in (sim / folder).glob("*.py")} - {"__init__"}
        assert not (top & inner), f"sim/ and sim/{folder}/ share module names: {top & inner}"
