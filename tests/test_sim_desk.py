"""Tests for crmsim.sim.engine.desk: the fast path keeps first-come, first-served queueing."""

from __future__ import annotations

import simpy

from crmsim.sim.engine.desk import Desk


def _serve(env, desk, name, arrive, work, log):
    yield env.timeout(arrive)
    token, wait = desk.seize()
    if wait is not None:
        yield wait
    log.append((name, env.now))
    yield env.timeout(work)
    desk.release(token)


def test_fifo_hand_worked():
    # A arrives at 0 (works 3), B at 1 (works 2), C at 2 (works 1) on one desk:
    # A starts 0, B starts 3, C starts 5
    env = simpy.Environment()
    desk = Desk(env, capacity=1)
    log: list = []
    for name, arrive, work in (("A", 0, 3), ("B", 1, 2), ("C", 2, 1)):
        env.process(_serve(env, desk, name, arrive, work, log))
    env.run()
    assert log == [("A", 0), ("B", 3), ("C", 5)]


def test_same_start_times_as_a_plain_resource():
    def run(cls):
        env = simpy.Environment()
        desk = cls(env, capacity=2)
        log: list = []

        def plain(env, name, arrive, work):
            yield env.timeout(arrive)
            with desk.request() as req:
                yield req
                log.append((name, env.now))
                yield env.timeout(work)

        for i in range(30):
            arrive, work = (i * 7) % 11 * 0.5, (i * 5) % 7 + 0.5
            if cls is Desk:
                env.process(_serve(env, desk, i, arrive, work, log))
            else:
                env.process(plain(env, i, arrive, work))
        env.run()
        return sorted(log)

    assert run(Desk) == run(simpy.Resource)
