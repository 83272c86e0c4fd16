"""Numbers a manager types into the dashboard: a slider with a text box beside it that reads
"60", "60%" and "0.6" alike, and refuses anything else with a message instead of clamping it.

A slider's own readout clamps what is typed to its range without a word (typing "60" into a
0-100% slider set 100%), so the dashboard hides it and shows a :class:`NumberField` instead:
the slider holds the value, the text box shows it and takes typed values, and a message line
says what was wrong with a value it could not use.

Examples
--------
>>> parse_share("60"), parse_share("60%"), parse_share("0.6"), parse_share(" 5 % ")
(0.6, 0.6, 0.6, 0.05)
>>> parse_whole("25", 1, 60)
25
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as W

from crmsim.terms import label

__all__ = ["NumberField", "parse_share", "parse_whole"]


class InputError(ValueError):
    """A typed value the field cannot use; the message says what is expected."""


def _number(text: str) -> float:
    cleaned = str(text).strip().replace(",", "").replace("，", "").replace("％", "%")
    try:
        return float(cleaned.rstrip("%").strip())
    except ValueError:
        raise InputError(str(text)) from None


def parse_share(text: str) -> float:
    """A share typed as a percentage (``"60%"``, ``"60"``) or a fraction (``"0.6"``).

    A number above 1 without a percent sign is read as a percentage (``"60"`` is 60%); 1 and
    below as a fraction (``"1"`` is 100%, ``"0.5"`` 50%); ``"0.5%"`` is half a percent.

    Raises
    ------
    InputError
        Not a number, or outside 0-100%.
    """
    value = _number(text)
    share = value / 100 if str(text).strip().endswith(("%", "％")) or value > 1 else value
    if not 0 <= share <= 1:
        raise InputError(str(text))
    return round(share, 6)


def parse_whole(text: str, minimum: int, maximum: int) -> int:
    """A whole number between *minimum* and *maximum* (thousands separators allowed)."""
    value = _number(text)
    if not value.is_integer() or not minimum <= value <= maximum:
        raise InputError(str(text))
    return int(value)


class NumberField:
    """A slider and a text box showing the same number; typed values parsed or refused.

    Parameters
    ----------
    slider : ipywidgets.FloatSlider or IntSlider
        Holds the value (its readout is hidden); what the app observes.
    kind : {"share", "whole"}
        How typed text is read (:func:`parse_share` or :func:`parse_whole`).
    message_key : str
        Catalog key of the refusal, with ``{value}``, ``{low}`` and ``{high}``.
    name : callable
        Returns the field's name in the current language (for the message).

    Attributes
    ----------
    text : ipywidgets.Text
        The box a manager types into (class ``crmsim-typed``).
    error : ipywidgets.HTML
        The refusal, empty when the last typed value was used (class ``crmsim-input-error``).
    box : ipywidgets.HBox
        Slider, text box and message, to place in a layout.
    """

    def __init__(self, slider: W.Widget, kind: str, message_key: str,
                 name: Callable[[], str]) -> None:  # fmt: skip
        self.slider = slider
        self.kind = kind
        self.message_key = message_key
        self.name = name
        slider.readout = False
        self.text = W.Text(value=self.show(slider.value), continuous_update=False,
                           layout=W.Layout(width="90px"))  # fmt: skip
        self.text.add_class("crmsim-typed")
        self.error = W.HTML()
        self.error.add_class("crmsim-input-error")
        self.box = W.HBox([slider, self.text, self.error])
        self._setting = False
        slider.observe(self._from_slider, names="value")
        self.text.observe(self._from_text, names="value")

    def show(self, value: Any) -> str:
        """*value* as the text box shows it (``"60%"``, ``"25"``)."""
        return f"{float(value):.0%}" if self.kind == "share" else f"{int(value):,}"

    def parse(self, text: str) -> float | int:
        """*text* as a value of this field (see the module); InputError if it cannot be."""
        if self.kind == "share":
            return parse_share(text)
        return parse_whole(text, int(self.slider.min), int(self.slider.max))

    def _from_slider(self, change: dict) -> None:
        if not self._setting:
            self._set_text(self.show(change["new"]))
            self.error.value = ""

    def _set_text(self, text: str) -> None:
        self._setting = True
        try:
            self.text.value = text
        finally:
            self._setting = False

    def _from_text(self, change: dict) -> None:
        if self._setting:
            return
        try:
            value = self.parse(change["new"])
        except InputError:
            low, high = self.show(self.slider.min), self.show(self.slider.max)
            message = label(self.message_key).format(name=self.name(), value=change["new"],
                                                     low=low, high=high)  # fmt: skip
            self.error.value = (f"<span class='crmsim-error' style='color:#b00020'>"
                                f"{html.escape(message)}</span>")  # fmt: skip
            self._set_text(self.show(self.slider.value))
            return
        self.error.value = ""
        self._setting = True
        try:
            self.slider.value = value
        finally:
            self._setting = False
        self._set_text(self.show(self.slider.value))
