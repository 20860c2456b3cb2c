"""TF1-style recurrent graphs on TensorFlow 2: what ``tf.contrib`` used to provide.

TensorFlow 1 programs build a graph of placeholders and run it in a ``Session``.
TensorFlow 2 keeps that API under ``tf.compat.v1``, but two pieces of the classic
RNN programs are gone or moved:

- ``tf.contrib`` was removed in TensorFlow 2.0. Its ``OutputProjectionWrapper``
  (a dense layer applied to the cell's output at every time step) is
  re-implemented here as :class:`OutputProjectionWrapper`.
- The TF1 cells (``tf.compat.v1.nn.rnn_cell.BasicRNNCell`` and friends) are
  Keras 2 layers. TensorFlow 2.16+ ships Keras 3, so they need the ``tf-keras``
  package and ``TF_USE_LEGACY_KERAS=1`` set *before TensorFlow is imported*.
  Importing this module sets it when TensorFlow is not imported yet, and refuses
  to work in a process where TensorFlow was already imported with Keras 3.
"""

from __future__ import annotations

import os
import sys

if "tensorflow" in sys.modules and os.environ.get("TF_USE_LEGACY_KERAS") != "1":
    raise ImportError(
        "course_lib.tf1 needs TF_USE_LEGACY_KERAS=1 before TensorFlow is imported, but TensorFlow is already "
        "imported in this process with Keras 3. Set the variable first thing (os.environ['TF_USE_LEGACY_KERAS'] "
        "= '1') in a fresh kernel or process, then import course_lib.tf1."
    )
os.environ["TF_USE_LEGACY_KERAS"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf1 = tf.compat.v1

__all__ = ["tf1", "OutputProjectionWrapper", "basic_rnn_params", "projection_params", "graph_op_count"]


class OutputProjectionWrapper(tf1.nn.rnn_cell.RNNCell):
    """Apply a dense layer to the output of ``cell`` at every time step.

    Behaves like TensorFlow 1's ``tf.contrib.rnn.OutputProjectionWrapper``: the
    state is the wrapped cell's state, unchanged; the output is
    ``activation(output @ kernel + bias)`` with one ``kernel`` of shape
    ``(cell.output_size, output_size)`` and one ``bias`` shared by all time steps.

    Args:
        cell: the wrapped ``RNNCell``.
        output_size: size of the projected output.
        activation: applied after the projection. Default: ``None`` (linear).
        name: the layer's name. Default: ``None``.
    """

    def __init__(self, cell, output_size: int, activation=None, reuse=None, name=None):
        super().__init__(_reuse=reuse, name=name)
        if output_size < 1:
            raise ValueError(f"output_size must be >= 1; got {output_size}")
        self._cell = cell
        self._output_size = int(output_size)
        self._activation = activation

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._output_size

    @property
    def wrapped_cell(self):
        return self._cell

    def zero_state(self, batch_size, dtype):
        return self._cell.zero_state(batch_size, dtype)

    def build(self, inputs_shape):
        self.kernel = self.add_weight("kernel", shape=[self._cell.output_size, self._output_size])
        self.bias = self.add_weight("bias", shape=[self._output_size], initializer=tf1.zeros_initializer())
        self.built = True

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        projected = tf.matmul(output, self.kernel) + self.bias
        if self._activation is not None:
            projected = self._activation(projected)
        return projected, new_state


def basic_rnn_params(session, cell) -> dict:
    """NumPy parameters (PyTorch layout) of a built ``BasicRNNCell``.

    ``BasicRNNCell`` keeps one kernel of shape ``(H_in + H, H)`` applied to the
    concatenation ``[x_t, h_{t-1}]``: its first ``H_in`` rows are ``W_ih.T``, the
    rest ``W_hh.T``. Its single bias becomes ``b_ih`` (``b_hh`` = 0).
    """
    kernel, bias = session.run([cell.weights[0], cell.weights[1]])
    H = kernel.shape[1]
    H_in = kernel.shape[0] - H
    return {
        "W_ih": kernel[:H_in].T.astype(np.float64),
        "W_hh": kernel[H_in:].T.astype(np.float64),
        "b_ih": bias.astype(np.float64),
        "b_hh": np.zeros(H),
    }


def projection_params(session, wrapper: OutputProjectionWrapper) -> tuple[np.ndarray, np.ndarray]:
    """``(kernel, bias)`` of an :class:`OutputProjectionWrapper`, as NumPy arrays."""
    kernel, bias = session.run([wrapper.kernel, wrapper.bias])
    return kernel.astype(np.float64), bias.astype(np.float64)


def graph_op_count(graph) -> int:
    """Number of operations in a graph (how big a static unrolled graph gets)."""
    return len(graph.get_operations())
