"""Tests for crmsim.methods.relationship_map: the four steps, tables, JSON, networkx."""

from __future__ import annotations

import json

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crmsim.errors import DataError, ParameterError
from crmsim.methods.relationship_map import RelationshipMap


def office_team() -> RelationshipMap:
    """A small version of the textbook's office-supplies sales team, steps 1-2 done."""
    m = RelationshipMap("Office-supplies sales team", "profitable repeat business")
    m.add_customer("store", "Retail stores", "external")
    m.add_need("store", "timely supply")
    m.add_need("store", "answering questions")
    m.add_need("store", "urgent orders")
    m.add_customer("mgmt", "Management", "internal")
    m.add_need("mgmt", "profit")
    m.add_need("mgmt", "sales data")
    m.add_customer("fin", "Finance department", "internal")
    m.add_need("fin", "sales data")
    m.add_need("fin", "timely supply")
    return m


# ---------------------------------------------------------------------------- the four steps


def test_needs_start_undecided_and_unnamed():
    table = office_team().needs_table()
    assert list(table.columns) == [
        "customer_id", "customer_name", "kind", "item", "valuable", "dimension"
    ]
    assert len(table) == 7
    assert table["valuable"].isna().all()
    assert table["dimension"].isna().all()


def test_filter_with_a_set_keeps_listed_items_and_drops_the_rest():
    m = office_team().filter({"timely supply", "profit", "sales data", "urgent orders"})
    table = m.needs_table().set_index(["customer_id", "item"])
    assert not table.loc[("store", "answering questions"), "valuable"]
    assert table.loc[("fin", "timely supply"), "valuable"]
    # 7 needs, one of them dropped
    assert int(table["valuable"].sum()) == 6


def test_filter_with_a_function_decides_per_customer():
    # keep only what internal customers need
    m = office_team().filter(lambda cid, item: cid in {"mgmt", "fin"})
    kept = m.needs_table().query("valuable == True")
    assert sorted(kept["customer_id"].unique()) == ["fin", "mgmt"]


def test_filter_with_a_dict_only_decides_the_listed_needs():
    m = office_team().filter({("store", "answering questions"): False, ("mgmt", "profit"): True})
    table = m.needs_table().set_index(["customer_id", "item"])["valuable"]
    assert not table[("store", "answering questions")]
    assert table[("mgmt", "profit")]
    assert pd.isna(table[("fin", "sales data")])  # still undecided


def test_mark_and_reset_a_single_need():
    m = office_team().mark("store", "urgent orders", True)
    m.rename({"urgent orders": "urgent-order fill rate"})
    m.mark("store", "urgent orders", False)  # dropping clears the dimension
    row = m.needs_table().query("item == 'urgent orders'").iloc[0]
    assert not row["valuable"]
    assert pd.isna(row["dimension"])


def test_rename_and_dimensions_count_internal_and_external_customers():
    m = office_team().filter({"timely supply", "profit", "sales data", "urgent orders"})
    m.rename({
        "timely supply": "on-time delivery rate",
        "profit": "gross margin",
        "sales data": "report accuracy",
        "urgent orders": "on-time delivery rate",  # two items, one result
    })
    dims = m.dimensions().set_index("dimension")
    assert list(dims.index) == ["on-time delivery rate", "gross margin", "report accuracy"]
    # on-time delivery serves store (external) and fin (internal)
    otd = dims.loc["on-time delivery rate"]
    assert otd["items"] == ("timely supply", "urgent orders")
    assert otd["customers"] == ("store", "fin")
    assert (otd["n_customers"], otd["n_external"], otd["n_internal"]) == (2, 1, 1)
    # report accuracy serves two internal customers
    assert dims.loc["report accuracy", ["n_external", "n_internal"]].tolist() == [0, 2]
    assert dims["renamed"].all()


def test_kept_but_unnamed_items_are_flagged_or_rejected_when_strict():
    m = office_team().filter({"profit", "sales data"}).rename({"profit": "gross margin"})
    dims = m.dimensions()
    flagged = dims.loc[~dims["renamed"], "dimension"].tolist()
    assert flagged == ["sales data"]  # shown under its item text
    with pytest.raises(DataError, match="sales data"):
        m.dimensions(strict=True)


