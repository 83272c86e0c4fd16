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
from crmsim.report.assumptions import (
    book_text,
    changed_for_people,
    changed_parameters,
    param_text,
)
from crmsim.sim.decision import money
from crmsim.sim.plausibility import findings_text
from crmsim.terms import label, money_unit, parameter_label
from crmsim.terms import money as money_format


def _t(key: str, lang: str, **values: Any) -> str:
    return label(f"whatif.report.{key}", lang).format(**values)


def _sep(lang: str) -> str:
    return "、" if lang == "zh" else ", "


def write_sensitivity_report(
    study: Any,
    out_dir: str | Path,
    *,
    lang: str = "en",
    force: bool = False,
    title: str | None = None,
    currency: str | None = None,
) -> Path:
    """Write the report of a :class:`~crmsim.sim.sensitivity.Sensitivity` study (``crmsim
    sweep``): what moves the answer, a tornado chart, every point, the assumptions and the
    CSV files. Same folder rules as :func:`write_report`."""
    lang = report_language(lang)
    out = check_output_folder(out_dir, overwrite=force)
    rep = build_sensitivity_report(study, lang=lang, title=title, currency=currency)
    return rep.write(out, overwrite=force)


def _currency(study: Any, currency: str | None) -> str:
    return str(currency).upper() if currency else next(iter(study.options.values())).currency


def sensitivity_sentences(
    study: Any, lang: str, currency: str | None = None
) -> tuple[str, list[str]]:
    """The headline and points of a sensitivity study, in *lang* (money in millions of the
    options' currency)."""
    with money_format(currency=_currency(study, currency), scale="M"):
        return _sentences(study, lang)


