"""Slides and handouts of the lessons, both self-contained: one HTML file each, nothing fetched.

Usage, from the repository root::

    python notebooks/present.py slides OUT              # a reveal.js deck per lesson, both editions
    python notebooks/present.py slides OUT zh/02_abc_and_pareto.ipynb
    python notebooks/present.py handout OUT             # printable handouts (student editions)
    python notebooks/present.py vendor 5.2.1            # refresh notebooks/vendor from npm

In class, JupyterLab shows a lesson as live slides with the RISE extension (``jupyterlab-rise``,
part of the ``lab`` extra; Alt + R), from the slide metadata every lesson carries
(``notebooks/editions.py``). The files written here are for a room without JupyterLab or
without a network:

- **slides**: nbconvert's reveal.js export with a template (``templates/crmsim_reveal``) that
  inlines reveal.js, its theme and the speaker-notes plugin from ``vendor/`` (the npm package
  ``reveal.js``), and a cut-down CJK font holding just the deck's Chinese characters. The setup
  cell is skipped, each instructor's note is a speaker note (press S), widgets are replaced by a
  line saying that they work in the running notebook. No CDN, no MathJax, no require.js.
- **handout**: the student edition (no instructor's notes) as one printable HTML page
  (``templates/crmsim_handout``: A4, images and font inside, no scripts).
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import editions  # noqa: E402

TEMPLATES = HERE / "templates"
REVEAL_VERSION = "5.2.1"
VENDOR = HERE / "vendor" / f"reveal.js-{REVEAL_VERSION}"
#: Files of the npm package that a deck inlines.
VENDOR_FILES = ("dist/reveal.js", "dist/reveal.css", "dist/theme/white.css",
                "plugin/notes/notes.js", "LICENSE")
_WIDGET = "application/vnd.jupyter.widget-view+json"
_WIDGET_NOTE = {
    "en": "Interactive widget: run the notebook in JupyterLab to use it.",
    "zh": "交互控件：在 JupyterLab 中运行本笔记本即可使用。",
}


def _lang(path: Path) -> str:
    return next((lang for lang, folder in editions.EDITIONS.items()
                 if path.resolve().parent == folder.resolve()), "en")


def _static(nb: nbformat.NotebookNode, lang: str, notes: bool) -> nbformat.NotebookNode:
    """A copy of *nb* for a static page: widget outputs replaced by a note, instructor's notes
    kept (as speaker notes) or dropped."""
    out = copy.deepcopy(nb) if notes else editions.student_edition(nb)
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.outputs:
            if _WIDGET in output.get("data", {}):
                note = _WIDGET_NOTE.get(lang, _WIDGET_NOTE["en"])
                kept.append(nbformat.v4.new_output(
                    "display_data",
                    data={"text/html": f'<p class="crmsim-widget-note">{note}</p>',
                          "text/plain": note}))
            else:
                kept.append(output)
        cell.outputs = kept
    out.metadata.pop("widgets", None)
    return out


def _font_face(text: str) -> str:
    """An @font-face with the CJK characters of *text* (empty without Chinese)."""
    try:
        from crmsim.report.page import _cjk_font_face
    except ImportError:  # before the layout of issue 18
        from crmsim.report import _cjk_font_face  # type: ignore[no-redef]
    return _cjk_font_face(text)


def _title(nb: nbformat.NotebookNode, path: Path) -> str:
    for cell in nb.cells:
        match = re.match(r"#\s+(.+)", cell.source) if cell.cell_type == "markdown" else None
        if match:
            return match.group(1).strip()
    return path.stem


def _resources(nb: nbformat.NotebookNode, path: Path, lang: str) -> dict:
    text = "\n".join(c.source for c in nb.cells) + "".join(
        str(o.get("data", {}).get("text/plain", "")) + str(o.get("text", ""))
        for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    return {
        "metadata": {"name": path.stem, "path": str(path.parent)},
        "crmsim": {
            "title": _title(nb, path),
            "html_lang": "zh-CN" if lang == "zh" else lang,
            "font_face": _font_face(text),
        },
    }


def _vendored(name: str) -> str:
    path = VENDOR / name
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: run 'python notebooks/present.py vendor {REVEAL_VERSION}'")
    text = path.read_text(encoding="utf-8")
    if name.endswith(".css"):  # web fonts the theme would fetch; the deck has its own
        text = re.sub(r"@import url\([^)]*\);", "", text)
    return text


def deck(path: Path, out_dir: Path) -> Path:
    """Write the reveal.js deck of the notebook *path* into *out_dir*; return the file."""
    from nbconvert import SlidesExporter

    lang = _lang(path)
    nb = _static(nbformat.read(path, as_version=4), lang, notes=True)
    exporter = SlidesExporter(template_name="crmsim_reveal",
                              extra_template_basedirs=[str(TEMPLATES)])
    resources = _resources(nb, path, lang)
    resources["crmsim"].update(
        reveal_js=_vendored("dist/reveal.js"), reveal_css=_vendored("dist/reveal.css"),
        theme_css=_vendored("dist/theme/white.css"), notes_js=_vendored("plugin/notes/notes.js"))
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    return _write(out_dir, lang, f"{path.stem}.slides.html", body)


def handout(path: Path, out_dir: Path) -> Path:
    """Write the printable handout (student edition) of *path* into *out_dir*; return the file."""
    from nbconvert import HTMLExporter

    lang = _lang(path)
    nb = _static(nbformat.read(path, as_version=4), lang, notes=False)
    exporter = HTMLExporter(template_name="crmsim_handout",
                            extra_template_basedirs=[str(TEMPLATES)])
    body, _ = exporter.from_notebook_node(nb, resources=_resources(nb, path, lang))
    return _write(out_dir, lang, f"{path.stem}.handout.html", body)


def _write(out_dir: Path, lang: str, name: str, body: str) -> Path:
    target = Path(out_dir) / lang / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(body, encoding="utf-8")
    return target


def external_references(html: str) -> list[str]:
    """Every address in *html* a browser would fetch from the network (scripts, style sheets,
    images, fonts, imports): the list must be empty for an offline deck."""
    patterns = [r'<script[^>]+src=["\']([^"\']+)', r'<link[^>]+href=["\']([^"\']+)',
                r'<img[^>]+src=["\']([^"\']+)', r'@import\s+url\(["\']?([^)"\']+)',
                r'url\(["\']?(https?:[^)"\']+)', r"""import\s+\w+\s+from\s+['"]([^'"]+)"""]
    found = [m for p in patterns for m in re.findall(p, html)]
    return [u for u in found if re.match(r"(https?:)?//", u)]


