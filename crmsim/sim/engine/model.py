"""The simulation engine: one SimPy environment per replication, wiring the parts of the story.

Time is measured in days; a month is 365.25/12 days. The story of one replication, and where
each part lives:

- **Set-up** (book.py): the book and the team as numpy columns (records.py); the structure's
  effects in one record (effects.py).
- **Month start**: turnover (turnover.py) — scheduled hires join, managers leave and their
  customers defect or are handed over; then the month's service requests (service.py) and leads
  (funnel.py) are drawn.
- **During the month** (event-driven, SimPy): each lead walks the nine funnel steps on its
  manager's hunting desk; each service request queues at its manager's farming desk or at the
  operations pool. Contention is real: a busy manager makes leads go cold and requests late.
- **Month end** (month_end.py, vectorised): purchases and revenue, maintenance contacts,
  satisfaction, lifecycle moves, pay, skill diffusion, one row of the monthly table.
- **Tables** (tables.py): the tidy result.

Random numbers come from :class:`~crmsim.sim.streams.Streams`, keyed so that two scenarios run with
the same seed share their luck wherever their mechanics agree (common random numbers): customer
*i* gets the same monthly uniforms, and lead *j* of a channel in a month the same profile, step
durations, patience and pass uniforms, whatever the structure.
"""

from __future__ import annotations

import array
import contextlib
import gc
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import numpy as np
import pandas as pd
import simpy

from crmsim.sim.engine.allocation import Allocator
from crmsim.sim.engine.book import BookSetup, resolve_book, split_joining
from crmsim.sim.engine.desk import Desk
from crmsim.sim.engine.effects import StructureEffects
from crmsim.sim.engine.equity import START_UTILISATION, Equity
from crmsim.sim.engine.funnel import Funnel
from crmsim.sim.engine.month_end import MonthEnd
from crmsim.sim.engine.records import (
    LEAD_SPEC,
    MONTH,
    MonthTally,
    Table,
    ended_columns,
    plain_pages,
)
from crmsim.sim.engine.service import Service
from crmsim.sim.engine.tables import Tables
from crmsim.sim.engine.tasks import Agenda, Task
from crmsim.sim.engine.team import cover_positions
from crmsim.sim.engine.turnover import Turnover
from crmsim.sim.plausibility import check_scenario
from crmsim.sim.result import SimulationResult
from crmsim.sim.scenario import Scenario
from crmsim.sim.streams import Streams

#: Allocations between two young-generation collections during a run (CPython's default: 700).
GC_YOUNG_THRESHOLD = 1_000_000