def test_dropped_and_undecided_needs_are_not_dimensions():
    m = office_team().mark("store", "answering questions", False)
    assert m.dimensions().empty


def test_customers_table_counts_decisions():
    m = office_team().filter({("store", "timely supply"): True,
                              ("store", "answering questions"): False})
    row = m.customers_table().set_index("customer_id").loc["store"]
    assert row[["n_needs", "n_kept", "n_dropped", "n_undecided"]].tolist() == [3, 1, 1, 1]


# ---------------------------------------------------------------------------- conversions


def test_to_networkx_builds_team_customer_need_edges():
    m = office_team().filter({"profit"}).rename({"profit": "gross margin"})
    g = m.to_networkx()
    assert isinstance(g, nx.DiGraph)
    # 1 team + 3 customers + 7 needs; 3 team edges + 7 need edges
    assert g.number_of_nodes() == 11
    assert g.number_of_edges() == 10
    assert g.nodes[("customer", "fin")]["kind"] == "internal"
    need = g.nodes[("need", "mgmt", "profit")]
    assert (need["valuable"], need["dimension"]) == (True, "gross margin")
    assert list(g.successors("team")) == [("customer", "store"), ("customer", "mgmt"),
                                          ("customer", "fin")]


def test_save_writes_readable_chinese_and_load_reads_it_back(tmp_path):
    m = RelationshipMap("销售团队", "提高利润")
    m.add_customer("fin", "财务部", "internal").add_need("fin", "销售数据", valuable=True,
                                                       dimension="报表准确率")
    path = m.save(tmp_path / "map.json")
    text = path.read_text(encoding="utf-8")
    assert "财务部" in text  # ensure_ascii=False: not \\u escapes
    assert RelationshipMap.load(path) == m


def test_from_dict_accepts_the_documented_format():
    data = {
        "team": "Sales", "organisation_goal": "growth",
        "customers": [{"id": "s", "name": "Store", "kind": "external",
                       "needs": [{"item": "supply", "valuable": None, "dimension": None},
                                 {"item": "price info", "valuable": False,
                                  "dimension": None}]}],
    }
    assert RelationshipMap.from_dict(data).to_dict() == data


# ---------------------------------------------------------------------------- properties

names = st.text(alphabet="abcdefgh 客户需求", min_size=1, max_size=8).filter(str.strip)


@st.composite
def maps(draw) -> RelationshipMap:
    m = RelationshipMap(draw(names), draw(st.sampled_from(["", "goal", "目标"])))
    ids = draw(st.lists(names, min_size=0, max_size=5, unique=True))
    for cid in ids:
        m.add_customer(cid, draw(names), draw(st.sampled_from(["external", "internal"])))
        for item in draw(st.lists(names, max_size=4, unique=True)):
            valuable = draw(st.sampled_from([None, True, False]))
            dimension = draw(st.one_of(st.none(), names)) if valuable else None
            m.add_need(cid, item, valuable=valuable, dimension=dimension)
    return m


@given(m=maps())
def test_round_trip_through_dict(m):
    again = RelationshipMap.from_dict(m.to_dict())
    assert again == m
    assert again.to_dict() == m.to_dict()


@given(m=maps())
def test_round_trip_through_json_text(m):
    # the same path as save/load, without touching the disk on every example
    text = json.dumps(m.to_dict(), ensure_ascii=False)
    assert RelationshipMap.from_dict(json.loads(text)) == m


@given(m=maps())
def test_dimensions_only_count_kept_needs(m):
    table = m.needs_table()
    dims = m.dimensions()
    kept_items = set(table.loc[table["valuable"].fillna(False).astype(bool), "item"])
    assert {item for items in dims["items"] for item in items} == kept_items
    assert (dims["n_external"] + dims["n_internal"] == dims["n_customers"]).all()


