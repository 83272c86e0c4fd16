"""A light driver for SimPy generators that nobody waits for (leads, dispatchers).

:class:`simpy.Process` schedules an ``Initialize`` event to start and triggers itself as an event
when it ends; a lead needs neither, and skipping both saves two of the few events of a typical
lead. :class:`Task` resumes its generator exactly as a Process does: with the value of each
yielded event once it is processed, or, if the event failed, by throwing its exception into the
generator (which may catch it). An exception the generator does not catch propagates out of
``env.run`` and stops the run, as from a Process.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

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
