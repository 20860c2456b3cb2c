"""Models and plumbing of the names chapter."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from course_lib import convert, numpy_rnn
from course_lib import names_models as nm

NAMES = ["Abel", "Ng", "Rossi", "Zhou", "Ivanov", "Li"]


def test_vocab_and_one_hot():
    v = nm.CharVocab(NAMES)
    assert v.itos[0] == "<pad>" and len(v) == len(set("".join(NAMES))) + 1
    t = v.one_hot("Ng")
    assert t.shape == (2, 1, len(v)) and t.sum() == 2 and t[0, 0, v.stoi["N"]] == 1
    with pytest.raises(ValueError, match=r"characters \['Q'\] of 'Qi'"):
        v.encode("Qi")
    with pytest.raises(ValueError, match="empty"):
        v.encode("")


def test_stratified_split_keeps_proportions_and_is_disjoint():
    labels = np.array([0] * 100 + [1] * 20 + [2] * 3)
    tr, va, te = nm.stratified_split(labels, seed=1)
    assert len(set(tr) | set(va) | set(te)) == len(labels) and not (set(tr) & set(va) or set(va) & set(te))
    for c, n in ((0, 100), (1, 20), (2, 3)):
        assert (labels[va] == c).sum() == max(1, round(0.1 * n))
    again = nm.stratified_split(labels, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip((tr, va, te), again, strict=True))
    with pytest.raises(ValueError, match="fractions"):
        nm.stratified_split(labels, (0.5, 0.5))


def test_seed_rnn_is_linear_and_tanh_rnn_is_nn_rnn():
    torch.manual_seed(0)
    seed = nm.SeedRNN(3, 4, 2)
    with torch.no_grad():
        seed.i2h.bias.zero_()
    x1, x2 = torch.randn(1, 3), torch.randn(1, 3)
    h0 = torch.zeros(1, 4)
    _, a = seed(x1, h0)
    _, b = seed(x2, h0)
    _, ab = seed(x1 + x2, h0)
    torch.testing.assert_close(ab, a + b)  # superposition: no non-linearity

    fixed = nm.TanhRNN(3, 4, 2)
    cell = torch.nn.RNN(3, 4).double()
    with torch.no_grad():
        cell.weight_ih_l0.copy_(fixed.i2h.weight[:, :3])
        cell.weight_hh_l0.copy_(fixed.i2h.weight[:, 3:])
        cell.bias_ih_l0.copy_(fixed.i2h.bias)
        cell.bias_hh_l0.zero_()
    xs = torch.randn(5, 1, 3)
    h = fixed.initHidden()
    for t in range(5):
        _, h = fixed(xs[t], h)
    out, _ = cell(xs.double())
    torch.testing.assert_close(h.double(), out[-1], atol=1e-6, rtol=0)
    ours, _ = numpy_rnn.rnn_forward(xs.double().numpy(), np.zeros((1, 4)), convert.params_from_torch(cell))
    np.testing.assert_allclose(ours, out.detach().numpy(), atol=1e-6)


@pytest.mark.parametrize("kind", ["rnn", "gru", "lstm"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_classifier_ignores_padding(kind, bidirectional):
    v = nm.CharVocab(NAMES)
    torch.manual_seed(0)
    model = nm.NameClassifier(len(v), 3, kind=kind, hidden=8, bidirectional=bidirectional).eval()
    padded, lengths, _ = nm.collate([(v.encode(n), 0) for n in ["Abel", "Li", "Ivanov"]])
    assert padded.shape == (6, 3)
    batch_logits = model(padded, lengths)
    alone = model(v.encode("Li").unsqueeze(1), torch.tensor([2]))
    torch.testing.assert_close(batch_logits[1:2], alone, atol=1e-6, rtol=1e-5)
    with pytest.raises(ValueError, match=r"expected padded \(L, N\) and lengths \(N,\)"):
        model(padded, lengths[:2])


def test_classifier_rejects_unknown_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        nm.NameClassifier(5, 2, kind="transformer")


def test_generator_batches_and_samples():
    v = nm.CharVocab(NAMES)
    torch.manual_seed(0)
    g = nm.NameGenerator(len(v), 2, hidden=16, layers=1, dropout=0.0)
    inputs, targets = g.batch([v.encode("Ng"), v.encode("Abel")])
    assert inputs[0].tolist() == [g.start, g.start] and targets[2, 0] == nm.PAD and targets[3, 0] == -100
    logits, _ = g(inputs, torch.tensor([0, 1]))
    assert logits.shape == (5, 2, len(v))
    names = g.sample(v, lang=1, n=3, prefix="Iv", generator=torch.Generator().manual_seed(0))
    assert len(names) == 3 and all(n.startswith("Iv") for n in names)


def test_metrics():
    y, p = [0, 0, 0, 1], [0, 0, 0, 0]
    np.testing.assert_array_equal(nm.confusion_matrix(y, p, 2), [[3, 0], [1, 0]])
    assert nm.balanced_accuracy(y, p, 2) == 0.5
