"""A corpus of bad and odd inputs, written by code (no binary is committed), for
tests/test_bad_inputs.py.

Every case names its inputs, the command line (run in-process through
:func:`crmsim.app.cli.main`) or a Python call, and what must happen: ``ok`` (exit 0 and a right
answer, checked) or ``error`` (exit status 2 and exactly one error line, which must contain the
given fragments: the file, sheet, row, column, option or parameter at fault). The runner also
checks that no case prints a traceback or an "internal error", and that every input file is
byte-identical afterwards.

The data: one small transaction history (:data:`TRUTH`, 12 customers, 2022-2023) written in
many ways a user's export can look — encodings, delimiters, title rows, dates day first or month
first, totals and subtotals rows, hidden rows — and broken in the ways the issue measured.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


def _truth() -> pd.DataFrame:
    """12 customers (C01..C12), 150 orders over 2022-2023; amounts in cents, exact."""
    rng = np.random.default_rng(21)
    rows = []
    for _ in range(150):
        cid = f"C{int(rng.integers(1, 13)):02d}"
        day = dt.date(2022, 1, 1) + dt.timedelta(days=int(rng.integers(0, 720)))
        rows.append((cid, day, round(float(rng.integers(1000, 500000)) / 100, 2)))
    for i in range(1, 13):  # every customer at least once
        rows.append((f"C{i:02d}", dt.date(2022, 1, i + 12), 100.0 + i))
    df = pd.DataFrame(rows, columns=["customer_id", "date", "amount"])
    df["date"] = pd.to_datetime(df["date"])
    return df.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)


TRUTH = _truth()


@dataclass
class Case:
    """One input and what must come of it."""

    name: str
    argv: list[str] | None = None  # CLI arguments; "{d}" is the inputs folder, "{o}" the output
    call: Callable[[Path, Path], object] | None = None  # Python API: call(inputs, out)
    expect: str = "error"  # "ok" or "error"
    says: tuple[str, ...] = ()  # fragments of the one error line
    check: Callable[[Path, Path, str], None] | None = None  # ok: (inputs, out, stdout)
    category: str = "files"
    exit_code: int = 2
    not_says: tuple[str, ...] = field(default=())


# ------------------------------------------------------------------ writing the inputs
def _lines(df: pd.DataFrame, dates: list[str] | None = None, sep: str = ",",
           header: tuple[str, ...] = ("customer_id", "date", "amount")) -> list[str]:
    dates = dates or df["date"].dt.strftime("%Y-%m-%d").tolist()
    out = [sep.join(header)]
    for (cid, amount), day in zip(df[["customer_id", "amount"]].itertuples(index=False),
                                  dates, strict=True):
        out.append(sep.join([cid, day, f"{amount:.2f}"]))
    return out


def _put(folder: Path, name: str, lines: list[str] | str, encoding: str = "utf-8",
         eol: str = "\n") -> None:
    text = lines if isinstance(lines, str) else eol.join(lines) + eol
    (folder / name).write_bytes(text.encode(encoding))


def write_inputs(folder: Path) -> None:
    """Write every input file of the corpus into *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    t = TRUTH
    iso = _lines(t)
    _put(folder, "good.csv", iso)
    cn_header = ("客户编号", "交易日期", "销售额")
    _put(folder, "crlf_gbk.csv", ["客户交易明细 2022-2023", *_lines(t, header=cn_header)],
         "gbk", "\r\n")
    _put(folder, "bom.csv", iso, "utf-8-sig")
    _put(folder, "utf16.csv", [line.replace(",", "\t") for line in iso], "utf-16")
    _put(folder, "semicolon.csv", _lines(t, sep=";"))
    _put(folder, "cr_only.csv", iso, eol="\r")
    day_first = [d.strftime("%d/%m/%Y") for d in t["date"]]
    month_first = [d.strftime("%m/%d/%Y") for d in t["date"]]
    _put(folder, "dayfirst.csv", _lines(t, day_first))
    _put(folder, "monthfirst.csv", _lines(t, month_first))
    _put(folder, "dotted.csv", _lines(t, [d.strftime("%d.%m.%Y") for d in t["date"]]))
    early = t[t["date"].dt.day <= 12].reset_index(drop=True)  # no day above 12: ambiguous
    _put(folder, "ambiguous.csv", _lines(early, [d.strftime("%d/%m/%Y") for d in early["date"]]))
    mixed = day_first[:]
    mixed[-1] = "02/13/2023"
    _put(folder, "mixed_order.csv", _lines(t, mixed))
    half = [d.strftime("%d/%m/%Y") if i % 2 else d.strftime("%Y-%m-%d")
            for i, d in enumerate(t["date"])]
    _put(folder, "half_iso.csv", _lines(t, half))
    cn = [f"{d.year}年{d.month}月{d.day}日" for d in t["date"]]
    _put(folder, "chinese_dates.csv", _lines(t, cn), "gbk")
    serial = [str((d - pd.Timestamp("1899-12-30")).days) for d in t["date"]]
    _put(folder, "serial.csv", _lines(t, serial))
    # totals and subtotals anywhere, as Excel's Data > Subtotal and WPS write them
    lines = iso[:]
    lines.insert(40, ",小计,1000.00")
    lines.insert(80, "合计,,99999.00")
    lines.insert(100, "East Total,,5.00")
    lines += ["Total,,123456.00", "总计,,123456.00"]
    _put(folder, "totals_middle.csv", lines)
    lines = iso[:]
    lines.insert(60, "customer_id,date,amount")
    _put(folder, "repeated_header.csv", lines + [",,", ",,"])
    # broken files
    _put(folder, "empty.csv", "")
    _put(folder, "blank_lines.csv", "\n\n  \n")
    _put(folder, "header_only.csv", ["customer_id,date,amount"])
    _put(folder, "only_totals.csv", ["customer_id,date,amount", "合计,,5"])
    lines = iso[:]
    lines[5] = lines[5].replace("C", '"C', 1)
    _put(folder, "open_quote.csv", lines)
    lines = iso[:]
    lines[7] += ",extra"
    _put(folder, "extra_field.csv", lines)
    lines = iso[:]
    lines[9] = lines[9].rsplit(",", 1)[0] + ",abc"
    _put(folder, "text_amount.csv", lines)
    lines = iso[:]
    lines[11] = lines[11].rsplit(",", 1)[0] + ",inf"
    _put(folder, "inf_amount.csv", lines)
    lines = iso[:]
    lines[12] = lines[12].rsplit(",", 1)[0] + ","
    _put(folder, "empty_amount.csv", lines)
    lines = iso[:]
    lines[13] = lines[13].split(",")[0] + ",2023-02-30," + lines[13].rsplit(",", 1)[1]
    _put(folder, "bad_date.csv", lines)
    negative = iso[:]
    cid = negative[3].split(",")[0]
    negative.append(f"{cid},2023-12-30,-9999999.00")
    _put(folder, "negative.csv", negative)
    _put(folder, "sci_ids.csv", ["customer_id,date,amount", "1.23457E+10,2023-01-05,10",
                                 "1.23457E+10,2023-01-06,20", "1.23457E+10,2023-02-06,30"])
    _put(folder, "dup_header.csv", ["amount,date,amount", "C1,2023-01-01,5"])
    _put(folder, "no_amount.csv", ["customer_id,date,qty", "C1,2023-01-01,5", "C2,2023-02-01,6"])
    _put(folder, "latin1.csv", ["customer_id,name,date,amount",
                                "C1,Café Müller,2023-01-01,5", "C2,Señor Über,2023-01-02,6"],
         "latin-1")
    big5 = ["客戶編號,客戶名稱,交易日期,銷售額", "C1,台北市信義區貿易有限公司,2023-01-01,5",
            "C2,高雄電腦資訊股份有限公司,2023-01-02,6",
            "C3,新竹科學園區電子股份有限公司,2023-01-03,7"]
    _put(folder, "big5.csv", big5, "big5")
    _put(folder, "binary.csv", "")
    (folder / "binary.csv").write_bytes(b"customer_id,amount\n\x00\x01\x02\x00,\x00\n")
    _put(folder, "formula_ids.csv", ["customer_id,date,amount", "=HYPERLINK(\"x\"),2023-01-01,5",
                                     "@SUM(A1),2023-01-02,6", "+cmd,2023-01-03,7",
                                     "C4,2023-01-04,8"])
    (folder / "table.xls").write_bytes(b"\xd0\xcf\x11\xe0not really")
    (folder / "notes.txt").write_text("hello", encoding="utf-8")
    (folder / "a_folder.csv").mkdir(exist_ok=True)
    if hasattr(os, "mkfifo") and not (folder / "fifo.csv").exists():
        os.mkfifo(folder / "fifo.csv")
    link = folder / "link_passwd.csv"
    if not link.exists() and Path("/etc/passwd").exists():
        link.symlink_to("/etc/passwd")
    _workbooks(folder, t)
    _scenarios(folder)


