"""The operations pool's desks: a SimPy resource with a fast path for a free desk.

An operations unit (department with its own operations units) is one pool of desks shared by all
customers: a truly contended resource, so it is a :class:`simpy.Resource`. (Each account manager's
own hunting and farming desks serve one task at a time first come first served with a work time
known in advance, so the engine computes their queues instead: see :mod:`crmsim.sim.engine.funnel`
and :mod:`crmsim.sim.engine.service`.) Tasks that find the pool busy queue first-in first-out,
exactly as with a plain resource. The only additions are two fast paths: :meth:`Desk.seize` lets a
task that finds a free desk (and nobody waiting) take it without scheduling a request event, and
:meth:`Desk.free` lets a task leave without scheduling a release event (granting the first waiting
request at once, as processing a release would). Waiting tasks queue as SimPy requests and are
granted first-in first-out exactly as with a plain resource. This halves the events of a run.
"""

from __future__ import annotations

import simpy


class _Token:
    """Stands for a task using a desk it took on the fast path."""

    __slots__ = ()


class Desk(simpy.Resource):
    """A SimPy resource whose :meth:`seize` skips the request event when a slot is free.

    Examples
    --------
    >>> env = simpy.Environment()
    >>> desk = Desk(env)
    >>> token, wait = desk.seize()
    >>> wait is None, desk.count
    (True, 1)
    >>> token2, wait2 = desk.seize()   # busy: a normal request to yield
    >>> wait2.triggered
    False
    >>> desk.free(token)
    >>> env.run()
    >>> wait2.triggered, desk.count
    (True, 1)
    """

    def seize(self) -> tuple[object, simpy.resources.resource.Request | None]:
        """Take a slot: ``(token, None)`` if free now, else ``(request, request)`` to yield.

        Either way, pass the first element to :meth:`release` when done.
        """
        if len(self.users) < self.capacity and not self.put_queue:
            token = _Token()
            self.users.append(token)
            return token, None
        request = self.request()
        return request, request

    def free(self, token: object) -> None:
        """Give back the slot taken with :meth:`seize`; the first waiting task gets it at once.

        This does what processing a SimPy ``Release`` event does (remove the user, then let
        :meth:`~simpy.resources.base.BaseResource._trigger_put` grant waiting requests in
        order), without scheduling the release event itself.
        """
        self.users.remove(token)
        if self.put_queue:
            self._trigger_put(None)
