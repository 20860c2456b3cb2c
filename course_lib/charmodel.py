"""A character-level language model of surnames in NumPy alone.

The idea of Karpathy's min-char-rnn, batched and tested: read a name one
character at a time and predict the next character. Names are framed by a
boundary token ``"."``: the input ``".Abel"`` is trained to produce ``"Abel."``.
Names of different lengths share a batch by padding; a mask keeps the padding
out of the loss. The recurrence is :func:`course_lib.numpy_rnn.rnn_forward`, the
output layer a softmax over the vocabulary::

    h_t = tanh(onehot(c_t) W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)
    p(c_{t+1} | c_1..c_t) = softmax(h_t W_hy^T + b_y)
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .numpy_rnn import clip_gradients, global_norm, init_rnn_params, rnn_backward, rnn_forward

__all__ = ["BOUNDARY", "Vocab", "CharRNN", "Adam", "History", "batches", "fit"]

BOUNDARY = "."


class Vocab:
    """Characters to ids and back. Id 0 is the boundary token ``"."``."""

    def __init__(self, texts: Sequence[str]):
        chars = sorted({c for t in texts for c in t})
        if BOUNDARY in chars:
            raise ValueError(f"the texts may not contain the boundary character {BOUNDARY!r}")
        self.itos = [BOUNDARY, *chars]
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, text: str) -> list[int]:
        unknown = sorted({c for c in text if c not in self.stoi})
        if unknown:
            raise ValueError(f"characters {unknown} are not in the vocabulary of {len(self)} characters")
        return [self.stoi[c] for c in text]

    def decode(self, ids) -> str:
        return "".join(self.itos[i] for i in ids)


def encode_batch(vocab: Vocab, names: Sequence[str]):
    """Inputs, targets and mask for a batch, each ``(L, N)`` with L the longest name + 1."""
    L = max(len(n) for n in names) + 1
    N = len(names)
    inputs = np.zeros((L, N), np.int64)
    targets = np.zeros((L, N), np.int64)
    mask = np.zeros((L, N), np.float64)
    for j, name in enumerate(names):
        ids = vocab.encode(name)
        inputs[1 : len(ids) + 1, j] = ids
        targets[: len(ids), j] = ids
        targets[len(ids), j] = 0  # the boundary ends the name
        mask[: len(ids) + 1, j] = 1.0
    return inputs, targets, mask


def batches(names: Sequence[str], batch_size: int, rng: np.random.Generator):
    """Shuffled batches of names with similar lengths (less padding, same expectation)."""
    order = rng.permutation(len(names))
    chunks = [order[i : i + batch_size * 20] for i in range(0, len(order), batch_size * 20)]
    out = []
    for chunk in chunks:  # sort within large random chunks, then cut into batches
        chunk = sorted(chunk, key=lambda i: len(names[i]))
        out += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return [[names[i] for i in b] for b in out]


class CharRNN:
    """An Elman RNN with a softmax output layer over characters.

    Args:
        vocab: the character vocabulary.
        hidden_size: H. Default: 128.
        seed: seed of the initialisation. Default: 0.
    """

    def __init__(self, vocab: Vocab, hidden_size: int = 128, seed: int = 0):
        rng = np.random.default_rng(seed)
        V = len(vocab)
        self.vocab = vocab
        self.params = init_rnn_params(V, hidden_size, rng)
        k = 1.0 / math.sqrt(hidden_size)
        self.params["W_hy"] = rng.uniform(-k, k, (V, hidden_size))
        self.params["b_y"] = np.zeros(V)

    @property
    def hidden_size(self) -> int:
        return self.params["W_hh"].shape[0]

    def loss_and_grads(self, inputs, targets, mask):
        """Mean cross-entropy per predicted character (nats) and its gradients."""
        p = self.params
        L, N = inputs.shape
        V = len(self.vocab)
        x = np.zeros((L, N, V))
        x[np.arange(L)[:, None], np.arange(N)[None, :], inputs] = 1.0
        h0 = np.zeros((N, self.hidden_size))
        rnn_params = {k: p[k] for k in ("W_ih", "W_hh", "b_ih", "b_hh")}
        h_seq, cache = rnn_forward(x, h0, rnn_params)
        logits = h_seq @ p["W_hy"].T + p["b_y"]
        logits -= logits.max(axis=-1, keepdims=True)
        logp = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
        count = mask.sum()
        nll = -np.take_along_axis(logp, targets[..., None], axis=-1)[..., 0]
        loss = float((nll * mask).sum() / count)

        dlogits = np.exp(logp)
        dlogits[np.arange(L)[:, None], np.arange(N)[None, :], targets] -= 1.0
        dlogits *= (mask / count)[..., None]
        grads = rnn_backward(dlogits @ p["W_hy"], cache)
        out = {k: grads["d" + k] for k in ("W_ih", "W_hh", "b_ih", "b_hh")}
        out["W_hy"] = np.einsum("lnv,lnh->vh", dlogits, h_seq)
        out["b_y"] = dlogits.sum(axis=(0, 1))
        return loss, out

    def evaluate(self, names: Sequence[str], batch_size: int = 256) -> float:
        """Mean cross-entropy per character (nats) over ``names``."""
        total = count = 0.0
        for i in range(0, len(names), batch_size):
            inputs, targets, mask = encode_batch(self.vocab, names[i : i + batch_size])
            loss, _ = self.loss_and_grads(inputs, targets, mask)
            total += loss * mask.sum()
            count += mask.sum()
        return total / count

    def sample(
        self, rng: np.random.Generator, n: int = 10, temperature: float = 1.0, prefix: str = "", max_len: int = 20
    ) -> list[str]:
        """Draw ``n`` names, each starting with ``prefix``.

        ``temperature`` divides the logits: below 1 the model picks likely
        characters more often (safer, duller names), above 1 less often.
        """
        if temperature <= 0:
            raise ValueError(f"temperature must be > 0; got {temperature}")
        p = self.params
        V = len(self.vocab)
        out = []
        for _ in range(n):
            h = np.zeros((1, self.hidden_size))
            ids = [0, *self.vocab.encode(prefix)]
            text = prefix
            for step in range(max_len):
                if step < len(ids):
                    c = ids[step]
                x = np.zeros((1, V))
                x[0, c] = 1.0
                h = np.tanh(x @ p["W_ih"].T + p["b_ih"] + h @ p["W_hh"].T + p["b_hh"])
                if step + 1 < len(ids):
                    continue  # still reading the prefix
                logits = (h @ p["W_hy"].T + p["b_y"])[0] / temperature
                probs = np.exp(logits - logits.max())
                probs /= probs.sum()
                c = int(rng.choice(V, p=probs))
                if c == 0:
                    break
                text += self.vocab.itos[c]
            out.append(text)
        return out


class Adam:
    """The Adam optimiser (Kingma and Ba, 2015) for a dict of NumPy arrays, updated in place."""

    def __init__(self, params: dict, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        self.params, self.lr, self.betas, self.eps = params, lr, betas, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, grads: dict) -> None:
        self.t += 1
        b1, b2 = self.betas
        for k, g in grads.items():
            self.m[k] = b1 * self.m[k] + (1 - b1) * g
            self.v[k] = b2 * self.v[k] + (1 - b2) * g * g
            m_hat = self.m[k] / (1 - b1**self.t)
            v_hat = self.v[k] / (1 - b2**self.t)
            self.params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


@dataclass
class History:
    """Per-epoch training record."""

    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    grad_norm: list = field(default_factory=list)
    clipped: list = field(default_factory=list)
    seconds: list = field(default_factory=list)


def fit(
    model: CharRNN,
    train: Sequence[str],
    val: Sequence[str],
    epochs: int,
    batch_size: int = 64,
    lr: float = 3e-3,
    max_norm: float = 5.0,
    seed: int = 0,
    log=print,
    log_every: int = 1,
) -> History:
    """Train ``model`` with Adam and gradient clipping; evaluate on ``val`` after each epoch.

    Args:
        model: the model, trained in place.
        train, val: training and held-out names.
        epochs: passes over ``train``.
        batch_size: names per update. Default: 64.
        lr: Adam's learning rate. Default: 3e-3.
        max_norm: global gradient norm above which gradients are clipped. Default: 5.0.
        seed: seed of the batch order. Default: 0.
        log: called with one line per logged epoch; ``None`` for silence. Default: ``print``.
        log_every: log the first, the last and every ``log_every``-th epoch. Default: 1.
    """
    if not train or not val:
        raise ValueError(f"train and val must be non-empty; got {len(train)} and {len(val)} names")
    rng = np.random.default_rng(seed)
    opt = Adam(model.params, lr=lr)
    hist = History()
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        losses, norms, clipped = [], [], 0
        for batch in batches(train, batch_size, rng):
            loss, grads = model.loss_and_grads(*encode_batch(model.vocab, batch))
            norm = global_norm(grads)
            clipped += norm > max_norm
            opt.step(clip_gradients(grads, max_norm))
            losses.append(loss)
            norms.append(norm)
        hist.train_loss.append(float(np.mean(losses)))
        hist.val_loss.append(model.evaluate(val))
        hist.grad_norm.append(float(np.median(norms)))
        hist.clipped.append(clipped / len(norms))
        hist.seconds.append(time.perf_counter() - start)
        if log and (epoch in (1, epochs) or epoch % log_every == 0):
            log(
                f"epoch {epoch:3d}  train {hist.train_loss[-1]:.4f}  val {hist.val_loss[-1]:.4f} nats/char  "
                f"clipped {hist.clipped[-1]:.0%} of steps  {hist.seconds[-1]:.1f} s"
            )
    return hist
