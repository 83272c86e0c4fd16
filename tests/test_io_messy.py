"""read_table on realistic messy exports (tests/messy_exports.py): exact values or clear errors,
the reading report, and properties of the number and date cleaners."""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from messy_exports import EXPECTED, SERIALS, write_messy_exports
from openpyxl import Workbook

from crmsim.errors import DataError, ParameterError
from crmsim.io import ReadingReport, date_or_none, number_or_none, read_table, resolve_column


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict[str, Path]:
    return write_messy_exports(tmp_path_factory.mktemp("messy"))


def _check_expected(df: pd.DataFrame) -> None:
    assert df["customer_id"].tolist() == EXPECTED["customer_id"]
    assert df["name"].tolist() == EXPECTED["name"]
    assert df["amount"].tolist() == EXPECTED["amount"]
    assert df["date"].dt.strftime("%Y-%m-%d").tolist() == EXPECTED["date"]
    assert df["product"].tolist() == EXPECTED["product"]  # a code column keeps leading zeros
    assert df["date"].dtype == "datetime64[ns]"
    assert df["amount"].dtype == "float64"


CASES = ["wps_gbk", "utf8_bom", "semicolon", "tab", "pipe", "chinese_dates", "slash_dates",
         "serial_csv", "two_row_csv", "title_xlsx", "two_row_xlsx", "serial_xlsx"]


@pytest.mark.parametrize("case", CASES)
def test_every_messy_export_reads_to_the_same_table(messy, case):
    df, rep = read_table(messy[case], rename="auto", report=True)
    _check_expected(df)
    assert isinstance(rep, ReadingReport)
    assert rep.rows_read == 3
    assert rep.mapping["product"] == "product"


@pytest.mark.parametrize(
    ("case", "encoding", "delimiter"),
    [("wps_gbk", "gb18030", ","), ("utf8_bom", "utf-8-sig", ","), ("semicolon", "utf-8", ";"),
     ("tab", "utf-8", "\t"), ("pipe", "utf-8", "|"), ("two_row_csv", "gb18030", ",")],
)
def test_encoding_and_delimiter_are_reported(messy, case, encoding, delimiter):
    df, rep = read_table(messy[case], rename="auto", report=True)
    assert (rep.encoding, rep.delimiter, rep.sheet) == (encoding, delimiter, None)
    assert df.attrs["delimiter"] == delimiter


def test_wps_export_title_blank_rows_and_totals_are_reported(messy):
    _, rep = read_table(messy["wps_gbk"], rename="auto", report=True)
    assert rep.header_rows == (2,) and rep.header_detected
    assert [(r.row, r.reason.key) for r in rep.rejected] == [(6, "reading.reason.totals")]
    assert rep.rejected[0].reason.text("en") == "totals row ('合计') dropped"
    assert rep.rejected[0].reason.text("zh") == "合计行（合计）已删除"
    notes = rep.note_texts("en")
    assert "row(s) 1 above the header skipped (title: '客户销售报表 2024')" in notes
    assert "2 blank row(s) skipped" in notes
    assert rep.mapping == {"客户编号": "customer_id", "客户名称": "name", "销售额": "amount",
                           "交易日期": "date", "product": "product"}
    assert [c.kind for c in rep.columns] == ["code", "text", "number", "date", "code"]


def test_xlsx_title_row_merged_cells_and_formula_totals(messy):
    df, rep = read_table(messy["title_xlsx"], rename="auto", report=True)
    assert rep.sheet == "销售" and rep.header_rows == (4,)
    assert [r.row for r in rep.rejected] == [8]  # 合计 with an uncomputed =SUM()
    assert rep.data_rows == [5, 6, 7]
    assert df.attrs["sheet_name"] == 0 and df.attrs["encoding"] is None


def test_two_row_headers_are_joined_in_the_report(messy):
    _, rep = read_table(messy["two_row_xlsx"], rename="auto", report=True)
    assert rep.header_rows == (1, 2)
    assert [c.header for c in rep.columns] == [
        "客户编号", "客户名称", "销售情况 / 销售额", "销售情况 / 交易日期", "product"]
    _, rep_csv = read_table(messy["two_row_csv"], rename="auto", report=True)
    assert rep_csv.header_rows == (1, 2)
    assert rep_csv.columns[2].header == "销售情况 / 销售额"


