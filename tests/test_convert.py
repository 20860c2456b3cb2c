"""Weight converters between course_lib, torch.nn and Keras; the Keras layers as oracles."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_lib import convert, numpy_gru, numpy_lstm, numpy_rnn

keras = pytest.importorskip("keras")

KERAS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}
SHAPES = [(1, 1, 1, 1), (4, 1, 3, 2), (1, 3, 2, 5), (6, 2, 4, 3)]  # (L, N, H_in, H)


def numpy_forward(kind, x, h0, c0, params):
    if kind == "SimpleRNN":
        return numpy_rnn.rnn_forward(x, h0, params)[0]
    if kind == "LSTM":
        return numpy_lstm.lstm_forward(x, h0, c0, params)[0]
    return numpy_gru.gru_forward(x, h0, params)[0]


def build_keras(kind, H_in, H):
    layer = getattr(keras.layers, kind)(H, return_sequences=True, return_state=True, dtype="float64")
    layer.build((None, None, H_in))
    return layer


@pytest.mark.parametrize("kind", KERAS)
@pytest.mark.parametrize("shape", SHAPES, ids=[str(s) for s in SHAPES])
def test_keras_layers_equal_numpy_reference(kind, shape, rng):
    L, N, H_in, H = shape
    layer = build_keras(kind, H_in, H)
    G = KERAS[kind] * H
    params = {
        "W_ih": rng.standard_normal((G, H_in)) * 0.5,
        "W_hh": rng.standard_normal((G, H)) * 0.5,
        "b_ih": rng.standard_normal(G) * 0.5,
        "b_hh": rng.standard_normal(G) * 0.5,
    }
    if kind != "GRU":  # a single Keras bias holds the sum
        params["b_ih"], params["b_hh"] = params["b_ih"] + params["b_hh"], np.zeros(G)
    convert.params_to_keras(params, layer)
    back = convert.params_from_keras(layer)
    for k in params:
        np.testing.assert_allclose(back[k], params[k], atol=1e-12, err_msg=k)

    x = rng.standard_normal((L, N, H_in))
    h0, c0 = rng.standard_normal((N, H)), rng.standard_normal((N, H))
    initial = [h0, c0] if kind == "LSTM" else [h0]
    out = layer(np.transpose(x, (1, 0, 2)), initial_state=initial)  # Keras is batch-first
    seq = np.transpose(np.asarray(out[0]), (1, 0, 2))
    np.testing.assert_allclose(numpy_forward(kind, x, h0, c0, params), seq, atol=1e-6, rtol=0)
    np.testing.assert_allclose(seq[-1], np.asarray(out[1]), atol=1e-12)  # last output = final state


@pytest.mark.parametrize("kind", KERAS)
def test_keras_default_initialisation_reads_back(kind, rng):
    """A freshly initialised layer (not written by us) is read correctly."""
    layer = build_keras(kind, 3, 4)
    params = convert.params_from_keras(layer)
    x = rng.standard_normal((5, 2, 3))
    h0, c0 = np.zeros((2, 4)), np.zeros((2, 4))
    seq = np.transpose(np.asarray(layer(np.transpose(x, (1, 0, 2)))[0]), (1, 0, 2))
    np.testing.assert_allclose(numpy_forward(kind, x, h0, c0, params), seq, atol=1e-6, rtol=0)


def test_keras_gru_and_torch_gru_agree_through_course_lib(rng):
    """Keras (z, r, h) and torch (r, z, n) gate orders map onto each other."""
    layer = build_keras("GRU", 3, 4)
    module = torch.nn.GRU(3, 4).double()
    convert.params_to_torch(convert.params_from_keras(layer), module)
    x = rng.standard_normal((6, 2, 3))
    keras_out = np.transpose(np.asarray(layer(np.transpose(x, (1, 0, 2)))[0]), (1, 0, 2))
    torch_out, _ = module(torch.tensor(x))
    np.testing.assert_allclose(keras_out, torch_out.detach().numpy(), atol=1e-6)


@pytest.mark.parametrize("cls", [torch.nn.RNN, torch.nn.LSTM, torch.nn.GRU])
def test_torch_round_trip(cls, rng):
    module = cls(3, 5).double()
    params = convert.params_from_torch(module)
    other = cls(3, 5).double()
    convert.params_to_torch(params, other)
    for a, b in zip(module.parameters(), other.parameters(), strict=True):
        assert torch.equal(a, b)


def test_torch_without_bias_gives_zero_biases():
    params = convert.params_from_torch(torch.nn.RNN(2, 3, bias=False))
    assert not params["b_ih"].any() and params["b_ih"].shape == (3,)


def test_refusals(rng):
    with pytest.raises(ValueError, match="only one-layer"):
        convert.params_from_torch(torch.nn.RNN(2, 3, num_layers=2))
    with pytest.raises(TypeError, match="expected a torch.nn.RNN, LSTM or GRU; got Linear"):
        convert.params_from_torch(torch.nn.Linear(2, 3))
    with pytest.raises(ValueError, match="input_size=2, hidden_size=3; the module has input_size=4"):
        convert.params_to_torch(convert.params_from_torch(torch.nn.RNN(2, 3)), torch.nn.RNN(4, 3))
    with pytest.raises(ValueError, match="reset_after=False"):
        layer = keras.layers.GRU(3, reset_after=False)
        layer.build((None, None, 2))
        convert.params_from_keras(layer)
    with pytest.raises(ValueError, match="no weights yet"):
        convert.params_from_keras(keras.layers.SimpleRNN(3))
    with pytest.raises(ValueError, match=r"kernel of shape \(2, 3\); the layer's is \(4, 3\)"):
        convert.params_to_keras(convert.params_from_torch(torch.nn.RNN(2, 3)), build_keras("SimpleRNN", 4, 3))
