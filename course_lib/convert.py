"""Copy weights between the NumPy reference, ``torch.nn`` and Keras layers.

The NumPy reference uses PyTorch's names and layout (see :mod:`course_lib.numpy_rnn`).
What differs in Keras 3:

==============  ===========================  =============================================
                PyTorch / course_lib         Keras
==============  ===========================  =============================================
input weights   ``W_ih (G*H, H_in)``         ``kernel (H_in, G*H)`` = ``W_ih.T``
state weights   ``W_hh (G*H, H)``            ``recurrent_kernel (H, G*H)`` = ``W_hh.T``
biases          ``b_ih``, ``b_hh`` (G*H,)    one ``bias`` (G*H,); GRU with ``reset_after``:
                                             ``bias (2, 3H)`` = [input bias, recurrent bias]
LSTM gates      i, f, g, o                   i, f, c, o (same order)
GRU gates       r, z, n                      z, r, h (z and r swapped)
==============  ===========================  =============================================

A single Keras bias is mapped to ``b_ih`` with ``b_hh = 0``; going back, the two
PyTorch biases are added. Only the sum ever enters the RNN and LSTM equations,
so nothing is lost (except for the GRU's ``b_hn``, which Keras keeps separately).
"""

from __future__ import annotations

import numpy as np

from ._checks import check_params

__all__ = ["params_from_torch", "params_to_torch", "params_from_keras", "params_to_keras"]

_TORCH_GATES = {"RNN": 1, "LSTM": 4, "GRU": 3}
_KERAS_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def _torch_kind(module) -> str:
    kind = type(module).__name__
    if kind not in _TORCH_GATES:
        raise TypeError(f"expected a torch.nn.RNN, LSTM or GRU; got {kind}")
    if module.num_layers != 1 or module.bidirectional:
        raise ValueError(
            f"only one-layer, one-direction modules convert; got num_layers={module.num_layers}, "
            f"bidirectional={module.bidirectional}"
        )
    if getattr(module, "proj_size", 0):
        raise ValueError(f"LSTM with proj_size={module.proj_size} has no NumPy counterpart")
    return kind


def params_from_torch(module) -> dict:
    """NumPy parameters (float64 copies) of a one-layer ``nn.RNN``/``nn.LSTM``/``nn.GRU``.

    A module built with ``bias=False`` gives zero biases. For ``nn.RNN`` with
    ``nonlinearity="relu"``, pass ``nonlinearity="relu"`` to
    :func:`course_lib.numpy_rnn.rnn_forward` as well.
    """
    _torch_kind(module)
    W_ih = module.weight_ih_l0.detach().cpu().double().numpy().copy()
    W_hh = module.weight_hh_l0.detach().cpu().double().numpy().copy()
    if module.bias:
        b_ih = module.bias_ih_l0.detach().cpu().double().numpy().copy()
        b_hh = module.bias_hh_l0.detach().cpu().double().numpy().copy()
    else:
        b_ih = np.zeros(W_ih.shape[0])
        b_hh = np.zeros(W_ih.shape[0])
    return {"W_ih": W_ih, "W_hh": W_hh, "b_ih": b_ih, "b_hh": b_hh}


def params_to_torch(params: dict, module) -> None:
    """Copy NumPy parameters into a one-layer torch module, in place."""
    import torch

    kind = _torch_kind(module)
    H_in, H = check_params(params, _TORCH_GATES[kind], kind)
    if (H_in, H) != (module.input_size, module.hidden_size):
        raise ValueError(
            f"params are for input_size={H_in}, hidden_size={H}; the module has "
            f"input_size={module.input_size}, hidden_size={module.hidden_size}"
        )
    with torch.no_grad():
        for name in ("W_ih", "W_hh", "b_ih", "b_hh"):
            torch_name = {"W_ih": "weight_ih_l0", "W_hh": "weight_hh_l0", "b_ih": "bias_ih_l0", "b_hh": "bias_hh_l0"}[
                name
            ]
            target = getattr(module, torch_name, None)
            if target is None:
                if np.any(params[name]):
                    raise ValueError(f"the module has bias=False but params[{name!r}] is not zero")
                continue
            target.copy_(torch.as_tensor(np.asarray(params[name]), dtype=target.dtype))


