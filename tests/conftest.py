"""Test configuration shared by every test module."""

import os
import tempfile
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings
from lesson_install import write_ipython_dir

# Headless backend for this process only. (Not via the MPLBACKEND environment variable: the
# notebook kernels nbval starts would inherit it and stop showing figures inline.)
matplotlib.use("Agg")

# Every notebook kernel this run starts (nbval's lessons and exercises, the graders') may import
# only what the lessons' install, `pip install -e ".[lab]"`, brings: see tests/lesson_install.py.
_IPYTHON_DIR = tempfile.TemporaryDirectory(prefix="crmsim-ipython-")
os.environ["IPYTHONDIR"] = str(write_ipython_dir(Path(_IPYTHON_DIR.name)))

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
