"""The command line: the demo end to end, analyze on users' files, and clear errors."""

from __future__ import annotations

import re
import subprocess
import sys

import pandas as pd

from crmsim.cli import main


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crmsim.cli", *args],
        capture_output=True, text=True, encoding="utf-8", cwd=cwd, check=False,
    )


def test_demo_writes_a_readable_report(tmp_path):
    proc = run_cli("demo", "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    index = tmp_path / "out" / "index.html"
    html = index.read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', html)
    assert len(images) >= 8
    for name in images:
        assert (tmp_path / "out" / name).stat().st_size > 5_000, f"{name} looks empty"
    for heading in ("ABC classification", "Customer pyramid", "6C credit analysis",
                    "Customer relationship map", "lifecycle"):
        assert heading in html
    # the printed headline tables
    for title in ("ABC classes", "Concentration", "Credit grades", "lifecycle stage"):
        assert title in proc.stdout


def test_demo_output_is_identical_from_run_to_run(tmp_path):
    a = run_cli("demo", "--out", "same", cwd=tmp_path)
    b = run_cli("demo", "--out", "same", cwd=tmp_path)
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert a.stdout == b.stdout


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
