"""Tests for crmsim.sim.scenario, its sections and TOML input/output."""

from __future__ import annotations

import pickle

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.sim.scenario import Scenario
from crmsim.sim.scenario.book import Book, synthetic_book
from crmsim.sim.scenario.funnel import FunnelParams, StepParams
from crmsim.sim.scenario.structures import STRUCTURE_NAMES, StructureParams
from crmsim.sim.scenario.toml import dumps, loads

SMALL = Scenario.synthetic(30, 3, months=2)

# ------------------------------------------------------------------------- hand-worked


def test_defaults_describe_the_current_company():
    s = Scenario()
    assert s.structure.name == "dedicated_post"
    assert s.allocation.rule == "by_seniority"
    assert s.incentives.scheme == "commission"
    assert s.book.source == "bundled"
    assert s.months == 36


def test_structure_name_selects_its_preset():
    s = Scenario(structure="department_with_operations")
    assert s.structure == StructureParams.preset("department_with_operations")
    assert s.structure.operations_staff_per_100 == 1.5
    # extended roles: half the time, wider skill spread, no ramp-up (domain.md §7)
    e = Scenario(structure="extended_roles").structure
    assert (e.time_share, e.skill_spread, e.ramp_up_months) == (0.5, 1.6, 0.0)


def test_with_changes_one_parameter_and_leaves_the_original_alone():
    s2 = SMALL.with_("funnel.steps.contact.pass_probability", 0.5)
    assert s2.funnel.step("contact").pass_probability == 0.5
    assert SMALL.funnel.step("contact").pass_probability == 0.70
    assert s2.funnel.step("find") == SMALL.funnel.step("find")
    assert s2 != SMALL


def test_replace_accepts_double_underscore_paths():
    a = SMALL.replace(crm__adoption=0.9, months=5)
    b = SMALL.with_({"crm.adoption": 0.9, "months": 5})
    assert a == b
    assert a.hash() == b.hash()


def test_with_structure_name_resets_structure_parameters():
    s = SMALL.with_("structure.monthly_overhead", 1.0).with_("structure", "dedicated_department")
    assert s.structure.monthly_overhead == 40_000.0


def test_channels_given_in_any_order_are_the_same_scenario():
    from crmsim.sim.experiments import simulate

    base = Scenario.synthetic(60, 3, months=2)
    reversed_ = Scenario.synthetic(60, 3, months=2, channels=tuple(reversed(base.channels)))
    assert [c.name for c in reversed_.channels] == [c.name for c in base.channels]
    assert reversed_ == base and reversed_.hash() == base.hash()
    a, b = simulate(base, seed=2), simulate(reversed_, seed=2)
    pd.testing.assert_frame_equal(a.monthly, b.monthly)  # same lead costs and qualities


def test_channels_and_maps_are_addressable():
    s = SMALL.with_(
        {"channels.referral.leads_per_month": 7.0, "lifecycle.share_of_wallet.stability": 0.5}
    )
    assert s.channel("referral").leads_per_month == 7.0
    assert s.lifecycle.share_of_wallet["stability"] == 0.5


def test_numbers_are_normalised_so_equal_scenarios_hash_equal():
    # 1 and 1.0 mean the same adoption: same canonical text, same hash
    assert SMALL.with_("crm.adoption", 1).hash() == SMALL.with_("crm.adoption", 1.0).hash()
    assert SMALL.hash() != SMALL.with_("crm.adoption", 0.31).hash()
    assert len(SMALL.hash()) == 64


def test_synthetic_scales_lead_rates_with_the_book():
    s = Scenario.synthetic(300, 10)
    # defaults are sized for 600 customers: half the book, half the leads
    assert s.channel("telemarketing").leads_per_month is None
    assert s.channel("telemarketing").rate(300) == 30.0
    assert s.channel("referral").leads_per_stable_customer == 0.02


