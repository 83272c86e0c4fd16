"""Byte-identical outputs: the same seed gives the same report and CSV files whatever the number
of worker processes (1, 2, 5), the hash seed of Python (PYTHONHASHSEED), the folder it runs in
and a Chinese path, for a simulation command (compare) and a reading command (analyze)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ('name = "tiny"\nmonths = 3\n[book]\nsource = "synthetic"\nn_customers = 80\n'
        'n_managers = 4\n')  # fmt: skip
SALES = "客户编号,交易日期,销售额\n" + "".join(
    f"K{i % 17:03d},2023-{i % 12 + 1:02d}-{i % 27 + 1:02d},{(i * 37) % 900 + 0.5}\n"
    for i in range(300)
)


def _run(folder: Path, out: str, workers: int, hashseed: str, *command: str) -> dict[str, bytes]:
    folder.mkdir(parents=True)
    (folder / "tiny.toml").write_text(TINY, encoding="utf-8")
    (folder / "销售.csv").write_bytes(SALES.encode("gbk"))
    env = dict(os.environ, PYTHONHASHSEED=hashseed,
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    args = [a.replace("{w}", str(workers)) for a in command]
    proc = subprocess.run([sys.executable, "-m", "crmsim.app.cli", *args, "--out", out],
                          cwd=folder, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    files = {str(p.relative_to(folder / out)): p.read_bytes()
             for p in sorted((folder / out).rglob("*")) if p.is_file()}
    shutil.rmtree(folder)
    return files


def test_compare_is_byte_identical_across_workers_hash_seeds_and_folders(tmp_path):
    command = ("compare", "tiny.toml", "--vary", "crm.adoption=0,1", "--replications", "5",
               "--seed", "7", "--workers", "{w}")
    first = _run(tmp_path / "a", "out", 1, "0", *command)
    assert "index.html" in first and any(name.startswith("tables/") for name in first)
    for folder, out, workers, seed in [(tmp_path / "b" / "深一层", "报告", 2, "1"),
                                       (tmp_path / "客户 数据", "out", 5, "random")]:
        again = _run(folder, out, workers, seed, *command)
        assert again.keys() == first.keys()
        different = [name for name in first if first[name] != again[name]]
        assert not different, f"{different} differ with {workers} workers in {folder}"


def test_analyze_is_byte_identical_in_another_folder_and_a_chinese_path(tmp_path):
    first = _run(tmp_path / "a", "out", 1, "0", "analyze", "销售.csv")
    again = _run(tmp_path / "分析" / "二", "报告", 1, "random", "analyze", "销售.csv")
    assert first == again
