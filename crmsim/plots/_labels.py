"""Chart words and numbers: every text a chart shows comes through here.

- :func:`chart_text` -- a ``"chart.*"`` entry of the translation table (``crmsim.terms``), in
  the chart's language, with its ``{placeholders}`` filled.
- :func:`compact_number` / :func:`compact_formatter` -- numbers a projector audience can read:
  ``1.25M`` and ``450k`` in English, ``125万`` and ``1.2亿`` in Chinese; never a ``1e6`` offset.
- :func:`finish` -- the last step of every plot function: when the chart holds Chinese text it
  makes sure the CJK font is registered and used by the figure's texts.
"""

from __future__ import annotations

import math

from matplotlib.axes import Axes
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, PercentFormatter

from crmsim._validation import check_choice
from crmsim.plots._fonts import has_cjk, use_cjk_font
from crmsim.terms import LANGUAGES, TERMS, get_language, get_money, money_unit, resolve_language

__all__ = [
    "chart_text", "compact_formatter", "compact_number", "finish", "kpi_axis_format", "kpi_label",
    "money_formatter", "named",
    "plot_language",
]

#: Monthly and run KPIs measured in CNY (their axis label gets the currency).
MONEY_KPIS: frozenset[str] = frozenset({
    "revenue", "gross_profit", "bad_debt", "manager_cost", "operations_cost", "overhead",
    "lead_cost", "crm_cost", "hiring_cost", "net_contribution",
})
#: KPIs that are shares between 0 and 1 (drawn as percentages).
SHARE_KPIS: frozenset[str] = frozenset({
    "service_level", "maintenance_coverage", "manager_utilisation", "hunting_utilisation",
    "farming_utilisation", "retention", "conversion", "mean_satisfaction",
})


def plot_language(lang: str | None) -> str:
    """A plot function's ``lang`` argument resolved: ``None`` is the session language
    (:func:`crmsim.set_language`); anything but ``"en"``, ``"zh"``, ``"both"`` is a
    :class:`~crmsim.errors.ParameterError`."""
    return get_language() if lang is None else check_choice("lang", lang, LANGUAGES)


def chart_text(key: str, lang: str | None = None, /, **values: object) -> str:
    """The chart text *key* (a key of ``crmsim.terms.TERMS``) in *lang*, formatted.

    ``"both"`` gives ``"English (中文)"``. A value may be a function of the language (``"en"``
    or ``"zh"``), e.g. ``lambda lang: label(stage, lang)``: it is called once per language, so
    a bilingual chart does not nest one bilingual text inside another. Raises ``KeyError`` for
    a key the table lacks, so a misspelt key fails in the tests instead of showing on a chart.

    >>> chart_text("chart.pyramid.count", "zh", count=12, share="30%")
    '12位客户（30%）'
    >>> chart_text("chart.pyramid.value", "both", share="30%",
    ...            value=lambda lang: compact_number(1_250_000, lang))
    'value 1.25M (30%) (价值125万（30%）)'
    """
    if key not in TERMS:
        raise KeyError(f"chart text {key!r} is not in crmsim.terms.TERMS")
    lang = resolve_language(lang)
    if lang == "both":
        return f"{chart_text(key, 'en', **values)} ({chart_text(key, 'zh', **values)})"
    template = TERMS[key][0 if lang == "en" else 1]
    if not values:
        return template
    filled = {k: v(lang) if callable(v) else v for k, v in values.items()}
    return template.format(**filled)


def named(key: str, lang: str | None, name: object) -> str:
    """The chart text *key* followed by a name the user gave (a customer id, a goal), shown
    once also on a bilingual chart.

    >>> named("chart.credit.title", "zh", "C0001"), named("chart.credit.title", "both", "C0001")
    ('6C信用画像：C0001', '6C credit profile (6C信用画像): C0001')
    """
    lang = resolve_language(lang)
    return chart_text(key, lang) + ("：" if lang == "zh" else ": ") + str(name)


