"""Ctrl-C interrupts a long run, and the GIL is released while simulating."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time

import attain
from conftest import BASELINE, REPO

CHILD = r"""
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in an interactive session
import attain
print("started", flush=True)
t = time.monotonic()
try:
    attain.run(sys.argv[1], runs=50_000_000, seed=1)
    print("finished", flush=True)
except KeyboardInterrupt:
    print(f"interrupted after {time.monotonic() - t:.2f}", flush=True)
# The cancel request was withdrawn: the next run completes.
r = attain.run(sys.argv[2], runs=4096)
print("next run", r.runs, flush=True)
"""


def test_ctrl_c_interrupts_a_long_run():
    p = subprocess.Popen(
        [sys.executable, "-c", CHILD, BASELINE, "tests/fixtures/example.toml"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert p.stdout.readline().strip() == "started"
        time.sleep(1.5)
        sent = time.monotonic()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        stopped = time.monotonic() - sent
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("interrupted after"), out
    assert lines[1] == "next run 4096"
    # 50 million runs take many minutes; the interrupt ends it within a few chunks.
    assert stopped < 20, f"took {stopped:.1f} s to stop"


def test_gil_is_released_while_simulating():
    """A Python thread keeps running while attain simulates. Held, the GIL would pause it for the
    whole run; released, its longest pause is a small part of the run. The run grows until it
    lasts at least a second (whatever the machine's speed), so nothing here times the engine."""

    def run_with_ticker(runs: int):
        ticks = []
        done = threading.Event()

        def ticker() -> None:
            while not done.is_set():
                ticks.append(time.monotonic())
                time.sleep(0.005)

        t = threading.Thread(target=ticker)
        t.start()
        start = time.monotonic()
        try:
            attain.run(BASELINE, runs=runs, seed=3)
        finally:
            elapsed = time.monotonic() - start
            done.set()
            t.join()
        during = [x for x in ticks if start <= x <= start + elapsed]
        return elapsed, during

    runs = 60_000
    elapsed, during = run_with_ticker(runs)
    while elapsed < 1.0 and runs < 8_000_000:
        runs *= 4
        elapsed, during = run_with_ticker(runs)
    assert elapsed >= 1.0, f"{runs} runs took only {elapsed:.2f} s: too short to tell"
    gaps = [b - a for a, b in zip(during, during[1:])]
    assert len(during) > 20, f"{len(during)} ticks in a {elapsed:.2f} s run"
    assert max(gaps) < elapsed / 2, f"ticker paused {max(gaps):.2f} s of a {elapsed:.2f} s run"


def test_threads_run_concurrently():
    """Several runs from Python threads at once give the same results as one at a time."""
    alone = attain.run("tests/fixtures/example.toml", runs=8192, seed=9).to_json()
    out = [None] * 3

    def work(i: int) -> None:
        out[i] = attain.run("tests/fixtures/example.toml", runs=8192, seed=9).to_json()

    ts = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert out == [alone] * 3
