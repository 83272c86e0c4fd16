"""A static HTML report: headings, prose, tables for people, and charts, in one self-contained file.

The demo, ``crmsim analyze``, ``crmsim simulate`` and the manager's what-if report
(:mod:`crmsim.report.manager`) build a :class:`Report`, add blocks in reading order, then call
:meth:`Report.write`. By default the charts are embedded in ``index.html`` itself (SVG images as
data, no scripts, no network), so the page can be e-mailed, opened offline and printed; tables
given a CSV name are also written to ``tables/<name>.csv`` beside it, with the data behind them.

Tables are shown for people (:func:`format_table`): thousands separators, shares as
percentages, readable headers from the translation table, no index noise.

Examples
--------
>>> import pandas as pd, tempfile
>>> rep = Report("Example")
>>> rep.heading("Customers")
>>> rep.table(pd.DataFrame({"class": ["A", "B"], "count": [3, 7]}), csv="classes")
>>> path = rep.write(tempfile.mkdtemp())
>>> path.name, (path.parent / "tables" / "classes.csv").is_file()
('index.html', True)
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.figure
import numpy as np
import pandas as pd

from crmsim.errors import DataError, ParameterError
from crmsim.report.fonts import cjk_font_face as _cjk_font_face
from crmsim.report.output import (
    _publish,
    _refuse,
    _unfinished_page,
    check_output_folder,
    csv_bytes,
)
from crmsim.terms import TERMS, label, resolve_language

_CSS = """
body { font-family: "crmsim CJK", system-ui, -apple-system, "Segoe UI", "Noto Sans",
       "PingFang SC", "Microsoft YaHei", sans-serif; max-width: 1100px; margin: 2rem auto;
       padding: 0 1rem; color: #1f2933; line-height: 1.5; }
h1 { border-bottom: 3px solid #3e6fb0; padding-bottom: .3rem; margin-bottom: .3rem; }
h2 { margin-top: 2.5rem; color: #274b7a; }
h3 { margin-top: 1.5rem; color: #274b7a; }
.subtitle { color: #52606d; margin-top: 0; }
table { border-collapse: collapse; margin: 1rem 0; font-size: .9rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: .3rem; }
th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: right; }
th { background: #eef3f8; }
td:first-child, th:first-child { text-align: left; }
td.text, th.text { text-align: left; }
td:not(.text) { white-space: nowrap; }
tr.chosen td { background: #eaf6ec; font-weight: 600; }
figure { margin: 1rem 0; }
figure img { max-width: 100%; border: 1px solid #e5e9ef; }
figcaption { font-size: .85rem; color: #52606d; }
.note { background: #f6f8fa; border-left: 4px solid #3e6fb0; padding: .5rem 1rem; }
.warning { background: #fff4e5; border-left: 4px solid #c77700; padding: .5rem 1rem; }
.answer { border: 2px solid #3e6fb0; border-radius: 6px; padding: .6rem 1.2rem;
          background: #f7faff; margin: 1rem 0; }
.answer .headline { font-size: 1.15rem; font-weight: 600; }
.question { font-size: 1.1rem; }
a.csv { font-size: .8rem; margin-left: .5rem; }
pre { background: #f6f8fa; padding: .5rem .8rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
@page { margin: 14mm 12mm; }
@media print {
  /* every table wraps within the paper's width (A4 or Letter): no scrolling box to cut it,
     cells break at spaces (or anywhere, as a last resort), narrower padding and type */
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h1 { font-size: 18pt; }
  h2 { break-before: auto; break-after: avoid; font-size: 14pt; }
  h3 { break-after: avoid; }
  .scroll { overflow: visible; }
  table { width: 100%; font-size: 7.5pt; break-inside: auto; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th, td, td:not(.text) { white-space: normal; overflow-wrap: anywhere; padding: .15rem .3rem; }
  th { overflow-wrap: normal; }  /* headers break between words only */
  caption { break-after: avoid; }
  figure, .answer { break-inside: avoid; }
  figure img { max-width: 100%; height: auto; }
  .answer, .note { box-sizing: border-box; max-width: 100%; }
  a.csv { display: none; }
}
"""


# --------------------------------------------------------------------------- tables for people

#: Words in a column name that mark a share between 0 and 1 (shown as a percentage).
_SHARE_WORDS = ("share", "retention", "service_level", "utilisation", "conversion", "coverage")


def column_label(name: Any, lang: str | None = None) -> str:
    """A column header for people: the translation table's ``col.<name>`` entry, else the
    snake_case name made readable (``"share_of_value"`` → ``"Share of value"``); a header that
    is already text for people (spaces, capitals, Chinese) is kept.

    >>> column_label("share_of_customers"), column_label("share_of_customers", "zh")
    ('Share of customers', '客户占比')
    >>> column_label("Net contribution (M CNY)"), column_label("top10_share")
    ('Net contribution (M CNY)', 'Top 10% share')
    """
    text = str(name)
    key = f"col.{text}"
    if key in TERMS:
        return label(key, lang)
    if not re.fullmatch(r"[a-z0-9_]+", text):
        return text
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else text


def _is_share(name: str, values: pd.Series) -> bool:
    lowered = str(name).lower()
    if not any(word in lowered for word in _SHARE_WORDS):
        return False
    finite = values.dropna()
    return bool(len(finite)) and bool(((finite >= -1e-9) & (finite <= 1 + 1e-9)).all())


def _float_format(values: pd.Series) -> str:
    """Decimals for a float column: whole numbers and large values without decimals."""
    finite = values.dropna().to_numpy(dtype=float)
    finite = finite[np.isfinite(finite)]
    if not len(finite):
        return ",.0f"
    big = np.abs(finite).max()
    if big >= 1000 or np.allclose(finite, np.round(finite)):
        return ",.0f"
    if big >= 100:
        return ",.1f"
    if big >= 1:
        return ",.2f"
    return ",.3f"


def format_table(table: pd.DataFrame, lang: str | None = "en") -> pd.DataFrame:
    """A copy of *table* for people: every cell text, headers readable, the index as a column.

    - whole numbers and money with thousands separators (``12,881,871``), never ``12881871.0``;
    - shares between 0 and 1 in a column whose name says so (``share``, ``retention``...) as
      percentages (``79.9%``);
    - other floats with as many decimals as their size needs;
    - a meaningful index (named, or not 0..n-1) becomes the first column; a plain 0..n-1 index
      is dropped, so no blank header row or row numbers appear;
    - a true/false column is shown as yes/no, and left out when it is the same in every row;
    - lists and tuples joined with commas; missing values blank.

    Examples
    --------
    >>> t = pd.DataFrame({"count": [157, 82], "share_of_value": [0.7988, 0.1003],
    ...                   "value": [12881871.0, 1618382.0], "renamed": [True, True]},
    ...                  index=pd.Index(["A", "B"], name="class"))
    >>> format_table(t).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'Class': ['A', 'B'], 'Count': ['157', '82'], 'Share of value': ['79.9%', '10.0%'],
     'Value': ['12,881,871', '1,618,382']}
    """
    out = table.copy()
    plain_index = isinstance(out.index, pd.RangeIndex) and out.index.name is None
    if not plain_index:
        out = out.reset_index()
    columns: dict[str, pd.Series] = {}
    for col in out.columns:
        values = out[col]
        if pd.api.types.is_bool_dtype(values):
            if len(values) > 1 and values.nunique() == 1:
                continue
            yes, no = label("report.yes", lang), label("report.no", lang)
            shown = values.map(lambda v, yes=yes, no=no: yes if v else no)
        elif pd.api.types.is_integer_dtype(values):
            shown = values.map(lambda v: f"{v:,}")
        elif pd.api.types.is_float_dtype(values):
            if _is_share(col, values):
                shown = values.map(lambda v: "" if pd.isna(v) else f"{v * 100:.1f}%")
            else:
                spec = _float_format(values)
                shown = values.map(lambda v, spec=spec: "" if pd.isna(v) else _number(v, spec))
        else:
            shown = values.map(_cell)
        columns[column_label(col, lang)] = shown.astype(object)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(out)))


def _number(v: float, spec: str) -> str:
    if not math.isfinite(v):
        return "n/a"
    text = format(v, spec)
    return "0" if text in ("-0", "-0.0", "-0.00", "-0.000") else text


def _cell(v: Any) -> str:
    if isinstance(v, tuple | list):
        return ", ".join(map(str, v))
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return _number(v, ",.0f" if abs(v) >= 1000 else ",.3g")
    return str(v)


def text_table(table: pd.DataFrame) -> str:
    """A table of text cells as aligned plain text: the first column left-aligned, the
    others right-aligned (for the command line and logs).

    >>> print(text_table(pd.DataFrame({"KPI": ["Revenue", "Complaints"], "a": ["1.0", "12"]})))
    KPI           a
    Revenue     1.0
    Complaints   12
    """
    header = [str(c) for c in table.columns]
    rows = [[str(v) for v in row] for row in table.itertuples(index=False)]
    widths = [max(_width(x) for x in [h, *(r[i] for r in rows)]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        parts = [
            _pad(c, w, left=(i == 0)) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns on a terminal."""
    return sum(2 if "\u2e80" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" else 1
               for ch in text)  # fmt: skip


def _pad(text: str, width: int, left: bool) -> str:
    gap = " " * (width - _width(text))
    return text + gap if left else gap + text


# --------------------------------------------------------------------------- the output folder


@dataclass
class ReportOutput:
    """What a report-building job produced: titled tables in reading order, the page's path and,
    when the job simulated a choice, the recommendation as plain text."""

    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)
    report_path: Path | None = None
    recommendation: str | None = None
    #: the plausibility guard's findings, in words (shown first)
    warnings: list[str] = field(default_factory=list)

    def add_table(
        self, report: Report, title: str, table: pd.DataFrame, index: bool = False
    ) -> None:
        """Record *table* under *title* and add it to *report* with *title* as its caption."""
        self.tables.append((title, table))
        report.table(table, caption=title, index=index)


def _csv_name(name: str) -> str:
    clean = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.")
    if not clean:
        raise ValueError(f"CSV name {name!r} has no usable characters")
    return clean


@dataclass
class Report:
    """An ordered list of report blocks, written out as one self-contained ``index.html``.

    Parameters
    ----------
    title : str
    lang : {"en", "zh"}
        Language of the page (its ``lang`` attribute and the table formatting words).
    subtitle : str, optional
        A line under the title (e.g. what was simulated and how often).
    """

    title: str
    lang: str = "en"
    subtitle: str | None = None
    blocks: list[tuple[str, object]] = field(default_factory=list)
    _figures: dict[str, matplotlib.figure.Figure] = field(default_factory=dict)
    _csv: dict[str, pd.DataFrame] = field(default_factory=dict)

    def heading(self, text: str, level: int = 2) -> None:
        """Start a new section (``level=3`` for a sub-section)."""
        self.blocks.append(("h3" if level == 3 else "h2", text))

    def text(self, text: str, note: bool = False) -> None:
        """Add a paragraph (``note=True`` draws it as a highlighted remark)."""
        self.blocks.append(("note" if note else "p", text))

    def bullets(self, items: list[str]) -> None:
        """Add a bulleted list."""
        self.blocks.append(("ul", list(items)))

    def warning(self, text: str) -> None:
        """Add a warning (the plausibility guard's findings), shown apart from the text."""
        self.blocks.append(("warning", text))

    def answer(self, headline: str, points: list[str], question: str | None = None) -> None:
        """Add the highlighted answer box: an optional question, a headline and its points."""
        self.blocks.append(("answer", (question, headline, list(points))))

    def code(self, text: str) -> None:
        """Add a command or code to type, as it must be typed (monospace, not translated)."""
        self.blocks.append(("code", text))

    def links(self, paths: list[str]) -> None:
        """Add a bulleted list of links to files beside the page (e.g. ``tables/x.csv``)."""
        self.blocks.append(("links", list(paths)))

    def data(self, table: pd.DataFrame, csv: str) -> str:
        """Write *table* as ``tables/<csv>.csv`` without showing it; returns its relative path."""
        name = _csv_name(csv)
        if name in self._csv:
            raise ValueError(f"CSV name {name!r} is used twice in this report")
        self._csv[name] = table
        return f"tables/{name}.csv"

    def table(
        self,
        table: pd.DataFrame,
        caption: str | None = None,
        index: bool = False,
        *,
        csv: str | None = None,
        formatted: bool = False,
        highlight: int | None = None,
        raw: pd.DataFrame | None = None,
    ) -> None:
        """Add a table, formatted for people (:func:`format_table`) unless *formatted*.

        Parameters
        ----------
        csv : str, optional
            Also write the table as given (raw numbers) to ``tables/<csv>.csv``, linked from
            the caption.
        formatted : bool
            *table* is already text for people (headers included): shown as it is.
        highlight : int, optional
            Position of a row to mark (the recommended option).
        raw : DataFrame, optional
            What the CSV holds, when it is not *table* itself (e.g. identifiers instead of
            the names shown).
        index : bool
            Kept for compatibility: a meaningful index is always shown as the first column.
        """
        link = self.data(table if raw is None else raw, csv) if csv else None
        shown = table if formatted else format_table(table, self.lang)
        if formatted:  # cells and headers already for people: only the index is folded in
            plain = isinstance(shown.index, pd.RangeIndex) and shown.index.name is None
            shown = shown if plain else shown.reset_index()
        self.blocks.append(("table", (shown, caption, link, highlight)))

    def figure(
        self,
        fig: matplotlib.figure.Figure,
        name: str,
        caption: str = "",
        *,
        data: pd.DataFrame | None = None,
    ) -> None:
        """Add a chart; *data* (the numbers it draws) is written to ``tables/<name>.csv``."""
        if name in self._figures:
            raise ValueError(f"figure name {name!r} is used twice in this report")
        self._figures[name] = fig
        link = self.data(data, name) if data is not None else None
        self.blocks.append(("figure", (name, caption, link)))

    # ------------------------------------------------------------------------- writing

    def write(
        self,
        out_dir: str | Path,
        dpi: int = 110,
        *,
        overwrite: bool = True,
        embed: bool = True,
        keep: Iterable[str | Path] = (),
    ) -> Path:
        """Write ``index.html`` (and ``tables/*.csv``) into *out_dir*; return the HTML path.

        With ``embed=True`` (default) every chart is an SVG image inside the page itself;
        ``embed=False`` saves ``<name>.png`` files beside it instead.

        Every file is first written in full to a temporary name beside its target, then all
        are moved into place (the page last): a full disk, a read-only folder or an interrupt
        leaves the folder as it was, never a half-written page or table. CSV tables go through
        :func:`crmsim.io.writing.write_csv` (formula-like cells escaped).

        Raises DataError if *out_dir* is a file, or holds any file this report writes and
        *overwrite* is False, or if one of those files is among *keep* (the user's input
        files, never replaced even with *overwrite*).
        """
        out = check_output_folder(out_dir, overwrite=overwrite)
        names = [f"tables/{n}.csv" for n in self._csv]
        if not embed:
            names += [f"{n}.png" for n in self._figures]
        names.append("index.html")
        kept = {Path(p).resolve() for p in keep}
        for name in names:
            if (out / name).resolve() in kept:
                raise DataError(
                    f"output {str(out / name)!r} is one of your input files; choose another "
                    f"folder with --out (your files are never modified)"
                )
        if not overwrite:
            existing = [n for n in names if (out / n).exists()]
            if existing and existing != ["index.html"] or (
                    existing and not _unfinished_page(out / "index.html")):
                _refuse(out, existing)
        contents: dict[str, bytes] = {}
        sources: dict[str, str] = {}
        for name, fig in self._figures.items():
            if embed:
                sources[name] = _svg_data(fig)
            else:
                buffer = io.BytesIO()
                # a fixed metadata dict keeps the PNG bytes identical from run to run
                fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight",
                            metadata={"Software": None})  # fmt: skip
                contents[f"{name}.png"] = buffer.getvalue()
                sources[name] = f"{html.escape(name)}.png"
        for name, table in self._csv.items():
            contents[f"tables/{name}.csv"] = csv_bytes(table)
        contents["index.html"] = self.html(sources).encode("utf-8")
        return _publish(out, contents)

    def html(self, sources: dict[str, str] | None = None) -> str:
        """The page as text; *sources* maps each figure name to its image source."""
        if sources is None:
            sources = {name: _svg_data(fig) for name, fig in self._figures.items()}
        esc = html.escape
        lang = "zh-CN" if self.lang == "zh" else "en"
        csv_word = esc(label("report.csv", self.lang))
        parts = [
            f"<h1>{esc(self.title)}</h1>",
        ]
        if self.subtitle:
            parts.append(f'<p class="subtitle">{esc(self.subtitle)}</p>')
        for kind, payload in self.blocks:
            if kind in ("h2", "h3"):
                parts.append(f"<{kind}>{esc(str(payload))}</{kind}>")
            elif kind == "p":
                parts.append(f"<p>{esc(str(payload))}</p>")
            elif kind == "note":
                parts.append(f'<p class="note">{esc(str(payload))}</p>')
            elif kind == "warning":
                parts.append(f'<p class="warning" role="alert">{esc(str(payload))}</p>')
            elif kind == "ul":
                items = "".join(f"<li>{esc(str(i))}</li>" for i in payload)
                parts.append(f"<ul>{items}</ul>")
            elif kind == "code":
                parts.append(f"<pre><code>{esc(str(payload))}</code></pre>")
            elif kind == "links":
                items = "".join(f'<li><a href="{esc(p)}">{esc(p)}</a></li>' for p in payload)
                parts.append(f"<ul>{items}</ul>")
            elif kind == "answer":
                question, headline, points = payload
                box = ['<div class="answer">']
                if question:
                    box.append(f'<p class="question">{esc(question)}</p>')
                box.append(f'<p class="headline">{esc(headline)}</p>')
                if points:
                    box.append("<ul>" + "".join(f"<li>{esc(p)}</li>" for p in points) + "</ul>")
                box.append("</div>")
                parts.append("".join(box))
            elif kind == "table":
                table, caption, link, highlight = payload
                parts.append(_table_html(table, caption, link, highlight, csv_word))
            elif kind == "figure":
                name, caption, link = payload
                alt = esc(caption or name)
                more = f' <a class="csv" href="{esc(link)}">{csv_word}</a>' if link else ""
                parts.append(
                    f'<figure><img src="{sources[name]}" alt="{alt}">'
                    f"<figcaption>{esc(caption)}{more}</figcaption></figure>"
                )
        body = "\n".join(parts)
        head = [
            "<!DOCTYPE html>",
            f'<html lang="{lang}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(self.title)}</title><style>{_cjk_font_face(self.title + body)}{_CSS}"
            "</style></head><body>",
        ]
        return "\n".join([*head, body, "</body></html>"]) + "\n"


def _table_html(
    table: pd.DataFrame, caption: str | None, link: str | None, highlight: int | None, csv: str
) -> str:
    esc = html.escape
    out = ['<div class="scroll"><table>']
    if caption or link:
        more = f' <a class="csv" href="{esc(link)}">{csv}</a>' if link else ""
        out.append(f"<caption>{esc(caption or '')}{more}</caption>")
    text_columns = {
        i for i, c in enumerate(table.columns)
        if i > 0 and not table[c].map(_looks_numeric).all()
    }  # fmt: skip
    heads = [
        f"<th{' class=text' if i in text_columns else ''}>{esc(str(c))}</th>"
        for i, c in enumerate(table.columns)
    ]
    out.append("<thead><tr>" + "".join(heads) + "</tr></thead><tbody>")
    for r, row in enumerate(table.itertuples(index=False)):
        cls = ' class="chosen"' if highlight is not None and r == highlight else ""
        cells = []
        for i, value in enumerate(row):
            text = "" if value is None or (isinstance(value, float) and math.isnan(value)) \
                else str(value)  # fmt: skip
            attr = ' class="text"' if i in text_columns else ""
            cells.append(f"<td{attr}>{esc(text)}</td>")
        out.append(f"<tr{cls}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


_NUMERIC = re.compile(r"^[\s+\-−]?[\d,.]+\s*(%|±.*|\*|M|k)?[\s*]*$")


def _looks_numeric(value: Any) -> bool:
    return value is None or value == "" or bool(_NUMERIC.match(str(value)))


def _svg_data(fig: matplotlib.figure.Figure) -> str:
    """*fig* as an SVG data URI; text drawn as paths (no font needed to view or print it),
    with fixed ids and no date, so the same chart gives the same bytes."""
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.fonttype": "path", "svg.hashsalt": "crmsim"}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def report_language(lang: str | None) -> str:
    """A report's language: ``"en"`` or ``"zh"`` (``"both"`` is not a page language)."""
    lang = resolve_language(lang)
    if lang == "both":
        raise ParameterError(
            "parameter 'lang': a report is written in one language, 'en' or 'zh'; got 'both'"
        )
    return lang
