"""Named records of the engine: growable column tables, the lead in the funnel, the month's tally.

Everything the model keeps per customer, per manager or per lead lives in numpy columns read by
name (``C.stage[i]``, ``L.outcome[j]``), never in positional lists. Columns hold numbers only,
so a big book leaves nothing for Python's garbage collector to walk.
"""

from __future__ import annotations

import array
import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

try:  # numpy's switch for its huge-page advice (the NUMPY_MADVISE_HUGEPAGE of its docs)
    from numpy._core.multiarray import _set_madvise_hugepage
except ImportError:  # pragma: no cover - numpy 1.x, or a numpy without it
    try:
        from numpy.core.multiarray import _set_madvise_hugepage
    except ImportError:
        _set_madvise_hugepage = None

from crmsim.sim.scenario.funnel import STEP_NAMES
from crmsim.sim.scenario.lifecycle import EXPLORATION, LOST

#: Length of a month in days.
MONTH = 365.25 / 12

#: Lead outcomes, coded as in the ``outcome`` column of the lead table.
OUTCOMES: tuple[str, ...] = ("open", "won", "lost", "cold", "declined_credit")
OPEN, WON, LOST_LEAD, COLD, DECLINED = range(len(OUTCOMES))


#: Rows given their fill values at a time, as a table's rows come into use (see Table).
FILL_ROWS = 4096


@contextlib.contextmanager
def plain_pages() -> Iterator[None]:
    """Let numpy allocate without advising the kernel to back its arrays with huge pages;
    numpy's own setting is restored afterwards.

    numpy advises transparent huge pages for every array of 4 MB or more. Where the kernel
    honours that advice by compacting memory on the spot (its ``defrag`` setting "madvise", a
    common default), the first touch of such an array can stall, and a run touches its big
    columns (the lead table, a month's luck) a few thousand rows at a time. On the 2-core
    benchmark machine (defrag "madvise", no huge page to be had) a 100,000-customer run spent
    1.6 s in the kernel with the advice and 0.4 s without it (``benchmarks/bench_value.py``).
    The arrays and their values are the same either way.
    """
    if _set_madvise_hugepage is None:
        yield
        return
    previous = _set_madvise_hugepage(False)
    try:
        yield
    finally:
        _set_madvise_hugepage(previous)


class Table:
    """A growable struct of numpy arrays (customers, managers or leads); columns are attributes.

    Rows are allocated ahead (the table doubles when full) but take their fill values only as
    they come into use, a few thousand at a time: memory for rows never used is never written,
    so the operating system never provides it (a big run's lead table is sized a fifth over
    the leads expected, its customer table doubles as customers are won). Rows from ``n`` on
    are not part of the table and hold no particular values.

    Parameters
    ----------
    spec : dict
        Column name -> (dtype, fill value for new rows).
    capacity : int
        Rows allocated at first (the table doubles when full).

    Examples
    --------
    >>> t = Table({"x": (np.float64, 0.0), "k": (np.int64, -1)}, capacity=2)
    >>> t.append(x=1.5), t.extend(3, x=np.arange(3.0))
    (0, 1)
    >>> t.n, t.x[: t.n].tolist(), t.k[: t.n].tolist()
    (4, [1.5, 0.0, 1.0, 2.0], [-1, -1, -1, -1])
    """

    def __init__(self, spec: dict[str, tuple[Any, Any]], capacity: int) -> None:
        self._spec = spec
        self.n = 0
        self._ready = 0  # rows holding their fill values (rows in use, and some to come)
        self._cap = max(capacity, 8)
        with plain_pages():
            for name, (dtype, _) in spec.items():
                setattr(self, name, np.empty(self._cap, dtype=dtype))

    def _grow(self, rows: int) -> None:
        """Make *rows* more rows ready, with their fill values."""
        end = self.n + rows
        if end <= self._ready:
            return
        if end > self._cap:
            while self._cap < end:
                self._cap *= 2
            with plain_pages():
                for name, (dtype, _) in self._spec.items():
                    grown = np.empty(self._cap, dtype=dtype)
                    grown[: self.n] = getattr(self, name)[: self.n]
                    setattr(self, name, grown)
            self._ready = self.n
        ready = min(self._cap, max(end, self._ready + FILL_ROWS))
        for name, (_, fill) in self._spec.items():
            getattr(self, name)[self._ready : ready] = fill
        self._ready = ready

    def append(self, **values: Any) -> int:
        """Add one row (unnamed columns take their fill value); return its index."""
        self._grow(1)
        i = self.n
        for name, value in values.items():
            getattr(self, name)[i] = value
        self.n += 1
        return i

    def extend(self, rows: int, **columns: Any) -> int:
        """Add *rows* rows at once from arrays (or scalars); return the index of the first."""
        self._grow(rows)
        i = self.n
        for name, value in columns.items():
            getattr(self, name)[i : i + rows] = value
        self.n += rows
        return i


