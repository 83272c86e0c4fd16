"""crmsim.widgets.abc: the ABC explorer, driven headlessly as a click would."""

from __future__ import annotations

import pandas as pd
import pytest

from crmsim.terms import label
from crmsim.widgets.abc import abc_explorer, boundary_customers


@pytest.fixture
def four() -> pd.DataFrame:
    # the worked example of abc_classify: 50, 35, 10, 5 (total 100) -> cum 0.50, 0.85, 0.95, 1
    return pd.DataFrame(
        {"customer_id": list("abcd"), "amount": [50.0, 35, 10, 5], "profit": [1.0, 2, 30, -4]}
    )


def counts(app) -> list[int]:
    return app.result["summary"]["count"].tolist()


def test_default_is_the_textbook_split(four):
    app = abc_explorer(four, lang="en")
    assert counts(app) == [1, 1, 2]
    assert app.result["table"]["class"].tolist() == ["A", "B", "C", "C"]
    assert app.error is None


def test_boundary_rule_moves_the_crossing_customer(four):
    app = abc_explorer(four, lang="en")
    app.controls["boundary"].value = "before"
    # b (0.50 before it, 0.85 with it) stays in A; c (0.85 -> 0.95) stays in B
    assert app.result["table"]["class"].tolist() == ["A", "A", "B", "C"]
    assert counts(app) == [2, 1, 1]


def test_moving_the_a_line(four):
    app = abc_explorer(four, lang="en")
    app.controls["cutoff_a"].value = 0.85  # b sits exactly on the line: stays in A
    assert app.result["table"]["class"].tolist() == ["A", "A", "C", "C"]
    assert app.result["crossing"]["line"].tolist() == ["B/C"]
    app.controls["cutoff_a"].value = 0.40  # even the top customer crosses 40%
    assert counts(app) == [0, 2, 2]


def test_moving_the_b_line(four):
    app = abc_explorer(four, lang="en")
    app.controls["cutoff_b"].value = 0.95
    assert app.result["table"]["class"].tolist() == ["A", "B", "B", "C"]


def test_value_column_changes_the_ranking(four):
    app = abc_explorer(four, lang="en")
    app.controls["value"].value = "profit"
    table = app.result["table"]
    # d (-4) is left out; c (30 of 33) alone holds 91% of profit
    assert table["customer_id"].tolist() == ["c", "b", "a"]
    assert app.result["excluded"] == 1
    assert counts(app) == [0, 0, 3]


def test_crossing_customer_table(four):
    app = abc_explorer(four, lang="en")
    crossing = app.result["crossing"]
    assert crossing["customer_id"].tolist() == ["b", "c"]
    assert crossing["cum_share_before"].tolist() == pytest.approx([0.50, 0.85])
    assert crossing["cum_share"].tolist() == pytest.approx([0.85, 0.95])
    assert crossing["class_including"].tolist() == ["B", "C"]
    assert crossing["class_before"].tolist() == ["A", "B"]
    # the same table from the function the lesson calls
    pd.testing.assert_frame_equal(boundary_customers(app.result["table"]), crossing)


def test_bad_cutoffs_give_the_apps_message_and_keep_the_result(four):
    app = abc_explorer(four, lang="en")
    before = app.result
    app.controls["cutoff_a"].value = 0.95  # above the B line (0.90)
    assert isinstance(app.error, ValueError)
    assert "must be below the B line" in app.message.value
    assert app.result is before
    app.controls["cutoff_a"].value = 0.6  # fixing it clears the message
    assert app.error is None and app.message.value == ""
    assert counts(app) == [1, 1, 2]


def test_message_in_chinese(four):
    app = abc_explorer(four, lang="zh")
    app.controls["cutoff_b"].value = 0.5
    assert "必须低于B类上限" in app.message.value


def test_labels_come_from_the_terms_table(four):
    app = abc_explorer(four, lang="zh")
    assert app.controls["cutoff_a"].description == label("abc_app.cutoff_a", "zh")
    assert dict(app.controls["value"].options)[label("abc_app.column.amount", "zh")] == "amount"
    # a column the kit does not know keeps its own name
    assert ("profit", "profit") in app.controls["value"].options
    assert [v for _, v in app.controls["boundary"].options] == ["including", "before"]


def test_bundled_company_top_class_holds_about_80_percent():
    import crmsim
    from crmsim import datasets

    value = crmsim.customer_value(datasets.load_transactions(), as_of="2024-12-31",
                                  customers=datasets.load_customers())
    app = abc_explorer(value, value="current_value", lang="en")
    summary = app.result["summary"]
    assert summary["count"].sum() == len(value)
    assert 0.79 < summary.loc["A", "share_of_value"] <= 0.80
    crossing = app.result["crossing"].iloc[0]
    assert crossing["cum_share_before"] <= 0.80 < crossing["cum_share"]
    row = app.result["table"].set_index("customer_id").loc[crossing["customer_id"]]
    assert row["class"] == "B"  # including: the crossing customer is in B


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"id": "nope"}, "parameter 'id'"),
        ({"value": "nope"}, "parameter 'value'"),
        ({"boundary": "after"}, "parameter 'boundary'"),
    ],
)
def test_bad_arguments_name_the_parameter(four, kwargs, message):
    with pytest.raises(ValueError, match=message):
        abc_explorer(four, **kwargs)


def test_table_must_be_a_dataframe():
    with pytest.raises(TypeError, match="parameter 'table'"):
        abc_explorer([1, 2, 3])
