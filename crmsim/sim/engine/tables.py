"""The result tables of a run: monthly, managers, funnel, leads, customers, events, meta
(columns documented in :mod:`crmsim.sim.result`).

Part of :class:`~crmsim.sim.engine.model.Simulation` (a mixin).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from crmsim._version import __version__
from crmsim.sim.engine.records import OUTCOMES
from crmsim.sim.plausibility import check_result
from crmsim.sim.result import SimulationResult
from crmsim.sim.scenario.funnel import CHANNEL_NAMES, STEP_NAMES
from crmsim.terms import (
    CUSTOMER_TYPES,
    GRADES,
    INDUSTRY_GROUPS,
    SPECIALTIES,
    STATES,
    TIERS,
)

EVENT_COLUMNS = ["day", "month", "event", "customer_id", "manager_id", "lead_id", "detail"]


#: Lead ids kept between runs (every run numbers its leads alike), up to this many.
KEEP_LEAD_IDS = 200_000
_LEAD_IDS: list[str] = []


def lead_ids(n: int) -> list[str]:
    """The ids of leads 1 to *n*: ``L000001``, ``L000002``...

    Examples
    --------
    >>> lead_ids(2), lead_ids(0)
    (['L000001', 'L000002'], [])
    """
    if n > KEEP_LEAD_IDS:
        return [f"L{i:06d}" for i in range(1, n + 1)]
    if len(_LEAD_IDS) < n:
        _LEAD_IDS.extend(f"L{i:06d}" for i in range(len(_LEAD_IDS) + 1, n + 1))
    return _LEAD_IDS[:n]


def _labels(names: Sequence[str], codes: np.ndarray) -> pd.Series:
    """The label of each code: a text column.

    Made of an object array of the *names* themselves, which pandas turns into text several
    times faster than a numpy string array, and typed as text at once (:func:`_text`); with no
    codes, of an empty numpy string array, so that an empty column gets the same text dtype as
    a full one.

    Examples
    --------
    >>> _labels(["won", "lost"], np.array([1, 0, 1])).tolist()
    ['lost', 'won', 'lost']
    """
    if not len(codes):
        return pd.Series(np.array(names)[codes])
    return _text(np.array(names, dtype=object)[codes])


def _text(values: np.ndarray | list[str]) -> pd.Series:
    """A text column of *values* (strings), typed as pandas would type it.

    Saying so spares pandas the pass that infers the type, which tries each value as a number
    in temporary arrays of the column's length (about 40 bytes a row, 55 MB for a big run's
    lead table).
    """
    return pd.Series(values, dtype="str", copy=False)


class Tables:
    """Turns the numpy columns of a finished run into tidy DataFrames."""

    def _result(self, runtime: float) -> SimulationResult:
        sc, M = self.sc, self.M
        self._write_lead_records()
        # the run is over: let its calendar and the leads' month luck go before the tables are
        # built (a big run holds months of per-lead uniforms there)
        self.in_funnel.clear()
        self.agenda.clear()
        self.pending_records = []
        # the smaller tables first, the lead table last: a big run's peak memory is the lead
        # table's, and the others' passing arrays are gone by then
        funnel, customers, managers = (
            self._funnel_table(), self._customers_table(), self._managers_table()
        )
        leads = self._leads_table()
        monthly = pd.DataFrame(self.rows)
        C, n = self.C, self.C.n
        declared = float((C.wallet[:n] / 12.0 * C.months_active[:n]).sum())
        ratio = float(C.revenue[:n].sum()) / declared if declared > 0 else float("nan")
        findings = [*self.findings, *check_result(monthly, self.n_book, ratio)]
        meta = {
            "crmsim_version": __version__,
            "scenario_name": sc.name,
            "scenario_hash": sc.hash(),
            "seed_entropy": self.streams.root.entropy,
            "seed_spawn_key": tuple(self.streams.root.spawn_key),
            "months": sc.months,
            "book_note": self.book_note,
            "n_customers_start": self.n_book,
            "n_managers_start": int((M.hired_month[: M.n] == 0).sum()),
            "operations_staff": self.fx.operations_staff,
            "customer_equity_start": self.equity_start,
            "customer_equity_end": self._book_value(at_start=False),
            "discount_factor": sc.value.monthly_factor(),
            "reorganisation_cost": self.fx.reorganisation.cost,
            "reorganisation": {
                "training": self.fx.reorganisation.training,
                "hiring": self.fx.reorganisation.hiring,
                "severance": self.fx.reorganisation.severance,
            },
            "positions_start": self.positions,
            "operations_units": len(self.fx.operations_unit_sizes) or int(
                self.fx.operations_staff > 0
            ),
            # mean delay coordination adds to a request or an agreement: the share that needs
            # another department times its mean wait
            "coordination_days": self.fx.coordination_share * self.fx.coordination_delay_days,
            "findings": tuple(f.as_tuple() for f in findings),
            "wallet_ratio": ratio,
            "runtime_seconds": runtime,
        }
        return SimulationResult(
            monthly=monthly,
            managers=managers,
            funnel=funnel,
            leads=leads,
            customers=customers,
            events=self._events_table(),
            meta=meta,
        )

    def _events_table(self) -> pd.DataFrame:
        events = pd.DataFrame(self.events, columns=EVENT_COLUMNS)
        if not self.events:
            return events
        # in time order (leads are logged when the agenda runs them, at each month end)
        return events.sort_values("day", kind="stable").reset_index(drop=True)

    def _managers_table(self) -> pd.DataFrame:
        M = self.M
        nm = M.n
        left = M.left_month[:nm].astype(float)
        total_revenue = float(M.revenue[:nm].sum())
        cm = M.customer_months[:nm]
        return pd.DataFrame(
            {
                "manager_id": self.manager_ids,
                "tier": _labels(TIERS, M.tier[:nm]),
                "specialty": _labels(SPECIALTIES, M.specialty[:nm]),
                "industry_focus": _labels(INDUSTRY_GROUPS, M.industry[:nm]),
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

    def _leads_table(self) -> pd.DataFrame:
        L = self.L
        n = L.n
        managers = [*self.manager_ids, ""]  # code -1: no manager
        customers = [*self.customer_ids, ""]  # code -1: not won
        # the numeric columns are views of the lead table, not copies (copy=False): a big run
        # keeps millions of leads, and the table is not used once the run is over
        return pd.DataFrame(
            {
                "lead_id": _text(lead_ids(n)),
                "channel": _labels(CHANNEL_NAMES, L.channel[:n]),
                "month": L.month[:n].astype(np.int64),
                "arrival_day": L.arrival_day[:n],
                "quality": L.quality[:n],
                "customer_type": _labels(CUSTOMER_TYPES, L.ctype[:n]),
                "industry_group": _labels(INDUSTRY_GROUPS, L.industry[:n]),
                "annual_wallet": L.wallet[:n],
                "credit_grade": _labels(GRADES, L.grade[:n]),
                "manager_id": _labels(managers, L.manager[:n]),
                "outcome": _labels(OUTCOMES, L.outcome[:n]),
                "last_step": _labels(STEP_NAMES, L.last_step[:n]),
                "steps_passed": L.steps_passed[:n].astype(np.int64),
                "end_day": L.end_day[:n],
                "customer_id": _labels(customers, L.customer[:n]),
                "days_in_funnel": L.end_day[:n] - L.arrival_day[:n],
            },
            copy=False,
        )

    def _funnel_table(self) -> pd.DataFrame:
        L = self.L
        n = L.n
        return funnel_table_from_codes(
            L.channel[:n].astype(np.int64), L.steps_passed[:n].astype(np.int64), L.outcome[:n],
            list(OUTCOMES),
        )

    def _customers_table(self) -> pd.DataFrame:
        C = self.C
        n = C.n
        managers = [*self.manager_ids, ""]  # code -1: no manager
        lost_month = C.lost_month[:n].astype(float)
        won_month = C.won_month[:n].astype(float)
        return pd.DataFrame(
            {
                "customer_id": _text(self.customer_ids[:n]),
                "origin": np.where(np.arange(n) < self.n_book, "book", "won"),
                "channel": _labels(CHANNEL_NAMES, C.channel[:n]),
                "customer_type": _labels(CUSTOMER_TYPES, C.ctype[:n]),
                "industry_group": _labels(INDUSTRY_GROUPS, C.industry[:n]),
                "annual_wallet": C.wallet[:n].copy(),
                "credit_grade": _labels(GRADES, C.grade[:n]),
                "cash_only": C.cash_only[:n].copy(),
                "manager_id": _labels(managers, C.manager[:n]),
                "initial_stage": _labels(STATES, C.initial_stage[:n]),
                "stage": _labels(STATES, C.stage[:n]),
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


def funnel_table(leads: pd.DataFrame) -> pd.DataFrame:
    """Entries, passes and losses per channel and step, from a per-lead table.

    *leads* needs the columns ``channel``, ``steps_passed`` (steps passed before the lead ended
    or, if still open, the step it is in) and ``outcome`` (won, lost, cold, declined_credit,
    open), as in ``SimulationResult.leads``.

    Examples
    --------
    >>> leads = pd.DataFrame({"channel": ["referral"] * 3, "steps_passed": [0, 2, 9],
    ...                       "outcome": ["lost", "cold", "won"]})
    >>> t = funnel_table(leads)
    >>> t.loc[t["channel"].eq("referral"), "entries"].tolist()
    [3, 2, 2, 1, 1, 1, 1, 1, 1]
    """
    channel = pd.Categorical(leads["channel"], categories=CHANNEL_NAMES).codes
    outcome, outcome_names = pd.factorize(leads["outcome"])
    return funnel_table_from_codes(
        channel, leads["steps_passed"].to_numpy(), outcome, list(outcome_names)
    )


def funnel_table_from_codes(
    channel: np.ndarray, steps_passed: np.ndarray, outcome: np.ndarray, outcome_names: list[str]
) -> pd.DataFrame:
    """:func:`funnel_table` of leads given by codes: *channel* indexes :data:`CHANNEL_NAMES`
    (-1: another channel, not counted), *outcome* indexes *outcome_names*.

    Examples
    --------
    >>> t = funnel_table_from_codes(np.array([0, 0]), np.array([1, 9]), np.array([0, 1]),
    ...                             ["lost", "won"])
    >>> t.loc[t["channel"].eq(CHANNEL_NAMES[0]), "losses"].tolist()[:3]
    [0, 1, 0]
    """
    k = np.asarray(steps_passed)
    n_steps, n_channels = len(STEP_NAMES), len(CHANNEL_NAMES)
    counted = (channel >= 0) & (k >= 0)  # a negative step count enters no step

    def per_cell(mask: np.ndarray) -> np.ndarray:
        """Leads of *mask* per channel (rows) and steps passed (columns 0..n_steps, the
        last one for a lead that passed every step)."""
        cell = channel[mask] * (n_steps + 1) + np.minimum(k[mask], n_steps).astype(np.int64)
        counts = np.bincount(cell, minlength=n_channels * (n_steps + 1))
        return counts.reshape(n_channels, n_steps + 1)

    def ended(*names: str) -> np.ndarray:
        """Leads whose outcome is one of *names*."""
        codes = [c for c, name in enumerate(outcome_names) if name in names]
        return np.isin(outcome, codes)

    # entries at step s: leads that passed s steps or more; passes: more than s
    reached = np.cumsum(per_cell(counted)[:, ::-1], axis=1)[:, ::-1]
    entries, passes = reached[:, :n_steps], reached[:, 1:]
    here = {  # leads that ended (or still are) at each step, by outcome
        "losses": per_cell(counted & ended("lost", "cold", "declined_credit")),
        "lost_cold": per_cell(counted & ended("cold")),
        "declined_credit": per_cell(counted & ended("declined_credit")),
        "still_open": per_cell(counted & ended("open")),
    }
    return pd.DataFrame(
        {
            "channel": [name for name in CHANNEL_NAMES for _ in STEP_NAMES],
            "step": list(STEP_NAMES) * n_channels,
            "step_number": np.tile(np.arange(1, n_steps + 1), n_channels),
            "entries": entries.ravel(),
            "passes": passes.ravel(),
            **{name: count[:, :n_steps].ravel() for name, count in here.items()},
            "pass_rate": np.divide(
                passes, entries, out=np.full(entries.shape, np.nan), where=entries > 0
            ).ravel(),
        }
    )