def _workbooks(folder: Path, t: pd.DataFrame) -> None:
    rows = [[r.customer_id, r.date.to_pydatetime(), r.amount] for r in t.itertuples()]
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    ws.append(["本文件为客户交易明细，数据在第二个工作表"])
    ws2 = wb.create_sheet("数据")
    ws2.append(["客户编号", "交易日期", "销售额"])
    for r in rows:
        ws2.append(r)
    wb.save(folder / "notes_first.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.title = "明细"
    ws.append(["customer_id", "date", "amount"])
    for i, r in enumerate(rows):
        ws.append(r)
        if i in (10, 20):
            ws.append(["C99", dt.datetime(2023, 1, 1), 1e6])  # hidden by a filter: left out
            ws.row_dimensions[ws.max_row].hidden = True
    wb.save(folder / "hidden_rows.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "amount", "qty", "price"])
    for i, r in enumerate(rows[:20]):
        n = i + 2
        ws.append([r[0], r[1], f"=D{n}*E{n}", 2, r[2] / 2])
    wb.save(folder / "formulas.xlsx")
    wb = Workbook()
    ws = wb.active
    ws.append(["customer_id", "date", "amount"])
    for r in rows:
        ws.append(r)
    ws.append(["小计", None, 5.0])
    wb.save(folder / "good.xlsx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip at all")


def _scenarios(folder: Path) -> None:
    s = folder / "sc"
    s.mkdir(exist_ok=True)
    tiny = 'name = "tiny"\nmonths = 2\n[book]\nsource = "synthetic"\nn_customers = 60\n' \
           'n_managers = 3\n'
    (s / "tiny.toml").write_text(tiny, encoding="utf-8")
    (s / "=cmd.toml").write_text(tiny + "[crm]\nadoption = 0.9\n", encoding="utf-8")
    bad = {
        "syntax.toml": "months = \n",
        "unquoted_date.toml": tiny + "start_date = 2025-01-01\n",
        "date_as_number.toml": "months = 2025-01-01\n",
        "unknown_key.toml": "months = 2\nmonthz = 3\n",
        "negative_months.toml": "months = -1\n",
        "float_months.toml": "months = 2.5\n",
        "text_months.toml": 'months = "two"\n',
        "huge_book.toml": "months = 2\n[book]\nsource = \"synthetic\"\nn_customers = 1e9\n"
                          "n_managers = 10\n",
        "huge_seed.toml": tiny + "seed = 123456789012345678901234567890\n",
        "bad_prob.toml": tiny + "[crm]\nadoption = 1.5\n",
        "bad_structure.toml": 'structure = "nonsense"\n' + tiny,
        "missing_tables.toml": 'months = 2\n[book]\nsource = "tables"\ncustomers_path = '
                               '"nowhere.csv"\nmanagers_path = "nowhere_m.csv"\n',
        "bad_book.toml": 'months = 2\n[book]\nsource = "tables"\ncustomers_path = "cust.csv"\n'
                         'managers_path = "man.csv"\n',
        "link_book.toml": 'months = 2\n[book]\nsource = "tables"\ncustomers_path = '
                          '"evil.csv"\nmanagers_path = "man.csv"\n',
        "infinite.toml": tiny + "[crm]\nadoption = inf\n",
        "nan.toml": tiny + "[crm]\nadoption = nan\n",
        "array.toml": "months = [1, 2]\n",
        "table_as_value.toml": "months = 2\nbook = 3\n",
        "dup_key.toml": "months = 2\nmonths = 3\n",
    }
    for name, text in bad.items():
        (s / name).write_text(text, encoding="utf-8")
    (s / "gbk.toml").write_bytes('name = "客户"\nmonths = 2\n'.encode("gbk"))
    (s / "bom.toml").write_bytes(("\ufeff" + tiny).encode("utf-8"))
    (s / "cust.csv").write_text("customer_id,annual_wallet,manager_id\nK1,-5,M1\nK2,100,M1\n",
                                encoding="utf-8")
    (s / "man.csv").write_text("manager_id\nM1\n", encoding="utf-8")
    if not (s / "evil.csv").exists() and Path("/etc/passwd").exists():
        (s / "evil.csv").symlink_to("/etc/passwd")
    (s / "folder.toml").mkdir(exist_ok=True)


def input_files(folder: Path) -> list[Path]:
    """Every regular file of the corpus (what must be byte-identical afterwards)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
