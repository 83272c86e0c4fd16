"""crmsim.calibrate and ``crmsim calibrate``: a scenario estimated from a transaction history.

Hand-worked counting first, then the bundled company against the generator's known truth, then
the scenario (simulates, TOML round trip), determinism, bad input, the command line end to end
(a GBK file with Chinese headers written here) and the BG/NBD cross-check.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from crmsim import terms
from crmsim.app.cli import main
from crmsim.calibrate import (
    TRANSITION_PARAMETERS,
    calibrate,
    probability_alive,
)
from crmsim.datasets import generate
from crmsim.datasets.generate import CATEGORIES, CATEGORY_MARGIN, DISCOUNT_PROB, SEASON
from crmsim.datasets.truth import annual_loss_truth, calibration_truth
from crmsim.errors import DataError, ParameterError
from crmsim.sim.experiments import simulate
from crmsim.sim.scenario import Scenario

# --------------------------------------------------------------------------- small histories


def _two_kinds(copies: int = 30) -> pd.DataFrame:
    """*copies* customers like C1 (one order of 100 a month, January to August 2024) and like
    C2 (January to March). Stages at month ends, worked by hand from the rules:

    - C1: exploration Jan..Sep (first order under 9 months ago), formation Oct and Nov (spend
      in the last 12 months, none before), decline Dec (no order for 4 months);
    - C2: exploration Jan..Aug, lost from Sep (no order for 6 months).

    Moves per copy: E→E 8 + 7 = 15, E→F 1 (C1), E→L 1 (C2), F→F 1, F→D 1, L→L 3.
    """
    rows = []
    for k in range(copies):
        for m in range(1, 9):
            rows.append((f"A{k:03d}", f"2024-{m:02d}-05", 100.0))
        for m in range(1, 4):
            rows.append((f"B{k:03d}", f"2024-{m:02d}-10", 100.0))
    return pd.DataFrame(rows, columns=["customer_id", "date", "amount"])


def test_hand_worked_transition_counts_and_estimates():
    cal = calibrate(_two_kinds(30), as_of="2024-12-31", cohort=True, replications=2,
                    bootstrap=0, workers=1)  # fmt: skip
    t = cal.transitions
    assert t.loc["exploration"].tolist() == [450, 30, 0, 0, 30]
    assert t.loc["formation"].tolist() == [0, 30, 0, 30, 0]
    assert t.loc["lost"].tolist() == [0, 0, 0, 0, 90]
    assert t.to_numpy().sum() == 30 * 22  # two customers per copy, 11 moves each
    est = cal.estimates.set_index("parameter")
    # the rates come from the hidden-state model, not from these counts: every copy of a kind
    # buys alike, then stops for good, which the model reads as decline and then lost
    rates = est[est.index.isin([f"lifecycle.{p}" for p in TRANSITION_PARAMETERS])]
    assert (rates["method"] == "hidden_state").all() and rates["used"].all()
    assert est.loc["lifecycle.decline_to_lost", "estimate"] > 0.5
    stages = cal.panel.groupby("customer_id")["stage"].last()
    assert (stages == "lost").all()
    # 12 months of history: too short to tell a season from a trend
    assert not est.loc["season.factors.jan", "used"]
    assert set(cal.scenario.season.factors.values()) == {1.0}
    # the book: the C2 kind (silent since March) lost and left out
    assert not cal.book["customer_id"].str.startswith("B").any()
    assert cal.scenario.book.start_date == "2025-01-01"


def test_transition_parameters_map_every_observed_move_from_an_active_stage_once():
    """Each (from, to) move with from != to and from an active stage feeds at most one
    parameter; moves the model cannot make are exactly stability -> formation (stay) and
    moves back to exploration (impossible under the rules)."""
    seen: dict[tuple[int, int], str] = {}
    for name, (frm, targets) in TRANSITION_PARAMETERS.items():
        for to in targets:
            assert (frm, to) not in seen, (name, seen[(frm, to)])
            seen[(frm, to)] = name
    unmapped = {(a, b) for a in range(4) for b in range(5) if a != b} - set(seen)
    assert unmapped == {(1, 0), (2, 0), (2, 1)}


# --------------------------------------------------------------------------- the bundled company


@pytest.fixture(scope="module")
def company() -> dict:
    return generate()


@pytest.fixture(scope="module")
def bundled(company):
    return calibrate(
        company["transactions"], company["customers"], company["account_managers"],
        replications=4, bootstrap=100, workers=1, seed=0,
    )  # fmt: skip


def test_bundled_estimates_recover_the_generators_truth(bundled, company):
    """What the generator put in (crmsim/datasets/generate.py) against what comes back.

    - Order frequency: the generator's orders are Poisson with mean
      1.5 (wallet x share / 30,000)^0.35 x sqrt(level x season), so the size elasticity is
      0.35 (share does not depend on wallet); the clip of the rate to [0.5, 5] and the mix of
      levels blur it: tolerance 0.1.
    - Stability: stable customers buy share x season x wobble of their wallet a year and order
      1.5 (median wallet x share / 30,000)^0.35 x sqrt(season) times a month at the median
      wallet. The rules' "stability" also holds months of customers about to decline or just
      recovered, whose level is lower: tolerance 15% below (and 5% above).
    - Gross margin: the category margins weighted by sales, less the lines sold below cost:
      tolerance 0.005.
    - New customers per month in the last 12 months: exactly the first purchases of 2024.
    """
    est = bundled.estimates.set_index("parameter")["estimate"]
    cu, mg = company["customers"], company["account_managers"]
    truth = company["truth"].set_index("customer_id")["archetype"]
    assert 0.25 <= est["lifecycle.size_elasticity"] <= 0.45

    skill = cu["manager_id"].map(mg.set_index("manager_id")["skill"])
    share = np.clip((0.4 + 0.1 * (cu["channel"] == "referral")) * (0.85 + 0.3 * skill), 0.05, 0.95)
    school = cu["customer_type"] == "school_government"
    season = np.where(school, (SEASON.sum() + 0.8 * SEASON[7]) / 12, SEASON.mean())
    wobble = np.exp(0.12**2 / 2)
    stable = (truth.reindex(cu["customer_id"]) == "stable").to_numpy()
    wallet = cu["annual_wallet"].to_numpy()
    sow_truth = (wallet * share * season * wobble)[stable].sum() / wallet[stable].sum()
    sow = est["lifecycle.share_of_wallet.stability"]
    assert 0.85 * sow_truth <= sow <= 1.05 * sow_truth, (sow, sow_truth)

    median = np.median(bundled.book["annual_wallet"])
    opm_truth = 1.5 * (median * share.mean() / 30_000) ** 0.35 * np.sqrt(SEASON).mean()
    opm = est["lifecycle.orders_per_month.stability"]
    assert 0.85 * opm_truth <= opm <= 1.05 * opm_truth, (opm, opm_truth)

    # purchase levels by stage follow the generator's levels: exploring and declining customers
    # buy a fraction of a stable one's
    for stage in ("exploration", "formation", "decline"):
        assert est[f"lifecycle.share_of_wallet.{stage}"] < sow

    tx = company["transactions"]
    cat = tx["category"].map({c: i for i, c in enumerate(CATEGORIES)}).to_numpy()
    listed = float((tx["amount"] * CATEGORY_MARGIN[cat]).sum() / tx["amount"].sum())
    margin_truth = (1 - DISCOUNT_PROB) * listed - DISCOUNT_PROB * 0.045
    assert est["lifecycle.gross_margin"] == pytest.approx(margin_truth, abs=0.005)

    observed = bundled.observed.set_index("measure")["value"]
    first = cu["first_purchase"]
    assert observed["new_customers_per_month"] == ((first >= "2024-01-01").sum()) / 12


def test_bundled_recovery_of_the_generators_values(bundled, company):
    """The recovery table of benchmarks/calibrate_recovery.py, as a regression test: every
    generator value the calibration estimates (crmsim.datasets.truth) against its estimate and
    95% interval, and the annual loss the estimated chain implies against the generator's.

    - share of wallet and orders per month in stability, size elasticity, gross margin: inside
      their intervals;
    - seasonal factors: within 0.1 of the generator's. This company's own three Januaries hold
      6.5% fewer orders than the generator expected (Poisson luck, about two standard
      deviations: a calendar month's share of the orders varies by 2-3% across generator
      seeds), so January's honest interval misses the generator's value; the benchmark's --coverage
      checks the intervals over seeds instead;
    - annual loss: within 1.5 points of the generator's (the "lost" trajectories among the
      customers active at the end of 2023), inside the chain's bootstrap interval."""
    truth = calibration_truth(company, float(np.median(bundled.book["annual_wallet"])))
    est = bundled.estimates.set_index("parameter")
    for name, value in truth.items():
        row = est.loc[name]
        assert row["used"], name
        if name.startswith("season."):
            assert row["estimate"] == pytest.approx(value, abs=0.1), name
        else:
            assert row["ci_low"] <= value <= row["ci_high"], (name, value, row.to_dict())
    loss = bundled.meta["hidden"]["annual_loss"]
    true_loss = annual_loss_truth(company)
    assert loss["estimate"] == pytest.approx(true_loss, abs=0.015)
    assert loss["ci_low"] <= true_loss <= loss["ci_high"]
    observed = bundled.observed.set_index("measure")["value"]
    assert observed["annual_loss_implied"] == pytest.approx(true_loss, abs=0.015)
    assert "calibrate.note.loss_gap" not in [n.key for n in bundled.notes]