def test_lead_rates_scale_the_same_way_whatever_the_book_came_from(tmp_path):
    """A TOML file's book.n_customers, Scenario.synthetic and a customer table: one
    mechanism (issue 19: the same firm ended with 999 or 1,091 customers by how it was
    written)."""
    from crmsim.sim.experiments import simulate

    path = tmp_path / "firm.toml"
    path.write_text('months = 4\n[book]\nsource = "synthetic"\nn_customers = 900\n'
                    'n_managers = 30\n', encoding="utf-8")  # fmt: skip
    from_file = Scenario.from_toml(path)
    synthetic = Scenario.synthetic(900, 30, months=4)
    tables = synthetic.book.resolve()
    from_tables = synthetic.with_({"book": {"source": "tables", "customers": tables.customers,
                                            "managers": tables.managers}})  # fmt: skip
    leads = [int(simulate(s, seed=3).monthly["leads"].sum())
             for s in (from_file, synthetic, from_tables)]  # fmt: skip
    assert leads[0] == leads[1] == leads[2] > 4 * 0.8 * 1.5 * 127
    explicit = synthetic.with_("channels.telemarketing.leads_per_month", 0.0)
    assert simulate(explicit, seed=3).monthly["leads"].sum() < leads[0]


def test_scenario_pickles_and_is_read_only():
    s = pickle.loads(pickle.dumps(SMALL))
    assert s == SMALL
    with pytest.raises(TypeError, match="read-only"):
        SMALL.lifecycle.share_of_wallet["stability"] = 0.9
    with pytest.raises(AttributeError):
        SMALL.months = 3  # type: ignore[misc]


def test_describe_documents_every_parameter_with_unit():
    table = Scenario().describe()
    assert {"parameter", "value", "unit", "description"} <= set(table.columns)
    assert (table["unit"].str.len() > 0).all()
    assert (table["description"].str.len() > 10).all()
    assert "funnel.steps['contact'].pass_probability" in set(table["parameter"])
    # and the class docstrings carry the same documentation
    assert "pass_probability : float, default" in StepParams.__doc__


def test_conversion_is_product_of_step_probabilities():
    f = FunnelParams()
    expected = 1.0
    for step in f.steps:
        expected *= step.pass_probability
    assert f.conversion() == pytest.approx(expected)


# ------------------------------------------------------------------------- TOML


def test_toml_round_trip_is_exact(tmp_path):
    s = SMALL.with_(
        {
            "structure": "dedicated_department",
            "crm.adoption": 0.123456789,
            "turnover.star_leaves_month": 2,
            "funnel.duration_factor.enterprise": 3.0,
        }
    )
    path = tmp_path / "s.toml"
    text = s.to_toml(path)
    back = Scenario.from_toml(path)
    assert back == s
    assert back.hash() == s.hash()
    assert back.to_toml() == text


def test_partial_toml_takes_defaults():
    s = Scenario.from_toml('months = 6\n\n[structure]\nname = "extended_roles"\n')
    assert s.months == 6
    assert s.structure == StructureParams.preset("extended_roles")
    assert s.crm == Scenario().crm


def test_toml_writer_hand_example():
    text = dumps({"a": 1, "b": {"c": "x", "d": [1.5, 2.0]}, "e": None})
    assert text == 'a = 1\n\n[b]\nc = "x"\nd = [\n    1.5,\n    2.0,\n]\n'
    assert loads(text) == {"a": 1, "b": {"c": "x", "d": [1.5, 2.0]}}


def test_scenario_files_with_a_bom_load_and_gbk_files_are_refused_clearly(tmp_path):
    text = '# 课堂情景\nname = "课堂"\nmonths = 6\n'
    (tmp_path / "bom.toml").write_bytes(text.encode("utf-8-sig"))
    assert Scenario.from_toml(tmp_path / "bom.toml").name == "课堂"
    (tmp_path / "gbk.toml").write_bytes(text.encode("gbk"))
    before = (tmp_path / "gbk.toml").read_bytes()
    with pytest.raises(ParameterError, match="gbk.toml.*not UTF-8"):
        Scenario.from_toml(tmp_path / "gbk.toml")
    assert (tmp_path / "gbk.toml").read_bytes() == before


def test_bundled_example_scenario_files_load():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "scenarios"
    files = sorted(folder.glob("*.toml"))
    assert files, "scenarios/*.toml examples are missing"
    for path in files:
        assert isinstance(Scenario.from_toml(path), Scenario)