CUSTOMER_SPEC: dict[str, tuple[Any, Any]] = {
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
    # needs from the company profile (crmsim.sim.scenario.company), drawn at set-up or when won
    "line": (np.int64, 0),
    "wallet_factor": (np.float64, 1.0),
    "skill_loss": (np.float64, 0.0),
    # this month's service record (reset every month)
    "m_requests": (np.int64, 0),
    "m_on_time": (np.int64, 0),
    "m_complaints": (np.int64, 0),
    "m_praise": (np.int64, 0),
}

MANAGER_SPEC: dict[str, tuple[Any, Any]] = {
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
    "hunt_speed": (np.float64, 1.0),
    "farm_speed": (np.float64, 1.0),
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

#: One row per lead: its profile when it arrives and how it ended (codes; see tables.py).
LEAD_SPEC: dict[str, tuple[Any, Any]] = {
    # codes in the smallest integer type that holds them: a big run keeps millions of leads
    "channel": (np.int8, 0),
    "month": (np.int32, 0),
    "arrival_day": (np.float64, 0.0),
    "quality": (np.float64, 0.5),
    "ctype": (np.int8, 0),
    "industry": (np.int8, 0),
    "wallet": (np.float64, 0.0),
    "grade": (np.int8, 1),
    "mean6": (np.float64, 3.0),
    "importance": (np.int8, 2),  # tier it fits (allocation.importance_class)
    "spec": (np.int8, 1),  # specialty it wants (allocation.wanted_specialty)
    "u_pick": (np.float64, 0.0),  # the uniform that picks a new manager if its own leaves
    "manager": (np.int32, -1),
    "outcome": (np.int8, OPEN),
    "last_step": (np.int8, 0),
    "steps_passed": (np.int8, 0),
    "end_day": (np.float64, np.nan),
    "customer": (np.int32, -1),
}


#: Development steps a lead walks.
N_STEPS = len(STEP_NAMES)


def ended_columns() -> tuple[array.array, ...]:
    """Empty columns of the leads that ended: id (32-bit), outcome and step (8-bit) and day."""
    return (array.array("i"), array.array("b"), array.array("b"), array.array("d"))


#: A lead's luck at each step, side by side: response delay, patience, pass uniform, and its
#: pass probability (with its manager of the month, see Lead).
DELAY, PATIENCE, PASS, CHANCE = range(4)
LUCK = 4


def month_luck(delays: np.ndarray, patience: np.ndarray, u_pass: np.ndarray,
               chance: np.ndarray) -> memoryview:  # fmt: skip
    """The luck of a month's leads, from four (leads x steps) tables of floats, as one flat
    sequence: lead *j*'s value *v* (:data:`DELAY`, ...) at step *k* is at
    ``(j * N_STEPS + k) * LUCK + v``, and reads as a Python float.

    A memoryview of the array's memory: no list of floats to build for the month (a lead
    reads only the steps it reaches), nothing for the garbage collector to walk; and the
    values a step reads sit side by side, in one place of memory (a big run keeps tens of
    thousands of leads waiting, and each wake-up reads its step's luck from memory the
    processor has long forgotten). The underlying array is ``luck.obj``.

    Examples
    --------
    >>> t = np.arange(6.0).reshape(2, 3)
    >>> luck = month_luck(t, t + 10, t + 20, t + 30)
    >>> k, j = 2, 1
    >>> luck[(j * 3 + k) * LUCK + PATIENCE], type(luck[0]).__name__
    (15.0, 'float')
    """
    table = np.empty((*delays.shape, LUCK))
    for v, values in ((DELAY, delays), (PATIENCE, patience), (PASS, u_pass), (CHANCE, chance)):
        table[:, :, v] = values
    return memoryview(table.reshape(-1))


#: Where a lead stopped in the funnel (``Lead.phase``, see Funnel._advance).
ARRIVED, WAITING, RESPONDED, PASSED = range(4)


class Lead:
    """One prospect while it is in the funnel: where it is and who works it.

    Its profile (drawn when it arrives) and its permanent record are row ``id`` of the lead
    table; this object lives only while the lead walks the steps, ``k`` being the step it is
    in, ``manager`` the manager working it and ``fit`` its fit bonus with manager
    ``fit_manager``. ``luck`` is the flat luck of its month's leads
    (:func:`month_luck`): its response delay, patience, pass uniform
    and pass probability at step *k* side by side from ``row + 4 * k``. The pass probabilities
    are those with manager ``p_manager`` in month ``p_month``, computed in numpy for many
    leads at once: the month's new leads when they arrive, the leads still in the funnel at
    each month start. ``phase``: where it stopped (:data:`ARRIVED`, :data:`WAITING`,
    :data:`RESPONDED` or :data:`PASSED`, see :meth:`crmsim.sim.engine.funnel.Funnel._advance`);
    while it is WAITING for the desk across a month start, ``start``, ``work`` and ``cold`` are
    its turn, the step's work and whether it will have gone cold by then.
    """

    __slots__ = (
        "id", "manager", "fit_manager", "fit", "luck", "cash_only",
        "p_manager", "p_month", "k", "row", "phase", "start", "work", "cold",
    )  # fmt: skip


@dataclass(slots=True)
class MonthTally:
    """Counts and sums collected during one month (reset at each month start)."""

    leads: int = 0
    lead_cost: float = 0.0
    defections: int = 0
    hiring_cost: float = 0.0
    wait_sum: float = 0.0
    response_sum: float = 0.0
    requests: int = 0
    on_time: int = 0
    new_customers: int = 0


@dataclass(frozen=True, slots=True)
class MonthFlows:
    """Per-customer and per-manager arrays of one month end, from which its row is built.

    Customer arrays (over the customers active at month start): ``revenue``, ``gross``,
    ``bad_debt``, ``orders``, ``complaints``, ``praise``, and the stage moves ``up``, ``down``,
    ``lost``. Manager arrays: ``pay``, ``active``, ``maint_used`` and ``need_hours``
    (maintenance hours made / needed), ``worked``, ``hunt_used``, ``farm_used``, ``farm_cap``,
    ``hunt_cap`` (hours).
    """

    revenue: np.ndarray
    gross: np.ndarray
    bad_debt: np.ndarray
    orders: np.ndarray
    complaints: np.ndarray
    praise: np.ndarray
    up: np.ndarray
    down: np.ndarray
    lost: np.ndarray
    pay: np.ndarray
    active: np.ndarray
    maint_used: np.ndarray
    need_hours: np.ndarray
    worked: np.ndarray
    hunt_used: np.ndarray
    farm_used: np.ndarray
    farm_cap: np.ndarray
    hunt_cap: np.ndarray


def record_fields(record: type) -> tuple[str, ...]:
    """Field names of a record class (used by tests and documentation)."""
    return tuple(f.name for f in fields(record))
