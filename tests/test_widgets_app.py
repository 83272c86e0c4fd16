"""The App frame every lesson app is built on: recompute on change, errors shown, not raised."""

import ipywidgets as W

from crmsim.widgets import App


def _doubler():
    seen = []

    def render(result, out):
        seen.append(result)

    app = App({"x": W.IntSlider(value=2, min=0, max=10)},
              compute=lambda x: 2 * x if x != 7 else (_ for _ in ()).throw(ValueError("x=7 bad")),
              render=render, title="double")
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
