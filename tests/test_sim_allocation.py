"""Tests for crmsim.sim.scenario.allocation: each allocation rule on hand-made teams."""

from __future__ import annotations

import heapq

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import ParameterError
from crmsim.sim.engine.allocation import (
    Allocator,
    choose_manager,
    importance_class,
    wanted_specialty,
)
from crmsim.sim.scenario.allocation import LIST_TEAM, AllocationParams
from crmsim.terms import RULES

# team: 0 senior/key_accounts/commercial, 1 regular/new_business/industrial,
#       2 junior/credit_collections/private, 3 junior/product_solutions/group
TEAM = {
    "tier": np.array([0, 1, 2, 2]),
    "specialty": np.array([0, 1, 2, 3]),
    "industry": np.array([0, 1, 2, 3]),
}
ALL = np.array([True, True, True, True])


def pick(rule, load=(0, 0, 0, 0), active=ALL, **want):
    kwargs = {"want_tier": 2, "want_specialty": 1, "want_industry": 0, **want}
    return choose_manager(rule, active=active, load=np.array(load), **TEAM, **kwargs)


def test_importance_and_specialty_codes_hand_worked():
    # wallets >= 100 are key (0), >= 50 mid (1), else small (2)
    assert importance_class(np.array([150, 100, 60, 10]), 100, 50).tolist() == [0, 0, 1, 2]
    # key -> key_accounts; grade C/D -> credit; solution types -> product_solutions; else new
    spec = wanted_specialty(np.array([True, False, False, False]), np.array([0, 2, 1, 0]),
                            np.array([False, False, True, False]))  # fmt: skip
    assert spec.tolist() == [0, 2, 3, 1]


def test_by_seniority_matches_tier_and_falls_back_to_nearest():
    assert pick("by_seniority", want_tier=0) == 0
    assert pick("by_seniority", want_tier=1) == 1
    # two juniors: the less loaded one
    assert pick("by_seniority", load=(0, 0, 5, 2), want_tier=2) == 3
    # no senior active: the nearest tier (regular)
    assert pick("by_seniority", active=np.array([False, True, True, True]), want_tier=0) == 1


def test_by_specialty_and_by_industry():
    assert pick("by_specialty", want_specialty=2) == 2
    assert pick("by_industry", want_industry=3) == 3
    # nobody with that industry active: least loaded of all
    assert pick("by_industry", load=(4, 1, 3, 3), active=np.array([True, True, True, False]),
                want_industry=3) == 1  # fmt: skip


def test_by_relationship_keeps_the_owner_or_follows_the_network():
    assert pick("by_relationship", preferred=2) == 2
    # owner gone: the colleague with most customers of the same industry group
    network = np.array([1, 7, 3, 0])
    assert pick("by_relationship", preferred=2, active=np.array([True, True, False, True]),
                network=network) == 1  # fmt: skip
    # an unreferred lead goes to whoever picked it up: u indexes the active managers
    assert pick("by_relationship", u=0.0) == 0
    assert pick("by_relationship", u=0.99) == 3


def test_least_loaded_and_ties():
    assert pick("least_loaded", load=(3, 1, 1, 2)) == 1  # tie -> lower index
    assert pick("least_loaded", active=np.zeros(4, bool)) == -1


@given(
    rule=st.sampled_from(RULES),
    load=st.lists(st.integers(0, 50), min_size=4, max_size=4),
    active=st.lists(st.booleans(), min_size=4, max_size=4).filter(any),
    tier=st.integers(0, 2),
    u=st.floats(0, 0.999),
)
def test_the_chosen_manager_is_always_active(rule, load, active, tier, u):
    m = pick(rule, load=load, active=np.array(active), want_tier=tier, u=u,
             network=np.array(load))  # fmt: skip
    assert active[m]


@given(
    rule=st.sampled_from(RULES),
    load=st.lists(st.integers(0, 5), min_size=4, max_size=4),
    active=st.lists(st.booleans(), min_size=4, max_size=4),
    items=st.lists(
        st.tuples(
            st.integers(0, 2),
            st.integers(0, 3),
            st.integers(0, 3),
            st.integers(-1, 3),
            st.floats(0, 0.999),
        ),
        max_size=12,
    ),  # fmt: skip
)
def test_handing_out_in_one_go_is_choosing_one_by_one(rule, load, active, items):
    # choose_each gives the choices of choose() called item by item, each adding one to the
    # chosen manager's load, and leaves the load as they would
    hand_out_both_ways(Allocator(rule, **TEAM), load, active, items)