def test_growing_customers_are_labelled_formation(bundled, company):
    """The generator's "forming" customers grow from a sixth of a steady customer's level to
    all of it over 14-26 months from their first order: the hidden stages follow them from
    exploration through formation (most spend months there) to stability, in that order and
    never back; steady ("stable") customers are labelled stability almost every month."""
    arche = company["truth"].set_index("customer_id")["archetype"]
    panel = bundled.panel.assign(archetype=lambda t: t["customer_id"].map(arche))
    forming = panel[panel["archetype"] == "forming"].sort_values(["customer_id", "month_end"])
    order = forming["stage"].map({"exploration": 0, "formation": 1, "stability": 2,
                                  "decline": 3, "lost": 4})  # fmt: skip
    by = forming.assign(code=order).groupby("customer_id")["code"]
    monotone = by.apply(lambda c: bool((np.diff(c.to_numpy()) >= 0).all()))
    assert monotone.mean() > 0.95
    visited = by.apply(lambda c: bool((c == 1).any()))
    assert visited.mean() > 0.9
    assert (forming["stage"] == "formation").mean() > 0.4
    stable = panel[(panel["archetype"] == "stable") & (panel["month_end"] >= "2023-01-31")]
    assert (stable["stage"] == "stability").mean() > 0.95


def test_bundled_back_test_covers_the_history_and_says_where_it_is_poor(bundled):
    fit, summary = bundled.fit, bundled.fit_summary.set_index("measure")
    assert bundled.meta["fit_start"] == pd.Timestamp("2023-12-31")
    assert fit["month"].max() == 12 and set(fit["measure"]) >= {"revenue", "active_customers"}
    assert (fit["low"] <= fit["simulated"]).all() and (fit["simulated"] <= fit["high"]).all()
    # the year's revenue is reproduced, and the seasons are in the model (no note about them)
    assert abs(summary.loc["revenue_total", "relative_difference"]) < 0.10
    keys = [n.key for n in bundled.notes]
    assert "calibrate.note.seasonality" not in keys
    assert bundled.estimates.set_index("parameter").loc["season.factors.aug", "used"]
    poor = summary.index[summary["verdict"] == "poor"]
    noted = {n.values["measure"] for n in bundled.notes if n.key == "calibrate.note.poor_fit"}
    assert noted == {f"calibrate.measure.{m}" for m in poor if m != "revenue_total"}
    # actual stage counts are the expected numbers under the hidden-state posterior: near the
    # panel's most probable stages counted (which undercount the stages customers are least
    # sure to be in)
    jan = fit[(fit["measure"] == "customers_formation") & (fit["month"] == 1)]["actual"].item()
    panel = bundled.panel
    counted = ((panel["month_end"] == "2024-01-31") & (panel["stage"] == "formation")).sum()
    assert jan == pytest.approx(counted, rel=0.1)
    # the band carries the estimates' uncertainty (each replication under a bootstrap refit's
    # parameters): revenue is not poor (with 4 replications the band is little more than their
    # range; benchmarks/calibrate_recovery.py runs 20). The stable customers' level is within a
    # few percent of the history's
    assert summary.loc["revenue", "verdict"] in ("good", "fair")
    assert abs(summary.loc["revenue", "relative_difference"]) < 0.08
    assert abs(summary.loc["customers_stability", "relative_difference"]) < 0.06
    # the back-test replays the history's new customers, each joining in the month of its first
    # order: the active and exploring customers follow the history's month by month (a funnel
    # at a constant rate left them about 3.5% and 25% short here, the history's new customers
    # coming in a burst in the window's first months)
    assert abs(summary.loc["active_customers", "relative_difference"]) < 0.02
    assert abs(summary.loc["customers_exploration", "relative_difference"]) < 0.10
    assert bundled.meta["backtest_new_customers"] == 93


