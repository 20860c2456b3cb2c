"""PyTorch models and data plumbing for the names chapter.

- :class:`SeedRNN`: the ``i2h``/``i2o`` module of the PyTorch char-RNN tutorial,
  exactly as it is usually printed: its hidden update has **no non-linearity**.
- :class:`TanhRNN`: the same module with ``tanh`` on the hidden update, which
  makes it an Elman RNN (``nn.RNNCell``) with a softmax read-out.
- :class:`NameClassifier`: embedding, ``nn.RNN``/``nn.GRU``/``nn.LSTM`` over
  padded batches packed with ``pack_padded_sequence``, and a linear layer.
- :class:`NameGenerator`: a character-level language model conditioned on the
  language, for writing new surnames.
- :func:`stratified_split`, :class:`CharVocab`, :func:`collate`,
  :func:`confusion_matrix`, :func:`balanced_accuracy`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

__all__ = [
    "CharVocab",
    "stratified_split",
    "collate",
    "SeedRNN",
    "TanhRNN",
    "NameClassifier",
    "NameGenerator",
    "confusion_matrix",
    "balanced_accuracy",
]

PAD = 0


class CharVocab:
    """Characters to ids; id 0 is padding (and, for the generator, the end of a name)."""

    def __init__(self, names: Sequence[str]):
        self.itos = ["<pad>", *sorted({c for n in names for c in n})]
        self.stoi = {c: i for i, c in enumerate(self.itos)}

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, name: str) -> torch.Tensor:
        unknown = sorted({c for c in name if c not in self.stoi})
        if unknown:
            raise ValueError(f"characters {unknown} of {name!r} are not in the vocabulary")
        if not name:
            raise ValueError("cannot encode an empty name")
        return torch.tensor([self.stoi[c] for c in name], dtype=torch.long)

    def one_hot(self, name: str) -> torch.Tensor:
        """``(L, 1, V)`` one-hot tensor of a name, the tutorial's ``lineToTensor`` (padding column unused)."""
        ids = self.encode(name)
        out = torch.zeros(len(ids), 1, len(self))
        out[torch.arange(len(ids)), 0, ids] = 1.0
        return out


def stratified_split(labels, fractions=(0.8, 0.1, 0.1), seed: int = 0):
    """Index arrays ``(train, val, test)`` with each class split in the given proportions.

    Every class with at least three members has at least one member in each part.
    """
    labels = np.asarray(labels)
    if len(fractions) != 3 or abs(sum(fractions) - 1) > 1e-9 or min(fractions) <= 0:
        raise ValueError(f"fractions must be three positive numbers summing to 1; got {fractions}")
    rng = np.random.default_rng(seed)
    parts = ([], [], [])
    for c in np.unique(labels):
        idx = rng.permutation(np.flatnonzero(labels == c))
        n = len(idx)
        n_val = max(1, round(fractions[1] * n)) if n >= 3 else 0
        n_test = max(1, round(fractions[2] * n)) if n >= 3 else 0
        parts[1].extend(idx[:n_val])
        parts[2].extend(idx[n_val : n_val + n_test])
        parts[0].extend(idx[n_val + n_test :])
    return tuple(np.sort(np.asarray(p, dtype=np.int64)) for p in parts)


def collate(batch):
    """``[(ids, label), ...]`` -> ``(padded (L, N), lengths (N,), labels (N,))``, padding with 0."""
    seqs, labels = zip(*batch, strict=True)
    lengths = torch.tensor([len(s) for s in seqs], dtype=torch.long)
    padded = nn.utils.rnn.pad_sequence(list(seqs), padding_value=PAD)  # (L, N)
    return padded, lengths, torch.as_tensor(labels, dtype=torch.long)


class SeedRNN(nn.Module):
    """The tutorial's module as usually printed. Its flaw: ``hidden = i2h(combined)`` is linear.

    ``forward(input (1, input_size), hidden (1, hidden_size)) -> (log_probs, hidden)``.
    """

    def __init__(self, input_size: int, hidden_size: int, output_size: int):
        super().__init__()
        self.hidden_size = hidden_size
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        hidden = self.i2h(combined)
        output = self.softmax(self.i2o(combined))
        return output, hidden

    def initHidden(self):  # noqa: N802 - the tutorial's name
        return torch.zeros(1, self.hidden_size)


class TanhRNN(SeedRNN):
    """:class:`SeedRNN` with the missing non-linearity: ``hidden = tanh(i2h(combined))``.

    The output is still read from ``combined`` (the input and the *previous*
    hidden state), as in the tutorial.
    """

    def forward(self, input, hidden):
        combined = torch.cat((input, hidden), 1)
        new_hidden = torch.tanh(self.i2h(combined))
        output = self.softmax(self.i2o(combined))
        return output, new_hidden


_CELLS = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}


