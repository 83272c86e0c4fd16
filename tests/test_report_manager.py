"""The manager's report (crmsim.report.manager): first screen, tables for people, CSVs,
Chinese, self-contained, and never overwriting an earlier report without force."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from crmsim.errors import DataError, ParameterError
from crmsim.report.manager import (
    build_report,
    changed_parameters,
    concentration_table,
    write_report,
)
from crmsim.sim import Scenario
from crmsim.sim.kpis import KPI_NAMES, display_label
from crmsim.sim.whatif import build_options, run_whatif

TINY = Scenario.synthetic(60, 3, months=4)


@pytest.fixture(scope="module")
def whatif():
    options = build_options(vary={"structure": ["增设独立岗位", "extended_roles"]},
                            sets={"turnover.star_leaves_month": 2}, base=TINY)  # fmt: skip
    return run_whatif(options, replications=3, seed=2, workers=1)


@pytest.fixture(scope="module")
def written(whatif, tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    en = write_report(whatif, root / "en", lang="en", question="Post or extended roles?")
    zh = write_report(whatif, root / "zh", lang="zh")
    return en, zh


class _Text(HTMLParser):
    """Visible text of a page, and the attributes that load something."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.sources: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self.skip += 1
        for name, value in attrs:
            if name in ("src", "srcset", "data") or (tag == "link" and name == "href"):
                self.sources.append(value or "")

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _parse(path) -> _Text:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_the_first_screen_holds_question_options_and_recommendation(whatif, written):
    en, _ = written
    html = en.read_text(encoding="utf-8")
    first = html[: html.index("<h2>")]  # everything before the first section heading
    rec = whatif.recommendation("en")
    assert "Post or extended roles?" in first
    assert rec.headline in first
    for point in rec.points:
        assert point in first
    for name in ("Dedicated post (增设独立岗位)", "Extended roles (扩大工作范围)"):
        assert name in first  # the Chinese term beside the English one at first mention
    # what the star's departure costs is said on the first screen, for each option
    assert first.count("What it costs:") == 2 and "star stays" in first
    assert "Uncertainty:" in first


def test_no_raw_floats_and_headers_from_the_kpi_registry(written):
    text = " ".join(_parse(written[0]).parts)
    text = text[: text.index("The data behind the tables and charts")]  # not the file names
    assert not re.search(r"\d{5,}\.\d", text), "a raw float such as 12881871.0 is shown"
    assert "net_contribution" not in text and "active_customers_end" not in text
    for kpi in KPI_NAMES:
        assert display_label(kpi, "en") in text, kpi


def test_every_chart_and_table_has_its_csv(written):
    en, _ = written
    tables = en.parent / "tables"
    html = en.read_text(encoding="utf-8")
    links = re.findall(r'href="(tables/[^"]+\.csv)"', html)
    assert links and all((en.parent / link).is_file() for link in links)
    for name in ("kpis", "differences", "runs", "at_a_glance", "event_costs",
                 "cumulative_net_contribution", "monthly_revenue", "concentration",
                 "parameters_changed", "event_cost_over_time"):  # fmt: skip
        assert (tables / f"{name}.csv").is_file(), name
    figures = re.findall(r"<figure>.*?</figure>", html, flags=re.S)
    assert len(figures) >= 7
    for figure in figures:
        assert 'class="csv" href="tables/' in figure
    kpis = pd.read_csv(tables / "kpis.csv")
    assert set(kpis["kpi"]) == set(KPI_NAMES)


