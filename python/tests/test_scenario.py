"""Scenario.load and in-memory edits: a sweep needs no files."""

from __future__ import annotations

import pytest

import attain
from conftest import BASELINE, EXAMPLE


def test_load_describes_the_scenario():
    s = attain.Scenario.load(BASELINE)
    assert s.plan == "zhumadian-14fyp"
    assert s.stem == "zhumadian-baseline"
    assert (s.runs, s.seed) == (100000, 2025)
    assert "gdp" in s.processes
    assert not s.in_memory
    assert s.text.startswith("# Zhumadian")
    assert "zhumadian-baseline.toml" in repr(s)


def test_with_process_sweep_moves_p_met_and_leaves_the_original():
    """A sweep over GDP's mean growth: P(met) of the GDP target rises with it, the scenario the
    sweep started from is unchanged, and an edit equal to the file's value gives its results."""
    s = attain.Scenario.load(EXAMPLE)
    ps = []
    for mean in (0.05, 0.065, 0.08):
        edited = s.with_process("gdp", rate={"dist": "normal", "mean": mean, "sd": 0.012})
        assert edited.in_memory and "mean = 0.05" not in s.text
        ps.append(attain.run(edited, runs=8192, seed=1).targets.loc["gdp_growth", "p_met"])
    assert ps[0] < ps[1] < ps[2]
    same = attain.run(s, runs=8192, seed=1).targets.loc["gdp_growth", "p_met"]
    assert ps[1] == same


def test_edit_equal_to_file_gives_identical_results():
    s = attain.Scenario.load(EXAMPLE)
    e = s.with_process("gdp", persistence=0.4)
    a = attain.run(s, runs=4096, seed=2).data
    b = attain.run(e, runs=4096, seed=2).data
    assert a["targets"] == b["targets"] and a["indicators"] == b["indicators"]


def test_edits_chain_and_none_removes_a_key():
    s = attain.Scenario.load(EXAMPLE)
    e = s.with_process("gdp", persistence=None).with_process("urbanization", bounds=[0, 60])
    assert "persistence" not in e.text.split("[process.urbanization]")[0].split("[process.gdp]")[1]
    assert "bounds = [0, 60]" in e.text


def test_a_process_from_an_extended_file_is_copied_then_edited():
    """zhumadian-baseline extends the drafted scenario; editing a process defined only there keeps
    its other keys."""
    s = attain.Scenario.load(BASELINE)
    own = s.text
    inherited = next(p for p in s.processes if f"[process.{p}]" not in own)
    e = s.with_process(inherited, base=123.0)
    block = e.text.split(f"[process.{inherited}]")[1]
    assert "model = " in block and "base = 123.0" in block
    r = attain.run(e, runs=4096, seed=1)
    ind = next(i for i in r.data["indicators"] if i["id"] == inherited)
    assert ind["base"] == 123.0


def test_invalid_edit_reports_the_line_of_the_edited_text():
    s = attain.Scenario.load(EXAMPLE)
    with pytest.raises(attain.InputError) as e:
        s.with_process("gdp", rate={"dist": "normal", "mean": 0.06, "sdd": 0.01})
    assert "unknown field `sdd`" in str(e.value)
    line = s.text.splitlines()[e.value.line - 1]
    assert line.startswith("rate =")
    with pytest.raises(attain.InputError, match="cannot be written in a scenario"):
        s.with_process("gdp", rate=object())


def test_new_process_needs_a_model():
    s = attain.Scenario.load(EXAMPLE)
    with pytest.raises(attain.InputError):
        s.with_process("no_such_indicator", model="growth", rate={"dist": "normal", "mean": 0.0, "sd": 0.1})