class NameClassifier(nn.Module):
    """Embedding -> recurrent layer(s) over packed sequences -> linear layer over the final state.

    Args:
        vocab_size, num_classes: sizes.
        kind: ``"rnn"``, ``"gru"`` or ``"lstm"``. Default: ``"gru"``.
        embed: embedding size. Default: 32.
        hidden: hidden size. Default: 128.
        layers: stacked layers. Default: 1.
        bidirectional: also read right to left. Default: ``False``.
        dropout: between layers and before the output layer. Default: 0.0.

    ``forward(padded (L, N), lengths (N,)) -> logits (N, num_classes)``.
    """

    def __init__(
        self, vocab_size, num_classes, kind="gru", embed=32, hidden=128, layers=1, bidirectional=False, dropout=0.0
    ):
        super().__init__()
        if kind not in _CELLS:
            raise ValueError(f"kind must be one of {sorted(_CELLS)}; got {kind!r}")
        self.kind = kind
        self.embedding = nn.Embedding(vocab_size, embed, padding_idx=PAD)
        self.rnn = _CELLS[kind](
            embed, hidden, num_layers=layers, bidirectional=bidirectional, dropout=dropout if layers > 1 else 0.0
        )
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden * (2 if bidirectional else 1), num_classes)

    def forward(self, padded, lengths):
        if padded.dim() != 2 or lengths.dim() != 1 or padded.shape[1] != lengths.shape[0]:
            raise ValueError(
                f"expected padded (L, N) and lengths (N,); got {tuple(padded.shape)} and {tuple(lengths.shape)}"
            )
        packed = pack_padded_sequence(self.embedding(padded), lengths.cpu(), enforce_sorted=False)
        _, state = self.rnn(packed)
        h = state[0] if self.kind == "lstm" else state  # (layers * directions, N, hidden)
        if self.rnn.bidirectional:
            last = torch.cat([h[-2], h[-1]], dim=1)
        else:
            last = h[-1]
        return self.out(self.dropout(last))


class NameGenerator(nn.Module):
    """A character-level GRU language model conditioned on the language.

    At every step the input is the previous character's embedding concatenated
    with the language's embedding; the output is a distribution over the next
    character, where id 0 ends the name. A name is read as
    ``[start] c_1 ... c_n`` and trained to produce ``c_1 ... c_n [end]``.
    """

    def __init__(self, vocab_size, num_languages, embed=32, lang_embed=16, hidden=256, layers=2, dropout=0.2):
        super().__init__()
        self.start = vocab_size  # one extra input id for "start of name"
        self.chars = nn.Embedding(vocab_size + 1, embed)
        self.langs = nn.Embedding(num_languages, lang_embed)
        self.rnn = nn.GRU(embed + lang_embed, hidden, num_layers=layers, dropout=dropout)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, inputs, lang, state=None):
        """``inputs (L, N)`` ids, ``lang (N,)`` -> ``(logits (L, N, V), state)``."""
        L, N = inputs.shape
        x = torch.cat([self.chars(inputs), self.langs(lang).unsqueeze(0).expand(L, N, -1)], dim=-1)
        out, state = self.rnn(x, state)
        return self.out(out), state

    def batch(self, seqs: Sequence[torch.Tensor]):
        """Inputs ``(L, N)`` (start + chars) and targets ``(L, N)`` (chars + end, -100 past the end)."""
        L = max(len(s) for s in seqs) + 1
        inputs = torch.full((L, len(seqs)), PAD, dtype=torch.long)
        targets = torch.full((L, len(seqs)), -100, dtype=torch.long)
        for j, s in enumerate(seqs):
            inputs[0, j] = self.start
            inputs[1 : len(s) + 1, j] = s
            targets[: len(s), j] = s
            targets[len(s), j] = PAD  # the end of the name
        return inputs, targets

    @torch.no_grad()
    def sample(
        self,
        vocab: CharVocab,
        lang: int,
        n: int = 5,
        temperature: float = 1.0,
        prefix: str = "",
        max_len: int = 20,
        generator: torch.Generator | None = None,
    ) -> list[str]:
        """Draw ``n`` names of language ``lang`` that start with ``prefix``."""
        if temperature <= 0:
            raise ValueError(f"temperature must be > 0; got {temperature}")
        self.eval()
        device = self.out.weight.device
        out = []
        for _ in range(n):
            ids = [self.start, *vocab.encode(prefix).tolist()] if prefix else [self.start]
            inp = torch.tensor(ids, device=device).unsqueeze(1)
            lang_t = torch.tensor([lang], device=device)
            logits, state = self(inp, lang_t)
            name = prefix
            for _ in range(max_len - len(prefix)):
                probs = torch.softmax(logits[-1, 0] / temperature, dim=-1).cpu()
                c = int(torch.multinomial(probs, 1, generator=generator))
                if c == PAD:
                    break
                name += vocab.itos[c]
                logits, state = self(torch.tensor([[c]], device=device), lang_t, state)
            out.append(name)
        return out


def confusion_matrix(y_true, y_pred, num_classes: int) -> np.ndarray:
    """Counts ``(num_classes, num_classes)``: row = true class, column = predicted class."""
    m = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(m, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return m


def balanced_accuracy(y_true, y_pred, num_classes: int) -> float:
    """Mean of the per-class recalls (classes absent from ``y_true`` are skipped)."""
    m = confusion_matrix(y_true, y_pred, num_classes)
    support = m.sum(axis=1)
    present = support > 0
    return float(np.mean(np.diag(m)[present] / support[present]))