def _keras_kind(layer) -> str:
    kind = type(layer).__name__
    if kind not in _KERAS_GATES:
        raise TypeError(f"expected a Keras SimpleRNN, LSTM or GRU layer; got {kind}")
    if not layer.built:
        raise ValueError(f"the Keras {kind} layer has no weights yet: call it on an input or build() it first")
    if kind == "GRU" and not layer.reset_after:
        raise ValueError(
            "GRU(reset_after=False) applies the reset gate before the matrix product; "
            "torch.nn.GRU and course_lib.numpy_gru apply it after (reset_after=True, the Keras default)"
        )
    return kind


def _gru_keras_to_torch_order(a: np.ndarray, H: int) -> np.ndarray:
    """Reorder the last axis from Keras' (z, r, h) to PyTorch's (r, z, n). Its own inverse."""
    return np.concatenate([a[..., H : 2 * H], a[..., :H], a[..., 2 * H :]], axis=-1)


def params_from_keras(layer) -> dict:
    """NumPy parameters (float64) of a built Keras ``SimpleRNN``/``LSTM``/``GRU``."""
    kind = _keras_kind(layer)
    cell = getattr(layer, "cell", layer)
    kernel = np.asarray(cell.kernel.numpy(), dtype=np.float64)
    recurrent = np.asarray(cell.recurrent_kernel.numpy(), dtype=np.float64)
    G = kernel.shape[1]
    H = G // _KERAS_GATES[kind]
    if cell.use_bias:
        bias = np.asarray(cell.bias.numpy(), dtype=np.float64)
    else:
        bias = np.zeros((2, G) if kind == "GRU" else (G,))
    if kind == "GRU":
        kernel = _gru_keras_to_torch_order(kernel, H)
        recurrent = _gru_keras_to_torch_order(recurrent, H)
        b_ih, b_hh = _gru_keras_to_torch_order(bias[0], H), _gru_keras_to_torch_order(bias[1], H)
    else:
        b_ih, b_hh = bias, np.zeros_like(bias)
    return {"W_ih": kernel.T.copy(), "W_hh": recurrent.T.copy(), "b_ih": b_ih, "b_hh": b_hh}


def params_to_keras(params: dict, layer) -> None:
    """Copy NumPy parameters into a built Keras ``SimpleRNN``/``LSTM``/``GRU``, in place."""
    kind = _keras_kind(layer)
    cell = getattr(layer, "cell", layer)
    H_in, H = check_params(params, _KERAS_GATES[kind], kind)
    if cell.kernel.shape != (H_in, _KERAS_GATES[kind] * H):
        raise ValueError(
            f"params give a kernel of shape {(H_in, _KERAS_GATES[kind] * H)}; the layer's is {tuple(cell.kernel.shape)}"
        )
    kernel, recurrent = np.asarray(params["W_ih"]).T, np.asarray(params["W_hh"]).T
    b_ih, b_hh = np.asarray(params["b_ih"]), np.asarray(params["b_hh"])
    if kind == "GRU":
        kernel = _gru_keras_to_torch_order(kernel, H)
        recurrent = _gru_keras_to_torch_order(recurrent, H)
        bias = np.stack([_gru_keras_to_torch_order(b_ih, H), _gru_keras_to_torch_order(b_hh, H)])
    else:
        bias = b_ih + b_hh
    cell.kernel.assign(kernel.astype(cell.kernel.dtype))
    cell.recurrent_kernel.assign(recurrent.astype(cell.recurrent_kernel.dtype))
    if cell.use_bias:
        cell.bias.assign(bias.astype(cell.bias.dtype))
    elif np.any(bias):
        raise ValueError("the layer has use_bias=False but the params hold non-zero biases")
