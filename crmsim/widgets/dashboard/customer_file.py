"""An uploaded customer file read into the dashboard's book: the reading report, the customers
and the managers the file names (or a synthetic team)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim import _validation as v
from crmsim.errors import DataError, ParameterError
from crmsim.io import read_table
from crmsim.io.report import ReadingReport
from crmsim.sim.scenario.book import normalise_tables
from crmsim.sim.scenario.funnel import CHANNEL_NAMES
from crmsim.terms import (
    CUSTOMER_TYPES,
    INDUSTRY_GROUPS,
    STAGES,
    canonical,
    label,
)
from crmsim.terms.notes import Note

#: Seed of the synthetic team (and of the classroom book): part of the company, not of the luck.
BOOK_SEED = 2024

#: Optional categorical columns of a customer file: column → (vocabulary, accepted identifiers).
_CATEGORIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "customer_type": ("customer_type", CUSTOMER_TYPES),
    "industry_group": ("industry", INDUSTRY_GROUPS),
    "channel": ("channel", CHANNEL_NAMES),
    "stage": ("stage", STAGES),
}


def _t(key: str, lang: str | None = None, **values: Any) -> str:
    text = label(f"dashboard.{key}", lang)
    return text.format(**values) if values else text



@dataclass(frozen=True, eq=False)
class CustomerFile:
    """A customer file read for the dashboard.

    Attributes
    ----------
    name : str
        The file's name as uploaded.
    customers : DataFrame
        The customers, kit column names (``customer_id``, ``annual_wallet`` and any optional
        column the simulation uses), without a ``manager_id`` (see *assignments*).
    report : ReadingReport
        How :func:`crmsim.read_table` read the file.
    managers_named : int
        Distinct account managers in the file's ``manager_id`` column (0 when it has none).
    notes : tuple of Note
        Columns left out, and why.
    assignments : Series or None
        The file's own account manager of each customer (its ``manager_id`` / 客户经理
        column, aligned with *customers*), when every customer has one: the dashboard keeps
        them and simulates the file's own team; None when the file names none (or not for
        every customer), and the customers are dealt to a synthetic team.
    """

    name: str
    customers: pd.DataFrame
    report: ReadingReport
    managers_named: int = 0
    notes: tuple[Note, ...] = ()
    assignments: pd.Series | None = None


def read_customer_file(name: str, content: bytes) -> CustomerFile:
    """Read an uploaded customer file (its name and bytes) for the dashboard.

    The bytes are written to a temporary file of the same name and read with
    :func:`crmsim.read_table` (CSV in UTF-8, UTF-8 with BOM or GBK, or .xlsx; Chinese headers such
    as 客户编号 and 年度采购潜力 mapped to kit names). The customer id and the annual wallet are
    required; the customer type, industry group, channel and stage columns are kept when every
    value is one the kit knows (in English or Chinese, e.g. 企业, 工业) and otherwise left out
    with a note; the 6C scores and first purchase date are checked as the simulation would.

    Parameters
    ----------
    name : str
        The file's name (its extension says how to read it).
    content : bytes
        The file's content; the user's own file is never touched.

    Returns
    -------
    CustomerFile

    Raises
    ------
    crmsim.errors.DataError
        Unreadable file, missing columns or invalid values; the message names the file.

    Examples
    --------
    >>> f = read_customer_file("my.csv", "客户编号,年度采购潜力,客户类型\\nA1,50000,企业\\n"
    ...                        "A2,8000,医院\\n".encode("gbk"))
    >>> f.customers[["customer_id", "annual_wallet", "customer_type"]].values.tolist()
    [['A1', 50000, 'enterprise'], ['A2', 8000, 'hospital']]
    >>> f.report.encoding
    'gb18030'
    """
    base = Path(str(name)).name or "customers.csv"
    if not isinstance(content, (bytes, bytearray, memoryview)):
        raise ParameterError(
            f"parameter 'content' must be the file's bytes; got {type(content).__name__}"
        )
    with tempfile.TemporaryDirectory(prefix="crmsim-upload-") as tmp:
        path = Path(tmp) / base
        path.write_bytes(bytes(content))
        table, rep = read_table(path, rename="auto", report=True)
    rep.source = base
    missing = [c for c in ("customer_id", "annual_wallet") if c not in table.columns]
    if missing:
        raise DataError(
            _t("file_missing_columns", name=base, missing=", ".join(missing),
               found=", ".join(map(str, table.columns)))
        )  # fmt: skip
    customers = table.copy()
    notes: list[Note] = []
    for column, (vocabulary, accepted) in _CATEGORIES.items():
        if column not in customers.columns:
            continue
        values = customers[column]
        mapped: dict[str, str] = {}
        unknown: list[str] = []
        for value in pd.unique(values.dropna().astype(str)):
            try:
                key = canonical(vocabulary, value)
            except ValueError:
                key = None
            if key in accepted:
                mapped[value] = key
            else:
                unknown.append(value)
        if unknown or values.isna().any():
            customers = customers.drop(columns=column)
            shown = ", ".join(repr(u) for u in unknown[:3]) or "''"
            notes.append(Note("dashboard.column_dropped",
                              {"column": column, "values": shown,
                               "expected": ", ".join(accepted)}))  # fmt: skip
        else:
            customers[column] = values.astype(str).map(mapped)
    assignments = None
    if "manager_id" in customers:
        ids = customers["manager_id"]
        named = ids.notna() & (ids.astype(str).str.strip() != "")
        if named.all():
            assignments = ids.astype(str).str.strip().reset_index(drop=True).rename("manager_id")
        else:
            notes.append(Note("dashboard.managers_incomplete",
                              {"missing": int((~named).sum())}))  # fmt: skip
    managers_named = int(assignments.nunique()) if assignments is not None else 0
    customers = customers.drop(columns=["manager_id"], errors="ignore").reset_index(drop=True)
    # check every value the simulation will read now, so the message comes with the upload
    try:
        v.unique_column(customers, "customer_id", source=base)
        one = pd.DataFrame({"manager_id": ["M01"]})
        normalise_tables(customers.assign(manager_id="M01"), one, pd.Timestamp("2025-01-01"),
                         BOOK_SEED, 0.1, source="upload")  # fmt: skip
    except DataError as exc:
        raise DataError(str(exc).replace("upload.customers", base)) from exc
    if customers.empty:
        raise DataError(f"{base}: the file has no customer rows")
    return CustomerFile(base, customers, rep, managers_named, tuple(notes), assignments)
