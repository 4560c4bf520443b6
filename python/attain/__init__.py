"""attain: how likely is each target of a development plan to be met?

The Monte Carlo engine of the ``attain`` command line as a Python package, built from the same Rust
library: the same inputs, seed and runs give the same numbers, and ``Results.to_json()`` is byte for
byte the ``results.json`` that ``attain run`` writes.

>>> import attain
>>> r = attain.run("scenarios/zhumadian-baseline.toml", runs=20000, seed=7)
>>> r.targets[["p_met", "lo", "hi"]]          # a pandas DataFrame indexed by target id
>>> r.target_records()                        # the same rows as plain dicts (no pandas needed)

Scenarios can be changed in memory, so a sweep needs no files:

>>> s = attain.Scenario.load("scenarios/zhumadian-baseline.toml")
>>> s2 = s.with_process("gdp", rate={"dist": "normal", "mean": 0.06, "sd": 0.01})
>>> attain.run(s2, runs=20000).targets.loc["gdp_growth", "p_met"]

The analyses (:func:`compare`, :func:`sensitivity`, :func:`sobol`, :func:`goal`, :func:`backtest`,
:func:`nowcast`) return objects whose ``to_json()`` is the subcommand's JSON file and whose
``write(dir)`` writes the subcommand's files, byte for byte.

Errors raise :class:`AttainError` (:class:`InputError` for bad input) whose message is the command
line's: file, line, column, the offending line and a ``help:`` line. Simulations release the GIL and
stop on Ctrl-C (``KeyboardInterrupt``). pandas is needed only for the DataFrame accessors.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Union

from . import _attain
from ._attain import AttainError, InputError, Scenario

__all__ = [
    "AttainError",
    "InputError",
    "Scenario",
    "Results",
    "Comparison",
    "Sensitivity",
    "SobolIndices",
    "Goal",
    "Backtest",
    "Nowcast",
    "run",
    "compare",
    "sensitivity",
    "sobol",
    "goal",
    "backtest",
    "nowcast",
    "__version__",
]

__version__: str = _attain.version()

PathLike = Union[str, "os.PathLike[str]"]
ScenarioLike = Union[PathLike, Scenario]
Record = Dict[str, Any]

#: The quantiles of the fan (``fan.csv``, ``Results.fan``) and of a target's metric.
FAN_QUANTILES = (("p05", 0.05), ("p10", 0.10), ("p25", 0.25), ("p50", 0.50), ("p75", 0.75), ("p90", 0.90), ("p95", 0.95))
METRIC_QUANTILES = (("p05", 0.05), ("p25", 0.25), ("p50", 0.50), ("p75", 0.75), ("p95", 0.95))


def _pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped, unused-ignore]  # noqa: PLC0415
    except ImportError as e:  # pragma: no cover - exercised only without pandas
        raise ImportError(
            "this accessor returns a pandas DataFrame: pip install pandas "
            "(or use the *_records() methods and .data, which return plain dicts)"
        ) from e
    return pandas


def _frame(records: List[Record], index: Union[str, List[str], None] = None, columns: Optional[List[str]] = None) -> Any:
    pd = _pandas()
    df = pd.DataFrame.from_records(records, columns=columns)
    if index is not None:
        df = df.set_index(index)
    return df


def _prob(p: Optional[Record], prefix: str = "") -> Record:
    """A probability (``p_met``) as flat columns: p, lo, hi, mcse, hits, runs."""
    keys = ("p", "lo", "hi", "mcse", "hits", "runs")
    if p is None:
        return {f"{prefix}{k}": None for k in keys}
    return {f"{prefix}{k}": p.get(k) for k in keys}


class _Document:
    """A result rendered by the library as JSON, with the parsed dict at hand."""

    def __init__(self, text: Optional[str]) -> None:
        self._json = text
        self._data: Optional[Record] = None

    def _render(self) -> str:
        raise NotImplementedError

    def to_json(self) -> str:
        """The JSON file the command line writes, byte for byte."""
        if self._json is None:
            self._json = self._render()
        return self._json

    @property
    def data(self) -> Record:
        """The JSON as plain Python dicts and lists (no pandas needed)."""
        if self._data is None:
            self._data = json.loads(self.to_json())
        return self._data


class _Analysis(_Document):
    """An analysis's result, kept by the library so that it can write the subcommand's files."""

    def __init__(self, inner: "_attain.Analysis") -> None:
        self._inner = inner
        super().__init__(None)  # rendered when first asked for

    def _render(self) -> str:
        return str(self._inner.to_json())

    def write(self, out_dir: Optional[PathLike] = None) -> Path:
        """Writes the files the subcommand writes (its JSON, CSVs, Markdown, SVG/PNG charts and
        HTML), byte for byte, into ``out_dir`` (default: the subcommand's, e.g.
        ``out/<scenario-stem>/goal``), atomically and with the same ownership rules: a directory
        holding another scenario's or analysis's results is refused. Returns the directory."""
        d, _files = self._inner.write(_opt_path(out_dir))
        return Path(d)


class Results(_Document):
    """The results of :func:`run`: P(met) per target, fans, joint and on-track probabilities.

    DataFrame accessors (need pandas): :attr:`targets`, :attr:`fan`, :attr:`joint`,
    :attr:`on_track`. Each has a ``*_records()`` twin returning a list of plain dicts, and
    :attr:`data` is the whole of ``results.json`` as a dict.
    """

    def __init__(self, inner: "_attain.Results") -> None:
        self._inner = inner
        super().__init__(None)  # rendered when first asked for

    def _render(self) -> str:
        return str(self._inner.to_json())

    # -- plain data -------------------------------------------------------------------------
    @property
    def runs(self) -> int:
        """Monte Carlo runs simulated."""
        return int(self._inner.runs)

    @property
    def seed(self) -> int:
        """The random seed."""
        return int(self._inner.seed)

    def target_records(self) -> List[Record]:
        """One dict per target (every target of the plan, simulated or not), in the plan's order:
        the rows of :attr:`targets`."""
        rows = []
        for t in self.data["targets"]:
            q = t.get("quantiles") or {}
            req = t.get("required") or {}
            p = _prob(t.get("p_met"))
            row: Record = {
                "id": t["id"],
                "indicator": t["indicator"],
                "name": t["name"],
                "name_en": t.get("name_en"),
                "metric": t["metric"],
                "op": t.get("op"),
                "value": t.get("value"),
                "year": t["year"],
                "attribute": t["attribute"],
                "status": t["status"],
                "p_met": p["p"],
                "lo": p["lo"],
                "hi": p["hi"],
                "mcse": p["mcse"],
                "hits": p["hits"],
                "runs": p["runs"],
            }
            for name, _ in METRIC_QUANTILES:
                row[name] = q.get(name)
            row["required"] = req.get("value")
            row["required_kind"] = req.get("kind")
            row["undefined_runs"] = t.get("undefined_runs")
            row["actual"] = t.get("actual")
            row["rule"] = t.get("rule")
            rows.append(row)
        return rows

    def fan_records(self) -> List[Record]:
        """The fan in long format: one dict per indicator, year and quantile."""
        rows = []
        for ind in self.data["indicators"]:
            for y in ind["years"]:
                for name, q in FAN_QUANTILES:
                    rows.append(
                        {
                            "indicator": ind["id"],
                            "year": y["year"],
                            "kind": y["kind"],
                            "quantile": q,
                            "value": y.get(name),
                        }
                    )
        return rows

    def joint_records(self) -> List[Record]:
        """Joint probabilities: all simulated binding targets met in one run, and all targets."""
        j = self.data["joint"]
        return [
            {"event": "all_binding", "targets": j["binding_targets"], **_prob(j["all_binding"])},
            {"event": "all", "targets": j["simulated_targets"], **_prob(j["all"])},
        ]

    def on_track_records(self) -> List[Record]:
        """P(on track) per simulated target and year (long format)."""
        rows = []
        for t in self.data["targets"]:
            for o in t.get("on_track") or []:
                rows.append({"target": t["id"], "year": o["year"], "p": o["p"], "lo": o["lo"], "hi": o["hi"]})
        return rows

    # -- DataFrames -------------------------------------------------------------------------
    @property
    def targets(self) -> Any:
        """A DataFrame indexed by target id: ``p_met``, ``lo``, ``hi`` (95 % Wilson interval),
        ``mcse``, the metric's quantiles ``p05`` … ``p95``, ``required`` (the constant pace that
        just meets the target, of kind ``required_kind``), ``attribute``, ``status`` and more.
        Targets that are not simulated have NaN probabilities."""
        return _frame(self.target_records(), "id")

    @property
    def fan(self) -> Any:
        """A long DataFrame with columns indicator, year, kind, quantile, value."""
        return _frame(self.fan_records(), columns=["indicator", "year", "kind", "quantile", "value"])

    @property
    def joint(self) -> Any:
        """A DataFrame indexed by event (``all_binding``, ``all``) with p, lo, hi, mcse, hits, runs."""
        return _frame(self.joint_records(), "event")

    @property
    def on_track(self) -> Any:
        """A long DataFrame with columns target, year, p, lo, hi."""
        return _frame(self.on_track_records(), columns=["target", "year", "p", "lo", "hi"])

    # -- files and text ---------------------------------------------------------------------
    def write(self, out_dir: Optional[PathLike] = None) -> Path:
        """Writes the files ``attain run`` writes (results.json, CSVs, SVG/PNG charts,
        report.html) into ``out_dir`` (default ``out/<scenario-stem>``), atomically and with the
        same ownership rules: a directory holding another scenario's results is refused.
        Returns the directory."""
        d, _files = self._inner.write(None if out_dir is None else os.fspath(out_dir))
        return Path(d)

    def targets_csv(self) -> str:
        """``targets.csv`` as the command line writes it."""
        return str(self._inner.targets_csv())

    def fan_csv(self) -> str:
        """``fan.csv`` as the command line writes it."""
        return str(self._inner.fan_csv())

    def table(self) -> str:
        """The table ``attain run`` prints."""
        return str(self._inner.table())

    def markdown(self) -> str:
        """The Markdown report (``attain run --format md``)."""
        return str(self._inner.markdown())

    def __str__(self) -> str:
        return self.table()

    def __repr__(self) -> str:
        s = self.data["scenario"]
        return f"<attain.Results {s['file']!r}: {self.runs} runs, seed {self.seed}, {len(self.data['targets'])} targets>"


class Comparison(_Analysis):
    """Scenarios of one plan side by side (:func:`compare`): ``compare.json``; ``write()`` writes
    the files of ``attain compare`` (default directory ``out/compare-<stem>-<stem>…``)."""

    @property
    def scenarios(self) -> List[str]:
        """The scenarios' labels, the reference first: their file stems, numbered ``stem[k]`` (k
        from 0) when several share one (e.g. a scenario and its in-memory edits)."""
        stems = [s["stem"] for s in self.data["scenarios"]]
        return [s if stems.count(s) == 1 else f"{s}[{k}]" for k, s in enumerate(stems)]

    def target_records(self) -> List[Record]:
        """One dict per target and scenario: P(met) and the paired change from the reference."""
        rows = []
        stems = self.scenarios
        for t in self.data["targets"]:
            for k, stem in enumerate(stems):
                ch = (t.get("change") or [None] * len(stems))[k] or {}
                rows.append(
                    {
                        "target": t["id"],
                        "scenario": stem,
                        "indicator": t["indicator"],
                        "attribute": t["attribute"],
                        **_prob(t["p_met"][k]),
                        "change": ch.get("delta"),
                        "change_lo": ch.get("lo"),
                        "change_hi": ch.get("hi"),
                    }
                )
        return rows

    def joint_records(self) -> List[Record]:
        """One dict per joint event and scenario."""
        rows = []
        stems = self.scenarios
        for j in self.data["joint"]:
            for k, stem in enumerate(stems):
                ch = (j.get("change") or [None] * len(stems))[k] or {}
                rows.append(
                    {
                        "event": j["kind"],
                        "scenario": stem,
                        "targets": j["targets"][k] if isinstance(j.get("targets"), list) else j.get("targets"),
                        **_prob(j["p"][k]),
                        "change": ch.get("delta"),
                        "change_lo": ch.get("lo"),
                        "change_hi": ch.get("hi"),
                    }
                )
        return rows

    @property
    def targets(self) -> Any:
        """A DataFrame indexed by (target, scenario): p, lo, hi, … and the change from the reference."""
        return _frame(self.target_records(), ["target", "scenario"])

    @property
    def p_met(self) -> Any:
        """P(met) as a wide DataFrame: one row per target, one column per scenario."""
        return self.targets["p"].unstack("scenario")[self.scenarios]

    @property
    def joint(self) -> Any:
        """A DataFrame indexed by (event, scenario)."""
        return _frame(self.joint_records(), ["event", "scenario"])


class Sensitivity(_Analysis):
    """One-at-a-time sensitivity (:func:`sensitivity`): ``sensitivity.json``."""

    def write(self, out_dir: Optional[PathLike] = None, *, top: int = 8) -> Path:
        """Writes the files of ``attain sensitivity`` into ``out_dir`` (default
        ``out/<scenario-stem>/sensitivity``); ``top`` is its ``--top``: the inputs per target that
        ``sensitivity.md`` shows. Returns the directory."""
        d, _files = self._inner.write(_opt_path(out_dir), top)
        return Path(d)

    def bar_records(self) -> List[Record]:
        """One dict per target and input parameter: P(met) with the parameter moved down and up."""
        rows = []
        for t in self.data["targets"]:
            for b in t["bars"]:
                lo, hi = b["low"], b["high"]
                rows.append(
                    {
                        "target": t["id"],
                        "parameter": b["id"],
                        "low_value": lo["value"],
                        "low_p": lo["p_met"]["p"],
                        "low_change": lo["change"]["delta"],
                        "high_value": hi["value"],
                        "high_p": hi["p_met"]["p"],
                        "high_change": hi["change"]["delta"],
                        "impact": b["impact"],
                    }
                )
        return rows

    def rank_correlation_records(self) -> List[Record]:
        """Spearman rank correlation of each input's draws with each target's metric."""
        return [
            {"target": t["id"], "input": r["input"], "rho": r["rho"]}
            for t in self.data["targets"]
            for r in t["rank_correlations"]
        ]

    @property
    def bars(self) -> Any:
        """A DataFrame indexed by (target, parameter): the tornado's bars, largest impact first."""
        return _frame(self.bar_records(), ["target", "parameter"])

    @property
    def rank_correlations(self) -> Any:
        """A DataFrame indexed by (target, input) with rho."""
        return _frame(self.rank_correlation_records(), ["target", "input"])

    @property
    def parameters(self) -> Any:
        """A DataFrame indexed by parameter id: input, parameter, role, base, low, high."""
        return _frame(list(self.data["parameters"]), "id")


