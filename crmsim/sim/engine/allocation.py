"""Allocating customers to account managers (客户分配机制, domain.md §7): the mechanics.

The rules themselves, and what each means, are described with their parameters in
:mod:`crmsim.sim.scenario.allocation`. Here: a customer's importance class and wanted specialty,
and :class:`Allocator`, which picks the manager for a lead or a reassigned customer under the
rule (least loaded within the fitting group; ties to the lower index).
"""

from __future__ import annotations

import heapq

import numpy as np

from crmsim.sim.scenario.allocation import LIST_TEAM
from crmsim.terms import TIERS


def importance_class(wallet: np.ndarray, key_cut: float, regular_cut: float) -> np.ndarray:
    """Importance tier code per wallet: 0 key (→ senior), 1 mid (→ regular), 2 small (→ junior)."""
    w = np.asarray(wallet, dtype=float)
    return np.where(w >= key_cut, 0, np.where(w >= regular_cut, 1, 2)).astype(np.int64)


def wanted_specialty(key: np.ndarray, grade: np.ndarray, solution: np.ndarray) -> np.ndarray:
    """Specialty code fitting a customer (key accounts, credit, solutions or new business)."""
    key = np.asarray(key, dtype=bool)
    return np.where(
        key, 0, np.where(np.asarray(grade) >= 2, 2, np.where(np.asarray(solution, bool), 3, 1))
    ).astype(np.int64)


def _first_least(candidates: list[int], load: list[int]) -> int:
    """The first of *candidates* with the least *load* (as ``argmin``), on Python lists."""
    best, least = candidates[0], load[candidates[0]]
    for m in candidates:
        if load[m] < least:
            best, least = m, load[m]
    return best


def _take_least(queue: list[tuple[int, int]], load: list[int]) -> int:
    """The manager with the least *load* in a group, the lower index first (as ``argmin``
    over the group's managers in index order), given the group as a heap *queue* of
    ``(load, index)``; his load goes up by one, in *load* and in the queue.

    Loads only go up, so an entry is at most stale (too low: the manager, also in another
    group, was chosen there): a stale entry on top is brought up to date and the heap looked
    at again. Each choice costs a few comparisons instead of a pass over the group.

    Examples
    --------
    >>> load = [2, 1, 1]
    >>> queue = [(1, 1), (1, 2), (2, 0)]
    >>> _take_least(queue, load), _take_least(queue, load), load
    (1, 2, [2, 2, 2])
    """
    while True:
        least, m = queue[0]
        if load[m] == least:
            break
        heapq.heapreplace(queue, (load[m], m))
    load[m] += 1
    heapq.heapreplace(queue, (least + 1, m))
    return m


def _fill_least(members: np.ndarray, load: np.ndarray, count: int) -> np.ndarray:
    """The managers *count* items go to, handed out one after another to the least loaded of
    *members* (index order; ties to the lower index), each adding one to its manager's load:
    what :func:`_take_least` gives item by item, at once.

    Item after item, the least loaded manager takes one more, so the choices are the pairs
    ``(level, manager)`` with the manager's *load* at or below the level, in order of level
    and then index (a water level rising over the team): the smallest level whose pairs number
    *count* or more is found by bisection, and those pairs sorted.

    Examples
    --------
    >>> _fill_least(np.array([0, 1, 2]), np.array([2, 1, 1]), 5).tolist()
    [1, 2, 0, 1, 2]
    """
    lv = load[members]
    a, b = int(lv.min()), int(lv.min()) + count  # at b the least loaded alone gives count + 1
    while a < b:
        mid = (a + b) // 2
        if int(np.maximum(mid - lv + 1, 0).sum()) >= count:
            b = mid
        else:
            a = mid + 1
    under = lv <= a
    reps = a - lv[under] + 1
    who = np.repeat(members[under], reps)
    first = np.repeat(np.cumsum(reps) - reps, reps)
    level = np.repeat(lv[under], reps) + (np.arange(len(who)) - first)
    return who[np.lexsort((who, level))[:count]]


def _least(candidates: np.ndarray, load: np.ndarray) -> int:
    idx = np.flatnonzero(candidates)
    return int(idx[np.argmin(load[idx])])


