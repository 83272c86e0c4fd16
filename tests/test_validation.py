"""The shared input checks: each error names the source, column/parameter, rows and expectation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from crmsim._validation import (
    categorical_column,
    check_choice,
    check_number,
    check_probability,
    date_column,
    non_missing_column,
    numeric_column,
    require_columns,
    require_dataframe,
    unique_column,
)
from crmsim.errors import CrmsimError, DataError, ParameterError
from crmsim.terms import COLUMN_ALIASES, TERMS, label


@pytest.fixture
def table():
    return pd.DataFrame({"id": ["C1", "C2", "C3"], "amount": [10.0, -2.5, 4.0],
                         "text": ["1", "x", "3"], "day": ["2024-01-01", "2024-02-30", None]})


def test_errors_are_value_errors():
    assert issubclass(DataError, CrmsimError) and issubclass(CrmsimError, ValueError)
    assert issubclass(ParameterError, ValueError)


def test_require_dataframe():
    with pytest.raises(DataError, match="customers must be a pandas DataFrame; got list"):
        require_dataframe([1, 2], name="customers")


def test_missing_columns_are_listed_with_the_available_ones(table):
    expected = r"f.csv: missing columns 'a', 'b'; available columns: 'id'"
    with pytest.raises(DataError, match=expected):
        require_columns(table, ["id", "a", "b"], source="f.csv")


def test_negative_value_names_column_row_and_id(table):
    with pytest.raises(DataError) as err:
        numeric_column(table, "amount", source="f.csv", id_column="id", allow_negative=False)
    msg = str(err.value)
    # -2.5 is the second data row, customer C2
    assert msg == "f.csv: column 'amount' must be >= 0; found -2.5 at row 2 (id C2)"


def test_non_numeric_text_is_reported(table):
    with pytest.raises(DataError, match=r"column 'text' must be numeric; found 'x' at row 2"):
        numeric_column(table, "text")


def test_numeric_text_is_accepted(table):
    t = table.assign(text=["1", "2", "3"])
    assert numeric_column(t, "text").tolist() == [1.0, 2.0, 3.0]


def test_nan_and_inf_and_range_and_integer():
    t = pd.DataFrame({"v": [1.0, np.nan, 3.0]})
    with pytest.raises(DataError, match=r"'v' has missing values.*row 2"):
        numeric_column(t, "v")
    assert numeric_column(t, "v", allow_nan=True).isna().sum() == 1
    with pytest.raises(DataError, match="must be finite"):
        numeric_column(pd.DataFrame({"v": [np.inf]}), "v")
    with pytest.raises(DataError, match=r"'s' must be <= 5; found 6.0 at row 1"):
        numeric_column(pd.DataFrame({"s": [6]}), "s", minimum=1, maximum=5)
    with pytest.raises(DataError, match=r"'s' must be >= 1"):
        numeric_column(pd.DataFrame({"s": [0]}), "s", minimum=1, maximum=5)
    with pytest.raises(DataError, match="whole numbers"):
        numeric_column(pd.DataFrame({"s": [2.5]}), "s", integer=True)
    with pytest.raises(DataError, match="found booleans"):
        numeric_column(pd.DataFrame({"b": [True, False]}), "b")


def test_many_bad_rows_are_summarised():
    t = pd.DataFrame({"v": [-1.0] * 8})
    with pytest.raises(DataError, match="and 3 more row"):
        numeric_column(t, "v", allow_negative=False)


def test_unique_ids():
    with pytest.raises(DataError, match=r"'id' must be unique; duplicated value\(s\): 'C1'"):
        unique_column(pd.DataFrame({"id": ["C1", "C2", "C1"]}), "id")
    with pytest.raises(DataError, match=r"'id' has missing values at row\(s\) \[2\]"):
        unique_column(pd.DataFrame({"id": ["C1", None]}), "id")


def test_non_missing_column():
    non_missing_column(pd.DataFrame({"id": ["C1", "C1"]}), "id")  # duplicates are fine here
    with pytest.raises(DataError, match=r"^t: id column 'id' has missing values at row\(s\) "
                                        r"\[2, 3, 4, 5, 6\]$"):
        non_missing_column(pd.DataFrame({"id": ["C1"] + [None] * 6}), "id", source="t")
    with pytest.raises(DataError, match="missing column 'id'"):
        non_missing_column(pd.DataFrame({"x": [1]}), "id")


def test_categories():
    t = pd.DataFrame({"kind": ["internal", "externa1"], "id": ["a", "b"]})
    with pytest.raises(DataError, match=r"'kind' must be one of \['internal', 'external'\]; "
                                        r"found 'externa1' at row 2 \(id b\)"):
        categorical_column(t, "kind", ["internal", "external"], id_column="id")


def test_dates(table):
    with pytest.raises(DataError, match=r"'day' must hold dates.*'2024-02-30' at row 2"):
        date_column(table, "day")
    ok = date_column(pd.DataFrame({"d": ["2024-01-31", "2024-02-29"]}), "d")
    assert ok.dt.day.tolist() == [31, 29]


def test_parameter_checks():
    assert check_probability("p", 0.25) == 0.25
    with pytest.raises(ParameterError, match=r"parameter 'p' must be <= 1; got 1.3"):
        check_probability("p", 1.3)
    with pytest.raises(ParameterError, match=r"'rate' must be > 0; got 0"):
        check_number("rate", 0, minimum=0, strict_minimum=True)
    with pytest.raises(ParameterError, match="must be a number; got 'a'"):
        check_number("rate", "a")
    with pytest.raises(ParameterError, match="must be a number"):
        check_number("flag", True)
    with pytest.raises(ParameterError, match="must be finite"):
        check_number("x", float("nan"))
    with pytest.raises(ParameterError, match="whole number"):
        check_number("n", 2.5, integer=True)
    expected = r"'boundary' must be one of \['including', 'before'\]"
    with pytest.raises(ParameterError, match=expected):
        check_choice("boundary", "after", ["including", "before"])


def test_labels():
    assert label("exploration", "both") == "Exploration (考察期)"
    assert label("platinum", "zh") == "铂金客户"
    assert label("not-a-key") == "not-a-key"
    with pytest.raises(ValueError, match="lang"):
        label("lost", "fr")
    # every alias points at a name the kit uses, and every term has both languages
    assert all(isinstance(v, str) and v.isascii() for v in COLUMN_ALIASES.values())
    assert all(en and zh for en, zh in TERMS.values())
