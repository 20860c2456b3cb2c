"""Run mode, seeds and hardware facts shared by every chapter.

**Smoke mode.** Set ``RNN_COURSE_SMOKE=1`` and the chapters run the same code on
less data and fewer epochs, so that CI can execute every notebook in minutes.
Smoke mode changes *how much* is computed, never *what*: every size a chapter
uses goes through :func:`budget`, which is the only place that reads the switch.
The committed notebooks and ``book/results/*.json`` come from full runs; a test
fails when either holds a smoke run.
"""

from __future__ import annotations

import os
import platform
import random
import time
from pathlib import Path

import numpy as np

__all__ = ["SMOKE_ENV", "is_smoke", "budget", "hardware", "run_banner", "Timer", "set_numpy_seed"]

SMOKE_ENV = "RNN_COURSE_SMOKE"


def is_smoke() -> bool:
    """True when ``RNN_COURSE_SMOKE`` is set to ``1``, ``true`` or ``yes``."""
    value = os.environ.get(SMOKE_ENV, "").strip().lower()
    if value in ("", "0", "false", "no"):
        return False
    if value in ("1", "true", "yes"):
        return True
    raise ValueError(f"{SMOKE_ENV} must be 1/true/yes or 0/false/no (or unset); got {value!r}")


def budget(full, smoke):
    """Return ``full`` normally and ``smoke`` in smoke mode.

    Use it for sizes only (epochs, steps, number of examples), never to switch
    code paths: ``epochs = budget(full=20, smoke=1)``.
    """
    return smoke if is_smoke() else full


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def hardware() -> str:
    """A one-line description of the machine: CPU model and cores, and the GPU if torch sees one.

    torch is only consulted when it is already imported, so that a NumPy-only
    chapter does not pay for importing it.
    """
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    text = f"{_cpu_name()}, {cores} cores"
    import sys

    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        text += f", GPU {torch.cuda.get_device_name(0)}"
    else:
        text += ", no GPU"
    return text


def run_banner(seed: int) -> str:
    """Print and return the line that opens every chapter that computes something.

    The committed notebooks must show ``Run mode: full``; the notebook tests look
    for this line.
    """
    mode = "smoke (reduced data and epochs)" if is_smoke() else "full"
    line = f"Run mode: {mode} | seed {seed} | {hardware()} | Python {platform.python_version()}"
    print(line)
    return line


def set_numpy_seed(seed: int) -> np.random.Generator:
    """Seed Python's and NumPy's global generators and return a fresh ``Generator``."""
    random.seed(seed)
    np.random.seed(seed)
    return np.random.default_rng(seed)


class Timer:
    """Context manager that measures wall-clock seconds: ``with Timer() as t: ...; t.seconds``."""

    def __enter__(self):
        self._start = time.perf_counter()
        self.seconds = float("nan")
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._start
        return False