class SobolIndices(_Analysis):
    """Variance-based sensitivity (:func:`sobol`): ``sobol.json``."""

    def write(self, out_dir: Optional[PathLike] = None, *, top: int = 8) -> Path:
        """Writes the files of ``attain sensitivity --method sobol`` into ``out_dir`` (default
        ``out/<scenario-stem>/sobol``); ``top`` is its ``--top``: the inputs per target that
        ``sobol.md`` and the charts show. Returns the directory."""
        d, _files = self._inner.write(_opt_path(out_dir), top)
        return Path(d)

    def index_records(self) -> List[Record]:
        """One dict per target and input: first-order and total index with 95 % bootstrap intervals.
        Correlated indicators form one input (its name ends in "(correlated)")."""
        return [
            {
                "target": t["target"],
                "input": i["input"],
                "first_order": i["first_order"],
                "first_order_lo": i["first_order_ci"][0],
                "first_order_hi": i["first_order_ci"][1],
                "total": i["total"],
                "total_lo": i["total_ci"][0],
                "total_hi": i["total_ci"][1],
            }
            for t in self.data["targets"]
            for i in t["inputs"]
        ]

    @property
    def indices(self) -> Any:
        """A DataFrame indexed by (target, input) with the indices and their intervals."""
        return _frame(self.index_records(), ["target", "input"])


