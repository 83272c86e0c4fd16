"""Every chart in Chinese and in both languages, drawn with real glyphs; English stays English.

Each public plot function of ``crmsim.plots`` and ``crmsim.plots.simulation`` is drawn on the
bundled company (or a small simulation) and rendered with Agg, with matplotlib's missing-glyph
warning turned into an error and its log watched, so an empty box on a chart fails here.
"""

from __future__ import annotations

import logging
import string
import subprocess
import sys
import warnings
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import crmsim.plots  # noqa: E402
import crmsim.plots.simulation as sim_plots  # noqa: E402
import crmsim.sim  # noqa: E402
from crmsim import datasets  # noqa: E402
from crmsim.errors import ParameterError  # noqa: E402
from crmsim.methods.abc import abc_classify  # noqa: E402
from crmsim.methods.concentration import lorenz_curve  # noqa: E402
from crmsim.methods.credit import credit_score  # noqa: E402
from crmsim.methods.lifecycle import infer_stage  # noqa: E402
from crmsim.methods.pyramid import customer_pyramid, pyramid_summary  # noqa: E402
from crmsim.methods.relationship_map import RelationshipMap  # noqa: E402
from crmsim.methods.value import customer_value  # noqa: E402
from crmsim.plots._fonts import (  # noqa: E402
    CJK_FAMILY,
    FONT_PACKAGE,
    font_file,
    font_licence,
    has_cjk,
    use_cjk_font,
)
from crmsim.plots._labels import chart_text, compact_number, kpi_label  # noqa: E402
from crmsim.plots.simulation import scenario_label  # noqa: E402
from crmsim.sim import Scenario, compare  # noqa: E402
from crmsim.terms import TERMS, language  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PLOTS = sorted(n for n in crmsim.plots.__all__ if n.startswith("plot_"))
SIM_PLOTS = sorted(n for n in crmsim.sim.__all__ if n.startswith("plot_"))


# ----------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def company():
    customers = datasets.load_customers()
    transactions = datasets.load_transactions()
    value = customer_value(transactions, as_of=datasets.AS_OF, customers=customers)
    credit = credit_score(customers, id="customer_id")
    stages = infer_stage(transactions, as_of=datasets.AS_OF)
    pyramid = customer_pyramid(value, current="current_value", potential="growth_potential",
                               id="customer_id", split="median")
    return {
        "transactions": transactions,
        "abc": abc_classify(value, value="current_value", id="customer_id"),
        "lorenz": lorenz_curve(value["current_value"]),
        "pyramid": pyramid,
        "pyramid_summary": pyramid_summary(pyramid, value="current_value"),
        "credit": credit,
        "stages": stages,
        "formation": sorted(stages.loc[stages["stage"] == "formation", "customer_id"])[0],
        "rmap": datasets.load_relationship_map(),
    }


@pytest.fixture(scope="module")
def comparison():
    """Two structures, three months, two replications: small, but every table is real."""
    scenarios = {name: Scenario(months=3, structure=name)
                 for name in ("dedicated_post", "extended_roles")}
    return compare(scenarios, replications=2, seed=7)


def _polar_ax():
    _, ax = plt.subplots(figsize=(5.5, 5.5), subplot_kw={"projection": "polar"})
    return ax


#: Public plot function -> how to draw it in a language. The keys must be every public plot
#: function (test_every_public_plot_function_is_drawn), so a new chart cannot skip this file.
DRAW: dict[str, Callable] = {
    "plot_pareto": lambda c, s, lang: crmsim.plots.plot_pareto(c["abc"], lang=lang),
    "plot_lorenz": lambda c, s, lang: crmsim.plots.plot_lorenz(c["lorenz"], lang=lang),
    "plot_pyramid": lambda c, s, lang: crmsim.plots.plot_pyramid(c["pyramid_summary"],
                                                                 lang=lang),
    "plot_pyramid_quadrants": lambda c, s, lang: crmsim.plots.plot_pyramid_quadrants(
        c["pyramid"], log=True, lang=lang),
    "plot_credit_radar": lambda c, s, lang: crmsim.plots.plot_credit_radar(
        c["credit"], c["credit"]["customer_id"].iloc[0], ax=_polar_ax(), lang=lang),
    "plot_grade_distribution": lambda c, s, lang: crmsim.plots.plot_grade_distribution(
        c["credit"], lang=lang),
    "plot_lifecycle_history": lambda c, s, lang: crmsim.plots.plot_lifecycle_history(
        c["transactions"], c["formation"], as_of=datasets.AS_OF, lang=lang),
    "plot_stage_mix": lambda c, s, lang: crmsim.plots.plot_stage_mix(c["stages"], lang=lang),
    "plot_relationship_map": lambda c, s, lang: crmsim.plots.plot_relationship_map(
        c["rmap"], lang=lang),
    "sim.plot_monthly": lambda c, s, lang: sim_plots.plot_monthly(s.monthly, "revenue",
                                                                  lang=lang),
    "sim.plot_stage_mix": lambda c, s, lang: sim_plots.plot_stage_mix(s.monthly, lang=lang),
    "sim.plot_funnel": lambda c, s, lang: sim_plots.plot_funnel(s.funnel, lang=lang),
    "sim.plot_utilisation": lambda c, s, lang: sim_plots.plot_utilisation(s.monthly, lang=lang),
    "sim.plot_differences": lambda c, s, lang: sim_plots.plot_differences(
        s.differences, "net_contribution", lang=lang),
}


