"""The eih-schedule command line: exit statuses, one-line errors, byte-for-byte determinism."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from eih.scheduler.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_solve_validate_explain(tmp_path, capsys, example_path):
    plan = tmp_path / "plan.json"
    code, _, err = run(capsys, "solve", str(example_path), "-o", str(plan))
    assert code == 0 and err == ""
    assert json.loads(plan.read_text())["status"] == "optimal"
    code, out, _ = run(capsys, "validate", str(example_path), str(plan))
    assert code == 0 and "valid" in out
    code, out, _ = run(capsys, "explain", str(example_path), str(plan))
    assert code == 0 and "continuity" in out and "sg-men-2026-12-01" in out


def test_validate_lists_each_violation_and_exits_1(tmp_path, capsys, example_path):
    plan = {"format": "eih-plan/1", "status": "feasible",
            "assignments": [{"demand": "sg-men-2026-12-01", "experts": ["ed-amal"]},
                            {"demand": "iv-2026-12-02", "experts": ["ed-amal"]}]}
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    code, out, _ = run(capsys, "validate", str(example_path), str(path))
    assert code == 1
    lines = out.strip().splitlines()
    assert any(line.startswith("eligibility:") for line in lines)
    assert any(line.startswith("intervision:") and "ed-youssef" in line for line in lines)


def test_solve_twice_gives_identical_bytes(tmp_path, capsys):
    inst = tmp_path / "week.json"
    assert run(capsys, "generate", "--experts", "7", "--seed", "2", "-o", str(inst))[0] == 0
    outputs = []
    for i in range(2):
        path = tmp_path / f"plan{i}.json"
        assert run(capsys, "solve", str(inst), "--seed", "1", "--no-time", "-o", str(path))[0] == 0
        outputs.append(path.read_bytes())
    assert outputs[0] == outputs[1]


def _bad_files(tmp_path, example_path):
    good = json.loads(example_path.read_text())
    cases = {
        "missing file": str(tmp_path / "nope.json"),
        "invalid JSON": "{ not json",
        "wrong format": {**good, "format": "eih-plan/1"},
        "unknown field": {**good, "extra": 1},
        "wrong type": {**good, "experts": {"ed-amal": {}}},
        "unknown expert in pinned": {**good, "demands": [{**good["demands"][0], "pinned": ["ed-x"]}]},
        "unknown expert in continuity": {**good, "demands": [{**good["demands"][0], "continuity": ["ed-x"]}]},
        "unknown expert in exclude": {**good, "demands": [{**good["demands"][0], "exclude": ["ed-x"]}]},
        "unknown expert in previous": {**good, "previous": {"sg-men-2026-12-01": ["ed-x"]}},
        "end before start": {**good, "demands": [{**good["demands"][1],
                                                  "slot": {"start": "2026-12-01T19:00",
                                                           "end": "2026-12-01T17:00"}}]},
        "period end before start": {**good, "period": {"start": "2026-12-06", "end": "2026-11-30"}},
    }
    for name, content in cases.items():
        if name == "missing file":
            yield name, content
            continue
        path = tmp_path / f"{name.replace(' ', '-')}.json"
        path.write_text(content if isinstance(content, str) else json.dumps(content))
        yield name, str(path)


def test_bad_input_exits_2_with_one_line(tmp_path, capsys, example_path):
    for name, path in _bad_files(tmp_path, example_path):
        for argv in (["solve", path], ["validate", path, path], ["explain", path, path]):
            code, out, err = run(capsys, *argv)
            assert code == 2, name
            assert len(err.strip().splitlines()) == 1, (name, err)
            assert "Traceback" not in err and out == ""


def test_bad_plan_exits_2(tmp_path, capsys, example_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"format": "eih-plan/1", "assignments": [{"demand": "x", "experts": []}]}))
    code, _, err = run(capsys, "validate", str(example_path), str(plan))
    assert code == 2 and 'unknown demand "x"' in err


@pytest.mark.parametrize("argv", [["solve"], ["frobnicate"], ["generate", "--experts", "0"],
                                  ["generate", "--experts", "many"], ["bench", "--sizes", "a,b"],
                                  ["solve", "x.json", "--time-limit", "-1"], ["bench", "--startup", "--runs", "0"]])
def test_usage_errors_exit_2_with_one_line(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_module_entry_point(example_path):
    done = subprocess.run([sys.executable, "-m", "eih.scheduler", "solve", str(example_path), "--no-time"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert json.loads(done.stdout)["format"] == "eih-plan/1"


def test_bench_quick_prints_a_table(capsys, tmp_path):
    md = tmp_path / "bench.md"
    code, out, _ = run(capsys, "bench", "--sizes", "7", "--weeks", "1", "--repeat", "1", "--markdown", str(md))
    assert code == 0
    assert "| 7 | 1 |" in out and "nproc=" in out
    assert "| 7 | 1 |" in md.read_text()


def test_bench_startup_compares_a_whole_solve_with_the_bare_ortools_import(capsys):
    code, out, _ = run(capsys, "bench", "--startup", "--runs", "1")
    assert code == 0
    assert "eih-schedule solve, 7 experts, 1 week:" in out
    assert "python -c 'import ortools.sat.python.cp_model'" in out and "ratio " in out


def test_same_plan_in_processes_with_different_string_hashing(tmp_path):
    """Byte for byte across processes: nothing may follow the order of a set of ids."""
    import os

    inst = tmp_path / "inst.json"
    assert main(["generate", "--experts", "15", "--weeks", "1", "--seed", "2", "-o", str(inst)]) == 0
    plans = []
    for hash_seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-m", "eih.scheduler", "solve", str(inst), "--no-time",
                               "--time-limit", "60"], capture_output=True, text=True, check=False,
                              env=os.environ | {"PYTHONHASHSEED": hash_seed})
        assert done.returncode == 0, done.stderr
        plans.append(done.stdout)
    assert json.loads(plans[0])["status"] == "optimal"
    assert plans[0] == plans[1] == plans[2]