def test_own_company_template_reads_the_bundled_files_like_the_bundled_book():
    from pathlib import Path

    from crmsim.sim.experiments import simulate

    path = Path(__file__).resolve().parents[1] / "scenarios" / "own_company.toml"
    own = simulate(Scenario.from_toml(path).replace(months=2), seed=1)
    bundled = simulate(Scenario(months=2), seed=1)
    assert own.meta["book_note"] == "user tables"
    pd.testing.assert_frame_equal(own.monthly, bundled.monthly)


def test_book_tables_from_csv_paths_relative_to_the_toml(tmp_path):
    customers, managers = synthetic_book(10, 2, seed=3)
    customers.to_csv(tmp_path / "c.csv", index=False)
    managers.to_csv(tmp_path / "m.csv", index=False)
    text = '[book]\nsource = "tables"\ncustomers_path = "c.csv"\nmanagers_path = "m.csv"\n'
    (tmp_path / "s.toml").write_text(text)
    s = Scenario.from_toml(tmp_path / "s.toml")
    tables = s.book.resolve()
    assert len(tables.customers) == 10 and len(tables.managers) == 2


def test_book_tables_in_gbk_with_chinese_headers(tmp_path):
    customers, managers = synthetic_book(12, 3, seed=3)
    zh = customers.rename(columns={"customer_id": "客户编号", "manager_id": "客户经理",
                                   "annual_wallet": "年度采购潜力"})
    zh.to_csv(tmp_path / "客户.csv", index=False, encoding="gbk")
    managers.to_csv(tmp_path / "经理.csv", index=False, encoding="utf-8-sig")
    before = (tmp_path / "客户.csv").read_bytes()
    text = '[book]\nsource = "tables"\ncustomers_path = "客户.csv"\nmanagers_path = "经理.csv"\n'
    (tmp_path / "s.toml").write_text(text, encoding="utf-8")
    tables = Scenario.from_toml(tmp_path / "s.toml").book.resolve()
    assert tables.customers["customer_id"].tolist() == customers["customer_id"].tolist()
    assert (tmp_path / "客户.csv").read_bytes() == before


def test_dataframe_book_cannot_be_written_to_toml():
    customers, managers = synthetic_book(10, 2, seed=3)
    s = SMALL.replace(book=Book(source="tables", customers=customers, managers=managers))
    with pytest.raises(ParameterError, match="book.customers"):
        s.to_toml()


def test_dataframe_book_is_copied_and_hashed_by_content():
    customers, managers = synthetic_book(10, 2, seed=3)
    b1 = Book(source="tables", customers=customers, managers=managers)
    customers.loc[0, "annual_wallet"] = 1.0  # caller changes his frame afterwards
    b2 = Book(source="tables", customers=customers, managers=managers)
    assert b1 != b2
    assert b1.customers.loc[0, "annual_wallet"] != 1.0


# ------------------------------------------------------------------------- properties


@given(
    adoption=st.floats(0, 1),
    scheme=st.sampled_from(["commission", "deferred"]),
    structure=st.sampled_from(STRUCTURE_NAMES),
    months=st.integers(1, 120),
)
def test_any_valid_scenario_round_trips_through_toml(adoption, scheme, structure, months):
    s = SMALL.with_(
        {
            "crm.adoption": adoption,
            "incentives.scheme": scheme,
            "structure": structure,
            "months": months,
        }
    )
    assert Scenario.from_toml(s.to_toml()) == s


@given(p=st.floats(1.0001, 100) | st.floats(-100, -0.0001))
def test_any_probability_outside_0_1_is_refused(p):
    with pytest.raises(ParameterError, match=r"funnel.steps\['needs'\].pass_probability"):
        SMALL.with_("funnel.steps.needs.pass_probability", p)


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (
            "funnel.steps.contact.pass_probability",
            1.3,
            r"funnel.steps\['contact'\].pass_probability",
        ),
        (
            "channels.telemarketing.leads_per_month",
            -5,
            r"channels\['telemarketing'\].leads_per_month",
        ),
        ("service.request_hours", -1.0, "service.request_hours"),
        ("lifecycle.decline_to_lost", 1.5, "lifecycle.decline_to_lost"),
        ("lifecycle.share_of_wallet.stability", 2.0, r"lifecycle.share_of_wallet\['stability'\]"),
        ("turnover.monthly_hazard", -0.1, "turnover.monthly_hazard"),
        ("crm.adoption", 1.2, "crm.adoption"),
        ("incentives.scheme", "bonus", "incentives.scheme"),
        ("allocation.rule", "random", "allocation.rule"),
        ("structure.name", "matrix", "structure.name"),
        ("months", 0, "months"),
        ("capacity", "infinite", "capacity"),
        ("credit.grade_d_policy", "maybe", "credit.grade_d_policy"),
        ("team.hours_per_month", 0, "team.hours_per_month"),
    ],
)
def test_bad_parameters_raise_errors_naming_the_parameter(path, value, named):
    with pytest.raises(ParameterError, match=named):
        SMALL.with_(path, value)


