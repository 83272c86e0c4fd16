"""Test configuration shared by every test module."""

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

# Headless backend for this process only. (Not via the MPLBACKEND environment variable: the
# notebook kernels nbval starts would inherit it and stop showing figures inline.)
matplotlib.use("Agg")

# CI machines are small (2 cores): keep property tests deterministic and bounded.
settings.register_profile(
    "crmsim",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("crmsim")


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every figure a test opened, so memory stays flat across the suite."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
