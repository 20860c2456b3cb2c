"""A plain NumPy Elman RNN: forward pass, backpropagation through time, clipping.

One weight convention for the whole course, PyTorch's (``torch.nn.RNN``)::

    h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)

    x:  (L, N, H_in)     h0: (N, H)     h_seq: (L, N, H)
    W_ih: (H, H_in)      W_hh: (H, H)   b_ih, b_hh: (H,)

where L is the sequence length, N the batch size, H_in the number of input
features and H the hidden size. Keras stores the same numbers transposed
(``kernel = W_ih.T``, ``recurrent_kernel = W_hh.T``) with a single bias; see
:mod:`course_lib.convert`. The chapter *A recurrent network in NumPy* derives
every line of this module.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._checks import check_like, check_params, check_sequence, check_state, result_dtype

__all__ = [
    "init_rnn_params",
    "rnn_cell_forward",
    "rnn_forward",
    "rnn_backward",
    "global_norm",
    "clip_gradients",
]

_ACTIVATIONS = ("tanh", "relu")


def _activate(a: np.ndarray, nonlinearity: str) -> np.ndarray:
    if nonlinearity == "tanh":
        return np.tanh(a)
    if nonlinearity == "relu":
        return np.maximum(a, 0.0)
    raise ValueError(f"nonlinearity must be one of {_ACTIVATIONS}; got {nonlinearity!r}")


def _activation_grad(h: np.ndarray, nonlinearity: str) -> np.ndarray:
    """Derivative of the activation, written in terms of its output ``h``."""
    if nonlinearity == "tanh":
        return 1.0 - h * h
    return (h > 0).astype(h.dtype)


def init_rnn_params(input_size: int, hidden_size: int, rng=None, dtype=np.float64, gates: int = 1):
    """Draw parameters the way ``torch.nn.RNN`` does: U(-1/sqrt(H), 1/sqrt(H)).

    Args:
        input_size: H_in, the number of input features.
        hidden_size: H, the number of hidden units.
        rng: a ``numpy.random.Generator`` or a seed. Default: ``None`` (fresh entropy).
        dtype: floating type of the arrays. Default: ``float64``.
        gates: how many weight blocks to stack (1 RNN, 4 LSTM, 3 GRU). Default: 1.

    Returns:
        dict with ``W_ih (gates*H, H_in)``, ``W_hh (gates*H, H)``, ``b_ih``, ``b_hh``.
    """
    if input_size < 1 or hidden_size < 1:
        raise ValueError(f"input_size and hidden_size must be >= 1; got {input_size}, {hidden_size}")
    rng = np.random.default_rng(rng)
    k = 1.0 / np.sqrt(hidden_size)
    G = gates * hidden_size

    def u(*shape):
        return rng.uniform(-k, k, size=shape).astype(dtype)

    return {"W_ih": u(G, input_size), "W_hh": u(G, hidden_size), "b_ih": u(G), "b_hh": u(G)}


def rnn_cell_forward(x_t, h_prev, params: Mapping, nonlinearity: str = "tanh") -> np.ndarray:
    """One step of the Elman recurrence.

    ``h_t = tanh(x_t W_ih^T + b_ih + h_prev W_hh^T + b_hh)``

    Args:
        x_t: input at one time step, shape ``(N, H_in)``.
        h_prev: previous hidden state, shape ``(N, H)``.
        params: ``W_ih (H, H_in)``, ``W_hh (H, H)``, ``b_ih (H,)``, ``b_hh (H,)``.
        nonlinearity: ``"tanh"`` or ``"relu"`` (as in ``torch.nn.RNN``). Default: ``"tanh"``.

    Returns:
        h_t, shape ``(N, H)``.
    """
    H_in, H = check_params(params, 1, "RNN")
    x_t = np.asarray(x_t)
    if x_t.ndim != 2 or x_t.shape[1] != H_in:
        raise ValueError(f"x_t must have shape (N, {H_in}) to match W_ih {np.shape(params['W_ih'])}; got {x_t.shape}")
    h_prev = check_state(h_prev, x_t.shape[0], H, "h_prev")
    a = x_t @ params["W_ih"].T + params["b_ih"] + h_prev @ params["W_hh"].T + params["b_hh"]
    return _activate(a, nonlinearity)


def rnn_forward(x, h0, params: Mapping, nonlinearity: str = "tanh"):
    """Run the recurrence over a whole sequence.

    Equal to calling :func:`rnn_cell_forward` once per time step; the input
    projection of all steps is computed in one matrix product first, since it
    does not depend on the state.

    Args:
        x: inputs, shape ``(L, N, H_in)`` (time first, like ``torch.nn.RNN``).
        h0: initial state, shape ``(N, H)``.
        params: see :func:`rnn_cell_forward`.
        nonlinearity: ``"tanh"`` or ``"relu"``. Default: ``"tanh"``.

    Returns:
        ``(h_seq, cache)``: the states ``h_1 .. h_L`` of shape ``(L, N, H)``
        (``h_seq[-1]`` is the last state), and what :func:`rnn_backward` needs.
    """
    H_in, H = check_params(params, 1, "RNN")
    x = check_sequence(x, H_in, "W_ih", np.shape(params["W_ih"]))
    L, N, _ = x.shape
    h0 = check_state(h0, N, H)
    if nonlinearity not in _ACTIVATIONS:
        raise ValueError(f"nonlinearity must be one of {_ACTIVATIONS}; got {nonlinearity!r}")
    dtype = result_dtype(x, h0, *params.values())
    W_ih, W_hh = np.asarray(params["W_ih"], dtype), np.asarray(params["W_hh"], dtype)
    b = np.asarray(params["b_ih"], dtype) + np.asarray(params["b_hh"], dtype)

    xw = x.astype(dtype) @ W_ih.T + b  # (L, N, H): input part of every step at once
    h_seq = np.empty((L, N, H), dtype=dtype)
    h = h0.astype(dtype)
    for t in range(L):
        h = _activate(xw[t] + h @ W_hh.T, nonlinearity)
        h_seq[t] = h
    cache = {
        "x": x.astype(dtype),
        "h0": h0.astype(dtype),
        "h_seq": h_seq,
        "W_ih": W_ih,
        "W_hh": W_hh,
        "nonlinearity": nonlinearity,
    }
    return h_seq, cache


def rnn_backward(dh_seq, cache: Mapping, dh_last=None) -> dict:
    """Backpropagation through time for :func:`rnn_forward`.

    Walks the sequence backwards. At step t the gradient reaching ``h_t`` is
    the loss's own ``dh_seq[t]`` plus what flows back from step t+1; it goes
    through the activation (``1 - h_t**2`` for tanh) to the pre-activation
    ``a_t``, and from there to the weights, to ``x_t`` and to ``h_{t-1}``::

        da_t    = (dh_seq[t] + dh_next) * (1 - h_t**2)
        dW_ih  += da_t^T x_t          dW_hh += da_t^T h_{t-1}
        db_ih  += sum_n da_t          db_hh += sum_n da_t
        dx_t    = da_t W_ih           dh_next = da_t W_hh

    Args:
        dh_seq: gradient of the loss with respect to every state, ``(L, N, H)``.
            Zeros except the last row when only the last state is used.
        cache: the second value returned by :func:`rnn_forward`.
        dh_last: an extra gradient on the last state ``(N, H)``, for a loss on
            the returned final state. Default: ``None``.

    Returns:
        dict with ``dx (L, N, H_in)``, ``dh0 (N, H)``, ``dW_ih``, ``dW_hh``,
        ``db_ih``, ``db_hh`` (each shaped like its parameter).
    """
    x, h0, h_seq = cache["x"], cache["h0"], cache["h_seq"]
    W_ih, W_hh, nl = cache["W_ih"], cache["W_hh"], cache["nonlinearity"]
    L, N, H = h_seq.shape
    dh_seq = check_like(dh_seq, (L, N, H), "dh_seq")
    dh_next = np.zeros((N, H), h_seq.dtype)
    if dh_last is not None:
        dh_next = dh_next + check_like(dh_last, (N, H), "dh_last")

    dx = np.empty_like(x)
    dW_ih = np.zeros_like(W_ih)
    dW_hh = np.zeros_like(W_hh)
    db = np.zeros(H, h_seq.dtype)
    for t in range(L - 1, -1, -1):
        h_t = h_seq[t]
        h_prev = h_seq[t - 1] if t > 0 else h0
        da = (dh_seq[t] + dh_next) * _activation_grad(h_t, nl)
        dW_ih += da.T @ x[t]
        dW_hh += da.T @ h_prev
        db += da.sum(axis=0)
        dx[t] = da @ W_ih
        dh_next = da @ W_hh
    return {"dx": dx, "dh0": dh_next, "dW_ih": dW_ih, "dW_hh": dW_hh, "db_ih": db, "db_hh": db.copy()}


def global_norm(grads: Mapping) -> float:
    """The L2 norm of all arrays in ``grads`` taken together (as one long vector)."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def clip_gradients(grads: Mapping, max_norm: float) -> dict:
    """Rescale gradients so that their global L2 norm is at most ``max_norm``.

    The same rule as ``torch.nn.utils.clip_grad_norm_`` (Pascanu et al., 2013):
    when the norm of all gradients together exceeds ``max_norm``, every gradient
    is multiplied by ``max_norm / norm``. The direction is kept; only the step
    length shrinks. The input dict is left untouched.

    Args:
        grads: dict of gradient arrays (for example from :func:`rnn_backward`).
        max_norm: the largest allowed global norm, > 0.

    Returns:
        a new dict with the same keys; arrays are copies.
    """
    if not np.isfinite(max_norm) or max_norm <= 0:
        raise ValueError(f"max_norm must be a positive finite number; got {max_norm!r}")
    if not isinstance(grads, Mapping) or not grads:
        raise ValueError("grads must be a non-empty dict of arrays")
    norm = global_norm(grads)
    if not np.isfinite(norm):
        raise ValueError(f"gradient norm is {norm}: the gradients hold NaN or inf")
    scale = min(1.0, max_norm / (norm + 1e-12))
    return {k: np.asarray(g) * scale for k, g in grads.items()}
