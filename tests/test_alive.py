"""crmsim.calibrate.alive: the buy-till-you-die cross-check.

The published BG/NBD fit on the CDNOW sample first, through the function and through
``crmsim calibrate --alive``; then what each model does with one-time buyers; then bad input.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest

from crmsim.app.cli import main
from crmsim.calibrate import calibrate, probability_alive
from crmsim.errors import ParameterError

pytest.importorskip("lifetimes")

#: Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science 24(2),
#: table 1 / figure 1: the BG/NBD on the 2,357-customer CDNOW sample, weeks, calibration period
#: 1997-01-01 .. 1997-09-30 (39 weeks).
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
#: The Pareto/NBD on the same data and settings, as Fader, Hardie & Lee (2005), "RFM and CLV:
#: using iso-value curves for customer base analysis", Journal of Marketing Research 42(4),
#: report it (two decimals).
PUBLISHED_PARETO = {"r": 0.55, "alpha": 10.58, "s": 0.61, "beta": 11.67}


def _three_figures(x: float) -> float:
    return float(f"{x:.3g}")


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    from crmsim.datasets import load_cdnow

    return load_cdnow(sample=True)


def test_the_cdnow_sample_is_the_published_one(sample):
    assert sample["customer_id"].nunique() == 2357 and len(sample) == 6919
    assert sample["date"].min() == pd.Timestamp("1997-01-01")
    assert sample["date"].max() == pd.Timestamp("1998-06-30")


def test_published_bgnbd_and_pareto_nbd_fits_on_the_cdnow_sample(sample):
    p = probability_alive(sample, as_of="1997-09-30", model="bgnbd", unit="week")
    assert len(p) == 2357
    # the published calibration data: customer 1 made 2 repeat purchases, the last at week
    # 30.43, and was observed for 38.86 weeks
    first = p.set_index("customer_id").loc["4"]
    assert first[["frequency", "recency", "T"]].round(2).tolist() == [2.0, 30.43, 38.86]
    got = p.attrs["params"]
    assert {k: _three_figures(x) for k, x in got.items()} == {
        k: _three_figures(x) for k, x in PUBLISHED_BGNBD.items()
    }
    pareto = probability_alive(sample, as_of="1997-09-30", model="paretonbd", unit="week")
    got = pareto.attrs["params"]
    # 3 significant figures (half a unit in the third: 0.5% relative), or the published two
    # decimals where they give fewer (r 0.55, s 0.61: 0.005); the optimiser stops a little
    # differently from run to run (beta 11.66 or 11.67), which rounding would turn into a miss
    assert set(got) == set(PUBLISHED_PARETO)
    for k, x in PUBLISHED_PARETO.items():
        assert got[k] == pytest.approx(x, rel=5e-3, abs=0.005), (k, got[k], x)


def test_the_published_fit_through_crmsim_calibrate(sample, tmp_path, capsys):
    """The documented settings: the sample, a cohort, --as-of 1997-09-30, --alive bgnbd,
    --alive-unit week."""
    path = tmp_path / "cdnow_sample.csv"
    sample.to_csv(path, index=False)
    code = main(["calibrate", str(path), "--cohort", "--as-of", "1997-09-30", "--alive", "bgnbd",
                 "--alive-unit", "week", "--replications", "2", "--workers", "1",
                 "--out", str(tmp_path / "s.toml"), "--report", str(tmp_path / "r")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    block = out[out.index("== BG/NBD (Fader, Hardie & Lee 2005) =="):]
    printed = dict(line.split() for line in block.splitlines()[2:6])
    assert {k: _three_figures(float(x)) for k, x in printed.items()} == {
        k: _three_figures(x) for k, x in PUBLISHED_BGNBD.items()
    }
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "can drop out only right after a repeat purchase" in html
    assert "never bought again have a probability alive of 1" in out


def test_one_time_buyers_are_pinned_by_bgnbd_only(sample):
    kw = dict(as_of="1997-09-30", unit="week")
    bg = probability_alive(sample, model="bgnbd", **kw)
    once = bg["frequency"] == 0
    assert once.sum() == 1411
    assert (bg.loc[once, "probability_alive"] == 1.0).all()
    for model in ("mbgnbd", "paretonbd"):
        p = probability_alive(sample, model=model, **kw)
        q = p.loc[once.to_numpy(), "probability_alive"]
        assert (q < 0.6).all(), model
        # a one-time buyer is given up the more, the longer ago they bought
        late = p.loc[once.to_numpy()].sort_values("T")
        assert late["probability_alive"].iloc[0] > late["probability_alive"].iloc[-1], model


def test_calibrate_reports_the_model_and_notes_pinned_buyers(sample):
    tx = sample[sample["customer_id"] <= 4000]
    kw = dict(as_of="1997-09-30", cohort=True, replications=1, bootstrap=0, workers=1)
    bg = calibrate(tx, alive="bgnbd", alive_unit="week", **kw)
    assert bg.meta["alive"]["model"] == "bgnbd"
    assert bg.meta["alive"]["one_time_pinned"] == bg.meta["alive"]["one_time_buyers"] > 0
    assert "calibrate.note.alive_pinned" in [n.key for n in bg.notes]
    mbg = calibrate(tx, alive=True, **kw)
    assert mbg.meta["alive"]["model"] == "mbgnbd"
    assert mbg.meta["alive"]["one_time_pinned"] == 0
    assert "calibrate.note.alive_pinned" not in [n.key for n in mbg.notes]
    lost = mbg.alive.loc[mbg.alive["stage"] == "lost", "probability_alive"]
    assert lost.mean() < 0.5


def test_bad_model_or_unit(sample):
    with pytest.raises(ParameterError, match="'model' must be one of bgnbd, mbgnbd, paretonbd"):
        probability_alive(sample, model="nbd")
    with pytest.raises(ParameterError, match="'unit' must be one of day, week; got 'month'"):
        probability_alive(sample, unit="month")
    with pytest.raises(ParameterError, match="'alive' must be true, false or one of"):
        calibrate(sample, alive="bg")


def test_the_extra_is_named_when_lifetimes_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "lifetimes", None)  # "not installed"
    tx = pd.DataFrame({"customer_id": [1, 1], "date": ["2024-01-02", "2024-02-01"],
                       "amount": np.ones(2)})  # fmt: skip
    with pytest.raises(ImportError, match=r'pip install "crmsim\[cdnow\]"'):
        probability_alive(tx)


def test_the_calibrated_model_forecasts_the_cdnow_hold_out(sample):
    """The classic hold-out (Fader, Hardie & Lee 2005): calibrated on weeks 1-39 of the CDNOW
    sample, the closed cohort simulated over the nine months after (October 1997 to June 1998)
    makes about as many repeat purchases as it did, as BG/NBD forecasts them (its cumulative
    error is -16%, crmsim's -16% too when this test was written). Calibrations that drift fail
    it: a forward scenario whose satisfaction reference came from other conditions than its own
    (+53%), a starting book sized against another median wallet than the one its order rates
    were estimated with (1.8 times too many orders a customer, partly offset by uncertain
    customers put in decline by their most probable stage: +18%). The weekly comparison, beside
    BG/NBD's, is ``benchmarks/calibrate_cdnow.py``."""
    from crmsim.sim.experiments import replicate
    from crmsim.sim.scenario import Scenario

    split = pd.Timestamp("1997-09-30")
    cal = calibrate(sample, as_of=split, cohort=True, months=9, replications=4, bootstrap=0,
                    seed=0, workers=1, base=Scenario(currency="USD"))  # fmt: skip
    closed = {f"channels.{ch.name}.{p}": 0.0 for ch in cal.scenario.channels
              for p in ("leads_per_month", "leads_per_stable_customer")}  # fmt: skip
    runs = replicate(cal.scenario.with_(closed), 8, seed=1, workers=1, progress=False)
    simulated = runs.monthly.groupby("replication")["orders"].sum().mean()
    later = sample[(sample["date"] > split) & (sample["date"] <= pd.Timestamp("1998-06-30"))]
    actual = len(later)  # purchases (customer-days) by a cohort that first bought before April
    assert 0.75 * actual < simulated < 1.15 * actual, (simulated, actual)
