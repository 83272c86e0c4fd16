"""Tests for crmsim.io.read_table: encodings, Excel, header renaming, schema checks, bad input."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.io import read_table

CN_HEADER = "客户编号,客户名称,销售额,交易日期\n"
CN_ROWS = "0012,华信贸易有限公司,350.50,2024-03-05\n0013,金鼎文具店,80,2024/3/6\n"


def _write(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# ------------------------------------------------------------------ hand-worked examples
def test_utf8_csv_with_chinese_headers_auto_rename(tmp_path):
    f = _write(tmp_path / "sales.csv", CN_HEADER + CN_ROWS, "utf-8")
    df = read_table(f, rename="auto")
    assert list(df.columns) == ["customer_id", "name", "amount", "date"]
    # the id keeps its leading zeros; the amounts are numbers (350.5 + 80 = 430.5)
    assert df["customer_id"].tolist() == ["0012", "0013"]
    assert df["amount"].sum() == pytest.approx(430.5)
    assert df["name"].tolist() == ["华信贸易有限公司", "金鼎文具店"]
    assert df.attrs["encoding"] == "utf-8"
    assert df.attrs["source"] == str(f)


def test_utf8_with_bom_leaves_no_bom_in_the_first_header(tmp_path):
    f = _write(tmp_path / "sales.csv", CN_HEADER + CN_ROWS, "utf-8-sig")
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")
    df = read_table(f, rename="auto")
    assert df.columns[0] == "customer_id"
    assert df.attrs["encoding"] == "utf-8-sig"


def test_bom_remnant_and_spaces_are_stripped_from_headers(tmp_path):
    # a BOM decoded as text (file re-saved by a tool that kept it) and padded headers
    f = _write(tmp_path / "sales.csv", "\ufeff 客户编号 ,  销售额\n0012,5\n", "utf-8")
    df = read_table(f, encoding="utf-8", rename="auto")
    assert list(df.columns) == ["customer_id", "amount"]


def test_gbk_csv_from_chinese_excel_is_detected(tmp_path):
    f = _write(tmp_path / "sales_gbk.csv", CN_HEADER + CN_ROWS, "gbk")
    with pytest.raises(UnicodeDecodeError):
        f.read_bytes().decode("utf-8")  # the fixture really is not UTF-8
    df = read_table(f, rename="auto", schema={"customer_id": "id", "amount": "nonnegative"})
    assert df.attrs["encoding"] == "gb18030"
    assert df["name"].iloc[0] == "华信贸易有限公司"
    assert df["amount"].tolist() == [350.5, 80.0]


def test_explicit_encoding_is_used_and_recorded(tmp_path):
    f = _write(tmp_path / "sales.csv", CN_HEADER + CN_ROWS, "gbk")
    df = read_table(f, encoding="gbk")
    assert df.attrs["encoding"] == "gbk"
    assert "客户编号" in df.columns


def test_xlsx_with_text_ids_and_sheet_by_name(tmp_path):
    f = tmp_path / "book.xlsx"
    first = pd.DataFrame({"客户编号": ["0012", "0013"], "销售额": [350.5, 80.0]})
    second = pd.DataFrame({"客户编号": ["0099"], "销售额": [1.0]})
    with pd.ExcelWriter(f) as writer:
        first.to_excel(writer, sheet_name="Q1", index=False)
        second.to_excel(writer, sheet_name="Q2", index=False)
    df = read_table(f, rename="auto")
    assert df["customer_id"].tolist() == ["0012", "0013"]
    assert df["amount"].tolist() == [350.5, 80.0]
    assert df.attrs["encoding"] is None
    q2 = read_table(f, rename="auto", sheet_name="Q2", schema={"customer_id": "id"})
    assert q2["customer_id"].tolist() == ["0099"]
    assert read_table(f, sheet_name=1)["客户编号"].tolist() == ["0099"]


def test_explicit_rename_and_column_selection(tmp_path):
    f = _write(tmp_path / "sales.csv", "编号,金额,备注\n7,10,a\n8,20,b\n", "utf-8")
    df = read_table(f, rename={"编号": "customer_id", "金额": "amount"},
                    columns=["amount", "customer_id"])
    assert list(df.columns) == ["amount", "customer_id"]
    assert df["customer_id"].tolist() == ["7", "8"]  # id-like column read as text


def test_auto_rename_normalises_english_headers(tmp_path):
    f = _write(tmp_path / "sales.csv", "Customer ID,Amount,Gross Profit\nC1,10,2\n", "utf-8")
    df = read_table(f, rename="auto")
    assert list(df.columns) == ["customer_id", "amount", "gross_profit"]


def test_schema_converts_each_kind(tmp_path):
    text = (
        "code,amount,profit,day,character,note\n"
        "0012,\"¥1,250.00\",-5,2024年3月5日,5,x\n"
        "0013,80,12.5,2024/3/6,1,\n"
    )
    f = _write(tmp_path / "t.csv", text, "utf-8")
    df = read_table(
        f,
        schema={"code": "id", "amount": "nonnegative", "profit": "number", "day": "date",
                "character": "int1to5", "note": "str"},
    )
    assert df["code"].tolist() == ["0012", "0013"]
    assert df["amount"].tolist() == [1250.0, 80.0]
    assert df["profit"].dtype == "float64"
    assert df["day"].dtype == "datetime64[ns]"
    assert df["day"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-03-06"]
    assert df["character"].dtype == "int64"
    assert df["note"].isna().tolist() == [False, True]


def test_columns_dict_selects_and_checks(tmp_path):
    f = _write(tmp_path / "t.csv", "customer_id,amount,extra\nC1,3,z\n", "utf-8")
    df = read_table(f, columns={"customer_id": "id", "amount": "number"})
    assert list(df.columns) == ["customer_id", "amount"]
    assert df["amount"].dtype == "float64"


def test_file_is_not_modified(tmp_path):
    csv_file = _write(tmp_path / "sales.csv", CN_HEADER + CN_ROWS, "gbk")
    xlsx_file = tmp_path / "book.xlsx"
    pd.DataFrame({"客户编号": ["0012"], "销售额": [1.0]}).to_excel(xlsx_file, index=False)
    for f in (csv_file, xlsx_file):
        os.utime(f, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
        before = (f.read_bytes(), f.stat().st_mtime_ns)
        read_table(f, rename="auto", schema={"customer_id": "id"})
        assert (f.read_bytes(), f.stat().st_mtime_ns) == before


# ------------------------------------------------------------------ properties
@given(
    ids=st.lists(st.text(alphabet="0123456789", min_size=1, max_size=6), min_size=1,
                 max_size=8, unique=True)
)
def test_id_columns_keep_their_exact_text(ids):
    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "ids.csv"
        f.write_text("customer_id,amount\n" + "".join(f"{i},1\n" for i in ids), encoding="utf-8")
        df = read_table(f)
    assert df["customer_id"].tolist() == ids


# ------------------------------------------------------------------ bad input
def test_missing_file_names_the_path(tmp_path):
    missing = tmp_path / "nope.csv"
    with pytest.raises(FileNotFoundError, match="nope.csv"):
        read_table(missing)


@pytest.mark.parametrize("name", ["sales.xls", "sales.txt", "sales"])
def test_unsupported_extension_lists_supported_ones(tmp_path, name):
    f = _write(tmp_path / name, "a,b\n1,2\n", "utf-8")
    with pytest.raises(DataError, match=r"unsupported file type.*\.csv, \.xlsx"):
        read_table(f)


def test_empty_file(tmp_path):
    f = _write(tmp_path / "empty.csv", "", "utf-8")
    with pytest.raises(DataError, match="empty.csv: the file is empty"):
        read_table(f)


def test_header_without_rows(tmp_path):
    f = _write(tmp_path / "head.csv", "customer_id,amount\n", "utf-8")
    with pytest.raises(DataError, match="head.csv: no data rows"):
        read_table(f)


def test_undecodable_file_names_file_and_encodings(tmp_path):
    f = tmp_path / "binary.csv"
    f.write_bytes(b"id,amount\n\x80\x80,1\n")
    with pytest.raises(DataError, match=r"binary.csv: .*'utf-8-sig', 'gb18030'"):
        read_table(f)


def test_wrong_explicit_encoding(tmp_path):
    f = _write(tmp_path / "gbk.csv", CN_HEADER + CN_ROWS, "gbk")
    with pytest.raises(DataError, match="gbk.csv: cannot be decoded as 'utf-8'"):
        read_table(f, encoding="utf-8")
    with pytest.raises(ParameterError, match="encoding"):
        read_table(f, encoding="no-such-codec")


def test_two_headers_mapping_to_one_column(tmp_path):
    f = _write(tmp_path / "dup.csv", "客户编号,客户代码,销售额\n1,2,3\n", "utf-8")
    expected = r"'客户编号' and '客户代码'.*both map to column 'customer_id'"
    with pytest.raises(DataError, match=expected):
        read_table(f, rename="auto")


def test_repeated_header(tmp_path):
    f = _write(tmp_path / "dup.csv", "amount,amount\n1,2\n", "utf-8")
    expected = r"header 'amount' appears more than once \(columns 1 and 2\)"
    with pytest.raises(DataError, match=expected):
        read_table(f)


def test_explicit_rename_of_a_missing_header(tmp_path):
    f = _write(tmp_path / "s.csv", "a,b\n1,2\n", "utf-8")
    with pytest.raises(DataError, match=r"s.csv: cannot rename '客户编号': no such header"):
        read_table(f, rename={"客户编号": "customer_id"})


def test_bad_rename_and_kind_arguments(tmp_path):
    f = _write(tmp_path / "s.csv", "a,b\n1,2\n", "utf-8")
    with pytest.raises(ParameterError, match="rename"):
        read_table(f, rename="chinese")
    with pytest.raises(ParameterError, match="unknown kind 'money' for column 'a'"):
        read_table(f, schema={"a": "money"})
    with pytest.raises(ParameterError, match="sheet_name"):
        read_table(f, sheet_name=None)


def test_negative_amount_message_names_file_column_row_and_id(tmp_path):
    rows = "".join(f"C00{40 + i},{10 * i}\n" for i in range(1, 7))  # rows 1..6 are fine
    f = _write(tmp_path / "sales_2024.csv", "customer_id,amount\n" + rows + "C0042,-3\n", "utf-8")
    # the 7th data row (C0042) is the negative one
    with pytest.raises(DataError) as info:
        read_table(f, schema={"amount": "nonnegative"})
    message = str(info.value)
    assert message.startswith("sales_2024.csv: column 'amount' must be >= 0")
    assert "-3" in message and "row 7 (file row 8, id C0042)" in message


def test_duplicate_id(tmp_path):
    f = _write(tmp_path / "c.csv", "customer_id,x\nC0001,1\nC0001,2\n", "utf-8")
    with pytest.raises(DataError, match=r"c.csv: id column 'customer_id' must be unique.*'C0001'"):
        read_table(f, schema={"customer_id": "id"})


def test_score_out_of_range_and_bad_date(tmp_path):
    f = _write(tmp_path / "c.csv", "customer_id,character,day\nC1,6,2024-01-01\n", "utf-8")
    with pytest.raises(DataError, match=r"c.csv: column 'character' must be <= 5"):
        read_table(f, schema={"character": "int1to5"})
    g = _write(tmp_path / "d.csv", "customer_id,day\nC1,not a date\n", "utf-8")
    with pytest.raises(DataError, match=r"d.csv: column 'day' must hold dates"):
        read_table(g, schema={"day": "date"})


def test_missing_schema_column(tmp_path):
    f = _write(tmp_path / "c.csv", "customer_id\nC1\n", "utf-8")
    with pytest.raises(DataError, match=r"c.csv: missing column 'amount'"):
        read_table(f, schema={"amount": "number"})
    with pytest.raises(DataError, match=r"c.csv: missing column 'amount'"):
        read_table(f, columns=["customer_id", "amount"])


def test_rows_longer_than_the_header(tmp_path):
    f = _write(tmp_path / "r.csv", "customer_id,amount\nC1,1,250.00\n", "utf-8")
    with pytest.raises(DataError, match="r.csv: some rows have more fields than the header"):
        read_table(f)


def test_missing_worksheet_lists_the_sheets(tmp_path):
    f = tmp_path / "book.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(f, sheet_name="Data", index=False)
    with pytest.raises(DataError, match=r"book.xlsx: no worksheet 'Q3'; worksheets: 'Data'"):
        read_table(f, sheet_name="Q3")
    with pytest.raises(DataError, match=r"no worksheet 2"):
        read_table(f, sheet_name=2)


def test_corrupt_workbook(tmp_path):
    f = _write(tmp_path / "broken.xlsx", "this is not a zip file", "utf-8")
    with pytest.raises(DataError, match="broken.xlsx: not a readable Excel workbook"):
        read_table(f)
