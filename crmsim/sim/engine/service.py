"""Service requests: drawn at month start, queued first come first served at a desk, worked,
resolved after any coordination delay, then recorded (on time? praise? complaint?).

Two kinds of desk:

- **The customer's own manager's farming desk** serves one request at a time, first come first
  served, and the work of a request (hours / the manager's farming speed) is known when it is
  taken up. So start and end times follow from the Lindley recursion on a per-manager *free-at*
  time, ``start = max(arrival, free_at); free_at = start + work``, computed for the whole month
  at month start with no SimPy event. Managers leave only at month starts, so a request taken up
  within its month finds its manager there; one that queues into a later month waits for each
  month start (the :attr:`month_begins` event) and is passed to the successor if its manager has
  left meanwhile. A request that ends after the month is recorded in the month it ends, as if
  it had been an event.
- **The operations pool** of a department with its own operations units is a truly shared
  resource: a :class:`~crmsim.sim.engine.desk.Desk` (SimPy) with one slot per operations staff
  member.

Part of :class:`~crmsim.sim.engine.model.Simulation` (a mixin).
"""

from __future__ import annotations

from collections.abc import Generator
from functools import partial
from typing import Any

import numpy as np

from crmsim.sim.engine.desk import Desk
from crmsim.sim.engine.records import MONTH
from crmsim.sim.engine.tasks import Task
from crmsim.sim.scenario.lifecycle import LOST
from crmsim.sim.streams import exponential_from_uniform, poisson_from_uniform

#: Customers whose service uniforms are drawn at a time (a block that stays in the cache).
SERVICE_BLOCK = 4096


