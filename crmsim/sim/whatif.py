"""What-if comparisons: scenario files and parameter overrides become the options a manager
weighs, run on common random numbers, with every scheduled event set against its counterfactual.

- :func:`build_options` turns scenario files, ``--set key=value`` overrides (applied to every
  option) and ``--vary key=v1,v2,...`` lists (each value an option) into named scenarios.
  Structure, allocation-rule and pay-scheme names are accepted in English or Chinese
  (``--vary structure=扩大工作范围,增设独立岗位``).
- :func:`run_whatif` runs them with :func:`crmsim.sim.experiments.compare` (the same replication
  seeds for every option) and adds, for each option with a scheduled event (a star leaving at
  a given month), the same option without the event: its paired difference is what the event
  costs.
- :class:`WhatIf` holds the result; :meth:`WhatIf.recommendation` weighs the options (not the
  counterfactuals, which are not choices) with :func:`crmsim.sim.decision.recommend`.

Longer than most modules because a what-if is one story told in one place: how options are
built and named, what the result holds (the comparison, the guard's findings, the costs and
team of each option, the robustness of the answer) and how it is run.

Option names are identifiers that stay the same in every language (a file's stem,
``"crm.adoption = 0.5"``, a structure's identifier such as ``"extended_roles"``);
:func:`option_label` shows them in English or Chinese.

Examples
--------
>>> from crmsim.sim import Scenario
>>> base = Scenario.synthetic(60, 3, months=3)
>>> options = build_options(vary=[("structure", ["扩大工作范围", "dedicated_post"])], base=base)
>>> list(options)
['extended_roles', 'dedicated_post']
>>> option_label("extended_roles", "zh")
'扩大工作范围'
>>> w = run_whatif(options, replications=2, seed=1, workers=1)
>>> w.baseline, list(w.comparison.runs["scenario"].unique())
('extended_roles', ['extended_roles', 'dedicated_post'])
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim._validation import check_number
from crmsim.errors import ParameterError
from crmsim.sim.decision import Recommendation, paired_difference, recommend
from crmsim.sim.experiments import Comparison, compare
from crmsim.sim.fits import textbook_text
from crmsim.sim.plausibility import Finding, check_scenario, findings_text
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.overrides import apply_sets
from crmsim.sim.scenario.params import term_identifier
from crmsim.sim.uncertainty import Robustness, robustness_text, run_uncertainty
from crmsim.terms import TERMS, VOCABULARIES, label, parameter_label, resolve_language

__all__ = [
    "SCHEDULED_EVENTS",
    "ScheduledEvent",
    "WhatIf",
    "build_options",
    "event_costs",
    "option_label",
    "run_whatif",
    "scheduled_events",
]

#: Parameter paths whose values are names from a vocabulary of :mod:`crmsim.terms`.
NAMED_PARAMETERS: dict[str, str] = {
    "structure": "structure",
    "structure.name": "structure",
    "allocation.rule": "rule",
    "incentives.scheme": "scheme",
}

#: Vocabularies whose identifiers are shown translated inside option names.
_NAME_VOCABULARIES = ("structure", "rule", "scheme")


@dataclass(frozen=True)
class ScheduledEvent:
    """A parameter that schedules something at a month of the run.

    Attributes
    ----------
    path : str
        Parameter path (``turnover.star_leaves_month``).
    off : Any
        The value meaning "the event does not happen".
    key : str
        Short name; its texts are ``whatif.event.<key>`` (what happens, with ``{month}``) and
        ``whatif.without.<key>`` (the counterfactual) in :mod:`crmsim.terms`.
    """

    path: str
    off: Any
    key: str

    def value(self, scenario: Scenario) -> Any:
        """The event's value in *scenario* (its month, or :attr:`off`)."""
        node: Any = scenario
        for part in self.path.split("."):
            node = getattr(node, part)
        return node

    @property
    def suffix(self) -> str:
        """What a counterfactual option's name ends with, e.g. ``" (star stays)"``."""
        return f" ({TERMS[f'whatif.without.{self.key}'][0]})"