@contextlib.contextmanager
def _objects_before_the_run_frozen() -> Iterator[None]:
    """Keep the garbage collector off the objects that existed before the run, and collect
    less often during it; both settings are restored afterwards.

    A run allocates many objects (leads arrive a month at a time, each a small story), which
    trigger collections; a full collection walks every tracked object of the process, most of
    them modules and data that outlive the run anyway (about 0.2 s per pass with pandas and
    SciPy loaded), and frequent young collections keep re-walking the leads in the funnel, a
    cost that grows with the book. :func:`gc.freeze` sets the old objects aside for the run and
    a higher young-generation threshold makes collections rare (the engine makes no cyclic
    garbage worth collecting mid-run); :func:`gc.unfreeze` and the old thresholds then give the
    collector back everything, as before.
    """
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], GC_YOUNG_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class Simulation(BookSetup, Turnover, Service, Funnel, MonthEnd, Equity, Tables):
    """One replication of a scenario. Use :func:`crmsim.sim.experiments.simulate` to run it.

    Parameters
    ----------
    scenario : Scenario
        What to simulate.
    seed : int or numpy.random.SeedSequence
        The replication's seed; every random number derives from it.
    record_events : bool
        Keep an event log (``result.events``); off by default to save time and memory.

    Notes
    -----
    State shared by the parts: ``sc`` (the scenario), ``fx`` (its :class:`StructureEffects`),
    ``env``, ``streams``, ``month``; the tables ``C`` (customers), ``M`` (managers) and ``L``
    (leads); ``tally`` (this month's :class:`~crmsim.sim.engine.records.MonthTally`);
    per-manager lists ``active_list``, ``hunt_speed_list``, ``farm_speed_list``,
    ``hunt_free_at``, ``farm_free_at``, ``open_leads``; ``month_begins`` (an event triggered
    at each month start, after turnover); ``agenda`` (the leads' calendar, run up to each
    month end).
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
        self.month_begins = self.env.event()
        self.agenda = Agenda(wake=self._advance)  # the leads' calendar (see funnel.py)
        # the leads walking the steps, by id (in order of arrival): each leaves as it ends
        self.in_funnel: dict[int, Any] = {}
        self.ended_leads = ended_columns()  # id, outcome, step, day of each lead that ended
        # day and manager of each lead that ends later this month (its outcome known earlier)
        self.ending: dict[int, tuple[array.array, array.array]] = {}  # by day: days, managers
        self.ending_days: list[int] = []  # heap of the days in ending
        self.won: list[tuple[int, int]] = []  # (customer, lead id) won this month
        self.limited = scenario.capacity == "limited"
        self.month = 0
        self.month_end_day = MONTH
        self.rows: list[dict[str, Any]] = []
        self.arrivals: list[tuple[float, int, Callable[[], None]]] = []  # this month's
        self.pending_records: list[tuple[float, tuple]] = []  # requests ending in later months
        self.pending_hires: list[dict[str, Any]] = []
        self.hire_counter = 0
        self.tally = MonthTally()
        self.team_version = 0  # bumped whenever a manager joins or leaves
        self.allocator_version = -1  # team_version the allocator's groups were built for
        self.team_checked = -1  # team_version at which every customer had a manager
        self.allocator = Allocator(
            scenario.allocation.rule,
            tier=np.zeros(0, np.int64),
            specialty=np.zeros(0, np.int64),
            industry=np.zeros(0, np.int64),
        )
        self._setup_parameters()
        tables = resolve_book(scenario.book)
        self.book_note = tables.note
        self.book_tables = tables  # the initial book, as resolved (read by the guard)
        self.start = pd.Timestamp(scenario.book.start_date)
        customers, managers = tables.customers, tables.managers
        # the plausibility guard: refuses what is impossible, keeps what is out of range
        self.findings = check_scenario(scenario, tables)
        customers, joining = split_joining(customers)  # those who join later, apart
        positions = len(managers)
        self.positions = positions  # account positions at the start (people may cover them)
        mean_pay = float(managers["monthly_cost"].mean()) if positions else 0.0
        if scenario.team.staffing == "positions" and scenario.structure.time_share < 1:
            # extended roles: each account position covered by part-time people (team.py)
            people = max(1, round(1.0 / scenario.structure.time_share))
            customers, managers = cover_positions(customers, managers, people)
        self.fx = StructureEffects.from_scenario(
            scenario, len(customers), self.hours_day, people=len(managers),
            positions=positions, mean_pay=mean_pay,
        )  # fmt: skip
        self._setup_managers(managers)
        self._setup_customers(customers)
        self._setup_joining(joining)
        # what every lead reads as it wakes (Funnel._advance), set up once: the per-manager
        # lists change in place, never replaced
        self.lead_env = (self.agenda, self.active_list, self.limited, self.hunt_free_at,
                         self.hunt_speed_list, self.step_work, scenario.funnel.patience_days > 0,
                         self.agreement)  # fmt: skip
        # lead rates: as given, or scaled to the initial book (ChannelParams.rate)
        self.channel_rate = [c.rate(self.n_book) for c in self.channels]
        # the lead table sized for the leads the channels are expected to bring (a fifth more),
        # so a big run does not copy millions of rows each time the table fills up
        expected = scenario.months * sum(
            c.rate(len(customers)) + c.leads_per_stable_customer * len(customers)
            for c in scenario.channels
        )  # fmt: skip
        self.L = Table(LEAD_SPEC, int(1.2 * expected) + 1024)
        self.n_at_start = self.C.n
        # operations units: one per business line, each its own queue (crmsim.sim.scenario.company)
        per_line = np.bincount(self.C.line[: self.n_book], minlength=self.fx.needs.operations_units)
        self.fx = self.fx.with_operations_units(per_line, scenario.structure)
        # share of wallet per stage, with the structure's uplift (month_end.py)
        self.share_of_wallet = np.minimum(
            scenario.lifecycle.stage_array(scenario.lifecycle.share_of_wallet)
            * self.fx.share_of_wallet_uplift,
            1.0,
        )
        self.ops_units = [Desk(self.env, capacity=max(k, 1)) for k in self.fx.operations_unit_sizes]
        self.ops = self.ops_units[0] if self.ops_units else None
        self._refresh_skills()
        # customer equity of the book as it stands (equity.py): pay per working hour today
        self.start_rate = mean_pay / (scenario.team.hours_per_month * START_UTILISATION)
        self.cost_hours: list[tuple[float, float]] = []  # account cost and hours, per month
        self.equity_start = self._book_value(at_start=True)

    @property
    def n_ops(self) -> int:
        """Size of the operations pool (0: requests go to the customer's own manager)."""
        return self.fx.operations_staff

    # ------------------------------------------------------------------------------ helpers

    def _log(self, event: str, customer: int = -1, manager: int = -1, lead: int = -1,
             detail: str = "", day: float = -1.0) -> None:  # fmt: skip
        if self.record_events:
            if day < 0:
                day = self.agenda.now if lead >= 0 else self.env.now  # leads run on the agenda
            self.events.append(
                (
                    day,
                    self.month + 1,
                    event,
                    self.customer_ids[customer] if customer >= 0 else "",
                    self.manager_ids[manager] if manager >= 0 else "",
                    f"L{lead + 1:06d}" if lead >= 0 else "",
                    detail,
                )
            )

    def _add_busy(self, farm: bool, m: int, start: float, duration: float) -> None:
        """Book *duration* days of desk time of manager *m* from *start* (-1: the operations
        pool, whose time is not reported, so nothing is booked)."""
        if m < 0:
            return
        end = self.month_end_day
        if start + duration <= end:
            (self.busy_farm if farm else self.busy_hunt)[m] += duration
            return
        now_part = max(0.0, end - start)
        (self.busy_farm if farm else self.busy_hunt)[m] += now_part
        (self.next_busy_farm if farm else self.next_busy_hunt)[m] += duration - now_part

    def _arrive_at(self, t: float, arrive: Callable[[], None]) -> None:
        """Call *arrive* at absolute time *t* of this month (see :meth:`_dispatch`)."""
        self.arrivals.append((t, len(self.arrivals), arrive))

    def _dispatch(self, arrivals: list[tuple[float, int, Callable[[], None]]]) -> Generator:
        """One task per month releases the month's arrivals (leads, pool requests) in time
        order. Scheduling each arrival as its own event at month start would work the same
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
        with plain_pages():
            with _objects_before_the_run_frozen():
                self.env.run(until=self.sc.months * MONTH + 1e-9)
            return self._result(time.perf_counter() - t0)

    def _clock(self) -> Generator:
        for month in range(self.sc.months):
            self.month = month
            self._month_start(month)
            begun, self.month_begins = self.month_begins, self.env.event()
            begun.succeed()
            yield self.env.timeout(MONTH)
            self.agenda.run_until(self.month_end_day)
            self._settle_won()
            self._month_end(month)

    def _month_start(self, month: int) -> None:
        M, C = self.M, self.C
        self._settle_endings(self.month_end_day)  # the leads that ended last month
        self.tally = MonthTally()
        if month == 0:  # moving from today's organisation: training, hiring, severance
            self.tally.hiring_cost += self.fx.reorganisation.cost
        n = M.n
        self.month_end_day = (month + 1) * MONTH
        self.busy_hunt, self.next_busy_hunt = self.next_busy_hunt, [0.0] * n
        self.busy_farm, self.next_busy_farm = self.next_busy_farm, [0.0] * n
        for col in (C.m_requests, C.m_on_time, C.m_complaints, C.m_praise):
            col[: C.n] = 0
        self._turnover(month)
        self._refresh_skills()
        self._record_pending()
        self._join_customers(month)
        self.n_at_start = C.n
        self.arrivals = []
        self._schedule_service(month)
        self._record_ended_leads()
        self._reprice_open_leads(month)
        self._schedule_leads(month)
        if self.arrivals:
            self.arrivals.sort(key=lambda a: (a[0], a[1]))
            Task(self._dispatch(self.arrivals)).start()
