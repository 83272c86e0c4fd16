"""Lesson 03 app: how the split rule of the customer pyramid (金字塔理论) moves customers.

:func:`pyramid_explorer` places every customer in the textbook 2×2 pyramid (current value ×
growth potential) with a split rule chosen in the app — median, quantile or fixed threshold — and
shows who ends up in another tier than under the median split, above all who moves between
platinum (铂金客户) and gold (黄金客户). It is a method app: one call of
:func:`crmsim.customer_pyramid` per change, well under 0.3 s on the bundled company.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import pandas as pd

from crmsim._validation import require_columns, require_dataframe
from crmsim.methods.pyramid import PYRAMID_TIERS, customer_pyramid, pyramid_summary
from crmsim.plots.pyramid import plot_pyramid, plot_pyramid_quadrants
from crmsim.terms import label, resolve_language
from crmsim.widgets._app import App, show_figure

__all__ = ["PyramidView", "pyramid_compute", "pyramid_explorer"]

_SPLITS = ("median", "quantile", "threshold")
_SHOW_MOVED = 12


@dataclass(frozen=True)
class PyramidView:
    """What :func:`pyramid_explorer` shows for one setting of its controls.

    Attributes
    ----------
    table : DataFrame
        The :func:`crmsim.customer_pyramid` table under the chosen split rule.
    summary : DataFrame
        :func:`crmsim.pyramid_summary` of *table* (count and current value per tier).
    moves : DataFrame
        Customer counts, tier under the median split (index) × tier under the chosen rule
        (columns), all four tiers on both sides; the diagonal holds the customers who stayed.
    moved : DataFrame
        The customers whose tier differs from the median split: id, current value, growth
        potential, ``tier_median`` and ``tier``; largest current value first.
    cuts : dict
        The cut used on each axis, ``{"current": ..., "potential": ...}``.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    moves: pd.DataFrame
    moved: pd.DataFrame
    cuts: dict[str, float]

    @property
    def platinum_gold(self) -> pd.DataFrame:
        """The rows of :attr:`moved` that went from platinum to gold or from gold to platinum."""
        pair = {"platinum", "gold"}
        mask = self.moved["tier_median"].isin(pair) & self.moved["tier"].isin(pair)
        return self.moved[mask]


def pyramid_compute(
    table: pd.DataFrame,
    split: str = "median",
    quantile: float = 0.5,
    current_threshold: float | None = None,
    potential_threshold: float | None = None,
    *,
    current: str = "current_value",
    potential: str = "growth_potential",
    id: str = "customer_id",
    baseline: pd.DataFrame | None = None,
) -> PyramidView:
    """The pyramid under one split rule, compared customer by customer with the median split.

    Parameters
    ----------
    table : DataFrame
        One row per customer, e.g. from :func:`crmsim.customer_value`.
    split : {"median", "quantile", "threshold"}
        Passed to :func:`crmsim.customer_pyramid`; *quantile* is used only by ``"quantile"``,
        the two thresholds only by ``"threshold"``.
    quantile, current_threshold, potential_threshold : float
        The cut settings (see :func:`crmsim.customer_pyramid`).
    current, potential, id : str
        Column names.
    baseline : DataFrame, optional
        A precomputed median-split pyramid of *table* (the app passes it so that only one
        pyramid is computed per change).

    Returns
    -------
    PyramidView

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "current_value": [100, 90, 10, 5],
    ...                    "growth_potential": [50, 1, 60, 2]})
    >>> view = pyramid_compute(df, "threshold", current_threshold=50, potential_threshold=0)
    >>> view.moved[["customer_id", "tier_median", "tier"]].values.tolist()
    [['b', 'gold', 'platinum'], ['d', 'lead', 'iron']]
    """
    if baseline is None:
        baseline = customer_pyramid(table, current=current, potential=potential, id=id)
    kwargs: dict[str, Any] = {"split": split}
    if split == "quantile":
        kwargs["quantile"] = quantile
    elif split == "threshold":
        kwargs["current_threshold"] = current_threshold
        kwargs["potential_threshold"] = potential_threshold
    now = customer_pyramid(table, current=current, potential=potential, id=id, **kwargs)
    before = baseline["tier"].to_numpy()
    after = now["tier"].to_numpy()
    moves = (
        pd.crosstab(
            pd.Categorical(before, categories=PYRAMID_TIERS),
            pd.Categorical(after, categories=PYRAMID_TIERS),
            dropna=False,
        )
        .rename_axis(index="tier_median", columns="tier")
        .astype("int64")
    )
    changed = before != after
    moved = now.loc[changed, [id, current, potential, "tier"]].copy()
    moved.insert(3, "tier_median", before[changed])
    moved = moved.sort_values([current, id], ascending=[False, True], kind="mergesort")
    return PyramidView(
        table=now,
        summary=pyramid_summary(now, value=current),
        moves=moves,
        moved=moved.reset_index(drop=True),
        cuts=dict(now.attrs["cuts"]),
    )