def test_the_page_is_self_contained(written):
    for path in written:
        page = _parse(path)
        assert page.sources, "no image at all"
        assert all(s.startswith("data:image/svg+xml;base64,") for s in page.sources)
        html = path.read_text(encoding="utf-8")
        assert "<script" not in html and "http://" not in html and "https://" not in html
        svg = base64.b64decode(page.sources[0].split(",", 1)[1]).decode("utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert not list(path.parent.glob("*.png"))


def test_the_chinese_report_speaks_chinese(written):
    _, zh = written
    html = zh.read_text(encoding="utf-8")
    text = " ".join(_parse(zh).parts)
    for word in ("增设独立岗位", "扩大工作范围", "净贡献", "置信区间", "业务尖子留任", "假设",
                 "模型没有考虑的因素", "问题："):  # fmt: skip
        assert word in text, word
    assert 'lang="zh-CN"' in html
    # the project's CJK font travels with the page, cut down to the characters used
    face = re.search(r"@font-face \{[^}]*base64,([A-Za-z0-9+/=]+)", html)
    assert face and 10_000 < len(face.group(1)) < 2_000_000


def test_an_earlier_report_is_not_overwritten_without_force(whatif, written, tmp_path):
    en, _ = written
    before = en.read_bytes()
    with pytest.raises(DataError, match="already holds a report.*--force"):
        write_report(whatif, en.parent)
    assert en.read_bytes() == before
    afile = tmp_path / "report.html"
    afile.write_text("mine", encoding="utf-8")
    with pytest.raises(DataError, match="is an existing file"):
        write_report(whatif, afile)
    assert afile.read_text(encoding="utf-8") == "mine"
    path = write_report(whatif, en.parent, force=True, question="Post or extended roles?")
    assert path == en
    with pytest.raises(ParameterError, match="one language"):
        write_report(whatif, tmp_path / "both", lang="both")


def test_the_same_seed_gives_the_same_page(whatif, written, tmp_path):
    again = write_report(whatif, tmp_path / "again", lang="en", question="Post or extended roles?")
    assert again.read_bytes() == written[0].read_bytes()


def test_assumptions_list_every_changed_parameter():
    options = {"a": Scenario(months=12), "b": Scenario(months=12).with_("crm.adoption", 0.9)}
    table = changed_parameters(options)
    assert table["parameter"].tolist() == ["months", "crm.adoption"]
    assert table.set_index("parameter").loc["crm.adoption", ["default", "a", "b"]].tolist() == [
        "0.3", "0.3", "0.9"]  # fmt: skip


def test_assumptions_section_names_the_book_and_what_is_left_out(whatif):
    rep = build_report(whatif, lang="en")
    text = " ".join(str(payload) for _, payload in rep.blocks)
    assert "A synthetic book of 60 customers and 3 account managers" in text
    assert "What the model leaves out" in text and "Competitors" in text
    assert "Month a star leaves" in text  # the parameter by its name, its path in the CSV


def test_concentration_by_hand():
    managers = pd.DataFrame({
        "scenario": ["a"] * 10,
        "replication": [0] * 5 + [1] * 5,
        "share_of_sales": [0.5, 0.2, 0.1, 0.1, 0.1, 0.3, 0.3, 0.2, 0.1, 0.1],
    })  # fmt: skip
    table = concentration_table(managers).set_index("measure")
    assert table.at["top_manager", "mean"] == pytest.approx(0.4)  # (0.5 + 0.3) / 2
    assert table.at["top_fifth", "mean"] == pytest.approx(0.4)  # top 1 of 5 managers


# ------------------------------------------------------------------ what a manager looks for

#: Words a Chinese page may keep in Latin letters: the product, the simulation library and the
#: file formats (names, not English prose).
LATIN_NAMES = {"crmsim", "CRM", "CSV", "UTF", "SimPy"}


def _visible_words(path) -> list[str]:
    """Latin words of the page's prose: commands (<pre>), links (file names), the parameter
    hashes and command-line options (--set) left out."""
    html = path.read_text(encoding="utf-8")
    html = re.sub(r"<(style|pre)>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<a [^>]*>.*?</a>", " ", html, flags=re.S)
    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    text = re.sub(r"--[a-z][a-z-]*", " ", text)
    text = re.sub(r"\b[0-9a-f]{12}\b", " ", text)
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_.]+", text) if w not in LATIN_NAMES]


def test_no_english_word_remains_in_a_chinese_report(written):
    _, zh = written
    assert _visible_words(zh) == []
    # and the English page does have English words (the check can fail)
    assert len(_visible_words(written[0])) > 500


def test_one_unit_family_per_report(whatif):
    """Money in millions everywhere: tables, sentences and every chart's axis (百万元, never 万
    on a chart beside 百万元 in a table)."""
    for lang, unit in (("zh", "百万元"), ("en", "M CNY")):
        rep = build_report(whatif, lang=lang)
        page = rep.html({name: "" for name in rep._figures})
        assert unit in page
        if lang == "zh":
            assert not re.search(r"(?<!百)万", page)
        for name, fig in rep._figures.items():
            fig.canvas.draw()
            texts = [t.get_text() for ax in fig.axes
                     for t in (*ax.get_xticklabels(), *ax.get_yticklabels(),
                               ax.xaxis.label, ax.yaxis.label)]  # fmt: skip
            joined = " ".join(texts)
            assert not re.search(r"(?<!百)万|亿|\d[kM]\b", joined), (name, joined)
            if "net_contribution" in name:
                assert unit in joined, (name, joined)


