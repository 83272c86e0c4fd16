"""Set-up of the book and the team: customers and managers as numpy columns, desk speeds,
skills after ramp-up, fit between a customer and a manager, and allocation of managers.

Part of :class:`~crmsim.sim.engine.model.Simulation` (a mixin: it reads and writes the
simulation's state, listed in the class docstring there).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmsim.sim.engine.allocation import importance_class, wanted_specialty
from crmsim.sim.engine.company import customer_needs
from crmsim.sim.engine.lifecycle import up_down_probabilities
from crmsim.sim.engine.month_end import crm_time_share
from crmsim.sim.engine.records import CUSTOMER_SPEC, MANAGER_SPEC, MONTH, Table
from crmsim.sim.scenario.book import Book, BookTables
from crmsim.sim.scenario.funnel import CHANNEL_NAMES, CLOSING_STEPS, STEP_NAMES, logit
from crmsim.sim.scenario.lifecycle import EXPLORATION
from crmsim.sim.streams import poisson_cap
from crmsim.terms import (
    CUSTOMER_TYPES,
    INDUSTRY_GROUPS,
    SIX_C,
    SOLUTION_TYPES,
    SPECIALTIES,
    STATES,
    TIERS,
)

_RESOLVED: dict[str, BookTables] = {}  # bundled and synthetic books resolved in this process
TYPE_INDEX = {t: i for i, t in enumerate(CUSTOMER_TYPES)}
#: Per customer type: does it buy solutions (wants a solution specialist)?
SOLUTION = np.array([t in SOLUTION_TYPES for t in CUSTOMER_TYPES])


def _codes(column: pd.Series, names: Sequence[str]) -> np.ndarray:
    """Position of each value of *column* in *names* (the book is validated: all are there,
    and names are distinct).

    Examples
    --------
    >>> _codes(pd.Series(["b", "a", "b"]), ["a", "b"]).tolist()
    [1, 0, 1]
    """
    position = {name: i for i, name in enumerate(names)}
    return np.array([position[value] for value in column.tolist()], dtype=np.int64)


def split_joining(customers: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The book at the start and the customers who join it later (``joins_month`` >= 1, in the
    order they join; None if there are none). Without a ``joins_month`` column the book is
    returned as it is.

    Examples
    --------
    >>> book = pd.DataFrame({"customer_id": ["a", "b", "c"], "joins_month": [0, 3, 2]})
    >>> start, joining = split_joining(book)
    >>> start["customer_id"].tolist(), joining["customer_id"].tolist()
    (['a'], ['c', 'b'])
    """
    if "joins_month" not in customers.columns:
        return customers, None
    later = customers["joins_month"].to_numpy() > 0
    start = customers[~later].drop(columns="joins_month").reset_index(drop=True)
    if not later.any():
        return start, None
    joining = customers[later].sort_values("joins_month", kind="stable").reset_index(drop=True)
    return start, joining


def resolve_book(book: Book) -> BookTables:
    """``book.resolve()``, kept for the bundled and synthetic books: every replication of a
    study starts from the same tables, which the engine only reads. (User tables and files are
    resolved each time, so a changed file is always read afresh.)"""
    if book.source not in ("bundled", "synthetic"):
        return book.resolve()
    key = repr(sorted(book.content().items()))
    if key not in _RESOLVED:
        if len(_RESOLVED) >= 8:
            _RESOLVED.pop(next(iter(_RESOLVED)))
        _RESOLVED[key] = book.resolve()
    return _RESOLVED[key]