def test_percent_column_and_full_width_digits(messy):
    df, rep = read_table(messy["chinese_dates"], rename="auto", report=True)
    assert df["折扣率"].tolist() == [0.12, 0.05, 0.0]
    assert rep.columns[-1].kind == "percent"
    assert df["amount"].tolist() == [1350.5, 80.0, 12000.0]  # ¥1,350.50, ￥80, １２，０００


def test_explicit_header_row_overrides_detection(messy):
    df, rep = read_table(messy["wps_gbk"], rename="auto", header_row=2, report=True)
    _check_expected(df)
    assert not rep.header_detected
    df2, rep2 = read_table(messy["two_row_xlsx"], rename="auto", header_row=(1, 2), report=True)
    _check_expected(df2)
    # the title row as header: the rows below are wider than it, which is said plainly
    with pytest.raises(DataError, match=r"title_row.xlsx, sheet '销售': some rows have more "
                                        r"fields than the header has columns \(1\); first at "
                                        r"row 4, column 2"):
        read_table(messy["title_xlsx"], header_row=1)


def test_schema_on_messy_files(messy):
    schema = {"customer_id": "id", "amount": "nonnegative", "date": "date"}
    for case in ("wps_gbk", "chinese_dates", "serial_csv", "title_xlsx", "serial_xlsx"):
        df = read_table(messy[case], rename="auto", schema=schema)
        _check_expected(df)


def test_messy_files_are_never_modified(messy):
    for path in messy.values():
        os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        before = (path.read_bytes(), path.stat().st_mtime_ns)
        read_table(path, rename="auto", report=True)
        assert (path.read_bytes(), path.stat().st_mtime_ns) == before, path.name


def test_user_names_resolve_through_the_mapping(messy):
    df, rep = read_table(messy["wps_gbk"], rename="auto", report=True)
    assert resolve_column(df.columns, "销售额", rep.mapping) == "amount"
    assert resolve_column(df.columns, " 客户编号 ", rep.mapping) == "customer_id"
    assert resolve_column(df.columns, "AMOUNT", rep.mapping) == "amount"
    assert resolve_column(df.columns, "金额", rep.mapping) == "amount"  # a known alias
    expected = r"missing column '利润率'.*headers in the file: '客户编号'"
    with pytest.raises(DataError, match=expected):
        resolve_column(df.columns, "利润率", rep.mapping, source="wps_gbk.csv")


def test_gbk_without_rename_suggests_auto(messy):
    df, rep = read_table(messy["wps_gbk"], report=True)
    assert "客户编号" in df.columns
    assert any("rename='auto'" in n for n in rep.note_texts("en"))
    with pytest.raises(DataError, match=r"missing columns 'customer_id', 'amount'.*"
                                        r"pass rename='auto'.*销售额 → amount"):
        read_table(messy["wps_gbk"], columns=["customer_id", "amount"])