class Goal(_Analysis):
    """What it takes (:func:`goal`): ``goal.json``."""

    def solution_records(self) -> List[Record]:
        """One dict per target and probability solved for: the mean assumption and shift needed."""
        rows = []
        for t in self.data["targets"]:
            for s in t["solutions"]:
                a = s.get("achieved")
                rows.append(
                    {
                        "target": t["id"],
                        "p": s["p"],
                        "input": t.get("input"),
                        "parameter": t.get("parameter"),
                        "assumed_mean": t.get("assumed_mean"),
                        "mean": s.get("mean"),
                        "shift": s.get("shift"),
                        "achieved": None if a is None else a["p"],
                        "evaluations": s.get("evaluations"),
                        "note": s.get("note"),
                    }
                )
        return rows

    def achievable_records(self) -> List[Record]:
        """The level reachable with each confidence, per target."""
        return [
            {"target": t["id"], "confidence": a["confidence"], "level": a.get("level")}
            for t in self.data["targets"]
            for a in t["achievable"]
        ]

    def curve_records(self) -> List[Record]:
        """The attainment curve: P(met) per target level."""
        return [
            {"target": t["id"], "level": c["level"], "p_met": c["p_met"]}
            for t in self.data["targets"]
            for c in t["curve"]
        ]

    @property
    def solutions(self) -> Any:
        """A DataFrame indexed by (target, p)."""
        return _frame(self.solution_records(), ["target", "p"])

    @property
    def achievable(self) -> Any:
        """A DataFrame indexed by (target, confidence) with level."""
        return _frame(self.achievable_records(), ["target", "confidence"])

    @property
    def curve(self) -> Any:
        """A long DataFrame with columns target, level, p_met."""
        return _frame(self.curve_records(), columns=["target", "level", "p_met"])


