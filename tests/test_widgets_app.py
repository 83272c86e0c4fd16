"""The App frame every lesson app is built on: recompute on change, errors shown, not raised."""

import ipywidgets as W

from crmsim.widgets import App


def _doubler():
    seen = []

    def render(result, out):
        seen.append(result)

    app = App(
        {"x": W.IntSlider(value=2, min=0, max=10)},
        compute=lambda x: 2 * x if x != 7 else (_ for _ in ()).throw(ValueError("x=7 bad")),
        render=render,
        title="double",
    )
    return app, seen


def test_app_computes_on_creation_and_on_change():
    app, seen = _doubler()
    assert app.result == 4 and seen == [4]
    app.controls["x"].value = 5
    assert app.result == 10 and seen == [4, 10]
    assert app.values() == {"x": 5}


def test_app_shows_compute_errors_and_keeps_last_result():
    app, seen = _doubler()
    app.controls["x"].value = 7
    assert app.result == 4
    assert isinstance(app.error, ValueError)
    assert "x=7 bad" in app.message.value
    app.controls["x"].value = 1
    assert app.error is None and app.message.value == "" and app.result == 2


def test_app_displays_as_its_widget():
    app, _ = _doubler()
    bundle = app._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_app_draws_in_its_own_language_whatever_the_session_says():
    from crmsim.terms import get_language, label, language

    drawn = []
    with language("en"):
        app = App(
            {"x": W.IntSlider(value=1)},
            compute=lambda x: label("decline"),
            render=lambda result, out: drawn.append(label("exploration")),
            lang="zh",
        )
        assert (app.result, drawn) == ("退化期", ["考察期"])
        app.controls["x"].value = 2
        assert (app.result, drawn[-1]) == ("退化期", "考察期")
        assert get_language() == "en"  # the session's language is left as it was
        plain = App(
            {"x": W.IntSlider(value=1)},
            compute=lambda x: label("decline"),
            render=lambda result, out: None,
        )
        assert plain.result == "Decline"


def test_a_lesson_chart_follows_the_app_language_not_the_session(monkeypatch):
    # the pyramid app's charts are drawn without an explicit lang: the app's language decides
    import pandas as pd

    from crmsim.terms import label, language
    from crmsim.widgets import pyramid

    titles = []
    monkeypatch.setattr(
        pyramid, "show_figure", lambda fig: titles.extend(ax.get_title() for ax in fig.axes)
    )
    table = pd.DataFrame(
        {
            "customer_id": list("abcd"),
            "current_value": [4.0, 3.0, 2.0, 1.0],
            "growth_potential": [1.0, 4.0, 3.0, 2.0],
        }
    )
    with language("en"):
        pyramid.pyramid_explorer(table, lang="zh")
    assert label("chart.pyramid.title", "zh") in titles
    assert label("chart.pyramid.title", "en") not in titles


def test_a_manual_app_computes_only_when_asked_and_redraws_without_computing():
    from crmsim.terms import label

    computed, drawn = [], []

    def compute(x):
        computed.append(x)
        return x * 10

    app = App(
        {"x": W.IntSlider(value=2)},
        compute=compute,
        render=lambda result, out: drawn.append((result, label("decline"))),
        lang="en",
        auto=False,
    )
    assert app.result is None and computed == [] and drawn == []
    app.redraw()  # nothing to draw yet
    assert drawn == []
    app.controls["x"].value = 3
    assert computed == []  # a change does not compute
    assert app.refresh() == 30 and computed == [3] and drawn == [(30, "Decline")]
    app.lang = "zh"
    app.redraw()
    assert computed == [3] and drawn[-1] == (30, "退化期")
