"""attain as the model inside SALib: Sobol indices of P(met) over three scenario inputs.

SALib's Saltelli design (``SALib.sample.sobol``) picks points in the space of three assumptions of
the Zhumadian baseline about real GDP growth: the mean and the year-to-year sd of its rate, and its
persistence. Each point is one in-memory scenario (``Scenario.with_process``, no files written) run by
``attain.run`` with the same seed (common random numbers), and its P(met) of the plan's GDP target
is the model output. SALib then estimates first-order and total Sobol indices, and the script plots
P(met) against the mean growth assumed.

Run from the repository root::

    pip install ./python pandas SALib matplotlib
    python python/examples/salib_sobol.py                   # 32 base samples × 5 = 160 runs
    python python/examples/salib_sobol.py --n 4 --runs 2048 # a quick look

This is a global sensitivity of attain's *output* to the *assumptions*, which attain's own
``sensitivity`` (one at a time) and ``--method sobol`` (over the random draws of one scenario) do not
give.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

import attain

PROBLEM = {
    "num_vars": 3,
    "names": ["gdp_mean", "gdp_sd", "gdp_persistence"],
    "bounds": [[0.05, 0.08], [0.005, 0.025], [0.0, 0.7]],
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", default="scenarios/zhumadian-baseline.toml")
    ap.add_argument("--target", default="gdp_growth")
    ap.add_argument("--n", type=int, default=32, help="SALib base sample size (a power of 2)")
    ap.add_argument("--runs", type=int, default=8192, help="Monte Carlo runs per design point")
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--plot", default="out/salib-sobol.png", help="where to save the chart ('' for none)")
    a = ap.parse_args()

    base = attain.Scenario.load(a.scenario)
    points = sobol_sample.sample(PROBLEM, a.n, calc_second_order=False, seed=a.seed)
    t = time.monotonic()
    y = np.empty(len(points))
    for i, (mean, sd, persistence) in enumerate(points):
        s = base.with_process(
            "gdp",
            rate={"dist": "normal", "mean": float(mean), "sd": float(sd)},
            persistence=float(persistence),
        )
        r = attain.run(s, runs=a.runs, seed=a.seed)
        y[i] = r.targets.loc[a.target, "p_met"]
    print(f"{len(points)} design points × {a.runs} runs in {time.monotonic() - t:.1f} s")

    si = sobol_analyze.analyze(PROBLEM, y, calc_second_order=False, seed=a.seed)
    print(f"Sobol indices of P({a.target} met):")
    print(f"{'input':<16} {'S1':>7} {'±95%':>7} {'ST':>7} {'±95%':>7}")
    for k, name in enumerate(PROBLEM["names"]):
        print(f"{name:<16} {si['S1'][k]:7.3f} {si['S1_conf'][k]:7.3f} {si['ST'][k]:7.3f} {si['ST_conf'][k]:7.3f}")

    if a.plot:
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("(matplotlib is not installed: no chart)")
            return
        fig, ax = plt.subplots(figsize=(6, 4))
        sc = ax.scatter(points[:, 0] * 100, y * 100, c=points[:, 1] * 100, cmap="viridis", s=18)
        fig.colorbar(sc, label="sd of GDP growth (pp)")
        ax.set_xlabel("mean real GDP growth assumed (%)")
        ax.set_ylabel(f"P({a.target} met) (%)")
        ax.set_title(f"{base.name}: {len(points)} Saltelli points")
        fig.tight_layout()
        Path(a.plot).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(a.plot, dpi=120)
        print(f"wrote {a.plot}")


if __name__ == "__main__":
    main()
