"""Scenario: one complete, validated description of an organisational choice to simulate.

A :class:`Scenario` is a frozen dataclass made of sections (each documented field by field, with
unit and default, in its own module):

=============  ==========================================  =================================
section        what it describes                           module
=============  ==========================================  =================================
book           initial customers and managers              :mod:`crmsim.sim.scenario.book`
channels       lead generation per prospecting channel     :mod:`crmsim.sim.scenario.funnel`
funnel         the nine development steps                  :mod:`crmsim.sim.scenario.funnel`
credit         6C grade check and bad debt                 :mod:`crmsim.sim.scenario.credit`
lifecycle      stage transitions, satisfaction, purchases  :mod:`crmsim.sim.scenario.lifecycle`
service        service requests and maintenance contacts   :mod:`crmsim.sim.scenario.service`
company        business lines, need complexity, expertise  :mod:`crmsim.sim.scenario.company`
structure      one of the four structures of domain.md §7  :mod:`crmsim.sim.scenario.structures`
allocation     who serves a new or reassigned customer     :mod:`crmsim.sim.scenario.allocation`
incentives     commission vs deferred pay                  :mod:`crmsim.sim.scenario.incentives`
crm            CRM adoption and its effects                :mod:`crmsim.sim.scenario.crm`
team           working time, ramp-up, new hires            :mod:`crmsim.sim.scenario.team`
turnover       leaving, replacement, the star leaves       :mod:`crmsim.sim.scenario.turnover`
value          discount rate of customer value             :mod:`crmsim.sim.scenario.value`
season         month-of-year factors on purchases (off)    :mod:`crmsim.sim.scenario.season`
=============  ==========================================  =================================

The defaults describe the bundled office-supplies company under its current structure: a
dedicated account-manager post (增设独立岗位) with customers allocated by seniority (素质分配法),
commission paid at signing, CRM adoption 0.3, 36 months.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from crmsim.errors import ParameterError
from crmsim.io.writing import write_text
from crmsim.sim.scenario.allocation import AllocationParams
from crmsim.sim.scenario.book import Book
from crmsim.sim.scenario.company import CompanyParams
from crmsim.sim.scenario.credit import CreditParams
from crmsim.sim.scenario.crm import CrmParams
from crmsim.sim.scenario.funnel import CHANNEL_NAMES, ChannelParams, FunnelParams, default_channels
from crmsim.sim.scenario.incentives import IncentiveParams
from crmsim.sim.scenario.lifecycle import LifecycleParams
from crmsim.sim.scenario.params import Params, describe, param, section
from crmsim.sim.scenario.season import SeasonParams
from crmsim.sim.scenario.service import ServiceParams
from crmsim.sim.scenario.structures import StructureParams
from crmsim.sim.scenario.team import TeamParams
from crmsim.sim.scenario.toml import dumps, loads, read_file
from crmsim.sim.scenario.turnover import TurnoverParams
from crmsim.sim.scenario.value import ValueParams

CAPACITY_MODES: tuple[str, ...] = ("limited", "unlimited")


@section("")
@dataclass(frozen=True, eq=False)
class Scenario(Params):
    """A complete scenario (defaults: the bundled company, dedicated post, by seniority).

    Sections accept a section object, a (partial) dict of its parameters, or for ``structure``
    simply a structure name, which selects that structure's documented preset.

    Examples
    --------
    >>> s = Scenario(structure="dedicated_department", months=12)
    >>> s.structure.monthly_overhead
    40000.0
    >>> s.with_("crm.adoption", 0.9).crm.adoption
    0.9
    >>> s.replace(crm__adoption=0.9) == s.with_("crm.adoption", 0.9)
    True
    """

    name: str = param("bundled company, dedicated post", unit="-", doc="A label for tables.")
    months: int = param(36, unit="months", doc="Simulated horizon.")
    capacity: str = param(
        "limited",
        unit="-",
        doc="'limited': managers are SimPy resources (tasks queue); 'unlimited': every task "
        "starts at once (no contention; used to check the funnel against closed forms).",
    )
    currency: str = param(
        "CNY",
        unit="currency code",
        doc="Currency of every amount of the scenario (ISO 4217 code: CNY, USD, EUR...): it "
        "names the money in reports and charts; no amount is converted.",
    )
    book: Book = field(default_factory=Book)
    channels: tuple[ChannelParams, ...] = field(default_factory=default_channels)
    funnel: FunnelParams = field(default_factory=FunnelParams)
    credit: CreditParams = field(default_factory=CreditParams)
    lifecycle: LifecycleParams = field(default_factory=LifecycleParams)
    service: ServiceParams = field(default_factory=ServiceParams)
    company: CompanyParams = field(default_factory=CompanyParams)
    structure: StructureParams = field(default_factory=StructureParams)
    allocation: AllocationParams = field(default_factory=AllocationParams)
    incentives: IncentiveParams = field(default_factory=IncentiveParams)
    crm: CrmParams = field(default_factory=CrmParams)
    team: TeamParams = field(default_factory=TeamParams)
    turnover: TurnoverParams = field(default_factory=TurnoverParams)
    value: ValueParams = field(default_factory=ValueParams)
    season: SeasonParams = field(default_factory=SeasonParams)

    _nested = {
        "book": Book,
        "funnel": FunnelParams,
        "credit": CreditParams,
        "lifecycle": LifecycleParams,
        "service": ServiceParams,
        "company": CompanyParams,
        "structure": StructureParams,
        "allocation": AllocationParams,
        "incentives": IncentiveParams,
        "crm": CrmParams,
        "team": TeamParams,
        "turnover": TurnoverParams,
        "value": ValueParams,
        "season": SeasonParams,
    }
    _named_items = {"channels": ChannelParams}

    def __post_init__(self) -> None:
        # accept dicts, names and lists for sections, then validate
        for key, cls in self._nested.items():
            value = getattr(self, key)
            if not isinstance(value, cls):
                value = cls.from_dict(value, key)
            object.__setattr__(self, key, value)
        if not isinstance(self.channels, tuple) or not all(
            isinstance(c, ChannelParams) for c in self.channels
        ):
            object.__setattr__(
                self, "channels", self._items_from_dict("channels", self.channels, "")
            )
        super().__post_init__()

    def _validate(self, prefix: str) -> None:
        if not isinstance(self.name, str):
            raise ParameterError(f"parameter 'name' must be text; got {self.name!r}")
        self._number("", "months", minimum=1, integer=True)
        self._choice("", "capacity", CAPACITY_MODES)
        if not isinstance(self.currency, str) or not re.fullmatch(r"[A-Z]{3}", self.currency):
            raise ParameterError(
                f"parameter 'currency' must be a three-letter currency code such as CNY, USD or "
                f"EUR; got {self.currency!r}"
            )
        names = tuple(c.name for c in self.channels)
        if sorted(names) != sorted(CHANNEL_NAMES) or len(names) != len(CHANNEL_NAMES):
            raise ParameterError(
                f"parameter 'channels' must hold the four channels {list(CHANNEL_NAMES)}; "
                f"got {list(names)}"
            )
        # the model indexes channels by their position in CHANNEL_NAMES: keep that order
        ordered = tuple(sorted(self.channels, key=lambda c: CHANNEL_NAMES.index(c.name)))
        object.__setattr__(self, "channels", ordered)

    # The top-level section has an empty prefix: "months", not ".months".
    def path(self) -> str:
        """Empty: the scenario is the root of every parameter path."""
        return ""

    # ---------------------------------------------------------------------------- equality

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Scenario) and self.canonical() == other.canonical()

    __hash__ = None  # type: ignore[assignment]

    # -------------------------------------------------------------------------- changing it

    def channel(self, name: str) -> ChannelParams:
        """The channel called *name*."""
        for c in self.channels:
            if c.name == name:
                return c
        raise ParameterError(f"unknown channel {name!r}; known: {list(CHANNEL_NAMES)}")

    def with_(self, path: str | Mapping[str, Any], value: Any = None) -> Scenario:
        """A copy with one or more parameters changed, addressed by dotted paths.

        Paths follow the sections: ``"crm.adoption"``, ``"funnel.steps.contact.pass_probability"``,
        ``"channels.referral.leads_per_month"``, ``"lifecycle.share_of_wallet.stability"``.
        ``"structure"`` or ``"structure.name"`` set to a name (English or Chinese, e.g.
        ``"扩大工作范围"``) selects that structure's preset: every structure parameter, not only
        the name. Paths are applied in order, so ``{"structure": "extended_roles",
        "structure.training_cost": 0}`` changes the preset.

        Examples
        --------
        >>> s = Scenario(months=6).with_({"incentives.scheme": "deferred", "crm.adoption": 1.0})
        >>> s.incentives.scheme, s.crm.adoption
        ('deferred', 1.0)
        >>> s.with_("structure.name", "扩大工作范围").structure.time_share
        0.5
        """
        changes = dict(path) if isinstance(path, Mapping) else {path: value}
        data = self.to_dict()
        for key, val in changes.items():
            _set_path(data, key, val)
        return Scenario.from_dict(data)

    def replace(self, **changes: Any) -> Scenario:
        """A copy with keyword changes; ``a__b=1`` means the path ``"a.b"``.

        Examples
        --------
        >>> Scenario(months=6).replace(months=12, structure="extended_roles").structure.time_share
        0.5
        """
        return self.with_({key.replace("__", "."): val for key, val in changes.items()})

    # --------------------------------------------------------------------- (de)serialisation

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | Scenario | None, prefix: str | None = None) -> Any:
        """Build a scenario from a (partial) nested dict, e.g. parsed from TOML."""
        if isinstance(data, Scenario):
            return data
        return super().from_dict(data, "")

    def canonical(self) -> str:
        """Canonical JSON of every parameter (tables replaced by their content hash)."""
        data = self.to_dict()
        data["book"] = self.book.content()
        return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_json_default)

    def hash(self) -> str:
        """A stable sha256 hex digest of the scenario's parameters.

        Examples
        --------
        >>> Scenario(months=6).hash() == Scenario(months=6).hash()
        True
        """
        return hashlib.sha256(self.canonical().encode()).hexdigest()

    def describe(self) -> pd.DataFrame:
        """Every parameter as a row: ``parameter, value, unit, description``."""
        return pd.DataFrame(
            describe(self, ""), columns=["parameter", "value", "unit", "description"]
        )

    def to_toml(self, path: str | Path | None = None) -> str:
        """The scenario as TOML text (written to *path* if given)."""
        text = dumps(self.to_dict())
        if path is not None:
            write_text(path, text)  # atomic: a failure leaves no half-written file
        return text

    @classmethod
    def from_toml(cls, path_or_text: str | Path) -> Scenario:
        """Read a scenario from a TOML file (or TOML text when given a string with a newline).

        Errors about a file's content name the file (the user may have given several).
        """
        if isinstance(path_or_text, str) and "\n" in path_or_text:
            return cls.from_dict(loads(path_or_text))
        data = read_file(path_or_text)
        try:
            return cls.from_dict(data)
        except ParameterError as exc:
            raise ParameterError(f"scenario file {str(path_or_text)!r}: {exc}") from None

    @classmethod
    def synthetic(cls, n_customers: int, n_managers: int, **changes: Any) -> Scenario:
        """A scenario on a synthetic book of *n_customers* and *n_managers*.

        Lead rates not given scale with the book, here as for any book (a TOML file's
        ``book.n_customers``, a customer table, the dashboard): each channel brings its default
        rate times ``customers / 600`` (the defaults are sized for the 600-customer bundled
        company; :meth:`ChannelParams.rate`), so the book stays roughly the same size over time.

        Examples
        --------
        >>> s = Scenario.synthetic(300, 10, months=24)
        >>> s.book.n_customers, s.channel("telemarketing").rate(300)
        (300, 30.0)
        """
        base = cls(
            name=f"synthetic {n_customers}/{n_managers}",
            book=Book(source="synthetic", n_customers=n_customers, n_managers=n_managers),
        )
        return base.replace(**changes) if changes else base


def _set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``data[a][b]...`` for the dotted *path*, raising ParameterError for unknown keys."""
    parts = path.split(".")
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        if not isinstance(node, dict) or part not in node:
            raise ParameterError(f"unknown parameter {'.'.join(parts[: i + 1])!r} in path {path!r}")
        if not isinstance(node[part], dict):
            raise ParameterError(
                f"parameter {'.'.join(parts[: i + 1])!r} is a value, not a section (path {path!r})"
            )
        node = node[part]
    last = parts[-1]
    if not isinstance(node, dict) or last not in node:
        raise ParameterError(f"unknown parameter {path!r}")
    if path in ("structure", "structure.name") and isinstance(value, str):
        # a structure name selects that structure's preset (all its parameters, not only the
        # name); expanded so that later paths such as "structure.time_share" can edit it
        data["structure"] = StructureParams.preset(value).to_dict()
        return
    node[last] = value


def _json_default(obj: Any) -> Any:
    if isinstance(obj, pd.DataFrame):  # pragma: no cover - books replace frames by hashes
        return "<table>"
    raise TypeError(f"cannot serialise {type(obj).__name__}")
