"""crmsim.widgets.lifecycle: a cohort through the lifecycle, and the app around it."""

from __future__ import annotations

import numpy as np
import pytest

from crmsim.sim.scenario.lifecycle import LifecycleParams
from crmsim.terms import STATES, label
from crmsim.widgets.lifecycle import (
    _transition_matrix,
    cohort_stage_mix,
    lifecycle_explorer,
    plot_cohort,
    summary_text,
)

FIXED = LifecycleParams(service_effects=False)  # the plain Markov chain of the base matrix


def test_without_service_effects_the_expectation_is_the_base_chain():
    out = cohort_stage_mix("exploration", months=3, customers=10, lifecycle=FIXED)
    # hand-worked first month: 10% to formation, 5% to decline, 85% stay
    assert out["expected"].loc[1].tolist() == pytest.approx([0.85, 0.10, 0.0, 0.05, 0.0])
    P = FIXED.transition_matrix()
    start = np.array([1.0, 0, 0, 0, 0])
    assert out["expected"].loc[3].to_numpy() == pytest.approx(start @ np.linalg.matrix_power(P, 3))


def test_decline_can_start_from_any_stage_and_ends_in_loss_or_recovery():
    out = cohort_stage_mix("decline", months=1, customers=10, lifecycle=FIXED)
    # from decline: 10% recover to formation, 18% are lost, 72% stay
    assert out["expected"].loc[1].tolist() == pytest.approx([0.0, 0.10, 0.0, 0.72, 0.18])
    for stage in ("exploration", "formation", "stability"):
        first = cohort_stage_mix(stage, months=1, customers=10, lifecycle=FIXED)["expected"]
        assert first.loc[1, "decline"] > 0
        assert first.loc[1, "lost"] == 0  # nobody is lost without passing through decline


def test_transition_matrix_matches_the_simulation_matrix():
    p = LifecycleParams()
    up = np.array([p.exploration_to_formation, p.formation_to_stability, 0, p.decline_to_recovery,
                   0])
    down = np.array([p.exploration_to_decline, p.formation_to_decline, p.stability_to_decline,
                     p.decline_to_lost, 0])
    assert _transition_matrix(up, down) == pytest.approx(p.transition_matrix())


def test_shares_are_shares():
    out = cohort_stage_mix("formation", months=24, customers=37, seed=5)
    for key in ("mix", "expected"):
        table = out[key]
        assert list(table.columns) == list(STATES)
        assert len(table) == 25
        assert np.allclose(table.sum(axis=1), 1.0)
        assert (table.to_numpy() >= 0).all()
        assert table["lost"].is_monotonic_increasing  # lost is absorbing
    counts = out["mix"].to_numpy() * 37  # the simulated mix counts whole customers
    assert np.allclose(counts, counts.round())


def test_large_cohort_follows_the_expectation():
    out = cohort_stage_mix("exploration", months=24, customers=20_000, seed=2)
    assert np.abs(out["mix"].to_numpy() - out["expected"].to_numpy()).max() < 0.02


def test_better_service_keeps_more_customers():
    lost = [cohort_stage_mix("stability", service_level=s, months=36)["expected"].iloc[-1]["lost"]
            for s in (0.2, 0.5, 0.8, 1.0)]
    assert lost == sorted(lost, reverse=True)
    assert lost[0] > lost[-1] + 0.2


def test_crm_adoption_raises_skill_and_in_the_long_run_keeps_customers():
    low = cohort_stage_mix("exploration", crm_adoption=0.0, months=48)
    high = cohort_stage_mix("exploration", crm_adoption=1.0, months=48)
    assert low["service"]["skill"].nunique() == 1  # no adoption: no skill diffusion
    assert high["service"]["skill"].is_monotonic_increasing
    assert high["service"]["skill"].iloc[-1] > 0.75
    # recording time costs contacts, so coverage is lower with the system...
    assert high["service"]["coverage"].iloc[1] < low["service"]["coverage"].iloc[1]
    # ...but the spread of the top performers' skill wins over four years
    assert high["expected"].iloc[-1]["lost"] < low["expected"].iloc[-1]["lost"]


def test_same_seed_same_cohort_other_seed_other_luck():
    a = cohort_stage_mix("formation", seed=4)["mix"]
    b = cohort_stage_mix("formation", seed=4)["mix"]
    c = cohort_stage_mix("formation", seed=5)["mix"]
    assert a.equals(b)
    assert not a.equals(c)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"start_stage": "lost"}, "start_stage"),
        ({"service_level": 1.2}, "service_level"),
        ({"crm_adoption": -0.1}, "crm_adoption"),
        ({"months": 0}, "months"),
        ({"customers": 2.5}, "customers"),
        ({"service_level": "high"}, "service_level"),
    ],
)
def test_bad_input_names_the_parameter(kwargs, name):
    with pytest.raises(ValueError, match=f"parameter '{name}'"):
        cohort_stage_mix(**kwargs)


def test_app_follows_its_controls():
    app = lifecycle_explorer(lang="en")
    assert app.result["mix"].loc[0, "exploration"] == 1.0
    assert len(app.result["mix"]) == 37
    app.controls["start_stage"].value = "stability"
    assert app.result["mix"].loc[0, "stability"] == 1.0
    kept = 1 - app.result["expected"].iloc[-1]["lost"]
    app.controls["service_level"].value = 0.2
    assert 1 - app.result["expected"].iloc[-1]["lost"] < kept
    app.controls["months"].value = 12
    assert len(app.result["mix"]) == 13
    assert app.error is None
    assert app.last_seconds > 0


def test_app_matches_the_function_it_wraps():
    app = lifecycle_explorer(start_stage="decline", service_level=0.6, crm_adoption=0.5,
                             months=24, customers=80, seed=7, lang="en")
    direct = cohort_stage_mix("decline", 0.6, 0.5, 24, customers=80, seed=7)
    assert app.result["mix"].equals(direct["mix"])


def test_controls_cannot_leave_their_range():
    app = lifecycle_explorer(lang="en")
    app.controls["service_level"].value = 1.7  # a slider clamps, so compute never sees it
    assert app.controls["service_level"].value == 1.0
    assert app.error is None


def test_bad_fixed_settings_fail_when_the_app_is_made():
    with pytest.raises(ValueError, match="parameter 'customers'"):
        lifecycle_explorer(customers=0)


def test_labels_and_summary_in_chinese():
    app = lifecycle_explorer(lang="zh")
    assert app.controls["start_stage"].description == label("lifecycle_app.start_stage", "zh")
    assert [name for name, _ in app.controls["start_stage"].options] == [
        "考察期", "形成期", "稳定期", "退化期"]
    assert "个月后" in summary_text(app.result, "zh")
    ax = plot_cohort(app.result, lang="zh")
    assert ax.get_xlabel() == "月份"
    assert "稳定期" in [t.get_text() for t in ax.get_legend().get_texts()]
