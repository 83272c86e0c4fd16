"""Realistic messy exports, written by code into a test's temporary folder.

Each file imitates something users really bring: a WPS/Excel "CSV (逗号分隔)" in GBK with CRLF
line ends, a UTF-8 file with a byte-order mark, semicolon / tab / pipe separated files, a
workbook with a merged report title above the table, two-row merged headers, Chinese dates,
thousands separators and ¥ signs, blank rows and a 合计 (totals) row at the bottom, a code column
with leading zeros, and Excel serial dates. Every file holds the same three customers (see
:data:`EXPECTED`), so each test can check exact values.

No binary is committed: :func:`write_messy_exports` builds them all with the standard library,
pandas and openpyxl.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

#: What every messy file holds once read with ``rename="auto"``.
EXPECTED = {
    "customer_id": ["0012", "0013", "0105"],
    "name": ["华信贸易有限公司", "金鼎文具店", "Bright Office"],
    "amount": [1350.5, 80.0, 12000.0],
    "date": ["2022-01-03", "2022-01-15", "2022-02-01"],
    "product": ["0450", "0007", "1203"],
}
#: Excel serial day numbers of EXPECTED["date"].
SERIALS = [44564, 44576, 44593]
TITLE = "客户销售报表 2024"
CN_HEADER = ["客户编号", "客户名称", "销售额", "交易日期", "product"]


def _rows(amounts: list[str], dates: list[str]) -> list[list[str]]:
    return [
        [cid, name, amount, day, prod]
        for cid, name, amount, day, prod in zip(
            EXPECTED["customer_id"], EXPECTED["name"], amounts, dates, EXPECTED["product"],
            strict=True,
        )
    ]


def _csv_text(rows: list[list[str]], sep: str = ",", eol: str = "\n") -> str:
    def field(cell: str) -> str:
        needs = sep in cell or '"' in cell or "\n" in cell
        return '"' + cell.replace('"', '""') + '"' if needs else cell

    return "".join(sep.join(field(c) for c in row) + eol for row in rows)


def _write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


#: A small customer list as a Chinese user's export holds it (Chinese headers and values; the
#: dashboard tests save it in GBK).
CHINESE_CUSTOMERS = (
    "客户编号,客户名称,客户经理,年度采购潜力,客户类型,行业\n"
    "K001,天津外国语学校,王明,202500,学校与政府机关,集团\n"
    "K002,祥云书店,王明,18200,零售店,商业\n"
    "K003,金桥文具,李华,15900,零售店,私营\n"
    "K004,华北机械厂,李华,88000,企业,工业\n"
    "K005,仁和医院,赵强,120000,医院,集团\n"
    "K006,小林打印社,赵强,6000,小微企业,私营\n"
)


def write_messy_exports(folder: Path) -> dict[str, Path]:
    """Write every messy export into *folder*; return {case name: path}."""
    folder.mkdir(parents=True, exist_ok=True)
    iso = EXPECTED["date"]
    plain = ["1350.5", "80", "12000"]
    grouped = ["1,350.50", "80.00", "12,000.00"]
    out: dict[str, Path] = {}

    # WPS / Excel "CSV (逗号分隔)": GBK, CRLF, thousands separators (quoted), a title row,
    # blank rows (exported as empty fields) and a totals row at the bottom
    rows = [[TITLE, "", "", "", ""], CN_HEADER, *_rows(grouped, iso),
            ["合计", "", "13,430.50", "", ""], ["", "", "", "", ""], ["", "", "", "", ""]]
    out["wps_gbk"] = _write(folder / "wps_gbk.csv", _csv_text(rows, eol="\r\n"), "gbk")

    out["utf8_bom"] = _write(folder / "utf8_bom.csv",
                             _csv_text([CN_HEADER, *_rows(plain, iso)]), "utf-8-sig")

    # semicolon-separated, as European-locale Excel writes; commas inside numbers unquoted
    out["semicolon"] = _write(folder / "semicolon.csv",
                              _csv_text([CN_HEADER, *_rows(grouped, iso)], sep=";"), "utf-8")
    out["tab"] = _write(folder / "tab.csv",
                        _csv_text([CN_HEADER, *_rows(plain, iso)], sep="\t"), "utf-8")
    out["pipe"] = _write(folder / "pipe.csv",
                         _csv_text([CN_HEADER, *_rows(plain, iso)], sep="|"), "utf-8")

    # Chinese dates, ¥ / ￥ signs, full-width digits, a percent column
    cn_dates = ["2022年1月3日", "2022年1月15日", "2022年2月1日"]
    money = ["¥1,350.50", "￥80", "１２，０００"]
    rows = [[*CN_HEADER, "折扣率"],
            *[[*r, pct] for r, pct in zip(_rows(money, cn_dates), ["12%", "5%", "0%"],
                                          strict=True)]]
    out["chinese_dates"] = _write(folder / "chinese_dates.csv", _csv_text(rows), "utf-8")

    # slash dates and Excel serial dates written into a CSV
    out["slash_dates"] = _write(
        folder / "slash_dates.csv",
        _csv_text([CN_HEADER, *_rows(plain, ["2022/1/3", "2022/1/15", "2022/2/1"])]), "utf-8")
    out["serial_csv"] = _write(
        folder / "serial_dates.csv",
        _csv_text([CN_HEADER, *_rows(plain, [str(s) for s in SERIALS])]), "utf-8")

    # two-row merged header in CSV (merged cells export as empty fields)
    rows = [["客户信息", "", "销售情况", "", ""], ["客户编号", "客户名称", "销售额", "交易日期",
                                                  "product"], *_rows(plain, iso)]
    out["two_row_csv"] = _write(folder / "two_row_header.csv", _csv_text(rows), "gbk")

    out["title_xlsx"] = _title_workbook(folder / "title_row.xlsx")
    out["two_row_xlsx"] = _two_row_workbook(folder / "two_row_header.xlsx")
    out["serial_xlsx"] = _serial_workbook(folder / "serial_dates.xlsx")
    return out


def _title_workbook(path: Path) -> Path:
    """A merged report title, an export-date line, a blank row, the table (ids typed as text,
    the product code a number shown as 0000), a totals row and trailing blank rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "销售"
    ws["A1"] = TITLE
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:E1")
    ws["A2"] = "导出时间：2024-01-05"
    ws.append([])
    ws.append(CN_HEADER)
    for cid, name, amount, day, prod in zip(EXPECTED["customer_id"], EXPECTED["name"],
                                            [1350.5, 80, 12000], EXPECTED["date"],
                                            EXPECTED["product"], strict=True):
        ws.append([cid, name, amount, dt.datetime.fromisoformat(day), int(prod)])
        ws.cell(ws.max_row, 5).number_format = "0000"
        ws.cell(ws.max_row, 4).number_format = "yyyy-mm-dd"
    ws.append(["合计", None, "=SUM(C5:C7)", None, None])
    for _ in range(3):
        ws.append([None, None, None, None, None])
    wb.save(path)
    return path


def _two_row_workbook(path: Path) -> Path:
    """客户编号 merged down over two rows; 销售情况 merged across 销售额 and 交易日期."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"], ws["B1"], ws["C1"], ws["E1"] = "客户编号", "客户名称", "销售情况", "product"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:D1")
    ws.merge_cells("E1:E2")
    ws["C2"], ws["D2"] = "销售额", "交易日期"
    for cid, name, amount, day, prod in zip(EXPECTED["customer_id"], EXPECTED["name"],
                                            [1350.5, 80, 12000], EXPECTED["date"],
                                            EXPECTED["product"], strict=True):
        ws.append([cid, name, amount, dt.date.fromisoformat(day), prod])
    wb.save(path)
    return path


def _serial_workbook(path: Path) -> Path:
    """Dates pasted as plain serial numbers (General format), as some CRM exports leave them."""
    wb = Workbook()
    ws = wb.active
    ws.append(CN_HEADER)
    for cid, name, amount, serial, prod in zip(EXPECTED["customer_id"], EXPECTED["name"],
                                               [1350.5, 80, 12000], SERIALS,
                                               EXPECTED["product"], strict=True):
        ws.append([cid, name, amount, serial, prod])
    wb.save(path)
    return path
