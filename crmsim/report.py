"""A small static HTML report: headings, prose, tables and charts written to one folder.

The demo and ``crmsim analyze`` build a :class:`Report`, add sections in reading order, then call
:meth:`Report.write`, which saves every chart as a PNG beside an ``index.html`` that shows them.
The page is self-contained (no scripts, no network), so it can be e-mailed or opened offline.

Examples
--------
>>> import pandas as pd, tempfile
>>> rep = Report("Example")
>>> rep.heading("Customers")
>>> rep.table(pd.DataFrame({"class": ["A", "B"], "count": [3, 7]}))
>>> path = rep.write(tempfile.mkdtemp())
>>> path.name
'index.html'
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.figure
import pandas as pd

from crmsim.errors import DataError

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC",
       "Microsoft YaHei", sans-serif; max-width: 1100px; margin: 2rem auto; padding: 0 1rem;
       color: #1f2933; line-height: 1.5; }
h1 { border-bottom: 3px solid #3e6fb0; padding-bottom: .3rem; }
h2 { margin-top: 2.5rem; color: #274b7a; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: right; }
th { background: #eef3f8; }
td:first-child, th:first-child { text-align: left; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; border: 1px solid #e5e9ef; }
figcaption { font-size: .85rem; color: #52606d; }
.note { background: #f6f8fa; border-left: 4px solid #3e6fb0; padding: .5rem 1rem; }
"""


def new_figure(width: float = 8, height: float = 4.5, polar: bool = False):
    """A figure with one Axes, made without pyplot (no backend, no global figure list, nothing
    to close), for charts that go into a :class:`Report`.

    Examples
    --------
    >>> fig, ax = new_figure(4, 3)
    >>> fig.get_size_inches().tolist()
    [4.0, 3.0]
    """
    fig = matplotlib.figure.Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax


def format_table(table: pd.DataFrame, float_digits: int = 3) -> pd.DataFrame:
    """Return a copy for display: floats rounded (shares 3 decimals, money 0), lists joined."""
    out = table.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (tuple, list))).any():
            out[col] = out[col].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, (tuple, list)) else v)
        if pd.api.types.is_float_dtype(out[col]):
            big = out[col].abs().max() >= 1000 if len(out) else False
            out[col] = out[col].round(0 if big else float_digits)
    return out


def check_output_folder(out_dir: str | Path, *, overwrite: bool = False) -> Path:
    """Check that a report can be written into *out_dir*; return it as a Path.

    Raises
    ------
    crmsim.errors.DataError
        *out_dir* is an existing file, or already holds an ``index.html`` and *overwrite* is
        False (the message suggests ``--force`` or another folder).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise DataError(f"output folder {str(out)!r} is an existing file, not a folder; "
                        f"give a folder name with --out")
    page = out / "index.html"
    if page.exists() and not overwrite:
        raise DataError(f"output folder {str(out)!r} already holds a report ({page.name}); "
                        f"use --force to replace it, or choose another folder with --out")
    return out


@dataclass
class ReportOutput:
    """What a report-building job produced: titled tables in reading order and the page's path."""

    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    report_path: Path | None = None

    def add_table(
        self, report: Report, title: str, table: pd.DataFrame, index: bool = False
    ) -> None:
        """Record *table* under *title* and add it to *report* with *title* as its caption."""
        self.tables.append((title, table))
        report.table(table, caption=title, index=index)


@dataclass
class Report:
    """An ordered list of report blocks, written out as ``index.html`` plus PNG charts."""

    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)
    _figures: dict[str, matplotlib.figure.Figure] = field(default_factory=dict)

    def heading(self, text: str) -> None:
        """Start a new section."""
        self.blocks.append(("h2", text))

    def text(self, text: str, note: bool = False) -> None:
        """Add a paragraph (``note=True`` draws it as a highlighted remark)."""
        self.blocks.append(("note" if note else "p", text))

    def table(self, table: pd.DataFrame, caption: str | None = None, index: bool = False) -> None:
        """Add a table (floats rounded for display)."""
        self.blocks.append(("table", (format_table(table), caption, index)))

    def figure(self, fig: matplotlib.figure.Figure, name: str, caption: str = "") -> None:
        """Add a chart; it is saved as ``<name>.png`` when the report is written."""
        if name in self._figures:
            raise ValueError(f"figure name {name!r} is used twice in this report")
        self._figures[name] = fig
        self.blocks.append(("figure", (name, caption)))

    def write(self, out_dir: str | Path, dpi: int = 110, *, overwrite: bool = True) -> Path:
        """Write the PNG charts and ``index.html`` into *out_dir*; return the HTML path.

        Raises DataError if *out_dir* is a file, or holds an ``index.html`` and *overwrite* is
        False."""
        out = check_output_folder(out_dir, overwrite=overwrite)
        out.mkdir(parents=True, exist_ok=True)
        for name, fig in self._figures.items():
            # a fixed metadata dict keeps the PNG bytes identical from run to run
            fig.savefig(out / f"{name}.png", dpi=dpi, bbox_inches="tight",
                        metadata={"Software": None})
        parts = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head><body>",
            f"<h1>{html.escape(self.title)}</h1>",
        ]
        for kind, payload in self.blocks:
            if kind == "h2":
                parts.append(f"<h2>{html.escape(str(payload))}</h2>")
            elif kind == "p":
                parts.append(f"<p>{html.escape(str(payload))}</p>")
            elif kind == "note":
                parts.append(f'<p class="note">{html.escape(str(payload))}</p>')
            elif kind == "table":
                table, caption, index = payload
                cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
                body = table.to_html(index=index, border=0, na_rep="")
                parts.append(body.replace("<table>", f"<table>{cap}", 1) if cap else body)
            elif kind == "figure":
                name, caption = payload
                src, alt = html.escape(name), html.escape(caption or name)
                parts.append(
                    f'<figure><img src="{src}.png" alt="{alt}">'
                    f"<figcaption>{html.escape(caption)}</figcaption></figure>"
                )
        parts.append("</body></html>")
        path = out / "index.html"
        path.write_text("\n".join(parts) + "\n", encoding="utf-8")
        return path
