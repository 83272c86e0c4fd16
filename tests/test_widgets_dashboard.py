"""Tests of the manager's dashboard :mod:`crmsim.widgets.dashboard` (headless: real widgets, real
simulations on a small company, controls set and the Run button clicked as a person would)."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import io
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from messy_exports import CHINESE_CUSTOMERS

from crmsim.errors import DataError, ParameterError
from crmsim.sim.experiments import compare
from crmsim.terms import STRUCTURES, label, language
from crmsim.widgets import Dashboard, dashboard
from crmsim.widgets.dashboard import CLASSROOM_CUSTOMERS, dashboard_options, read_customer_file
from crmsim.widgets.dashboard.results import _report_files, _sections

ROOT = Path(__file__).resolve().parents[1]
TWO = ("extended_roles", "dedicated_department")


def small(**kw) -> Dashboard:
    settings = {"replications": 2, "months": 3, "structures": TWO, "seed": 11}
    return dashboard(**{**settings, **kw})


def click(button) -> None:
    with contextlib.redirect_stdout(io.StringIO()):  # Output widgets print outside a kernel
        button.click()


def quiet(fn, *args):
    with contextlib.redirect_stdout(io.StringIO()):
        return fn(*args)


def upload(app: Dashboard, name: str, content: bytes) -> None:
    """What the browser sends when a file is chosen in the FileUpload widget."""
    when = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    item = {"name": name, "type": "text/csv", "size": len(content),
            "content": memoryview(content), "last_modified": when}  # fmt: skip
    app.upload.value = (item,)


def customers_csv(n: int = 60, encoding: str = "utf-8") -> bytes:
    """The first *n* customers of the bundled company, as a user's export would hold them."""
    table = pd.read_csv(ROOT / "datasets" / "customers.csv").head(n)
    return table.to_csv(index=False).encode(encoding)


GBK_FILE = CHINESE_CUSTOMERS.encode("gbk")


def report_text(app: Dashboard) -> str:
    return html.unescape(app.report.decode("utf-8"))


# --------------------------------------------------------------------------- the options


def test_options_share_everything_but_the_structure():
    options = dashboard_options(TWO, "by_industry", "deferred", 0.7, 8, 6)
    assert list(options) == list(TWO)
    for name, s in options.items():
        assert s.structure.name == name and s.name == name
        assert (s.allocation.rule, s.incentives.scheme, s.crm.adoption) == (
            "by_industry",
            "deferred",
            0.7,
        )
        assert (s.book.n_customers, s.book.n_managers, s.months) == (CLASSROOM_CUSTOMERS, 8, 6)
    a, b = options.values()
    assert a.book == b.book and a.channels == b.channels  # the same company in every option


def test_options_bad_input_names_the_parameter():
    with pytest.raises(ParameterError, match="at least one structure"):
        dashboard_options(())
    with pytest.raises(ParameterError, match="structures"):
        dashboard_options(["matrix"])
    with pytest.raises(ParameterError, match="team_size"):
        dashboard_options(TWO, team_size=0)
    with pytest.raises(ParameterError, match="crm.adoption"):
        dashboard_options(TWO, crm_adoption=1.5)


def test_uploaded_customers_are_dealt_to_the_team():
    f = read_customer_file("mine.csv", customers_csv(90))
    options = dashboard_options(TWO, team_size=4, customers=f.customers)
    s = options[TWO[0]]
    assert s.book.source == "tables"
    tables = s.book.resolve()
    assert len(tables.customers) == 90 and len(tables.managers) == 4
    assert set(tables.customers["manager_id"]) == set(tables.managers["manager_id"])
    # lead rates scaled to the book as for a synthetic company of 90 customers
    assert s.channel("telemarketing").leads_per_month is None
    assert s.channel("telemarketing").rate(len(tables.customers)) == pytest.approx(60 * 90 / 600)
    # the largest customers sit with the senior managers
    tier = tables.managers.set_index("manager_id")["tier"]
    wallets = tables.customers.assign(tier=tables.customers["manager_id"].map(tier))
    by_tier = wallets.groupby("tier")["annual_wallet"]
    assert by_tier.min()["senior"] >= by_tier.max()["junior"]