def test_hidden_stages_use_every_month_of_old_customers(bundled, company):
    """The rules need two years of look-back before they trust an old customer's stage; the
    hidden-state model reads every month from the first (an old customer's stage at the start
    is estimated like any other)."""
    panel = bundled.panel
    old = set(company["customers"].loc[company["customers"]["first_purchase"] < "2022-01-01",
                                       "customer_id"])  # fmt: skip
    mine = panel[panel["customer_id"].isin(old)]
    assert mine["observable"].all()
    assert (mine["month_end"] == "2022-01-31").sum() == len(old)


# --------------------------------------------------------------------------- the scenario


def test_calibrated_scenario_simulates_and_its_toml_round_trips(bundled, tmp_path):
    sc = bundled.scenario
    assert sc.book.source == "tables" and sc.book.start_date == "2025-01-01"
    panel = bundled.panel
    at_end = (panel["month_end"] == pd.Timestamp("2024-12-31")) & (panel["stage"] != "lost")
    # the book's stages are drawn from the posterior at as_of, the panel's are the most
    # probable: nearly the same customers are left out as lost
    assert len(sc.book.customers) == len(bundled.book)
    assert abs(len(bundled.book) - int(at_end.sum())) <= 0.03 * int(at_end.sum())
    assert bundled.book["customer_id"].isin(panel["customer_id"]).all()
    used = bundled.estimates[bundled.estimates["used"]]
    for path, value in zip(used["parameter"], used["value"], strict=True):
        parts = path.split(".")
        if parts[0] == "channels":
            node = getattr(sc.channel(parts[1]), parts[2])
        else:
            node = getattr(sc, parts[0])
            for part in parts[1:]:
                node = node[part] if isinstance(node, dict) else getattr(node, part)
        assert node == pytest.approx(value, rel=1e-5, abs=1e-6), path
    result = simulate(sc.replace(months=2), seed=1)
    assert result.meta["n_customers_start"] == len(bundled.book)

    files = bundled.write_scenario(tmp_path / "company.toml")
    text = files["scenario"].read_text(encoding="utf-8")
    assert text.startswith("# crmsim scenario calibrated from transactions")
    assert "company_customers.csv" in text
    back = Scenario.from_toml(files["scenario"])
    mine, theirs = sc.to_dict(), back.to_dict()
    mine.pop("book"), theirs.pop("book")
    assert mine == theirs
    a, b = sc.book.resolve(), back.book.resolve()
    pd.testing.assert_frame_equal(a.customers, b.customers)
    pd.testing.assert_frame_equal(a.managers, b.managers)
    stamp = files["scenario"].stat().st_mtime_ns
    with pytest.raises(DataError, match="already exists; use --force"):
        bundled.write_scenario(tmp_path / "company.toml")
    assert files["scenario"].stat().st_mtime_ns == stamp


