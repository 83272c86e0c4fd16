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
    assert "turnover.star_leaves_month" in text


def test_concentration_by_hand():
    managers = pd.DataFrame({
        "scenario": ["a"] * 10,
        "replication": [0] * 5 + [1] * 5,
        "share_of_sales": [0.5, 0.2, 0.1, 0.1, 0.1, 0.3, 0.3, 0.2, 0.1, 0.1],
    })  # fmt: skip
    table = concentration_table(managers).set_index("measure")
    assert table.at["top_manager", "mean"] == pytest.approx(0.4)  # (0.5 + 0.3) / 2
    assert table.at["top_fifth", "mean"] == pytest.approx(0.4)  # top 1 of 5 managers
