"""The bad-input corpus (tests/bad_inputs.py) against every command and the main API: each
case ends with a right answer or exit status 2 and one line naming what is wrong; never a
traceback, never an "internal error", and every input byte-identical afterwards.

CLI cases run in-process through crmsim.app.cli.main (fast); faults that need real processes
(signals, a full or read-only disk) are in tests/test_faults.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from bad_inputs import TRUTH, Case, input_files, write_inputs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmsim.app.cli import main
from crmsim.errors import CrmsimError

SIM = ["--replications", "2", "--workers", "1"]
CAL = ["--replications", "2", "--months", "2", "--workers", "1"]


# ------------------------------------------------------------------ right answers
def _same_as_truth(df: pd.DataFrame, truth: pd.DataFrame = TRUTH) -> None:
    assert df["customer_id"].tolist() == truth["customer_id"].tolist()
    assert df["amount"].tolist() == pytest.approx(truth["amount"].tolist(), abs=1e-9)
    assert (pd.to_datetime(df["date"]).dt.normalize() == truth["date"]).all()


def _report_says(*fragments: str):
    def check(inputs: Path, out: Path, stdout: str) -> None:
        page = (out / "index.html").read_text(encoding="utf-8")
        for fragment in fragments:
            assert fragment in page, fragment
        assert not list(out.rglob("*.part")), "a temporary file was left behind"

    return check


def _customers(n: int = 12):
    return _report_says(f"{n} distinct customers")


def _calibrated(rows: int, customers: int = 12):
    def check(inputs: Path, out: Path, stdout: str) -> None:
        book = pd.read_csv(out / "s_customers.csv", dtype=str)
        assert len(book) <= customers
        assert (out / "s.toml").is_file() and (out / "r" / "index.html").is_file()
        page = (out / "r" / "index.html").read_text(encoding="utf-8")
        assert f"{rows:,}" in page

    return check


# ------------------------------------------------------------------ the cases
def _file_cases() -> list[Case]:
    cases = []
    ok = ["good.csv", "crlf_gbk.csv", "bom.csv", "utf16.csv", "semicolon.csv", "cr_only.csv",
          "dayfirst.csv", "monthfirst.csv", "dotted.csv", "half_iso.csv", "chinese_dates.csv",
          "serial.csv", "totals_middle.csv", "repeated_header.csv", "good.xlsx",
          "hidden_rows.xlsx"]
    for name in ok:
        cases.append(Case(f"analyze {name}", ["analyze", f"{{d}}/{name}", "--out", "{o}"],
                          expect="ok", check=_customers()))
        cases.append(Case(f"read_table {name}", call=_read_exactly(name), expect="ok",
                          category="api"))
        cases.append(Case(f"calibrate {name}", ["calibrate", f"{{d}}/{name}", "--out",
                                                "{o}/s.toml", "--report", "{o}/r", *CAL],
                          expect="ok", check=_calibrated(len(TRUTH))))
    # dates whose day/month order the column does not show: analyze reads, says why it does not
    # infer stages; calibrate refuses with the option; given the option, both run
    cases += [
        Case("analyze ambiguous dates", ["analyze", "{d}/ambiguous.csv", "--out", "{o}"],
             expect="ok", check=_report_says("--dayfirst", "either day first or month first")),
        Case("analyze mixed date orders", ["analyze", "{d}/mixed_order.csv", "--out", "{o}"],
             expect="ok", check=_report_says("mixes day-first")),
        Case("analyze impossible date", ["analyze", "{d}/bad_date.csv", "--out", "{o}"],
             expect="ok", check=_report_says("read as text")),
        Case("analyze ambiguous --dayfirst", ["analyze", "{d}/ambiguous.csv", "--dayfirst",
                                              "--out", "{o}"], expect="ok",
             check=_report_says("Customers per lifecycle stage")),
        Case("calibrate ambiguous dates", ["calibrate", "{d}/ambiguous.csv", "--out",
                                           "{o}/s.toml", "--report", "{o}/r", *CAL],
             says=("ambiguous.csv", "column 'date'", "--dayfirst or --monthfirst")),
        Case("calibrate ambiguous --dayfirst", ["calibrate", "{d}/ambiguous.csv", "--dayfirst",
                                                "--out", "{o}/s.toml", "--report", "{o}/r", *CAL],
             expect="ok"),
        Case("calibrate mixed orders", ["calibrate", "{d}/mixed_order.csv", "--out", "{o}/s.toml",
                                        "--report", "{o}/r", *CAL],
             says=("mixed_order.csv", "'02/13/2023'")),
        Case("calibrate impossible date", ["calibrate", "{d}/bad_date.csv", "--out",
                                           "{o}/s.toml", "--report", "{o}/r", *CAL],
             says=("bad_date.csv", "'2023-02-30'", "file row")),
        Case("calibrate --as-of day/month", ["calibrate", "{d}/good.csv", "--as-of",
                                             "03/02/2024", "--out", "{o}/s.toml", "--report",
                                             "{o}/r", *CAL], says=("--as-of", "--dayfirst")),
        Case("calibrate --as-of before the data", ["calibrate", "{d}/good.csv", "--as-of",
                                                   "2019-01-01", "--out", "{o}/s.toml",
                                                   "--report", "{o}/r", *CAL],
             says=("as_of", "good.csv")),
        Case("calibrate --out not toml", ["calibrate", "{d}/good.csv", "--out", "{o}/s.txt",
                                          "--report", "{o}/r", *CAL], says=("--out", ".toml")),
        Case("calibrate --sheet on csv", ["calibrate", "{d}/good.csv", "--sheet", "1", "--out",
                                          "{o}/s.toml", "--report", "{o}/r", *CAL],
             says=("--sheet", "good.csv")),
        Case("analyze negative --negative exclude", ["analyze", "{d}/negative.csv", "--negative",
                                                     "exclude", "--out", "{o}"], expect="ok",
             check=_report_says("excluded")),
        Case("analyze notes sheet --sheet", ["analyze", "{d}/notes_first.xlsx", "--sheet", "数据",
                                             "--out", "{o}"], expect="ok", check=_customers()),
        Case("analyze big5 with its headers", ["analyze", "{d}/big5.csv", "--id", "客戶編號",
                                               "--value", "銷售額", "--out", "{o}"],
             expect="ok", check=_customers(3)),
        Case("analyze formula ids", ["analyze", "{d}/formula_ids.csv", "--out", "{o}"],
             expect="ok", check=_customers(4)),
    ]
    errors = {  # file: fragments of the one error line (analyze, then calibrate)
        "text_amount.csv": ("text_amount.csv", "'amount'", "'abc'", "row"),
        "inf_amount.csv": ("inf_amount.csv", "'amount'", "finite"),
        "empty_amount.csv": ("empty_amount.csv", "'amount'", "row"),
        "sci_ids.csv": ("sci_ids.csv", "customer_id", "format the column as text"),
        "dup_header.csv": ("dup_header.csv", "'amount'"),
        "latin1.csv": ("latin1.csv", "--encoding"),
        "binary.csv": ("binary.csv",),
        "empty.csv": ("empty.csv", "empty"),
        "blank_lines.csv": ("blank_lines.csv", "empty"),
        "header_only.csv": ("header_only.csv", "no data rows"),
        "only_totals.csv": ("only_totals.csv", "no data rows", "totals"),
        "open_quote.csv": ("open_quote.csv", "quote", "line 6"),
        "extra_field.csv": ("extra_field.csv", "row 8", "column 4"),
        "table.xls": ("table.xls", ".xlsx"),
        "notes.txt": ("notes.txt", "unsupported"),
        "a_folder.csv": ("a_folder.csv", "folder"),
        "fifo.csv": ("fifo.csv", "not a regular file"),
        "nonexistent.csv": ("nonexistent.csv",),
        "notes_first.xlsx": ("notes_first.xlsx", "'说明'", "'数据'", "--sheet"),
        "formulas.xlsx": ("formulas.xlsx", "formulas", "C2"),
        "broken.xlsx": ("broken.xlsx", "Excel"),
    }
    for name, says in errors.items():
        cases.append(Case(f"analyze {name}", ["analyze", f"{{d}}/{name}", "--out", "{o}"],
                          says=says, not_says=("encoding=", "pass ")))
        cases.append(Case(f"calibrate {name}", ["calibrate", f"{{d}}/{name}", "--out",
                                                "{o}/s.toml", "--report", "{o}/r", *CAL],
                          says=says[:1], not_says=("encoding=", "pass ")))
    cases += [
        Case("analyze negative", ["analyze", "{d}/negative.csv", "--out", "{o}"],
             says=("negative.csv", "--negative exclude"), not_says=("negative='exclude'",)),
        Case("calibrate negative", ["calibrate", "{d}/negative.csv", "--out", "{o}/s.toml",
                                    "--report", "{o}/r", *CAL], says=("negative.csv", "amount")),
        Case("analyze no value column", ["analyze", "{d}/no_amount.csv", "--out", "{o}"],
             says=("no_amount.csv", "--value")),
        Case("analyze --value missing", ["analyze", "{d}/good.csv", "--value", "利润",
                                         "--out", "{o}"], says=("good.csv", "'利润'", "--value")),
        Case("analyze --id missing", ["analyze", "{d}/good.csv", "--id", "客户", "--out", "{o}"],
             says=("good.csv", "--id")),
        Case("analyze --sheet on csv", ["analyze", "{d}/good.csv", "--sheet", "1", "--out",
                                        "{o}"], says=("--sheet", "good.csv", "CSV")),
        Case("analyze --sheet missing", ["analyze", "{d}/good.xlsx", "--sheet", "7", "--out",
                                         "{o}"], says=("good.xlsx", "no worksheet 7", "--sheet")),
        Case("analyze --encoding unknown", ["analyze", "{d}/good.csv", "--encoding", "klingon",
                                            "--out", "{o}"], says=("--encoding", "klingon"),
             not_says=("encoding=",)),
        Case("analyze --encoding wrong", ["analyze", "{d}/crlf_gbk.csv", "--encoding", "utf-8",
                                          "--out", "{o}"], says=("crlf_gbk.csv", "'utf-8'", "row"),
             not_says=("encoding=",)),
        Case("analyze --header-row beyond", ["analyze", "{d}/good.csv", "--header-row", "900",
                                             "--out", "{o}"], says=("good.csv", "--header-row")),
        Case("analyze --header-row text", ["analyze", "{d}/good.csv", "--header-row", "x",
                                           "--out", "{o}"], says=("--header-row",)),
        Case("analyze --dayfirst --monthfirst", ["analyze", "{d}/good.csv", "--dayfirst",
                                                 "--monthfirst", "--out", "{o}"],
             says=("--monthfirst",)),
        Case("analyze out is a file", ["analyze", "{d}/good.csv", "--out", "{d}/notes.txt"],
             says=("notes.txt", "--out")),
        Case("analyze big5 default columns", ["analyze", "{d}/big5.csv", "--out", "{o}"],
             says=("big5.csv", "--id")),
    ]
    return cases


def _read_exactly(name: str):
    def call(inputs: Path, out: Path) -> None:
        from crmsim.io import read_table

        df, rep = read_table(inputs / name, rename="auto", report=True,
                             dayfirst=False if name == "monthfirst.csv" else None)
        _same_as_truth(df)
        if name == "totals_middle.csv":
            words = [r.reason.values["word"] for r in rep.rejected]
            assert words == ["小计", "合计", "East Total", "Total", "总计"]
        if name == "hidden_rows.xlsx":
            assert [r.reason.key for r in rep.rejected] == ["reading.reason.hidden"] * 2
        if name in ("dayfirst.csv", "dotted.csv"):
            assert any("day first" in n for n in rep.note_texts("en"))

    return call


def _scenario_cases() -> list[Case]:
    bad = {
        "syntax.toml": ("syntax.toml",),
        "date_as_number.toml": ("months", "'2025-01-01'"),
        "unknown_key.toml": ("unknown_key.toml", "monthz"),
        "negative_months.toml": ("months",),
        "float_months.toml": ("months", "whole number"),
        "text_months.toml": ("months",),
        "huge_book.toml": ("book.n_customers", "memory"),
        "bad_prob.toml": ("crm.adoption",),
        "bad_structure.toml": ("structure", "nonsense"),
        "missing_tables.toml": ("nowhere.csv",),
        "bad_book.toml": ("cust.csv", "annual_wallet", "K1"),
        "link_book.toml": ("symbolic link", "evil.csv"),
        "infinite.toml": ("crm.adoption", "finite"),
        "nan.toml": ("crm.adoption",),
        "array.toml": ("months",),
        "table_as_value.toml": ("book",),
        "dup_key.toml": ("dup_key.toml",),
        "gbk.toml": ("gbk.toml", "UTF-8"),
        "folder.toml": ("folder.toml", "folder"),
        "nonexistent.toml": ("nonexistent.toml",),
    }
    cases = []
    for name, says in bad.items():
        path = f"{{d}}/sc/{name}"
        cases += [
            Case(f"simulate {name}", ["simulate", path, "--out", "{o}", *SIM], says=says,
                 category="scenario", not_says=("root:",)),
            Case(f"compare {name}", ["compare", path, "--out", "{o}", *SIM], says=says,
                 category="scenario", not_says=("root:",)),
            Case(f"sweep {name}", ["sweep", path, "--vary", "crm.adoption=0,1", "--out", "{o}",
                                   *SIM], says=says, category="scenario", not_says=("root:",)),
        ]
    for name in ("tiny.toml", "bom.toml", "huge_seed.toml", "unquoted_date.toml"):
        cases.append(Case(f"simulate {name}", ["simulate", f"{{d}}/sc/{name}", "--out", "{o}",
                                                *SIM], expect="ok", category="scenario",
                          check=_report_says("crmsim simulation")))
    cases += [
        Case("compare formula-like option names", ["compare", "{d}/sc/=cmd.toml",
                                                   "{d}/sc/tiny.toml", "--out", "{o}", *SIM],
             expect="ok", category="scenario", check=_escaped_tables),
        Case("sweep tiny", ["sweep", "{d}/sc/tiny.toml", "--vary", "crm.adoption=0,1", "--out",
                            "{o}", *SIM], expect="ok", category="scenario",
             check=_report_says("crmsim")),
    ]
    return cases


def _escaped_tables(inputs: Path, out: Path, stdout: str) -> None:
    """No CSV the report wrote holds a cell a spreadsheet would run as a formula."""
    found = 0
    for table in (out / "tables").glob("*.csv"):
        for line in table.read_text(encoding="utf-8").splitlines():
            for cell in next(iter(pd.read_csv(io.StringIO(line), header=None,
                                              dtype=str).itertuples(index=False)), ()):
                if isinstance(cell, str) and cell.startswith(("=", "+", "@")):
                    raise AssertionError(f"{table.name}: unescaped {cell!r}")
                found += isinstance(cell, str) and cell.startswith("'=")
    assert found, "the option named by '=cmd.toml' should appear, escaped"


def _flag_cases() -> list[Case]:
    tiny = "{d}/sc/tiny.toml"
    compare = ["compare", tiny, "--out", "{o}", *SIM]
    rows = [
        (["--vary", "months=1,2", "--months", "1"], ("--months 1", "--vary months=1,2")),
        (["--set", "crm.adoption=0.5", "--vary", "crm.adoption=0,1"],
         ("--set crm.adoption=0.5", "--vary crm.adoption")),
        (["--vary", "crm.adoption=1,1.0"], ("--vary crm.adoption", "twice")),
        (["--vary", "structure=extended_roles,扩大工作范围"], ("same scenario",)),
        (["--set", "months=2", "--set", "months=3"], ("--set months=2", "--set months=3")),
        (["--vary", "crm.adoption=0,1", "--vary", "crm.adoption=0,0.5"], ("crm.adoption",)),
        (["--set", "nonsense.key=1"], ("nonsense.key",)),
        (["--set", "crm.adoption=abc"], ("crm.adoption",)),
        (["--set", "crm.adoption=2"], ("crm.adoption",)),
        (["--vary", "crm.adoption=0"], ("--vary", "two different values")),
        (["--set", "=5"], ("--set",)),
        (["--vary", "crm.adoption=0,,1"], ("--vary", "empty value")),
        (["--baseline", "nope", "--vary", "crm.adoption=0,1"], ("--baseline", "nope")),
        (["--lang", "xx"], ("--lang",)),
        (["--frobnicate"], ("--frobnicate",)),
        (["--set", "book.n_customers=1000000000"], ("book.n_customers", "memory")),
    ]
    cases = [Case(f"compare {' '.join(extra)}", compare + extra, says=says, category="flags")
             for extra, says in rows]
    for flag, value in [("--replications", "1"), ("--replications", "x"), ("--workers", "0"),
                        ("--months", "0"), ("--seed", "-1"), ("--seed", "1.5"),
                        ("--seed", "1e3")]:
        base = ["compare", tiny, "--out", "{o}"]
        if flag != "--workers":
            base += ["--workers", "1"]
        if flag != "--replications":
            base += ["--replications", "2"]
        cases.append(Case(f"compare {flag} {value}", [*base, flag, value], says=(flag,),
                          category="flags"))
        cases.append(Case(f"simulate {flag} {value}",
                          ["simulate", *base[1:], flag, value], says=(flag,), category="flags"))
    cases += [
        Case("sweep without --vary", ["sweep", tiny, "--out", "{o}", *SIM], says=("--vary",),
             category="flags"),
        Case("sweep --options and --vary one key", ["sweep", tiny, "--options",
                                                    "crm.adoption=0,1", "--vary",
                                                    "crm.adoption=0,0.5", "--out", "{o}", *SIM],
             says=("--options crm.adoption", "--vary crm.adoption"), category="flags"),
        Case("simulate --set months and --months", ["simulate", tiny, "--set", "months=3",
                                                    "--months", "2", "--out", "{o}", *SIM],
             says=("--months 2", "--set months=3"), category="flags"),
        Case("compare --seed of 30 digits", ["compare", tiny, "--vary", "crm.adoption=0,1",
                                             "--seed", "123456789012345678901234567890",
                                             "--out", "{o}", *SIM], expect="ok",
             check=_report_says("123456789012345678901234567890"), category="flags"),
        Case("compare out is a file", [*compare[:2], "--out", "{d}/good.csv", *SIM],
             says=("good.csv", "--out"), category="flags"),
        Case("demo --replications 1", ["demo", "--replications", "1", "--out", "{o}"],
             says=("--replications",), category="flags"),
        Case("demo --months 0", ["demo", "--months", "0", "--out", "{o}"], says=("--months",),
             category="flags"),
        Case("scenario new not toml", ["scenario", "new", "{o}/x.txt"], says=(".toml",),
             category="flags"),
        Case("scenario new existing file", ["scenario", "new", "{d}/notes.txt"],
             says=("notes.txt", "--force"), category="flags"),
        Case("scenario new a folder", ["scenario", "new", "{d}/sc"], says=("sc", "folder"),
             category="flags"),
        Case("scenario new", ["scenario", "new", "{o}/mine.toml"], expect="ok",
             check=lambda d, o, s: _reads_back(o / "mine.toml"), category="flags"),
        Case("exercises grade --workers 0", ["exercises", "grade", "{d}/sc", "--workers", "0"],
             says=("--workers",), category="flags"),
        Case("exercises student onto a file", ["exercises", "student", "{d}/notes.txt"],
             says=("notes.txt",), category="flags"),
        Case("no command", [], says=("required",), category="flags"),
        Case("unknown command", ["frobnicate"], says=("frobnicate",), category="flags"),
    ]
    return cases


def _reads_back(path: Path) -> None:
    from crmsim.sim.scenario import Scenario

    assert Scenario.from_toml(path).months >= 1


def _api_cases() -> list[Case]:
    from crmsim import _validation as v
    from crmsim.io import read_table
    from crmsim.io.writing import write_csv
    from crmsim.methods.abc import abc_classify
    from crmsim.sim.experiments import compare, simulate, sweep
    from crmsim.sim.scenario import Scenario

    def raises(fn, *says):
        return Case(f"api refuses: {' / '.join(says)}", call=lambda d, o: fn(d), says=says,
                    category="api")

    cases = [
        raises(lambda d: read_table(d / "good.csv", sheet_name=1.5), "sheet_name"),
        raises(lambda d: read_table(d / "good.csv", header_row=0), "header_row"),
        raises(lambda d: read_table(d / "good.csv", dayfirst="yes"), "dayfirst"),
        raises(lambda d: read_table(d / "good.csv", rename="x"), "rename"),
        raises(lambda d: read_table(d / "good.csv", schema={"amount": "bogus"}), "bogus"),
        raises(lambda d: read_table(d / "good.csv", columns="amount"), "columns"),
        raises(lambda d: read_table(d / "good.csv", columns=["x"]), "good.csv", "'x'"),
        raises(lambda d: read_table(d / "ambiguous.csv", schema={"date": "date"}),
               "ambiguous.csv", "dayfirst"),
        raises(lambda d: read_table(d / "sci_ids.csv", schema={"customer_id": "id"}),
               "sci_ids.csv", "scientific"),
        raises(lambda d: read_table(d / "good.csv", schema={"customer_id": "id"}),
               "good.csv", "unique", "file row"),
        raises(lambda d: read_table(d / "fifo.csv"), "fifo.csv"),
        raises(lambda d: read_table(d / "missing.csv"), "missing.csv"),
        raises(lambda d: abc_classify(pd.DataFrame({"customer_id": ["a", "b"],
                                                    "amount": [-1.0, 2.0]})), "negative"),
        raises(lambda d: abc_classify(pd.DataFrame({"customer_id": ["a"], "amount": ["x"]})),
               "'amount'"),
        raises(lambda d: Scenario(months=0), "months"),
        raises(lambda d: Scenario().with_("crm.adoption", 3), "crm.adoption"),
        raises(lambda d: simulate(Scenario.synthetic(10, 2).with_("book.n_customers", 10**9)),
               "book.n_customers"),
        raises(lambda d: compare({}), "scenarios"),
        raises(lambda d: sweep(Scenario.synthetic(10, 2), {}), "grid"),
        raises(lambda d: simulate(Scenario.synthetic(10, 2), seed=-1), "seed"),
        raises(lambda d: v.date_column(pd.DataFrame({"d": ["03/02/2022", "04/05/2022"]}), "d",
                                       source="x.csv"), "x.csv", "'d'", "dayfirst"),
        raises(lambda d: v.check_number("book.seed", 1e20, integer=True), "book.seed", "digits"),
    ]

    def ambiguous_given(d: Path, o: Path) -> None:
        df = read_table(d / "ambiguous.csv", schema={"date": "date"}, dayfirst=True)
        early = TRUTH[TRUTH["date"].dt.day <= 12].reset_index(drop=True)
        _same_as_truth(df, early)

    def huge_seed(d: Path, o: Path) -> None:
        assert Scenario.from_toml(d / "sc" / "huge_seed.toml").book.seed == \
            123456789012345678901234567890

    def escaped(d: Path, o: Path) -> None:
        o.mkdir(parents=True, exist_ok=True)
        table = pd.DataFrame({"id": ["=1+2", "@A1", "+x", "-y", "\tz", "\rw", "C1"],
                              "value": [-1.5, 2, -3, 4, 5, 6, 7], "text": ["-5"] * 7})
        write_csv(table, o / "t.csv")
        back = pd.read_csv(o / "t.csv", dtype={"id": str, "text": str})
        assert back["id"].tolist() == ["'=1+2", "'@A1", "'+x", "'-y", "'\tz", "'\rw", "C1"]
        assert back["value"].tolist() == [-1.5, 2, -3, 4, 5, 6, 7]
        assert back["text"].tolist() == ["-5"] * 7  # a number written as text stays a number

    def day_first_calibration(d: Path, o: Path) -> None:
        from crmsim.app.calibrate import calibrate_file

        result = calibrate_file(d / "dayfirst.csv", out=o / "s.toml", report=o / "r",
                                replications=2, months=2, workers=1)
        assert result.calibration.meta["rows"] == len(TRUTH)  # no row lost to a date
        assert result.calibration.meta["customers"] == 12

    def formula_book(d: Path, o: Path) -> None:
        from crmsim.app.calibrate import calibrate_file

        t = TRUTH.copy()
        t["customer_id"] = t["customer_id"].replace({"C01": "=HYPERLINK(1)", "C02": "@SUM(1)",
                                                     "C03": "+cmd"})
        src = o / "in.csv"
        o.mkdir(parents=True, exist_ok=True)
        t.to_csv(src, index=False, date_format="%Y-%m-%d")
        calibrate_file(src, out=o / "s.toml", report=o / "r", replications=2, months=2,
                       workers=1)
        text = (o / "s_customers.csv").read_text(encoding="utf-8")
        cells = [c for line in text.splitlines() for c in line.split(",")]
        assert not [c for c in cells if c.startswith(("=", "+", "@"))], cells
        assert any(c.startswith("'=") for c in cells) or "=HYPERLINK" not in text

    cases += [Case("read_table ambiguous dayfirst", call=ambiguous_given, expect="ok",
                   category="api"),
              Case("Scenario huge seed", call=huge_seed, expect="ok", category="api"),
              Case("write_csv escapes formulas", call=escaped, expect="ok", category="api"),
              Case("calibrate day-first dates", call=day_first_calibration, expect="ok",
                   category="api"),
              Case("calibrate formula ids", call=formula_book, expect="ok", category="api")]
    return cases


CASES = _file_cases() + _scenario_cases() + _flag_cases() + _api_cases()


def test_the_corpus_is_large_and_covers_every_category():
    assert len(CASES) >= 200, len(CASES)
    assert {c.category for c in CASES} == {"files", "scenario", "flags", "api"}
    commands = {c.argv[0] for c in CASES if c.argv}
    assert {"analyze", "calibrate", "simulate", "compare", "sweep", "scenario", "exercises",
            "demo"} <= commands
    assert len({c.name for c in CASES}) == len(CASES), "case names repeat"


# ------------------------------------------------------------------ running them
@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "in"
    write_inputs(folder)
    return folder


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in input_files(folder)}


_PROGRESS = re.compile(r"^(crmsim [a-z ]+: (?!error:).*|.*: \d+/\d+ runs \(\d+%\))$")


def _run(case: Case, inputs: Path, out: Path) -> None:
    if case.argv is not None:
        argv = [a.format(d=inputs, o=out) for a in case.argv]
        stdout, stderr = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            code = main(argv)
        text, err = stdout.getvalue(), stderr.getvalue()
        assert "Traceback" not in text + err and "internal error" not in err, err
        if case.expect == "ok":
            assert code == 0, err
            if case.check is not None:
                case.check(inputs, out, text)
            return
        assert code == case.exit_code, (code, err)
        errors = [line for line in err.splitlines() if not _PROGRESS.match(line)]
        assert len(errors) == 1, f"expected one error line, got:\n{err}"
        line = errors[0]
    else:
        if case.expect == "ok":
            case.call(inputs, out)
            return
        with pytest.raises((CrmsimError, FileNotFoundError)) as info:
            case.call(inputs, out)
        line = str(info.value)
        assert "\n" not in line
    for fragment in case.says:
        assert fragment in line, f"{fragment!r} not in: {line}"
    for fragment in case.not_says:
        assert fragment not in line, f"{fragment!r} in: {line}"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case, inputs, tmp_path):
    before = _digest(inputs)
    _run(case, inputs, tmp_path / "out")
    assert _digest(inputs) == before, "an input file was modified"


def test_users_own_files_in_the_output_folder_are_never_replaced(inputs, tmp_path):
    """compare and simulate refuse a folder holding the user's tables/kpis.csv (the issue's
    data loss); with --force they replace only the files they write."""
    out = tmp_path / "d"
    (out / "tables").mkdir(parents=True)
    mine = out / "tables" / "kpis.csv"
    mine.write_text("my own numbers\n", encoding="utf-8")
    own = out / "notes.md"
    own.write_text("keep me", encoding="utf-8")
    for command in (["compare", str(inputs / "sc" / "tiny.toml")],
                    ["simulate", str(inputs / "sc" / "tiny.toml")]):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main([*command, "--out", str(out), *SIM])
        assert code == 2 and "tables/kpis.csv" in stderr.getvalue()
        assert mine.read_text(encoding="utf-8") == "my own numbers\n"
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        assert main(["compare", str(inputs / "sc" / "tiny.toml"), "--out", str(out), "--force",
                     *SIM]) == 0
    assert own.read_text(encoding="utf-8") == "keep me"


# ------------------------------------------------------------------ generated messy tables
_WORDS = st.sampled_from(["华信", "金鼎", "Bright", "O'Neil", "a,b", 'say "hi"', "合计x", "-x",
                          "=1+1", "@a", "  pad  ", "NA", ""])


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(st.tuples(st.integers(0, 10**6), _WORDS,
                            st.decimals(min_value=-10**6, max_value=10**6, places=2,
                                        allow_nan=False, allow_infinity=False),
                            st.dates(min_value=pd.Timestamp("2000-01-01").date(),
                                     max_value=pd.Timestamp("2030-12-31").date())),
                  min_size=1, max_size=30),
    sep=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]),
    form=st.sampled_from(["iso", "day", "month", "cn"]),
    junk=st.lists(st.sampled_from(["blank", "total", "subtotal", "header"]), max_size=4),
    chunk=st.sampled_from([1, 3, 500_000]),
)
def test_messy_tables_read_exactly_or_refuse_in_one_line(tmp_path_factory, monkeypatch, rows,
                                                         sep, encoding, form, junk, chunk):
    """Any such table reads back exactly (ids, names, amounts, dates), whatever the chunk size
    of the streaming reader, or is refused with one line naming the file; never anything else."""
    import csv

    from crmsim.io import read_table, sources

    monkeypatch.setattr(sources, "CHUNK_ROWS", chunk)
    monkeypatch.setattr(sources, "HEAD_BYTES", 64 if chunk == 3 else sources.HEAD_BYTES)
    fmt = {"iso": "%Y-%m-%d", "day": "%d/%m/%Y", "month": "%m/%d/%Y", "cn": "%Y年%m月%d日"}[form]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator="\r\n")
    writer.writerow(["customer_id", "name", "amount", "date"])
    body = [[f"K{cid:07d}", name, f"{amount:.2f}", day.strftime(fmt)]
            for cid, name, amount, day in rows]
    for k, kind in enumerate(junk):
        at = (k * 7) % (len(body) + 1)
        body.insert(at, {"blank": ["", "", "", ""], "total": ["合计", "", "1", ""],
                         "subtotal": ["", "East Total", "2", ""],
                         "header": ["customer_id", "name", "amount", "date"]}[kind])
    writer.writerows(body)
    path = tmp_path_factory.mktemp("messy") / "t.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    dayfirst = {"day": True, "month": False}.get(form)
    try:
        df = read_table(path, dayfirst=dayfirst)
    except CrmsimError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("t.csv")
        return
    assert len(df) == len(rows)
    assert df["customer_id"].tolist() == [f"K{cid:07d}" for cid, _, _, _ in rows]
    assert df["amount"].tolist() == pytest.approx([float(a) for _, _, a, _ in rows])
    assert df["date"].dt.date.tolist() == [d for _, _, _, d in rows]
