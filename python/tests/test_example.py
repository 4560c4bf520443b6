"""The SALib example runs (quickly) and gives sensible indices: the mean growth assumed matters
most for the GDP target."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import REPO

EXAMPLE = REPO / "python" / "examples" / "salib_sobol.py"


def test_salib_example(tmp_path):
    try:
        import SALib  # noqa: F401
    except ImportError:
        if os.environ.get("ATTAIN_REQUIRE_SALIB") == "1":
            pytest.fail("SALib is not installed (pip install SALib)")
        pytest.skip("SALib not installed")
    plot = tmp_path / "sobol.png"
    p = subprocess.run(
        [sys.executable, str(EXAMPLE), "--n", "4", "--runs", "2048", "--plot", str(plot)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert p.returncode == 0, p.stderr
    assert "20 design points × 2048 runs" in p.stdout
    rows = {line.split()[0]: line.split()[1:] for line in p.stdout.splitlines() if line.startswith("gdp_")}
    assert set(rows) == {"gdp_mean", "gdp_sd", "gdp_persistence"}
    st = {k: float(v[2]) for k, v in rows.items()}
    assert st["gdp_mean"] == max(st.values())
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return
    assert plot.stat().st_size > 1000
