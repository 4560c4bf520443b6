"""Shared fixtures: the repository root (scenarios, seeds) and the `attain` command line built by
cargo, to check that the package gives the command line's bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import List

import pytest

REPO = Path(__file__).resolve().parents[2]
BASELINE = "scenarios/zhumadian-baseline.toml"
EXAMPLE = "tests/fixtures/example.toml"


def cli_path() -> Path:
    """The command line: $ATTAIN_CLI, else target/release/attain of this repository."""
    env = os.environ.get("ATTAIN_CLI")
    if env:
        return Path(env)
    return REPO / "target" / "release" / "attain"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test runs from the repository root, as the command line's examples do, so that
    relative scenario paths (which results.json records) are the same for both."""
    monkeypatch.chdir(REPO)
    return REPO


@pytest.fixture
def cli(tmp_path: Path):
    """Runs the command line from the repository root; skipped when it is not built, unless
    ATTAIN_REQUIRE_CLI=1 (CI), which makes a missing binary a failure."""
    exe = cli_path()
    if not exe.exists():
        if os.environ.get("ATTAIN_REQUIRE_CLI") == "1":
            pytest.fail(f"{exe} is missing: build it with `cargo build --release`")
        pytest.skip(f"{exe} not built (cargo build --release)")

    def run(args: List[str], check: bool = True, env: dict = None) -> subprocess.CompletedProcess:
        e = dict(os.environ)
        if env:
            e.update(env)
        p = subprocess.run([str(exe), *args], cwd=REPO, capture_output=True, text=True, env=e)
        if check and p.returncode != 0:
            raise AssertionError(f"attain {' '.join(args)} failed ({p.returncode}):\n{p.stderr}")
        return p

    return run


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A scratch directory that is removed afterwards."""
    d = tmp_path / "w"
    d.mkdir()
    yield d
    shutil.rmtree(d, ignore_errors=True)