def test_round_trip_through_a_file(tmp_path):
    m = office_team().filter({"profit", "sales data"}).rename({"profit": "毛利率"})
    assert RelationshipMap.load(m.save(tmp_path / "m.json")) == m


# ---------------------------------------------------------------------------- bad input


def test_unknown_kind_is_named():
    with pytest.raises(DataError, match=r"customer 'x'.*kind.*'partner'"):
        RelationshipMap().add_customer("x", "X", "partner")


def test_duplicate_customer_is_named():
    m = RelationshipMap().add_customer("x", "X", "external")
    with pytest.raises(DataError, match=r"customer 'x'.*duplicate"):
        m.add_customer("x", "Y", "internal")


def test_need_for_an_unknown_customer_is_named():
    with pytest.raises(DataError, match="customer 'ghost'"):
        RelationshipMap().add_need("ghost", "supply")


def test_duplicate_need_is_named():
    m = RelationshipMap().add_customer("x", "X", "external").add_need("x", "supply")
    with pytest.raises(DataError, match=r"customer 'x'.*'supply'.*twice"):
        m.add_need("x", "supply")


def test_filter_with_an_unknown_item_is_rejected():
    with pytest.raises(ParameterError, match=r"valuable.*'proft'"):
        office_team().filter({"proft"})


def test_filter_with_an_unknown_pair_is_rejected_before_changing_anything():
    m = office_team()
    with pytest.raises(ParameterError, match="'nobody'"):
        m.filter({("store", "timely supply"): True, ("nobody", "x"): True})
    assert m.needs_table()["valuable"].isna().all()


def test_filter_function_must_return_booleans():
    with pytest.raises(ParameterError, match="valuable"):
        office_team().filter(lambda cid, item: "yes")


def test_rename_of_a_dropped_item_is_rejected():
    m = office_team().filter({"profit"})
    with pytest.raises(ParameterError, match=r"'answering questions'.*not kept"):
        m.rename({"answering questions": "questions answered"})


def test_rename_of_an_unknown_item_is_rejected():
    with pytest.raises(ParameterError, match="'nothing'"):
        office_team().rename({"nothing": "dimension"})


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"customers": []}, r"missing field.*'team'"),
        ({"team": "t"}, r"missing field.*'customers'"),
        ({"team": "t", "customers": [{"id": "a", "kind": "external"}]},
         r"customers\[0\] \(id 'a'\).*missing field.*'name'"),
        ({"team": "t", "customers": [{"id": "a", "name": "A", "kind": "vendor"}]},
         r"customer 'a'.*kind"),
        ({"team": "t", "customers": [{"id": "a", "name": "A", "kind": "external"},
                                     {"id": "a", "name": "B", "kind": "internal"}]},
         r"customer 'a'.*duplicate"),
        ({"team": "t", "customers": [{"id": "a", "name": "A", "kind": "external",
                                      "needs": [{"valuable": True}]}]},
         r"id 'a'.*needs\[0\].*missing field.*'item'"),
        ({"team": "t", "customers": [{"id": "a", "name": "A", "kind": "external",
                                      "needs": [{"item": "x", "valuable": "yes"}]}]},
         r"customer 'a'.*'valuable'"),
        ({"team": "t", "customers": [{"id": "a", "name": "A", "kind": "external",
                                      "needs": [{"item": "x", "valuable": False,
                                                 "dimension": "d"}]}]},
         r"customer 'a'.*'dimension'.*not kept"),
        ({"team": "t", "customers": [{"id": "a", "name": "A", "kind": "external",
                                      "colour": "red"}]},
         r"id 'a'.*unknown field.*'colour'"),
    ],
)
def test_bad_dicts_name_the_field_and_the_customer(data, pattern):
    with pytest.raises(DataError, match=pattern):
        RelationshipMap.from_dict(data)


def test_load_reports_invalid_json_with_the_file_name(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError, match="broken.json"):
        RelationshipMap.load(path)


def test_load_reports_a_missing_file(tmp_path):
    with pytest.raises(DataError, match="not found"):
        RelationshipMap.load(tmp_path / "nope.json")