def _sentences(study: Any, lang: str) -> tuple[str, list[str]]:
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
                    flips.append(_t("sweep_flip", lang, parameter=parameter_label(parameter,
                                                                                   lang),
                                    value=value,
                                    option=option_name(leads, lang)))  # fmt: skip
            headline = base + _space(lang) + _t("sweep_changes", lang,
                                                items=_t("list_sep", lang).join(flips))  # fmt: skip
        else:
            headline = base + _space(lang) + _t("sweep_holds", lang)
    points_text = []
    if len(tornado):
        top = tornado.iloc[0]
        what = _t("sweep_what_single" if study.runner_up is None else "sweep_what_lead", lang)
        points_text.append(_t("sweep_largest", lang, what=what,
                              parameter=parameter_label(top["parameter"], lang),
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


def build_sensitivity_report(
    study: Any, *, lang: str = "en", title: str | None = None, currency: str | None = None
) -> Report:
    """The :class:`~crmsim.report.Report` of a sensitivity study, not yet written: every
    parameter by its name in *lang*, money in millions of the options' currency."""
    lang = report_language(lang)
    with money_format(currency=_currency(study, currency), scale="M"):
        return _build(study, lang, title)


def _build(study: Any, lang: str, title: str | None) -> Report:
    names = {o: option_name(o, lang) for o in study.options}
    title = title or _t("sweep_title", lang,
                        options=_t("vs", lang).join(names.values()))  # fmt: skip
    subtitle = _t("subtitle", lang, version=__version__, n=study.replications,
                  months=study.months, seed=study.seed)  # fmt: skip
    rep = Report(title, lang=lang, subtitle=subtitle)
    headline, points = _sentences(study, lang)
    parameters = _sep(lang).join(parameter_label(key, lang) for key, _ in study.vary)
    for text in findings_text(study.comparison.findings, lang):  # the guard, first
        rep.warning(text)
    rep.answer(headline, points, question=_t("sweep_question", lang, parameters=parameters))
    from crmsim.plots.whatif import plot_tornado

    fig, ax = new_figure(9, 1.8 + 0.5 * max(len(study.tornado), 1))
    tornado = study.tornado.assign(parameter=[parameter_label(p, lang)
                                              for p in study.tornado["parameter"]])
    plot_tornado(tornado, centre=study.base_measure, kpi_text=study.measure_label(lang),
                 zero_line=study.runner_up is not None, ax=ax, lang=lang)  # fmt: skip
    rep.figure(fig, "tornado", _t("tornado_caption", lang), data=study.tornado)

    rep.heading(_t("options_heading", lang), level=3)
    rep.bullets([names[o] for o in study.options])

    rep.heading(_t("sweep_points_heading", lang))
    rows = []
    unit = money_unit(lang, scale="M")
    leader_rows = study.points[study.points["option"] == study.leader]
    for row in leader_rows.itertuples(index=False):
        half = (row.effect_high - row.effect_low) / 2
        rows.append({
            label("col.parameter", lang): parameter_label(row.parameter, lang)
            if row.parameter != "base" else _t("sweep_base_point", lang),
            label("col.value", lang): row.value,
            _t("sweep_leader", lang): names.get(row.leader, row.leader),
            study.measure_label(lang): f"{row.measure / 1e6:,.2f}",
            _t("sweep_effect", lang, unit=unit): f"{row.effect / 1e6:+,.2f} ± {half / 1e6:,.2f}",
        })  # fmt: skip
    rep.table(pd.DataFrame(rows), _t("sweep_points_caption", lang, n=study.replications),
              formatted=True)  # fmt: skip
    rep.data(study.points, "points")
    rep.data(study.comparison.runs, "runs")

    rep.heading(_t("assumptions_heading", lang))
    changed = changed_parameters(dict(study.options))
    if len(changed):
        rep.table(changed_for_people(dict(study.options), names, lang),
                  _t("changed_caption", lang),
                  csv="parameters_changed", formatted=True, raw=changed)  # fmt: skip
    else:
        rep.text(_t("nothing_changed", lang))
    rep.heading(_t("data_heading", lang), level=3)
    rep.bullets(list(dict.fromkeys(book_text(sc, lang) for sc in study.options.values())))
    rep.heading(_t("leaves_out_heading", lang), level=3)
    rep.bullets([_t(f"leaves_out_{i}", lang) for i in range(1, 7)])
    rep.heading(_t("data_files_heading", lang))
    rep.text(_t("data_files", lang, currency=money_unit(lang, scale="1")))
    rep.links(sorted(f"tables/{name}.csv" for name in rep._csv))
    return rep


_UNSURE = ("crm.adoption", "turnover.monthly_hazard", "team.hours_per_month",
           "lifecycle.stability_to_decline")  # fmt: skip


def sweep_command(whatif: Any) -> str:
    """A ``crmsim sweep`` command that moves two assumptions the options share, one at a time,
    around these options (a pointer from the comparison to the sensitivity study)."""
    names = list(whatif.options)
    parts = ["crmsim sweep"]
    keys = [n.partition(" = ")[0] for n in names]
    if all(" = " in n and ", " not in n for n in names) and len(set(keys)) == 1:
        values = ",".join(n.partition(" = ")[2] for n in names)
        parts.append(f"--options {keys[0]}={values}")
    elif all(_named_structure(n) for n in names):
        parts.append("--options structure=" + ",".join(names))
    else:
        parts += [f"{n}.toml" if " " not in n else f'"{n}.toml"' for n in names]
    tables = [sc.describe().set_index("parameter")["value"].map(param_text)
              for sc in whatif.options.values()]  # fmt: skip
    differ = {p for p in tables[0].index if any(t.get(p) != tables[0][p] for t in tables[1:])}
    own = {sc.crm.adoption for sc in whatif.options.values()}
    vary = {
        "crm.adoption": "0,1" if own != {1.0} else "0.3,0.6",
        "turnover.monthly_hazard": "0.005,0.03",
        "team.hours_per_month": "140,180",
        "lifecycle.stability_to_decline": "x0.5,x2",
    }
    chosen = [k for k in _UNSURE if k not in differ][:2]
    parts += [f"--vary {k}={vary[k]}" for k in chosen]
    parts += [f"--months {whatif.months}", f"--replications {max(whatif.replications, 5)}",
              "--out sweep"]  # fmt: skip
    return " ".join(parts)


def _named_structure(name: str) -> bool:
    from crmsim.terms import STRUCTURES

    return name in STRUCTURES
