"""Probabilistic sensitivity analysis (crmsim.sim.uncertainty): draws within the declared
plausible ranges, reproducible whatever the workers, common random numbers within a draw."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmsim.errors import ParameterError
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.params import plausible_parameters
from crmsim.sim.uncertainty import apply_draw, draw_values, run_uncertainty
from crmsim.sim.whatif import build_options, run_whatif

BASE = Scenario.synthetic(60, 3, months=3)
OPTIONS = {s: BASE.replace(structure=s, name=s) for s in ("extended_roles", "dedicated_post")}


def test_every_teaching_value_has_a_documented_range_in_the_docstrings():
    from crmsim.sim.scenario.structures import StructureParams

    rows = plausible_parameters(Scenario(), "")
    paths = {r["parameter"] for r in rows}
    assert {"structure.cross_line_reach", "company.other_line_wallet",
            "value.discount_rate", "structure.main_job_value"} <= paths  # fmt: skip
    doc = " ".join(StructureParams.__doc__.split())
    assert "Plausible range: 0.6 to 1.25 times the value" in doc
    assert all(r["low"] <= r["value"] <= r["high"] for r in rows)


def test_draws_lie_in_the_ranges_and_each_structure_draws_its_own():
    (u,) = draw_values(1, seed=3)
    post, changes = apply_draw(OPTIONS["dedicated_post"], u)
    rows = {r["parameter"]: r for r in plausible_parameters(OPTIONS["dedicated_post"], "")}
    for path, value in changes.items():
        assert rows[path]["low"] - 1e-12 <= value <= rows[path]["high"] + 1e-12, path
    dept = apply_draw(BASE.replace(structure="dedicated_department"), u)[1]
    # the same uniform for a company value, another for each structure's own value
    assert dept["company.other_line_wallet"] == changes["company.other_line_wallet"]
    post_u = (changes["structure.cross_line_reach"] / 0.3 - 0.6) / 0.65
    dept_u = (dept["structure.cross_line_reach"] / 0.8 - 0.6) / 0.65
    assert post_u != pytest.approx(dept_u)


def test_probabilities_add_up_and_the_same_seed_gives_the_same_table():
    a = run_uncertainty(OPTIONS, 6, seed=2, workers=1, recommended="dedicated_post")
    b = run_uncertainty(OPTIONS, 6, seed=2, workers=2, recommended="dedicated_post")
    pd.testing.assert_frame_equal(a.draws, b.draws)
    assert a.probability_best.sum() == pytest.approx(1.0)
    assert a.holds == a.probability_best["dedicated_post"]
    assert (a.draws.groupby("draw")["best"].sum() == 1).all()
    c = run_uncertainty(OPTIONS, 6, seed=3, workers=1)
    assert not np.allclose(a.draws["value_created"], c.draws["value_created"])


def test_options_of_a_draw_share_their_luck():
    same = {"a": BASE, "b": BASE}
    r = run_uncertainty(same, 3, seed=1, workers=1)
    wide = r.draws.pivot(index="draw", columns="option", values="value_created")
    assert (wide["a"] == wide["b"]).all()


def test_bad_input_is_named():
    with pytest.raises(ParameterError, match="rank_on"):
        run_uncertainty(OPTIONS, 2, rank_on="revenue")
    with pytest.raises(ParameterError, match="recommended"):
        run_uncertainty(OPTIONS, 2, recommended="nobody")
    with pytest.raises(ParameterError, match="uncertainty"):
        run_uncertainty(OPTIONS, 0)


def test_the_what_if_says_how_robust_the_answer_is():
    options = build_options(vary={"structure": ["extended_roles", "dedicated_post"]}, base=BASE)
    plain = run_whatif(options, replications=2, seed=1, workers=1)
    assert "--uncertainty" in plain.recommendation("en").points[0]
    robust = run_whatif(options, replications=2, seed=1, workers=1, uncertainty=4)
    first = robust.recommendation("en").points[0]
    assert first.startswith("How robust: across 4 plausible sets")
    assert robust.recommendation("zh").points[0].startswith("稳健性：在 4 组")
    assert robust.robustness.n == 4
