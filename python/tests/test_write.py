"""The analyses' write(dir) and attain.nowcast: the command line's files, byte for byte.

Each test runs the subcommand and the package with the same inputs, runs and seed and the report's
date fixed by SOURCE_DATE_EPOCH, and compares every file of the two directories, the manifest
included (both record the scenario paths as given, relative to the repository root).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import attain
from conftest import EXAMPLE

EPOCH = "1700000000"
OBSERVED = "scenarios/zhumadian-13fyp-observed.toml"


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """report.html and compare.html print the date of writing: fixed for both sides."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


def assert_same_files(py: Path, cli: Path) -> None:
    names = sorted(p.name for p in cli.iterdir())
    assert sorted(p.name for p in py.iterdir()) == names
    assert ".attain-manifest.json" in names
    for n in names:
        assert (py / n).read_bytes() == (cli / n).read_bytes(), n


def test_compare_writes_the_cli_files(cli, workdir):
    a, b = "scenarios/zhumadian-baseline.toml", "scenarios/zhumadian-pessimistic.toml"
    c = attain.compare([a, b], runs=4096)
    assert c.write(workdir / "py") == workdir / "py"
    cli(["compare", a, b, "--runs", "4096", "--out", str(workdir / "cli"), "--quiet"])
    assert_same_files(workdir / "py", workdir / "cli")
    assert (workdir / "py" / "compare.html").exists()
    assert any(p.name.startswith("compare-fan-") for p in (workdir / "py").iterdir())


def test_sensitivity_writes_the_cli_files_with_its_top(cli, workdir):
    s = attain.sensitivity(EXAMPLE, runs=4096)
    s.write(workdir / "py")
    cli(["sensitivity", EXAMPLE, "--runs", "4096", "--out", str(workdir / "cli"), "--quiet"])
    assert_same_files(workdir / "py", workdir / "cli")
    s.write(workdir / "py3", top=3)
    cli(["sensitivity", EXAMPLE, "--runs", "4096", "--top", "3", "--out", str(workdir / "cli3"), "--quiet"])
    assert_same_files(workdir / "py3", workdir / "cli3")
    assert (workdir / "py3" / "sensitivity.md").read_bytes() != (workdir / "py" / "sensitivity.md").read_bytes()


def test_sobol_writes_the_cli_files(cli, workdir):
    s = attain.sobol(EXAMPLE, runs=8192, targets=["gdp_growth"])
    s.write(workdir / "py")
    cli(
        ["sensitivity", EXAMPLE, "--method", "sobol", "--target", "gdp_growth", "--runs", "8192",
         "--out", str(workdir / "cli"), "--quiet"]
    )
    assert_same_files(workdir / "py", workdir / "cli")


def test_goal_writes_the_cli_files(cli, workdir):
    g = attain.goal(EXAMPLE, ["gdp_growth", "urbanization_2025"], runs=4096)
    g.write(workdir / "py")
    cli(["goal", EXAMPLE, "gdp_growth", "urbanization_2025", "--runs", "4096", "--out", str(workdir / "cli"),
         "--quiet"])
    assert_same_files(workdir / "py", workdir / "cli")


def test_backtest_writes_the_cli_files(cli, workdir):
    sc = "scenarios/zhumadian-13fyp-backtest.toml"
    b = attain.backtest(sc, runs=4096)
    b.write(workdir / "py")
    cli(["backtest", sc, "--runs", "4096", "--out", str(workdir / "cli"), "--quiet"])
    assert_same_files(workdir / "py", workdir / "cli")
    assert (workdir / "py" / "report.html").exists() and (workdir / "py" / "reliability.svg").exists()


def test_nowcast_equals_the_cli(cli, workdir):
    n = attain.nowcast(OBSERVED, runs=4096)
    n.write(workdir / "py")
    cli(["nowcast", OBSERVED, "--runs", "4096", "--out", str(workdir / "cli"), "--quiet"])
    assert n.to_json() == (workdir / "cli" / "nowcast.json").read_text(encoding="utf-8")
    assert_same_files(workdir / "py", workdir / "cli")
    assert n.years == list(range(2015, 2021))
    df = n.targets
    assert df.index.names == ["target", "as_of"]
    assert set(df.index.get_level_values("as_of")) == set(n.years)
    assert list(n.p_met.columns) == n.years
    assert df["p"].dropna().between(0, 1).all()


def test_nowcast_range(cli, workdir):
    short = attain.nowcast(OBSERVED, from_year=2018, to_year=2019, runs=4096, seed=3)
    assert short.years == [2018, 2019]
    cli(["nowcast", OBSERVED, "--from", "2018", "--to", "2019", "--runs", "4096", "--seed", "3",
         "--out", str(workdir / "cli"), "--quiet"])
    assert short.to_json() == (workdir / "cli" / "nowcast.json").read_text(encoding="utf-8")
    with pytest.raises(attain.InputError, match="from_year 2019 is after to_year 2018"):
        attain.nowcast(OBSERVED, from_year=2019, to_year=2018, runs=4096)


def test_default_directory_and_ownership(workdir, monkeypatch):
    """Without a directory, write() uses the subcommand's (relative to the working directory), and
    a directory holding another analysis's results is refused, as on the command line."""
    example = str(Path(EXAMPLE).resolve())
    g = attain.goal(example, ["gdp_growth"], runs=4096)
    s = attain.sensitivity(example, runs=4096)
    monkeypatch.chdir(workdir)
    out = g.write()
    assert out == Path("out/example/goal")
    assert (workdir / out / "goal.json").read_text(encoding="utf-8") == g.to_json()
    with pytest.raises(attain.InputError, match="goal:example"):
        s.write(out)
    assert s.write() == Path("out/example/sensitivity")
