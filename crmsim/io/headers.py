"""Column names: renaming a file's headers to the kit's names, and finding a column by any of
the names a user may call it (the kit's name, the header in the file, English or Chinese)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from crmsim.errors import DataError, ParameterError
from crmsim.io.clean import clean_text
from crmsim.terms import COLUMN_ALIASES, TERMS

__all__ = ["auto_name", "is_id_like", "resolve_column", "target_names"]

_KIT_NAMES = frozenset(COLUMN_ALIASES.values())
_ID_HINTS = ("编号", "代码", "编码", "号码", "订单号", "单号", "邮编", "电话", "手机")
_ID_WORDS = ("code", "sku", "zip", "postcode", "phone")
_ALIASES_FOLDED = {clean_text(k).casefold(): v for k, v in COLUMN_ALIASES.items()}


def clean_header(value: object, position: int) -> str:
    """A header cell as text: stripped of spaces and stray byte-order marks; empty cells become
    ``"Unnamed: <position>"`` (0-based, as pandas names them)."""
    text = "" if value is None or (isinstance(value, float) and value != value) else str(value)
    text = text.replace("\ufeff", "").strip()
    return text or f"Unnamed: {position}"


def auto_name(header: str) -> str:
    """The kit's name for *header*: via :data:`crmsim.terms.COLUMN_ALIASES` (客户编号 →
    customer_id), or the header folded to snake case when that is a kit name ("Customer ID" →
    customer_id); otherwise the header unchanged.

    >>> auto_name("销售额"), auto_name("Gross Profit"), auto_name("备注")
    ('amount', 'gross_profit', '备注')
    """
    if header in COLUMN_ALIASES:
        return COLUMN_ALIASES[header]
    folded = re.sub(r"[\s\-]+", "_", clean_text(header).casefold())
    if folded in _KIT_NAMES:
        return folded
    return _ALIASES_FOLDED.get(clean_text(header).casefold(), header)


def target_names(
    header: Sequence[str], rename: Mapping[str, str] | str | None, source: str
) -> list[str]:
    """The table's column names for *header*, checking that no two end up the same."""
    if rename is None:
        names = list(header)
    elif isinstance(rename, str):
        if rename != "auto":
            raise ParameterError(
                f"parameter 'rename' must be a dict {{header: column}}, 'auto' or None; "
                f"got {rename!r}"
            )
        names = [auto_name(h) for h in header]
    elif isinstance(rename, Mapping):
        mapping = {clean_header(k, 0): str(val) for k, val in rename.items()}
        missing = [k for k in mapping if k not in header]
        if missing:
            raise DataError(
                f"{source}: cannot rename {', '.join(map(repr, missing))}: no such header; "
                f"headers: {', '.join(map(repr, header))}"
            )
        names = [mapping.get(h, h) for h in header]
    else:
        raise ParameterError(
            f"parameter 'rename' must be a dict {{header: column}}, 'auto' or None; "
            f"got {type(rename).__name__}"
        )
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        positions.setdefault(name, []).append(i)
    for name, where in positions.items():
        if len(where) > 1:
            raw = [header[i] for i in where]
            cols = " and ".join(str(i + 1) for i in where)
            if len(set(raw)) == 1:
                raise DataError(
                    f"{source}: header {raw[0]!r} appears more than once (columns {cols}); "
                    f"give each column its own header"
                )
            raise DataError(
                f"{source}: headers {' and '.join(map(repr, raw))} (columns {cols}) both map to "
                f"column {name!r}; rename or delete one of them"
            )
    return names


def is_id_like(header: str, name: str) -> bool:
    """Whether a column names identifiers or codes (kept as text): ``*_id``, ``... ID``,
    ``code``, or a Chinese header with 编号 / 代码 / 编码 / 号码 / 电话..."""
    low = name.casefold()
    head = header.casefold()
    return (
        low == "id"
        or low.endswith("_id")
        or low.endswith(" id")
        or header.upper().endswith("ID")
        or any(hint in header for hint in _ID_HINTS)
        or any(re.search(rf"(^|[\s_]){w}($|[\s_])", s) for w in _ID_WORDS for s in (low, head))
    )


def chinese_headers(headers: Iterable[str]) -> list[str]:
    """The headers that :data:`~crmsim.terms.COLUMN_ALIASES` would rename."""
    return [h for h in headers if h in COLUMN_ALIASES]


def resolve_column(
    columns: Iterable[str],
    name: str,
    mapping: Mapping[str, str] | None = None,
    *,
    source: str | None = None,
    parameter: str | None = None,
) -> str:
    """The table column a user means by *name*.

    Accepted, in this order: the column's own name; the header it had in the file (via
    *mapping*, original header → column name, e.g. :attr:`ReadingReport.mapping`); a header
    that :data:`~crmsim.terms.COLUMN_ALIASES` maps to it (金额 → amount); the kit name in
    other spelling ("Gross Profit"); the kit term's English or Chinese label (增值潜力 →
    growth_potential). Case, surrounding space and full-width forms are ignored.

    Raises
    ------
    crmsim.errors.DataError
        Nothing matches; the message lists the columns and the file's headers.

    Examples
    --------
    >>> resolve_column(["customer_id", "amount"], "销售额", {"客户编号": "customer_id",
    ...                                                     "销售额": "amount"})
    'amount'
    >>> resolve_column(["customer_id", "growth_potential"], "Growth potential")
    'growth_potential'
    """
    cols = list(columns)
    mapping = dict(mapping or {})
    text = clean_text(str(name))
    folded = text.casefold()
    if name in cols:
        return name
    if text in cols:
        return text
    for header, col in mapping.items():
        if col in cols and clean_text(header).casefold() == folded:
            return col
    for col in cols:
        if clean_text(str(col)).casefold() == folded:
            return col
    alias = auto_name(text)
    if alias in cols:
        return alias
    for col in cols:
        en, zh = TERMS.get(str(col), (None, None))
        if en is not None and (en.casefold() == folded or zh == text):
            return col
    where = f"{source}: " if source else ""
    what = f" (given with {parameter})" if parameter else ""
    headers = [h for h, c in mapping.items() if h != c]
    shown = f"; headers in the file: {', '.join(map(repr, headers))}" if headers else ""
    raise DataError(
        f"{where}missing column {name!r}{what}; available columns: "
        f"{', '.join(map(repr, cols)) or '(none)'}{shown}"
    )
