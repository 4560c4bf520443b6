"""Type stubs of attain._attain, the compiled extension (PyO3). Use the ``attain`` package: it wraps
these in typed results with DataFrame and dict accessors."""

import os
from typing import Any, List, Optional, Sequence, Tuple, Union

_Path = Union[str, "os.PathLike[str]"]
_ScenarioLike = Union[_Path, "Scenario"]

class AttainError(Exception):
    """An error reported by attain; its message is the command line's."""

    exit_code: int
    file: Optional[str]
    line: Optional[int]
    column: Optional[int]
    help: Optional[str]
    summary: Optional[str]

class InputError(AttainError):
    """A problem with the input (scenario, plan or argument): the command line's exit code 2."""

class Scenario:
    """A scenario loaded and validated from a file, possibly changed in memory."""

    @staticmethod
    def load(path: _Path, *, as_of: Optional[int] = None, calibration: Optional[_Path] = None) -> "Scenario":
        """Loads and validates a scenario file (or a plan file, as its ``attain init`` draft)."""
    def with_process(self, indicator: str, **fields: Any) -> "Scenario":
        """A copy with keys of ``[process.<indicator>]`` replaced (None removes a key)."""
    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def in_memory(self) -> bool: ...
    @property
    def name(self) -> str: ...
    @property
    def stem(self) -> str: ...
    @property
    def plan(self) -> str: ...
    @property
    def runs(self) -> int: ...
    @property
    def seed(self) -> int: ...
    @property
    def processes(self) -> List[str]: ...
    @property
    def warnings(self) -> List[str]: ...

class Results:
    """The results of a run (wrapped by ``attain.Results``)."""

    def to_json(self) -> str: ...
    def targets_csv(self) -> str: ...
    def fan_csv(self) -> str: ...
    def table(self) -> str: ...
    def markdown(self) -> str: ...
    def write(self, out_dir: Optional[_Path] = None) -> Tuple[str, List[str]]: ...
    @property
    def runs(self) -> int: ...
    @property
    def seed(self) -> int: ...

class Analysis:
    """An analysis's result (wrapped by ``attain.Comparison``, ``attain.Goal``, …)."""

    def to_json(self) -> str: ...
    def write(self, out_dir: Optional[_Path] = None, top: int = 8) -> Tuple[str, List[str]]: ...

def run(
    scenario: _ScenarioLike,
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    sampling: Optional[str] = None,
    calibration: Optional[_Path] = None,
    as_of: Optional[int] = None,
) -> Results: ...
def compare(
    scenarios: Sequence[_ScenarioLike],
    *,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[_Path] = None,
) -> Analysis: ...
def sensitivity(
    scenario: _ScenarioLike,
    *,
    swing: float = 0.25,
    targets: Optional[Sequence[str]] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[_Path] = None,
) -> Analysis: ...
def sobol(
    scenario: _ScenarioLike,
    *,
    targets: Optional[Sequence[str]] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[_Path] = None,
) -> Analysis: ...
def goal(
    scenario: _ScenarioLike,
    targets: Sequence[str],
    *,
    input: Optional[str] = None,
    p: Sequence[float] = ...,
    confidence: Sequence[float] = ...,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[_Path] = None,
) -> Analysis: ...
def backtest(
    scenario: _ScenarioLike,
    *,
    bins: int = 5,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    as_of: Optional[int] = None,
    calibration: Optional[_Path] = None,
) -> Tuple[Results, Analysis]: ...
def nowcast(
    scenario: _ScenarioLike,
    *,
    from_year: Optional[int] = None,
    to_year: Optional[int] = None,
    runs: Optional[int] = None,
    seed: Optional[int] = None,
    threads: Optional[int] = None,
    calibration: Optional[_Path] = None,
) -> Analysis: ...
def version() -> str: ...