class Backtest(_Analysis):
    """P(met) scored against realised values (:func:`backtest`): ``backtest.json``, and the run's
    :class:`Results`. ``write()`` writes the files of ``attain backtest``: the run's and the
    backtest's (default directory ``out/<scenario-stem>/backtest``)."""

    def __init__(self, results: Results, inner: "_attain.Analysis") -> None:
        super().__init__(inner)
        #: The run that was scored.
        self.results = results

    @property
    def targets(self) -> Any:
        """A DataFrame indexed by target id: p_met, actual, met, brier, log_loss, plan_implied, …"""
        return _frame(list(self.data["targets"]), "id")

    @property
    def scores(self) -> Any:
        """A DataFrame indexed by forecaster: mean Brier score and log loss (attain and references)."""
        return _frame(list(self.data["scores"]), "forecaster")

    @property
    def reliability(self) -> Any:
        """The reliability diagram's bins as a DataFrame."""
        return _frame(list(self.data["reliability"]))


class Nowcast(_Analysis):
    """P(met) of every simulated target by as-of year (:func:`nowcast`): ``nowcast.json``;
    ``write()`` writes the files of ``attain nowcast`` (default directory
    ``out/<scenario-stem>/nowcast``)."""

    @property
    def years(self) -> List[int]:
        """The as-of years, ascending."""
        return list(self.data["years"])

    def target_records(self) -> List[Record]:
        """One dict per simulated target and as-of year: P(met) as known at the end of that year,
        with the target's realised value and whether it met the target, where the plan records
        them."""
        rows = []
        for t in self.data["targets"]:
            for y, p in zip(self.data["years"], t["p_met"]):
                rows.append(
                    {
                        "target": t["id"],
                        "as_of": y,
                        "indicator": t["indicator"],
                        "attribute": t["attribute"],
                        "year": t["year"],
                        **_prob(p),
                        "actual": t.get("actual"),
                        "met": t.get("met"),
                    }
                )
        return rows

    @property
    def targets(self) -> Any:
        """A DataFrame indexed by (target, as_of): p, lo, hi, mcse, hits, runs, actual, met."""
        return _frame(self.target_records(), ["target", "as_of"])

    @property
    def p_met(self) -> Any:
        """P(met) as a wide DataFrame: one row per target, one column per as-of year."""
        return self.targets["p"].unstack("as_of")