class _GlyphLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "missing from font" in message or "findfont" in message:
            self.records.append(message)


def render(ax) -> None:
    """Draw the figure with Agg; a missing glyph (warning or log record) is an error."""
    handler = _GlyphLog()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
            warnings.filterwarnings("error", message=".*findfont.*")
            ax.figure.canvas.draw()
    finally:
        logger.removeHandler(handler)
    assert not handler.records, handler.records


def texts(ax) -> list[str]:
    """Every non-empty visible text of the figure (titles, labels, ticks, legends, notes)."""
    return [t.get_text() for t in ax.figure.findobj(Text) if t.get_visible() and t.get_text()]


def main_texts(ax) -> dict[str, str]:
    """Title and axis labels of the chart (polar and twin axes included)."""
    out = {"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel()}
    return {k: v for k, v in out.items() if v}


# ----------------------------------------------------------------------------- the font


def test_font_file_ships_with_an_ofl_licence():
    path = font_file()
    assert path.is_file() and path.stat().st_size > 1_000_000
    assert font_licence() == "OFL-1.1"
    dist = metadata.distribution(FONT_PACKAGE)
    licence_files = [f for f in dist.files or [] if "LICENSE" in f.name.upper()]
    assert licence_files, f"{FONT_PACKAGE} ships no licence file"
    text = licence_files[0].read_text(encoding="utf-8")
    assert "SIL Open Font License" in text and "Version 1.1" in text


def test_the_font_is_a_project_dependency():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    environment = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert f'"{FONT_PACKAGE}' in pyproject
    assert f"- {FONT_PACKAGE}" in environment


def test_use_cjk_font_registers_a_fallback_after_the_latin_font():
    assert use_cjk_font() == CJK_FAMILY
    families = list(matplotlib.rcParams["font.family"])
    assert families[-1] == CJK_FAMILY and families.count(CJK_FAMILY) == 1
    assert families[0] != CJK_FAMILY  # Latin text keeps its font
    use_cjk_font()  # a second call changes nothing
    assert list(matplotlib.rcParams["font.family"]) == families
    from matplotlib import font_manager

    found = font_manager.findfont(CJK_FAMILY, fallback_to_default=False)
    assert Path(found) == font_file()


def test_import_is_quiet_and_a_fresh_process_draws_chinese_on_an_axes_made_before():
    """``import crmsim`` registers nothing; the first Chinese chart does, also on an ``ax`` the
    user made before (its title and tick labels existed without the CJK font)."""
    code = """
import warnings, matplotlib
matplotlib.use("Agg")
families = list(matplotlib.rcParams["font.family"])
import crmsim
from matplotlib import font_manager
assert list(matplotlib.rcParams["font.family"]) == families, "import crmsim changed rcParams"
assert not any("noto_cjk_sans_otc" in f.fname for f in font_manager.fontManager.ttflist)
import matplotlib.pyplot as plt
import pandas as pd
fig, ax = plt.subplots()
fig.canvas.draw()
crmsim.plot_stage_mix(pd.DataFrame({"stage": ["lost", "formation"]}), ax=ax, lang="zh")
warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
fig.canvas.draw()
print("OK", ax.get_title())
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "OK 各生命周期阶段客户数" in done.stdout


def test_render_fails_on_a_missing_glyph():
    """Guard the guard: a character no bundled font has makes render() fail."""
    use_cjk_font()
    fig, ax = plt.subplots()
    ax.set_title("\U0001d11e \ue000")  # a musical symbol and a private-use character
    try:
        with pytest.raises((UserWarning, AssertionError), match="(?i)glyph|missing"):
            render(ax)
    finally:
        plt.close(fig)


def test_has_cjk():
    assert has_cjk("考察期") and has_cjk("A（主要）") and not has_cjk("Exploration 80% ×")


# ----------------------------------------------------------------------------- every chart


def test_every_public_plot_function_is_drawn():
    public = set(PLOTS) | {f"sim.{n}" for n in SIM_PLOTS}
    assert all(callable(getattr(sim_plots, n)) for n in SIM_PLOTS)
    assert set(DRAW) == public


@pytest.mark.parametrize("lang", ["zh", "both"])
@pytest.mark.parametrize("name", sorted(DRAW))
def test_chart_draws_in_chinese_with_real_glyphs(name, lang, company, comparison):
    ax = DRAW[name](company, comparison, lang)
    try:
        render(ax)
        shown = texts(ax)
        assert any(has_cjk(t) for t in shown), shown
        main = main_texts(ax)
        assert main.get("title") or name == "plot_relationship_map"
        for where, text in main.items():
            if where == "title" and name in {"plot_relationship_map"}:
                continue  # the map's title is the team name as the user entered it
            assert has_cjk(text), (where, text)
            if lang == "both":
                assert any(c.isascii() and c.isalpha() for c in text), (where, text)
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("name", sorted(DRAW))
def test_chart_in_english_has_no_chinese(name, company, comparison):
    ax = DRAW[name](company, comparison, "en")
    try:
        render(ax)
        cjk = [t for t in texts(ax) if has_cjk(t)]
        assert not cjk, cjk
        assert main_texts(ax), "an English chart keeps its title and axis labels"
    finally:
        plt.close(ax.figure)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_a_chinese_chart_saves_for_slides(fmt, company):
    import io

    ax = crmsim.plots.plot_grade_distribution(company["credit"], lang="zh")
    buffer = io.BytesIO()
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
            ax.figure.savefig(buffer, format=fmt)
    finally:
        plt.close(ax.figure)
    assert buffer.tell() > 1000


def test_session_language_is_the_default(company):
    with language("zh"):
        ax = crmsim.plots.plot_pareto(company["abc"])
    try:
        assert ax.get_title() == chart_text("chart.pareto.title", "zh") == "帕累托图（ABC分类法）"
        assert ax.get_xlabel() == "按价值排序的客户"
        assert ax.cum_ax.get_ylabel() == "累计价值占比"
        legend = [t.get_text() for t in ax.cum_ax.get_legend().get_texts()]
        assert legend[0].startswith("A类（主要）: ") and "占客户" in legend[0]
    finally:
        plt.close(ax.figure)
    ax = crmsim.plots.plot_pareto(company["abc"])  # outside the block: English again
    try:
        assert ax.get_title() == "Pareto chart (ABC classification)"
    finally:
        plt.close(ax.figure)


def test_bad_language_names_the_parameter(company):
    with pytest.raises(ParameterError, match="'lang'"):
        crmsim.plots.plot_stage_mix(company["stages"], lang="fr")
    with pytest.raises(ParameterError, match="'lang'"):
        sim_plots.plot_funnel(pd.DataFrame({"step": ["find"], "step_number": [1],
                                            "entries": [3]}), by=None, lang="cn")


# ----------------------------------------------------------------------------- chart texts


def test_hand_checked_chinese_texts(company, comparison):
    ax = crmsim.plots.plot_stage_mix(company["stages"], lang="zh")
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "考察期", "形成期", "稳定期", "退化期", "客户流失"]
    assert ax.get_ylabel() == "客户数" and ax.get_title() == "各生命周期阶段客户数"
    plt.close(ax.figure)

    ax = crmsim.plots.plot_grade_distribution(company["credit"], lang="zh")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["A级", "B级", "C级", "D级"]
    assert ax.get_xlabel() == "信用等级（A级最好）"
    plt.close(ax.figure)

    ax = crmsim.plots.plot_pyramid(company["pyramid_summary"], lang="zh")
    tier = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert tier["tier_text_platinum"].startswith("铂金客户\n")
    assert "位客户（" in tier["tier_text_platinum"] and "\n价值" in tier["tier_text_platinum"]
    plt.close(ax.figure)

    ax = sim_plots.plot_monthly(comparison.monthly, "revenue", lang="zh")
    assert ax.get_ylabel() == "收入（元）" and ax.get_xlabel() == "月份"
    assert ax.get_title() == "收入：均值及95%置信带"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["增设独立岗位", "扩大工作范围"]
    plt.close(ax.figure)

    ax = sim_plots.plot_differences(comparison.differences, "net_contribution", lang="zh")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["扩大工作范围"]
    assert ax.get_xlabel() == "净贡献（元）：与增设独立岗位之差"
    plt.close(ax.figure)

    ax = sim_plots.plot_differences(comparison.differences, "net_contribution", lang="both")
    assert ax.get_xlabel() == ("Net contribution (CNY): difference vs Dedicated post "
                               "(净贡献（元）：与增设独立岗位之差)")
    plt.close(ax.figure)


def test_structures_and_rules_have_their_chinese_names_in_simulation_charts():
    rows = []
    for scenario in ("department_with_operations", "dedicated_department/by_industry",
                     "extended_roles + least_loaded"):
        for rep in range(2):
            rows.append({"scenario": scenario, "replication": rep, "month": 1,
                         "revenue": 1.0 + rep, "customers_exploration": 1,
                         "customers_formation": 1, "customers_stability": 1,
                         "customers_decline": 1})
    monthly = pd.DataFrame(rows)
    ax = sim_plots.plot_stage_mix(monthly, lang="zh")
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "部门下设独立操作部门", "增设独立部门/行业特点及所有制分配法", "扩大工作范围 + 最少负荷"]
    plt.close(ax.figure)


def test_scenario_label():
    assert scenario_label("by_relationship", "zh") == "社会关系分配法"
    assert scenario_label("dedicated_post vs extended_roles", "en") == (
        "Dedicated post vs Extended roles")
    assert scenario_label("dedicated_post/by_specialty", "both") == (
        "Dedicated post/By specialty (增设独立岗位/专业特长分配法)")
    assert scenario_label("pilot", "zh") == "pilot"


def test_every_chart_text_has_chinese_and_the_same_placeholders():
    keys = [k for k in TERMS if k.startswith("chart.")]
    assert len(keys) > 40
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    for key in keys:
        en, zh = TERMS[key]
        assert has_cjk(zh) or key in {"chart.grades.tick"} and "级" in zh, (key, zh)
        assert fields(en) == fields(zh), key
        assert not has_cjk(en), key


def test_chart_text_rejects_unknown_keys():
    with pytest.raises(KeyError, match="chart.nope"):
        chart_text("chart.nope", "en")


def test_kpi_labels():
    assert kpi_label("net_contribution", "zh") == "净贡献（元）"
    assert kpi_label("service_level", "en") == "Service level (on time)"
    assert kpi_label("my_kpi", "zh") == "My kpi"


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("x", "lang", "expected"),
    [
        (0, "en", "0"),
        (999, "en", "999"),
        (1_000, "en", "1k"),
        (45_600, "en", "45.6k"),
        (1_250_000, "en", "1.25M"),
        (3_400_000_000, "en", "3.4B"),
        (-2_500_000, "both", "-2.5M"),
        (3_210, "zh", "3,210"),
        (12_000, "zh", "1.2万"),
        (1_250_000, "zh", "125万"),
        (250_000_000, "zh", "2.5亿"),
        (12_400_000, "zh", "1,240万"),
        (999.5, "en", "1,000"),
        (12.34, "en", "12.3"),
        (0.5, "zh", "0.5"),
        (float("nan"), "zh", "n/a"),
    ],
)
def test_compact_number(x, lang, expected):
    assert compact_number(x, lang) == expected


_UNITS = {"k": 1e3, "M": 1e6, "B": 1e9, "万": 1e4, "亿": 1e8}


@given(st.floats(min_value=-1e13, max_value=1e13, allow_nan=False), st.sampled_from(["en", "zh"]))
def test_compact_number_reads_back_to_within_rounding(x, lang):
    text = compact_number(x, lang)
    assert "e" not in text and len(text) <= 9, text
    unit = _UNITS.get(text[-1], 1.0)
    back = float(text.rstrip("kMB万亿").replace(",", "")) * unit
    tolerance = 0.005 * abs(x) + (0.5 * unit if unit > 1 else 0.0005)
    assert abs(back - x) <= tolerance, (x, text)
    if lang == "en":
        assert not has_cjk(text)


def test_chinese_names_on_an_english_chart_get_the_font_too():
    m = RelationshipMap("销售一组", organisation_goal="Grow")
    m.add_customer("s", "零售门店", "external").add_need("s", "及时供货")
    ax = crmsim.plots.plot_relationship_map(m, lang="en")
    try:
        render(ax)
        assert ax.get_title().startswith("销售一组")
        assert "Organisation goal: Grow" in ax.get_title()
    finally:
        plt.close(ax.figure)


def test_money_axes_have_no_offset_or_scientific_ticks(company, comparison):
    abc = company["abc"].copy()
    abc["value"] = abc["value"] * 1_000  # values in the millions
    for lang, unit in (("en", ("k", "M")), ("zh", ("万", "亿"))):
        ax = crmsim.plots.plot_pareto(abc, lang=lang)
        ax.figure.canvas.draw()
        ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text() not in ("", "0")]
        assert ticks and all(t.endswith(unit) for t in ticks), ticks
        assert ax.yaxis.get_offset_text().get_text() == ""
        assert not any("e+" in t or "×10" in t for t in ticks)
        plt.close(ax.figure)
    ax = sim_plots.plot_monthly(comparison.monthly, "revenue", lang="en")
    ax.figure.canvas.draw()
    ticks = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert ax.yaxis.get_offset_text().get_text() == ""
    assert all(t == "0" or t[-1] in "kMB" or t[-1].isdigit() for t in ticks), ticks
    assert np.nanmax(comparison.monthly["revenue"]) > 1e5  # so the k / M units are exercised
    plt.close(ax.figure)