class Service:
    """Service requests at the managers' farming desks or the operations pool."""

    def _schedule_service(self, month: int) -> None:
        C = self.C
        n = C.n
        active = np.flatnonzero(C.stage[:n] != LOST)
        if not len(active):
            return
        k = self.k_max
        first, kept, at = self._service_uniforms(month)
        counts = poisson_from_uniform(first[active], self.request_rate[C.stage[active]], cap=k)
        # request j of the customer in row r of the active ones: its uniforms follow the count
        rows = np.repeat(np.arange(len(counts)), counts)
        if not len(rows):
            return
        js = np.arange(len(rows)) - (np.cumsum(counts) - counts)[rows]
        cust = active[rows]
        if (at[cust] < 0).any():  # pragma: no cover - a customer asked below its cut (see there)
            kept, at = self.streams.generator("service", month).random((n, 1 + 4 * k)), cust
        else:
            at = at[cust]
        times = month * MONTH + kept[at, 1 + 4 * js] * MONTH
        hours = exponential_from_uniform(kept[at, 2 + 4 * js], self.sc.service.request_hours)
        coord = self.fx.coordination_delays(kept[at, 3 + 4 * js])
        u_cp = kept[at, 4 + 4 * js]
        if not self.limited:
            order = np.lexsort((cust, times))
            for args in zip(times[order].tolist(), cust[order].tolist(), hours[order].tolist(),
                            coord[order].tolist(), u_cp[order].tolist(), strict=True):  # fmt: skip
                self._serve_unlimited(*args)
            return
        if self.ops is not None:
            arrive = self._arrive_at_pool
            for t, c, h, d, uc in zip(times.tolist(), cust.tolist(), hours.tolist(),
                                      coord.tolist(), u_cp.tolist(), strict=True):  # fmt: skip
                self._arrive_at(t, partial(arrive, c, t, h, d, uc))
            return
        self._serve_at_own_desks(C.manager[cust], cust, times, hours, coord, u_cp)

    def _service_uniforms(self, month: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The month's "service" uniforms, as far as they are used.

        The stream holds a row per customer (active or not): the uniform of the customer's
        request count, then four per request up to the cap ``k_max`` (time, hours,
        coordination, praise or complaint). Returns the count uniform of every customer, the
        rows of the customers who may ask for something and, per customer, the position of
        its row among them (-1: not kept). A customer asks for nothing when its count uniform
        is below ``exp(-rate)``, the chance of no request (most customers, in most months);
        its row is kept only if it is above a hair less than that. The rows are drawn a block
        at a time into one buffer: the same numbers as drawing the whole table at once,
        without writing 40 MB a month for a big book.
        """
        n, width = self.C.n, 1 + 4 * self.k_max
        g = self.streams.generator("service", month)
        cut = np.exp(-self.request_rate[self.C.stage[:n]]) * (1 - 1e-9)
        first = np.empty(n)
        block = np.empty((min(n, SERVICE_BLOCK), width))
        kept, rows = [], []
        for a in range(0, n, SERVICE_BLOCK):
            u = g.random(out=block[: min(n - a, SERVICE_BLOCK)])
            first[a : a + len(u)] = u[:, 0]
            may_ask = np.flatnonzero(u[:, 0] >= cut[a : a + len(u)])
            kept.append(u[may_ask])
            rows.append(may_ask + a)
        at = np.full(n, -1)
        rows_kept = np.concatenate(rows)
        at[rows_kept] = np.arange(len(rows_kept))
        return first, np.concatenate(kept), at

    def _serve_at_own_desks(
        self, server: np.ndarray, cust: np.ndarray, times: np.ndarray, hours: np.ndarray,
        coord: np.ndarray, u_cp: np.ndarray,
    ) -> None:  # fmt: skip
        """The month's requests at the managers' own desks: start and end of each from the
        Lindley recursion per desk, in arrival order; the ones done within the month are
        recorded at once (vectorised), the others when their time comes."""
        order = np.lexsort((times, server))
        server, cust, times = server[order], cust[order], times[order]
        hours, coord, u_cp = hours[order], coord[order], u_cp[order]
        active, free_at = self.active_list, self.farm_free_at
        busy, end = self.busy_farm, self.month_end_day
        works = hours / self.M.farm_speed[server]  # (a server -1 is skipped below)
        starts, now = [], []  # requests worked (and ended) within the month
        for j, (s, t, work) in enumerate(zip(server.tolist(), times.tolist(), works.tolist(),
                                             strict=True)):  # fmt: skip
            if s < 0 or not active[s]:
                continue  # nobody to serve it (the whole team has gone): dropped
            free = free_at[s]
            start = t if t > free else free
            free_at[s] = done = start + work
            if done < end:
                now.append(j)
                starts.append(start)
                busy[s] += work  # all of it in this month (see _add_busy)
            elif start < end:
                self._work_request(s, int(cust[j]), t, start, work, float(coord[j]),
                                   float(u_cp[j]))  # fmt: skip
            else:
                Task(self._queued_request(s, int(cust[j]), t, start, work, float(hours[j]),
                                          float(coord[j]), float(u_cp[j]))).start()  # fmt: skip
        if not now:
            return
        j = np.array(now)
        s, c = server[j], cust[j]
        wait = np.array(starts) - times[j]
        skill = self.eff_skill[s] + self.C.fit[c]
        self._record_requests(c, s, wait, wait + works[j] + coord[j], skill, u_cp[j])

    def _take_request(self, s: int, c: int, t0: float, t: float, hours: float, coord: float,
                      u_cp: float) -> None:  # fmt: skip
        """Request of customer *c* (first raised at *t0*) joins manager *s*'s queue at *t*."""
        if s < 0 or not self.active_list[s]:
            return  # nobody to serve it (the whole team has gone): the request is dropped
        free = self.farm_free_at[s]
        start = t if t > free else free
        work = hours / self.farm_speed_list[s]
        self.farm_free_at[s] = start + work
        if start < self.month_end_day:
            self._work_request(s, c, t0, start, work, coord, u_cp)
        else:
            Task(self._queued_request(s, c, t0, start, work, hours, coord, u_cp)).start()

    def _queued_request(self, s: int, c: int, t0: float, start: float, work: float,
                        hours: float, coord: float, u_cp: float) -> Generator:  # fmt: skip
        """A request whose turn comes in a later month: its manager may leave before."""
        env, C = self.env, self.C
        while True:
            yield self.month_begins
            if not self.active_list[s]:
                # pass it to his successor; drop it if the customer has gone or has no one yet
                if C.stage[c] != LOST and int(C.manager[c]) != s:
                    self._take_request(int(C.manager[c]), c, t0, env.now, hours, coord, u_cp)
                return
            if start < self.month_end_day:
                break
        if start > env.now:
            yield env.timeout(start - env.now)
        self._work_request(s, c, t0, start, work, coord, u_cp)

    def _work_request(self, s: int, c: int, t0: float, start: float, work: float, coord: float,
                      u_cp: float) -> None:  # fmt: skip
        """Manager *s* works the request from *start*; it is recorded when the work ends."""
        self._add_busy(True, s, start, work)
        wait = start - t0
        skill = self.eff_list[s] + float(self.C.fit[c])
        record = (c, s, wait, wait + work + coord, skill, u_cp)
        done = start + work
        if done < self.month_end_day:
            self._record_request(*record)
        else:
            self.pending_records.append((done, record))

    def _record_pending(self) -> None:
        """At month start: record the requests whose work ends in this month."""
        end = self.month_end_day
        due = [r for r in self.pending_records if r[0] < end]
        self.pending_records = [r for r in self.pending_records if r[0] >= end]
        for _, record in sorted(due, key=lambda r: r[0]):
            self._record_request(*record)

    # the operations pool: a SimPy resource shared by all customers

    def _arrive_at_pool(self, c: int, t0: float, hours: float, coord: float, u_cp: float) -> None:
        """A service request arrives and queues at the operations pool."""
        desk: Desk = self.ops_units[int(self.C.line[c])]  # the unit of the customer's line
        token, wait = desk.seize()
        if wait is None:
            self._start_at_pool(c, t0, hours, coord, u_cp, token, desk)
        else:
            wait.callbacks.append(
                lambda _e: self._start_at_pool(c, t0, hours, coord, u_cp, token, desk)
            )

    def _start_at_pool(self, c: int, t0: float, hours: float, coord: float, u_cp: float,
                       token: object, desk: Desk) -> None:  # fmt: skip
        env, fx = self.env, self.fx
        wait = env.now - t0
        work = hours / fx.operations_speed

        def done(_e: Any) -> None:
            desk.free(token)
            self._record_request(c, -1, wait, wait + work + coord, fx.operations_skill, u_cp)

        env.timeout(work).callbacks.append(done)

    def _serve_unlimited(self, t0: float, c: int, hours: float, coord: float, u_cp: float) -> None:
        """A service request with unlimited capacity: served on arrival, no queue."""
        C, M, fx = self.C, self.M, self.fx
        if fx.operations_staff == 0:
            server = int(C.manager[c])
            speed = M.farm_speed[server]
            skill = self.eff_list[server] + C.fit[c]
        else:
            server, speed, skill = -1, fx.operations_speed, fx.operations_skill
        work = hours / speed
        self._add_busy(True, server, t0, work)
        self._record_request(c, server, 0.0, work + coord, skill, u_cp)

    def _record_requests(
        self, c: np.ndarray, server: np.ndarray, wait: np.ndarray, response: np.ndarray,
        skill: np.ndarray, u_cp: np.ndarray,
    ) -> None:  # fmt: skip
        """:meth:`_record_request` for many requests at once (arrays)."""
        sv, C, M, st = self.sc.service, self.C, self.M, self.tally
        st.requests += len(c)
        st.wait_sum += float(wait.sum())
        st.response_sum += float(response.sum())
        np.add.at(C.m_requests, c, 1)
        np.add.at(C.requests, c, 1)
        m = C.manager[c]
        np.add.at(M.requests, m[m >= 0], 1)
        on_time = response <= self.response_target
        praise = on_time & (u_cp < sv.praise_probability * np.minimum(skill, 1.0))
        complaint = ~on_time & (u_cp < sv.late_complaint_probability)
        st.on_time += int(on_time.sum())
        np.add.at(C.m_on_time, c[on_time], 1)
        np.add.at(C.m_praise, c[praise], 1)
        np.add.at(C.m_complaints, c[complaint], 1)
        if self.record_events:
            for k in np.flatnonzero(praise | complaint).tolist():
                if praise[k]:
                    self._log("praise", customer=int(c[k]), manager=int(server[k]))
                else:
                    self._log("complaint", customer=int(c[k]), manager=int(server[k]),
                              detail="late service")  # fmt: skip

    def _record_request(
        self, c: int, server: int, wait: float, response: float, skill: float, u_cp: float
    ) -> None:
        sv, C, M, st = self.sc.service, self.C, self.M, self.tally
        st.requests += 1
        st.wait_sum += wait
        st.response_sum += response
        C.m_requests[c] += 1
        C.requests[c] += 1
        m = int(C.manager[c])
        if m >= 0:
            M.requests[m] += 1
        if response <= self.response_target:
            st.on_time += 1
            C.m_on_time[c] += 1
            if u_cp < sv.praise_probability * min(skill, 1.0):
                C.m_praise[c] += 1
                self._log("praise", customer=c, manager=server)
        elif u_cp < sv.late_complaint_probability:
            C.m_complaints[c] += 1
            self._log("complaint", customer=c, manager=server, detail="late service")
