"""Tests for crmsim.plots.pareto and crmsim.plots.pyramid."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection, PolyCollection  # noqa: E402
from matplotlib.patches import Polygon, Rectangle  # noqa: E402

from crmsim.errors import DataError  # noqa: E402
from crmsim.methods.abc import abc_classify  # noqa: E402
from crmsim.methods.concentration import lorenz_curve  # noqa: E402
from crmsim.methods.pyramid import (  # noqa: E402
    customer_pyramid,
    profitability_pyramid,
    pyramid_summary,
)
from crmsim.plots.pareto import MAX_BARS, plot_lorenz, plot_pareto  # noqa: E402
from crmsim.plots.pyramid import plot_pyramid, plot_pyramid_quadrants  # noqa: E402


def abc_table(n, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {"customer_id": [f"C{i:06d}" for i in range(n)], "amount": rng.lognormal(8, 1.3, n)}
    )
    return abc_classify(df)


def pyramid_table():
    df = pd.DataFrame(
        {
            "customer_id": list("abcdefgh"),
            "current_value": [100, 90, 10, 5, 80, 0, 3, 60],
            "growth_potential": [50, 1, 60, 2, 0, 0, 90, 70],
        }
    )
    return customer_pyramid(df)


def bars(ax):
    """The bar patches (class bands are Rectangles too, but not in a bar container)."""
    return [p for container in ax.containers for p in container]


def class_bands(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_gid()]


# ----------------------------------------------------------------------- pareto


def test_plot_pareto_small_draws_one_bar_per_customer():
    # 50 30 10 6 4 -> A A B C C
    df = pd.DataFrame({"customer_id": list("abcde"), "amount": [50, 30, 10, 6, 4]})
    ax = plot_pareto(abc_classify(df))
    assert len(bars(ax)) == 5
    assert [b.get_gid() for b in class_bands(ax)] == ["class_band_A", "class_band_B",
                                                      "class_band_C"]
    heights = sorted(round(b.get_height()) for b in bars(ax))
    assert heights == [4, 6, 10, 30, 50]
    # twin axis: the cumulative line and two cut-off lines at 80% and 90%
    twin = ax.cum_ax
    assert twin in ax.figure.axes
    ys = sorted(line.get_ydata()[0] for line in twin.get_lines() if len(line.get_ydata()) == 2)
    assert ys == pytest.approx([0.8, 0.9])
    legend = [t.get_text() for t in twin.get_legend().get_texts()]
    assert len(legend) == 3
    assert legend[0].startswith("A (main): 2")


def test_plot_pareto_uses_given_ax_and_stored_cutoffs():
    df = pd.DataFrame({"customer_id": list("abcd"), "amount": [50, 35, 10, 5]})
    table = abc_classify(df, cutoffs=(0.7, 0.95))
    fig, ax = plt.subplots()
    assert plot_pareto(table, ax=ax, annotate=False) is ax
    ys = sorted(line.get_ydata()[0] for line in ax.cum_ax.get_lines()
                if len(line.get_ydata()) == 2)
    assert ys == pytest.approx([0.7, 0.95])
    assert len(fig.axes) == 2  # the given axes and its twin, no new figure


@pytest.mark.parametrize("n", [600, 100_000])
def test_plot_pareto_many_customers_uses_areas(n):
    table = abc_table(n)
    ax = plot_pareto(table)
    assert n > MAX_BARS
    assert bars(ax) == []
    areas = [c for c in ax.collections if isinstance(c, PolyCollection)]
    assert len(areas) == table["class"].nunique()
    # the cumulative line is thinned to a few thousand points
    assert len(ax.cum_ax.get_lines()[0].get_xdata()) <= 2100


def test_plot_pareto_bad_table():
    with pytest.raises(DataError, match="'cum_share'"):
        plot_pareto(pd.DataFrame({"rank": [1], "value": [1.0], "class": ["A"]}))


def test_plot_lorenz_marks_equality_and_80_20():
    ax = plot_lorenz(lorenz_curve([50, 30, 10, 6, 4]), label="customers")
    gids = [line.get_gid() for line in ax.get_lines()]
    assert "equality" in gids and "rule_80_20" in gids
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    # top 20% of the 5 customers hold 50%: said in the curve's legend entry
    assert "customers (top 20% hold 50%)" in labels and "80/20 rule" in labels
    assert not ax.texts, "no note beside the curve, where another curve could cross it"


def test_plot_lorenz_twice_on_one_ax():
    fig, ax = plt.subplots()
    plot_lorenz(lorenz_curve([1, 2, 3]), ax=ax, label="customers")
    assert plot_lorenz(lorenz_curve([1, 1, 9]), ax=ax, label="salespeople") is ax
    gids = [line.get_gid() for line in ax.get_lines()]
    assert gids.count("equality") == 1
    labels = [t.get_text().split(" (")[0] for t in ax.get_legend().get_texts()]
    assert {"customers", "salespeople"} <= set(labels)


# ----------------------------------------------------------------------- pyramid


def test_plot_pyramid_four_bands_apex_platinum():
    summary = pyramid_summary(pyramid_table())
    ax = plot_pyramid(summary)
    bands = [p for p in ax.patches if isinstance(p, Polygon)]
    assert len(bands) == 4
    tops = [max(y for _, y in band.get_xy()) for band in bands]
    assert tops[0] == pytest.approx(1.0)  # platinum band reaches the apex
    assert tops == sorted(tops, reverse=True)
    widths = [np.ptp([x for x, _ in band.get_xy()]) for band in bands]
    assert widths == sorted(widths)  # bands widen towards the base
    texts = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    assert len(texts) == 4
    counts = summary["count"].tolist()
    for tier, count in zip(["platinum", "gold", "iron", "lead"], counts, strict=True):
        assert f"{count} customers" in texts[f"tier_text_{tier}"]
        assert "value" in texts[f"tier_text_{tier}"]


def test_plot_pyramid_accepts_tier_table_and_ax():
    fig, ax = plt.subplots()
    prof = profitability_pyramid(
        pd.DataFrame({"customer_id": list("abcdefghij"), "gross_profit": range(10)}),
        cuts=(0.1, 0.3, 0.6),
    )
    assert plot_pyramid(prof, ax=ax) is ax
    texts = [t.get_text() for t in ax.texts if t.get_gid()]
    assert any("1 customers (10%)" in t for t in texts)


def test_plot_pyramid_quadrants():
    table = pyramid_table()
    ax = plot_pyramid_quadrants(table)
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 4
    assert sum(len(c.get_offsets()) for c in scatters) == len(table)
    gids = {line.get_gid(): line for line in ax.get_lines()}
    assert gids["cut_current"].get_xdata()[0] == pytest.approx(table.attrs["cuts"]["current"])
    assert gids["cut_potential"].get_ydata()[0] == pytest.approx(
        table.attrs["cuts"]["potential"]
    )
    quadrant_labels = {t.get_gid(): t.get_text() for t in ax.texts}
    assert quadrant_labels["quadrant_platinum"] == "IV Platinum"
    assert quadrant_labels["quadrant_lead"] == "I Lead"


@pytest.mark.parametrize("log", [False, True])
def test_no_customer_hides_under_a_quadrant_label(log):
    # the bundled company: most customers crowd the corner near zero, where "I Lead" sits
    from crmsim import customer_value, datasets

    value = customer_value(datasets.load_transactions(), as_of=datasets.AS_OF,
                           customers=datasets.load_customers())  # fmt: skip
    table = customer_pyramid(value, current="current_value", potential="growth_potential",
                             id="customer_id", split="median")  # fmt: skip
    ax = plot_pyramid_quadrants(table, log=log)
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    dots = np.vstack([c.get_offset_transform().transform(c.get_offsets())
                      for c in ax.collections])  # fmt: skip
    for text in ax.texts:
        if (text.get_gid() or "").startswith("quadrant_"):
            box = text.get_window_extent(renderer).expanded(1.05, 1.1)
            inside = ((dots[:, 0] >= box.x0) & (dots[:, 0] <= box.x1)
                      & (dots[:, 1] >= box.y0) & (dots[:, 1] <= box.y1))  # fmt: skip
            assert not inside.any(), f"{text.get_text()} covers {int(inside.sum())} customers"
    assert all(t >= 0 for t in ax.get_yticks())  # no negative potential on the axis
    plt.close(fig)


def test_plot_pyramid_quadrants_log_scale_and_lost_attrs():
    table = pyramid_table()
    plain = pd.DataFrame(table)  # same data
    plain.attrs = {}
    fig, ax = plt.subplots()
    assert plot_pyramid_quadrants(plain, ax=ax, log=True) is ax
    assert ax.get_xscale() == "symlog" and ax.get_yscale() == "symlog"
    assert ax.get_xlim()[0] == 0  # no empty negative region
    # without attrs the cut is the largest "low" value on each axis
    gids = {line.get_gid(): line for line in ax.get_lines()}
    low_max = table.loc[table["current_level"] == "low", "current_value"].max()
    assert gids["cut_current"].get_xdata()[0] == pytest.approx(low_max)


def test_plot_pyramid_bad_input():
    with pytest.raises(DataError, match="'count'"):
        plot_pyramid(pd.DataFrame({"x": [1]}))
    with pytest.raises(DataError, match="'tier'"):
        plot_pyramid_quadrants(pd.DataFrame({"current_value": [1.0], "growth_potential": [1.0]}))
