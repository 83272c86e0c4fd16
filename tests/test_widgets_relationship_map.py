"""Tests of the lesson 05 app :func:`crmsim.widgets.relationship_map.relationship_map_builder`."""

from __future__ import annotations

from crmsim import datasets
from crmsim.terms import label
from crmsim.widgets.relationship_map import relationship_map_builder


def add_customer(app, name: str, kind: str = "external") -> None:
    app.controls["customer_name"].value = name
    app.controls["kind"].value = kind
    app.controls["add_customer"].click()


def add_need(app, customer: str, item: str) -> None:
    app.controls["need_customer"].value = customer
    app.controls["need_item"].value = item
    app.controls["add_need"].click()


def decide(app, customer: str, item: str, decision: str) -> None:
    app.controls["decide_need"].value = (customer, item)
    app.controls["decision"].value = decision
    app.controls["apply_decision"].click()


def test_four_steps_by_clicking():
    app = relationship_map_builder(team="Canteen team")
    assert app.result.dimensions.empty
    add_customer(app, "Students")
    add_customer(app, "Finance office", "internal")
    assert app.rmap.customer_ids == ["Students", "Finance office"]
    assert list(app.controls["need_customer"].options) == ["Students", "Finance office"]
    assert app.controls["customer_name"].value == ""  # cleared for the next entry
    add_need(app, "Students", "hot meals on time")
    add_need(app, "Students", "answering questions")
    add_need(app, "Finance office", "hot meals on time")
    add_need(app, "Finance office", "monthly cost report")
    assert len(app.result.needs) == 4
    assert app.result.dimensions.empty  # nothing kept yet: no dimension
    decide(app, "Students", "hot meals on time", "keep")
    decide(app, "Finance office", "hot meals on time", "keep")
    decide(app, "Students", "answering questions", "drop")
    decide(app, "Finance office", "monthly cost report", "keep")
    dims = app.result.dimensions
    assert dims["dimension"].tolist() == ["hot meals on time", "monthly cost report"]
    assert dims[["n_external", "n_internal"]].values.tolist() == [[1, 1], [0, 1]]
    assert not dims["renamed"].any()
    assert list(app.controls["dimension_item"].options) == [
        "hot meals on time", "monthly cost report"
    ]
    app.controls["dimension_item"].value = "hot meals on time"
    app.controls["dimension_name"].value = "on-time meal rate"
    app.controls["rename"].click()
    dims = app.result.dimensions
    assert dims.loc[0, "dimension"] == "on-time meal rate" and dims.loc[0, "renamed"]
    assert dims.loc[0, "n_customers"] == 2
    # dropping a kept need removes its dimension
    decide(app, "Finance office", "monthly cost report", "drop")
    assert app.result.dimensions["dimension"].tolist() == ["on-time meal rate"]


def test_bad_entries_show_a_message_and_change_nothing():
    app = relationship_map_builder()
    app.controls["add_need"].click()  # no customer yet
    assert app.error is not None and label("rmap_app.need_a_customer") in app.message.value
    add_customer(app, "Stores")
    assert app.error is None and app.message.value == ""
    add_customer(app, "Stores")  # duplicate
    assert "duplicate" in app.message.value
    assert app.rmap.customer_ids == ["Stores"]
    add_customer(app, "   ")  # empty name
    assert app.error is not None and app.rmap.customer_ids == ["Stores"]
    app.controls["rename"].click()  # nothing kept yet
    assert label("rmap_app.need_a_kept_need") in app.message.value


def test_starts_from_the_bundled_map():
    rmap = datasets.load_relationship_map()
    expected = rmap.dimensions()["dimension"].tolist()
    app = relationship_map_builder(rmap)
    assert app.result.dimensions["dimension"].tolist() == expected
    assert len(app.controls["decide_need"].options) == len(rmap.needs_table())


def test_labels_in_chinese():
    app = relationship_map_builder(lang="zh")
    assert app.controls["add_customer"].description == "添加客户"
    assert dict(app.controls["kind"].options)["内部客户"] == "internal"
