"""Keras helpers: parameter formulas against Keras, device report, epoch timer."""

from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
from course_lib import keras_utils  # noqa: E402


@pytest.mark.parametrize(
    ("kind", "kwargs"), [("SimpleRNN", {}), ("LSTM", {}), ("GRU", {}), ("GRU", {"reset_after": False})]
)
@pytest.mark.parametrize(("units", "input_dim"), [(1, 1), (32, 32), (7, 3)])
def test_recurrent_params_formula_matches_keras(kind, kwargs, units, input_dim):
    layer = getattr(keras.layers, kind)(units, **kwargs)
    layer.build((None, None, input_dim))
    assert keras_utils.recurrent_params(kind, units, input_dim, **kwargs) == layer.count_params()


def test_recurrent_params_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind must be 'SimpleRNN', 'LSTM' or 'GRU'; got 'RNN'"):
        keras_utils.recurrent_params("RNN", 3, 3)


def test_device_report_names_the_device():
    import tensorflow as tf

    report = keras_utils.device_report()
    gpus = tf.config.list_physical_devices("GPU")
    assert f"GPUs visible: {len(gpus)}" in report
    assert ("on the GPU" in report) == bool(gpus)


def test_epoch_timer_records_every_epoch():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    timer = keras_utils.EpochTimer()
    model.fit(np.zeros((8, 3)), np.zeros(8), epochs=3, verbose=0, callbacks=[timer])
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)
