"""The charts of the manager's report, the sweep page and the dashboard, readable in a meeting:
every text inside its figure (no clipped title), no two texts on top of each other (no
overlapping value labels), in English and in Chinese.

Texts are the ones matplotlib actually draws (recorded from the Agg renderer), measured with the
renderer's own extents.
"""

from __future__ import annotations

from unittest import mock

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402

from crmsim.report.manager import build_report  # noqa: E402
from crmsim.report.sensitivity import build_sensitivity_report  # noqa: E402
from crmsim.sim import Scenario  # noqa: E402
from crmsim.sim.sensitivity import sensitivity  # noqa: E402
from crmsim.sim.whatif import build_options, run_whatif  # noqa: E402
from crmsim.terms import STRUCTURES, language  # noqa: E402

TINY = Scenario.synthetic(80, 4, months=4)


def drawn_texts(fig) -> list[tuple[str, object]]:
    """(text, display box) of every non-empty text the renderer draws."""
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    drawn = []
    original = RendererAgg.draw_text

    def record(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if mtext is not None and all(mtext is not t for t in drawn):
            drawn.append(mtext)
        return original(self, gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    with mock.patch.object(RendererAgg, "draw_text", record):
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in drawn if t.get_text().strip()]


def layout_problems(fig, slack: float = 1.0) -> list[str]:
    """Texts (partly) outside the figure, and pairs of texts whose boxes overlap."""
    texts = drawn_texts(fig)
    assert texts, "guard: the renderer drew texts"
    width, height = fig.bbox.width, fig.bbox.height
    problems = [f"outside the figure: {name!r}" for name, b in texts
                if b.x0 < -slack or b.y0 < -slack or b.x1 > width + slack
                or b.y1 > height + slack]  # fmt: skip
    for i, (a_name, a) in enumerate(texts):
        for b_name, b in texts[i + 1:]:
            if min(a.x1, b.x1) - max(a.x0, b.x0) > slack and min(a.y1, b.y1) - max(
                    a.y0, b.y0) > slack:  # fmt: skip
                problems.append(f"overlapping: {a_name!r} and {b_name!r}")
    return problems


@pytest.fixture(scope="module")
def whatif():
    options = build_options(vary={"structure": list(STRUCTURES)},
                            sets={"turnover.star_leaves_month": 2}, base=TINY)  # fmt: skip
    return run_whatif(options, replications=2, seed=3, workers=1)


@pytest.fixture(scope="module")
def study():
    options = build_options(vary={"structure": ["extended_roles", "dedicated_post"]}, base=TINY)
    vary = {"crm.adoption": [0.0, 1.0], "team.hours_per_month": [140, 180],
            "structure.monthly_overhead": ["x0.5", "x2"],
            "turnover.monthly_hazard": [0.005, 0.03]}  # fmt: skip
    return sensitivity(options, vary, replications=2, seed=3, workers=1)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_managers_report_charts_are_readable(whatif, lang):
    rep = build_report(whatif, lang=lang)
    assert len(rep._figures) >= 7
    for name, fig in rep._figures.items():
        assert layout_problems(fig) == [], name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sweep_charts_are_readable(study, lang):
    rep = build_sensitivity_report(study, lang=lang)
    for name, fig in rep._figures.items():
        assert layout_problems(fig) == [], name


@pytest.fixture(scope="module")
def two():
    """Two options with long names, as the dashboard's browser test runs them."""
    options = build_options(vary={"structure": ["extended_roles", "dedicated_department"]},
                            base=TINY)  # fmt: skip
    return run_whatif(options, replications=2, seed=3, workers=1)


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
@pytest.mark.parametrize("study_name", ["whatif", "two"])
def test_the_dashboard_chart_is_readable(request, study_name, lang):
    whatif = request.getfixturevalue(study_name)
    import matplotlib.pyplot as plt

    from crmsim.widgets.dashboard.results import DashboardResult, _chart_png

    result = DashboardResult(whatif, {"months": 4}, (None, 80), 3, 1.0)
    figures = []
    original = plt.Figure.savefig

    def keep(fig, *args, **kwargs):
        figures.append(fig)
        return original(fig, *args, **kwargs)

    with language(lang), mock.patch.object(plt.Figure, "savefig", keep):
        _chart_png(result)
    assert figures and layout_problems(figures[0]) == []