def choose_manager(
    rule: str,
    *,
    active: np.ndarray,
    load: np.ndarray,
    tier: np.ndarray,
    specialty: np.ndarray,
    industry: np.ndarray,
    want_tier: int,
    want_specialty: int,
    want_industry: int,
    preferred: int = -1,
    network: np.ndarray | None = None,
    u: float = 0.0,
) -> int:
    """Index of the manager *rule* picks for one lead or customer (-1 if nobody is active).

    Parameters
    ----------
    rule : str
        One of :data:`RULES`.
    active : ndarray of bool
        Which managers can take customers.
    load : ndarray
        Current load per manager (customers, or open leads when allocating leads).
    tier, specialty, industry : ndarray of int
        Manager attributes as codes of :data:`TIERS`, :data:`SPECIALTIES`,
        :data:`INDUSTRY_GROUPS`.
    want_tier, want_specialty, want_industry : int
        What the customer fits (see :func:`importance_class`, :func:`wanted_specialty`).
    preferred : int
        For ``by_relationship``: the relationship owner (-1 if none).
    network : ndarray, optional
        For ``by_relationship`` reassignment: per manager, customers of the same industry group.
    u : float
        A uniform in [0, 1) used by ``by_relationship`` to pick who took an unreferred lead.

    Examples
    --------
    >>> act = np.array([True, True, True])
    >>> choose_manager("least_loaded", active=act, load=np.array([5, 2, 2]),
    ...     tier=np.zeros(3, int), specialty=np.zeros(3, int), industry=np.zeros(3, int),
    ...     want_tier=0, want_specialty=0, want_industry=0)
    1
    """
    if not active.any():
        return -1
    if rule == "least_loaded":
        return _least(active, load)
    if rule == "by_relationship":
        if preferred >= 0 and active[preferred]:
            return int(preferred)
        if network is not None:
            score = np.where(active, network, -1)
            best = score.max()
            return _least(active & (score == best), load)
        idx = np.flatnonzero(active)
        return int(idx[min(int(u * len(idx)), len(idx) - 1)])
    if rule == "by_seniority":
        for distance in range(len(TIERS)):
            cand = active & (np.abs(tier - want_tier) == distance)
            if cand.any():
                return _least(cand, load)
        return _least(active, load)  # pragma: no cover - unreachable: some tier is active
    if rule == "by_specialty":
        cand = active & (specialty == want_specialty)
    else:  # by_industry
        cand = active & (industry == want_industry)
    return _least(cand if cand.any() else active, load)