def _small(company, n: int = 80) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every (600 // n)-th customer of the bundled company (old and new ones) and its orders."""
    customers = company["customers"].iloc[:: 600 // n].reset_index(drop=True)
    tx = company["transactions"]
    return tx[tx["customer_id"].isin(customers["customer_id"])], customers


def test_same_seed_same_calibration_other_seed_other_fit(company):
    tx, cu = _small(company)
    kw = dict(replications=2, bootstrap=30, workers=1)
    one = calibrate(tx, cu, seed=5, **kw)
    two = calibrate(tx, cu, seed=5, **kw)
    pd.testing.assert_frame_equal(one.estimates, two.estimates)
    pd.testing.assert_frame_equal(one.fit, two.fit)
    assert one.scenario == two.scenario
    other = calibrate(tx, cu, seed=6, **kw)
    assert not one.fit["simulated"].equals(other.fit["simulated"])
    # the point estimates do not depend on the seed, only the intervals and simulations do
    counted = one.estimates["method"].isin(["transition_counts", "ratio", "margin"])
    pd.testing.assert_series_equal(one.estimates.loc[counted, "estimate"],
                                   other.estimates.loc[counted, "estimate"])  # fmt: skip


def test_without_customers_the_book_gets_proxy_wallets_and_made_up_managers(company):
    tx, _ = _small(company)
    cal = calibrate(tx[["date", "customer_id", "amount"]], replications=2, bootstrap=0,
                    workers=1)  # fmt: skip
    keys = [n.key for n in cal.notes]
    assert "calibrate.note.wallet_proxy" in keys and "calibrate.note.managers_made" in keys
    assert "calibrate.note.no_profit" in keys
    assert cal.meta["wallet"] == "proxy"
    assert set(cal.book["manager_id"]) <= set(cal.scenario.book.managers["manager_id"])
    assert (cal.book["annual_wallet"] > 0).all()


# --------------------------------------------------------------------------- bad input


def _tx(**changes) -> pd.DataFrame:
    tx = pd.DataFrame({
        "customer_id": ["C1", "C1", "C2", "C2"],
        "date": ["2024-01-05", "2024-02-05", "2024-01-07", "2024-03-01"],
        "amount": [100.0, 50.0, 80.0, 20.0],
    })  # fmt: skip
    for col, (row, value) in changes.items():
        tx[col] = tx[col].astype(object)
        tx.loc[row, col] = value
    return tx


@pytest.mark.parametrize(
    ("table", "kwargs", "message"),
    [
        (_tx().drop(columns="amount"), {}, r"transactions: missing column 'amount'; available"),
        (_tx(amount=(2, -3.0)), {}, r"column 'amount' must be >= 0; found -3.0 at row 3 \(id C2\)"),
        (_tx(amount=(1, "abc")), {}, r"column 'amount' must be numeric; found 'abc' at row 2"),
        (_tx(date=(3, "31/31/2024")), {}, r"column 'date' must hold dates.*'31/31/2024' at row 4"),
        (_tx().iloc[:0], {}, r"transactions: no rows"),
        (_tx(), {"as_of": "2023-06-30"}, r"'as_of' \(2023-06-30\) is before the first order"),
        (_tx(), {"as_of": "2024-01-20"}, r"covers 0 complete month\(s\); at least 2"),
        (_tx(customer_id=(0, None)), {}, r"id column 'customer_id' has missing values"),
    ],
)
def test_bad_transactions_name_the_column_and_row(table, kwargs, message):
    with pytest.raises(DataError, match=message):
        calibrate(table, replications=1, bootstrap=0, workers=1, **kwargs)


def test_bad_tables_and_arguments():
    tx = _tx()
    wallet_zero = r"customers: column 'annual_wallet' must be > 0; found 0 at row 2 \(id C2\)"
    with pytest.raises(DataError, match=wallet_zero):
        calibrate(tx, pd.DataFrame({"customer_id": ["C1", "C2"], "annual_wallet": [5e4, 0.0]}))
    with pytest.raises(DataError, match=r"none of its customer ids \(e.g. 'X1'\) appears"):
        calibrate(tx, pd.DataFrame({"customer_id": ["X1"], "annual_wallet": [5e4]}))
    with pytest.raises(DataError, match=r"id column 'customer_id' must be unique"):
        calibrate(tx, pd.DataFrame({"customer_id": ["C1", "C1"]}))
    with pytest.raises(DataError, match=r"'manager_id' must name a manager of managers; found "
                                        r"'M9' at row 2 \(id C2\)"):  # fmt: skip
        calibrate(tx, pd.DataFrame({"customer_id": ["C1", "C2"], "manager_id": ["M1", "M9"]}),
                  pd.DataFrame({"manager_id": ["M1"]}))  # fmt: skip
    with pytest.raises(ParameterError, match="'replications' must be >= 1"):
        calibrate(tx, replications=0)
    with pytest.raises(ParameterError, match="'as_of' must be a date"):
        calibrate(tx, as_of="soon")
    with pytest.raises(ParameterError, match="unknown field"):
        calibrate(tx, rules={"lost_after": 3})


def test_the_callers_tables_are_not_modified(company):
    tx, cu = _small(company, 30)
    tx0, cu0 = tx.copy(), cu.copy()
    calibrate(tx, cu, replications=1, bootstrap=0, workers=1)
    pd.testing.assert_frame_equal(tx, tx0)
    pd.testing.assert_frame_equal(cu, cu0)


# --------------------------------------------------------------------------- command line


@pytest.fixture(scope="module")
def gbk_export(tmp_path_factory, company) -> dict[str, Path]:
    """A Chinese export of 40 customers: GBK, Chinese headers, dates as 2022年1月3日, amounts
    with thousands separators, a title row and a totals row; and a customers file."""
    folder = tmp_path_factory.mktemp("export")
    tx, cu = _small(company, 40)
    rows = ["销售明细 2022-2024", "交易日期,客户编号,订单号,销售额,毛利"]
    for r in tx.itertuples():
        date = f"{r.date.year}年{r.date.month}月{r.date.day}日"
        rows.append(f'{date},{r.customer_id},{r.order_id},"{r.amount:,.2f}",{r.gross_profit}')
    rows.append(f'合计,,,"{tx["amount"].sum():,.2f}",')
    path = folder / "销售明细.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))
    customers = folder / "客户.csv"
    cu.rename(columns={"customer_id": "客户编号", "annual_wallet": "年度采购潜力",
                       "first_purchase": "首次购买日期", "manager_id": "客户经理"}).to_csv(
        customers, index=False, encoding="gbk")  # fmt: skip
    return {"transactions": path, "customers": customers}


def _stamp(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def test_cli_end_to_end_on_a_chinese_gbk_export(gbk_export, tmp_path, capsys):
    src, cust = gbk_export["transactions"], gbk_export["customers"]
    before = {p: _stamp(p) for p in (src, cust)}
    out, rep = tmp_path / "方案.toml", tmp_path / "报告"
    args = ["calibrate", str(src), "--customers", str(cust), "--value", "销售额",
            "--id", "客户编号", "--date", "交易日期", "--replications", "2", "--workers", "1",
            "--out", str(out), "--report", str(rep), "--lang", "zh"]  # fmt: skip
    code = main(args)
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "参数估计" in captured.out and "回测：模拟值与实际值" in captured.out
    assert "lifecycle.share_of_wallet.stability" in captured.out
    for name in ("方案.toml", "方案_customers.csv", "方案_managers.csv"):
        assert (tmp_path / name).is_file(), name
    back = Scenario.from_toml(out)
    assert back.book.source == "tables" and len(back.book.resolve().customers) > 0
    html = (rep / "index.html").read_text(encoding="utf-8")
    for text in ("文件读取说明", "销售明细.csv", "gb18030", "参数估计", "各阶段客户数：实际与模拟",
                 "说明", "合计行（合计）已删除"):  # fmt: skip
        assert text in html, text
    assert html.count('src="data:image/svg+xml') >= 2  # the two fit charts, inside the page
    # the user's files are untouched
    assert {p: _stamp(p) for p in (src, cust)} == before

    # a second run refuses to overwrite, says how, and leaves the outputs alone
    outputs = {p: _stamp(p) for p in (out, rep / "index.html")}
    code = main(args)
    captured = capsys.readouterr()
    assert code == 2
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert "already exists; use --force" in captured.err and "方案.toml" in captured.err
    assert {p: _stamp(p) for p in outputs} == outputs
    assert main([*args, "--force"]) == 0
    capsys.readouterr()
    assert {p: _stamp(p) for p in (src, cust)} == before


def _bad_export(folder: Path, cell: str, value: str) -> Path:
    rows = ["交易日期,客户编号,销售额", "2024-01-05,C1,100", "2024-02-05,C1,50",
            "2024-03-05,C2,80"]  # fmt: skip
    at = {"amount": (2, 2), "date": (3, 0)}[cell]
    parts = rows[at[0]].split(",")
    parts[at[1]] = value
    rows[at[0]] = ",".join(parts)
    path = folder / f"bad_{cell}.csv"
    path.write_bytes(("\n".join(rows) + "\n").encode("gbk"))
    return path


@pytest.mark.parametrize(
    ("make", "extra", "message"),
    [
        (lambda d: _bad_export(d, "amount", "-5"), [],
         r"bad_amount\.csv: column 'amount' must be >= 0; found -5.0 at row 2 \(file row 3, id "
         r"C1\)"),
        (lambda d: _bad_export(d, "date", "明天"), [],
         r"bad_date\.csv: column 'date' must hold dates.*'明天' at row 3 \(file row 4"),
        (lambda d: _bad_export(d, "amount", "10"), ["--value", "金额合计"],
         r"bad_amount\.csv: missing column '金额合计' \(given with --value\)"),
        (lambda d: _bad_export(d, "amount", "10"), ["--as-of", "2020-01-31"],
         r"'as_of' \(2020-01-31\) is before the first order in bad_amount\.csv"),
        (lambda d: d / "missing.csv", [], r"no such file"),
    ],
)  # fmt: skip
def test_cli_bad_input_exits_2_with_one_line(tmp_path, capsys, make, extra, message):
    src = make(tmp_path)
    before = _stamp(src) if src.exists() else None
    code = main(["calibrate", str(src), "--out", str(tmp_path / "s.toml"),
                 "--report", str(tmp_path / "r"), "--replications", "2", "--workers", "1",
                 *extra])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("crmsim calibrate: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    import re

    assert re.search(message, err), err
    assert not (tmp_path / "s.toml").exists() and not (tmp_path / "r").exists()
    if before is not None:
        assert _stamp(src) == before


def test_cli_never_writes_over_an_input_file_even_with_force(gbk_export, capsys, tmp_path):
    """The book goes to <name>_customers.csv beside the scenario: a customers file of that
    name is the user's and is refused, --force or not."""
    src = gbk_export["transactions"]
    mine = tmp_path / "shop_customers.csv"
    mine.write_bytes(gbk_export["customers"].read_bytes())
    before = _stamp(mine)
    out, rep = str(tmp_path / "shop.toml"), str(tmp_path / "r")
    code = main(["calibrate", str(src), "--customers", str(mine), "--out", out,
                 "--report", rep, "--force"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and "is one of your input files" in err and "shop_customers.csv" in err
    assert _stamp(mine) == before
    assert not (tmp_path / "shop.toml").exists()


# --------------------------------------------------------------------------- BG/NBD cross-check


def test_probability_alive_through_lifetimes(company):
    tx, cu = _small(company, 60)
    p = probability_alive(tx, as_of="2024-12-31")
    assert p["probability_alive"].between(0, 1).all()
    assert set(p.attrs["params"]) == {"r", "alpha", "a", "b"}
    cal = calibrate(tx, cu, alive=True, replications=1, bootstrap=0, workers=1)
    agreement = cal.alive_agreement.set_index("stage")
    assert agreement[["probably_alive", "probably_gone"]].to_numpy().sum() == len(cal.alive)
    mean = agreement["mean_probability_alive"]
    assert mean["lost"] < mean["formation"]


# --------------------------------------------------------------------------- labels


def test_every_note_and_label_renders_in_both_languages(bundled):
    for note in bundled.notes:
        en, zh = note.text("en"), note.text("zh")
        assert en and zh and en != zh
        assert "{" not in en and "{" not in zh
    for method in bundled.estimates["method"].unique():
        assert f"calibrate.method.{method}" in terms.TERMS
    for measure in bundled.fit_summary["measure"]:
        assert f"calibrate.measure.{measure}" in terms.TERMS
    summary = bundled.summary("zh")
    assert list(summary.columns)[:3] == ["参数", "估计值", "95% 区间"]


def test_report_in_english_has_the_sections(bundled, tmp_path):
    from crmsim.report.calibration import calibration_report

    tables: list = []
    rep = calibration_report(bundled, lang="en", tables=tables)
    path = rep.write(tmp_path / "r")
    html = path.read_text(encoding="utf-8")
    for text in ("Estimated parameters", "Back-test: simulated vs actual", "Notes",
                 "Monthly moves between inferred stages"):  # fmt: skip
        assert text in html, text
    assert [t for t, _ in tables][-1] == "Notes"
    assert html.count('src="data:image/svg+xml') >= 2  # the fit charts, inside the page


def test_a_cohort_such_as_cdnow():
    """CDNOW's first 1,500 customers (all first bought in early 1997): with cohort=True every
    stage is trusted from the first month; nobody reaches stability in 18 months (its rates keep
    their defaults), no new customers arrive after the first quarter (lead rates go to zero),
    and losses come in a wave six months after the first orders (a note says so)."""
    from crmsim.datasets import load_cdnow

    try:
        cdnow = load_cdnow()
    except ImportError:  # pragma: no cover - the test extra installs lifetimes
        pytest.skip("the cdnow extra (lifetimes) is not installed")
    tx = cdnow[cdnow["customer_id"] <= 1500]
    cal = calibrate(tx, cohort=True, replications=1, bootstrap=0, workers=1)
    assert cal.panel["observable"].all()
    est = cal.estimates.set_index("parameter")
    assert est.loc["lifecycle.stability_to_decline", "method"] == "default"
    assert est.loc["channels.telemarketing.leads_per_month", "value"] == 0.0
    keys = {n.key for n in cal.notes}
    assert {"calibrate.note.lost_wave", "calibrate.note.managers_made",
            "calibrate.note.wallet_proxy"} <= keys  # fmt: skip
    assert cal.meta["fit_start"] == pd.Timestamp("1997-06-30")


def test_cli_currency_names_the_historys_money(gbk_export, tmp_path, capsys):
    """A history in US dollars (CDNOW's, say) is not labelled CNY: the calibrated scenario and
    the charts of its report name the currency given."""
    from unittest import mock

    import crmsim.plots._labels as labels

    src, cust = gbk_export["transactions"], gbk_export["customers"]
    out = tmp_path / "usd.toml"
    shown: list[str] = []
    original = labels.kpi_label

    def spy(*args, **kwargs):
        shown.append(original(*args, **kwargs))
        return shown[-1]

    with mock.patch.object(labels, "kpi_label", spy), mock.patch(
            "crmsim.plots.calibration.kpi_label", spy):  # fmt: skip
        code = main(["calibrate", str(src), "--customers", str(cust), "--value", "销售额",
                     "--id", "客户编号", "--date", "交易日期", "--replications", "2",
                     "--workers", "1", "--out", str(out), "--report", str(tmp_path / "r"),
                     "--currency", "usd"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    assert Scenario.from_toml(out).currency == "USD"
    assert any("USD" in text for text in shown) and not any("CNY" in t for t in shown)


def test_a_thin_history_gets_no_season_and_says_why():
    """Twelve customers over two years: two years of months, but a calendar month's factor would
    be the luck of a few orders (it once came out 0.04 for January, and a month without orders
    divided by zero), so the scenario keeps every factor at 1 and a note says why."""
    rng = np.random.default_rng(3)
    days = pd.date_range("2022-01-01", "2023-12-31", freq="D")
    tx = pd.DataFrame({
        "customer_id": [f"C{i:02d}" for i in rng.integers(0, 12, 70)],
        "date": rng.choice(days, 70),
        "amount": rng.uniform(100, 4000, 70).round(2),
    })  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # no division by a zero factor
        cal = calibrate(tx, as_of="2023-12-31", replications=2, bootstrap=5, workers=1)
    est = cal.estimates.set_index("parameter")
    assert not est.loc["season.factors.jan", "used"]
    assert set(cal.scenario.season.factors.values()) == {1.0}
    thin = [n for n in cal.notes if n.key == "calibrate.note.season_thin"]
    assert len(thin) == 1 and thin[0].values["need"] == 30 and thin[0].values["orders"] < 30


def test_the_back_test_range_holds_a_new_draw_95_times_in_100():
    """The back-test's and the bootstrap's 95% ranges are read from a finite sample with the
    (B + 1) rule (numpy's "weibull" percentile): a new draw from the same distribution falls
    inside 95 times in 100 with the default 39 replications (numpy's default rule: 90 in
    100), and 50 refits hold it in about 95 in 100 (default rule: 91). The CLI's default
    agrees with the library's."""
    from crmsim.app.cli import _BACKTEST_REPLICATIONS
    from crmsim.calibrate.backtest import BACKTEST_REPLICATIONS, PERCENTILE

    assert _BACKTEST_REPLICATIONS == BACKTEST_REPLICATIONS == 39
    rng = np.random.default_rng(5)
    for b in (BACKTEST_REPLICATIONS, 50):
        draws = rng.standard_normal((20_000, b + 1))  # b to read the range from, one new
        lo, hi = np.percentile(draws[:, :b], [2.5, 97.5], method=PERCENTILE, axis=1)
        inside = ((draws[:, b] >= lo) & (draws[:, b] <= hi)).mean()
        assert 0.94 < inside < 0.96, (b, inside)
        lo, hi = np.percentile(draws[:, :b], [2.5, 97.5], axis=1)
        assert ((draws[:, b] >= lo) & (draws[:, b] <= hi)).mean() < 0.925
