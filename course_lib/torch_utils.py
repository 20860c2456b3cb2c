"""PyTorch helpers: one device choice, one seeding function.

``get_device()`` is the only place in the course that picks a device; no code
writes ``"cuda:0"``. Set ``RNN_COURSE_DEVICE`` (``cpu``, ``cuda``, ``cuda:1``,
``mps``) to override the choice.
"""

from __future__ import annotations

import os
import random

import numpy as np
import torch

__all__ = ["DEVICE_ENV", "get_device", "device_report", "set_seed"]

DEVICE_ENV = "RNN_COURSE_DEVICE"


def get_device(prefer: str | None = None) -> torch.device:
    """The device to compute on: ``$RNN_COURSE_DEVICE``, else CUDA, else Apple MPS, else CPU.

    Args:
        prefer: a device string that overrides both. Default: ``None``.

    Raises:
        ValueError: the requested device does not exist on this machine.
    """
    wanted = prefer or os.environ.get(DEVICE_ENV)
    if wanted:
        try:
            device = torch.device(wanted)
        except RuntimeError as err:
            raise ValueError(f"{DEVICE_ENV}={wanted!r} is not a device name (cpu, cuda, cuda:N, mps): {err}") from err
        if device.type == "cuda" and not torch.cuda.is_available():
            raise ValueError(f"device {wanted!r} was requested but CUDA is not available on this machine")
        if device.type == "cuda" and device.index is not None and device.index >= torch.cuda.device_count():
            raise ValueError(f"device {wanted!r} was requested but only {torch.cuda.device_count()} GPU(s) exist")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise ValueError(f"device {wanted!r} was requested but Apple MPS is not available on this machine")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def device_report(device: torch.device | None = None) -> str:
    """One line: PyTorch version, the chosen device and what it is."""
    device = device or get_device()
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        what = f"{torch.cuda.get_device_name(index)}, CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}"
    elif device.type == "mps":
        what = "Apple Metal (MPS)"
    else:
        what = f"{torch.get_num_threads()} CPU threads"
    return f"PyTorch {torch.__version__}; computing on {device} ({what})"


def set_seed(seed: int, deterministic: bool = True) -> None:
    """Seed Python, NumPy and torch (CPU and every GPU); optionally make cuDNN deterministic.

    With ``deterministic=True``, ``torch.backends.cudnn.deterministic`` is set
    and ``cudnn.benchmark`` cleared (a widely copied set-up cell misspells the
    first as ``cudnn.determinstic``, which silently creates a new attribute and
    changes nothing). Determinism costs some GPU speed; it has no effect on CPU.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    torch.cuda.manual_seed_all(seed)
    torch.backends.cudnn.deterministic = deterministic
    torch.backends.cudnn.benchmark = not deterministic
