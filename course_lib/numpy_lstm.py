"""A plain NumPy LSTM (Hochreiter and Schmidhuber, 1997), forward and backward.

Same layout as ``torch.nn.LSTM``: the four gates are stacked in the order
i, f, g, o, so ``W_ih`` has shape ``(4H, H_in)`` and ``W_ih[:H]`` is the input
gate's block::

    i_t = sigmoid(x_t W_ii^T + b_ii + h_{t-1} W_hi^T + b_hi)    input gate
    f_t = sigmoid(x_t W_if^T + b_if + h_{t-1} W_hf^T + b_hf)    forget gate
    g_t = tanh   (x_t W_ig^T + b_ig + h_{t-1} W_hg^T + b_hg)    candidate cell
    o_t = sigmoid(x_t W_io^T + b_io + h_{t-1} W_ho^T + b_ho)    output gate
    c_t = f_t * c_{t-1} + i_t * g_t
    h_t = o_t * tanh(c_t)

    x: (L, N, H_in)   h0, c0: (N, H)   h_seq: (L, N, H)

Keras' ``LSTM`` uses the same gate order (it calls g the "c" gate) with the
weights transposed and one bias; see :mod:`course_lib.convert`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._checks import check_like, check_params, check_sequence, check_state, result_dtype

__all__ = ["sigmoid", "lstm_cell_forward", "lstm_forward", "lstm_backward"]


def sigmoid(a):
    """Numerically stable logistic function ``1 / (1 + exp(-a))``."""
    a = np.asarray(a)
    out = np.empty_like(a, dtype=np.result_type(a, np.float32))
    pos = a >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-a[pos]))
    e = np.exp(a[~pos])
    out[~pos] = e / (1.0 + e)
    return out


def _gates(a: np.ndarray, H: int):
    i = sigmoid(a[..., 0 * H : 1 * H])
    f = sigmoid(a[..., 1 * H : 2 * H])
    g = np.tanh(a[..., 2 * H : 3 * H])
    o = sigmoid(a[..., 3 * H : 4 * H])
    return i, f, g, o


def lstm_cell_forward(x_t, h_prev, c_prev, params: Mapping):
    """One LSTM step; returns ``(h_t, c_t)``, each of shape ``(N, H)``."""
    x_seq = np.asarray(x_t)[None]
    h_seq, (h, c), _ = lstm_forward(x_seq, h_prev, c_prev, params)
    return h, c


def lstm_forward(x, h0, c0, params: Mapping):
    """Run the LSTM over a sequence.

    Args:
        x: inputs ``(L, N, H_in)``.
        h0: initial hidden state ``(N, H)``.
        c0: initial cell state ``(N, H)``.
        params: ``W_ih (4H, H_in)``, ``W_hh (4H, H)``, ``b_ih (4H,)``, ``b_hh (4H,)``,
            gates stacked i, f, g, o.

    Returns:
        ``(h_seq, (h_last, c_last), cache)``, as ``torch.nn.LSTM`` returns
        ``output, (h_n, c_n)`` for one layer.
    """
    H_in, H = check_params(params, 4, "LSTM")
    x = check_sequence(x, H_in, "W_ih", np.shape(params["W_ih"]))
    L, N, _ = x.shape
    h0 = check_state(h0, N, H, "h0")
    c0 = check_state(c0, N, H, "c0")
    dtype = result_dtype(x, h0, c0, *params.values())
    W_ih, W_hh = np.asarray(params["W_ih"], dtype), np.asarray(params["W_hh"], dtype)
    b = np.asarray(params["b_ih"], dtype) + np.asarray(params["b_hh"], dtype)
    x = x.astype(dtype)
    xw = x @ W_ih.T + b

    h_seq = np.empty((L, N, H), dtype)
    c_seq = np.empty((L, N, H), dtype)
    gates = np.empty((L, 4, N, H), dtype)
    h, c = h0.astype(dtype), c0.astype(dtype)
    for t in range(L):
        i, f, g, o = _gates(xw[t] + h @ W_hh.T, H)
        c = f * c + i * g
        h = o * np.tanh(c)
        h_seq[t], c_seq[t] = h, c
        gates[t] = (i, f, g, o)
    cache = {
        "x": x,
        "h0": h0.astype(dtype),
        "c0": c0.astype(dtype),
        "h_seq": h_seq,
        "c_seq": c_seq,
        "gates": gates,
        "W_ih": W_ih,
        "W_hh": W_hh,
    }
    return h_seq, (h, c), cache


def lstm_backward(dh_seq, cache: Mapping, dh_last=None, dc_last=None) -> dict:
    """Backpropagation through time for :func:`lstm_forward`.

    The cell state is the LSTM's "conveyor belt": its gradient passes from
    ``c_t`` to ``c_{t-1}`` multiplied only by the forget gate ``f_t``
    (``dc_{t-1} = dc_t * f_t``), with no squashing non-linearity in between.
    That is why gradients survive over more steps than in a plain RNN.

    Args:
        dh_seq: gradient with respect to every hidden state, ``(L, N, H)``.
        cache: the third value returned by :func:`lstm_forward`.
        dh_last, dc_last: extra gradients on ``h_last`` and ``c_last``,
            ``(N, H)`` each. Default: ``None``.

    Returns:
        dict with ``dx``, ``dh0``, ``dc0``, ``dW_ih``, ``dW_hh``, ``db_ih``, ``db_hh``.
    """
    x, h0, c0 = cache["x"], cache["h0"], cache["c0"]
    h_seq, c_seq, gates = cache["h_seq"], cache["c_seq"], cache["gates"]
    W_ih, W_hh = cache["W_ih"], cache["W_hh"]
    L, N, H = h_seq.shape
    dh_seq = check_like(dh_seq, (L, N, H), "dh_seq")
    dh_next = np.zeros((N, H), h_seq.dtype)
    dc_next = np.zeros((N, H), h_seq.dtype)
    if dh_last is not None:
        dh_next = dh_next + check_like(dh_last, (N, H), "dh_last")
    if dc_last is not None:
        dc_next = dc_next + check_like(dc_last, (N, H), "dc_last")

    dx = np.empty_like(x)
    dW_ih, dW_hh = np.zeros_like(W_ih), np.zeros_like(W_hh)
    db = np.zeros(4 * H, h_seq.dtype)
    for t in range(L - 1, -1, -1):
        i, f, g, o = gates[t]
        c_t = c_seq[t]
        c_prev = c_seq[t - 1] if t > 0 else c0
        h_prev = h_seq[t - 1] if t > 0 else h0
        tanh_c = np.tanh(c_t)
        dh = dh_seq[t] + dh_next
        dc = dc_next + dh * o * (1.0 - tanh_c**2)
        da = np.concatenate(
            [
                dc * g * i * (1.0 - i),  # input gate, through sigmoid
                dc * c_prev * f * (1.0 - f),  # forget gate
                dc * i * (1.0 - g**2),  # candidate, through tanh
                dh * tanh_c * o * (1.0 - o),  # output gate
            ],
            axis=1,
        )
        dW_ih += da.T @ x[t]
        dW_hh += da.T @ h_prev
        db += da.sum(axis=0)
        dx[t] = da @ W_ih
        dh_next = da @ W_hh
        dc_next = dc * f
    return {"dx": dx, "dh0": dh_next, "dc0": dc_next, "dW_ih": dW_ih, "dW_hh": dW_hh, "db_ih": db, "db_hh": db.copy()}
