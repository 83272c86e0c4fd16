"""What ``import crmsim`` offers: every documented public name, and nothing broken."""

import crmsim


def test_every_public_name_resolves():
    missing = [name for name in crmsim.__all__ if not hasattr(crmsim, name)]
    assert not missing


def test_the_readme_tour_names_are_public():
    for name in ("abc_classify", "abc_summary", "plot_pareto", "concentration_summary",
                 "lorenz_curve", "gini", "plot_lorenz", "customer_pyramid",
                 "profitability_pyramid", "plot_pyramid", "customer_value", "credit_score",
                 "credit_policy", "plot_credit_radar", "RelationshipMap",
                 "plot_relationship_map", "infer_stage", "stage_history",
                 "plot_lifecycle_history", "read_table"):
        assert name in crmsim.__all__, name


def test_the_simulation_entry_points_are_public():
    for name in ("Scenario", "simulate", "replicate", "compare", "sweep"):
        assert name in crmsim.__all__, name
    result = crmsim.simulate(crmsim.Scenario.synthetic(30, 2, months=2), seed=3)
    assert set(result.meta) >= {"scenario_hash", "seed_entropy", "crmsim_version"}


def test_readme_example_runs():
    tx = crmsim.datasets.load_transactions()
    abc = crmsim.abc_classify(tx, value="amount", id="customer_id")
    summary = crmsim.abc_summary(abc)
    assert summary["count"].sum() == tx["customer_id"].nunique()
    assert abs(summary["share_of_value"].sum() - 1) < 1e-12