def kpi_label(kpi: str, lang: str | None = None, *, unit: bool = True) -> str:
    """Axis label of a KPI column: its chart name and, for money, the currency.

    Unknown columns are humanised (``"my_kpi"`` -> ``"My kpi"``).

    >>> kpi_label("revenue", "en"), kpi_label("revenue", "zh")
    ('Revenue (CNY)', '收入（元）')
    >>> kpi_label("revenue", "both")
    'Revenue (CNY) (收入（元）)'
    """
    lang = resolve_language(lang)
    if lang == "both":
        return f"{kpi_label(kpi, 'en', unit=unit)} ({kpi_label(kpi, 'zh', unit=unit)})"
    key = f"chart.kpi.{kpi}"
    name = chart_text(key, lang) if key in TERMS else kpi.replace("_", " ").capitalize()
    if unit and kpi in MONEY_KPIS:  # the page's currency and unit (crmsim.terms.money)
        return chart_text("chart.unit.cny", lang, name=name, currency=money_unit)
    return name


def compact_number(x: float, lang: str | None = None, digits: int = 3) -> str:
    """*x* short and readable: three significant digits and a unit word.

    English (and ``"both"``) uses k / M / B (thousand, million, billion); Chinese uses 万 (10^4)
    and 亿 (10^8), the units a Chinese reader counts money in. Values below the first unit keep
    thousands separators.

    >>> compact_number(1_250_000, "en"), compact_number(1_250_000, "zh")
    ('1.25M', '125万')
    >>> compact_number(45_600, "en"), compact_number(3_210, "zh"), compact_number(-2e8, "zh")
    ('45.6k', '3,210', '-2亿')
    >>> compact_number(12_400_000, "zh"), compact_number(2.5e12, "en"), compact_number(999.5)
    ('1,240万', '2,500B', '1,000')
    >>> compact_number(0.25), compact_number(0.00001), compact_number(-0.0002)
    ('0.25', '0', '0')
    """
    if not math.isfinite(x):
        return "n/a"
    units = ((1e8, "亿"), (1e4, "万")) if resolve_language(lang) == "zh" else (
        (1e9, "B"), (1e6, "M"), (1e3, "k"))
    for size, word in units:
        if abs(x) >= size:
            return _digits(x / size, digits) + word
    return _digits(x, digits)


def _digits(v: float, digits: int) -> str:
    """*digits* significant digits, never in exponent form (``1240`` stays ``1,240``)."""
    if abs(v) >= 10 ** (digits - 1):
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.{digits}g}"
    text = f"{v:.{digits}f}".rstrip("0").rstrip(".")  # small values: fixed point, no 1e-05
    return "0" if text in ("", "-0") else text


def compact_formatter(lang: str | None = None) -> FuncFormatter:
    """A tick formatter writing each tick with :func:`compact_number` (no offset, no 1e6)."""
    lang = resolve_language(lang)
    return FuncFormatter(lambda x, _pos: "0" if x == 0 else compact_number(x, lang))


def money_formatter(lang: str | None = None) -> FuncFormatter:
    """A tick formatter for money: in the unit of the page when it writes money in millions
    (:func:`crmsim.terms.money`: ``2.5`` on an axis labelled "M CNY" / "百万元", as in its
    tables), compact numbers otherwise.

    >>> from crmsim.terms import money
    >>> with money(scale="M"):
    ...     money_formatter("zh")(2_500_000, 0), money_formatter("zh")(-400_000, 0)
    ('2.5', '-0.4')
    """
    setting = get_money()
    if setting.scale == "1":
        return compact_formatter(lang)
    factor = setting.factor
    return FuncFormatter(lambda x, _pos: "0" if x == 0 else _digits(x / factor, 3))


def kpi_axis_format(axis, kpi: str, lang: str | None = None) -> None:
    """Tick format of an axis showing *kpi*: percentages for shares (:data:`SHARE_KPIS`),
    money in the page's unit (:func:`money_formatter`), compact numbers otherwise (``1.2M``,
    ``125万``; never a ``1e6`` offset)."""
    if kpi in SHARE_KPIS:
        axis.set_major_formatter(PercentFormatter(xmax=1.0, decimals=0))
    elif kpi in MONEY_KPIS:
        axis.set_major_formatter(money_formatter(lang))
    else:
        axis.set_major_formatter(compact_formatter(lang))


def finish(ax: Axes, lang: str | None = None) -> Axes:
    """Last step of a plot function: use the CJK font when the chart is in Chinese or any of
    its texts holds CJK characters (e.g. a Chinese customer name on an English chart)."""
    lang = resolve_language(lang)
    figure = ax.figure
    if lang != "en" or any(has_cjk(t.get_text()) for t in figure.findobj(Text)):
        use_cjk_font(figure)
    return ax