def pyramid_explorer(
    table: pd.DataFrame,
    *,
    current: str = "current_value",
    potential: str = "growth_potential",
    id: str = "customer_id",
    lang: str | None = None,
) -> App:
    """An app: choose the pyramid's split rule and see who moves between tiers.

    Controls: ``split`` (median / quantile / fixed threshold), ``quantile`` (0.05–0.95, for the
    quantile rule) and ``current_threshold`` / ``potential_threshold`` (CNY, for the threshold
    rule; they start at the medians, so the threshold rule starts where the median rule is).
    The app draws the value × potential scatter with the cut lines and the pyramid, counts the
    moves against the median split and lists the customers who moved between platinum and gold.

    A method app (one :func:`crmsim.customer_pyramid` call per change; no simulation).

    Parameters
    ----------
    table : DataFrame
        One row per customer with the current-value, growth-potential and id columns, e.g.
        ``crmsim.customer_value(transactions, as_of=..., customers=customers)``.
    current, potential, id : str
        Column names.
    lang : {"en", "zh", "both"}, optional
        Language of the app's labels (default: the session language).

    Returns
    -------
    App
        ``app.result`` is a :class:`PyramidView`.

    Examples
    --------
    >>> df = pd.DataFrame({"customer_id": list("abcd"), "current_value": [100, 90, 10, 5],
    ...                    "growth_potential": [50, 1, 60, 2]})
    >>> app = pyramid_explorer(df)                  # doctest: +SKIP
    >>> app.controls["split"].value = "quantile"    # doctest: +SKIP
    >>> app.controls["quantile"].value = 0.75       # doctest: +SKIP
    >>> app.result.moves.loc["gold", "lead"]        # doctest: +SKIP
    1
    """
    lang = resolve_language(lang)
    require_dataframe(table, name="table")
    require_columns(table, [id, current, potential], source="table")
    baseline = customer_pyramid(table, current=current, potential=potential, id=id)
    med = baseline.attrs["cuts"]

    def t(key: str) -> str:
        return label(f"pyramid_app.{key}", lang)

    style = {"description_width": "initial"}
    controls = {
        "split": W.Dropdown(
            options=[(t(f"split_{s}"), s) for s in _SPLITS], value="median",
            description=t("split"), style=style,
        ),
        "quantile": W.FloatSlider(
            value=0.75, min=0.05, max=0.95, step=0.05, description=t("quantile"),
            readout_format=".2f", continuous_update=False, style=style, disabled=True,
        ),
        "current_threshold": W.FloatText(
            value=round(med["current"], 0), description=t("current_threshold"), style=style,
            disabled=True,
        ),
        "potential_threshold": W.FloatText(
            value=round(med["potential"], 0), description=t("potential_threshold"), style=style,
            disabled=True,
        ),
    }

    def enable(change: dict | None = None) -> None:
        split = controls["split"].value
        controls["quantile"].disabled = split != "quantile"
        controls["current_threshold"].disabled = split != "threshold"
        controls["potential_threshold"].disabled = split != "threshold"

    controls["split"].observe(enable, names="value")

    def compute(**values: Any) -> PyramidView:
        return pyramid_compute(
            table, current=current, potential=potential, id=id, baseline=baseline, **values
        )

    def render(view: PyramidView, out: W.Output) -> None:
        from IPython.display import HTML, display

        fig, (ax_q, ax_p) = plt.subplots(1, 2, figsize=(9, 4.2), width_ratios=[1.2, 1])
        plot_pyramid_quadrants(view.table, ax=ax_q, log=True)
        plot_pyramid(view.summary, ax=ax_p)
        # fixed margins: tight_layout would measure every tick label and double the latency
        fig.subplots_adjust(left=0.08, right=0.98, bottom=0.12, top=0.92, wspace=0.75)
        show_figure(fig)
        lines = [t("cuts").format(**view.cuts)]
        n, pg = len(view.moved), len(view.platinum_gold)
        lines.append(t("moved").format(n=n, pg=pg) if n else t("none_moved"))
        display(HTML("<br>".join(lines)))
        names = {tier: label(tier, lang) for tier in PYRAMID_TIERS}
        moves = view.moves.rename(index=names, columns=names)
        moves = moves.rename_axis(index=t("from"), columns=t("to"))
        display(HTML(f"<b>{t('moves')}</b>" + moves.to_html()))
        if pg:
            show = view.platinum_gold.head(_SHOW_MOVED).copy()
            show["tier_median"] = show["tier_median"].map(names)
            show["tier"] = show["tier"].map(names)
            show.columns = [t("customer"), label(current, lang), label(potential, lang),
                            t("from"), t("to")]
            html = show.to_html(index=False, float_format=lambda x: f"{x:,.0f}")
            if pg > _SHOW_MOVED:
                html += f"<p>{t('more').format(n=pg - _SHOW_MOVED)}</p>"
            display(HTML(f"<b>{t('who_moved')}</b>" + html))

    app = App(controls, compute, render, title=t("title"), lang=lang)
    enable()
    return app