class Allocator:
    """:func:`choose_manager` with the candidate groups cached between team changes.

    The model calls :meth:`refresh` whenever managers join or leave, then :meth:`choose` for
    every lead and reassigned customer; results are the same as :func:`choose_manager`'s.

    Examples
    --------
    >>> a = Allocator("by_industry", tier=np.array([0, 1]), specialty=np.array([0, 1]),
    ...               industry=np.array([2, 3]))
    >>> a.refresh(np.array([True, True]))
    >>> a.choose(load=np.array([5, 1]), want_tier=0, want_specialty=0, want_industry=2)
    0
    """

    def __init__(
        self, rule: str, *, tier: np.ndarray, specialty: np.ndarray, industry: np.ndarray
    ) -> None:
        self.rule = rule
        self.tier, self.specialty, self.industry = tier, specialty, industry
        self.groups: dict[int, np.ndarray] = {}
        self.active = np.zeros(0, dtype=bool)
        self.all = np.zeros(0, dtype=np.int64)

    def refresh(self, active: np.ndarray, *, tier: np.ndarray | None = None,
                specialty: np.ndarray | None = None,
                industry: np.ndarray | None = None) -> None:  # fmt: skip
        """Rebuild the candidate groups for the managers now *active*."""
        if tier is not None:
            self.tier, self.specialty, self.industry = tier, specialty, industry
        self.active = active.copy()
        self.all = np.flatnonzero(active)
        self.groups = {}
        if not len(self.all):
            return
        if self.rule == "by_seniority":
            for want in range(len(TIERS)):
                for distance in range(len(TIERS)):
                    cand = np.flatnonzero(active & (np.abs(self.tier - want) == distance))
                    if len(cand):
                        self.groups[want] = cand
                        break
        elif self.rule in ("by_specialty", "by_industry"):
            codes = self.specialty if self.rule == "by_specialty" else self.industry
            for value in np.unique(codes[active]):
                self.groups[int(value)] = np.flatnonzero(active & (codes == value))

    def choose(
        self,
        *,
        load: np.ndarray | list[int],
        want_tier: int,
        want_specialty: int,
        want_industry: int,
        preferred: int = -1,
        network: np.ndarray | None = None,
        u: float = 0.0,
    ) -> int:
        """Index of the chosen manager (-1 if nobody is active). *load* may be a list (the
        open leads per manager, kept as a list by the funnel): it is then read as it is."""
        if not len(self.all):
            return -1
        rule = self.rule
        if rule == "by_relationship":
            return choose_manager(
                rule, active=self.active, load=np.asarray(load), tier=self.tier,
                specialty=self.specialty, industry=self.industry, want_tier=want_tier,
                want_specialty=want_specialty, want_industry=want_industry,
                preferred=preferred, network=network, u=u,
            )  # fmt: skip
        if rule == "by_seniority":
            cand = self.groups[want_tier]
        elif rule == "by_specialty":
            cand = self.groups.get(want_specialty, self.all)
        elif rule == "by_industry":
            cand = self.groups.get(want_industry, self.all)
        else:
            cand = self.all
        if isinstance(load, list):
            return _first_least(cand.tolist(), load)
        return int(cand[load[cand].argmin()])

    def choose_each(
        self,
        *,
        load: list[int],
        want_tier: np.ndarray,
        want_specialty: np.ndarray,
        want_industry: np.ndarray,
        preferred: np.ndarray,
        u: np.ndarray,
    ) -> np.ndarray:
        """:meth:`choose` for items handed out one after another (a month's new leads): each
        choice adds one to its manager's *load* (a list, updated in place), which the next
        choice sees.

        The same choices as calling :meth:`choose` item by item and adding one to the chosen
        manager's load each time: with plain Python lists for a small team (faster than a numpy
        call per item); for a big one, group by group at once when the groups share no manager
        (:func:`_fill_least`), else with a heap of each group's managers by load
        (:func:`_take_least`).

        Examples
        --------
        >>> a = Allocator("least_loaded", tier=np.zeros(2, int), specialty=np.zeros(2, int),
        ...               industry=np.zeros(2, int))
        >>> a.refresh(np.array([True, True]))
        >>> load = [1, 0]
        >>> z = np.zeros(3, int)
        >>> a.choose_each(load=load, want_tier=z, want_specialty=z, want_industry=z,
        ...               preferred=z - 1, u=np.zeros(3)).tolist(), load
        ([1, 0, 1], [2, 2])
        """
        count = len(want_tier)
        if not len(self.all):
            return np.full(count, -1, dtype=np.int64)
        everyone = self.all.tolist()
        chosen = []
        if self.rule == "by_relationship":  # the owner if still there, else whoever picked it up
            active = self.active.tolist()
            last = len(everyone) - 1
            for owner, pick in zip(preferred.tolist(), u.tolist(), strict=True):
                m = (
                    owner
                    if owner >= 0 and active[owner]
                    else everyone[min(int(pick * len(everyone)), last)]
                )
                load[m] += 1
                chosen.append(m)
        else:
            wanted = {"by_seniority": want_tier, "by_specialty": want_specialty,
                      "by_industry": want_industry}.get(self.rule)  # fmt: skip
            keys = [None] * count if wanted is None else wanted.tolist()
            if len(everyone) <= LIST_TEAM:
                groups = {key: members.tolist() for key, members in self.groups.items()}
                for key in keys:
                    m = _first_least(everyone if key is None else groups.get(key, everyone), load)
                    load[m] += 1
                    chosen.append(m)
            elif (filled := self._fill_groups(wanted, count, load)) is not None:
                return filled
            else:
                queues: dict[int | None, list[tuple[int, int]]] = {}
                for key in keys:
                    queue = queues.get(key)
                    if queue is None:  # the group's first item: its managers by (load, index)
                        group = self.all if key is None else self.groups.get(key, self.all)
                        queue = queues[key] = [(load[m], m) for m in group.tolist()]
                        heapq.heapify(queue)
                    chosen.append(_take_least(queue, load))
        return np.array(chosen, dtype=np.int64)

    def _fill_groups(self, wanted: np.ndarray | None, count: int,
                     load: list[int]) -> np.ndarray | None:  # fmt: skip
        """:meth:`choose_each`'s choices for a big team, group by group (:func:`_fill_least`),
        when the groups the items go to share no manager (the items of one group then take
        its managers in turn whatever the others do); None if two of them overlap (a wanted
        group missing falls back to the whole team), for the heap to hand them out item by
        item. *wanted*: each item's group (None: the whole team). *load* is updated in place."""
        if not count:
            return np.zeros(0, dtype=np.int64)
        keys = np.zeros(count, dtype=np.int64) if wanted is None else np.asarray(wanted)
        present = np.unique(keys).tolist()
        groups = [self.all if wanted is None else self.groups.get(key, self.all)
                  for key in present]  # fmt: skip
        members = np.concatenate(groups)
        if len(np.unique(members)) != len(members):
            return None
        loads = np.asarray(load, dtype=np.int64)
        chosen = np.empty(count, dtype=np.int64)
        for key, group in zip(present, groups, strict=True):
            at = np.flatnonzero(keys == key)
            chosen[at] = _fill_least(group, loads, len(at))
        taken, times = np.unique(chosen, return_counts=True)
        for m, c in zip(taken.tolist(), times.tolist(), strict=True):
            load[m] += c
        return chosen