def vendor(version: str = REVEAL_VERSION) -> Path:
    """Refresh ``vendor/reveal.js-<version>`` from the npm package (needs npm)."""
    target = HERE / "vendor" / f"reveal.js-{version}"
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"reveal.js@{version}"], cwd=tmp, check=True)
        tarball = next(Path(tmp).glob("reveal.js-*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(tmp, filter="data")
        for name in VENDOR_FILES:
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(tmp) / "package" / name, target / name)
    return target


def _paths(names: list[str]) -> list[Path]:
    if names:
        return [HERE / n for n in names]
    return [p for path in editions.lesson_paths()
            for p in (path, *(editions.edition_path(path, k) for k in editions.EDITIONS))]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("slides", "handout"):
        cmd = sub.add_parser(name)
        cmd.add_argument("out", type=Path)
        cmd.add_argument("notebooks", nargs="*", help="e.g. 02_abc_and_pareto.ipynb, zh/...")
    ven = sub.add_parser("vendor")
    ven.add_argument("version", nargs="?", default=REVEAL_VERSION)
    args = parser.parse_args(argv)
    if args.command == "vendor":
        print(vendor(args.version))
        return 0
    make = deck if args.command == "slides" else handout
    for path in _paths(args.notebooks):
        print(make(path, args.out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
