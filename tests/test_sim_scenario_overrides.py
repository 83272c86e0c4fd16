"""--set / --vary parsing: values typed as TOML, plain text otherwise, errors naming the option."""

import pytest

from crmsim.errors import ParameterError
from crmsim.sim import Scenario
from crmsim.sim.scenario.overrides import apply_sets, parse_set, parse_value, parse_vary


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("0.25", 0.25), ("true", True), ('"a b"', "a b"), ("[1, 2]", [1, 2]),
     ("deferred", "deferred"), ("扩大工作范围", "扩大工作范围"), (" 3 ", 3)],
)
def test_values_are_read_as_toml_or_text(text, expected):
    assert parse_value(text) == expected


def test_vary_splits_on_commas_and_keeps_types():
    assert parse_vary("crm.adoption=0, 0.5,1") == ("crm.adoption", [0, 0.5, 1])
    names = ["专设岗位", "扩大工作范围"]
    assert parse_vary("structure=专设岗位,扩大工作范围") == ("structure", names)


@pytest.mark.parametrize(
    ("item", "fragment"),
    [("crm.adoption", "KEY=VALUE"), ("=3", "KEY=VALUE"), ("crm.adoption=", "KEY=VALUE"),
     ("crm adoption=1", "not a parameter path"), ("crm..adoption=1", "not a parameter path")],
)
def test_malformed_set_names_the_option(item, fragment):
    with pytest.raises(ParameterError, match="--set") as info:
        parse_set(item)
    assert fragment in str(info.value)


@pytest.mark.parametrize("item", ["crm.adoption=1", "crm.adoption=1,1", "crm.adoption=1,,2"])
def test_vary_needs_two_different_values(item):
    with pytest.raises(ParameterError, match="--vary"):
        parse_vary(item)


def test_apply_sets_changes_the_scenario_and_names_unknown_keys():
    base = Scenario(months=6)
    out = apply_sets(base, [parse_set("crm.adoption=1"), parse_set("months=12")])
    assert (out.crm.adoption, out.months) == (1.0, 12)
    assert base.months == 6  # the original is untouched
    with pytest.raises(ParameterError, match=r"--set crm\.adoptoin=1.*unknown parameter"):
        apply_sets(base, [parse_set("crm.adoptoin=1")])
    with pytest.raises(ParameterError, match=r"--set crm\.adoption='high'"):
        apply_sets(base, [parse_set("crm.adoption=high")])
