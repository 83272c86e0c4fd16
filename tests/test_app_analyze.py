"""crmsim analyze on messy exports: the reading report, the methods table, the user's own column
names, cleaned values, and bad input (exit status 2, no traceback, nothing overwritten)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from messy_exports import write_messy_exports

from crmsim.app.analyze import analyze_file, analyze_table, methods_table
from crmsim.app.cli import main
from crmsim.errors import DataError
from crmsim.io import read_table


@pytest.fixture(scope="module")
def messy(tmp_path_factory) -> dict[str, Path]:
    return write_messy_exports(tmp_path_factory.mktemp("messy"))


def _transactions(path: Path) -> Path:
    """A GBK transaction list with Chinese dates and thousands separators, title and totals."""
    rows = ["销售明细,,,", "交易日期,客户编号,订单号,销售额"]
    data = [("2022年1月3日", "0012", "O1", "1,200.00"), ("2022年2月5日", "0012", "O2", "300"),
            ("2022年3月1日", "0013", "O3", "￥2,500"), ("2022年3月9日", "0014", "O4", "50"),
            ("2022年3月20日", "0012", "O5", "700")]
    rows += [",".join(f'"{c}"' if "," in c else c for c in r) for r in data]
    rows += ["合计,,,\"4,750\""]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    return path


def test_value_given_by_the_files_own_header(tmp_path, capsys):
    path = _transactions(tmp_path / "明细.csv")
    code = main(["analyze", str(path), "--value", "销售额", "--id", "客户编号",
                 "--out", str(tmp_path / "rep")])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    out = captured.out
    assert "ABC classes by amount" in out
    assert "How the file was read" in out and "gb18030" in out and "comma" in out
    assert "totals row ('合计') dropped" in out
    html = (tmp_path / "rep" / "index.html").read_text(encoding="utf-8")
    for text in ("文件读取说明", "销售额", "customer_id", "合计行（合计）已删除",
                 "Customers per lifecycle stage", "Methods run on this file"):
        assert text in html, text


def test_analyze_table_sums_cleaned_values(tmp_path):
    table, reading = read_table(_transactions(tmp_path / "t.csv"), rename="auto", report=True)
    result = analyze_table(table, tmp_path / "r", value="销售额", reading=reading)
    titles = dict(result.tables)
    abc = titles["ABC classes by amount"]
    # 0012: 1200 + 300 + 700 = 2200; 0013: 2500; 0014: 50 -> total 4750
    assert abc["value"].sum() == pytest.approx(4750.0)
    methods = titles["Methods run on this file (本文件运行的方法)"]
    ran = dict(zip(methods.iloc[:, 0], methods.iloc[:, 1], strict=True))
    assert ran["Customer relationship lifecycle (客户关系生命周期)"] == "yes (是)"
    assert ran["Customer pyramid (金字塔理论)"] == "no (否)"


def test_python_api_cleans_text_values_and_dates(tmp_path):
    table = pd.DataFrame({"customer_id": ["a", "b", "a"], "amount": ["1,000", "¥500", "250"],
                          "date": ["2022年1月3日", "2022年1月4日", "2022/2/1"]})
    result = analyze_table(table, tmp_path / "r")
    abc = dict(result.tables)["ABC classes by amount"]
    assert abc["value"].sum() == pytest.approx(1750.0)
    bad = table.assign(amount=["1,000", "lots", "250"])
    with pytest.raises(DataError, match=r"column 'amount' must be numeric; found 'lots' at row 2"):
        analyze_table(bad, tmp_path / "r2")


def test_methods_table_says_what_each_method_needs():
    table = pd.DataFrame({"customer_id": ["a", "b"], "amount": [1.0, 2.0],
                          "current_value": [1.0, 2.0]})
    t = methods_table(table, "customer_id", "amount", lang="en")
    assert t.columns.tolist() == ["Method", "Ran", "Needs", "Missing"]
    rows = {r["Method"]: r for r in t.to_dict("records")}
    assert rows["ABC classification"]["Ran"] == "yes"
    assert rows["Customer pyramid"]["Ran"] == "no"
    assert rows["Customer pyramid"]["Missing"] == "growth_potential"
    assert rows["Customer pyramid"]["Needs"] == "current_value, growth_potential"
    assert rows["6C credit analysis"]["Missing"].startswith("character, capacity")
    assert rows["Customer relationship lifecycle"]["Missing"] == "date"
    with_date = table.assign(date=pd.to_datetime(["2024-01-01", "2024-02-01"]))
    lifecycle = methods_table(with_date, "customer_id", "amount", lang="en").iloc[4]
    assert lifecycle["Missing"] == "repeated ids (a transaction list)"


@pytest.mark.parametrize("case", ["semicolon", "title_xlsx", "two_row_xlsx", "chinese_dates"])
def test_messy_exports_analyze_cleanly(messy, tmp_path, case):
    before = (messy[case].read_bytes(), messy[case].stat().st_mtime_ns)
    result = analyze_file(messy[case], tmp_path / case)
    abc = dict(result.tables)["ABC classes by amount"]
    assert abc["value"].sum() == pytest.approx(13430.5)
    assert (messy[case].read_bytes(), messy[case].stat().st_mtime_ns) == before


def test_header_row_option(messy, tmp_path, capsys):
    assert main(["analyze", str(messy["two_row_xlsx"]), "--header-row", "1,2",
                 "--out", str(tmp_path / "a")]) == 0
    assert "1, 2 (as given" in capsys.readouterr().out
    assert main(["analyze", str(messy["two_row_xlsx"]), "--header-row", "one",
                 "--out", str(tmp_path / "b")]) == 2
    assert "--header-row must be a row number" in capsys.readouterr().err


# ------------------------------------------------------------------ bad input
def test_out_that_is_a_file_is_refused(messy, tmp_path, capsys):
    target = tmp_path / "report.html"
    target.write_text("mine", encoding="utf-8")
    assert main(["analyze", str(messy["tab"]), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert "is an existing file, not a folder" in err and "report.html" in err
    assert target.read_text(encoding="utf-8") == "mine"


def test_existing_report_is_not_overwritten_without_force(messy, tmp_path, capsys):
    out = tmp_path / "rep"
    out.mkdir()
    page = out / "index.html"
    page.write_text("an earlier report", encoding="utf-8")
    os.utime(page, ns=(1_600_000_000_000_000_000,) * 2)
    assert main(["analyze", str(messy["tab"]), "--out", str(out)]) == 2
    assert "already holds a report" in capsys.readouterr().err
    assert page.read_text(encoding="utf-8") == "an earlier report"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]  # no chart written either
    assert main(["analyze", str(messy["tab"]), "--out", str(out), "--force"]) == 0
    assert "ABC" in page.read_text(encoding="utf-8")


def test_errors_exit_2_without_traceback(messy, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("客户编号,销售额\n0012,5\n0013,很多\n", encoding="gbk")
    proc = subprocess.run(
        [sys.executable, "-m", "crmsim.app.cli", "analyze", str(bad), "--out", str(tmp_path / "r")],
        capture_output=True, text=True, encoding="utf-8", check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "crmsim analyze: error: bad.csv: column 'amount' must be numeric; found '很多' at row 2 "
        "(id 0013)"
    )


def test_unknown_value_column_lists_columns_and_headers(messy, tmp_path, capsys):
    assert main(["analyze", str(messy["wps_gbk"]), "--value", "利润",
                 "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    # 利润 is a known alias of gross_profit, which this file does not have
    assert "missing column '利润' (given with --value)" in err
    assert "'amount'" in err and "headers in the file: '客户编号'" in err


def test_lifecycle_stages_in_batches_are_the_same_table(monkeypatch):
    """analyze infers stages on integer keys and, on a very long list, in batches of customers
    (bounded memory): infer_stage's table exactly in one batch; in several, the same stages,
    dates and counts, and sums equal but for numpy's order of addition."""
    import crmsim.app.analyze as analyze
    from crmsim.datasets import load_transactions
    from crmsim.methods.lifecycle import infer_stage

    tx = load_transactions()
    whole = infer_stage(tx, id="customer_id", value="amount")
    pd.testing.assert_frame_equal(analyze._stages(tx, "customer_id", "amount"), whole,
                                  check_exact=True)
    for rows in (50_000, 7_000):
        monkeypatch.setattr(analyze, "STAGE_BATCH_ROWS", rows)
        batched = analyze._stages(tx, "customer_id", "amount")
        pd.testing.assert_frame_equal(batched, whole, check_exact=False, rtol=1e-12)
        exact = ["customer_id", "first_order", "last_order", "n_orders", "tenure_months",
                 "recency_months", "stage"]
        pd.testing.assert_frame_equal(batched[exact], whole[exact], check_exact=True)
        assert batched.attrs == whole.attrs


def test_abc_on_integer_keys_is_the_same_table():
    import crmsim.app.analyze as analyze
    from crmsim.datasets import load_transactions
    from crmsim.methods.abc import abc_classify

    tx = load_transactions()
    ties = pd.DataFrame({"customer_id": ["b", "a", "d", "c", "e", "f"],
                         "amount": [5.0, 5.0, 5.0, 5.0, 1.0, 1.0]})
    for table in (tx, ties):
        pd.testing.assert_frame_equal(analyze._abc(table, "amount", "customer_id", "error"),
                                      abc_classify(table, value="amount"), check_exact=True)
