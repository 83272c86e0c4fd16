"""The manager's commands: ``crmsim compare``, ``sweep``, ``scenario new`` and ``simulate`` with a
scheduled event; every bad input ends in one line and exit status 2."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from crmsim.app.cli import main
from crmsim.sim import Scenario

SMALL = """\
name = "small company"
months = 3
[book]
source = "synthetic"
n_customers = 60
n_managers = 3
"""


@pytest.fixture()
def small(tmp_path):
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    return path


def _run(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_compare_two_files_writes_the_report(tmp_path, small, capsys):
    other = tmp_path / "proposal.toml"
    other.write_text(SMALL + '[structure]\nname = "扩大工作范围"\n', encoding="utf-8")
    code, out, err = _run(["compare", small, other, "--replications", "2", "--workers", "1",
                           "--out", tmp_path / "r"], capsys)  # fmt: skip
    assert code == 0, err
    assert "Report written to" in out and "Dedicated post" not in out  # options by file stem
    assert "small" in out and "proposal" in out
    assert "compare: 4/4 runs (100%)" in err  # progress lines in a log
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "Question:" in html and "proposal" in html
    assert ">small</th>" in html and ">Small<" not in html  # option names shown as given


def test_compare_with_set_and_vary_and_chinese_names(tmp_path, small, capsys):
    code, out, err = _run(["compare", small, "--vary", "structure=增设独立岗位,扩大工作范围",
                           "--set", "crm.adoption=0.5", "--set", "turnover.star_leaves_month=2",
                           "--replications", "2", "--workers", "1", "--lang", "zh",
                           "--baseline", "扩大工作范围", "--out", tmp_path / "r"],
                          capsys)  # fmt: skip
    assert code == 0, err
    assert "增设独立岗位" in out and "扩大工作范围" in out
    assert "plus 2 without its scheduled event" in err
    runs = pd.read_csv(tmp_path / "r" / "tables" / "runs.csv")
    assert runs["scenario"].unique().tolist() == [
        "dedicated_post", "dedicated_post (star stays)", "extended_roles",
        "extended_roles (star stays)"]  # fmt: skip
    differences = pd.read_csv(tmp_path / "r" / "tables" / "differences.csv")
    assert set(differences["baseline"]) == {"extended_roles"}
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "代价：" in html and "业务尖子留任" in html


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["compare", "--workers", "-1"], "--workers: expected a whole number >= 1"),
        (["compare", "--workers", "0"], "--workers: expected a whole number >= 1"),
        (["demo", "--workers", "-1"], "--workers: expected a whole number >= 1"),
        (["sweep", "--workers", "x", "--vary", "crm.adoption=0,1"], "--workers"),
        (["compare", "--replications", "1"], "--replications: expected a whole number >= 2"),
        (["compare", "--months", "0"], "--months"),
        (["compare", "--set", "crm.adoptoin=1"], "--set crm.adoptoin=1: unknown parameter"),
        (["compare", "--set", "crm.adoption=high"], "'crm.adoption' must be a number"),
        (["compare", "--set", "crm.adoption=1.5"], "'crm.adoption' must be <= 1"),
        (["compare", "--set", "crm.adoption"], "--set expects KEY=VALUE"),
        (["compare", "--vary", "crm.adoption=1"], "at least two different values"),
        (["compare", "--vary", "structure=big,small"], "'structure' must be one of"),
        (["compare", "--set", "turnover.star_leaves_month=99", "--months", "3"],
         "after the horizon"),
        (["compare", "missing.toml"], "'missing.toml': not found"),
        (["compare", "--baseline", "nope", "--vary", "crm.adoption=0,1"],
         "--baseline 'nope' is not one of the options"),
        (["compare", "--lang", "fr"], "--lang"),
        (["sweep"], "--vary is needed"),
        (["simulate", "missing.toml"], "missing.toml"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_status_2(args, fragment, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run([*args, "--out", "r"] if args[0] != "demo" else args, capsys)
    assert code == 2
    lines = [line for line in err.splitlines() if "runs (" not in line
             and not line.startswith("crmsim compare: 1 option")]  # fmt: skip
    assert len(lines) == 1 and "error:" in lines[0] and fragment in lines[0], err
    assert "Traceback" not in err
    assert not (tmp_path / "r").exists()


def test_bad_scenario_files_name_the_file_and_the_key(tmp_path, capsys):
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[crm]\nadoptoin = 1\n", encoding="utf-8")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('months = "three"\n', encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("months = \n", encoding="utf-8")
    for path, fragment in ((unknown, "'crm.adoptoin'"), (wrong, "'months' must be a number"),
                           (broken, "could not be read")):  # fmt: skip
        code, _, err = _run(["compare", path, "--out", tmp_path / "r"], capsys)
        assert code == 2 and path.name in err and fragment in err, err


def test_outputs_are_never_overwritten_without_force(tmp_path, small, capsys):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine", encoding="utf-8")
    code, _, err = _run(["compare", small, "--out", afile], capsys)
    assert code == 2 and "is an existing file" in err
    assert afile.read_text(encoding="utf-8") == "mine"
    out = tmp_path / "r"
    out.mkdir()
    (out / "index.html").write_text("earlier", encoding="utf-8")
    for command in (["compare", small], ["sweep", small, "--vary", "crm.adoption=0,1"],
                    ["simulate", small], ["demo"]):  # fmt: skip
        code, _, err = _run([*command, "--out", out], capsys)
        assert code == 2 and "already holds a report" in err and "--force" in err, command
    assert (out / "index.html").read_text(encoding="utf-8") == "earlier"
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    code, _, err = _run(["compare", small, "--replications", "2", "--workers", "1", "--out", out,
                         "--force"], capsys)  # fmt: skip
    assert code == 0, err
    assert "earlier" not in (out / "index.html").read_text(encoding="utf-8")
    assert small.read_text(encoding="utf-8") == SMALL  # the user's file is untouched


def test_scenario_new_writes_a_template_that_reads_back(tmp_path, capsys):
    path = tmp_path / "my_company.toml"
    code, out, _ = _run(["scenario", "new", path], capsys)
    assert code == 0 and str(path) in out
    text = path.read_text(encoding="utf-8")
    assert Scenario.from_toml(path) == Scenario(name="my company")
    described = Scenario().describe()
    flat = " ".join(line.lstrip("# ") for line in text.splitlines())  # comments unwrapped
    for parameter, unit, meaning in described[["parameter", "unit", "description"]].values:
        if parameter.endswith("'].name"):  # a channel's or step's name is its table's key
            assert f"[{parameter.split('[')[0]}.{parameter.split(chr(39))[1]}]" in text
            continue
        leaf = parameter.split(".")[-1].split("[")[0]
        assert f"{leaf} = " in text, parameter
        assert f"{' '.join(meaning.split())} Unit: {unit}." in flat, parameter
    assert "# ramp_up_months = 6.0" in text and 'name = "dedicated_post"' in text
    code, _, err = _run(["scenario", "new", path], capsys)
    assert code == 2 and "already exists" in err and "--force" in err
    assert _run(["scenario", "new", path, "--force", "--name", "x"], capsys)[0] == 0
    assert Scenario.from_toml(path).name == "x"
    code, _, err = _run(["scenario", "new", tmp_path / "x.txt"], capsys)
    assert code == 2 and ".toml" in err


def test_an_uncommented_template_line_changes_that_parameter(tmp_path, capsys):
    path = tmp_path / "mine.toml"
    _run(["scenario", "new", path], capsys)
    text = path.read_text(encoding="utf-8").replace("# ramp_up_months = 6.0",
                                                    "ramp_up_months = 3.0")  # fmt: skip
    text = text.replace('name = "dedicated_post"', 'name = "增设独立部门"')
    path.write_text(text, encoding="utf-8")
    sc = Scenario.from_toml(path)
    assert sc.structure.name == "dedicated_department" and sc.structure.ramp_up_months == 3.0


def test_simulate_says_what_the_star_leaving_costs(tmp_path, small, capsys):
    star = tmp_path / "star.toml"
    star.write_text(SMALL + "[turnover]\nstar_leaves_month = 2\n", encoding="utf-8")
    code, out, err = _run(["simulate", star, "--replications", "2", "--workers", "1", "--out",
                           tmp_path / "r"], capsys)  # fmt: skip
    assert code == 0, err
    assert "What it costs:" in out and "star stays" in out
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "What the scheduled event costs" in html
    assert (tmp_path / "r" / "tables" / "event_costs.csv").is_file()


def test_sweep_from_the_command_line(tmp_path, small, capsys):
    code, out, err = _run(["sweep", small, "--options", "structure=extended_roles,增设独立岗位",
                           "--vary", "crm.adoption=0,1", "--replications", "2", "--workers", "1",
                           "--out", tmp_path / "s"], capsys)  # fmt: skip
    assert code == 0, err
    assert "Tornado" in out and "crm.adoption" in out
    assert (tmp_path / "s" / "tables" / "tornado.csv").is_file()


def test_sweep_on_a_dask_cluster_by_address(tmp_path, small, capsys):
    distributed = pytest.importorskip("distributed")
    args = ["sweep", small, "--vary", "crm.adoption=0,1", "--replications", "2"]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:  # fmt: skip
        code, _, err = _run([*args, "--dask", cluster.scheduler_address, "--out",
                             tmp_path / "dask"], capsys)  # fmt: skip
    assert code == 0, err
    assert _run([*args, "--workers", "1", "--out", tmp_path / "local"], capsys)[0] == 0
    remote = pd.read_csv(tmp_path / "dask" / "tables" / "points.csv")
    local = pd.read_csv(tmp_path / "local" / "tables" / "points.csv")
    pd.testing.assert_frame_equal(remote, local)


def test_no_traceback_from_a_fresh_process(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "crmsim.app.cli", "compare", "--workers", "-1", "--out",
         str(tmp_path / "r")], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


# ------------------------------------------------------------------ issue 19: value, guard, PSA


def test_compare_ranks_on_customer_value_and_says_how_robust(tmp_path, small, capsys):
    code, out, err = _run(["compare", small, "--vary", "structure=扩大工作范围,增设独立岗位",
                           "--uncertainty", "3", "--replications", "2", "--workers", "1",
                           "--out", tmp_path / "r"], capsys)  # fmt: skip
    assert code == 0, err
    assert "How robust: across 3 plausible sets" in out
    assert "Ranked on customer value created" in out and "Net contribution over the" in out
    assert (tmp_path / "r" / "tables" / "uncertainty_draws.csv").is_file()
    costs = pd.read_csv(tmp_path / "r" / "tables" / "costs.csv")
    assert {"pay", "overhead", "hiring", "severance", "managers_active"} <= set(costs.columns)
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert "How robust" in html.split('class="answer"')[1][:4000]  # on the first screen


def test_compare_can_rank_on_net_contribution(tmp_path, small, capsys):
    code, out, err = _run(["compare", small, "--vary", "structure=扩大工作范围,增设独立岗位",
                           "--rank-on", "net_contribution", "--replications", "2",
                           "--workers", "1", "--out", tmp_path / "r"], capsys)  # fmt: skip
    assert code == 0, err
    assert "Ranked on customer value" not in out
    assert "net contribution" in out.split("\n\n")[1]


def test_an_out_of_range_team_is_warned_first(tmp_path, capsys):
    path = tmp_path / "idle.toml"
    path.write_text(SMALL.replace("n_managers = 3", "n_managers = 12"), encoding="utf-8")
    code, out, err = _run(["compare", path, "--vary", "crm.adoption=0,1", "--replications", "2",
                           "--workers", "1", "--out", tmp_path / "r"], capsys)  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[1].startswith("WARNING: CRM adoption 0%: Out of range: the team")
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert html.index('class="warning"') < html.index('class="answer"')


@pytest.mark.parametrize(
    ("book", "fragment"),
    [("n_customers = 0\nn_managers = 3", "book.n_customers"),
     ("n_customers = 5000\nn_managers = 1", "book.n_managers")],
)  # fmt: skip
def test_impossible_books_end_in_one_line_naming_the_parameter(tmp_path, capsys, book, fragment):
    path = tmp_path / "firm.toml"
    path.write_text(SMALL.replace("n_customers = 60\nn_managers = 3", book), encoding="utf-8")
    code, out, err = _run(["compare", path, "--replications", "2", "--workers", "1",
                           "--out", tmp_path / "r"], capsys)  # fmt: skip
    assert code == 2
    last = err.strip().splitlines()[-1]  # after the stage line, one line of error
    assert last.startswith("crmsim compare: error:") and fragment in last
    assert err.count("error:") == 1 and "Traceback" not in err


def test_simulate_warns_first_too(tmp_path, capsys):
    path = tmp_path / "idle.toml"
    path.write_text(SMALL.replace("n_managers = 3", "n_managers = 12"), encoding="utf-8")
    code, out, err = _run(["simulate", path, "--replications", "2", "--workers", "1",
                           "--out", tmp_path / "r"], capsys)  # fmt: skip
    assert code == 0, err
    assert out.splitlines()[1].startswith("WARNING: Out of range: the team")
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert 'class="warning"' in html
