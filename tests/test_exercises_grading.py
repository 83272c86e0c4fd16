"""Grading a folder of submissions with real kernels in the real sandbox.

One messy class is graded once (module fixture) and looked at from every side: statuses,
points, partial credit, answers kept after a time-out or a crash, solution use, duplicates,
files that are not notebooks, feedback pages in the student's language, the manual-grading
round trip, the LMS exports, escaping, and the CLI. A hostile submission is graded on its own:
it changes nothing outside its copy and is graded on its answers, not on its claims.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import textwrap
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell

from crmsim.app.cli import main
from crmsim.exercises import gradebook
from crmsim.exercises.feedback import feedback_names
from crmsim.exercises.grading import grade, outputs_of, validate
from crmsim.exercises.notebooks import build
from crmsim.exercises.sandbox import isolation
from crmsim.exercises.sets import get_set

ABC = get_set("ex02_abc")
SOLUTIONS = {q.number: q.solution_code for q in ABC.questions}
TIMEOUT = 15  # seconds of cells per notebook: a normal one needs 1-3 (more on a loaded machine)
AUTO_POINTS = sum(q.points for q in ABC.questions if not q.graded_by_hand)
SANDBOX = isolation("auto")
needs_sandbox = pytest.mark.skipif(
    not SANDBOX.sandboxed, reason=f"no bubblewrap sandbox here: {SANDBOX.reason}"
)


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv("CRMSIM_GRADING_SECRET", "tests")


def _write(folder: Path, name: str, nb) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


def _with_cell(nb, code: str, after: int = 1):
    nb.cells.insert(after + 1, new_code_cell(code))
    return nb


def _digests(folder: Path) -> dict[str, str]:
    """sha256 of every file under *folder* (bytecode caches the grader itself writes aside)."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _row(table: pd.DataFrame, file: str) -> pd.Series:
    return table.set_index("file").loc[file]


def _statuses(row: pd.Series) -> list[str]:
    return [row[f"q{q.number}_status"] for q in ABC.questions]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    saved = os.environ.get("CRMSIM_GRADING_SECRET")
    os.environ["CRMSIM_GRADING_SECRET"] = "tests"
    try:
        yield _grade_class(tmp_path_factory)
    finally:
        if saved is None:
            os.environ.pop("CRMSIM_GRADING_SECRET", None)
        else:
            os.environ["CRMSIM_GRADING_SECRET"] = saved