def _path_or_scenario(s: ScenarioLike) -> Union[str, Scenario]:
    return s if isinstance(s, Scenario) else os.fspath(s)


def _opt_path(p: Optional[PathLike]) -> Optional[str]:
    return None if p is None else os.fspath(p)


def run(
    scenario: ScenarioLike,
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    sampling: Optional[str] = None,
    calibration: Optional[PathLike] = None,
    as_of: Optional[int] = None,
) -> Results:
    """Simulates a scenario, as ``attain run`` does.

    ``scenario`` is a path (a scenario file, or a plan file, run as its ``attain init`` draft) or a
    :class:`Scenario`. ``runs`` and ``seed`` override the scenario's; ``threads`` (default: all
    cores) does not change the results; ``sampling`` is ``"mc"`` (default), ``"lhs"`` or
    ``"sobol"``; ``calibration`` takes steering from a ``calibration.toml``; ``as_of`` ignores
    observations after that year. The GIL is released while simulating; Ctrl-C raises
    ``KeyboardInterrupt`` within a chunk's time.
    """
    inner = _attain.run(
        _path_or_scenario(scenario),
        runs=runs,
        seed=seed,
        threads=threads,
        sampling=sampling,
        calibration=_opt_path(calibration),
        as_of=as_of,
    )
    return Results(inner)