class BookSetup:
    """Parameters read once, the initial team and book, skills and allocation."""

    def _setup_parameters(self) -> None:
        sc = self.sc
        steps = sc.funnel.steps
        self.step_base = [s.pass_probability for s in steps]
        self.step_logit = [logit(p) for p in self.step_base]
        self.step_work = [s.work_hours for s in steps]
        self.step_days = np.array([s.mean_days for s in steps])
        self.step_push = [sc.incentives.push() if s.name in CLOSING_STEPS else 0.0 for s in steps]
        self.agreement = STEP_NAMES.index("agreement")
        self.fixed_probabilities = sc.funnel.fixed_probabilities
        # the same as arrays, for many leads at once (funnel._pass_probabilities)
        self.step_base_array = np.array(self.step_base)
        self.step_logit_array = np.array(self.step_logit)
        self.step_push_array = np.array(self.step_push)
        self.step_fixed = (
            self.fixed_probabilities | (self.step_base_array <= 0.0) | (self.step_base_array >= 1.0)
        )
        self.skill_effect = sc.funnel.skill_effect
        self.quality_effect = sc.funnel.quality_effect
        self.fit_bonus = sc.allocation.fit_bonus
        self.hunting_share = sc.incentives.effective_hunting_share()
        self.duration_factor = np.array([sc.funnel.duration_factor[t] for t in CUSTOMER_TYPES])
        self.request_rate = sc.lifecycle.stage_array(sc.service.request_rate)
        self.need = sc.lifecycle.stage_array(sc.service.maintenance_contacts)
        self.bad_debt = sc.credit.bad_debt_array()
        self.p_up, self.p_down = up_down_probabilities(sc.lifecycle)
        self.k_max = poisson_cap(float(self.request_rate.max()))
        self.hours_day = sc.team.hours_per_month / MONTH
        # a request is on time within the target, stretched as the company's needs are complex
        # (a project takes longer to resolve than a repeat order, and customers expect it to)
        complexity = 1.0 + sc.company.complexity_work * sc.company.need_complexity
        self.response_target = sc.service.response_target_days * complexity
        # the lead channels, in the order of their codes (CHANNEL_NAMES)
        self.channels = [sc.channel(name) for name in CHANNEL_NAMES]
        self.channel_cost = np.array([c.cost_per_lead for c in sc.channels])
        self.channel_quality = np.array([c.quality for c in sc.channels])
        self.channel_quality_spread = np.array([c.quality_spread for c in sc.channels])

    def _setup_managers(self, managers: pd.DataFrame) -> None:
        n = len(managers)
        self.M = Table(MANAGER_SPEC, n + 8)
        self.manager_ids: list[str] = []
        # python mirrors of M.active / M.hunt_speed / M.farm_speed, and each desk's free-at
        # time (read for every funnel step and service request, where lists are fastest)
        self.active_list: list[bool] = []
        self.hunt_speed_list: list[float] = []
        self.farm_speed_list: list[float] = []
        self.hunt_free_at: list[float] = []
        self.farm_free_at: list[float] = []
        self.open_leads: list[int] = []  # leads in the funnel per manager (lead allocation)
        # each manager's index as one int object that every lead of his shares (an index over
        # 256 is an object of its own: a lead holding its own copy fetches it at each wake-up)
        self.manager_index: list[int] = []
        # desk time (days) booked this month and spilling into the next, per manager
        self.busy_hunt: list[float] = []
        self.busy_farm: list[float] = []
        self.next_busy_hunt: list[float] = []
        self.next_busy_farm: list[float] = []
        raw = managers["skill"].to_numpy(dtype=float)
        self.team_mean = float(raw.mean()) if n else 0.7
        # who starts untrained: everyone in a new structure, else the newly hired positions
        reorganised = self.fx.reorganisation
        first_new = 0 if reorganised.team_ramps else n - min(reorganised.newcomers, n)
        columns = ("manager_id", "tier", "specialty", "industry_focus", "monthly_cost")
        rows = zip(*(managers[c].tolist() for c in columns), raw.tolist(), strict=True)
        for i, (manager_id, tier, specialty, industry, cost, raw_skill) in enumerate(rows):
            ramp_from = 0 if i >= first_new else -10_000
            self._add_manager(
                str(manager_id),
                tier=TIERS.index(tier),
                specialty=SPECIALTIES.index(specialty),
                industry=INDUSTRY_GROUPS.index(industry),
                raw_skill=raw_skill,
                cost=float(cost),
                hired_month=0,
                ramp_from=ramp_from,
            )

    def _add_manager(
        self,
        manager_id: str,
        *,
        tier: int,
        specialty: int,
        industry: int,
        raw_skill: float,
        cost: float,
        hired_month: int,
        ramp_from: int,
    ) -> int:
        fx = self.fx
        skill = self.team_mean + fx.skill_spread * (raw_skill - self.team_mean) + fx.skill_shift
        skill = float(np.clip(skill, 0.05, 1.0))
        # hours of account work per day, in units of "standard contacts" (work_multiplier)
        speed = self.hours_day * fx.account_time_share * crm_time_share(self.sc.crm)
        speed /= fx.work_multiplier
        i = self.M.append(
            tier=tier,
            specialty=specialty,
            industry=industry,
            skill=skill,
            skill_start=skill,
            cost=cost,
            hired_month=hired_month,
            ramp_from=ramp_from,
            active=True,
            hunt_speed=speed * self.hunting_share,
            farm_speed=speed * (1.0 - self.hunting_share),
        )
        self.manager_ids.append(manager_id)
        self.active_list.append(True)
        self.hunt_speed_list.append(float(self.M.hunt_speed[i]))
        self.farm_speed_list.append(float(self.M.farm_speed[i]))
        self.hunt_free_at.append(0.0)
        self.farm_free_at.append(0.0)
        self.open_leads.append(0)
        self.manager_index.append(i)
        for booked in (self.busy_hunt, self.busy_farm, self.next_busy_hunt, self.next_busy_farm):
            booked.append(0.0)
        self.team_version += 1
        return i

    def _setup_customers(self, customers: pd.DataFrame) -> None:
        sc = self.sc
        n = len(customers)
        self.n_book = n
        self.C = C = Table(CUSTOMER_SPEC, n + 64)
        self.customer_ids: list[str] = customers["customer_id"].tolist()
        C.extend(n)  # the book's rows, with the columns' fill values
        wallet = customers["annual_wallet"].to_numpy(dtype=float)
        median = float(np.median(wallet)) if n else 0.0
        self.wallet_median = median if median > 0 else 50_000.0
        key_share = sc.allocation.key_customer_share
        mid_share = min(1.0, key_share + sc.allocation.regular_share)
        self.key_cut = float(np.quantile(wallet, 1 - key_share)) if n and key_share else np.inf
        self.regular_cut = float(np.quantile(wallet, 1 - mid_share)) if n and mid_share else np.inf
        C.wallet[:n] = wallet
        C.size[:n] = self._size(wallet)
        C.ctype[:n] = _codes(customers["customer_type"], CUSTOMER_TYPES)
        C.industry[:n] = _codes(customers["industry_group"], INDUSTRY_GROUPS)
        C.channel[:n] = _codes(customers["channel"], CHANNEL_NAMES)
        # mean of the six C scores, summed in their order (as numpy's mean along a row)
        six = [customers[c].to_numpy(dtype=float) for c in SIX_C]
        C.mean6[:n] = sum(six[1:], six[0]) / len(SIX_C)
        C.grade[:n] = sc.credit.grade_codes(C.mean6[:n])
        C.importance[:n] = importance_class(wallet, self.key_cut, self.regular_cut)
        stage = _codes(customers["stage"], STATES)
        C.stage[:n] = stage
        C.initial_stage[:n] = stage
        C.manager[:n] = _codes(customers["manager_id"], self.manager_ids)
        first = pd.to_datetime(customers["first_purchase"])
        C.since_day[:n] = -(self.start - first).dt.days.to_numpy(dtype=float)
        C.satisfaction[:n] = sc.lifecycle.initial_satisfaction
        C.fit[:n] = self._fit_array(np.arange(n), C.manager[:n])
        self._set_needs(np.arange(n), self.streams.generator("needs", 0).random((n, 3)))
        counts = np.bincount(C.manager[:n], minlength=self.M.n)[: self.M.n]
        self.M.load[: self.M.n] = counts
        self.M.customers_start[: self.M.n] = counts

    def _setup_joining(self, joining: pd.DataFrame | None) -> None:
        """The customers who join the book later (:func:`split_joining`), read at each month
        start by :meth:`_join_customers`: per month of the run (1-based), their rows."""
        self.joining = joining
        self.joining_by_month: dict[int, list[int]] = {}
        self.joined_now = (0, 0)  # rows of C that joined this month (their first move is next)
        if joining is None:
            return
        for j, k in enumerate(joining["joins_month"].tolist()):
            self.joining_by_month.setdefault(int(k), []).append(j)
        position = {name: i for i, name in enumerate(self.manager_ids)}
        # a manager the run does not know (e.g. a position covered by part-time people): the
        # allocation rule chooses one when the customer joins
        self.joining_manager = [position.get(m, -1) for m in joining["manager_id"].tolist()]

    def _join_customers(self, month: int) -> None:
        """At the start of *month* (0-based), the customers due to join then enter the book as
        new customers in exploration, with their manager (another, by the allocation rule, if
        he has left) and the satisfaction of a customer just won. They buy and ask for service
        from this month on; their stage first moves at the next month end (a customer's first
        month is its start, as for a customer won during a month). Each one's needs and manager
        pick come from its own key of the "needs" stream (its row in the joining table),
        whatever else happens in the run."""
        self.joined_now = (self.C.n, self.C.n)
        rows = self.joining_by_month.get(month + 1)
        if not rows:
            return
        sc, C, M, J = self.sc, self.C, self.M, self.joining
        satisfaction = self._new_customer_satisfaction()
        wallet = J["annual_wallet"].to_numpy(dtype=float)[rows]
        ctype = _codes(J["customer_type"].iloc[rows], CUSTOMER_TYPES)
        industry = _codes(J["industry_group"].iloc[rows], INDUSTRY_GROUPS)
        channel = _codes(J["channel"].iloc[rows], CHANNEL_NAMES)
        six = [J[c].to_numpy(dtype=float)[rows] for c in SIX_C]
        mean6 = sum(six[1:], six[0]) / len(SIX_C)
        grade = sc.credit.grade_codes(mean6)
        importance = importance_class(wallet, self.key_cut, self.regular_cut)
        spec = wanted_specialty(importance == 0, grade, SOLUTION[ctype])
        cash_only = (grade == 3) & (sc.credit.grade_d_policy == "cash_only")
        ids = J["customer_id"].tolist()
        for i, j in enumerate(rows):
            u = self.streams.generator("needs", 2, j).random((1, 4))
            m = self.joining_manager[j]
            if m < 0 or not self.active_list[m]:
                m = self._allocate(importance=int(importance[i]), industry=int(industry[i]),
                                   spec=int(spec[i]), for_lead=False,
                                   u=float(u[0, 3]))  # fmt: skip
            c = C.append(
                stage=EXPLORATION, initial_stage=EXPLORATION, wallet=float(wallet[i]),
                size=self._size_of(float(wallet[i])), ctype=ctype[i], industry=industry[i],
                channel=channel[i], grade=grade[i], mean6=mean6[i], importance=importance[i],
                cash_only=bool(cash_only[i]), manager=m, since_day=self.env.now,
                won_month=month + 1, satisfaction=satisfaction,
            )  # fmt: skip
            self.customer_ids.append(ids[j])
            if m >= 0:
                M.load[m] += 1
                M.new_customers[m] += 1
            C.fit[c] = self._fit_of(c, m, int(spec[i]))
            self._set_needs(np.array([c]), u[:, :3])
            self.tally.new_customers += 1
            self._log("customer_joined", customer=c, manager=m)
        self.joined_now = (self.joined_now[0], C.n)

    def _new_customer_satisfaction(self) -> float:
        """Satisfaction of a customer just won or joining: the lifecycle's starting value less
        what the incentive scheme's pressure to close costs it (not below 0)."""
        sc = self.sc
        return max(
            0.0, sc.lifecycle.initial_satisfaction - sc.incentives.start_satisfaction_penalty()
        )

    def _set_needs(self, customers: np.ndarray, u: np.ndarray) -> None:
        """The customers' needs (special expertise, confidentiality, business line) from three
        uniforms each, and what the structure makes of them (crmsim.sim.scenario.company): a wallet
        factor and a service-skill loss per customer. The uniforms come from the "needs"
        stream, which no structure touches (common random numbers)."""
        C, needs = self.C, self.fx.needs
        expertise, confidential, line = customer_needs(u, self.sc.company)
        C.line[customers] = line
        C.wallet_factor[customers] = np.where(
            expertise, needs.expertise_wallet_factor, 1.0
        ) * np.where(confidential, needs.isolation_wallet_factor, 1.0)
        C.skill_loss[customers] = np.where(expertise, needs.expertise_skill_shift, 0.0)

    def _size(self, wallet: np.ndarray | float) -> np.ndarray:
        """Purchase size of customers of annual *wallet*, relative to the median customer."""
        ratio = np.maximum(np.asarray(wallet, dtype=float), 1.0) / self.wallet_median
        return ratio**self.sc.lifecycle.size_elasticity

    def _size_of(self, wallet: float) -> float:
        """:meth:`_size` of one customer, in plain Python: equal bit for bit to numpy's scalar
        power and much faster (numpy's vectorised power may differ in the last bit)."""
        return (max(wallet, 1.0) / self.wallet_median) ** self.sc.lifecycle.size_elasticity

    def _fit_array(self, customers: np.ndarray, managers: np.ndarray) -> np.ndarray:
        """Fit bonus per (customer, manager) pair: tier, industry and specialty matches."""
        C, M = self.C, self.M
        m = np.maximum(managers, 0)
        spec = wanted_specialty(
            C.importance[customers] == 0, C.grade[customers], SOLUTION[C.ctype[customers]]
        )
        matches = (
            (M.tier[m] == C.importance[customers]).astype(int)
            + (M.industry[m] == C.industry[customers])
            + (M.specialty[m] == spec)
        )
        return np.where(managers >= 0, self.sc.allocation.fit_bonus * matches, 0.0)

    def _fit_with(self, m: int, importance: int, industry: int, spec: int) -> float:
        """Fit bonus of manager *m* (-1: none) for a customer or a lead of the given importance
        class, industry and wanted specialty: :meth:`_fit_array` in plain Python (the same
        number, without numpy's cost per call; each match adds the bonus, where numpy bools
        would add as "or")."""
        if m < 0:
            return 0.0
        M = self.M
        matches = (
            int(M.tier[m] == importance) + int(M.industry[m] == industry)
            + int(M.specialty[m] == spec)
        )  # fmt: skip
        return self.fit_bonus * matches

    def _fit_of(self, c: int, m: int, spec: int) -> float:
        """:meth:`_fit_with` for customer *c* (wanting specialty *spec*)."""
        return self._fit_with(m, self.C.importance[c], self.C.industry[c], spec)

    def _refresh_skills(self) -> None:
        """Cache every manager's skill after ramp-up for the current month."""
        M = self.M
        n = M.n
        ramp = self.fx.ramp_up_months
        if ramp <= 0:
            eff = M.skill[:n].copy()
        else:
            since = self.month - M.ramp_from[:n]
            start = self.sc.team.ramp_start
            factor = np.where(
                since >= ramp, 1.0, start + (1 - start) * np.clip(since, 0, None) / ramp
            )
            eff = M.skill[:n] * factor
        self.eff_skill = eff
        self.eff_list = eff.tolist()

    def _refresh_allocator(self) -> None:
        """Rebuild the allocator's candidate groups if the team has changed since."""
        if self.allocator_version != self.team_version:
            M = self.M
            n = M.n
            self.allocator.refresh(
                M.active[:n], tier=M.tier[:n], specialty=M.specialty[:n], industry=M.industry[:n]
            )
            self.allocator_version = self.team_version
            self._load = M.load[:n]  # a view, valid until the team changes

    def _allocate_leads(
        self,
        importance: np.ndarray,
        industry: np.ndarray,
        spec: np.ndarray,
        preferred: np.ndarray,
        u: np.ndarray,
    ) -> np.ndarray:
        """The managers of the month's new leads, handed out in arrival order by the
        allocation rule (each adds one to its manager's open leads; -1: nobody active)."""
        self._refresh_allocator()
        return self.allocator.choose_each(
            load=self.open_leads,
            want_tier=importance,
            want_specialty=spec,
            want_industry=industry,
            preferred=preferred,
            u=u,
        )

    def _allocate(
        self,
        *,
        importance: int,
        industry: int,
        spec: int,
        for_lead: bool,
        preferred: int = -1,
        u: float = 0.0,
        network: np.ndarray | None = None,
    ) -> int:
        """The manager chosen by the allocation rule (-1 if nobody is active)."""
        self._refresh_allocator()
        return self.allocator.choose(
            load=self.open_leads if for_lead else self._load,
            want_tier=importance,
            want_specialty=spec,
            want_industry=industry,
            preferred=preferred,
            network=network,
            u=u,
        )
