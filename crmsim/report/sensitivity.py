"""The sensitivity page (``crmsim sweep``): which parameters move the answer, one at a time.

The study is run by :func:`crmsim.sim.sensitivity.sensitivity`; this page shows its headline
sentences, the tornado chart (:func:`crmsim.plots.whatif.plot_tornado`) and every point.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from crmsim._version import __version__
from crmsim.report import Report, check_output_folder, new_figure, report_language
from crmsim.report.manager import _changed_for_people, _sep, _t, book_text, changed_parameters
from crmsim.sim.decision import money
from crmsim.sim.plausibility import findings_text
from crmsim.terms import label


def write_sensitivity_report(
    study: Any,
    out_dir: str | Path,
    *,
    lang: str = "en",
    force: bool = False,
    title: str | None = None,
) -> Path:
    """Write the report of a :class:`~crmsim.sim.sensitivity.Sensitivity` study (``crmsim
    sweep``): what moves the answer, a tornado chart, every point, the assumptions and the
    CSV files. Same folder rules as :func:`write_report`."""
    lang = report_language(lang)
    out = check_output_folder(out_dir, overwrite=force)
    rep = build_sensitivity_report(study, lang=lang, title=title)
    return rep.write(out, overwrite=force)


def sensitivity_sentences(study: Any, lang: str) -> tuple[str, list[str]]:
    """The headline and points of a sensitivity study, in *lang*."""
    leader = option_name(study.leader, lang)
    tornado = study.tornado
    if study.runner_up is None:
        headline = _t("sweep_single", lang, option=leader, months=study.months,
                      value=money(study.base_measure, lang))  # fmt: skip
    else:
        changing = tornado[tornado["changes"]]
        base = _t("sweep_base", lang, option=leader, other=option_name(study.runner_up, lang),
                  value=money(study.base_measure, lang), months=study.months)  # fmt: skip
        if len(changing):
            flips = []
            points = study.points
            for parameter in changing["parameter"]:
                part = points[(points["parameter"] == parameter) & (points["leader"]
                                                                   != study.leader)]  # fmt: skip
                for value, leads in dict.fromkeys(zip(part["value"], part["leader"],
                                                      strict=True)):  # fmt: skip
                    flips.append(_t("sweep_flip", lang, parameter=parameter, value=value,
                                    option=option_name(leads, lang)))  # fmt: skip
            headline = base + _space(lang) + _t("sweep_changes", lang,
                                                items=_t("list_sep", lang).join(flips))  # fmt: skip
        else:
            headline = base + _space(lang) + _t("sweep_holds", lang)
    points_text = []
    if len(tornado):
        top = tornado.iloc[0]
        what = _t("sweep_what_single" if study.runner_up is None else "sweep_what_lead", lang)
        points_text.append(_t("sweep_largest", lang, what=what, parameter=top["parameter"],
                              low=top["low_value"], high=top["high_value"],
                              low_measure=money(top["low_measure"], lang),
                              high_measure=money(top["high_measure"], lang),
                              base=money(study.base_measure, lang)))  # fmt: skip
    points_text.append(_t("sweep_method", lang, n=study.replications))
    return headline, points_text


def _space(lang: str) -> str:
    return "" if lang == "zh" else " "


def option_name(option: str, lang: str) -> str:
    """An option's display name (see :func:`crmsim.sim.whatif.option_label`)."""
    from crmsim.sim.whatif import option_label

    return option_label(option, lang)


def build_sensitivity_report(study: Any, *, lang: str = "en", title: str | None = None) -> Report:
    """The :class:`~crmsim.report.Report` of a sensitivity study, not yet written."""
    lang = report_language(lang)
    names = {o: option_name(o, lang) for o in study.options}
    title = title or _t("sweep_title", lang,
                        options=_t("vs", lang).join(names.values()))  # fmt: skip
    subtitle = _t("subtitle", lang, version=__version__, n=study.replications,
                  months=study.months, seed=study.seed)  # fmt: skip
    rep = Report(title, lang=lang, subtitle=subtitle)
    headline, points = sensitivity_sentences(study, lang)
    parameters = _sep(lang).join(key for key, _ in study.vary)
    for text in findings_text(study.comparison.findings, lang):  # the guard, first
        rep.warning(text)
    rep.answer(headline, points, question=_t("sweep_question", lang, parameters=parameters))
    from crmsim.plots.whatif import plot_tornado

    fig, ax = new_figure(9, 1.8 + 0.5 * max(len(study.tornado), 1))
    plot_tornado(study.tornado, centre=study.base_measure, kpi_text=study.measure_label(lang),
                 zero_line=study.runner_up is not None, ax=ax, lang=lang)  # fmt: skip
    rep.figure(fig, "tornado", _t("tornado_caption", lang), data=study.tornado)

    rep.heading(_t("options_heading", lang), level=3)
    rep.bullets([f"{names[o]}: {sc.name}" if sc.name not in (o, names[o]) else names[o]
                 for o, sc in study.options.items()])  # fmt: skip

    rep.heading(_t("sweep_points_heading", lang))
    rows = []
    leader_rows = study.points[study.points["option"] == study.leader]
    for row in leader_rows.itertuples(index=False):
        half = (row.effect_high - row.effect_low) / 2
        rows.append({
            label("col.parameter", lang): row.parameter if row.parameter != "base"
            else _t("sweep_base_point", lang),
            label("col.value", lang): row.value,
            _t("sweep_leader", lang): names.get(row.leader, row.leader),
            study.measure_label(lang): f"{row.measure:,.0f}",
            _t("sweep_effect", lang): f"{row.effect:+,.0f} ± {half:,.0f}",
        })  # fmt: skip
    rep.table(pd.DataFrame(rows), _t("sweep_points_caption", lang, n=study.replications),
              formatted=True)  # fmt: skip
    rep.data(study.points, "points")
    rep.data(study.comparison.runs, "runs")

    rep.heading(_t("assumptions_heading", lang))
    changed = changed_parameters(dict(study.options))
    if len(changed):
        rep.table(_changed_for_people(changed, names, lang), _t("changed_caption", lang),
                  csv="parameters_changed", formatted=True, raw=changed)  # fmt: skip
    else:
        rep.text(_t("nothing_changed", lang))
    rep.heading(_t("data_heading", lang), level=3)
    rep.bullets(list(dict.fromkeys(book_text(sc, lang) for sc in study.options.values())))
    rep.heading(_t("leaves_out_heading", lang), level=3)
    rep.bullets([_t(f"leaves_out_{i}", lang) for i in range(1, 7)])
    rep.heading(_t("data_files_heading", lang))
    rep.text(_t("data_files", lang))
    rep.links(sorted(f"tables/{name}.csv" for name in rep._csv))
    return rep
