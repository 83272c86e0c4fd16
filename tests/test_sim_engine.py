"""Tests for crmsim.sim.engine: the Task adapter, named records, and the StructureEffects hook."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

from crmsim.sim.engine import Simulation, StructureEffects
from crmsim.sim.engine.records import MonthFlows, MonthTally, Table, record_fields
from crmsim.sim.engine.tasks import Task
from crmsim.sim.scenario import Scenario


def test_task_resumes_with_event_values_like_a_process():
    env = simpy.Environment()
    seen = []

    def story():
        value = yield env.timeout(1.5, value="a")
        seen.append((env.now, value))
        done = env.event()
        done.succeed("b")
        seen.append((env.now, (yield done)))  # an event triggered but not yet processed
        seen.append((env.now, (yield env.timeout(0, value="c"))))

    Task(story()).start()
    env.run()
    assert seen == [(1.5, "a"), (1.5, "b"), (1.5, "c")]


def test_task_throws_a_failed_event_into_the_generator():
    env = simpy.Environment()
    caught = []

    def story():
        bad = env.event()
        bad.fail(ValueError("no desk"))
        try:
            yield bad
        except ValueError as exc:
            caught.append((env.now, str(exc)))
        yield env.timeout(1)
        caught.append(env.now)

    Task(story()).start()
    env.run()  # the failure was handled: the run goes on
    assert caught == [(0, "no desk"), 1]


def test_an_unhandled_failure_stops_the_run_as_from_a_process():
    env = simpy.Environment()

    def raising():
        yield env.timeout(2)
        raise RuntimeError("broken lead")

    Task(raising()).start()
    with pytest.raises(RuntimeError, match="broken lead"):
        env.run()

    env = simpy.Environment()

    def waiting_for_a_failure():
        event = env.event()
        env.timeout(1).callbacks.append(lambda _e: event.fail(KeyError("lost")))
        yield event

    Task(waiting_for_a_failure()).start()
    with pytest.raises(KeyError):
        env.run()


def test_tables_grow_and_keep_named_columns():
    t = Table({"a": (np.int64, -1), "b": (np.float64, np.nan)}, capacity=1)
    for i in range(20):
        t.append(a=i)
    first = t.extend(5, b=np.arange(5.0))
    assert (t.n, first) == (25, 20)
    assert t.a[:20].tolist() == list(range(20)) and (t.a[20:25] == -1).all()
    assert np.isnan(t.b[:20]).all() and t.b[20:25].tolist() == [0, 1, 2, 3, 4]
    assert "requests" in record_fields(MonthTally) and len(record_fields(MonthFlows)) == 18


def test_table_rows_take_their_fill_values_as_they_come_into_use():
    # rows are filled a few thousand at a time (records.FILL_ROWS), across growth too
    t = Table({"a": (np.int64, -1), "b": (np.float64, 0.5)}, capacity=10_000)
    for i in range(6_000):
        t.append(a=i)
    t.extend(30_000, b=2.0)
    t.append()
    assert t.n == 36_001
    assert t.a[:6_000].tolist() == list(range(6_000)) and (t.a[6_000 : t.n] == -1).all()
    assert (t.b[:6_000] == 0.5).all() and (t.b[6_000:36_000] == 2.0).all() and t.b[36_000] == 0.5


def _run_with(monkeypatch, **changes):
    original = StructureEffects.from_scenario.__func__

    def patched(cls, scenario, n, hours, people=0, **kwargs):
        return dataclasses.replace(original(cls, scenario, n, hours, people, **kwargs),
                                   **changes)  # fmt: skip

    monkeypatch.setattr(StructureEffects, "from_scenario", classmethod(patched))
    sim = Simulation(Scenario.synthetic(80, 4, months=3), seed=4)
    return sim, sim.run()


def test_structure_effects_are_the_one_hook(monkeypatch):
    sc = Scenario.synthetic(80, 4, months=3)
    base = Simulation(sc, seed=4)
    fx = base.fx
    assert fx.account_time_share == sc.structure.time_share
    assert fx.pay_share == sc.structure.cost_share
    base_result = base.run()
    # (b) work per contact doubled: every desk works at half the speed
    slow, _ = _run_with(monkeypatch, work_multiplier=2.0)
    assert np.allclose(slow.M.hunt_speed[: slow.M.n], base.M.hunt_speed[: base.M.n] / 2)
    assert np.allclose(slow.M.farm_speed[: slow.M.n], base.M.farm_speed[: base.M.n] / 2)
    # (e) fixed costs: 1,000 CNY more overhead a month lowers net contribution by exactly that
    monkeypatch.undo()
    _, dear = _run_with(monkeypatch, monthly_overhead=fx.monthly_overhead + 1000.0)
    diff = base_result.monthly["net_contribution"] - dear.monthly["net_contribution"]
    assert np.allclose(diff, 1000.0)
    # (d) revenue multiplier: revenue scales, everything before month end is unchanged
    monkeypatch.undo()
    _, rich = _run_with(monkeypatch, revenue_multiplier=1.5)
    assert rich.monthly["revenue"].iloc[0] == pytest.approx(
        1.5 * base_result.monthly["revenue"].iloc[0]
    )
    # (c) skill shift moves every manager's starting skill
    monkeypatch.undo()
    skilled, _ = _run_with(monkeypatch, skill_shift=0.05)
    start = base.M.skill_start[: base.M.n]
    assert np.allclose(skilled.M.skill_start[: skilled.M.n], np.clip(start + 0.05, 0.05, 1.0))


def test_hunting_desks_are_never_booked_beyond_their_time():
    """A desk serves one step at a time: booked hunting time never exceeds the time available,
    even when leads pile up (one manager, a flood of leads)."""
    sc = Scenario.synthetic(30, 1, months=4, channels__telemarketing__leads_per_month=400.0)
    r = Simulation(sc, seed=3).run()
    assert (r.monthly["hunting_utilisation"] <= 1.0 + 1e-9).all()
    assert r.monthly["hunting_utilisation"].iloc[1:].min() > 0.9  # saturated
    assert (r.leads["outcome"] == "cold").sum() > 0


def test_agenda_wakes_stories_in_time_order_ties_first_scheduled_first():
    from crmsim.sim.engine.tasks import Agenda

    agenda, seen = Agenda(), []

    def story(name, wakes):
        for t in wakes:
            yield t
            seen.append((agenda.now, name))

    agenda.start(0.0, story("x", [3.0, 3.0, 7.0]))
    agenda.start(0.0, story("y", [3.0, 6.0]))
    agenda.start(4.0, story("z", []))
    agenda.run_until(6.0)  # strictly before the end: 6.0 waits for the next run
    assert seen == [(3.0, "x"), (3.0, "y"), (3.0, "x")]
    assert agenda.now == 6.0
    agenda.run_until(100.0)
    assert seen[3:] == [(6.0, "y"), (7.0, "x")]
    assert len(agenda) == 0


def test_agenda_refuses_to_go_back_in_time():
    from crmsim.sim.engine.tasks import Agenda

    agenda = Agenda()

    def story():
        yield 5.0
        yield 1.0

    agenda.start(0.0, story())
    with pytest.raises(ValueError, match="before now"):
        agenda.run_until(10.0)


def test_a_story_may_start_another_which_runs_after_it_at_the_same_time():
    from crmsim.sim.engine.tasks import Agenda

    agenda, seen = Agenda(), []

    def child(name):
        seen.append((agenda.now, name))
        yield agenda.now + 1.0
        seen.append((agenda.now, name))

    def parent():
        yield 2.0
        agenda.start(agenda.now, child("c"))  # now: after the parent, before its next wake-up
        seen.append((agenda.now, "p"))
        yield 2.0
        seen.append((agenda.now, "p"))

    agenda.start(0.0, parent())
    agenda.start(2.0, child("d"))
    agenda.run_until(10.0)
    assert seen == [(2.0, "d"), (2.0, "p"), (2.0, "c"), (2.0, "p"), (3.0, "d"), (3.0, "c")]
    with pytest.raises(ValueError, match="before now"):
        agenda.start(1.0, child("late"))


def test_a_run_restores_the_garbage_collector_settings():
    import gc

    before = gc.get_threshold()
    Simulation(Scenario.synthetic(30, 2, months=2), seed=1).run()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_a_won_customer_keeps_the_fit_it_had_as_a_lead():
    sim = Simulation(Scenario.synthetic(120, 5, months=4), seed=6)
    sim.run()
    C, won = sim.C, np.arange(sim.n_book, sim.C.n)
    assert len(won) > 0
    assert np.allclose(C.fit[won], sim._fit_array(won, C.manager[won]))


def test_the_event_log_is_in_time_order():
    sc = Scenario.synthetic(60, 3, months=3, structure="department_with_operations")
    events = Simulation(sc, seed=2, record_events=True).run().events
    assert len(events) > 50 and events["day"].is_monotonic_increasing
    assert {"lead_arrived", "praise"} <= set(events["event"]) or "complaint" in set(events["event"])


@given(
    st.lists(st.sampled_from([3.25, 3.5, 3.5, 3.75, 4.0, 5.5, 9.0]), max_size=12),
    st.lists(st.sampled_from([3.5, 3.75, 6.0]), max_size=4),
)
@settings(max_examples=60, deadline=None)
def test_starting_stories_together_schedules_them_as_one_by_one(times, waiting):
    """Agenda.start_all (a month's new leads, put away a day at a time) wakes the stories in
    the same order as Agenda.start story by story: in time order, ties in the order given, the
    ones due later today in their place among the day's stories still waiting."""
    from crmsim.sim.engine.tasks import Agenda

    def wakes(together: bool) -> list[tuple[float, str]]:
        agenda, seen = Agenda(), []

        def story(name):
            seen.append((agenda.now, name))
            yield from ()

        for j, t in enumerate(waiting):  # already in the calendar, some of them today
            agenda.start(t, story(f"w{j}"))
        agenda.start(3.0, story("now"))
        agenda.run_until(3.25)  # today is day 3, part of it gone
        new = [story(f"n{j}") for j in range(len(times))]
        if together:
            agenda.start_all(np.array(times, dtype=float), new)
        else:
            for t, s in zip(times, new, strict=True):
                agenda.start(t, s)
        agenda.run_until(100.0)
        return seen

    assert wakes(True) == wakes(False)


def test_an_agenda_walks_state_objects_on_with_its_wake_function():
    """The funnel's leads are not generators but objects Agenda(wake=...) walks on: the
    function returns the time the object next wakes up, None once it has ended; they wake in
    time order, ties in the order they were scheduled, as generators do."""
    from crmsim.sim.engine.tasks import Agenda

    seen = []

    class Story:
        def __init__(self, name, wakes):
            self.name, self.wakes = name, list(wakes)

    def wake(story):
        seen.append((agenda.now, story.name))
        return story.wakes.pop(0) if story.wakes else None

    agenda = Agenda(wake=wake)
    agenda.start(1.0, Story("a", [2.0, 4.0]))
    agenda.start(0.5, Story("b", [2.0]))
    agenda.run_until(3.0)
    assert seen == [(0.5, "b"), (1.0, "a"), (2.0, "b"), (2.0, "a")]
    agenda.run_until(10.0)
    assert seen[4:] == [(4.0, "a")] and len(agenda) == 0
