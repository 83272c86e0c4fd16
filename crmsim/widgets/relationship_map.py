"""Lesson 05 app: the class builds its own team's customer relationship map (客户关系图).

:func:`relationship_map_builder` walks through the four steps of
:class:`crmsim.RelationshipMap` with text inputs and buttons: (1) add customers, internal or
external; (2) add the needs of each; (3) keep or drop each need from the organisation's point of
view; (4) name a kept need as a result. After every click the map is redrawn and the evaluation
dimensions table is updated. A method app: no simulation, one small table and one drawing per
click.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import pandas as pd

from crmsim.methods.relationship_map import KINDS, RelationshipMap
from crmsim.plots.relationship_map import plot_relationship_map
from crmsim.terms import label, resolve_language
from crmsim.widgets._app import App, show_figure

__all__ = ["MapView", "relationship_map_builder"]

_DECISIONS = ("keep", "drop", "undecided")
_VALUABLE = {"keep": True, "drop": False, "undecided": None}


@dataclass(frozen=True)
class MapView:
    """What :func:`relationship_map_builder` shows after a click.

    Attributes
    ----------
    customers : DataFrame
        :meth:`RelationshipMap.customers_table`.
    needs : DataFrame
        :meth:`RelationshipMap.needs_table`.
    dimensions : DataFrame
        :meth:`RelationshipMap.dimensions` (kept needs only; unrenamed ones under their item).
    """

    customers: pd.DataFrame
    needs: pd.DataFrame
    dimensions: pd.DataFrame


def relationship_map_builder(
    rmap: RelationshipMap | None = None,
    *,
    team: str = "Our team",
    lang: str | None = None,
) -> App:
    """An app where a class builds a team's relationship map and sees its evaluation dimensions.

    Controls (text inputs, dropdowns and buttons, by step):

    1. ``customer_name``, ``kind`` and the ``add_customer`` button (the id is the name);
    2. ``need_customer`` (dropdown of customers), ``need_item`` and the ``add_need`` button;
    3. ``decide_need`` (dropdown of ``(customer id, item)`` pairs), ``decision``
       (keep / drop / undecided) and the ``apply_decision`` button;
    4. ``dimension_item`` (dropdown of kept items), ``dimension_name`` and the ``rename`` button.

    A bad entry (an empty name, a customer added twice...) shows the map's message in the app
    and changes nothing.

    Parameters
    ----------
    rmap : RelationshipMap, optional
        A map to start from (e.g. ``crmsim.datasets.load_relationship_map()``); it is changed in
        place. Default: an empty map for *team*.
    team : str
        Team name of the new map when *rmap* is not given.
    lang : {"en", "zh", "both"}, optional
        Language of the labels.

    Returns
    -------
    App
        ``app.result`` is a :class:`MapView`; ``app.rmap`` is the map being built.
    """
    lang = resolve_language(lang)
    rmap = RelationshipMap(team) if rmap is None else rmap
    if not isinstance(rmap, RelationshipMap):
        raise TypeError(f"parameter 'rmap' must be a RelationshipMap; got {type(rmap).__name__}")

    def t(key: str) -> str:
        return label(f"rmap_app.{key}", lang)

    style = {"description_width": "150px"}

    def text(key: str) -> W.Text:
        return W.Text(value="", description=t(key), continuous_update=False, style=style)

    def button(key: str) -> W.Button:
        return W.Button(description=t(key))

    controls: dict[str, W.Widget] = {
        "customer_name": text("customer_name"),
        "kind": W.Dropdown(options=[(label(k, lang), k) for k in KINDS], value="external",
                           description=t("kind"), style=style),
        "add_customer": button("add_customer"),
        "need_customer": W.Dropdown(options=[], description=t("need_customer"), style=style),
        "need_item": text("need_item"),
        "add_need": button("add_need"),
        "decide_need": W.Dropdown(options=[], description=t("decide_need"), style=style),
        "decision": W.ToggleButtons(options=[(t(d), d) for d in _DECISIONS], value="keep",
                                    description=t("decision"), style=style),
        "apply_decision": button("apply_decision"),
        "dimension_item": W.Dropdown(options=[], description=t("dimension_item"), style=style),
        "dimension_name": text("dimension_name"),
        "rename": button("rename"),
    }

    def layout(c: dict[str, W.Widget]) -> W.Widget:
        def step(n: int, *names: str) -> W.Widget:
            return W.VBox([W.HTML(f"<b>{t(f'step{n}')}</b>"), W.HBox([c[k] for k in names])])

        return W.VBox([
            step(1, "customer_name", "kind", "add_customer"),
            step(2, "need_customer", "need_item", "add_need"),
            step(3, "decide_need", "decision", "apply_decision"),
            step(4, "dimension_item", "dimension_name", "rename"),
        ])

    def compute(**values: Any) -> MapView:
        return MapView(rmap.customers_table(), rmap.needs_table(), rmap.dimensions())

    def render(view: MapView, out: W.Output) -> None:
        from IPython.display import HTML, display

        if len(view.customers):
            fig, ax = plt.subplots(figsize=(9, 5))
            plot_relationship_map(rmap, ax=ax)
            show_figure(fig)
        dims = view.dimensions
        if len(dims):
            shown = dims[["dimension", "n_external", "n_internal", "renamed"]].rename(
                columns={"dimension": t("dimension"), "n_external": label("external", lang),
                         "n_internal": label("internal", lang), "renamed": t("renamed")}
            )
            display(HTML(f"<b>{t('dimensions')}</b>" + shown.to_html(index=False)))
        else:
            display(HTML(f"<i>{t('no_dimensions')}</i>"))

    app = App(controls, compute, render, title=t("title"), layout=layout, lang=lang)
    app.rmap = rmap  # type: ignore[attr-defined]

    def sync_options() -> None:
        ids = rmap.customer_ids
        controls["need_customer"].options = ids
        needs = rmap.needs_table()
        pairs = [(f"{r.customer_id}: {r.item}", (r.customer_id, r.item))
                 for r in needs.itertuples()]
        controls["decide_need"].options = pairs
        kept = needs.loc[needs["valuable"].fillna(False).astype(bool), "item"]
        controls["dimension_item"].options = list(dict.fromkeys(kept))

    def action(fn: Callable[[], None], clear: tuple[str, ...] = ()) -> Callable[[Any], None]:
        def on_click(_: Any) -> None:
            try:
                fn()
            except ValueError as exc:  # the map's DataError / ParameterError
                app.error = exc
                app.message.value = f"<span style='color:#b00020'>{exc}</span>"
                return
            for name in clear:
                controls[name].value = ""
            sync_options()
            app.refresh()

        return on_click

    def add_customer() -> None:
        name = controls["customer_name"].value.strip()
        rmap.add_customer(name, name, controls["kind"].value)

    def add_need() -> None:
        who = controls["need_customer"].value
        if who is None:
            raise ValueError(t("need_a_customer"))
        rmap.add_need(who, controls["need_item"].value.strip())

    def apply_decision() -> None:
        pair = controls["decide_need"].value
        if pair is None:
            raise ValueError(t("need_a_need"))
        rmap.mark(pair[0], pair[1], _VALUABLE[controls["decision"].value])

    def rename() -> None:
        item = controls["dimension_item"].value
        if item is None:
            raise ValueError(t("need_a_kept_need"))
        rmap.rename({item: controls["dimension_name"].value.strip()})

    controls["add_customer"].on_click(action(add_customer, ("customer_name",)))
    controls["add_need"].on_click(action(add_need, ("need_item",)))
    controls["apply_decision"].on_click(action(apply_decision))
    controls["rename"].on_click(action(rename, ("dimension_name",)))
    sync_options()
    app.refresh()
    return app