@given(
    rule=st.sampled_from(RULES),
    team=st.lists(st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 3),
                            st.integers(0, 4), st.booleans()), min_size=25, max_size=40),
    items=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 3),
                  st.integers(-1, 24), st.floats(0, 0.999)),
        max_size=30,
    ),
)  # fmt: skip
def test_a_big_team_is_handed_out_the_same_way(rule, team, items):
    # a team of more than LIST_TEAM active managers takes choose_each's heap way
    tier, specialty, industry, load, active = (list(col) for col in zip(*team, strict=True))
    active[: LIST_TEAM + 1] = [True] * (LIST_TEAM + 1)
    allocator = Allocator(rule, tier=np.array(tier), specialty=np.array(specialty),
                          industry=np.array(industry))  # fmt: skip
    hand_out_both_ways(allocator, load, active, items)


@given(
    rule=st.sampled_from(RULES),
    load=st.lists(st.integers(0, 3), min_size=4, max_size=4),
    active=st.lists(st.booleans(), min_size=4, max_size=4),
    want=st.tuples(st.integers(0, 2), st.integers(0, 3), st.integers(0, 3)),
    owner=st.integers(-1, 3),
    u=st.floats(0, 0.999),
)
def test_a_load_given_as_a_list_chooses_as_an_array(rule, load, active, want, owner, u):
    allocator = Allocator(rule, **TEAM)
    allocator.refresh(np.array(active))
    tier, specialty, industry = want
    kwargs = {"want_tier": tier, "want_specialty": specialty, "want_industry": industry,
              "preferred": owner, "u": u}  # fmt: skip
    assert allocator.choose(load=list(load), **kwargs) == allocator.choose(
        load=np.array(load), **kwargs
    )


def hand_out_both_ways(allocator, load, active, items):
    allocator.refresh(np.array(active))
    one_by_one, expected = np.array(load), []
    for tier, specialty, industry, owner, u in items:
        m = allocator.choose(load=one_by_one, want_tier=tier, want_specialty=specialty,
                             want_industry=industry, preferred=owner, u=u)  # fmt: skip
        if m >= 0:
            one_by_one[m] += 1
        expected.append(m)
    columns = [np.array([item[k] for item in items], dtype=np.int64) for k in range(4)]
    columns.append(np.array([item[4] for item in items], dtype=float))
    in_one_go = list(load)
    chosen = allocator.choose_each(load=in_one_go, want_tier=columns[0],
                                   want_specialty=columns[1], want_industry=columns[2],
                                   preferred=columns[3], u=columns[4])  # fmt: skip
    assert chosen.tolist() == expected
    assert in_one_go == one_by_one.tolist()


def test_bad_rule_is_refused():
    with pytest.raises(ParameterError, match="allocation.rule"):
        AllocationParams(rule="alphabetical")


@given(
    load=st.lists(st.integers(0, 30), min_size=1, max_size=12),
    count=st.integers(1, 200),
)
def test_filling_a_group_at_once_is_taking_the_least_loaded_item_by_item(load, count):
    # _fill_least (a big team's groups handed out at once) against _take_least, the heap
    # taking the least loaded manager one item after another: the same managers in the same
    # order, however uneven the loads and however many items per manager
    from crmsim.sim.engine.allocation import _fill_least, _take_least

    members = np.arange(len(load)) * 2 + 1  # a group: every other manager of the team
    team_load = [0] * (2 * len(load) + 1)
    for m, value in zip(members.tolist(), load, strict=True):
        team_load[m] = value
    queue = [(team_load[m], m) for m in members.tolist()]
    heapq.heapify(queue)
    one_by_one = [_take_least(queue, team_load) for _ in range(count)]
    full = np.zeros(2 * len(load) + 1, dtype=np.int64)
    full[members] = load
    assert _fill_least(members, full, count).tolist() == one_by_one


@given(
    load=st.lists(st.integers(0, 6), min_size=LIST_TEAM + 1, max_size=LIST_TEAM + 8),
    wants=st.lists(st.sampled_from([0, 1, 3]), max_size=60),
)
def test_a_big_team_whose_groups_overlap_is_handed_out_item_by_item(load, wants):
    # nobody has specialty 3: those items go to the whole team, which overlaps the groups of
    # specialties 0 and 1, so a choice for one changes the loads the others see
    n = len(load)
    specialty = np.arange(n) % 2
    allocator = Allocator("by_specialty", tier=np.zeros(n, int), specialty=specialty,
                          industry=np.zeros(n, int))  # fmt: skip
    items = [(0, want, 0, -1, 0.5) for want in wants]
    hand_out_both_ways(allocator, load, [True] * n, items)