# --------------------------------------------------------------------------- running


def test_nothing_runs_before_run_is_pressed():
    app = small()
    assert app.result is None and app.report is None and app.download.value == ""
    assert label("dashboard.status_ready", "en") in app.status.value
    app.controls["crm_adoption"].value = 0.9  # no simulation on a change
    assert app.result is None


def test_run_shows_what_compare_gives_on_common_random_numbers():
    app = small()
    seen = []
    app.progress.observe(lambda c: seen.append(c["new"]), names="value")
    click(app.run_button)
    assert app.error is None, app.message.value
    result = app.result
    reference = compare(dashboard_options(TWO, months=3), replications=2, seed=11, workers=1)
    pd.testing.assert_frame_equal(result.comparison.runs, reference.runs)
    # the progress bar went up run by run, then with the tables and the chart, to 100%
    assert (app.progress.value, app.progress.max) == (6, 6)
    assert seen in ([1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 5, 6])
    # the time shown is the wait from the click to the result, not the simulations alone
    assert "Done: 4 simulations, result in" in app.status.value
    shown = float(re.search(r"result in ([0-9.]+) s", app.status.value).group(1))
    assert shown == pytest.approx(result.wait, abs=0.051) and result.wait >= result.seconds
    # what the app shows: KPI table with intervals, differences, the recommendation
    with language("en"):
        rec, kpis, diffs = _sections(result)
    headline = result.outcome.recommendation("en").headline
    assert html.escape(headline) in rec
    assert "Net contribution (M CNY)" in kpis and " ± " in kpis
    assert "Paired differences against Extended roles" in diffs
    # the report holds the recommendation, and the download link carries exactly that report
    assert headline in report_text(app)
    links = app.download.value
    assert "download='crmsim-report.html'" in links and "download='crmsim-report.zip'" in links
    page, archive = (base64.b64decode(d) for d in re.findall(r"base64,([A-Za-z0-9+/=]+)'", links))
    assert page == app.report and archive == app.report_zip
    # the ZIP holds the page and every CSV the page links to, where the links expect them
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        names = set(z.namelist())
        assert z.read("crmsim-report/index.html") == app.report
    linked = set(re.findall(r'href="(tables/[^"]+\.csv)"', app.report.decode("utf-8")))
    assert linked and {f"crmsim-report/{t}" for t in linked} <= names


def test_same_seed_same_result_other_seed_other_luck():
    a, b, c = small(), small(), small(seed=12)
    for app in (a, b, c):
        click(app.run_button)
    pd.testing.assert_frame_equal(a.result.comparison.runs, b.result.comparison.runs)
    assert a.report == b.report and a.report_zip == b.report_zip
    assert not a.result.comparison.runs.equals(c.result.comparison.runs)


def test_changed_controls_mark_the_result_stale_and_change_it_when_run():
    app = small(crm_adoption=0.0)
    click(app.run_button)
    before = app.result
    assert before.comparison.monthly["crm_cost"].sum() == 0.0  # no CRM, no CRM cost
    app.controls["crm_adoption"].value = 1.0
    app.controls["team_size"].value = 14
    app.controls["incentives"].value = "deferred"
    assert label("dashboard.status_stale", "en") in app.status.value
    assert app.result is before  # not re-simulated until Run
    click(app.run_button)
    after = app.result
    assert after is not before
    assert after.settings["crm_adoption"] == 1.0 and after.settings["team_size"] == 14
    assert after.comparison.monthly["crm_cost"].sum() > 0.0
    # four more managers cost more pay every month
    pay = lambda r: r.comparison.monthly["manager_cost"].sum()  # noqa: E731
    assert pay(after) > pay(before)
    assert after.outcome.options[TWO[0]].incentives.scheme == "deferred"
    with language("en"):
        assert _sections(after)[1] != _sections(before)[1]  # the KPI table shown changed
    assert "Done" in app.status.value


