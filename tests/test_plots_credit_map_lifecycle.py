"""Tests for the credit, relationship-map and lifecycle plots: Axes returned, given ax used."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from crmsim.errors import DataError, ParameterError
from crmsim.methods.credit import credit_score, grade_summary
from crmsim.methods.lifecycle import stage_history, stage_mix
from crmsim.methods.relationship_map import RelationshipMap
from crmsim.plots.credit import plot_credit_radar, plot_grade_distribution
from crmsim.plots.lifecycle import (
    STAGE_COLOURS,
    plot_lifecycle_history,
    plot_stage_mix,
)
from crmsim.plots.relationship_map import plot_relationship_map
from crmsim.terms import SIX_C


@pytest.fixture
def credit_table() -> pd.DataFrame:
    data = pd.DataFrame(
        [("C1", 5, 4, 3, 4, 5, 3), ("C2", 1, 2, 1, 2, 1, 1), ("C3", 3, 3, 3, 3, 3, 2)],
        columns=["customer_id", *SIX_C],
    )
    return credit_score(data)


def team_map() -> RelationshipMap:
    """Eight customers and 25 needs, like the textbook's office-supplies sales team."""
    m = RelationshipMap("Office-supplies sales team", "profitable repeat business")
    customers = [
        ("store", "Retail stores", "external", ["display design", "timely supply",
                                                "urgent orders", "price information"]),
        ("mfr", "Manufacturers", "external", ["production specifications", "sales data",
                                              "product design"]),
        ("school", "Schools", "external", ["supplies for specific groups", "timely supply",
                                           "answering questions"]),
        ("ent", "Enterprises", "external", ["problem solutions", "urgent orders",
                                            "price information", "answering questions"]),
        ("mgmt", "Management", "internal", ["sales revenue", "profit", "sales data"]),
        ("fin", "Finance", "internal", ["profit", "sales data", "price information"]),
        ("wh", "Warehouse", "internal", ["timely supply", "sales data"]),
        ("mkt", "Marketing", "internal", ["sales data", "display design",
                                          "answering questions"]),
    ]
    for cid, name, kind, needs in customers:
        m.add_customer(cid, name, kind)
        for item in needs:
            m.add_need(cid, item)
    m.filter({"sales revenue", "profit", "urgent orders", "timely supply", "sales data",
              "problem solutions", "display design"})
    m.rename({"sales revenue": "revenue growth", "profit": "gross margin",
              "timely supply": "on-time delivery rate", "sales data": "report accuracy"})
    m.mark("mkt", "answering questions", None)  # still undecided
    return m


def history_table() -> pd.DataFrame:
    amounts = [100.0] * 6 + [500.0] * 12 + [1000.0] * 10 + [300.0] * 2
    dates = pd.date_range("2022-01-15", periods=len(amounts), freq=pd.DateOffset(months=1))
    tx = pd.DataFrame({"customer_id": "C", "date": dates, "amount": amounts})
    return stage_history(tx, "C", as_of="2024-12-31")


# ---------------------------------------------------------------------------- credit


def test_radar_draws_one_customer_and_the_portfolio_mean(credit_table):
    ax = plot_credit_radar(credit_table, "C1")
    assert isinstance(ax, Axes)
    assert ax.name == "polar"
    lines = ax.get_lines()
    assert len(lines) == 2  # the customer and the mean
    # closed polygon: 6 scores + the first repeated; C1 scores (5, 4, 3, 4, 5, 3)
    assert lines[0].get_ydata().tolist() == [5, 4, 3, 4, 5, 3, 5]
    # mean of character over C1, C2, C3 = (5 + 1 + 3) / 3 = 3
    assert lines[1].get_ydata()[0] == pytest.approx(3.0)
    assert [t.get_text() for t in ax.get_xticklabels()][0] == "Character"


def test_radar_accepts_a_single_row_and_a_given_polar_ax(credit_table):
    fig, ax = plt.subplots(subplot_kw={"projection": "polar"})
    out = plot_credit_radar(credit_table.iloc[2], ax=ax)
    assert out is ax
    assert len(ax.get_lines()) == 1  # no table, so no portfolio mean
    assert "grade C" in ax.get_title()


def test_radar_rejects_a_cartesian_ax_and_an_unknown_customer(credit_table):
    _, ax = plt.subplots()
    with pytest.raises(ParameterError, match="'ax'"):
        plot_credit_radar(credit_table, "C1", ax=ax)
    with pytest.raises(ParameterError, match="customer_id"):
        plot_credit_radar(credit_table, "C9")
    with pytest.raises(ParameterError, match="customer_id"):
        plot_credit_radar(credit_table)  # three rows, none chosen


def test_grade_distribution_shows_all_four_grades(credit_table):
    _, ax = plt.subplots()
    out = plot_grade_distribution(credit_table, ax=ax)
    assert out is ax
    heights = [p.get_height() for p in ax.patches]
    assert heights == [1, 0, 1, 1]  # C1 -> A, C3 -> C, C2 -> D; no B


def test_grade_distribution_accepts_a_summary(credit_table):
    ax = plot_grade_distribution(grade_summary(credit_table))
    assert [p.get_height() for p in ax.patches] == [1, 0, 1, 1]


