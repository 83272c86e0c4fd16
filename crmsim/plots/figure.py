"""Figures for charts that go into a page: made without pyplot (no backend, no global figure list,
nothing to close)."""

from __future__ import annotations

import matplotlib.figure


def new_figure(width: float = 8, height: float = 4.5, polar: bool = False):
    """A figure with one Axes, made without pyplot (no backend, no global figure list, nothing
    to close), for charts that go into a page (:class:`crmsim.report.Report`).

    Examples
    --------
    >>> fig, ax = new_figure(4, 3)
    >>> fig.get_size_inches().tolist()
    [4.0, 3.0]
    """
    fig = matplotlib.figure.Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot(projection="polar" if polar else None)
    return fig, ax