def test_choosing_structures_changes_the_options_compared():
    app = small()
    app.controls["structures"].value = tuple(STRUCTURES)
    click(app.run_button)
    assert list(app.result.outcome.options) == list(STRUCTURES)
    assert app.result.comparison.baseline == STRUCTURES[0]
    assert app.result.runs == 8


def test_no_structure_is_a_message_not_a_traceback():
    app = small()
    click(app.run_button)
    kept = app.result
    app.controls["structures"].value = ()
    click(app.run_button)
    assert isinstance(app.error, ParameterError)
    assert label("dashboard.need_structure", "en") in app.message.value
    assert label("dashboard.status_failed", "en") in app.status.value
    assert app.result is kept and not app.run_button.disabled


# --------------------------------------------------------------------------- the customer file


def test_upload_utf8_csv_reads_it_and_simulates_it():
    app = small()
    upload(app, "our_customers.csv", customers_csv(60))
    f = app.customer_file
    assert f is not None and f.name == "our_customers.csv" and len(f.customers) == 60
    assert f.report.encoding in ("utf-8", "utf-8-sig")
    # the team size follows the managers the file names
    named = pd.read_csv(io.BytesIO(customers_csv(60)))["manager_id"].nunique()
    assert f.managers_named == named and app.controls["team_size"].value == named
    assert "our_customers.csv, 60 customers" in app.file_info.value
    assert "How the file was read" in app.file_info.value
    click(app.run_button)
    assert app.error is None, app.message.value
    assert app.result.company == ("our_customers.csv", 60)
    option = next(iter(app.result.outcome.options.values()))
    assert len(option.book.resolve().customers) == 60
    # back to the classroom company
    app.use_classroom_company()
    assert app.customer_file is None and app.upload.value == ()
    click(app.run_button)
    assert app.result.company == (None, CLASSROOM_CUSTOMERS)


def test_upload_gbk_with_chinese_headers_and_values():
    app = small()
    upload(app, "客户名单.csv", GBK_FILE)
    f = app.customer_file
    assert f is not None, app.file_info.value
    assert f.report.encoding == "gb18030"
    assert f.report.mapping["客户编号"] == "customer_id"
    assert f.report.mapping["年度采购潜力"] == "annual_wallet"
    assert f.customers["customer_type"].tolist()[:2] == ["school_government", "retail_store"]
    assert f.customers["industry_group"].tolist()[3] == "industrial"
    assert "manager_id" not in f.customers and f.managers_named == 3
    assert app.controls["team_size"].value == 3
    click(app.run_button)
    assert app.error is None, app.message.value
    assert app.result.company == ("客户名单.csv", 6)


def test_unknown_category_values_leave_the_column_out_with_a_note():
    content = "customer_id,annual_wallet,industry_group\nA,1000,commercial\nB,2000,farming\n"
    f = read_customer_file("x.csv", content.encode())
    assert "industry_group" not in f.customers
    assert [n.key for n in f.notes] == ["dashboard.column_dropped"]
    assert "'farming'" in f.notes[0].text("en")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("no_wallet.csv", b"customer_id,region\nA,north\nB,south\n",
         r"no_wallet\.csv: a customer file needs the columns annual_wallet"),
        ("notes.txt", b"hello", r"notes\.txt: unsupported file type '\.txt'"),
        ("words.csv", b"customer_id,annual_wallet\nA,1000\nB,lots\n",
         r"words\.csv.*'annual_wallet' must be numeric.*'lots'"),
        ("twice.csv", b"customer_id,annual_wallet\nA,1000\nA,2000\n",
         r"twice\.csv.*customer_id"),
        ("empty.csv", b"", r"empty\.csv: the file is empty"),
    ],
)  # fmt: skip
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(name, content, expected):
    with pytest.raises(DataError, match=expected):
        read_customer_file(name, content)
    app = small()
    upload(app, name, content)
    assert app.customer_file is None
    assert "crmsim-error" in app.file_info.value
    assert re.search(expected, app.file_info.value.replace("&#x27;", "'"))
    assert "classroom company" in app.file_info.value  # still simulating the classroom company