def test_grade_distribution_rejects_unknown_grades():
    with pytest.raises(DataError, match="'grade'"):
        plot_grade_distribution(pd.DataFrame({"grade": ["A", "Z"]}))


# ---------------------------------------------------------------------------- relationship map


def _markers(ax: Axes) -> dict[str, list[Line2D]]:
    found: dict[str, list[Line2D]] = {}
    for line in ax.get_lines():
        if line.get_linestyle() == "None" and len(line.get_xdata()) == 1:
            found.setdefault(str(line.get_marker()), []).append(line)
    return found


def test_relationship_map_draws_every_node_with_distinct_kinds():
    m = team_map()
    _, ax = plt.subplots(figsize=(9, 9))
    out = plot_relationship_map(m, ax=ax)
    assert out is ax
    markers = _markers(ax)
    # 4 external customers as squares, 4 internal as diamonds; each of the 13 distinct needs
    # once (the 25 customer-need pairs are links), and the team, as circles
    assert len(markers["s"]) == 4
    assert len(markers["D"]) == 4
    assert len(markers["o"]) == 13 + 1
    links = [line for line in ax.get_lines() if len(line.get_xdata()) == 2]
    assert len(links) == 8 + 25
    ext_colour = {line.get_color() for line in markers["s"]}
    int_colour = {line.get_color() for line in markers["D"]}
    assert ext_colour.isdisjoint(int_colour)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "External customer" in legend and "Internal customer" in legend


def test_relationship_map_labels_kept_needs_with_dimensions_and_dashes_dropped_ones():
    m = team_map()
    ax = plot_relationship_map(m)
    texts = [t.get_text().replace("\n", " ") for t in ax.texts]
    assert "on-time delivery rate" in texts
    assert "gross margin" in texts
    # a dropped need keeps its item text, a dropped link is dashed
    assert "price information" in texts
    styles = {line.get_linestyle() for line in ax.get_lines()}
    assert {"-", "--", ":"} <= styles


def test_relationship_map_layout_is_deterministic():
    first = plot_relationship_map(team_map())
    second = plot_relationship_map(team_map())
    pos1 = [tuple(line.get_xydata().ravel()) for line in first.get_lines()]
    pos2 = [tuple(line.get_xydata().ravel()) for line in second.get_lines()]
    assert pos1 == pos2


def test_relationship_map_with_no_customers_still_draws():
    ax = plot_relationship_map(RelationshipMap("Lonely team"))
    assert ax.get_title() == "Lonely team"


def test_relationship_map_rejects_other_objects():
    with pytest.raises(ParameterError, match="rmap"):
        plot_relationship_map({"team": "t", "customers": []})


# ---------------------------------------------------------------------------- lifecycle


def test_lifecycle_history_colours_bars_by_stage():
    hist = history_table()
    _, ax = plt.subplots()
    out = plot_lifecycle_history(hist, ax=ax)
    assert out is ax
    assert len(ax.patches) == len(hist)
    first = matplotlib.colors.to_hex(ax.patches[0].get_facecolor())
    assert first == STAGE_COLOURS[hist["stage"].iloc[0]]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0] == "Exploration"


def test_lifecycle_history_from_raw_transactions():
    tx = pd.DataFrame({"customer_id": ["C1", "C1", "C2"], "amount": [100.0, 50.0, 10.0],
                       "date": ["2024-01-10", "2024-02-10", "2024-03-01"]})
    _, ax = plt.subplots()
    out = plot_lifecycle_history(tx, "C1", ax=ax, as_of="2024-12-31")
    assert out is ax
    # Jan .. Dec 2024: 12 monthly bars, spend 100 and 50 in the first two
    heights = [p.get_height() for p in ax.patches]
    assert heights[:3] == [100.0, 50.0, 0.0]
    assert len(heights) == 12
    assert "C1" in ax.get_title()
    with pytest.raises(DataError, match="customer_id"):
        plot_lifecycle_history(tx)  # raw transactions without a customer


def test_lifecycle_history_rejects_unknown_stage():
    hist = history_table()
    hist.loc[0, "stage"] = "honeymoon"
    with pytest.raises(DataError, match="honeymoon"):
        plot_lifecycle_history(hist)


def test_stage_mix_plot_from_customers_or_from_a_mix():
    per_customer = pd.DataFrame({"stage": ["lost", "formation", "lost", "stability"]})
    _, ax = plt.subplots()
    out = plot_stage_mix(per_customer, ax=ax)
    assert out is ax
    assert [p.get_height() for p in ax.patches] == [0, 1, 1, 0, 2]
    again = plot_stage_mix(stage_mix(per_customer))
    assert [p.get_height() for p in again.patches] == [0, 1, 1, 0, 2]
    assert [t.get_text() for t in again.get_xticklabels()][0] == "Exploration"


def test_plots_draw_without_error():
    """Rendering catches problems that only appear at draw time (text layout, transforms)."""
    for ax in (plot_relationship_map(team_map()), plot_lifecycle_history(history_table())):
        ax.figure.canvas.draw()
        assert np.isfinite(ax.get_xlim()).all()