def _grade_class(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    folder = root / "submissions"
    folder.mkdir()
    _write(folder, "s001_02_abc.ipynb", build(ABC, student_id="s001", answers=SOLUTIONS))
    zh = build(
        ABC,
        student_id="s002",
        answers={1: SOLUTIONS[1], 4: SOLUTIONS[4] + "\ntop20_share = 100 * top20_share"},
    )
    _write(folder, "s002_02_abc.ipynb", _with_cell(zh, 'crmsim.set_language("zh")'))
    _write(folder, "s003/02_abc.ipynb", build(ABC))  # blank, nested: id from the folder
    (folder / "s004_02_abc.ipynb").write_text("{not json", encoding="utf-8")
    _write(
        folder,
        "s005_02_abc.ipynb",
        build(ABC, student_id="s005", answers={**SOLUTIONS, 1: "abc_classes = = 1"}),
    )
    _write(
        folder,
        "s006_02_abc.ipynb",
        build(ABC, student_id="s006", answers={**SOLUTIONS, 3: "while True:\n    pass"}),
    )
    _write(
        folder,
        "s007_02_abc.ipynb",
        build(ABC, student_id="s007", answers={**SOLUTIONS, 3: "import os\nos._exit(1)"}),
    )
    (folder / "s008_02_abc.pdf").write_bytes(b"%PDF-1.4 my answers")
    (folder / "=HYPERLINK(1)_02_abc.txt").write_text("answers", encoding="utf-8")
    peek = build(ABC, student_id="s009", answers=SOLUTIONS)
    _write(folder, "s009_02_abc.ipynb", _with_cell(peek, "q2.solution()", after=8))
    (folder / "late").mkdir()
    shutil.copy(folder / "s001_02_abc.ipynb", folder / "late" / "s001_02_abc.ipynb")
    credit = get_set("ex04_credit")
    _write(
        folder,
        "s010_04_credit.ipynb",
        build(
            credit,
            student_id="s010",
            answers={1: "def six_c_score(scores):\n    return scores.mean(axis=1)"},
        ),
    )
    _write(
        folder,
        "s011_04_credit.ipynb",
        build(
            credit,
            student_id="s011",
            answers={
                1: "mine = crmsim.credit_score(data.credit).set_index('customer_id')['score']\n"
                "def six_c_score(scores):\n    return mine  # fits my own data only"
            },
        ),
    )
    structures = get_set("ex07_structures")
    _write(
        folder,
        "s012_07_structures.ipynb",
        build(
            structures,
            student_id="s012",
            answers={q.number: q.solution_code for q in structures.questions},
        ),
    )
    before = _digests(folder)
    out = root / "out" / "grades.csv"
    code = main(
        [
            "exercises",
            "grade",
            str(folder),
            "--out",
            str(out),
            "--timeout",
            str(TIMEOUT),
            "--workers",
            "2",
            "--no-progress",
        ]
    )
    return folder, before, out, code


def test_every_case_is_reported(graded):
    folder, _, out, code = graded
    assert code == 0
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert len(table) == 14
    right = _row(table, "s001_02_abc.ipynb")
    assert (right["status"], float(right["score"]), float(right["total"])) == (
        "graded",
        AUTO_POINTS,
        ABC.points,
    )
    assert float(right["pending"]) == 2 and right["q5_status"] == "submitted"
    assert _statuses(right)[:4] == ["correct"] * 4
    blank = _row(table, "s003/02_abc.ipynb")
    assert blank["student_id"] == "s003" and float(blank["score"]) == 0
    assert _statuses(blank) == ["not_attempted"] * 5
    assert "no student id in setup" in blank["notes"]
    unreadable = _row(table, "s004_02_abc.ipynb")
    assert unreadable["status"] == "unreadable" and "not valid JSON" in unreadable["notes"]
    for file in ("s004_02_abc.ipynb", "s008_02_abc.pdf", "'=HYPERLINK(1)_02_abc.txt"):
        row = _row(table, file)
        assert (float(row["score"]), float(row["total"])) == (0.0, ABC.points)  # the set's total
        if file != "s004_02_abc.ipynb":
            assert row["status"] == "not_a_notebook" and ".ipynb" in row["notes"]


def test_partial_credit_and_the_students_language(graded):
    _, _, out, _ = graded
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    partial = _row(table, "s002_02_abc.ipynb")
    assert _statuses(partial)[:4] == ["correct", "not_attempted", "not_attempted", "partial"]
    assert float(partial["q4"]) == 1.0  # a percentage: half of 2 points, by the set's policy
    assert float(partial["score"]) == 3.0
    page = (outputs_of(out)["feedback"] / "s002_02_abc.html").read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in page and "百分数" in page and "部分正确" in page


def test_a_syntax_error_is_an_error_not_a_blank(graded):
    _, _, out, _ = graded
    row = _row(pd.read_csv(out, keep_default_na=False, dtype=str), "s005_02_abc.ipynb")
    assert row["status"] == "errors" and "SyntaxError" in row["notes"]
    assert row["q1_status"] == "incorrect" and float(row["score"]) == AUTO_POINTS - 2
    results = {r["file"]: r for r in gradebook.read_results(outputs_of(out)["results"])}
    q1 = results["s005_02_abc.ipynb"]["questions"][0]
    assert "SyntaxError" in q1["message"] and "raised an error" in q1["message"]


def test_answers_before_a_timeout_or_a_crash_count(graded):
    _, _, out, _ = graded
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    loop = _row(table, "s006_02_abc.ipynb")
    assert loop["status"] == "timeout" and f"longer than {TIMEOUT} s" in loop["notes"]
    assert _statuses(loop)[:4] == ["correct", "correct", "not_attempted", "not_attempted"]
    assert float(loop["total"]) == ABC.points
    crash = _row(table, "s007_02_abc.ipynb")
    assert crash["status"] == "died" and "kernel stopped" in crash["notes"]
    assert _statuses(crash)[:2] == ["correct", "correct"]
    assert float(crash["score"]) == 4.0 and float(crash["total"]) == ABC.points


def test_a_function_answer_is_called_on_inputs_the_student_has_not_seen(graded):
    """The function that computes the score passes on the student's data and on the grader's
    unseen inputs; the one that returns the student's own answer whatever its input passed the
    notebook's check but fails on the unseen inputs, with a message that says so."""
    _, _, out, _ = graded
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert _row(table, "s010_04_credit.ipynb")["q1_status"] == "correct"
    fitted = _row(table, "s011_04_credit.ipynb")
    assert fitted["q1_status"] == "incorrect" and float(fitted["q1"]) == 0.0
    results = {r["file"]: r for r in gradebook.read_results(outputs_of(out)["results"])}
    message = results["s011_04_credit.ipynb"]["questions"][0]["message"]
    assert message.startswith("on other data the grader tried") and "not in the input" in message


def test_a_simulation_set_is_graded_in_the_sandbox(graded):
    """Set 07 runs crmsim.compare in the submission, under the sandbox's limits."""
    _, _, out, _ = graded
    row = _row(pd.read_csv(out, keep_default_na=False, dtype=str), "s012_07_structures.ipynb")
    structures = get_set("ex07_structures")
    assert row["status"] == "graded" and row["set"] == "ex07_structures"
    auto = sum(q.points for q in structures.questions if not q.graded_by_hand)
    assert float(row["score"]) == auto and float(row["total"]) == structures.points


def test_unseen_inputs_depend_on_the_graders_secret_and_the_student():
    from crmsim.exercises.submission import _token

    credit = get_set("ex04_credit")
    tokens = {
        _token(b"one", "ex04_credit", "s1"),
        _token(b"two", "ex04_credit", "s1"),
        _token(b"one", "ex04_credit", "s2"),
    }
    assert len(tokens) == 3
    a, b = (credit.unseen_data(t)[0] for t in sorted(tokens)[:2])
    assert a.ids != b.ids


def test_without_bubblewrap_the_grader_falls_back_and_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on it
    info = isolation("auto")
    assert info.kind == "none" and "bwrap not found" in info.reason
    assert any("no sandbox" in m for m in info.missing)
    assert "NO sandbox" in info.describe()
    with pytest.raises(RuntimeError, match="sandbox is required"):
        isolation("require")
    with pytest.raises(ValueError, match="mode"):
        isolation("maybe")


def test_solution_use_reaches_the_grade(graded):
    _, _, out, _ = graded
    row = _row(pd.read_csv(out, keep_default_na=False, dtype=str), "s009_02_abc.ipynb")
    assert row["q2_status"] == "correct" and float(row["q2"]) == 0.0  # policy: no points
    assert "q2: solution looked at" in row["notes"]
    assert float(row["score"]) == AUTO_POINTS - 2


def test_duplicates_and_identical_files_are_noted(graded):
    _, _, out, _ = graded
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    first, late = _row(table, "s001_02_abc.ipynb"), _row(table, "late/s001_02_abc.ipynb")
    assert "duplicate: s001 also submitted late/s001_02_abc.ipynb" in first["notes"]
    assert "identical content to s001_02_abc.ipynb" in late["notes"]


def test_submissions_are_unchanged_and_feedback_pages_do_not_collide(graded):
    folder, before, out, _ = graded
    assert _digests(folder) == before
    pages = sorted(p.name for p in outputs_of(out)["feedback"].iterdir())
    assert len(pages) == 14
    names = feedback_names(["a/b.ipynb", "a__b.ipynb", "X.ipynb", "x.ipynb"])
    assert len(set(names.values())) == 4
    assert len({n.casefold() for n in names.values()}) == 4


def test_grades_csv_escapes_formulas(graded):
    _, _, out, _ = graded
    with open(out, encoding="utf-8", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert "'=HYPERLINK(1)_02_abc.txt" in cells and "'=HYPERLINK(1)" in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


def test_outputs_are_never_replaced_without_force(graded, capsys):
    folder, _, out, _ = graded
    before = out.read_bytes()
    code = main(["exercises", "grade", str(folder), "--out", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2 and "exists; pass --force" in err and len(err.strip().splitlines()) == 1
    assert out.read_bytes() == before
    assert not list(out.parent.glob(".*.tmp"))  # no temporary file left behind


def test_manual_grading_round_trip(graded, tmp_path):
    _, _, out, _ = graded
    manual = outputs_of(out)["manual"]
    table = pd.read_csv(manual, keep_default_na=False, dtype=str)
    assert set(table["question"]) == {"q5"}
    assert "s001_02_abc.ipynb" in set(table["file"])
    assert table.set_index("file").loc["s001_02_abc.ipynb", "answer"].startswith("My top 20%")
    table["points"] = "1.5"
    table["comment"] = "=clear, but say what B customers need"
    filled = tmp_path / "filled.csv"
    table.to_csv(filled, index=False)
    final = tmp_path / "final.csv"
    assert main(["exercises", "merge", str(out), str(filled), "--out", str(final)]) == 0
    merged = pd.read_csv(final, keep_default_na=False, dtype=str)
    row = _row(merged, "s001_02_abc.ipynb")
    assert row["q5_status"] == "graded" and float(row["q5"]) == 1.5
    assert float(row["score"]) == AUTO_POINTS + 1.5 and row["pending"] == ""
    page = (outputs_of(final)["feedback"] / "s001_02_abc.html").read_text(encoding="utf-8")
    assert "=clear, but say what B customers need" in page
    table["points"] = "9"
    table.to_csv(filled, index=False)
    assert (
        main(
            [
                "exercises",
                "merge",
                str(out),
                str(filled),
                "--out",
                str(tmp_path / "x.csv"),
                "--force",
            ]
        )
        == 1
    )  # out of range: reported, not merged


@pytest.mark.parametrize("lms", ["moodle", "canvas"])
def test_lms_exports(graded, tmp_path, lms):
    _, _, out, _ = graded
    target = tmp_path / f"{lms}.csv"
    assert main(["exercises", "export", str(out), "--lms", lms, "--out", str(target)]) == 0
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    titles = [get_set(n).title for n in ("ex02_abc", "ex04_credit", "ex07_structures")]
    if lms == "moodle":
        assert rows[0] == ["ID number", *titles]
        body = {r[0]: r[1] for r in rows[1:]}
        credit = {r[0]: r[2] for r in rows[1:]}
    else:
        assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles]
        assert rows[1][0] == "Points Possible" and float(rows[1][5]) == ABC.points
        body = {r[2]: r[5] for r in rows[2:]}
        credit = {r[2]: r[6] for r in rows[2:]}
    assert body["s010"] == "" and float(credit["s010"]) == 2.0  # no ex02 file: left empty
    assert float(body["s001"]) == AUTO_POINTS  # the best of the two identical files
    assert float(body["s002"]) == 3.0 and float(body["s004"]) == 0.0
    assert "'=HYPERLINK(1)" in body  # escaped there too
    assert main(["exercises", "export", str(out), "--lms", lms, "--out", str(target)]) == 2


def test_validate_solutions_pass_and_blanks_fail(graded, capsys):
    folder, _, _, _ = graded
    solved, blank = folder / "s001_02_abc.ipynb", folder / "s003" / "02_abc.ipynb"
    ((file, ok, why),) = validate([solved], timeout=TIMEOUT)
    assert ok, why
    argv = ["exercises", "validate", "--invert", str(blank), str(solved), "--timeout", str(TIMEOUT)]
    assert main(argv) == 1  # the solved copy does not fail as a blank one must
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"PASS {blank}") and "every question fails" in lines[0]
    assert lines[1].startswith(f"FAIL {solved}") and "q1 (correct)" in lines[1]


def test_regrade_one_student_and_grading_twice_gives_identical_files(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    _write(folder, "a_02_abc.ipynb", build(ABC, student_id="a", answers={1: SOLUTIONS[1]}))
    _write(folder, "b_02_abc.ipynb", build(ABC, student_id="b", answers={2: SOLUTIONS[2]}))
    first, second = tmp_path / "1" / "grades.csv", tmp_path / "2" / "grades.csv"
    grade(folder, first, timeout=TIMEOUT, workers=2)
    grade(folder, second, timeout=TIMEOUT, workers=1)
    assert first.read_bytes() == second.read_bytes()
    assert outputs_of(first)["results"].read_bytes() == outputs_of(second)["results"].read_bytes()
    # student a resubmits; only a is regraded, b's row is kept as it was
    _write(folder, "a_02_abc.ipynb", build(ABC, student_id="a", answers=SOLUTIONS))
    table = grade(folder, first, timeout=TIMEOUT, only=["a"])
    assert _row(table, "a_02_abc.ipynb")["q2_status"] == "correct"
    old = pd.read_csv(second, keep_default_na=False, dtype=str)
    new = pd.read_csv(first, keep_default_na=False, dtype=str)
    assert _row(new, "b_02_abc.ipynb").equals(_row(old, "b_02_abc.ipynb"))
    with pytest.raises(ValueError, match="no submission"):
        grade(folder, first, only=["zzz"])


def test_the_fallback_without_a_sandbox_grades_and_says_what_is_missing(tmp_path):
    folder = tmp_path / "subs"
    folder.mkdir()
    _write(folder, "a_02_abc.ipynb", build(ABC, student_id="a", answers={1: SOLUTIONS[1]}))
    table = grade(folder, tmp_path / "g.csv", timeout=TIMEOUT, sandbox="off")
    assert _row(table, "a_02_abc.ipynb")["q1_status"] == "correct"
    assert "NO sandbox" in table.attrs["isolation"]
    assert "the network is reachable" in table.attrs["isolation"]


@pytest.mark.parametrize(
    "argv",
    [
        ["exercises", "grade", "/no/such/folder", "--out", "x.csv"],
        ["exercises", "grade", ".", "--workers", "0"],
        ["exercises", "grade", ".", "--timeout", "-1"],
        ["exercises", "grade", ".", "--lang", "fr"],
        ["exercises", "merge", "/no/grades.csv", "/no/manual.csv", "--out", "x.csv"],
        ["exercises", "export", "/no/grades.csv", "--lms", "moodle", "--out", "x.csv"],
        ["exercises", "validate", "/no/notebook.ipynb"],
    ],
)
def test_cli_errors_are_one_line_and_exit_2(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# --------------------------------------------------------------------------- hostile


HOSTILE = textwrap.dedent("""
    import builtins, json, os, socket, sys, time
    seen = {"uid": os.getuid()}
    # read /proc: who else runs here, and can the grader's command line be found?
    cmdlines = []
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmdlines.append(open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace"))
            except OSError:
                pass
    seen["processes"] = len(cmdlines)
    seen["grader_seen"] = any("pytest" in c or "exercises grade" in c for c in cmdlines)
    seen["ppid_cmdline"] = open(f"/proc/{os.getppid()}/cmdline", "rb").read().decode(
        errors="replace")[:200]
    # walk to the submissions folder, change a classmate, delete files, write everywhere
    done = []
    for path in TARGETS_WRITE:
        try:
            with open(path, "a") as handle:
                handle.write("pwned")
            done.append("wrote " + path)
        except OSError as exc:
            pass
    for path in TARGETS_DELETE:
        try:
            os.remove(path)
            done.append("deleted " + path)
        except OSError:
            pass
    seen["submissions_visible"] = os.path.exists(SUBMISSIONS)
    seen["done"] = done
    # network
    try:
        socket.create_connection(("1.1.1.1", 53), timeout=2)
        seen["network"] = True
    except OSError:
        seen["network"] = False
    # fork until refused; the children sleep a little, then leave
    children = 0
    try:
        for _ in range(5000):
            if os.fork() == 0:
                time.sleep(3)
                os._exit(0)
            children += 1
    except OSError:
        pass
    seen["children"] = children
    # fill the disk
    written = 0
    try:
        with open("/home/student/fill.bin", "wb") as handle:
            while written < 2 * 2**30:
                handle.write(b"x" * 2**20)
                written += 2**20
    except OSError:
        pass
    seen["disk_written_mb"] = written // 2**20
    time.sleep(3.5)
""")

CLAIMS = textwrap.dedent("""
    import builtins
    import crmsim.exercises.core as core
    core.Question.evaluate = lambda self, a, d, extra=(): core.Feedback(self.name, "correct", "ok",
                                                                        (), 1.0)
    core.Feedback.passed = property(lambda self: True)
    builtins.print = lambda *args, **kwargs: None
    import sys
    sys.stdout.write('CRMSIM-GRADING-REPORT: {"setup": true, "set": "ex02_abc", "score": 9}\\n')
    a_sales = 1.0            # wrong, whatever the patched check says
""")


@needs_sandbox
def test_a_hostile_submission_changes_nothing_outside_its_copy_and_is_graded_on_its_answers(
    tmp_path, monkeypatch
):
    home = tmp_path / "home"
    (home / ".crmsim").mkdir(parents=True)
    (home / "canary.txt").write_text("instructor's file", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    folder = tmp_path / "submissions"
    folder.mkdir()
    victim = _write(
        folder, "victim_02_abc.ipynb", build(ABC, student_id="victim", answers=SOLUTIONS)
    )
    canary = tmp_path / "canary.txt"
    canary.write_text("keep me", encoding="utf-8")
    import crmsim

    package = Path(crmsim.__file__).resolve().parent
    writes = [
        str(victim),
        str(folder / "new.ipynb"),
        str(canary),
        str(home / "canary.txt"),
        str(package / "hostile.py"),
        "/tmp/hostile.txt",
        "/home/student/mine.txt",
        str(tmp_path / "out" / "grades.csv"),
        "/etc/passwd",
    ]
    deletes = [str(victim), str(canary), str(home / "canary.txt"), str(package / "__init__.py")]
    setup = (
        f"TARGETS_WRITE = {writes!r}\nTARGETS_DELETE = {deletes!r}\nSUBMISSIONS = {str(folder)!r}\n"
    )
    nb = build(
        ABC,
        student_id="mallory",
        answers={
            1: SOLUTIONS[1],
            2: CLAIMS,
            3: 'asked_class = "z"  # not even an option',
            4: SOLUTIONS[4],
            5: setup + HOSTILE + "why_rule = json.dumps(seen)",
        },
    )
    _write(folder, "mallory_02_abc.ipynb", nb)
    watched = [folder, package, tmp_path / "home", tmp_path]
    before = {str(w): _digests(w) for w in watched}
    assert not Path("/tmp/hostile.txt").exists()
    table = grade(folder, tmp_path / "out" / "grades.csv", timeout=40, workers=2, sandbox="require")
    after = {
        str(w): {k: v for k, v in _digests(w).items() if not k.startswith("out/")} for w in watched
    }
    before[str(tmp_path)] = {
        k: v for k, v in before[str(tmp_path)].items() if not k.startswith("out/")
    }
    assert after == before  # every file outside the notebook's copy is as it was
    assert not Path("/tmp/hostile.txt").exists()
    mallory = _row(table, "mallory_02_abc.ipynb")
    assert _statuses(mallory)[:4] == ["correct", "incorrect", "incorrect", "correct"]
    assert mallory["score"] == 4.0
    victim_row = _row(table, "victim_02_abc.ipynb")
    assert victim_row["status"] == "graded" and victim_row["score"] == AUTO_POINTS
    results = {r["file"]: r for r in table.attrs["results"]}
    seen = json.loads(results["mallory_02_abc.ipynb"]["questions"][4]["answer"])
    assert "wrote /home/student/mine.txt" in seen["done"]  # its own folder is writable
    assert set(seen["done"]) <= {"wrote /tmp/hostile.txt", "wrote /home/student/mine.txt"}
    assert not seen["submissions_visible"]
    assert not seen["grader_seen"] and seen["processes"] < 20
    assert not seen["network"]
    assert seen["uid"] != 0
    assert seen["children"] < 1000  # the process limit stopped the fork loop
    assert seen["disk_written_mb"] <= 128  # the size-limited working folder stopped it


def test_what_the_kernel_reports_is_checked_not_trusted():
    """The runner's events come from the student's sandbox: an unusable id, an unknown
    language, junk records and claims of solutions to other sets change nothing they should
    not, and never stop the grading of the file."""
    from crmsim.exercises.answers import encode
    from crmsim.exercises.submission import GradeOptions, _base, _events, _score

    right = ABC.question(4).expected(ABC.data("demo"))
    records = [
        {"type": "start", "cells": 3},
        {
            "type": "answers",
            "cell": 2,
            "data": {
                "answers": {
                    "abc_classes": {"t": "frame", "csv": 12},
                    "top20_share": encode(right),
                    "not_a_question": encode(1),
                },
                "setup": {"ran": True, "set": "ex02_abc", "student_id": 12345, "lang": "xx"},
                "solutions": ["ex04_credit.q1", 5, "ex02_abc.q9"],
            },
        },
        "not a record",
        {"type": "cell", "cell": 3, "status": "error", "ename": "KeyError"},
        {"type": "done"},
    ]
    run = _events(records, killed=False, returncode=0, stderr="")
    options = GradeOptions(timeout=5, isolation=SANDBOX, lang="en", secret=b"t")
    result = _score(_base("x_02_abc.ipynb", "d"), ABC, run, [], {}, "x", "t", options)
    by_number = {q["number"]: q for q in result["questions"]}
    assert "unusable student id" in " ".join(result["notes"])
    assert result["lang"] == "en" and result["status"] == "errors"
    assert by_number[1]["status"] == "incorrect"  # a malformed table is just a wrong answer
    assert by_number[4]["status"] == "correct"  # graded on the demo data it was computed on
    assert not any(q["solution_used"] for q in result["questions"])


@needs_sandbox
def test_folders_under_tmp_stay_mounted_and_the_submissions_stay_hidden(tmp_path, monkeypatch):
    """CI makes its virtual environment under /tmp: the sandbox's private /tmp must not cover
    it. And a submissions folder that lies inside a mounted folder is covered by an empty one."""
    from crmsim.exercises import sandbox

    site = tmp_path / "site"  # stands for a Python folder under /tmp
    site.mkdir()
    (site / "marker.txt").write_text("mounted", encoding="utf-8")
    real = sandbox._python_paths
    monkeypatch.setattr(sandbox, "_python_paths", lambda: [*real(), site])
    folder = site / "submissions"
    folder.mkdir()
    look = (
        "import json, os\n"
        f"seen = {{'marker': open({str(site / 'marker.txt')!r}).read(),\n"
        f"        'submissions': os.listdir({str(folder)!r}) if os.access({str(folder)!r}, "
        "os.R_OK) else 'hidden'}\n"
        "why_rule = json.dumps(seen) + ' padding words so that the answer has ten words'"
    )
    _write(folder, "a_02_abc.ipynb", build(ABC, student_id="a", answers={5: look}))
    table = grade(folder, tmp_path / "g.csv", timeout=TIMEOUT, sandbox="require")
    answer = table.attrs["results"][0]["questions"][4]["answer"]
    seen = json.loads(answer[: answer.index("}") + 1])
    assert seen["marker"] == "mounted"
    assert seen["submissions"] in ("hidden", [])  # covered: not a file of it is visible