# ------------------------------------------------------------------ bad input
def test_bad_value_names_file_sheet_row_and_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Q1"
    ws.append(["报表"])
    ws.append(["客户编号", "销售额"])
    ws.append(["0012", 5])
    ws.append(["0013", "abc"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    with pytest.raises(DataError) as info:
        read_table(path, rename="auto", schema={"customer_id": "id", "amount": "number"})
    assert str(info.value) == (
        "bad.xlsx, sheet 'Q1': column 'amount' must be numeric; "
        "found 'abc' at row 2 (sheet row 4, id 0013)"
    )


def test_missing_value_message_names_a_row_not_nan(tmp_path):
    path = tmp_path / "gap.csv"
    path.write_text("customer_id,amount\nC1,5\nC2,\nC3,7\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path, schema={"amount": "number"})
    message = str(info.value)
    assert message == ("gap.csv: column 'amount' has missing values (empty cells) at row 2 "
                       "(file row 3, id C2)")
    assert "nan" not in message


def test_bad_date_and_bad_header_row(tmp_path, messy):
    path = tmp_path / "d.csv"
    path.write_text("标题\ncustomer_id,date\nC1,2024年13月1日\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"d.csv: column 'date' must hold dates.*"
                                        r"'2024年13月1日' at row 1 \(file row 3, id C1\)"):
        read_table(path, schema={"date": "date"})
    with pytest.raises(DataError, match=r"header_row=\[40\] is beyond the last row"):
        read_table(messy["tab"], header_row=40)
    with pytest.raises(DataError, match=r"title_row.xlsx, sheet '销售': header_row=\[3\] is an "
                                        r"empty row"):
        read_table(messy["title_xlsx"], header_row=3)
    for bad in (0, -1, "2", (2, 4), True, (1, 2, 3)):
        with pytest.raises(ParameterError, match="header_row"):
            read_table(messy["tab"], header_row=bad)


def test_only_a_header_and_totals(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("customer_id,amount\n合计,0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"t.csv: no data rows \(only a header row was found and "
                                        r"a totals row\)"):
        read_table(path)


def test_more_fields_than_header_names_row_and_delimiter(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("a;b\n1;2\n3;4;5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"s.csv: some rows have more fields than the header has "
                                        r"columns \(2\); first at row 3, column 3; check for "
                                        r"unquoted semicolon"):
        read_table(path)


def test_repeated_header_rows_inside_the_data_are_dropped(tmp_path):
    path = tmp_path / "pages.csv"
    path.write_text("customer_id,amount\nC1,5\ncustomer_id,amount\nC2,7\n", encoding="utf-8")
    df, rep = read_table(path, report=True)
    assert df["amount"].tolist() == [5, 7]
    assert [(r.row, r.reason.key) for r in rep.rejected] == [(3, "reading.reason.repeated_header")]


def test_report_tables_are_bilingual(messy):
    _, rep = read_table(messy["semicolon"], rename="auto", report=True)
    en = rep.summary("en")
    zh = rep.summary("zh")
    assert en.iloc[:, 0].tolist() == ["File", "Encoding", "Delimiter", "Header row", "Rows read",
                                      "Rows left out"]
    assert zh.iloc[2, 1] == "分号 ';'"
    assert rep.columns_table("zh").columns.tolist() == ["序号", "文件表头", "列名", "读取为"]
    assert "semicolon" in str(rep)


# ------------------------------------------------------------------ properties
@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False,
                   allow_infinity=False))
def test_grouped_and_currency_numbers_parse_exactly(x):
    value = float(x)
    grouped = f"{abs(value):,.2f}"
    sign = "-" if value < 0 else ""
    for text in (f"{sign}{grouped}", f"{sign}¥{grouped}", f"¥{sign}{grouped}",
                 f"{sign}￥{grouped}", f" {sign}{grouped} "):
        assert number_or_none(text) == pytest.approx(value, abs=1e-9), text
    if value > 0:
        assert number_or_none(f"({grouped})") == pytest.approx(-value)
    full_width = f"{sign}{grouped}".translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,."})
    assert number_or_none(full_width) == pytest.approx(value, abs=1e-9)


@given(st.floats(min_value=-1000, max_value=1000, allow_nan=False).map(lambda f: round(f, 3)))
def test_percent_is_a_hundredth(x):
    assert number_or_none(f"{x}%") == pytest.approx(x / 100)


@given(st.text(alphabet="abcxyz客户-/ ", min_size=1, max_size=8))
def test_words_are_not_numbers(text):
    assert number_or_none(text) is None


@given(st.dates(min_value=pd.Timestamp("1900-03-01").date(),
                max_value=pd.Timestamp("2200-12-31").date()))
def test_every_date_form_gives_the_same_day(day):
    stamp = pd.Timestamp(day)
    forms = [day.isoformat(), f"{day.year}/{day.month}/{day.day}",
             f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month:02d}.{day.day:02d}",
             f"{day.isoformat()} 00:00:00"]
    for form in forms:
        assert date_or_none(form) == stamp, form
    serial = (stamp - pd.Timestamp("1899-12-30")).days
    assert date_or_none(serial, serial=True) == stamp
    assert date_or_none(str(serial), serial=True) == stamp
    assert date_or_none(serial) is None  # a plain number is not a date unless asked


def test_known_serials_and_impossible_dates():
    assert [date_or_none(s, serial=True).strftime("%Y-%m-%d") for s in SERIALS] == EXPECTED["date"]
    assert date_or_none("2024-02-30") is None
    assert date_or_none("05/03/2024") is None  # day-first or month-first: not guessed
    assert math.isclose(number_or_none("1200元"), 1200.0)


@given(
    sep=st.sampled_from([",", ";", "\t", "|"]),
    title=st.booleans(),
    totals=st.booleans(),
    blank_tail=st.integers(min_value=0, max_value=3),
    rows=st.lists(
        st.tuples(st.integers(min_value=0, max_value=99_999),
                  st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False,
                              allow_infinity=False)),
        min_size=1, max_size=12, unique_by=lambda r: r[0],
    ),
)
def test_any_layout_reads_back_the_same_values(sep, title, totals, blank_tail, rows):
    """Whatever the separator, title row, totals row and trailing blank rows, the ids (zero-padded
    codes) and amounts (with thousands separators, quoted when the separator is a comma) come
    back exactly, and the report says where the header was."""
    lines = (["月度销售报表" + sep * 2] if title else []) + [sep.join(["客户编号", "销售额",
                                                                     "备注"])]
    for cid, amount in rows:
        money = f"{float(amount):,.2f}"
        money = f'"{money}"' if sep == "," else money
        lines.append(sep.join([f"{cid:05d}", money, "x"]))
    if totals:
        lines.append(sep.join(["合计", f"{sum(float(a) for _, a in rows):.2f}", ""]))
    lines += [sep * 2] * blank_tail
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sales.csv"
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gb18030"))
        df, rep = read_table(path, rename="auto", report=True)
    assert df["customer_id"].tolist() == [f"{cid:05d}" for cid, _ in rows]
    assert df["amount"].tolist() == pytest.approx([float(a) for _, a in rows])
    assert rep.delimiter == sep
    assert rep.header_rows == ((2,) if title else (1,))
    assert len(rep.rejected) == int(totals)


def test_report_lists_only_the_columns_kept(messy):
    df, rep = read_table(messy["tab"], rename="auto", columns=["amount", "customer_id"],
                         report=True)
    assert list(df.columns) == ["amount", "customer_id"]
    assert [c.name for c in rep.columns] == ["customer_id", "amount"]  # in file order
    assert [c.position for c in rep.columns] == [1, 3]


def test_wrong_encoding_names_the_row(messy):
    with pytest.raises(DataError, match=r"wps_gbk.csv: cannot be decoded as 'utf-8' \(byte \d+, "
                                        r"row 1\)"):
        read_table(messy["wps_gbk"], encoding="utf-8")


def test_year_headers_and_a_single_column(tmp_path):
    # headers that look like numbers (years): found as the first full-width row under the title
    path = tmp_path / "years.csv"
    path.write_text("年度对比,,\n客户编号,2023,2024\n0012,5,7\n0013,1,2\n", encoding="utf-8")
    df, rep = read_table(path, rename="auto", report=True)
    assert rep.header_rows == (2,)
    assert list(df.columns) == ["customer_id", "2023", "2024"]
    assert df["2024"].tolist() == [7, 2]
    one = tmp_path / "one.csv"
    one.write_text("customer_id\n0012\n0013\n", encoding="utf-8")
    df1, rep1 = read_table(one, report=True)
    assert df1["customer_id"].tolist() == ["0012", "0013"] and rep1.delimiter == ","


def test_duplicate_ids_name_their_rows(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("报表\ncustomer_id,amount\nC1,1\nC2,2\nC1,3\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_table(path, schema={"customer_id": "id"})
    assert str(info.value) == ("dup.csv: id column 'customer_id' must be unique; duplicated "
                               "value(s): 'C1' (row(s) [1, 3] (file rows [3, 5]))")
