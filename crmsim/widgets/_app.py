"""The small frame every lesson app is built on.

An :class:`App` holds named controls (ipywidgets), an output area, and a ``compute`` function
that turns the controls' values into a result. Whenever a control changes, the app recomputes and
redraws through ``observe()`` callbacks — no ``interact`` — so the same object works in a lesson,
in Voilà and in a headless test::

    app = abc_explorer(table)
    app.controls["cutoff_a"].value = 0.7     # what a click would do
    app.result                                 # the table the app now shows

``App`` displays as its widget in a notebook (``_repr_mimebundle_``), and ``app.widget`` is the
container to place in a larger layout.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt

from crmsim.terms import language, resolve_language


class App:
    """A widget app: named controls → ``compute(**values)`` → ``render(result, output)``.

    Parameters
    ----------
    controls : mapping of name → ipywidgets control
        Their ``value`` is passed to *compute* as keyword arguments of the same name.
    compute : callable
        ``compute(**values) -> result``; pure, no display.
    render : callable
        ``render(result, out)`` draws *result* inside the :class:`ipywidgets.Output` *out*
        (figures, tables, text). It is called inside ``with out:`` after ``out`` is cleared.
    title : str, optional
        A heading shown above the controls.
    layout : callable, optional
        ``layout(controls) -> widget`` arranging the controls; default: a vertical box.
    lang : {"en", "zh", "both"}, optional
        The app's language: *compute* and *render* run inside ``crmsim.terms.language(lang)``, so
        every label they draw (charts, tables, messages) follows the app even when the session's
        language is another one. Default: the session's language at each redraw.
    auto : bool, default True
        Recompute whenever a control changes, and once when the app is built. With ``False`` the
        app computes only when :meth:`refresh` is called (e.g. by a Run button: an app whose
        compute takes seconds, such as the manager's dashboard), and nothing is computed at
        construction.
    sized : bool, default True
        Give sliders and drop-downs room for their descriptions and options
        (:func:`size_controls`); ``False`` for an app that lays out its controls itself (the
        dashboard).
    """

    def __init__(
        self,
        controls: Mapping[str, W.Widget],
        compute: Callable[..., Any],
        render: Callable[[Any, W.Output], None],
        *,
        title: str | None = None,
        layout: Callable[[Mapping[str, W.Widget]], W.Widget] | None = None,
        lang: str | None = None,
        auto: bool = True,
        sized: bool = True,
    ) -> None:
        self.auto = bool(auto)
        self.lang = None if lang is None else resolve_language(lang)
        self.controls = dict(controls)
        self._compute = compute
        self._render = render
        self.output = W.Output()
        self.message = W.HTML()
        self.result: Any = None
        self.error: Exception | None = None
        self.last_seconds: float = 0.0
        if sized:
            size_controls(self.controls)
        box = layout(self.controls) if layout else W.VBox(list(self.controls.values()))
        parts: list[W.Widget] = []
        if title:
            parts.append(W.HTML(f"<h3>{title}</h3>"))
        parts += [box, self.message, self.output]
        self.widget = W.VBox(parts)
        for control in self.controls.values():
            if hasattr(control, "value"):
                control.observe(self._on_change, names="value")
        if self.auto:
            self.refresh()

    # ---------------------------------------------------------------- state
    def values(self) -> dict[str, Any]:
        """The current value of every control that has one."""
        return {k: c.value for k, c in self.controls.items() if hasattr(c, "value")}

    def refresh(self) -> Any:
        """Recompute from the current control values and redraw; returns the result.

        An error raised by *compute* (e.g. an impossible combination of settings) is shown in the
        app's message line instead of a traceback, and the previous drawing is kept.
        """
        start = time.perf_counter()
        with language(self.lang) if self.lang else contextlib.nullcontext():
            return self._refresh(start)

    def _refresh(self, start: float) -> Any:
        try:
            result = self._compute(**self.values())
        except (ValueError, TypeError) as exc:
            self.error = exc
            self.message.value = f"<span style='color:#b00020'>{exc}</span>"
            self.last_seconds = time.perf_counter() - start
            return self.result
        self.error = None
        self.message.value = ""
        self.result = result
        self.output.clear_output(wait=True)
        with self.output:
            self._render(result, self.output)
        plt.close("all")
        self.last_seconds = time.perf_counter() - start
        return result

    def redraw(self) -> None:
        """Draw the current result again, without recomputing (e.g. after the language changed).

        Nothing happens before a first result exists.
        """
        if self.result is None:
            return
        with language(self.lang) if self.lang else contextlib.nullcontext():
            self.output.clear_output(wait=True)
            with self.output:
                self._render(self.result, self.output)
            plt.close("all")

    def _on_change(self, change: dict) -> None:
        if self.auto:
            self.refresh()

    # ---------------------------------------------------------------- display
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} controls={list(self.controls)}>"


#: Widths (px) of a control's parts, in JupyterLab's default 13px font.
_LATIN_PX, _CJK_PX = 7.5, 13.5
#: A slider's track is at least this wide, plus room for its readout.
SLIDER_TRACK_PX, READOUT_PX = 260, 70
#: Room for a drop-down's arrow and padding.
DROPDOWN_EXTRA_PX = 44
#: Longest description given its own width; longer ones wrap.
MAX_DESCRIPTION_PX = 320


def text_px(text: str) -> int:
    """Estimated width in pixels of *text* in the widgets' font (CJK characters count about
    twice a Latin one)."""
    from crmsim.plots._fonts import has_cjk

    return round(sum(_CJK_PX if has_cjk(ch) else _LATIN_PX for ch in str(text)))


_SLIDERS = (W.IntSlider, W.FloatSlider, W.FloatLogSlider, W.IntRangeSlider, W.FloatRangeSlider,
            W.SelectionSlider)


def size_controls(controls: Mapping[str, W.Widget]) -> None:
    """Give sliders and drop-downs room: one description width for all of an app's sliders and
    drop-downs (the longest description, so they line up and none is cut), a slider track of at
    least :data:`SLIDER_TRACK_PX`, and drop-downs wide enough for their longest option.

    Without this, a long description (or a Chinese one) squeezes a slider's track to a few dozen
    pixels and cuts a drop-down's text ("goes to the lower…"). A width set by the app itself is
    kept when it is larger.
    """
    sized = [c for c in controls.values() if isinstance(c, _SLIDERS + (W.Dropdown,))]
    if not sized:
        return
    description = min(max(text_px(c.description) for c in sized) + 12, MAX_DESCRIPTION_PX)
    for control in sized:
        control.style.description_width = f"{description}px"
        if isinstance(control, W.Dropdown):
            options = max((text_px(text) for text in control._options_labels), default=60)
            need = description + options + DROPDOWN_EXTRA_PX
        else:
            need = description + SLIDER_TRACK_PX + READOUT_PX
        current = str(control.layout.width or "")
        if current.endswith("px") and float(current[:-2]) >= need:
            continue
        control.layout.width = f"{need}px"


def show_figure(fig: plt.Figure) -> None:
    """Display *fig* in the current output (inside ``render``) and release it."""
    from IPython.display import display

    display(fig)
    plt.close(fig)
