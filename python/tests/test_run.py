"""attain.run and Results: the same numbers and bytes as `attain run`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import attain
from conftest import BASELINE, EXAMPLE


@pytest.fixture(scope="module")
def baseline() -> attain.Results:
    import os

    from conftest import REPO

    old = os.getcwd()
    os.chdir(REPO)
    try:
        return attain.run(BASELINE, runs=20000, seed=7)
    finally:
        os.chdir(old)


def test_done_when_p_met_equals_the_cli(baseline, cli, workdir):
    """The issue's done-when: the package's P(met) per target equals `attain run … --runs 20000
    --seed 7`, and to_json() is byte for byte the command line's results.json."""
    cli(["run", BASELINE, "--runs", "20000", "--seed", "7", "--out", str(workdir / "cli"), "--quiet"])
    written = (workdir / "cli" / "results.json").read_text(encoding="utf-8")
    assert baseline.to_json() == written
    expected = {t["id"]: (t["p_met"] or {}).get("p") for t in json.loads(written)["targets"]}
    got = baseline.targets["p_met"]
    for tid, p in expected.items():
        if p is None:
            assert got[tid] != got[tid]  # NaN: not simulated
        else:
            assert got[tid] == p


def test_targets_frame(baseline):
    df = baseline.targets
    assert df.index.name == "id"
    assert df.index.is_unique
    for col in ["p_met", "lo", "hi", "mcse", "p05", "p25", "p50", "p75", "p95", "required", "attribute", "status"]:
        assert col in df.columns, col
    sim = df[df.status == "simulated"]
    assert len(sim) == baseline.data["joint"]["simulated_targets"]
    assert ((sim.lo <= sim.p_met + 1e-12) & (sim.p_met <= sim.hi + 1e-12)).all()
    assert set(df.attribute) <= {"binding", "expected"}
    assert df.loc["gdp_growth", "p_met"] == pytest.approx(0.73205)


def test_fan_joint_on_track(baseline):
    fan = baseline.fan
    assert list(fan.columns) == ["indicator", "year", "kind", "quantile", "value"]
    assert sorted(fan["quantile"].unique()) == [0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95]
    gdp = fan[(fan.indicator == "gdp") & (fan.year == 2025)].set_index("quantile")["value"]
    assert gdp.is_monotonic_increasing
    joint = baseline.joint
    assert list(joint.index) == ["all_binding", "all"]
    assert joint.loc["all_binding", "p"] == baseline.data["joint"]["all_binding"]["p"]
    ot = baseline.on_track
    assert list(ot.columns) == ["target", "year", "p", "lo", "hi"]
    assert set(ot.year) == {2021, 2022, 2023, 2024, 2025}


def test_csv_and_text_are_the_cli_renderings(baseline, cli, workdir):
    cli(["run", BASELINE, "--runs", "20000", "--seed", "7", "--out", str(workdir / "cli"), "--quiet"])
    assert baseline.targets_csv() == (workdir / "cli" / "targets.csv").read_text(encoding="utf-8")
    assert baseline.fan_csv() == (workdir / "cli" / "fan.csv").read_text(encoding="utf-8")
    table = cli(["run", BASELINE, "--runs", "20000", "--seed", "7", "--out", str(workdir / "cli"), "--quiet"]).stdout
    assert baseline.table() == table


def test_write_gives_the_cli_files(cli, workdir, monkeypatch):
    """Results.write writes the same files, byte for byte (the report's date fixed by
    SOURCE_DATE_EPOCH), with a manifest, and refuses another scenario's directory."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    r = attain.run(EXAMPLE, runs=4096, seed=3)
    out = r.write(workdir / "py")
    assert out == workdir / "py"
    cli(["run", EXAMPLE, "--runs", "4096", "--seed", "3", "--out", str(workdir / "cli"), "--quiet"],
        env={"SOURCE_DATE_EPOCH": "1700000000"})
    names = sorted(p.name for p in (workdir / "cli").iterdir())
    assert sorted(p.name for p in out.iterdir()) == names
    assert "report.html" in names and "results.json" in names
    for n in names:
        if n == ".attain-manifest.json":
            continue
        assert (out / n).read_bytes() == (workdir / "cli" / n).read_bytes(), n
    other = attain.run(BASELINE, runs=4096, seed=3)
    with pytest.raises(attain.InputError, match="holds the results of scenario `example`"):
        other.write(out)


def test_threads_and_sampling(cli, workdir):
    one = attain.run(EXAMPLE, runs=10000, seed=5, threads=1)
    two = attain.run(EXAMPLE, runs=10000, seed=5, threads=2)
    assert one.to_json() == two.to_json()
    lhs = attain.run(EXAMPLE, runs=10000, seed=5, sampling="lhs")
    cli(["run", EXAMPLE, "--runs", "10000", "--seed", "5", "--sampling", "lhs", "--out", str(workdir / "l"), "--quiet"])
    assert lhs.to_json() == (workdir / "l" / "results.json").read_text(encoding="utf-8")
    assert lhs.data["sampling"] == "lhs"


def test_plan_file_with_calibration_runs_as_its_draft(cli, workdir):
    cal = "scenarios/calibration/both/calibration.toml"
    r = attain.run("seeds/lankao-reform.toml", calibration=cal, runs=4096)
    cli(["run", "seeds/lankao-reform.toml", "--calibration", cal, "--runs", "4096", "--out", str(workdir / "p"), "--quiet"])
    assert r.to_json() == (workdir / "p" / "results.json").read_text(encoding="utf-8")
    s = attain.Scenario.load("seeds/lankao-reform.toml", calibration=cal)
    assert s.in_memory and s.path.endswith("lankao-reform-init.toml")
    assert attain.run(s, runs=4096).to_json() == r.to_json()


def test_records_need_no_pandas(monkeypatch):
    """Without pandas, the DataFrame accessors say what to install and the records still work."""
    r = attain.run(EXAMPLE, runs=4096)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        r.targets
    rows = r.target_records()
    assert [x["id"] for x in rows] == ["gdp_growth", "urbanization_2025"]
    assert isinstance(rows[0]["p_met"], float)
    assert r.fan_records() and r.joint_records() and r.on_track_records()
    assert r.data["runs"] == 4096


def test_scenario_defaults_are_used():
    s = attain.Scenario.load(EXAMPLE)
    r = attain.run(s, runs=4096)
    assert (r.runs, r.seed) == (4096, s.seed)
    assert r.data["scenario"]["file"] == EXAMPLE
    assert isinstance(attain.__version__, str) and attain.__version__.count(".") == 2


def test_path_objects_are_accepted():
    r = attain.run(Path(EXAMPLE), runs=4096)
    assert r.data["scenario"]["file"] == EXAMPLE