def test_a_bad_file_keeps_the_good_one_before_it():
    app = small()
    upload(app, "good.csv", customers_csv(40))
    upload(app, "bad.csv", b"customer_id\nA\n")
    assert app.customer_file.name == "good.csv"
    assert "bad.csv" in app.file_info.value and "good.csv, 40 customers" in app.file_info.value


# --------------------------------------------------------------------------- language


def test_chinese_labels_and_chinese_result_without_simulating_again():
    app = small(lang="zh")
    assert app.run_button.description == "运行比较"
    assert app.controls["team_size"].description == "客户经理人数"
    assert ("扩大工作范围", "extended_roles") in app.controls["structures"].options
    assert ("按满意度延期支付", "deferred") in app.controls["incentives"].options
    assert "课堂示例公司" in app.file_info.value
    click(app.run_button)
    assert app.result.outcome.recommendation("zh").headline in report_text(app)
    with language("zh"):
        rec, kpis, _ = _sections(app.result)
    assert "建议" in rec and "净贡献" in kpis
    assert "完成" in app.status.value
    result = app.result
    quiet(app.set_language, "en")
    assert app.run_button.description == "Run the comparison"
    assert app.result is result  # the same runs, drawn again
    assert app.controls["structures"].value == TWO  # relabelling kept the choices
    assert result.outcome.recommendation("en").headline in report_text(app)
    assert "Done" in app.status.value
    assert app.language.value == "en"


def test_the_report_is_the_managers_report_in_one_self_contained_file():
    app = small()
    upload(app, "our_customers.csv", customers_csv(60))
    click(app.run_button)
    for lang, words in (("en", ("Recommended", "Paired")), ("zh", ("建议", "配对", "百万元"))):
        page, _ = _report_files(app.result, lang)
        text = html.unescape(page.decode("utf-8"))
        assert text.startswith("<!DOCTYPE html>")
        assert all(w in text for w in words), lang
        assert app.result.outcome.recommendation(lang).headline in text
        assert "<svg" in text or "data:image/" in text  # the charts are inside the page
        # nothing to fetch; the only relative links are the CSV tables, which the ZIP carries
        assert not re.search(r"(src|href)=['\"](?!data:|#|tables/)", text)


# ------------------------------------------------------------------ issue 19: value and robustness


def test_the_dashboard_ranks_on_value_and_can_say_how_robust_the_answer_is():
    app = small(uncertainty=2)
    click(app.run_button)
    rec, kpis, _ = _sections(app.result)
    assert "How robust: across 2 plausible sets" in html.unescape(rec)
    assert "Ranked on customer value created" in html.unescape(rec)
    assert label("kpi.value_created", "en") in kpis
    assert app.result.outcome.robustness.n == 2


def test_the_guards_findings_come_first_in_the_dashboard():
    app = small(team_size=40)  # far more managers than 300 customers need
    click(app.run_button)
    rec, _, _ = _sections(app.result)
    assert rec.index("crmsim-warning") < rec.index("<h2>")
    assert "Out of range" in rec


# --------------------------------------------------------------------------- issue 22


@pytest.mark.parametrize("typed, shown", [("60", 0.6), ("60%", 0.6), ("0.6", 0.6),
                                          (" 35 % ", 0.35), ("1", 1.0), ("0", 0.0)])  # fmt: skip
def test_a_typed_share_is_read_as_a_person_means_it(typed, shown):
    app = small()
    field = app.fields["crm_adoption"]
    field.text.value = typed  # what typing and pressing Enter sends
    assert app.controls["crm_adoption"].value == pytest.approx(shown)
    assert field.error.value == "" and field.text.value == f"{shown:.0%}"


@pytest.mark.parametrize("typed", ["abc", "150%", "-5", "101", ""])
def test_a_typed_value_that_cannot_be_used_is_refused_with_a_message(typed):
    app = small(crm_adoption=0.3)
    field = app.fields["crm_adoption"]
    field.text.value = typed
    assert app.controls["crm_adoption"].value == pytest.approx(0.3)  # unchanged, not clamped
    assert "CRM adoption" in field.error.value and "60%" in field.error.value
    assert field.text.value == "30%"
    team = app.fields["team_size"]
    team.text.value = "2.5"
    assert app.controls["team_size"].value == 10 and "whole number" in team.error.value
    team.text.value = "25"
    assert app.controls["team_size"].value == 25 and team.error.value == ""


