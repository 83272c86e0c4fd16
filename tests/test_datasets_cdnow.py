"""crmsim.datasets.load_cdnow: the CDNOW file read from the installed lifetimes distribution."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmsim.datasets import cdnow
from crmsim.datasets import load_cdnow as exported

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def data() -> pd.DataFrame:
    return cdnow.load_cdnow()


def test_exported_from_datasets():
    assert exported is cdnow.load_cdnow


def test_columns_and_dtypes(data):
    assert tuple(data.columns) == cdnow.CDNOW_COLUMNS
    assert data["customer_id"].dtype == "int64"
    assert data["date"].dtype == "datetime64[ns]"
    assert data["quantity"].dtype == "int64"
    assert data["amount"].dtype == "float64"


def test_published_size_and_range(data):
    # Fader & Hardie's cohort: 23,570 customers, 69,659 purchase records, 1997-01 to 1998-06
    assert len(data) == 69_659
    assert data["customer_id"].nunique() == 23_570
    assert data["customer_id"].min() == 1 and data["customer_id"].max() == 23_570
    assert data["date"].min() == cdnow.CDNOW_START
    assert data["date"].max() == cdnow.CDNOW_END
    assert (data["quantity"] >= 1).all()
    assert (data["amount"] >= 0).all()
    assert not data.isna().any().any()


def test_first_rows_match_the_file(data):
    # the file starts: 00001 19970101 1 11.77 / 00002 19970112 1 12.00 / 00002 19970112 5 77.00
    head = data.head(3)
    assert head["customer_id"].tolist() == [1, 2, 2]
    assert head["date"].tolist() == [pd.Timestamp("1997-01-01"), pd.Timestamp("1997-01-12"),
                                     pd.Timestamp("1997-01-12")]
    assert head["quantity"].tolist() == [1, 1, 5]
    assert head["amount"].tolist() == [11.77, 12.00, 77.00]


def test_lifetimes_is_never_imported():
    code = (
        "import sys\n"
        "from crmsim.datasets import load_cdnow\n"
        "load_cdnow()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('lifetimes', 'autograd'))\n"
        "assert not bad, bad\n"
        "print('ok')\n"
    )
    env_path = str(ROOT)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False,
        env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_missing_extra_names_the_extra(monkeypatch):
    def not_found(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(cdnow.importlib.metadata, "distribution", not_found)
    with pytest.raises(ImportError, match=r'pip install "crmsim\[cdnow\]"'):
        cdnow.load_cdnow()


def test_distribution_without_the_file(monkeypatch, tmp_path):
    class Dist:
        version = "9.9"

        def locate_file(self, path):
            return tmp_path / path

    monkeypatch.setattr(cdnow.importlib.metadata, "distribution", lambda name: Dist())
    with pytest.raises(ImportError, match="has no 'lifetimes/datasets/CDNOW_master.txt'"):
        cdnow.cdnow_path()


def test_works_with_the_methods(data):
    import crmsim

    summary = crmsim.concentration_summary(data, value="amount", id="customer_id")
    assert summary.loc[0, "n"] == 23_570
    assert summary.loc[0, "total"] == pytest.approx(data["amount"].sum())
    # real data: the top 20% bring well over half, but not 80%
    assert 0.5 < summary.loc[0, "top20_share"] < 0.8
