"""course_lib.tf1 in graph mode: the OutputProjectionWrapper and dynamic_rnn against NumPy.

Run by tests/test_tf1_process.py in a process with TF_USE_LEGACY_KERAS=1.
"""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import numpy_rnn
from course_lib import tf1 as T

tf1 = T.tf1
tf1.disable_eager_execution()


@pytest.fixture
def graph():
    tf1.reset_default_graph()
    tf1.set_random_seed(0)
    yield
    tf1.reset_default_graph()


def build(units=5, n_in=2, out=3, activation=None, cell_activation=tf1.nn.relu):
    X = tf1.placeholder(tf1.float32, [None, None, n_in])
    lengths = tf1.placeholder(tf1.int32, [None])
    base = tf1.nn.rnn_cell.BasicRNNCell(num_units=units, activation=cell_activation)
    cell = T.OutputProjectionWrapper(base, output_size=out, activation=activation)
    outputs, state = tf1.nn.dynamic_rnn(cell, X, dtype=tf1.float32, sequence_length=lengths)
    return X, lengths, base, cell, outputs, state


@pytest.mark.parametrize("L", [1, 7])
def test_projection_is_a_dense_layer_shared_over_time(graph, L):
    X, lengths, base, cell, outputs, state = build()
    x = np.random.default_rng(0).standard_normal((3, L, 2)).astype(np.float32)
    with tf1.Session() as s:
        s.run(tf1.global_variables_initializer())
        out, st = s.run([outputs, state], {X: x, lengths: [L] * 3})
        params = T.basic_rnn_params(s, base)
        kernel, bias = T.projection_params(s, cell)
    assert out.shape == (3, L, 3) and st.shape == (3, 5)
    h, _ = numpy_rnn.rnn_forward(x.transpose(1, 0, 2).astype(np.float64), np.zeros((3, 5)), params, "relu")
    np.testing.assert_allclose(out, (h @ kernel + bias).transpose(1, 0, 2), atol=1e-5)
    np.testing.assert_allclose(st, h[-1], atol=1e-5)  # the state is the wrapped cell's, unprojected
    names = sorted(v.name for v in tf1.trainable_variables())
    assert len(names) == 4 and sum("output_projection_wrapper/kernel" in n for n in names) == 1


def test_activation_is_applied_after_the_projection(graph):
    X, lengths, base, cell, outputs, _ = build(activation=tf1.nn.sigmoid)
    x = np.ones((1, 4, 2), np.float32)
    with tf1.Session() as s:
        s.run(tf1.global_variables_initializer())
        out = s.run(outputs, {X: x, lengths: [4]})
        params = T.basic_rnn_params(s, base)
        kernel, bias = T.projection_params(s, cell)
    h, _ = numpy_rnn.rnn_forward(x.transpose(1, 0, 2).astype(np.float64), np.zeros((1, 5)), params, "relu")
    np.testing.assert_allclose(out[0], 1 / (1 + np.exp(-(h[:, 0] @ kernel + bias))), atol=1e-5)


def test_sequence_length_zeroes_outputs_and_keeps_last_valid_state(graph):
    X, lengths, base, cell, outputs, state = build(cell_activation=tf1.tanh)
    x = np.random.default_rng(1).standard_normal((2, 6, 2)).astype(np.float32)
    with tf1.Session() as s:
        s.run(tf1.global_variables_initializer())
        out, st = s.run([outputs, state], {X: x, lengths: [6, 3]})
        params = T.basic_rnn_params(s, base)
    assert np.all(out[1, 3:] == 0), "outputs past a sequence's end are zeros (not the bias)"
    h, _ = numpy_rnn.rnn_forward(x[1:, :3].transpose(1, 0, 2).astype(np.float64), np.zeros((1, 5)), params)
    np.testing.assert_allclose(st[1], h[-1, 0], atol=1e-5)


def test_static_unrolling_computes_the_same_recurrence(graph):
    """static_rnn builds one copy of the cell per step; same equations, one shared set of weights."""
    L = 5
    X = tf1.placeholder(tf1.float32, [None, L, 2])
    base = tf1.nn.rnn_cell.BasicRNNCell(4)
    cell = T.OutputProjectionWrapper(base, output_size=1)
    outputs, _ = tf1.nn.static_rnn(cell, tf1.unstack(X, axis=1), dtype=tf1.float32)
    x = np.random.default_rng(2).standard_normal((3, L, 2)).astype(np.float32)
    with tf1.Session() as s:
        s.run(tf1.global_variables_initializer())
        out = np.stack(s.run(outputs, {X: x}), axis=1)
        params = T.basic_rnn_params(s, base)
        kernel, bias = T.projection_params(s, cell)
    h, _ = numpy_rnn.rnn_forward(x.transpose(1, 0, 2).astype(np.float64), np.zeros((3, 4)), params)
    np.testing.assert_allclose(out, (h @ kernel + bias).transpose(1, 0, 2), atol=1e-5)
    assert len(tf1.trainable_variables()) == 4


def test_bad_output_size(graph):
    with pytest.raises(ValueError, match="output_size must be >= 1; got 0"):
        T.OutputProjectionWrapper(tf1.nn.rnn_cell.BasicRNNCell(3), output_size=0)
