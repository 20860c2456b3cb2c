"""The NumPy character-level model: masked loss gradients, sampling, training."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import charmodel as cm

NAMES = ["Abel", "Ada", "Bo", "Caro", "Dmitri", "Eve"]


def test_vocab_round_trip_and_errors():
    v = cm.Vocab(NAMES)
    assert v.itos[0] == cm.BOUNDARY and v.decode(v.encode("Abel")) == "Abel"
    with pytest.raises(ValueError, match=r"characters \['Z'\] are not in the vocabulary"):
        v.encode("Zed")
    with pytest.raises(ValueError, match="boundary"):
        cm.Vocab(["a.b"])


def test_encode_batch_frames_names_with_the_boundary():
    v = cm.Vocab(NAMES)
    inputs, targets, mask = cm.encode_batch(v, ["Bo", "Eve"])
    assert inputs.shape == targets.shape == mask.shape == (4, 2)
    assert v.decode(inputs[:, 1]) == ".Eve" and v.decode(targets[:, 1]) == "Eve."
    assert mask[:, 0].tolist() == [1, 1, 1, 0]


def test_masked_loss_gradients_match_finite_differences():
    v = cm.Vocab(NAMES)
    model = cm.CharRNN(v, hidden_size=5, seed=3)
    batch = cm.encode_batch(v, ["Bo", "Dmitri", "Ada"])
    loss, grads = model.loss_and_grads(*batch)
    eps = 1e-6
    for key, arr in model.params.items():
        numeric = np.zeros_like(arr)
        for idx in np.ndindex(arr.shape):
            old = arr[idx]
            arr[idx] = old + eps
            plus = model.loss_and_grads(*batch)[0]
            arr[idx] = old - eps
            minus = model.loss_and_grads(*batch)[0]
            arr[idx] = old
            numeric[idx] = (plus - minus) / (2 * eps)
        err = np.linalg.norm(numeric - grads[key]) / (np.linalg.norm(numeric) + np.linalg.norm(grads[key]))
        assert err < 1e-6, f"{key}: relative error {err:.1e}"


def test_padding_does_not_change_the_loss():
    v = cm.Vocab(NAMES)
    model = cm.CharRNN(v, hidden_size=4, seed=0)
    alone = model.loss_and_grads(*cm.encode_batch(v, ["Bo"]))[0]
    inputs, targets, mask = cm.encode_batch(v, ["Bo", "Dmitri"])
    padded = model.loss_and_grads(inputs[:, :1], targets[:, :1], mask[:, :1])[0]
    assert padded == pytest.approx(alone)


def test_training_lowers_the_loss_and_samples_respect_the_prefix():
    v = cm.Vocab(NAMES)
    model = cm.CharRNN(v, hidden_size=16, seed=0)
    before = model.evaluate(NAMES)
    hist = cm.fit(model, NAMES * 10, NAMES, epochs=5, batch_size=8, lr=1e-2, log=None)
    assert hist.val_loss[-1] < before * 0.7
    rng = np.random.default_rng(0)
    samples = model.sample(rng, n=5, prefix="Dm", temperature=0.5)
    assert all(s.startswith("Dm") for s in samples)
    with pytest.raises(ValueError, match="temperature must be > 0"):
        model.sample(rng, temperature=0)


def test_fit_rejects_empty_data():
    model = cm.CharRNN(cm.Vocab(NAMES), hidden_size=4)
    with pytest.raises(ValueError, match="non-empty"):
        cm.fit(model, [], NAMES, epochs=1)


def test_adam_first_step_moves_by_lr():
    p = {"w": np.array([1.0, -2.0])}
    cm.Adam(p, lr=0.1).step({"w": np.array([3.0, -0.5])})
    np.testing.assert_allclose(p["w"], [0.9, -1.9], atol=1e-6)
