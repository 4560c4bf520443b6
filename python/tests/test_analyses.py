"""compare, sensitivity, goal, backtest: the command line's JSON, and DataFrames."""

from __future__ import annotations

import pytest

import attain
from conftest import EXAMPLE


def test_compare_equals_the_cli(cli, workdir):
    a, b = "scenarios/zhumadian-baseline.toml", "scenarios/zhumadian-pessimistic.toml"
    c = attain.compare([a, b], runs=4096)
    cli(["compare", a, b, "--runs", "4096", "--out", str(workdir / "c"), "--quiet"])
    assert c.to_json() == (workdir / "c" / "compare.json").read_text(encoding="utf-8")
    assert c.scenarios == ["zhumadian-baseline", "zhumadian-pessimistic"]
    df = c.targets
    assert df.loc[("gdp_growth", "zhumadian-baseline"), "change"] != df.loc[("gdp_growth", "zhumadian-baseline"), "change"]
    assert df.loc[("gdp_growth", "zhumadian-pessimistic"), "change"] < 0
    assert list(c.p_met.columns) == c.scenarios
    assert set(c.joint.index.get_level_values("event")) == {"all_binding", "all"}


def test_compare_edited_scenarios():
    s = attain.Scenario.load(EXAMPLE)
    low = s.with_process("gdp", rate={"dist": "normal", "mean": 0.05, "sd": 0.012})
    c = attain.compare([s, low], runs=4096)
    assert c.scenarios == ["example[0]", "example[1]"]
    assert c.targets.loc[("gdp_growth", "example[1]"), "change"] < 0
    assert c.p_met.loc["gdp_growth", "example[1]"] < c.p_met.loc["gdp_growth", "example[0]"]


def test_sensitivity_equals_the_cli(cli, workdir):
    s = attain.sensitivity(EXAMPLE, runs=4096)
    cli(["sensitivity", EXAMPLE, "--runs", "4096", "--out", str(workdir / "s"), "--quiet"])
    assert s.to_json() == (workdir / "s" / "sensitivity.json").read_text(encoding="utf-8")
    bars = s.bars
    assert bars.index.names == ["target", "parameter"]
    top = bars.loc["gdp_growth"].sort_values("impact", ascending=False).index[0]
    assert top.startswith("gdp.")
    assert s.rank_correlations.loc[("gdp_growth", "gdp"), "rho"] > 0.5
    assert "role" in s.parameters.columns


def test_sobol_equals_the_cli(cli, workdir):
    s = attain.sobol(EXAMPLE, runs=8192, targets=["gdp_growth"])
    cli(
        ["sensitivity", EXAMPLE, "--method", "sobol", "--target", "gdp_growth", "--runs", "8192",
         "--out", str(workdir / "sb"), "--quiet"]
    )
    assert s.to_json() == (workdir / "sb" / "sobol.json").read_text(encoding="utf-8")
    idx = s.indices
    assert idx.index.names == ["target", "input"]
    assert set(idx.index.get_level_values("target")) == {"gdp_growth"}
    assert len(idx) >= 2 and {"first_order_lo", "total_hi"} <= set(idx.columns)
    with pytest.raises(attain.InputError, match="targets= nope: no simulated target"):
        attain.sobol(EXAMPLE, runs=4096, targets=["nope"])


def test_goal_equals_the_cli(cli, workdir):
    g = attain.goal(EXAMPLE, ["gdp_growth"], runs=4096)
    cli(["goal", EXAMPLE, "gdp_growth", "--runs", "4096", "--out", str(workdir / "g"), "--quiet"])
    assert g.to_json() == (workdir / "g" / "goal.json").read_text(encoding="utf-8")
    sol = g.solutions
    assert list(sol.loc["gdp_growth"].index) == [0.5, 0.9]
    assert sol.loc[("gdp_growth", 0.9), "mean"] > sol.loc[("gdp_growth", 0.5), "mean"]
    assert list(g.achievable.loc["gdp_growth"].index) == [0.5, 0.8, 0.9]
    assert len(g.curve) > 10


def test_backtest_equals_the_cli(cli, workdir):
    sc = "scenarios/zhumadian-13fyp-backtest.toml"
    b = attain.backtest(sc, runs=4096)
    cli(["backtest", sc, "--runs", "4096", "--out", str(workdir / "b"), "--quiet"])
    assert b.to_json() == (workdir / "b" / "backtest.json").read_text(encoding="utf-8")
    assert b.results.to_json() == (workdir / "b" / "results.json").read_text(encoding="utf-8")
    assert "attain" in b.scores.index
    assert b.targets["brier"].between(0, 1).all()
    assert b.reliability["n"].sum() == b.data["scored"]


def test_default_runs_of_analyses_match_the_cli(cli, workdir):
    """Without runs, goal uses the CLI's default (20 000, or the scenario's if fewer)."""
    g = attain.goal(EXAMPLE, ["urbanization_2025"])
    assert g.data["runs"] == 20000
    cli(["goal", EXAMPLE, "urbanization_2025", "--out", str(workdir / "g"), "--quiet"])
    assert g.to_json() == (workdir / "g" / "goal.json").read_text(encoding="utf-8")
