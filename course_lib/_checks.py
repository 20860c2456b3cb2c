"""Shape and type checks shared by the NumPy reference modules.

Every public function of :mod:`course_lib.numpy_rnn`, :mod:`course_lib.numpy_lstm`
and :mod:`course_lib.numpy_gru` validates its inputs here, so that a wrong shape
fails at the call with a message naming what was expected and what came, instead
of deep inside a matrix product.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

PARAM_NAMES = ("W_ih", "W_hh", "b_ih", "b_hh")


def as_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a floating-point array, or raise ``TypeError``."""
    arr = np.asarray(value)
    if arr.dtype == object or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a numeric array; got dtype {arr.dtype}")
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float64)
    return arr


def check_params(params: Mapping, gates: int, kind: str) -> tuple[int, int]:
    """Validate a parameter dict and return ``(H_in, H)``.

    Args:
        params: dict with ``W_ih (gates*H, H_in)``, ``W_hh (gates*H, H)``,
            ``b_ih (gates*H,)`` and ``b_hh (gates*H,)``.
        gates: number of stacked gates (1 for the RNN, 4 for the LSTM, 3 for the GRU).
        kind: the model name, used in messages.
    """
    if not isinstance(params, Mapping):
        raise TypeError(f"params must be a dict with keys {PARAM_NAMES}; got {type(params).__name__}")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"{kind} params are missing {missing}; expected keys {PARAM_NAMES}")
    W_ih = np.shape(params["W_ih"])
    if len(W_ih) != 2:
        raise ValueError(f"{kind} W_ih must be 2-D of shape ({gates}*H, H_in); got {W_ih}")
    if W_ih[0] % gates:
        raise ValueError(f"{kind} W_ih must have {gates}*H rows (gates stacked); got shape {W_ih}")
    H = W_ih[0] // gates
    H_in = W_ih[1]
    expected = {
        "W_hh": (gates * H, H),
        "b_ih": (gates * H,),
        "b_hh": (gates * H,),
    }
    for key, shape in expected.items():
        got = np.shape(params[key])
        if got != shape:
            raise ValueError(f"{kind} {key} must have shape {shape} to match W_ih {W_ih}; got {got}")
    return H_in, H


def check_sequence(x, H_in: int, W_name: str = "W_ih", W_shape=None) -> np.ndarray:
    """Validate an input sequence of shape ``(L, N, H_in)``."""
    x = as_array(x, "x")
    if x.ndim != 3 or x.shape[2] != H_in or x.shape[0] == 0 or x.shape[1] == 0:
        w = f" to match {W_name} {W_shape}" if W_shape is not None else ""
        raise ValueError(f"x must have shape (L, N, {H_in}) with L, N >= 1{w}; got {x.shape}")
    return x


def check_state(h, N: int, H: int, name: str = "h0") -> np.ndarray:
    """Validate a state of shape ``(N, H)``."""
    h = as_array(h, name)
    if h.shape != (N, H):
        raise ValueError(f"{name} must have shape ({N}, {H}) (batch N, hidden H); got {h.shape}")
    return h


def check_like(arr, shape: tuple, name: str) -> np.ndarray:
    """Validate that an upstream gradient has exactly ``shape``."""
    arr = as_array(arr, name)
    if arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}; got {arr.shape}")
    return arr


def result_dtype(*arrays) -> np.dtype:
    """The floating dtype the computation runs in (float64 if any input is)."""
    return np.result_type(*[np.asarray(a).dtype for a in arrays], np.float32)
