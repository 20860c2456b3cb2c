"""Keras helpers for the Keras chapters: device report, parameter formulas, epoch timing.

Importing this module imports TensorFlow and Keras 3; the chapters import it in an
ungraded set-up cell, since TensorFlow writes start-up messages to stderr.
"""

from __future__ import annotations

import os
import time

# TensorFlow's C++ start-up messages (no CUDA driver found, CPU instruction sets) go to
# stderr; keep only real errors unless the user asked for more.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

__all__ = ["device_report", "recurrent_params", "EpochTimer"]


def device_report() -> str:
    """One line saying which devices TensorFlow sees and where Keras will compute.

    The tutorials' ``print("Num GPUs Available: ", len(tf.config.list_physical_devices('GPU')))``
    says how many GPUs there are; this also says which one Keras will use.
    """
    gpus = tf.config.list_physical_devices("GPU")
    where = f"GPU ({gpus[0].name})" if gpus else "CPU"
    return (
        f"TensorFlow {tf.__version__}, Keras {keras.__version__} ({keras.backend.backend()} backend); "
        f"GPUs visible: {len(gpus)}; Keras will compute on the {where}"
    )


def recurrent_params(kind: str, units: int, input_dim: int, reset_after: bool = True) -> int:
    """Number of weights of a Keras recurrent layer, by formula.

    ``SimpleRNN``: ``units * (input_dim + units + 1)`` (kernel, recurrent kernel, bias).
    ``LSTM``: four times that. ``GRU``: three times that, plus ``3 * units`` for the
    second bias of ``reset_after=True``.
    """
    one = units * (input_dim + units + 1)
    if kind == "SimpleRNN":
        return one
    if kind == "LSTM":
        return 4 * one
    if kind == "GRU":
        return 3 * one + (3 * units if reset_after else 0)
    raise ValueError(f"kind must be 'SimpleRNN', 'LSTM' or 'GRU'; got {kind!r}")


class EpochTimer(keras.callbacks.Callback):
    """Records the wall-clock seconds of every epoch in ``self.seconds``."""

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)
