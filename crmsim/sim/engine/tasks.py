"""Light drivers for stories nobody waits for: :class:`Task` (SimPy generators: queued
service requests, the monthly dispatcher) and :class:`Agenda` (the leads' own calendar).

:class:`simpy.Process` schedules an ``Initialize`` event to start and triggers itself as an event
when it ends; a lead needs neither, and skipping both saves two of the few events of a typical
lead. :class:`Task` resumes its generator exactly as a Process does: with the value of each
yielded event once it is processed, or, if the event failed, by throwing its exception into the
generator (which may catch it). An exception the generator does not catch propagates out of
``env.run`` and stops the run, as from a Process.
"""

from __future__ import annotations

import array
import bisect
import heapq
import itertools
from collections.abc import Callable, Generator
from operator import itemgetter
from typing import Any

import numpy as np
import simpy


class Task:
    """Drive *gen*, a generator of SimPy events, with no start or end event.

    Examples
    --------
    >>> env = simpy.Environment()
    >>> seen = []
    >>> def story():
    ...     yield env.timeout(2)
    ...     seen.append(env.now)
    >>> Task(story()).start()
    >>> env.run()
    >>> seen
    [2]
    """

    __slots__ = ("gen",)

    def __init__(self, gen: Generator) -> None:
        self.gen = gen

    def start(self) -> None:
        """Run the generator now, up to the first event it must wait for."""
        self._step(True, None)

    def resume(self, event: simpy.Event) -> None:
        """Callback of a processed event: continue with its value (or its exception)."""
        if not event._ok:
            event._defused = True  # the failure is handed to the generator, as by a Process
        self._step(event._ok, event._value)

    def _step(self, ok: bool, value: Any) -> None:
        gen = self.gen
        while True:
            try:
                event = gen.send(value) if ok else gen.throw(value)
            except StopIteration:
                return
            if event.callbacks is not None:  # not processed yet: wait for it
                event.callbacks.append(self.resume)
                return
            ok, value = event._ok, event._value
            if not ok:
                event._defused = True


def _resume(story: Generator) -> float | None:
    """Wake a generator story: the time it yields next, None once it has ended."""
    return next(story, None)  # (a story that ends raises no StopIteration here)