def test_headcount_and_costs_per_option(whatif):
    from crmsim.report.economics import option_costs, value_table

    costs = option_costs(whatif).set_index("option")
    # the synthetic book: 3 positions; extended roles covers each with two part-time people
    assert costs.at["extended_roles", "people"] == 6 and costs.at["extended_roles",
                                                                  "positions"] == 3
    assert costs.at["dedicated_post", "people"] == 3 and costs.at["dedicated_post",
                                                                 "positions"] == 3
    monthly = whatif.comparison.monthly
    for option in ("extended_roles", "dedicated_post"):
        mine = monthly[monthly["scenario"] == option]
        pay = mine.groupby("replication")["manager_cost"].sum().mean()
        assert costs.at[option, "pay"] == pytest.approx(pay)
        every = mine.groupby("replication")[["manager_cost", "operations_cost", "overhead",
                                             "lead_cost", "crm_cost", "hiring_cost"]]  # fmt: skip
        assert costs.at[option, "total_cost"] == pytest.approx(every.sum().sum(axis=1).mean())
    # the move from today's structure (a post) in month 1: training, hiring and severance, as
    # the engine charged it
    for option, row in costs.iterrows():
        moved = whatif.comparison.team[option]
        month1 = monthly[(monthly["scenario"] == option) & (monthly["month"] == 1)]
        assert row["training"] == pytest.approx(moved["training"])
        assert row["severance"] == pytest.approx(moved["severance"])
        assert moved["training"] + moved["hiring"] + moved["severance"] <= month1[
            "hiring_cost"].mean() + 1e-6  # fmt: skip
    assert costs.at["dedicated_post", "training"] == 0.0  # today's structure: nothing to learn
    assert costs.at["extended_roles", "severance"] > 0.0  # the posts it ends are compensated
    values = value_table(whatif, rate=0.0).set_index("option")
    runs = whatif.comparison.runs.groupby("scenario")["net_contribution"].mean()
    # at a zero rate the net present value is the net contribution itself
    assert values.at["dedicated_post", "npv"] == pytest.approx(runs["dedicated_post"])
    discounted = value_table(whatif, 0.5).set_index("option").at["dedicated_post", "npv"]
    assert 0 < abs(discounted) < abs(values.at["dedicated_post", "npv"])  # later months weigh less


def test_the_report_shows_costs_value_rates_and_points_to_sweep(written):
    en, zh = written
    text = " ".join(_parse(en).parts)
    for words in ("Costs and headcount", "Account managers (people)", "Account positions",
                  "Pay of the account managers", "Training when the structure starts",
                  "Coordination delay per request", "Net present value at 12% a year",
                  "Payback against", "Complaints per 100 customers a year", "crmsim sweep"):
        assert words in text, words
    assert (en.parent / "tables" / "costs.csv").is_file()
    assert (en.parent / "tables" / "value.csv").is_file()
    assert "crmsim sweep --options structure=dedicated_post,extended_roles" in en.read_text(
        encoding="utf-8")  # fmt: skip
    zh_text = " ".join(_parse(zh).parts)
    for words in ("成本与人员", "客户经理（人）", "净现值", "每百位客户年投诉数", "回收期"):
        assert words in zh_text, words
    assert "改变了 " not in zh_text and "改动：组织结构改为“扩大工作范围”" in zh_text


def test_options_are_named_in_words_and_money_in_the_scenarios_currency(tmp_path):
    options = build_options(vary={"book.n_managers": [2, 4]},
                            base=TINY.replace(currency="USD"))  # fmt: skip
    w = run_whatif(options, replications=2, seed=1, workers=1)
    assert [w.label(o, "en") for o in w.options] == ["2 account managers", "4 account managers"]
    assert [w.label(o, "zh") for o in w.options] == ["2名客户经理", "4名客户经理"]
    en = write_report(w, tmp_path / "en")
    zh = write_report(w, tmp_path / "zh", lang="zh")
    text = " ".join(_parse(en).parts)
    assert "M USD" in text and "M CNY" not in text and "book.n_managers = " not in text
    assert "百万美元" in " ".join(_parse(zh).parts)
    assert "M EUR" in " ".join(_parse(write_report(w, tmp_path / "eur", currency="EUR")).parts)


def test_kpis_per_100_customers_when_the_books_differ_in_size(tmp_path):
    options = {"small": Scenario.synthetic(40, 2, months=3),
               "large": Scenario.synthetic(80, 4, months=3)}  # fmt: skip
    w = run_whatif(options, replications=2, seed=1, workers=1)
    text = " ".join(_parse(write_report(w, tmp_path / "r")).parts)
    assert "Per 100 customers of each option's initial book" in text
    assert "small 40, large 80" in text
    same = " ".join(_parse(write_report(run_whatif(
        {"a": TINY, "b": TINY.with_("crm.adoption", 0.9)}, replications=2, seed=1, workers=1),
        tmp_path / "same")).parts)  # fmt: skip
    assert "Per 100 customers" not in same
