"""The NumPy RNN, LSTM and GRU against torch.nn, Keras, finite differences and golden values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from course_lib import convert, numpy_gru, numpy_lstm, numpy_rnn

SHAPES = [  # (L, N, H_in, H)
    (1, 1, 1, 1),
    (1, 4, 3, 2),
    (6, 1, 2, 5),
    (5, 3, 4, 6),
]


class Model:
    """Uniform access to the three NumPy models and their torch twins."""

    def __init__(self, name, gates, torch_cls, forward, backward, has_cell):
        self.name, self.gates, self.torch_cls = name, gates, torch_cls
        self._forward, self._backward, self.has_cell = forward, backward, has_cell

    def states(self, rng, N, H):
        return [rng.standard_normal((N, H)) for _ in range(2 if self.has_cell else 1)]

    def forward(self, x, states, params):
        out = self._forward(x, *states, params)
        return out[0], out[-1]  # h_seq, cache

    def backward(self, dh_seq, cache):
        return self._backward(dh_seq, cache)

    def torch_forward(self, module, x, states):
        ts = [torch.tensor(s[None], requires_grad=True) for s in states]
        out, _ = module(x, tuple(ts) if self.has_cell else ts[0])
        return out, ts


MODELS = [
    Model("RNN", 1, torch.nn.RNN, numpy_rnn.rnn_forward, numpy_rnn.rnn_backward, False),
    Model("LSTM", 4, torch.nn.LSTM, numpy_lstm.lstm_forward, numpy_lstm.lstm_backward, True),
    Model("GRU", 3, torch.nn.GRU, numpy_gru.gru_forward, numpy_gru.gru_backward, False),
]
ids = [m.name for m in MODELS]


def random_params(rng, model, H_in, H, scale=0.5):
    G = model.gates * H
    return {
        "W_ih": rng.standard_normal((G, H_in)) * scale,
        "W_hh": rng.standard_normal((G, H)) * scale,
        "b_ih": rng.standard_normal(G) * scale,
        "b_hh": rng.standard_normal(G) * scale,
    }


@pytest.mark.parametrize("model", MODELS, ids=ids)
@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_forward_and_backward_match_torch(model, shape, rng):
    L, N, H_in, H = shape
    module = model.torch_cls(H_in, H).double()
    params = random_params(rng, model, H_in, H)
    convert.params_to_torch(params, module)
    x = rng.standard_normal((L, N, H_in))
    states = model.states(rng, N, H)

    h_seq, cache = model.forward(x, states, params)
    xt = torch.tensor(x, requires_grad=True)
    out, ts = model.torch_forward(module, xt, states)
    np.testing.assert_allclose(h_seq, out.detach().numpy(), atol=1e-6, rtol=0)
    assert h_seq.shape == (L, N, H)

    upstream = rng.standard_normal((L, N, H))
    out.backward(torch.tensor(upstream))
    grads = model.backward(upstream, cache)
    torch_grads = {
        "dx": xt.grad,
        "dh0": ts[0].grad[0],
        "dW_ih": module.weight_ih_l0.grad,
        "dW_hh": module.weight_hh_l0.grad,
        "db_ih": module.bias_ih_l0.grad,
        "db_hh": module.bias_hh_l0.grad,
    }
    if model.has_cell:
        torch_grads["dc0"] = ts[1].grad[0]
    assert set(grads) == set(torch_grads)
    for key, expected in torch_grads.items():
        np.testing.assert_allclose(grads[key], expected.numpy(), atol=1e-6, rtol=0, err_msg=key)


def test_rnn_relu_matches_torch(rng):
    module = torch.nn.RNN(3, 4, nonlinearity="relu").double()
    params = convert.params_from_torch(module)
    x = rng.standard_normal((5, 2, 3))
    h0 = rng.standard_normal((2, 4))
    h_seq, cache = numpy_rnn.rnn_forward(x, h0, params, nonlinearity="relu")
    xt = torch.tensor(x, requires_grad=True)
    out, _ = module(xt, torch.tensor(h0[None]))
    np.testing.assert_allclose(h_seq, out.detach().numpy(), atol=1e-6, rtol=0)
    out.sum().backward()
    grads = numpy_rnn.rnn_backward(np.ones_like(h_seq), cache)
    np.testing.assert_allclose(grads["dx"], xt.grad.numpy(), atol=1e-6, rtol=0)
    np.testing.assert_allclose(grads["dW_hh"], module.weight_hh_l0.grad.numpy(), atol=1e-6, rtol=0)


def _relative_error(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_backward_matches_finite_differences(model, rng):
    L, N, H_in, H = 4, 2, 3, 3
    params = random_params(rng, model, H_in, H)
    x = rng.standard_normal((L, N, H_in))
    states = model.states(rng, N, H)
    weight = rng.standard_normal((L, N, H))  # loss = sum(weight * h_seq)

    def loss():
        return float(np.sum(weight * model.forward(x, states, params)[0]))

    grads = model.backward(weight, model.forward(x, states, params)[1])
    targets = {f"d{k}": v for k, v in params.items()}
    targets["dx"] = x
    targets["dh0"] = states[0]
    if model.has_cell:
        targets["dc0"] = states[1]
    eps = 1e-6
    for key, arr in targets.items():
        numeric = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + eps
            plus = loss()
            arr[idx] = old - eps
            minus = loss()
            arr[idx] = old
            numeric[idx] = (plus - minus) / (2 * eps)
        err = _relative_error(grads[key], numeric)
        assert err < 1e-6, f"{model.name} {key}: relative error {err:.2e}"


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_gradient_on_last_state_only(model, rng):
    """dh_last (a loss on the returned final state) equals putting it in dh_seq[-1]."""
    params = random_params(rng, model, 3, 4)
    x = rng.standard_normal((5, 2, 3))
    states = model.states(rng, 2, 4)
    h_seq, cache = model.forward(x, states, params)
    g = rng.standard_normal((2, 4))
    dh_seq = np.zeros_like(h_seq)
    dh_seq[-1] = g
    a = model.backward(dh_seq, cache)
    b = model._backward(np.zeros_like(h_seq), cache, dh_last=g)
    for key in a:
        np.testing.assert_allclose(a[key], b[key], atol=1e-12, err_msg=key)


def _constant_params(gates, H_in, H, w):
    G = gates * H
    return {"W_ih": np.full((G, H_in), w), "W_hh": np.full((G, H), w), "b_ih": np.zeros(G), "b_hh": np.zeros(G)}


def test_golden_rnn_constant_weights():
    # Two inputs of ones, two units, every weight 0.1, no bias, h0 = 0:
    # h1 = tanh(0.1 * 2), h2 = tanh(0.1 * 2 + 0.1 * 2 * h1).
    h1 = math.tanh(0.2)
    h2 = math.tanh(0.2 + 0.2 * h1)
    h_seq, _ = numpy_rnn.rnn_forward(np.ones((2, 1, 2)), np.zeros((1, 2)), _constant_params(1, 2, 2, 0.1))
    np.testing.assert_allclose(h_seq[:, 0, 0], [h1, h2], rtol=0, atol=1e-12)
    np.testing.assert_allclose(h_seq[:, 0, 0], [0.197375320224904, 0.234999864356013], atol=1e-12)


def test_golden_lstm_constant_weights():
    # All four gates see the same pre-activation a = 0.1 * 3 at the first step.
    s = 1 / (1 + math.exp(-0.3))
    c1 = s * math.tanh(0.3)
    h1 = s * math.tanh(c1)
    _, (h, c), _ = numpy_lstm.lstm_forward(
        np.ones((1, 1, 3)), np.zeros((1, 2)), np.zeros((1, 2)), _constant_params(4, 3, 2, 0.1)
    )
    np.testing.assert_allclose(c[0], [c1, c1], atol=1e-12)
    np.testing.assert_allclose(h[0], [h1, h1], atol=1e-12)


def test_golden_gru_constant_weights():
    # h0 = 0, so h1 = (1 - z) * n with z = sigmoid(0.3) and n = tanh(0.3).
    z = 1 / (1 + math.exp(-0.3))
    h1 = (1 - z) * math.tanh(0.3)
    h_seq, _ = numpy_gru.gru_forward(np.ones((1, 1, 3)), np.zeros((1, 2)), _constant_params(3, 3, 2, 0.1))
    np.testing.assert_allclose(h_seq[0, 0], [h1, h1], atol=1e-12)


def test_cells_equal_one_step_of_the_sequence(rng):
    x = rng.standard_normal((1, 3, 2))
    h0, c0 = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    p1 = random_params(rng, MODELS[0], 2, 4)
    np.testing.assert_allclose(numpy_rnn.rnn_cell_forward(x[0], h0, p1), numpy_rnn.rnn_forward(x, h0, p1)[0][0])
    p4 = random_params(rng, MODELS[1], 2, 4)
    h, c = numpy_lstm.lstm_cell_forward(x[0], h0, c0, p4)
    _, (h_l, c_l), _ = numpy_lstm.lstm_forward(x, h0, c0, p4)
    np.testing.assert_allclose(h, h_l)
    np.testing.assert_allclose(c, c_l)
    p3 = random_params(rng, MODELS[2], 2, 4)
    np.testing.assert_allclose(numpy_gru.gru_cell_forward(x[0], h0, p3), numpy_gru.gru_forward(x, h0, p3)[0][0])


def test_loop_equals_vectorised_input_projection(rng):
    """rnn_forward (one matrix product for all inputs) equals the plain per-step loop."""
    p = random_params(rng, MODELS[0], 3, 5)
    x = rng.standard_normal((7, 2, 3))
    h = np.zeros((2, 5))
    steps = []
    for t in range(7):
        h = numpy_rnn.rnn_cell_forward(x[t], h, p)
        steps.append(h)
    np.testing.assert_allclose(numpy_rnn.rnn_forward(x, np.zeros((2, 5)), p)[0], np.stack(steps), atol=1e-12)


@pytest.mark.parametrize("model", MODELS, ids=ids)
def test_bad_shapes_name_expected_and_received(model, rng):
    params = random_params(rng, model, 32, 64)
    states = model.states(rng, 100, 64)
    with pytest.raises(ValueError, match=r"x must have shape \(L, N, 32\).*got \(100, 31\)"):
        model.forward(rng.standard_normal((100, 31)), states, params)
    with pytest.raises(ValueError, match=r"x must have shape \(L, N, 32\).*got \(5, 100, 31\)"):
        model.forward(rng.standard_normal((5, 100, 31)), states, params)
    with pytest.raises(ValueError, match=r"h0 must have shape \(100, 64\).*got \(100, 63\)"):
        model.forward(rng.standard_normal((5, 100, 32)), [rng.standard_normal((100, 63))] + states[1:], params)
    bad = dict(params, W_hh=params["W_hh"][:, :-1])
    with pytest.raises(ValueError, match=r"W_hh must have shape .* got"):
        model.forward(rng.standard_normal((5, 100, 32)), states, bad)
    with pytest.raises(ValueError, match=r"missing \['b_hh'\]"):
        model.forward(rng.standard_normal((5, 100, 32)), states, {k: v for k, v in params.items() if k != "b_hh"})
    h_seq, cache = model.forward(rng.standard_normal((5, 100, 32)), states, params)
    with pytest.raises(ValueError, match=r"dh_seq must have shape \(5, 100, 64\); got \(5, 64\)"):
        model.backward(np.zeros((5, 64)), cache)


def test_rnn_cell_rejects_bad_shapes(rng):
    p = random_params(rng, MODELS[0], 3, 4)
    with pytest.raises(ValueError, match=r"x_t must have shape \(N, 3\).*got \(2, 5\)"):
        numpy_rnn.rnn_cell_forward(np.zeros((2, 5)), np.zeros((2, 4)), p)
    with pytest.raises(ValueError, match=r"nonlinearity"):
        numpy_rnn.rnn_forward(np.zeros((1, 2, 3)), np.zeros((2, 4)), p, nonlinearity="sigmoid")


def test_float32_inputs_stay_float32(rng):
    p = {k: v.astype(np.float32) for k, v in random_params(rng, MODELS[0], 3, 4).items()}
    h_seq, _ = numpy_rnn.rnn_forward(np.ones((2, 1, 3), np.float32), np.zeros((1, 4), np.float32), p)
    assert h_seq.dtype == np.float32


class TestClipGradients:
    def test_matches_torch_clip_grad_norm(self, rng):
        grads = {"a": rng.standard_normal((3, 4)) * 10, "b": rng.standard_normal(5) * 10}
        tensors = [
            torch.nn.Parameter(torch.zeros(3, 4, dtype=torch.float64)),
            torch.nn.Parameter(torch.zeros(5, dtype=torch.float64)),
        ]
        tensors[0].grad, tensors[1].grad = torch.tensor(grads["a"]), torch.tensor(grads["b"])
        total = torch.nn.utils.clip_grad_norm_(tensors, max_norm=1.0)
        assert numpy_rnn.global_norm(grads) == pytest.approx(float(total))
        clipped = numpy_rnn.clip_gradients(grads, 1.0)
        np.testing.assert_allclose(clipped["a"], tensors[0].grad.numpy(), rtol=1e-5)
        np.testing.assert_allclose(clipped["b"], tensors[1].grad.numpy(), rtol=1e-5)
        assert numpy_rnn.global_norm(clipped) == pytest.approx(1.0, rel=1e-6)

    def test_small_gradients_and_input_untouched(self, rng):
        grads = {"a": rng.standard_normal(4) * 1e-3}
        before = grads["a"].copy()
        out = numpy_rnn.clip_gradients(grads, 1.0)
        np.testing.assert_array_equal(out["a"], before)
        big = {"a": np.full(4, 100.0)}
        numpy_rnn.clip_gradients(big, 1.0)
        np.testing.assert_array_equal(big["a"], np.full(4, 100.0))

    def test_direction_is_kept(self, rng):
        g = {"a": rng.standard_normal(6) * 50}
        out = numpy_rnn.clip_gradients(g, 2.0)["a"]
        cos = out @ g["a"] / (np.linalg.norm(out) * np.linalg.norm(g["a"]))
        assert cos == pytest.approx(1.0)

    @pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
    def test_bad_max_norm(self, bad):
        with pytest.raises(ValueError, match="max_norm must be a positive finite number"):
            numpy_rnn.clip_gradients({"a": np.ones(2)}, bad)

    def test_nan_gradients_are_reported(self):
        with pytest.raises(ValueError, match="NaN or inf"):
            numpy_rnn.clip_gradients({"a": np.array([np.nan, 1.0])}, 1.0)


def test_init_matches_torch_range(rng):
    p = numpy_rnn.init_rnn_params(10, 25, rng)
    k = 1 / math.sqrt(25)
    assert p["W_ih"].shape == (25, 10) and p["W_hh"].shape == (25, 25)
    for v in p.values():
        assert np.all(np.abs(v) <= k) and v.std() > k / 3