class Agenda:
    """The funnel's own calendar: stories that give the time they next wake up.

    A story is a generator that yields the time it next wakes up, or any object that *wake*
    (a function) walks on and which it returns the time for (None once the story has ended):
    the funnel's leads (:meth:`crmsim.sim.engine.funnel.Funnel._advance`).

    Leads do not contend for any SimPy resource (their desks are computed free-at times) and
    nothing else in the model waits for them, so they need no SimPy events: :meth:`run_until`
    wakes the stories in time order (ties in the order they were scheduled, as in SimPy), with
    :attr:`now` the current time. The month clock, a SimPy process, runs the agenda up to each
    month end before the month-end accounts, so the agenda's time never runs ahead of the
    model's.

    The calendar is kept by day, like a desk diary: the stories due on later days in one
    unsorted list per day, their times beside them in a compact array of doubles; when a day
    comes, its times are sorted once (a stable numpy argsort) and read in order (a story due
    on the day itself is put in its place in the rest of the day). A big run keeps tens of
    thousands of leads waiting; one heap of all of them costs a long walk through scattered
    memory at every wake-up, and so would a ``(time, story)`` tuple per entry (each wake-up
    would read a tuple and a float allocated long before, wherever they were): the times of
    a day are read from one fresh list, side by side. A day's entries are in order of
    scheduling and the sort is stable, so stories due at the same time wake in the order they
    were scheduled. Times are days (finite, not negative).

    Examples
    --------
    >>> agenda, seen = Agenda(), []
    >>> def story(name, times):
    ...     for t in times:
    ...         yield t
    ...         seen.append((agenda.now, name))
    >>> agenda.start(1.0, story("a", [2.0, 5.0]))
    >>> agenda.start(0.5, story("b", [2.0]))
    >>> agenda.run_until(3.0)
    >>> seen, agenda.now
    ([(2.0, 'b'), (2.0, 'a')], 3.0)
    >>> agenda.run_until(10.0)
    >>> seen[-1], len(agenda)
    ((5.0, 'a'), 0)
    """

    __slots__ = ("now", "_times", "_stories", "_next", "_day", "_later", "_days", "_wake")

    def __init__(self, wake: Callable[[Any], float | None] | None = None) -> None:
        self.now = 0.0
        # how a story is woken: it returns the time it next wakes up, None once it has ended
        self._wake = _resume if wake is None else wake
        self._times: list[float] = []  # the day's wake-up times, sorted
        self._stories: list[Any] = []  # the day's stories, in the order of _times
        self._next = 0  # position in the day of the next story to wake
        self._day = -1  # the day _times and _stories hold
        # day -> its stories' times and the stories, in order of scheduling
        self._later: dict[int, tuple[array.array, list[Any]]] = {}
        self._days: list[int] = []  # heap of the days in _later

    def __len__(self) -> int:
        """Number of stories waiting."""
        return len(self._stories) - self._next + sum(len(s) for _, s in self._later.values())

    def clear(self) -> None:
        """Forget every waiting story (the run is over)."""
        self._times, self._stories, self._next, self._later, self._days = [], [], 0, {}, []

    def _add(self, t: float, story: Any) -> None:
        """Put *story* in the calendar at time *t* (after any story already due then)."""
        day = int(t)
        if day == self._day:  # after the stories due at t or before
            j = bisect.bisect_right(self._times, t, self._next)
            self._times.insert(j, t)
            self._stories.insert(j, story)
            return
        bucket = self._later.get(day)
        if bucket is None:
            self._later[day] = bucket = (array.array("d"), [])
            heapq.heappush(self._days, day)
        bucket[0].append(t)
        bucket[1].append(story)

    def start(self, t: float, story: Any) -> None:
        """Start *story* at time *t*, not before now (it runs up to its first ``yield`` then)."""
        if t < self.now:
            raise ValueError(f"a story cannot start at {t}, before now ({self.now})")
        self._add(t, story)

    def start_all(self, times: np.ndarray, stories: list[Any]) -> None:
        """:meth:`start` for each story of *stories* at its time in *times*, in turn: the same
        calendar, in one call (a month's new leads, tens of thousands in a big run).

        The stories are put away a day at a time: the day of each time from numpy, then each
        day's times and stories added to its bucket in one go (in their order, so ties keep the
        order of *stories*). Nothing is scheduled if a time is before now.

        Examples
        --------
        >>> agenda, seen = Agenda(), []
        >>> def story(name):
        ...     seen.append((agenda.now, name))
        ...     yield from ()
        >>> agenda.start_all(np.array([2.5, 1.0, 2.5]), [story("a"), story("b"), story("c")])
        >>> agenda.run_until(3.0)
        >>> seen
        [(1.0, 'b'), (2.5, 'a'), (2.5, 'c')]
        """
        t = np.asarray(times, dtype=np.float64)
        if len(t) != len(stories):
            raise ValueError(f"{len(t)} times for {len(stories)} stories")
        if not len(t):
            return
        if t.min() < self.now:
            first = t[np.flatnonzero(t < self.now)[0]]
            raise ValueError(f"a story cannot start at {first}, before now ({self.now})")
        day_of = t.astype(np.int64)  # (int(t): times are not negative)
        if len(t) > 1 and not bool((day_of[1:] >= day_of[:-1]).all()):
            order = np.argsort(day_of, kind="stable")  # by day, each day in the given order
            t, day_of = t[order], day_of[order]
            stories = list(itemgetter(*order.tolist())(stories))
        cuts = [0, *(np.flatnonzero(day_of[1:] != day_of[:-1]) + 1).tolist(), len(t)]
        later, days = self._later, self._days
        for a, b in itertools.pairwise(cuts):
            d = int(day_of[a])
            if d == self._day:  # today's: each in its place among the rest of the day
                for j in range(a, b):
                    self._add(float(t[j]), stories[j])
                continue
            bucket = later.get(d)
            if bucket is None:
                later[d] = bucket = (array.array("d"), [])
                heapq.heappush(days, d)
            bucket[0].frombytes(t[a:b].tobytes())
            bucket[1].extend(stories[a:b])

    @staticmethod
    def _sorted(times: array.array, stories: list[Any],
                ) -> tuple[list[float], list[Any]]:  # fmt: skip
        """A day's times and stories in time order (ties in order of scheduling)."""
        a = np.frombuffer(times, dtype=np.float64)
        if len(a) < 2 or bool((a[1:] >= a[:-1]).all()):
            return a.tolist(), stories
        order = np.argsort(a, kind="stable")
        return a[order].tolist(), list(itemgetter(*order.tolist())(stories))  # (2 or more)

    def run_until(self, end: float) -> None:
        """Wake every story due before *end*, in time order; then the time is *end*."""
        later, days, bisect_right = self._later, self._days, bisect.bisect_right
        heappop, heappush, new_bucket = heapq.heappop, heapq.heappush, array.array
        wake_up = self._wake
        times, stories, i, today = self._times, self._stories, self._next, self._day
        try:
            while True:
                if i == len(times):  # the day is done: open the next, if it begins before the end
                    if not days or days[0] >= end:
                        break
                    self._day = today = heappop(days)
                    times, stories = self._sorted(*later.pop(today))
                    self._times, self._stories = times, stories
                    i = 0
                t = times[i]
                if t >= end:
                    break
                story = stories[i]
                i += 1
                # (a story may start another; _add reads _next, set only as the run stops: the
                # stories before i are due by now, so _add puts it after them all the same)
                self.now = t
                wake = wake_up(story)
                if wake is None:
                    continue
                if wake < t:
                    raise ValueError(f"a story asked to wake at {wake}, before now ({t})")
                day = int(wake)
                if day == today:  # (inline _add: the hot path)
                    j = bisect_right(times, wake, i)
                    times.insert(j, wake)
                    stories.insert(j, story)
                else:
                    bucket = later.get(day)
                    if bucket is None:
                        later[day] = bucket = (new_bucket("d"), [])
                        heappush(days, day)
                    bucket[0].append(wake)
                    bucket[1].append(story)
        finally:
            self._next = i
        self.now = end