def test_changing_an_input_greys_the_result_and_withdraws_its_downloads_at_once():
    app = small()
    click(app.run_button)
    assert app.report is not None and "crmsim-download" in app.download.value
    assert "crmsim-stale" not in app.output._dom_classes
    app.fields["crm_adoption"].text.value = "80"
    assert "crmsim-stale" in app.output._dom_classes
    assert app.download.value == "" and app.report is None  # no link to the old report
    assert label("dashboard.status_stale", "en") in app.status.value
    click(app.run_button)
    assert "crmsim-stale" not in app.output._dom_classes and app.report is not None
    upload(app, "k.csv", GBK_FILE)  # an upload is a change of input too
    assert "crmsim-stale" in app.output._dom_classes and app.download.value == ""


def test_the_files_own_managers_and_name_are_carried_into_the_run_and_the_report():
    app = small()
    upload(app, "客户名单.csv", GBK_FILE)
    f = app.customer_file
    assert f.managers_named == 3 and f.assignments.tolist() == ["王明", "王明", "李华", "李华",
                                                                "赵强", "赵强"]  # fmt: skip
    assert app.controls["team_size"].value == 3 and app.controls["team_size"].disabled
    assert "its 3 account managers is kept" in app.file_info.value
    click(app.run_button)
    assert app.error is None, app.message.value
    option = app.result.outcome.options["dedicated_department"]
    book = option.book.resolve()
    owners = book.customers.set_index("customer_id")["manager_id"]
    assert owners.to_dict() == {"K001": "王明", "K002": "王明", "K003": "李华", "K004": "李华",
                                "K005": "赵强", "K006": "赵强"}  # fmt: skip
    assert sorted(book.managers["manager_id"]) == ["李华", "王明", "赵强"]
    page = report_text(app)
    assert "客户名单.csv (6 customers, its own 3 account managers)" in page
    assert "tables given in Python" not in page
    app.use_classroom_company()
    assert not app.controls["team_size"].disabled


def test_a_scenario_file_and_the_company_profile_describe_the_managers_company(tmp_path):
    app = small()
    toml = (ROOT / "scenarios" / "fit_key_accounts.toml").read_bytes()
    scenario = app.load_scenario("fit_key_accounts.toml", toml)
    assert scenario is not None and "fit_key_accounts.toml" in app.scenario_info.value
    c = app.controls
    assert c["business_lines"].value == scenario.company.business_lines > 1
    assert c["need_complexity"].value == pytest.approx(scenario.company.need_complexity)
    assert c["months"].value == scenario.months == 36
    assert c["team_size"].value == scenario.book.n_managers
    app.fields["months"].text.value = "3"
    c["confidential_share"].value = 0.25
    app.fields["business_lines"].text.value = "4"
    click(app.run_button)
    assert app.error is None, app.message.value
    option = app.result.outcome.options["extended_roles"]
    assert option.company.business_lines == 4 and option.company.confidential_share == 0.25
    assert option.months == 3 and option.lifecycle == scenario.lifecycle  # the file's own
    bad = app.load_scenario("broken.toml", b"months = 'many'\n")
    assert bad is None and "broken.toml cannot be used" in app.scenario_info.value
    app.forget_scenario()
    assert app.scenario is None


def test_the_chinese_dashboard_speaks_chinese():
    app = small(lang="zh")
    click(app.run_button)
    with language("zh"):
        shown = "".join(_sections(app.result))
    shown += app.status.value + app.file_info.value + app.scenario_info.value
    shown += "".join(c.description for c in app.controls.values())
    text = html.unescape(re.sub(r"<[^>]+>|class='[^']*'|style='[^']*'", " ", shown))
    # the column names a customer file may use are names, as in the file
    latin = set(re.findall(r"[A-Za-z][A-Za-z_]+", text)) - {"CRM", "CSV", "Excel", "customer_id",
                                                             "annual_wallet"}
    assert latin == set(), latin
