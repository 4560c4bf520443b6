"""Errors: a Python exception carrying the command line's message (file, line, column, help)."""

from __future__ import annotations

import pytest

import attain
from conftest import EXAMPLE

BAD = "tests/bad-inputs/bounds-reversed/scenario.toml"


def test_input_error_is_the_cli_message(cli):
    p = cli(["run", BAD, "--quiet"], check=False)
    assert p.returncode == 2
    with pytest.raises(attain.InputError) as e:
        attain.run(BAD)
    assert str(e.value) == p.stderr.rstrip("\n")
    assert e.value.file == BAD
    assert (e.value.line, e.value.column) == (15, 10)
    assert e.value.help and "bounds" in str(e.value)
    assert e.value.exit_code == 2
    assert isinstance(e.value, attain.AttainError)


def test_missing_file():
    with pytest.raises(attain.InputError, match="cannot read scenarios/nope.toml") as e:
        attain.Scenario.load("scenarios/nope.toml")
    assert e.value.file == "scenarios/nope.toml" and e.value.line is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"runs": 0}, "runs = 0 is out of range"),
        ({"threads": 0}, "threads=0 is not allowed"),
        ({"sampling": "qmc"}, 'sampling="qmc" is not a sampling design'),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(attain.InputError, match=message) as e:
        attain.run(EXAMPLE, **kwargs)
    assert e.value.help


def test_analysis_errors_name_the_target():
    with pytest.raises(attain.InputError, match="no_such_target"):
        attain.goal(EXAMPLE, ["no_such_target"], runs=4096)
    with pytest.raises(attain.InputError, match="at least 2 scenarios"):
        attain.compare([EXAMPLE])
    with pytest.raises(attain.InputError, match="bins=0"):
        attain.backtest(EXAMPLE, bins=0)