#: Every scheduled event of the model. A scenario has no other dated events: CRM adoption,
#: pay schemes and structures apply from month 1.
SCHEDULED_EVENTS: tuple[ScheduledEvent, ...] = (
    ScheduledEvent("turnover.star_leaves_month", 0, "star_leaves"),
)


def scheduled_events(scenario: Scenario) -> list[tuple[ScheduledEvent, Any]]:
    """The events *scenario* schedules, with their month.

    Examples
    --------
    >>> s = Scenario(months=12).with_("turnover.star_leaves_month", 6)
    >>> [(e.path, month) for e, month in scheduled_events(s)]
    [('turnover.star_leaves_month', 6)]
    """
    return [(e, e.value(scenario)) for e in SCHEDULED_EVENTS if e.value(scenario) != e.off]


# --------------------------------------------------------------------------- names


def _text(value: Any) -> str:
    """A parameter value as an option name shows it (``0.5``, ``12``, ``true``, ``deferred``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def option_label(name: str, lang: str | None = None) -> str:
    """An option's name as a reader sees it in *lang*.

    Structure, allocation-rule and pay-scheme identifiers are translated (also inside a
    composite name such as ``"extended_roles, crm.adoption = 1"``), and a counterfactual's
    suffix too; everything else (file stems, parameter paths, numbers) is kept as given.

    Examples
    --------
    >>> option_label("extended_roles, crm.adoption = 1", "zh")
    '扩大工作范围，CRM采用程度100%'
    >>> option_label("book.n_managers = 8", "en"), option_label("book.n_managers = 8", "zh")
    ('8 account managers', '8名客户经理')
    >>> option_label("today: structure.monthly_overhead = 50000", "en")
    'today: Monthly overhead 50,000'
    >>> option_label("star_leaves (star stays)", "zh")
    'star_leaves（业务尖子留任）'
    >>> option_label("A", "en")   # a file called A.toml, not the ABC class
    'A'
    """
    lang = resolve_language(lang)
    if lang == "both":
        return f"{option_label(name, 'en')} / {option_label(name, 'zh')}"
    for event in SCHEDULED_EVENTS:
        if name.endswith(event.suffix):
            base = option_label(name[: -len(event.suffix)], lang)
            text = label(f"whatif.without.{event.key}", lang)
            return f"{base}（{text}）" if lang == "zh" else f"{base} ({text})"
    if name.endswith(_WITHOUT_ALL):
        base = option_label(name[: -len(_WITHOUT_ALL)], lang)
        text = label("whatif.without.events", lang)
        return f"{base}（{text}）" if lang == "zh" else f"{base} ({text})"
    stem, colon, rest = name.rpartition(": ")
    if not colon or " = " in stem or not _is_option_part(rest.split(", ")[0]):
        stem, rest = "", name
    parts = [_option_part(part, lang) for part in rest.split(", ")]
    shown = ("，" if lang == "zh" else ", ").join(parts)
    return f"{stem}{'：' if lang == 'zh' else ': '}{shown}" if stem else shown


def _is_named(token: str) -> bool:
    return any(token in VOCABULARIES[v] for v in _NAME_VOCABULARIES)


def _is_option_part(part: str) -> bool:
    return _is_named(part) or bool(re.fullmatch(r"[a-z_][a-z_0-9.\[\]']* = .+", part))


@functools.lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    table = Scenario().describe()
    return dict(zip(table["parameter"], table["unit"], strict=True))


_SHARE_UNITS = ("0-1", "probability", "share")


def _option_part(part: str, lang: str) -> str:
    """One ``key = value`` of an option's name, in words: ``book.n_managers = 8`` → "8 account
    managers" (``option.<key>`` in the catalogs), else the parameter's name and its value
    (``crm.adoption = 0.5`` → "CRM adoption 50%"); a structure, rule or scheme by its name."""
    if _is_named(part):
        return label(part, lang)
    key, sep, value = part.partition(" = ")
    if not sep:
        return part
    unit = _units().get(key, "")
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is None:
        shown = label(value, lang) if any(value in v for v in VOCABULARIES.values()) else value
    elif unit.startswith(_SHARE_UNITS) and 0 <= number <= 1:
        shown = f"{number:.0%}"
    else:
        shown = f"{number:,.0f}" if number.is_integer() else f"{number:,g}"
    template = f"option.{key}"
    if template in TERMS:
        return label(template, lang).format(value=shown)
    name = parameter_label(key, lang)
    if name == key:  # a parameter the catalogs do not name: as given
        return part
    return f"{name}{'' if lang == 'zh' else ' '}{shown}"


_WITHOUT_ALL = " (without its scheduled events)"


def _counterfactual_name(option: str, events: list[tuple[ScheduledEvent, Any]]) -> str:
    if len(events) == 1:
        return option + events[0][0].suffix
    return option + _WITHOUT_ALL


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return out


# --------------------------------------------------------------------------- options


def _pairs(items: Any, what: str) -> list[tuple[str, Any]]:
    """``[(key, value)]`` from a mapping or a sequence of pairs."""
    if items is None:
        return []
    if isinstance(items, Mapping):
        return list(items.items())
    out = []
    for item in items:
        if not isinstance(item, tuple | list) or len(item) != 2 or not isinstance(item[0], str):
            raise ParameterError(f"parameter {what!r} must hold (key, value) pairs; got {item!r}")
        out.append((item[0], item[1]))
    return out


def _named_value(key: str, value: Any, option: str) -> Any:
    """A structure / rule / scheme name as its identifier (English or Chinese accepted)."""
    vocabulary = NAMED_PARAMETERS.get(key)
    if vocabulary is None:
        return value
    try:
        return term_identifier(key, value, vocabulary)
    except ParameterError as exc:
        raise ParameterError(f"option {option} {key}={value!r}: {exc}") from None


def build_options(
    files: Iterable[str | Path] = (),
    sets: Iterable[tuple[str, Any]] | Mapping[str, Any] = (),
    vary: Iterable[tuple[str, Sequence[Any]]] | Mapping[str, Sequence[Any]] = (),
    *,
    base: Scenario | None = None,
    vary_option: str = "--vary",
) -> dict[str, Scenario]:
    """The options of a what-if comparison, by readable and unique name.

    Every scenario file is an option; with ``vary``, every combination of the varied values is
    an option on every file (or on *base*). The ``sets`` are then applied to every option.

    Parameters
    ----------
    files : paths of scenario TOML files
        Each one an option named by its file's stem (``star_leaves.toml`` → ``star_leaves``).
    sets : (key, value) pairs or a mapping
        Parameter overrides applied to every option (``("crm.adoption", 0.5)``), after the
        varied values, so they win.
    vary : (key, [values]) pairs or a mapping
        Each value becomes an option; several keys give every combination. A structure name
        (``structure`` or ``structure.name``) selects that structure's documented preset.
    base : Scenario, optional
        The company when no file is given (default ``Scenario()``, the bundled company).
    vary_option : str
        How error messages call *vary* (the command-line option it came from).

    Returns
    -------
    dict of name to Scenario
        In order: files, then varied values. Names are the file stem, ``"key = value"``
        (a structure, rule or scheme by its identifier alone), or both (``"stem: key = value"``).

    Raises
    ------
    ParameterError
        Naming the file, the option (``--set``/``--vary``) and the key that is wrong.

    Examples
    --------
    >>> opts = build_options(vary={"crm.adoption": [0, 1]}, sets={"months": 6})
    >>> {name: (s.crm.adoption, s.months) for name, s in opts.items()}
    {'crm.adoption = 0': (0.0, 6), 'crm.adoption = 1': (1.0, 6)}
    """
    files = [Path(f) for f in ([files] if isinstance(files, str | Path) else files)]
    sets = _pairs(sets, "sets")
    vary = _pairs(vary, "vary")
    if base is not None and not isinstance(base, Scenario):
        raise ParameterError(f"parameter 'base' must be a Scenario; got {type(base).__name__}")
    for key, values in vary:
        if isinstance(values, str) or not isinstance(values, Sequence) or len(values) < 1:
            raise ParameterError(
                f"option {vary_option} {key}: expected a list of values; got {values!r}"
            )
    vary = [(key, [_named_value(key, v, vary_option) for v in values]) for key, values in vary]
    sets = [(key, _named_value(key, v, "--set")) for key, v in sets]
    if len({key for key, _ in vary}) != len(vary):
        raise ParameterError(f"option {vary_option}: each parameter may be varied only once")

    if files:
        stems = _unique([f.stem for f in files])
        starts = [(stem, Scenario.from_toml(f)) for stem, f in zip(stems, files, strict=True)]
    else:
        scenario = Scenario() if base is None else base
        starts = [("", scenario)]

    combos = list(itertools.product(*(values for _, values in vary))) if vary else [()]
    names, scenarios = [], []
    for stem, start in starts:
        for combo in combos:
            parts = []
            scenario = start
            for (key, _), value in zip(vary, combo, strict=True):
                scenario = apply_sets(scenario, [(key, value)], option=vary_option)
                parts.append(value if key in NAMED_PARAMETERS else f"{key} = {_text(value)}")
            scenario = apply_sets(scenario, sets, option="--set")
            varied = ", ".join(parts)
            if len(starts) == 1 and varied:  # one file: the varied values tell the options apart
                stem = ""
            name = f"{stem}: {varied}" if stem and varied else (stem or varied)
            names.append(name or scenario.name)
            scenarios.append(scenario)
    names = _unique(names)
    if vary:  # a varied option is labelled by what was varied, not by the file's title
        scenarios = [sc.replace(name=n) for n, sc in zip(names, scenarios, strict=True)]
    return dict(zip(names, scenarios, strict=True))


# --------------------------------------------------------------------------- running


#: The cost columns of :meth:`WhatIf.costs`, in the order a manager reads them (CNY over the
#: horizon, means over the replications); ``total_cost`` is their sum.
COST_COLUMNS: tuple[str, ...] = (
    "pay", "training", "hiring", "severance", "overhead", "operations_staff_cost",
    "operations_units_cost", "lead_cost", "crm_cost",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class WhatIf:
    """A what-if comparison run by :func:`run_whatif`.

    Attributes
    ----------
    options : dict of name to Scenario
        The options the manager chooses between (horizon applied), in order.
    baseline : str
        The option differences are taken against.
    comparison : Comparison
        Every run: the options and the counterfactuals, on common random numbers.
    counterfactuals : dict of str to str
        Option with a scheduled event → the name of its "no event" option in ``comparison``.
    events : dict of str to list
        Option → its scheduled events as ``(ScheduledEvent, month)``.
    scenarios : dict of name to Scenario
        Every scenario run, in the comparison's order: the options and the counterfactuals.
    replications, seed, months : int
        The size, seed and horizon of the study.
    rank_on : str or None
        The yardstick of the recommendation (None: customer value created when the runs have
        it, see :func:`crmsim.sim.decision.recommend`).
    findings : dict of str to list of Finding
        Per option, what the plausibility guard found (:mod:`crmsim.sim.plausibility`): before
        the run, and in any replication after it.
    robustness : Robustness or None
        The probabilistic sensitivity analysis (:mod:`crmsim.sim.uncertainty`) when asked for.
    """

    options: dict[str, Scenario]
    baseline: str
    comparison: Comparison
    counterfactuals: dict[str, str]
    events: dict[str, list[tuple[ScheduledEvent, Any]]] = field(default_factory=dict)
    scenarios: dict[str, Scenario] = field(default_factory=dict)
    replications: int = 0
    seed: int = 0
    months: int = 0
    rank_on: str | None = None
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    robustness: Robustness | None = None

    def warnings(self, lang: str | None = None) -> list[str]:
        """Every finding of the guard in words, each once, naming the options it concerns
        (none when it concerns them all)."""
        lang = resolve_language(lang)
        lang = "en" if lang == "both" else lang
        names = {option: self.label(option, lang) for option in self.findings}
        return findings_text(self.findings, lang, names=names)

    def costs(self) -> pd.DataFrame:
        """Headcount and cost breakdown of each option (and counterfactual), means over the
        replications — the one table the report, the dashboard and the CSV read.

        Columns: ``option``; the team: ``people`` (account managers at the start),
        ``positions`` (the account positions they cover: extended roles covers one with
        several part-time people), ``operations_staff``, ``operations_units``, ``headcount``
        (people + operations staff), ``managers_active`` (mean over the months),
        ``customers_start``; the costs over the horizon (CNY): ``pay``, ``training``, ``hiring``
        and ``severance`` (the move from today's organisation in month 1, plus hires later),
        ``overhead``, ``operations_staff_cost``, ``operations_units_cost``, ``lead_cost``,
        ``crm_cost``, ``total_cost``; and ``coordination_days``, the mean delay coordination with
        other departments adds to a request or an agreement (the model charges it as time, not
        money).
        """
        monthly = self.comparison.monthly
        managers = self.comparison.managers
        rows = []
        for option, scenario in self.scenarios.items():
            mine = monthly[monthly["scenario"] == option]
            if mine.empty:
                continue
            runs = mine.groupby("replication", sort=False)
            start = managers[(managers["scenario"] == option) & (managers["hired_month"] == 0)]
            by_run = start.groupby("replication", sort=False)
            people = float(by_run.size().mean()) if len(start) else 0.0
            customers = float(by_run["customers_start"].sum().mean()) if len(start) else 0.0
            team = self.comparison.team.get(option, {})
            staff = float(self.comparison.operations_staff.get(option, 0.0))
            units = float(team.get("operations_units", 0.0)) if staff else 0.0
            sums = runs[["manager_cost", "overhead", "lead_cost", "crm_cost", "hiring_cost",
                         "operations_cost"]].sum().mean()  # fmt: skip
            horizon = int(mine["month"].max())
            unit_cost = units * float(scenario.structure.operations_unit_cost) * horizon
            moved = {k: float(team.get(k, 0.0)) for k in ("training", "hiring", "severance")}
            row = {
                "option": option,
                "people": people,
                "positions": float(team.get("positions_start", people)),
                "operations_staff": staff,
                "operations_units": units,
                "headcount": people + staff,
                "managers_active": float(mine["managers_active"].mean()),
                "customers_start": customers,
                "pay": float(sums["manager_cost"]),
                "training": moved["training"],
                # hiring_cost holds the month-1 move and every later hire and its training
                "hiring": float(sums["hiring_cost"]) - moved["training"] - moved["severance"],
                "severance": moved["severance"],
                "overhead": float(sums["overhead"]),
                "operations_staff_cost": max(0.0, float(sums["operations_cost"]) - unit_cost),
                "operations_units_cost": unit_cost if units else 0.0,
                "lead_cost": float(sums["lead_cost"]),
                "crm_cost": float(sums["crm_cost"]),
                "coordination_days": float(team.get("coordination_days", 0.0)),
            }
            row["total_cost"] = float(sum(row[c] for c in COST_COLUMNS))
            rows.append(row)
        return pd.DataFrame(rows)

    def label(self, option: str, lang: str | None = None) -> str:
        """Display name of *option* (or of a counterfactual) in *lang*."""
        return option_label(option, lang)

    def choices(self) -> Comparison:
        """The comparison restricted to the options (counterfactuals left out)."""
        return restrict(self.comparison, list(self.options))

    def recommendation(self, lang: str | None = None) -> Recommendation:
        """The manager's recommendation over the options, in *lang*, with how robust it is to
        the assumptions as its first point (the probabilistic sensitivity analysis, or a note
        that the intervals are simulation noise only)."""
        lang = resolve_language(lang)
        lang = "en" if lang == "both" else lang
        names = {o: self.label(o, lang) for o in self.options}
        rec = recommend(self.choices(), scenarios=self.options, lang=lang, names=names,
                        rank_on=self.rank_on)  # fmt: skip
        if len(self.options) < 2:
            return rec
        points = [robustness_text(self, rec, lang), *rec.points]
        note = textbook_text(self, rec, lang)
        if note:
            points.insert(1, note)
        return dataclasses.replace(rec, points=points)

    def event_costs(self, level: float = 0.95) -> pd.DataFrame:
        """What each scheduled event costs: option minus its counterfactual, per KPI."""
        return event_costs(self.comparison, self.counterfactuals, level)


def restrict(comparison: Comparison, names: Sequence[str]) -> Comparison:
    """*comparison* with only the scenarios *names* (their runs, tables and differences)."""

    def keep(table: pd.DataFrame) -> pd.DataFrame:
        if table.empty or "scenario" not in table:
            return table
        return table[table["scenario"].isin(names)].reset_index(drop=True)

    return Comparison(
        summary=keep(comparison.summary),
        differences=keep(comparison.differences),
        runs=keep(comparison.runs),
        monthly=keep(comparison.monthly),
        funnel=keep(comparison.funnel),
        managers=keep(comparison.managers),
        baseline=comparison.baseline,
        findings={k: v for k, v in comparison.findings.items() if k in names},
        operations_staff={k: v for k, v in comparison.operations_staff.items() if k in names},
        team={k: v for k, v in comparison.team.items() if k in names},
    )


#: KPIs reported for the cost of a scheduled event, in order.
EVENT_KPIS: tuple[str, ...] = (
    "net_contribution",
    "revenue",
    "active_customers_end",
    "lost_customers",
    "defections",
    "retention",
    "complaints",
)


def event_costs(
    comparison: Comparison, counterfactuals: Mapping[str, str], level: float = 0.95
) -> pd.DataFrame:
    """Paired effect of each option's scheduled events: option minus its counterfactual.

    Returns
    -------
    DataFrame
        ``option, counterfactual, kpi, mean_difference, ci_low, ci_high, clear`` (``clear``:
        the interval excludes zero).
    """
    rows = []
    for option, cf in counterfactuals.items():
        for k in EVENT_KPIS:
            if k not in comparison.runs:
                continue
            d = paired_difference(comparison.runs, option, cf, k, level)
            rows.append({"option": option, "counterfactual": cf, "kpi": k,
                         "mean_difference": d["mean"], "ci_low": d["ci_low"],
                         "ci_high": d["ci_high"],
                         "clear": bool(d["ci_low"] > 0 or d["ci_high"] < 0)})  # fmt: skip
    columns = ["option", "counterfactual", "kpi", "mean_difference", "ci_low", "ci_high", "clear"]
    return pd.DataFrame(rows, columns=columns)


def _without_events(scenario: Scenario) -> Scenario:
    return scenario.with_({e.path: e.off for e, _ in scheduled_events(scenario)})


def check_options(
    options: Mapping[str, Scenario], replications: int, months: int | None
) -> tuple[dict[str, Scenario], int, int]:
    """Check the options of a study and bring them to one horizon.

    Returns ``(options, replications, horizon)``: every option set to *months* when given; the
    options must otherwise share their horizon. Errors name the parameter and what was expected.
    """
    if not isinstance(options, Mapping) or not options:
        raise ParameterError("parameter 'options' must be a non-empty mapping name -> Scenario")
    for name, sc in options.items():
        if not isinstance(sc, Scenario):
            raise ParameterError(
                f"parameter 'options[{name!r}]' must be a Scenario; got {type(sc).__name__}"
            )
    replications = int(check_number("replications", replications, minimum=2, integer=True))
    if months is not None:
        months = int(check_number("months", months, minimum=1, integer=True))
        options = {name: sc.replace(months=months) for name, sc in options.items()}
    horizons = {name: sc.months for name, sc in options.items()}
    if len(set(horizons.values())) > 1:
        listed = ", ".join(f"{n}: {m}" for n, m in horizons.items())
        raise ParameterError(
            f"the options have different horizons ({listed} months); compare them over the "
            "same horizon: --months N on the command line, months=N in Python"
        )
    return dict(options), replications, next(iter(horizons.values()))


def run_whatif(
    options: Mapping[str, Scenario],
    *,
    baseline: str | None = None,
    replications: int = 10,
    seed: int = 0,
    months: int | None = None,
    counterfactuals: bool = True,
    rank_on: str | None = None,
    uncertainty: int = 0,
    executor: Executor | Any | None = None,
    workers: int | None = None,
    progress: bool | Callable[[int, int], Any] | None = None,
) -> WhatIf:
    """Run the options of a what-if comparison on common random numbers.

    Before any run, every option passes the plausibility guard
    (:func:`crmsim.sim.plausibility.check_scenario`): an impossible option is refused with an
    error naming the parameter, an out-of-range one is run and its findings kept
    (:attr:`WhatIf.findings`).

    Parameters
    ----------
    options : mapping of name to Scenario
        From :func:`build_options`, or written by hand.
    baseline : str, optional
        The option differences are taken against (default the first).
    replications, seed : int
        Replications per option (the same seeds for every option) and the study's seed.
    months : int, optional
        Horizon for every option (default: theirs, which must then agree).
    counterfactuals : bool
        Add, for each option with a scheduled event (e.g. ``turnover.star_leaves_month``), the
        same option without it (default True), unless an option already is that scenario.
    rank_on : {"value_created", "net_contribution"}, optional
        The yardstick of the recommendation (default: customer value created).
    uncertainty : int
        Also run the probabilistic sensitivity analysis with this many draws of the teaching
        values (:func:`crmsim.sim.uncertainty.run_uncertainty`; 0: not run).
    executor, workers, progress
        As in :func:`crmsim.sim.experiments.compare`: a process pool by default, any
        ``concurrent.futures`` executor or a ``dask.distributed.Client``; results are identical.

    Returns
    -------
    WhatIf

    Raises
    ------
    ParameterError
        No options, an unknown baseline, horizons that differ, or an event after the horizon.
    """
    options, replications, horizon = check_options(options, replications, months)
    names = list(options)
    if baseline is None:
        baseline = names[0]
    elif baseline not in options:
        raise ParameterError(f"baseline {baseline!r} is not one of the options: {names}")
    findings = {name: check_scenario(sc) for name, sc in options.items()}  # refuses the impossible
    events = {name: scheduled_events(sc) for name, sc in options.items()}
    for name, found in events.items():
        for event, month in found:
            if month > horizon:
                raise ParameterError(
                    f"option {name!r}: {event.path} = {month} is after the horizon "
                    f"(months = {horizon}), so the event would never happen"
                )
    events = {name: found for name, found in events.items() if found}

    scenarios: dict[str, Scenario] = {}
    added: dict[str, str] = {}
    for name, sc in options.items():
        scenarios[name] = sc
        if not counterfactuals or name not in events:
            continue
        without = _without_events(sc)
        same = [other for other, s in options.items() if s == without]
        if same:
            added[name] = same[0]
            continue
        cf = _counterfactual_name(name, events[name])
        while cf in options or cf in scenarios:
            cf += "'"
        scenarios[cf] = without.replace(name=_counterfactual_name(sc.name, events[name]))
        added[name] = cf
    comparison = compare(scenarios, replications=replications, seed=seed, baseline=baseline,
                         executor=executor, workers=workers, progress=progress)  # fmt: skip
    for name in options:  # what the runs themselves found (a book that shrank...)
        seen = {f.as_tuple() for f in findings[name]}
        for item in comparison.findings.get(name, ()):
            if item not in seen:
                seen.add(item)
                findings[name].append(Finding.from_tuple(item))
    whatif = WhatIf(
        options=dict(options),
        baseline=baseline,
        comparison=comparison,
        counterfactuals=added,
        events=events,
        scenarios=scenarios,
        replications=replications,
        seed=seed,
        months=horizon,
        rank_on=rank_on,
        findings=findings,
    )
    if uncertainty and len(options) > 1:
        rec = whatif.recommendation("en")
        robust = run_uncertainty(options, uncertainty, seed=seed, rank_on=rec.rank_on,
                                 recommended=rec.suggested or rec.leader, executor=executor,
                                 workers=workers, progress=progress)  # fmt: skip
        whatif = dataclasses.replace(whatif, robustness=robust)
    return whatif