def compare(
    scenarios: Sequence[ScenarioLike],
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[PathLike] = None,
) -> Comparison:
    """Compares scenarios of one plan, as ``attain compare``: every scenario runs with the first's
    runs and seed (common random numbers) unless ``runs``/``seed`` are given; changes are paired
    differences from the first scenario."""
    inner = _attain.compare(
        [_path_or_scenario(s) for s in scenarios],
        runs=runs,
        seed=seed,
        threads=threads,
        calibration=_opt_path(calibration),
    )
    return Comparison(inner)


def sensitivity(
    scenario: ScenarioLike,
    *,
    swing: float = 0.25,
    targets: Optional[Sequence[str]] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[PathLike] = None,
) -> Sensitivity:
    """One-at-a-time sensitivity, as ``attain sensitivity`` (method ``oat``): each uncertain
    parameter moved down and up by ``swing``, and rank correlations. ``runs`` defaults to 20 000
    (or the scenario's, if fewer)."""
    inner = _attain.sensitivity(
        _path_or_scenario(scenario),
        swing=swing,
        targets=None if targets is None else list(targets),
        runs=runs,
        seed=seed,
        threads=threads,
        calibration=_opt_path(calibration),
    )
    return Sensitivity(inner)


def sobol(
    scenario: ScenarioLike,
    *,
    targets: Optional[Sequence[str]] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[PathLike] = None,
) -> SobolIndices:
    """First-order and total Sobol indices of each target's met indicator, as ``attain
    sensitivity --method sobol`` (Saltelli design, Jansen estimators, 200 chunk-bootstrap
    resamples). ``runs`` is the runs per design (default 20 000, or the scenario's if fewer); use
    at least ~50 000 for tight intervals."""
    inner = _attain.sobol(
        _path_or_scenario(scenario),
        targets=None if targets is None else list(targets),
        runs=runs,
        seed=seed,
        threads=threads,
        calibration=_opt_path(calibration),
    )
    return SobolIndices(inner)


def goal(
    scenario: ScenarioLike,
    targets: Sequence[str],
    *,
    input: Optional[str] = None,  # noqa: A002 - the CLI's --input
    p: Sequence[float] = (0.5, 0.9),
    confidence: Sequence[float] = (0.5, 0.8, 0.9),
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[PathLike] = None,
) -> Goal:
    """What it takes, as ``attain goal``: the mean assumption at which each target is met with
    probability ``p``, the levels reachable with each ``confidence``, and the attainment curve.
    ``runs`` defaults to 20 000 (or the scenario's, if fewer)."""
    if isinstance(targets, str):
        targets = [targets]
    inner = _attain.goal(
        _path_or_scenario(scenario),
        list(targets),
        input=input,
        p=[float(x) for x in p],
        confidence=[float(x) for x in confidence],
        runs=runs,
        seed=seed,
        threads=threads,
        calibration=_opt_path(calibration),
    )
    return Goal(inner)


def backtest(
    scenario: ScenarioLike,
    *,
    bins: int = 5,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    as_of: Optional[int] = None,
    calibration: Optional[PathLike] = None,
) -> Backtest:
    """Scores P(met) against the plan's realised (``actual``) values, as ``attain backtest``."""
    run_inner, inner = _attain.backtest(
        _path_or_scenario(scenario),
        bins=bins,
        runs=runs,
        seed=seed,
        threads=threads,
        as_of=as_of,
        calibration=_opt_path(calibration),
    )
    return Backtest(Results(run_inner), inner)


def nowcast(
    scenario: ScenarioLike,
    *,
    from_year: Optional[int] = None,
    to_year: Optional[int] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[PathLike] = None,
) -> Nowcast:
    """How the odds of each target looked as data arrived, as ``attain nowcast``: one run per
    as-of year from ``from_year`` (its ``--from``, default the plan's base year) to ``to_year``
    (``--to``, default the last year the scenario observes), each ignoring the observations after
    that year, all with the same runs and seed (common random numbers)."""
    inner = _attain.nowcast(
        _path_or_scenario(scenario),
        from_year=from_year,
        to_year=to_year,
        runs=runs,
        seed=seed,
        threads=threads,
        calibration=_opt_path(calibration),
    )
    return Nowcast(inner)