def test_unknown_structure_name_is_refused():
    with pytest.raises(ParameterError, match="structure"):
        Scenario(structure="matrix_organisation")


def test_transitions_out_of_a_stage_cannot_exceed_one():
    with pytest.raises(ParameterError, match="exploration"):
        SMALL.with_(
            {"lifecycle.exploration_to_formation": 0.7, "lifecycle.exploration_to_decline": 0.5}
        )


def test_zero_managers_with_customers_to_serve_is_refused():
    with pytest.raises(ParameterError, match="book.n_managers"):
        Scenario.synthetic(10, 0)
    customers, managers = synthetic_book(10, 2, seed=1)
    with pytest.raises(ParameterError, match="book.managers"):
        Book(source="tables", customers=customers, managers=managers.iloc[0:0])


def test_unknown_parameter_paths_are_refused():
    with pytest.raises(ParameterError, match="crm.adopt"):
        SMALL.with_("crm.adopt", 1.0)
    with pytest.raises(ParameterError, match="funnel.steps.close"):
        SMALL.with_("funnel.steps.close.pass_probability", 0.5)
    with pytest.raises(ParameterError, match="crm.colour"):
        Scenario.from_toml("[crm]\ncolour = 1\n")


def test_bad_toml_and_missing_files():
    with pytest.raises(ParameterError, match="TOML"):
        Scenario.from_toml("months = = 3\n")
    with pytest.raises(ParameterError, match="not found"):
        Scenario.from_toml("no/such/file.toml")


def test_bad_book_tables_raise_data_errors_naming_the_column():
    customers, managers = synthetic_book(10, 2, seed=1)
    bad = customers.assign(
        annual_wallet=customers["annual_wallet"].where(lambda s: s.index != 3, -5)
    )
    with pytest.raises(DataError, match="annual_wallet"):
        Book(source="tables", customers=bad, managers=managers)
    orphan = customers.assign(manager_id="M99")
    with pytest.raises(DataError, match="manager_id"):
        Book(source="tables", customers=orphan, managers=managers)
    with pytest.raises(DataError, match="customer_type"):
        Book(
            source="tables",
            customers=customers.assign(customer_type="bank"),
            managers=managers,
        )


def test_book_tables_need_tables():
    with pytest.raises(ParameterError, match="book.customers"):
        Book(source="tables")


def test_original_frames_are_not_modified():
    customers, managers = synthetic_book(10, 2, seed=1)
    before = customers.copy()
    Book(source="tables", customers=customers, managers=managers).resolve()
    pd.testing.assert_frame_equal(customers, before)


def test_season_factors_multiply_revenue_in_their_calendar_month_only():
    """Off by default (every factor 1); a factor moves that month's revenue and nothing else."""
    from crmsim.sim.experiments import simulate
    from crmsim.sim.scenario.season import MONTHS

    sc = Scenario().replace(months=4)  # January to April 2025
    assert set(sc.season.factors.values()) == {1.0}
    plain = simulate(sc, seed=3).monthly
    factors = {m: 1.0 for m in MONTHS} | {"feb": 0.5, "dec": 2.0}
    seasonal = simulate(sc.with_({"season.factors": factors}), seed=3).monthly
    ratio = (seasonal["revenue"] / plain["revenue"]).round(12).tolist()
    assert ratio == [1.0, 0.5, 1.0, 1.0]
    assert seasonal["active_customers"].equals(plain["active_customers"])
    with pytest.raises(ParameterError, match=r"'season.factors' must have exactly the keys"):
        Scenario(season={"factors": {"jan": 1.0}})
