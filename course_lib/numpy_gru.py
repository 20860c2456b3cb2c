"""A plain NumPy GRU (Cho et al., 2014), forward and backward.

Same layout and equations as ``torch.nn.GRU``: gates stacked r, z, n, so
``W_ih`` has shape ``(3H, H_in)``::

    r_t = sigmoid(x_t W_ir^T + b_ir + h_{t-1} W_hr^T + b_hr)         reset gate
    z_t = sigmoid(x_t W_iz^T + b_iz + h_{t-1} W_hz^T + b_hz)         update gate
    n_t = tanh(x_t W_in^T + b_in + r_t * (h_{t-1} W_hn^T + b_hn))    candidate
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

    x: (L, N, H_in)   h0: (N, H)   h_seq: (L, N, H)

**What z means.** Here (as in PyTorch and Keras) ``z_t`` is the share of the
*old* state that is kept: ``z = 1`` copies ``h_{t-1}`` unchanged, ``z = 0``
replaces it by the candidate. Cho et al. (2014) and some textbooks write
``h_t = z_t * n_t + (1 - z_t) * h_{t-1}``, where z is the share of the *new*
candidate; the two are the same model with z replaced by 1 - z.

The reset gate multiplies ``h_{t-1} W_hn^T + b_hn`` *after* the matrix product.
Keras calls this ``reset_after=True`` (its default since TensorFlow 2); the
original paper applies r before the product (``reset_after=False``), which
:func:`course_lib.convert.params_from_keras` refuses rather than converting wrongly.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._checks import check_like, check_params, check_sequence, check_state, result_dtype
from .numpy_lstm import sigmoid

__all__ = ["gru_cell_forward", "gru_forward", "gru_backward"]


def gru_cell_forward(x_t, h_prev, params: Mapping) -> np.ndarray:
    """One GRU step; returns ``h_t`` of shape ``(N, H)``."""
    h_seq, _ = gru_forward(np.asarray(x_t)[None], h_prev, params)
    return h_seq[0]


def gru_forward(x, h0, params: Mapping):
    """Run the GRU over a sequence.

    Args:
        x: inputs ``(L, N, H_in)``.
        h0: initial state ``(N, H)``.
        params: ``W_ih (3H, H_in)``, ``W_hh (3H, H)``, ``b_ih (3H,)``, ``b_hh (3H,)``,
            gates stacked r, z, n.

    Returns:
        ``(h_seq, cache)`` with ``h_seq`` of shape ``(L, N, H)``.
    """
    H_in, H = check_params(params, 3, "GRU")
    x = check_sequence(x, H_in, "W_ih", np.shape(params["W_ih"]))
    L, N, _ = x.shape
    h0 = check_state(h0, N, H)
    dtype = result_dtype(x, h0, *params.values())
    W_ih, W_hh = np.asarray(params["W_ih"], dtype), np.asarray(params["W_hh"], dtype)
    b_ih, b_hh = np.asarray(params["b_ih"], dtype), np.asarray(params["b_hh"], dtype)
    x = x.astype(dtype)
    xw = x @ W_ih.T + b_ih  # (L, N, 3H)

    h_seq = np.empty((L, N, H), dtype)
    r_seq, z_seq, n_seq = (np.empty((L, N, H), dtype) for _ in range(3))
    hn_seq = np.empty((L, N, H), dtype)  # h_{t-1} W_hn^T + b_hn, needed by the backward pass
    h = h0.astype(dtype)
    for t in range(L):
        hw = h @ W_hh.T + b_hh
        r = sigmoid(xw[t, :, :H] + hw[:, :H])
        z = sigmoid(xw[t, :, H : 2 * H] + hw[:, H : 2 * H])
        n = np.tanh(xw[t, :, 2 * H :] + r * hw[:, 2 * H :])
        h = (1.0 - z) * n + z * h
        h_seq[t], r_seq[t], z_seq[t], n_seq[t], hn_seq[t] = h, r, z, n, hw[:, 2 * H :]
    cache = {
        "x": x,
        "h0": h0.astype(dtype),
        "h_seq": h_seq,
        "r": r_seq,
        "z": z_seq,
        "n": n_seq,
        "hn": hn_seq,
        "W_ih": W_ih,
        "W_hh": W_hh,
    }
    return h_seq, cache


def gru_backward(dh_seq, cache: Mapping, dh_last=None) -> dict:
    """Backpropagation through time for :func:`gru_forward`.

    Args:
        dh_seq: gradient with respect to every state, ``(L, N, H)``.
        cache: the second value returned by :func:`gru_forward`.
        dh_last: an extra gradient on the last state ``(N, H)``. Default: ``None``.

    Returns:
        dict with ``dx``, ``dh0``, ``dW_ih``, ``dW_hh``, ``db_ih``, ``db_hh``.
        Unlike the RNN and LSTM, ``db_ih`` and ``db_hh`` differ: ``b_hn`` sits
        inside the reset gate's product.
    """
    x, h0, h_seq = cache["x"], cache["h0"], cache["h_seq"]
    r_seq, z_seq, n_seq, hn_seq = cache["r"], cache["z"], cache["n"], cache["hn"]
    W_ih, W_hh = cache["W_ih"], cache["W_hh"]
    L, N, H = h_seq.shape
    dh_seq = check_like(dh_seq, (L, N, H), "dh_seq")
    dh_next = np.zeros((N, H), h_seq.dtype)
    if dh_last is not None:
        dh_next = dh_next + check_like(dh_last, (N, H), "dh_last")

    dx = np.empty_like(x)
    dW_ih, dW_hh = np.zeros_like(W_ih), np.zeros_like(W_hh)
    db_ih, db_hh = np.zeros(3 * H, h_seq.dtype), np.zeros(3 * H, h_seq.dtype)
    for t in range(L - 1, -1, -1):
        r, z, n, hn = r_seq[t], z_seq[t], n_seq[t], hn_seq[t]
        h_prev = h_seq[t - 1] if t > 0 else h0
        dh = dh_seq[t] + dh_next
        dn = dh * (1.0 - z)
        dz = dh * (h_prev - n)
        dan = dn * (1.0 - n**2)  # pre-activation of n
        dr = dan * hn
        dar = dr * r * (1.0 - r)
        daz = dz * z * (1.0 - z)
        dxw = np.concatenate([dar, daz, dan], axis=1)  # gradient of x W_ih^T + b_ih
        dhw = np.concatenate([dar, daz, dan * r], axis=1)  # gradient of h W_hh^T + b_hh
        dW_ih += dxw.T @ x[t]
        dW_hh += dhw.T @ h_prev
        db_ih += dxw.sum(axis=0)
        db_hh += dhw.sum(axis=0)
        dx[t] = dxw @ W_ih
        dh_next = dh * z + dhw @ W_hh
    return {"dx": dx, "dh0": dh_next, "dW_ih": dW_ih, "dW_hh": dW_hh, "db_ih": db_ih, "db_hh": db_hh}
