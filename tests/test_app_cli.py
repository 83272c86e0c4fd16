"""The command line: the demo end to end, analyze on users' files, and clear errors."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from crmsim.app.cli import main


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crmsim.app.cli", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, check=False,
    )


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory):
    """The default demo, run once in a fresh process (the slowest part of the suite)."""
    root = tmp_path_factory.mktemp("demo")
    first = run_cli("demo", "--out", "same", cwd=root)
    return root / "same", first, None


def test_demo_writes_a_readable_report(demo_runs):
    out, proc, _ = demo_runs
    assert proc.returncode == 0, proc.stderr
    html = (out / "index.html").read_text(encoding="utf-8")
    # self-contained: every chart is embedded, no file beside the page is needed to show it
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 14
    for src in images:
        assert src.startswith("data:image/svg+xml;base64,") and len(src) > 5_000
    assert "<script" not in html and "http://" not in html and "https://" not in html
    for heading in ("ABC classification", "Customer pyramid", "6C credit analysis",
                    "Customer relationship map", "lifecycle",
                    "the four account-manager structures"):
        assert heading in html
    # the printed headline tables, formatted for people
    for title in ("ABC classes", "Concentration", "Credit grades", "lifecycle stage",
                  "Simulated KPIs per structure", "Paired difference to the current structure",
                  "Recommendation"):
        assert title in proc.stdout
    assert "12,881,871" in proc.stdout and "12881871.0" not in proc.stdout
    assert "share_of_customers" not in proc.stdout and "Share of customers" in proc.stdout
    # the answer is on the first screen, and every stage was announced on stderr
    assert html.index('class="answer"') < html.index("<h2>")
    stages = [line for line in proc.stderr.splitlines() if line.startswith("crmsim demo: [")]
    assert [line.split("]")[0] for line in stages] == [f"crmsim demo: [{i}/8" for i in
                                                       range(1, 9)]  # fmt: skip


def test_demo_compares_the_four_structures_with_intervals(demo_runs):
    _, proc, _ = demo_runs
    text = proc.stdout[proc.stdout.index("Simulated KPIs per structure"):]
    for name in ("Dedicated post", "Extended roles", "Dedicated department",
                 "Department with operations units"):
        assert name in text
    for kpi in ("Revenue (M CNY)", "Net contribution (M CNY)", "Requests resolved on time (%)",
                "Manager utilisation (%)"):
        # a mean ± half-width for every structure, then a signed paired difference
        row = [line for line in text.splitlines() if line.startswith(kpi)]
        assert len(row) == 2, kpi
        assert row[0].count("±") == 4 and row[1].count("±") == 3
        assert re.search(r"[+-]\d", row[1])
    assert "20 replications" in text


def test_demo_output_is_identical_from_run_to_run():
    """Determinism of the demo's simulation study on a small run (the full demo is too slow to
    run twice): the same seed gives the same tables, whatever the number of workers."""
    from crmsim.sim.studies import structure_comparison

    one = structure_comparison(replications=3, months=4, seed=2024, workers=1, progress=False)
    two = structure_comparison(replications=3, months=4, seed=2024, workers=2, progress=False)
    pd.testing.assert_frame_equal(one.means, two.means)
    pd.testing.assert_frame_equal(one.differences, two.differences)
    pd.testing.assert_frame_equal(one.comparison.runs, two.comparison.runs)


def test_import_and_help_stay_light():
    """`import crmsim` and `crmsim --help` load neither matplotlib, networkx, SciPy nor
    pandas; the lazily loaded names are exactly the subpackages' public names."""
    code = ("import sys, crmsim, crmsim.app.cli; crmsim.app.cli.build_parser(); "
            "print(sorted(m for m in ('matplotlib.pyplot', 'networkx', 'scipy', 'pandas') "
            "if m in sys.modules))")  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    assert proc.stdout.strip() == "[]"
    import crmsim
    import crmsim.methods
    import crmsim.plots

    lazy = crmsim._LAZY
    assert {n for n, m in lazy.items() if m == "crmsim.methods"} == set(crmsim.methods.__all__)
    assert {n for n, m in lazy.items() if m == "crmsim.plots"} == set(crmsim.plots.__all__)
    for name in crmsim.__all__:
        assert getattr(crmsim, name) is not None, name


def test_simulate_runs_a_scenario_file_and_writes_a_report(tmp_path):
    scenario = Path(__file__).resolve().parents[1] / "scenarios" / "classroom.toml"
    proc = run_cli("simulate", str(scenario), "--replications", "3", "--months", "6",
                   "--out", str(tmp_path / "sim"))
    assert proc.returncode == 0, proc.stderr
    assert "classroom" in proc.stdout and "mean ± 95% CI" in proc.stdout
    assert "Parameters that differ from the defaults" in proc.stdout
    assert "book.n_customers" in proc.stdout and "months" in proc.stdout
    html = (tmp_path / "sim" / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<img src="data:image/svg\+xml;base64,', html)) >= 5
    again = run_cli("simulate", str(scenario), "--replications", "3", "--months", "6",
                    "--out", str(tmp_path / "sim2"))
    assert again.stdout.replace("sim2", "sim") == proc.stdout


def test_simulate_can_compare_the_structures(tmp_path, capsys):
    text = 'name = "tiny"\nmonths = 3\n[book]\nsource = "synthetic"\nn_customers = 40\n' \
           'n_managers = 3\n'  # fmt: skip
    (tmp_path / "tiny.toml").write_text(text, encoding="utf-8")
    code = main(["simulate", str(tmp_path / "tiny.toml"), "--replications", "2",
                 "--compare-structures", "--workers", "1", "--out", str(tmp_path / "r")])
    assert code == 0
    out = capsys.readouterr().out
    assert "Paired difference to the current structure" in out
    assert "Department with operations units" in out


def test_simulate_reports_bad_scenarios_by_parameter(tmp_path, capsys):
    (tmp_path / "bad.toml").write_text("[crm]\nadoption = 1.5\n", encoding="utf-8")
    assert main(["simulate", str(tmp_path / "bad.toml"), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "crm.adoption" in err
    assert main(["simulate", str(tmp_path / "missing.toml"), "--out", str(tmp_path / "r")]) == 2
    assert "missing.toml" in capsys.readouterr().err
    assert not (tmp_path / "r").exists()


def test_analyze_a_gbk_file_with_chinese_headers(tmp_path, capsys):
    data = pd.DataFrame({"客户编号": ["K1", "K2", "K3", "K4", "K5"],
                         "销售额": [500.0, 300.0, 100.0, 60.0, 40.0]})
    path = tmp_path / "客户.csv"
    data.to_csv(path, index=False, encoding="gbk")
    before = path.read_bytes()
    assert main(["analyze", str(path), "--out", str(tmp_path / "rep")]) == 0
    out = capsys.readouterr().out
    # 500/1000 = 0.5, 800/1000 = 0.8 -> A, A; 0.9 -> B; 0.96, 1.0 -> C, C
    assert "ABC classes by amount" in out
    assert (tmp_path / "rep" / "index.html").exists()
    assert path.read_bytes() == before, "analyze must never modify the user's file"


def test_analyze_reports_a_missing_value_column(tmp_path, capsys):
    path = tmp_path / "c.csv"
    pd.DataFrame({"customer_id": ["a", "b"], "spend": [1.0, 2.0]}).to_csv(path, index=False)
    assert main(["analyze", str(path), "--value", "revenue", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert "revenue" in err and "spend" in err


def test_analyze_reports_a_missing_file(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.csv"), "--out", str(tmp_path / "r")]) == 2
    assert "nope.csv" in capsys.readouterr().err
