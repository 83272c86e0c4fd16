"""The simulation engine: one SimPy environment per replication.

Time is measured in days; a month is 365.25/12 days. The story of one replication:

- **Month start** (vectorised): scheduled hires join; managers leave (monthly hazard, or the star
  in the star-leaves month) and their customers defect or are reassigned; every active customer's
  service requests for the month and every channel's leads for the month are drawn and scheduled.
- **During the month** (event-driven, SimPy): each lead is a process walking the nine funnel steps
  on its manager's *hunting desk*; each service request is a process queueing on the customer's
  manager's *farming desk* (or on the operations pool of a department with its own operations
  units). Desks are :class:`simpy.Resource` objects, so contention is real: a busy manager makes
  leads go cold and service requests late.
- **Month end** (vectorised over all customers with numpy, no process per customer): purchases
  and revenue; maintenance contacts made with each manager's remaining farming time; satisfaction;
  lifecycle transitions; skill diffusion; costs; one row of the monthly table.

Random numbers come from :class:`~crmsim.sim.streams.Streams`, keyed so that two scenarios run with
the same seed share their luck wherever their mechanics agree (common random numbers): customer
*i* gets the same monthly uniforms, and lead *j* of a channel in a month the same profile, step
durations, patience and pass uniforms, whatever the structure.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Generator
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import simpy

from crmsim._version import __version__
from crmsim.sim.allocation import Allocator, importance_class, wanted_specialty
from crmsim.sim.desk import Desk
from crmsim.sim.funnel import CHANNEL_NAMES, CLOSING_STEPS, STEP_NAMES, funnel_table, logit
from crmsim.sim.lifecycle import (
    DECLINE,
    EXPLORATION,
    LOST,
    STABILITY,
    UP_TARGET,
    monthly_orders,
    move_stages,
    satisfaction_target,
    service_multipliers,
    up_down_probabilities,
)
from crmsim.sim.result import SimulationResult
from crmsim.sim.scenario import Scenario
from crmsim.sim.streams import (
    Streams,
    exponential_from_uniform,
    normal_from_uniform,
    poisson_cap,
    poisson_from_uniform,
    poisson_quantile,
)
from crmsim.sim.turnover import defection_probability
from crmsim.terms import (
    CUSTOMER_TYPES,
    GRADES,
    INDUSTRY_GROUPS,
    SIX_C,
    SOLUTION_TYPES,
    SPECIALTIES,
    STATES,
    TIERS,
)

#: Length of a month in days.
MONTH = 365.25 / 12
#: Uniforms per lead from the arrivals stream: time, quality, profile, wallet, manager pick.
ARRIVAL_COLUMNS = 5
#: Uniforms per lead from the funnel stream: per step (pass, duration, patience), coordination,
#: and one for picking a new manager if his leaves.
FUNNEL_COLUMNS = 3 * len(STEP_NAMES) + 2
_N_STEPS = len(STEP_NAMES)
_STAGE_INDEX = {s: i for i, s in enumerate(STATES)}
_TYPE_INDEX = {t: i for i, t in enumerate(CUSTOMER_TYPES)}
_SOLUTION = np.array([t in SOLUTION_TYPES for t in CUSTOMER_TYPES])
_REFERRAL = CHANNEL_NAMES.index("referral")


class _Table:
    """A growable struct of numpy arrays (customers or managers); columns are attributes."""

    def __init__(self, spec: dict[str, tuple[Any, Any]], capacity: int) -> None:
        self._spec = spec
        self.n = 0
        self._cap = max(capacity, 8)
        for name, (dtype, fill) in spec.items():
            setattr(self, name, np.full(self._cap, fill, dtype=dtype))

    def append(self, **values: Any) -> int:
        if self.n == self._cap:
            self._cap *= 2
            for name, (dtype, fill) in self._spec.items():
                grown = np.full(self._cap, fill, dtype=dtype)
                grown[: self.n] = getattr(self, name)[: self.n]
                setattr(self, name, grown)
        i = self.n
        for name, value in values.items():
            getattr(self, name)[i] = value
        self.n += 1
        return i


_CUSTOMER_SPEC: dict[str, tuple[Any, Any]] = {
    "stage": (np.int64, LOST),
    "initial_stage": (np.int64, EXPLORATION),
    "wallet": (np.float64, 0.0),
    "size": (np.float64, 1.0),
    "ctype": (np.int64, 0),
    "industry": (np.int64, 0),
    "channel": (np.int64, 0),
    "grade": (np.int64, 1),
    "mean6": (np.float64, 3.0),
    "importance": (np.int64, 2),
    "cash_only": (np.bool_, False),
    "manager": (np.int64, -1),
    "fit": (np.float64, 0.0),
    "since_day": (np.float64, 0.0),
    "won_month": (np.int64, -1),
    "lost_month": (np.int64, -1),
    "satisfaction": (np.float64, 0.7),
    "handover_left": (np.float64, 0.0),
    "revenue": (np.float64, 0.0),
    "gross_profit": (np.float64, 0.0),
    "orders": (np.int64, 0),
    "complaints": (np.int64, 0),
    "praise": (np.int64, 0),
    "requests": (np.int64, 0),
    "months_active": (np.int64, 0),
    "defected": (np.bool_, False),
    # this month's service record (reset every month)
    "m_requests": (np.int64, 0),
    "m_on_time": (np.int64, 0),
    "m_complaints": (np.int64, 0),
    "m_praise": (np.int64, 0),
}

_MANAGER_SPEC: dict[str, tuple[Any, Any]] = {
    "tier": (np.int64, 2),
    "specialty": (np.int64, 1),
    "industry": (np.int64, 0),
    "skill": (np.float64, 0.7),
    "skill_start": (np.float64, 0.7),
    "cost": (np.float64, 0.0),
    "hired_month": (np.int64, 0),
    "ramp_from": (np.int64, -10_000),
    "left_month": (np.int64, -1),
    "active": (np.bool_, False),
    "star": (np.bool_, False),
    "load": (np.int64, 0),
    "open_leads": (np.int64, 0),
    "hunt_speed": (np.float64, 1.0),
    "farm_speed": (np.float64, 1.0),
    # desk time (days) booked this month and spilling into the next
    "busy_hunt": (np.float64, 0.0),
    "busy_farm": (np.float64, 0.0),
    "next_busy_hunt": (np.float64, 0.0),
    "next_busy_farm": (np.float64, 0.0),
    # KPIs over the run
    "customers_start": (np.int64, 0),
    "new_customers": (np.int64, 0),
    "customers_lost": (np.int64, 0),
    "lost_when_left": (np.int64, 0),
    "revenue": (np.float64, 0.0),
    "orders": (np.int64, 0),
    "customer_months": (np.int64, 0),
    "upgrades": (np.int64, 0),
    "downgrades": (np.int64, 0),
    "complaints": (np.int64, 0),
    "praise": (np.int64, 0),
    "requests": (np.int64, 0),
    "hours_worked": (np.float64, 0.0),
    "hours_available": (np.float64, 0.0),
    "total_cost": (np.float64, 0.0),
}


class _Task:
    """Drives a generator of SimPy events, as :class:`simpy.Process` does, for tasks nobody waits
    for (a lead in the funnel).

    A Process schedules an ``Initialize`` event to start and triggers itself as an event when it
    ends; a lead needs neither, and skipping both saves two of the five or so events of a typical
    lead. The generator is resumed with each yielded event's value once that event is processed,
    exactly as by a Process; an exception in the generator propagates and stops the run.
    """

    __slots__ = ("gen",)

    def __init__(self, gen: Generator) -> None:
        self.gen = gen

    def start(self) -> None:
        self._step(None)

    def resume(self, event: simpy.Event) -> None:
        self._step(event._value)

    def _step(self, value: Any) -> None:
        gen = self.gen
        while True:
            try:
                event = gen.send(value)
            except StopIteration:
                return
            if event.callbacks is not None:  # not processed yet: wait for it
                event.callbacks.append(self.resume)
                return
            value = event._value


class _Lead:
    """One prospect in the funnel (attributes pre-drawn when it arrives)."""

    __slots__ = (
        "id", "channel", "quality", "ctype", "industry", "wallet", "grade", "mean6",
        "importance", "spec", "manager", "fit_manager", "fit", "delays", "patience", "u_pass",
        "u_pick", "record", "cash_only",
    )  # fmt: skip


class Simulation:
    """One replication of a scenario. Use :func:`crmsim.sim.experiments.simulate` to run it.

    Parameters
    ----------
    scenario : Scenario
        What to simulate.
    seed : int or numpy.random.SeedSequence
        The replication's seed; every random number derives from it.
    record_events : bool
        Keep an event log (``result.events``); off by default to save time and memory.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int | np.random.SeedSequence,
        record_events: bool = False,
    ) -> None:
        self.sc = scenario
        self.streams = Streams(seed)
        self.record_events = record_events
        self.events: list[tuple] = []
        self.env = simpy.Environment()
        self.limited = scenario.capacity == "limited"
        self.month = 0
        self.rows: list[dict[str, Any]] = []
        self.lead_records: list[list[Any]] = []
        self.arrivals: list[tuple[float, int, Callable[[], None]]] = []  # this month's
        self.pending_hires: list[dict[str, Any]] = []
        self.hire_counter = 0
        self.stats: dict[str, Any] = {}
        self.team_version = 0  # bumped whenever a manager joins or leaves
        self.allocator_version = -1  # team_version the allocator's groups were built for
        self.allocator = Allocator(
            scenario.allocation.rule,
            tier=np.zeros(0, np.int64),
            specialty=np.zeros(0, np.int64),
            industry=np.zeros(0, np.int64),
        )
        self._setup_parameters()
        tables = scenario.book.resolve()
        self.book_note = tables.note
        self.start = pd.Timestamp(scenario.book.start_date)
        self._setup_managers(tables.managers)
        self._setup_customers(tables.customers)
        self.n_at_start = self.C.n
        self.n_ops = scenario.structure.operations_staff(self.n_book)
        self.ops = Desk(self.env, capacity=self.n_ops) if self.n_ops else None
        self._refresh_skills()

    # ------------------------------------------------------------------------------ set-up

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
        self.skill_effect = sc.funnel.skill_effect
        self.quality_effect = sc.funnel.quality_effect
        self.fit_bonus = sc.allocation.fit_bonus
        self.hunting_share = sc.incentives.effective_hunting_share()
        self.duration_factor = np.array([sc.funnel.duration_factor[t] for t in CUSTOMER_TYPES])
        self.request_rate = sc.lifecycle.stage_array(sc.service.request_rate)
        self.need = sc.lifecycle.stage_array(sc.service.maintenance_contacts)
        self.sow = sc.lifecycle.stage_array(sc.lifecycle.share_of_wallet)
        self.bad_debt = sc.credit.bad_debt_array()
        self.p_up, self.p_down = up_down_probabilities(sc.lifecycle)
        self.k_max = poisson_cap(float(self.request_rate.max()))
        self.hours_day = sc.team.hours_per_month / MONTH
        self.ops_speed = self.hours_day * sc.structure.operations_speed

    def _setup_managers(self, managers: pd.DataFrame) -> None:
        n = len(managers)
        self.M = _Table(_MANAGER_SPEC, n + 8)
        self.manager_ids: list[str] = []
        self.active_list: list[bool] = []  # python mirrors of M.active / M.hunt_speed (fast)
        self.hunt_speed_list: list[float] = []
        self.hunt_desks: list[Desk | None] = []
        self.farm_desks: list[Desk | None] = []
        raw = managers["skill"].to_numpy(dtype=float)
        self.team_mean = float(raw.mean()) if n else 0.7
        ramp_from = -10_000 if self.sc.team.trained_at_start else 0
        for r, row in enumerate(managers.itertuples(index=False)):
            self._add_manager(
                str(row.manager_id),
                tier=TIERS.index(row.tier),
                specialty=SPECIALTIES.index(row.specialty),
                industry=INDUSTRY_GROUPS.index(row.industry_focus),
                raw_skill=float(raw[r]),
                cost=float(row.monthly_cost),
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
        sc = self.sc
        spread = sc.structure.skill_spread
        skill = float(np.clip(self.team_mean + spread * (raw_skill - self.team_mean), 0.05, 1.0))
        share = sc.structure.time_share * (1.0 - sc.crm.time_cost * sc.crm.adoption)
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
            hunt_speed=self.hours_day * share * self.hunting_share,
            farm_speed=self.hours_day * share * (1.0 - self.hunting_share),
        )
        self.manager_ids.append(manager_id)
        self.active_list.append(True)
        self.hunt_speed_list.append(float(self.M.hunt_speed[i]))
        self.team_version += 1
        self.hunt_desks.append(Desk(self.env, capacity=1) if self.limited else None)
        self.farm_desks.append(Desk(self.env, capacity=1) if self.limited else None)
        return i

    def _setup_customers(self, customers: pd.DataFrame) -> None:
        sc = self.sc
        n = len(customers)
        self.n_book = n
        self.C = C = _Table(_CUSTOMER_SPEC, n + 64)
        self.customer_ids: list[str] = list(customers["customer_id"])
        C.n = n
        wallet = customers["annual_wallet"].to_numpy(dtype=float)
        median = float(np.median(wallet)) if n else 0.0
        self.wallet_median = median if median > 0 else 50_000.0
        key_share = sc.allocation.key_customer_share
        mid_share = min(1.0, key_share + sc.allocation.regular_share)
        self.key_cut = float(np.quantile(wallet, 1 - key_share)) if n and key_share else np.inf
        self.regular_cut = float(np.quantile(wallet, 1 - mid_share)) if n and mid_share else np.inf
        C.wallet[:n] = wallet
        C.size[:n] = self._size(wallet)
        C.ctype[:n] = customers["customer_type"].map(_TYPE_INDEX).to_numpy()
        C.industry[:n] = customers["industry_group"].map(INDUSTRY_GROUPS.index).to_numpy()
        C.channel[:n] = customers["channel"].map(CHANNEL_NAMES.index).to_numpy()
        C.mean6[:n] = customers[list(SIX_C)].to_numpy(dtype=float).mean(axis=1)
        C.grade[:n] = sc.credit.grade_codes(C.mean6[:n])
        C.importance[:n] = importance_class(wallet, self.key_cut, self.regular_cut)
        stage = customers["stage"].map(_STAGE_INDEX).to_numpy()
        C.stage[:n] = stage
        C.initial_stage[:n] = stage
        index = {mid: i for i, mid in enumerate(self.manager_ids)}
        C.manager[:n] = customers["manager_id"].map(index).to_numpy()
        first = pd.to_datetime(customers["first_purchase"])
        C.since_day[:n] = -(self.start - first).dt.days.to_numpy(dtype=float)
        C.satisfaction[:n] = sc.lifecycle.initial_satisfaction
        C.fit[:n] = self._fit_array(np.arange(n), C.manager[:n])
        counts = np.bincount(C.manager[:n], minlength=self.M.n)[: self.M.n]
        self.M.load[: self.M.n] = counts
        self.M.customers_start[: self.M.n] = counts

    def _size(self, wallet: np.ndarray | float) -> np.ndarray:
        ratio = np.maximum(np.asarray(wallet, dtype=float), 1.0) / self.wallet_median
        return ratio**self.sc.lifecycle.size_elasticity

    def _fit_array(self, customers: np.ndarray, managers: np.ndarray) -> np.ndarray:
        """Fit bonus per (customer, manager) pair: tier, industry and specialty matches."""
        C, M = self.C, self.M
        m = np.maximum(managers, 0)
        spec = wanted_specialty(
            C.importance[customers] == 0, C.grade[customers], _SOLUTION[C.ctype[customers]]
        )
        matches = (
            (M.tier[m] == C.importance[customers]).astype(int)
            + (M.industry[m] == C.industry[customers])
            + (M.specialty[m] == spec)
        )
        return np.where(managers >= 0, self.sc.allocation.fit_bonus * matches, 0.0)

    def _refresh_skills(self) -> None:
        """Cache every manager's skill after ramp-up for the current month."""
        M = self.M
        n = M.n
        ramp = self.sc.structure.ramp_up_months
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

    # ------------------------------------------------------------------------------ helpers

    def _log(self, event: str, customer: int = -1, manager: int = -1, lead: int = -1,
             detail: str = "") -> None:  # fmt: skip
        if self.record_events:
            self.events.append(
                (
                    self.env.now,
                    self.month + 1,
                    event,
                    self.customer_ids[customer] if customer >= 0 else "",
                    self.manager_ids[manager] if manager >= 0 else "",
                    f"L{lead + 1:06d}" if lead >= 0 else "",
                    detail,
                )
            )

    def _add_busy(self, farm: bool, m: int, start: float, duration: float) -> None:
        """Book *duration* days of desk time of manager *m* (-1: the operations pool, whose time
        is not reported, so nothing is booked)."""
        if m < 0:
            return
        end = (self.month + 1) * MONTH
        now_part = duration if start + duration <= end else max(0.0, end - start)
        later = duration - now_part
        M = self.M
        if farm:
            M.busy_farm[m] += now_part
            M.next_busy_farm[m] += later
        else:
            M.busy_hunt[m] += now_part
            M.next_busy_hunt[m] += later

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
        M = self.M
        n = M.n
        if self.allocator_version != self.team_version:
            self.allocator.refresh(
                M.active[:n], tier=M.tier[:n], specialty=M.specialty[:n], industry=M.industry[:n]
            )
            self.allocator_version = self.team_version
        return self.allocator.choose(
            load=M.open_leads[:n] if for_lead else M.load[:n],
            want_tier=importance,
            want_specialty=spec,
            want_industry=industry,
            preferred=preferred,
            network=network,
            u=u,
        )

    def _arrive_at(self, t: float, arrive: Callable[[], None]) -> None:
        """Call *arrive* at absolute time *t* of this month (see :meth:`_dispatch`)."""
        self.arrivals.append((t, len(self.arrivals), arrive))

    def _dispatch(self, arrivals: list[tuple[float, int, Callable[[], None]]]) -> Generator:
        """One process per month releases the month's arrivals (leads and service requests) in
        time order. Scheduling each arrival as its own event at month start would work the same
        but keeps thousands of pending events in SimPy's heap, which slows every event of a big
        book by about a third."""
        env = self.env
        for t, _, arrive in arrivals:
            if t > env.now:
                yield env.timeout(t - env.now)
            arrive()

    # ------------------------------------------------------------------------------ the run

    def run(self) -> SimulationResult:
        """Run the replication and return its tables."""
        t0 = time.perf_counter()
        self.env.process(self._clock())
        self.env.run(until=self.sc.months * MONTH + 1e-9)
        return self._result(time.perf_counter() - t0)

    def _clock(self) -> Generator:
        for month in range(self.sc.months):
            self.month = month
            self._month_start(month)
            yield self.env.timeout(MONTH)
            self._month_end(month)

    # ------------------------------------------------------------------ month start: turnover

    def _month_start(self, month: int) -> None:
        M, C = self.M, self.C
        self.stats = dict.fromkeys(
            ("leads", "lead_cost", "defections", "hiring_cost", "wait_sum", "response_sum",
             "requests", "on_time", "new_customers"),
            0,
        )  # fmt: skip
        n = M.n
        M.busy_hunt[:n] = M.next_busy_hunt[:n]
        M.busy_farm[:n] = M.next_busy_farm[:n]
        M.next_busy_hunt[:n] = 0.0
        M.next_busy_farm[:n] = 0.0
        for col in (C.m_requests, C.m_on_time, C.m_complaints, C.m_praise):
            col[: C.n] = 0
        self._turnover(month)
        self._refresh_skills()
        self.n_at_start = C.n
        self.arrivals = []
        self._schedule_service(month)
        self._schedule_leads(month)
        if self.arrivals:
            self.arrivals.sort()
            self.env.process(self._dispatch(self.arrivals))

    def _hire_due(self, month: int) -> None:
        sc = self.sc
        for hire in [h for h in self.pending_hires if h["month"] == month]:
            i = self._add_manager(
                hire["id"],
                tier=TIERS.index("junior"),
                specialty=hire["specialty"],
                industry=hire["industry"],
                raw_skill=hire["skill"],
                cost=sc.team.hire_monthly_cost,
                hired_month=month + 1,
                ramp_from=month,
            )
            self.stats["hiring_cost"] += sc.turnover.hiring_cost
            self._log("manager_hired", manager=i)
        self.pending_hires = [h for h in self.pending_hires if h["month"] != month]

    def _turnover(self, month: int) -> None:
        sc, M = self.sc, self.M
        self._hire_due(month)
        n = M.n
        u = self.streams.generator("turnover", month, 0).random(n)
        leavers = [int(i) for i in np.flatnonzero(M.active[:n] & (u < sc.turnover.monthly_hazard))]
        star = -1
        if sc.turnover.star_leaves_month == month + 1:
            act = np.flatnonzero(M.active[:n])
            if len(act):
                star = int(act[np.lexsort((-M.load[act], -M.skill[act]))[0]])
                if star not in leavers:
                    leavers.append(star)
        if leavers:
            leavers.sort()
            u_def = self.streams.generator("turnover", month, 1).random(self.C.n)
            u_hire = self.streams.generator("turnover", month, 2).random(len(leavers))
            low, high = sc.team.hire_skill_low, sc.team.hire_skill_high
            for k, m in enumerate(leavers):
                self._leave(m, month, star=(m == star), u_def=u_def)
                self.hire_counter += 1
                self.pending_hires.append(
                    {
                        "month": month + sc.turnover.vacancy_months,
                        "id": f"H{self.hire_counter:03d}",
                        "specialty": int(M.specialty[m]),
                        "industry": int(M.industry[m]),
                        "skill": low + (high - low) * float(u_hire[k]),
                    }
                )
            self._hire_due(month)  # replacements with no vacancy join at once
        self._reassign_orphans()

    def _leave(self, m: int, month: int, *, star: bool, u_def: np.ndarray) -> None:
        sc, M, C = self.sc, self.M, self.C
        M.active[m] = False
        self.active_list[m] = False
        self.team_version += 1
        M.left_month[m] = month + 1
        M.star[m] = star
        self._log("manager_left", manager=m, detail="star" if star else "")
        mine = np.flatnonzero((C.manager[: C.n] == m) & (C.stage[: C.n] != LOST))
        if not len(mine):
            return
        years = np.maximum((self.env.now - C.since_day[mine]) / 365.25, 0.0)
        p = defection_probability(
            sc.turnover,
            star=star,
            adoption=sc.crm.adoption,
            retention_effect=sc.crm.retention_effect,
            structure_factor=sc.structure.defection_factor,
            stage=C.stage[mine],
            years_with_manager=years,
        )
        gone = mine[u_def[mine] < p]
        C.stage[gone] = LOST
        C.lost_month[gone] = month + 1
        C.defected[gone] = True
        M.load[m] -= len(gone)
        M.lost_when_left[m] += len(gone)
        M.customers_lost[m] += len(gone)
        self.stats["defections"] += len(gone)
        for c in gone:
            self._log("defection", customer=int(c), manager=m)

    def _reassign_orphans(self) -> None:
        """Give every active customer whose manager has gone to a new one (with a handover)."""
        C, M = self.C, self.M
        n = C.n
        mgr = C.manager[:n]
        alive = C.stage[:n] != LOST
        orphan = alive & ((mgr < 0) | ~M.active[np.maximum(mgr, 0)])
        if not orphan.any() or not M.active[: M.n].any():
            return
        relationship = self.sc.allocation.rule == "by_relationship"
        handover = self.sc.crm.handover()
        orphans = np.flatnonzero(orphan)
        specs = wanted_specialty(
            C.importance[orphans] == 0, C.grade[orphans], _SOLUTION[C.ctype[orphans]]
        )
        for c, spec in zip(orphans.tolist(), specs.tolist(), strict=True):
            network = None
            if relationship:
                same = alive & (C.industry[:n] == C.industry[c]) & (mgr >= 0)
                network = np.bincount(mgr[same], minlength=M.n)[: M.n]
            m = self._allocate(
                importance=int(C.importance[c]),
                industry=int(C.industry[c]),
                spec=spec,
                for_lead=False,
                network=network,
            )
            old = int(C.manager[c])
            if old >= 0:
                M.load[old] -= 1
            C.manager[c] = m
            M.load[m] += 1
            C.fit[c] = float(self._fit_array(np.array([c]), np.array([m]))[0])
            C.since_day[c] = self.env.now
            C.handover_left[c] = handover
            self._log("reassigned", customer=int(c), manager=m)

    # ------------------------------------------------------------ month start: service requests

    def _schedule_service(self, month: int) -> None:
        C = self.C
        n = C.n
        active = np.flatnonzero(C.stage[:n] != LOST)
        if not len(active):
            return
        k = self.k_max
        u = self.streams.generator("service", month).random((n, 1 + 4 * k))[active]
        counts = poisson_from_uniform(u[:, 0], self.request_rate[C.stage[active]], cap=k)
        rows, js = np.nonzero(np.arange(k)[None, :] < counts[:, None])
        if not len(rows):
            return
        cust = active[rows].tolist()
        times = (month * MONTH + u[rows, 1 + 4 * js] * MONTH).tolist()
        hours = exponential_from_uniform(u[rows, 2 + 4 * js], self.sc.service.request_hours)
        coord = exponential_from_uniform(
            u[rows, 3 + 4 * js], self.sc.structure.coordination_delay_days
        )
        u_cp = u[rows, 4 + 4 * js].tolist()
        hours, coord = hours.tolist(), coord.tolist()
        if not self.limited:
            for args in sorted(zip(times, cust, hours, coord, u_cp, strict=True)):
                self._serve_unlimited(*args)
            return
        arrive = self._arrive_request
        for t, c, h, d, uc in zip(times, cust, hours, coord, u_cp, strict=True):
            self._arrive_at(t, partial(arrive, c, t, h, d, uc))

    # A service request is a short chain of SimPy events rather than a process (it has no
    # story of its own to tell, and this keeps big books fast): it arrives, queues at its
    # server's desk, is worked on, and is resolved after any coordination delay.

    def _arrive_request(self, c: int, t0: float, hours: float, coord: float, u_cp: float) -> None:
        """A service request arrives and queues at its server's desk."""
        if self.ops is not None:
            desk, server = self.ops, -1
        else:
            server = int(self.C.manager[c])
            desk = self.farm_desks[server]
        token, wait = desk.seize()
        if wait is None:
            self._start_request(c, t0, hours, coord, u_cp, desk, token, server)
        else:
            wait.callbacks.append(
                lambda _e: self._start_request(c, t0, hours, coord, u_cp, desk, token, server)
            )

    def _start_request(
        self, c: int, t0: float, hours: float, coord: float, u_cp: float, desk: Desk,
        token: object, server: int,
    ) -> None:  # fmt: skip
        """The server takes the request up (or passes it on if he left meanwhile)."""
        env, C, M = self.env, self.C, self.M
        if server >= 0 and not M.active[server]:
            desk.free(token)
            # pass it to his successor; drop it if the customer has gone or has no one yet
            if C.stage[c] != LOST and int(C.manager[c]) != server:
                self._arrive_request(c, t0, hours, coord, u_cp)
            return
        if server < 0:
            speed, skill = self.ops_speed, self.sc.structure.operations_skill
        else:
            speed, skill = M.farm_speed[server], self.eff_list[server] + C.fit[c]
        wait = env.now - t0
        work = hours / speed
        self._add_busy(True, server, env.now, work)

        def done(_e: Any) -> None:
            desk.free(token)
            self._record_request(c, server, wait, wait + work + coord, skill, u_cp)

        env.timeout(work).callbacks.append(done)

    def _serve_unlimited(self, t0: float, c: int, hours: float, coord: float, u_cp: float) -> None:
        """A service request with unlimited capacity: served on arrival, no queue."""
        C, M = self.C, self.M
        if self.n_ops == 0:
            server = int(C.manager[c])
            speed = M.farm_speed[server]
            skill = self.eff_list[server] + C.fit[c]
        else:
            server, speed, skill = -1, self.ops_speed, self.sc.structure.operations_skill
        work = hours / speed
        self._add_busy(True, server, t0, work)
        self._record_request(c, server, 0.0, work + coord, skill, u_cp)

    def _record_request(
        self, c: int, server: int, wait: float, response: float, skill: float, u_cp: float
    ) -> None:
        sv, C, M, st = self.sc.service, self.C, self.M, self.stats
        st["requests"] += 1
        st["wait_sum"] += wait
        st["response_sum"] += response
        C.m_requests[c] += 1
        C.requests[c] += 1
        m = int(C.manager[c])
        if m >= 0:
            M.requests[m] += 1
        if response <= sv.response_target_days:
            st["on_time"] += 1
            C.m_on_time[c] += 1
            if u_cp < sv.praise_probability * min(skill, 1.0):
                C.m_praise[c] += 1
                self._log("praise", customer=c, manager=server)
        elif u_cp < sv.late_complaint_probability:
            C.m_complaints[c] += 1
            self._log("complaint", customer=c, manager=server, detail="late service")

    # ------------------------------------------------------------------- month start: leads

    def _schedule_leads(self, month: int) -> None:
        sc, C = self.sc, self.C
        n = C.n
        stable = np.flatnonzero(C.stage[:n] == STABILITY)
        blocks = []
        for ch_index, name in enumerate(CHANNEL_NAMES):
            ch = sc.channel(name)
            rate = ch.leads_per_month + ch.leads_per_stable_customer * len(stable)
            if rate <= 0:
                continue
            g = self.streams.generator("arrivals", ch_index, month)
            count = poisson_quantile(g.random(), rate)
            if count:
                ua = g.random((count, ARRIVAL_COLUMNS))
                uf = self.streams.generator("funnel", ch_index, month).random(
                    (count, FUNNEL_COLUMNS)
                )
                blocks.append((ch_index, ua, uf))
        if not blocks:
            return
        channel = np.concatenate([np.full(len(b[1]), b[0]) for b in blocks])
        ua = np.concatenate([b[1] for b in blocks])
        uf = np.concatenate([b[2] for b in blocks])
        order = np.argsort(ua[:, 0], kind="stable")
        channel, ua, uf = channel[order], ua[order], uf[order]
        count = len(channel)
        self.stats["leads"] = count
        cost = np.array([c.cost_per_lead for c in sc.channels])
        self.stats["lead_cost"] = float(cost[channel].sum())
        # profiles: a referral copies a stable customer (the referrer), others a book customer
        quality_mean = np.array([c.quality for c in sc.channels])[channel]
        spread = np.array([c.quality_spread for c in sc.channels])[channel]
        quality = np.clip(quality_mean + spread * (ua[:, 1] - 0.5), 0.01, 0.99)
        referral = (channel == _REFERRAL) & (len(stable) > 0)
        pool_size = np.where(referral, len(stable), self.n_book)
        pick = np.minimum((ua[:, 2] * pool_size).astype(np.int64), np.maximum(pool_size - 1, 0))
        template = np.where(referral, stable[np.minimum(pick, max(len(stable) - 1, 0))]
                            if len(stable) else -1, pick)  # fmt: skip
        if self.n_book == 0:
            template = np.where(referral, template, -1)
        has = template >= 0
        tpl = np.maximum(template, 0)
        wallet = np.where(has, C.wallet[tpl], self.wallet_median)
        wallet = wallet * np.exp(sc.funnel.wallet_spread * normal_from_uniform(ua[:, 3]))
        ctype = np.where(has, C.ctype[tpl], _TYPE_INDEX["small_business"])
        industry = np.where(has, C.industry[tpl], 0)
        mean6 = np.where(has, C.mean6[tpl], 3.0)
        grade = sc.credit.grade_codes(mean6)
        importance = importance_class(wallet, self.key_cut, self.regular_cut)
        spec = wanted_specialty(importance == 0, grade, _SOLUTION[ctype])
        referrer_manager = np.where(referral & has, C.manager[tpl], -1)
        # step luck: durations (with the customer type's factor), patience, pass uniforms
        idx = np.arange(_N_STEPS)
        days = self.step_days[None, :] * self.duration_factor[ctype][:, None]
        delays = exponential_from_uniform(uf[:, 3 * idx + 1], days)
        delays[:, self.agreement] += exponential_from_uniform(
            uf[:, 3 * _N_STEPS], sc.structure.coordination_delay_days
        )
        patience = exponential_from_uniform(uf[:, 3 * idx + 2], sc.funnel.patience_days)
        u_pass = uf[:, 3 * idx]
        times = (month * MONTH + ua[:, 0] * MONTH).tolist()
        cols = (
            channel.tolist(), quality.tolist(), ctype.tolist(), industry.tolist(),
            wallet.tolist(), grade.tolist(), mean6.tolist(), importance.tolist(), spec.tolist(),
            referrer_manager.tolist(), ua[:, 4].tolist(), uf[:, -1].tolist(),
            delays.tolist(), patience.tolist(), u_pass.tolist(),
        )  # fmt: skip
        M = self.M
        for j, (ch, q, ct, ind, w, gr, m6, imp, sp, pref, u_m, u_pick, dl, pa, up) in enumerate(
            zip(*cols, strict=True)
        ):
            lead = _Lead()
            lead.id = len(self.lead_records)
            lead.channel, lead.quality, lead.ctype, lead.industry = ch, q, ct, ind
            lead.wallet, lead.grade, lead.mean6 = w, gr, m6
            lead.importance, lead.spec = imp, sp
            lead.delays, lead.patience, lead.u_pass, lead.u_pick = dl, pa, up, u_pick
            lead.cash_only = False
            lead.fit_manager = -1
            lead.fit = 0.0
            m = self._allocate(
                importance=imp, industry=ind, spec=sp, for_lead=True, preferred=pref, u=u_m
            )
            lead.manager = m
            if m >= 0:
                M.open_leads[m] += 1
            lead.record = [
                lead.id, ch, month + 1, times[j], q, ct, ind, w, gr, m, "open", STEP_NAMES[0], 0,
                np.nan, -1,
            ]  # fmt: skip
            self.lead_records.append(lead.record)
            self._arrive_at(times[j], _Task(self._lead(lead)).start)

    def _lead_manager(self, lead: _Lead) -> int:
        """The lead's manager, reallocating the lead if he has left."""
        M = self.M
        m = lead.manager
        if m >= 0 and M.active[m]:
            return m
        if m >= 0:
            M.open_leads[m] -= 1
        m = self._allocate(
            importance=lead.importance,
            industry=lead.industry,
            spec=lead.spec,
            for_lead=True,
            u=lead.u_pick,
        )
        lead.manager = m
        lead.record[9] = m
        if m >= 0:
            M.open_leads[m] += 1
        return m

    def _end_lead(self, lead: _Lead, outcome: str, step: int) -> None:
        rec = lead.record
        rec[10] = outcome
        rec[11] = STEP_NAMES[step]
        rec[12] = _N_STEPS if outcome == "won" else step
        rec[13] = self.env.now
        if lead.manager >= 0:
            self.M.open_leads[lead.manager] -= 1
        self._log(f"lead_{outcome}", manager=lead.manager, lead=lead.id, detail=rec[11])

    def _pass_probability(self, lead: _Lead, k: int, m: int) -> float:
        """Chance that manager *m* takes *lead* through step *k* (see funnel.pass_probability)."""
        base = self.step_base[k]
        if self.fixed_probabilities or base <= 0.0 or base >= 1.0:
            return base
        if lead.fit_manager != m:
            M = self.M
            # each match adds the bonus, as in _fit_array (numpy bools would add as "or")
            matches = (
                int(M.tier[m] == lead.importance)
                + int(M.industry[m] == lead.industry)
                + int(M.specialty[m] == lead.spec)
            )
            lead.fit = self.fit_bonus * matches
            lead.fit_manager = m
        x = (
            self.step_logit[k]
            + self.skill_effect * (self.eff_list[m] + lead.fit - 0.7)
            + self.quality_effect * (lead.quality - 0.5)
            + self.step_push[k]
        )
        return 1.0 / (1.0 + math.exp(-x))

    def _lead(self, lead: _Lead) -> Generator:
        """A lead walking the nine development steps (process).

        At each step the lead queues for its manager's hunting desk; if it waited longer than
        its patience it has gone cold; otherwise the manager works the step (the desk is freed
        when the work is done), the prospect takes its time to respond, and the step is passed
        or the lead is lost.
        """
        env, active, limited = self.env, self.active_list, self.limited
        patience_on = self.sc.funnel.patience_days > 0
        self._log("lead_arrived", manager=lead.manager, lead=lead.id)
        rec = lead.record
        m = lead.manager
        for k in range(_N_STEPS):
            rec[12] = k  # the step the lead is in, if the run ends now
            if m < 0 or not active[m]:
                m = self._lead_manager(lead)
                if m < 0:  # nobody left to work it
                    self._end_lead(lead, "lost", k)
                    return
            if limited:
                while True:
                    desk = self.hunt_desks[m]
                    t_req = env.now
                    token, wait = desk.seize()
                    if wait is not None:
                        yield wait
                    if active[m]:
                        break
                    desk.free(token)  # the manager left while the lead waited
                    m = self._lead_manager(lead)
                    if m < 0:
                        self._end_lead(lead, "lost", k)
                        return
                if patience_on and env.now - t_req > lead.patience[k]:
                    desk.free(token)
                    self._end_lead(lead, "cold", k)
                    return
                work = self.step_work[k] / self.hunt_speed_list[m]
                if work > 0:
                    self._add_busy(False, m, env.now, work)
                    env.timeout(work).callbacks.append(lambda _e, d=desk, t=token: d.free(t))
                else:
                    desk.free(token)
            else:
                work = self.step_work[k] / self.hunt_speed_list[m]
                self._add_busy(False, m, env.now, work)
            if work + lead.delays[k] > 0:
                yield env.timeout(work + lead.delays[k])
            if not active[m]:
                m = self._lead_manager(lead)
                if m < 0:
                    self._end_lead(lead, "lost", k)
                    return
            p = self._pass_probability(lead, k, m)
            if k == self.agreement and lead.grade == 3:
                policy = self.sc.credit.grade_d_policy
                if policy == "decline":
                    self._end_lead(lead, "declined_credit", k)
                    return
                if policy == "cash_only":
                    p *= self.sc.credit.cash_only_acceptance
                    lead.cash_only = True
            if lead.u_pass[k] >= p:
                self._end_lead(lead, "lost", k)
                return
        self._win(lead)

    def _win(self, lead: _Lead) -> None:
        sc, C, M = self.sc, self.C, self.M
        m = lead.manager
        self._end_lead(lead, "won", _N_STEPS - 1)
        start_satisfaction = sc.lifecycle.initial_satisfaction
        start_satisfaction -= sc.incentives.start_satisfaction_penalty()
        c = C.append(
            stage=EXPLORATION,
            initial_stage=EXPLORATION,
            wallet=lead.wallet,
            size=float(self._size(lead.wallet)),
            ctype=lead.ctype,
            industry=lead.industry,
            channel=lead.channel,
            grade=lead.grade,
            mean6=lead.mean6,
            importance=lead.importance,
            cash_only=lead.cash_only,
            manager=m,
            since_day=self.env.now,
            won_month=self.month + 1,
            satisfaction=max(0.0, start_satisfaction),
        )
        self.customer_ids.append(f"N{c - self.n_book + 1:05d}")
        lead.record[14] = c
        M.load[m] += 1
        M.new_customers[m] += 1
        C.fit[c] = float(self._fit_array(np.array([c]), np.array([m]))[0])
        self.stats["new_customers"] += 1
        self._log("customer_won", customer=c, manager=m, lead=lead.id)

    # ------------------------------------------------------------------------------ month end

    def _month_end(self, month: int) -> None:
        sc, C, M = self.sc, self.C, self.M
        lc = sc.lifecycle
        n, nm = self.n_at_start, M.n
        idx = np.flatnonzero(C.stage[:n] != LOST)
        u = self.streams.generator("lifecycle", month).random((n, 3))[idx]
        st = C.stage[idx]
        mgr = C.manager[idx]
        valid = mgr >= 0
        mgr0 = np.maximum(mgr, 0)
        mv = mgr[valid]

        def per_manager(weights: np.ndarray | None = None) -> np.ndarray:
            """Sum of *weights* (or count) over each manager's customers."""
            w = None if weights is None else weights[valid]
            return np.bincount(mv, weights=w, minlength=nm)[:nm]

        customers_per_manager = per_manager()
        # purchases
        orders, expected = monthly_orders(lc, st, C.size[idx], u[:, 1])
        sow = np.minimum(self.sow[st] * sc.structure.cross_sell_uplift, 1.0)
        sow = np.where(C.cash_only[idx], sow * sc.credit.cash_only_wallet_factor, sow)
        ratio = np.divide(orders, expected, out=np.zeros(len(idx)), where=expected > 0)
        revenue = C.wallet[idx] / 12.0 * sow * ratio
        bad_debt = np.where(C.cash_only[idx], 0.0, revenue * self.bad_debt[C.grade[idx]])
        gross = revenue * lc.gross_margin - bad_debt
        C.revenue[idx] += revenue
        C.gross_profit[idx] += gross
        C.orders[idx] += orders
        C.months_active[idx] += 1
        M.revenue[:nm] += per_manager(revenue)
        M.orders[:nm] += per_manager(orders).astype(np.int64)
        M.customer_months[:nm] += customers_per_manager
        # complaints about product or delivery, whatever the service
        C.m_complaints[idx[u[:, 2] < sc.service.background_complaint_rate]] += 1
        # maintenance contacts: farming time left after service requests, spread by need
        key = C.importance[idx] == 0
        need = self.need[st] * np.where(key, sc.service.key_contact_factor, 1.0)
        need_hours = per_manager(need * sc.service.maintenance_hours)
        act = M.active[:nm]
        farm_cap = np.where(act, M.farm_speed[:nm] * MONTH, 0.0)
        hunt_cap = np.where(act, M.hunt_speed[:nm] * MONTH, 0.0)
        farm_busy = M.busy_farm[:nm] * M.farm_speed[:nm]
        if self.limited:
            farm_free = np.maximum(farm_cap - farm_busy, 0.0)
            maint_used = np.minimum(farm_free, need_hours)
            cov_m = np.divide(maint_used, need_hours, out=np.ones(nm), where=need_hours > 0)
        else:
            maint_used = np.where(act, need_hours, 0.0)
            cov_m = np.ones(nm)
        coverage = np.where(valid & act[mgr0], cov_m[mgr0], 0.0)
        coverage *= 1.0 - np.minimum(C.handover_left[idx], 1.0)
        C.handover_left[idx] = np.maximum(C.handover_left[idx] - 1.0, 0.0)
        # satisfaction
        skill = np.where(valid, self.eff_skill[mgr0] + C.fit[idx], 0.3)
        if self.n_ops:
            skill = 0.5 * skill + 0.5 * sc.structure.operations_skill
        req = C.m_requests[idx]
        on_time = np.divide(C.m_on_time[idx], req, out=np.ones(len(idx)), where=req > 0)
        complaints = C.m_complaints[idx]
        praise = C.m_praise[idx]
        target = satisfaction_target(
            lc, coverage, np.minimum(skill, 1.0), on_time, complaints, praise
        )
        sat = lc.satisfaction_memory * C.satisfaction[idx] + (1 - lc.satisfaction_memory) * target
        C.satisfaction[idx] = sat
        C.complaints[idx] += complaints
        C.praise[idx] += praise
        M.complaints[:nm] += per_manager(complaints).astype(np.int64)
        M.praise[:nm] += per_manager(praise).astype(np.int64)
        # lifecycle transitions
        mu, md = service_multipliers(lc, sat)
        new = move_stages(st, u[:, 0], self.p_up[st] * mu, self.p_down[st] * md)
        up = (new != st) & (new == UP_TARGET[st])
        down = (new == DECLINE) & (st != DECLINE)
        lost = new == LOST
        C.stage[idx] = new
        M.upgrades[:nm] += np.bincount(mgr[valid & up], minlength=nm)[:nm]
        M.downgrades[:nm] += np.bincount(mgr[valid & down], minlength=nm)[:nm]
        C.lost_month[idx[lost]] = month + 1
        lost_count = np.bincount(mgr[lost & valid], minlength=nm)[:nm]
        M.customers_lost[:nm] += lost_count
        M.load[:nm] -= lost_count
        if self.record_events:
            for c in idx[up | down | lost]:
                self._log("stage_change", customer=int(c), manager=int(C.manager[c]),
                          detail=STATES[int(C.stage[c])])  # fmt: skip
        # manager time, pay and skills
        hunt_used = np.where(act, M.busy_hunt[:nm] * M.hunt_speed[:nm], 0.0)
        farm_used = np.where(act, farm_busy, 0.0) + maint_used
        worked = hunt_used + farm_used
        M.hours_worked[:nm] += worked
        M.hours_available[:nm] += farm_cap + hunt_cap
        pay = M.cost[:nm] * sc.structure.cost_share
        if sc.incentives.scheme == "deferred":
            count = customers_per_manager
            mean_sat = np.divide(
                per_manager(sat), count, out=np.full(nm, lc.satisfaction_reference),
                where=count > 0,
            )
            d = sc.incentives.deferred_share
            pay = pay * ((1 - d) + d * np.clip(mean_sat / lc.satisfaction_reference, 0.0, 1.5))
        pay = np.where(act, pay, 0.0)
        M.total_cost[:nm] += pay
        self._diffuse_skills()
        # the month's row
        self.rows.append(
            self._monthly_row(
                month, revenue, gross, bad_debt, pay, act, orders, complaints, praise, up, down,
                lost, maint_used, need_hours, worked, hunt_used, farm_used, farm_cap, hunt_cap,
            )
        )  # fmt: skip

    def _monthly_row(
        self, month, revenue, gross, bad_debt, pay, act, orders, complaints, praise, up, down,
        lost, maint_used, need_hours, worked, hunt_used, farm_used, farm_cap, hunt_cap,
    ) -> dict[str, Any]:  # fmt: skip
        sc, C, st = self.sc, self.C, self.stats
        stage_now = C.stage[: C.n]
        counts = np.bincount(stage_now, minlength=5)
        alive = stage_now != LOST
        ops_cost = self.n_ops * sc.structure.operations_monthly_cost
        crm_cost = sc.crm.cost_per_manager * sc.crm.adoption * int(act.sum())
        gross_t, pay_t = float(gross.sum()), float(pay.sum())
        costs = pay_t + ops_cost + sc.structure.monthly_overhead + st["lead_cost"] + crm_cost
        costs += st["hiring_cost"]
        requests = st["requests"]
        available = float(farm_cap.sum() + hunt_cap.sum())
        need_total = float(need_hours.sum())
        return {
            "month": month + 1,
            "date": self.start + pd.DateOffset(months=month),
            "revenue": float(revenue.sum()),
            "gross_profit": gross_t,
            "bad_debt": float(bad_debt.sum()),
            "manager_cost": pay_t,
            "operations_cost": float(ops_cost),
            "overhead": float(sc.structure.monthly_overhead),
            "lead_cost": float(st["lead_cost"]),
            "crm_cost": float(crm_cost),
            "hiring_cost": float(st["hiring_cost"]),
            "net_contribution": gross_t - costs,
            "customers_exploration": int(counts[0]),
            "customers_formation": int(counts[1]),
            "customers_stability": int(counts[2]),
            "customers_decline": int(counts[3]),
            "active_customers": int(alive.sum()),
            "new_customers": int(st["new_customers"]),
            "lost_customers": int(lost.sum()) + int(st["defections"]),
            "defections": int(st["defections"]),
            "upgrades": int(up.sum()),
            "downgrades": int(down.sum()),
            "orders": int(orders.sum()),
            "complaints": int(complaints.sum()),
            "praise": int(praise.sum()),
            "mean_satisfaction": float(C.satisfaction[: C.n][alive].mean())
            if alive.any()
            else np.nan,
            "leads": int(st["leads"]),
            "service_requests": int(requests),
            "service_level": st["on_time"] / requests if requests else np.nan,
            "mean_response_days": st["response_sum"] / requests if requests else np.nan,
            "mean_wait_days": st["wait_sum"] / requests if requests else np.nan,
            "maintenance_coverage": float(maint_used.sum()) / need_total if need_total else 1.0,
            "managers_active": int(act.sum()),
            "manager_utilisation": float(worked.sum()) / available if available else np.nan,
            "hunting_utilisation": float(hunt_used.sum() / hunt_cap.sum())
            if hunt_cap.sum()
            else np.nan,
            "farming_utilisation": float(farm_used.sum() / farm_cap.sum())
            if farm_cap.sum()
            else np.nan,
        }

    def _diffuse_skills(self) -> None:
        """Close part of each manager's gap to the top fifth (CRM templates, knowledge sharing)."""
        sc, M = self.sc, self.M
        rate = sc.crm.diffusion_rate * sc.crm.adoption + sc.structure.knowledge_sharing
        act = np.flatnonzero(M.active[: M.n])
        if rate <= 0 or not len(act):
            return
        skills = M.skill[act]
        k = max(1, math.ceil(0.2 * len(act)))
        top = float(np.sort(skills)[-k:].mean())
        M.skill[act] = skills + rate * np.maximum(top - skills, 0.0)

    # ------------------------------------------------------------------------------ tables

    def _result(self, runtime: float) -> SimulationResult:
        sc, M = self.sc, self.M
        nm = M.n
        left = M.left_month[:nm].astype(float)
        total_revenue = float(M.revenue[:nm].sum())
        cm = M.customer_months[:nm]
        managers = pd.DataFrame(
            {
                "manager_id": self.manager_ids,
                "tier": np.array(TIERS)[M.tier[:nm]],
                "specialty": np.array(SPECIALTIES)[M.specialty[:nm]],
                "industry_focus": np.array(INDUSTRY_GROUPS)[M.industry[:nm]],
                "hired_month": M.hired_month[:nm].copy(),
                "left_month": np.where(left > 0, left, np.nan),
                "star": M.star[:nm].copy(),
                "skill_start": M.skill_start[:nm].copy(),
                "skill_end": M.skill[:nm].copy(),
                "customers_start": M.customers_start[:nm].copy(),
                "customers_end": np.where(M.active[:nm], M.load[:nm], 0),
                "new_customers": M.new_customers[:nm].copy(),
                "customers_lost": M.customers_lost[:nm].copy(),
                "customers_lost_when_left": M.lost_when_left[:nm].copy(),
                "revenue": M.revenue[:nm].copy(),
                "share_of_sales": M.revenue[:nm] / total_revenue if total_revenue else np.zeros(nm),
                "orders": M.orders[:nm].copy(),
                "purchase_frequency": np.divide(
                    M.orders[:nm], cm, out=np.full(nm, np.nan), where=cm > 0
                ),
                "upgrades": M.upgrades[:nm].copy(),
                "downgrades": M.downgrades[:nm].copy(),
                "complaints": M.complaints[:nm].copy(),
                "praise": M.praise[:nm].copy(),
                "service_requests": M.requests[:nm].copy(),
                "utilisation": np.divide(
                    M.hours_worked[:nm],
                    M.hours_available[:nm],
                    out=np.full(nm, np.nan),
                    where=M.hours_available[:nm] > 0,
                ),
                "cost": M.total_cost[:nm].copy(),
            }
        )
        leads = self._leads_table()
        events = pd.DataFrame(
            self.events,
            columns=["day", "month", "event", "customer_id", "manager_id", "lead_id", "detail"],
        )
        meta = {
            "crmsim_version": __version__,
            "scenario_name": sc.name,
            "scenario_hash": sc.hash(),
            "seed_entropy": self.streams.root.entropy,
            "seed_spawn_key": tuple(self.streams.root.spawn_key),
            "months": sc.months,
            "book_note": self.book_note,
            "n_customers_start": self.n_book,
            "n_managers_start": int((M.hired_month[:nm] == 0).sum()),
            "operations_staff": self.n_ops,
            "runtime_seconds": runtime,
        }
        return SimulationResult(
            monthly=pd.DataFrame(self.rows),
            managers=managers,
            funnel=funnel_table(leads),
            leads=leads,
            customers=self._customers_table(),
            events=events,
            meta=meta,
        )

    def _leads_table(self) -> pd.DataFrame:
        cols = [
            "lead", "channel", "month", "arrival_day", "quality", "ctype", "industry",
            "annual_wallet", "grade", "manager", "outcome", "last_step", "steps_passed",
            "end_day", "customer",
        ]  # fmt: skip
        raw = pd.DataFrame(self.lead_records, columns=cols)
        managers = np.array([*self.manager_ids, ""])
        customers = np.array([*self.customer_ids, ""])

        def codes(col: str) -> np.ndarray:
            return raw[col].to_numpy(dtype=np.int64)

        out = pd.DataFrame(
            {
                "lead_id": [f"L{i + 1:06d}" for i in raw["lead"]],
                "channel": np.array(CHANNEL_NAMES)[codes("channel")],
                "month": codes("month"),
                "arrival_day": raw["arrival_day"].to_numpy(dtype=float),
                "quality": raw["quality"].to_numpy(dtype=float),
                "customer_type": np.array(CUSTOMER_TYPES)[codes("ctype")],
                "industry_group": np.array(INDUSTRY_GROUPS)[codes("industry")],
                "annual_wallet": raw["annual_wallet"].to_numpy(dtype=float),
                "credit_grade": np.array(GRADES)[codes("grade")],
                "manager_id": managers[codes("manager")],
                "outcome": raw["outcome"].to_numpy(dtype=str),
                "last_step": raw["last_step"].to_numpy(dtype=str),
                "steps_passed": codes("steps_passed"),
                "end_day": raw["end_day"].to_numpy(dtype=float),
                "customer_id": customers[codes("customer")],
            }
        )
        out["days_in_funnel"] = out["end_day"] - out["arrival_day"]
        return out

    def _customers_table(self) -> pd.DataFrame:
        C = self.C
        n = C.n
        managers = np.array([*self.manager_ids, ""])
        lost_month = C.lost_month[:n].astype(float)
        won_month = C.won_month[:n].astype(float)
        return pd.DataFrame(
            {
                "customer_id": self.customer_ids[:n],
                "origin": np.where(np.arange(n) < self.n_book, "book", "won"),
                "channel": np.array(CHANNEL_NAMES)[C.channel[:n]],
                "customer_type": np.array(CUSTOMER_TYPES)[C.ctype[:n]],
                "industry_group": np.array(INDUSTRY_GROUPS)[C.industry[:n]],
                "annual_wallet": C.wallet[:n].copy(),
                "credit_grade": np.array(GRADES)[C.grade[:n]],
                "cash_only": C.cash_only[:n].copy(),
                "manager_id": managers[C.manager[:n]],
                "initial_stage": np.array(STATES)[C.initial_stage[:n]],
                "stage": np.array(STATES)[C.stage[:n]],
                "won_month": np.where(won_month > 0, won_month, np.nan),
                "lost_month": np.where(lost_month > 0, lost_month, np.nan),
                "months_active": C.months_active[:n].copy(),
                "revenue": C.revenue[:n].copy(),
                "gross_profit": C.gross_profit[:n].copy(),
                "orders": C.orders[:n].copy(),
                "satisfaction": C.satisfaction[:n].copy(),
                "complaints": C.complaints[:n].copy(),
                "praise": C.praise[:n].copy(),
                "service_requests": C.requests[:n].copy(),
                "defected": C.defected[:n].copy(),
            }
        )
