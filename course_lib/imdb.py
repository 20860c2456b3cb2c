"""The IMDB sentiment data set, built from the raw review text of ``aclImdb``.

``keras.datasets.imdb`` ships the same 50,000 labelled reviews already turned
into integers. This module does that step itself, from the text of the Large
Movie Review Dataset (Maas et al., 2011), so that every step is visible:

1. Tokenise: lower-case, ``<br />`` line breaks removed, words are runs of
   letters and digits, with an inner apostrophe kept (``don't``).
2. Build the vocabulary from the **training split only**, most frequent first
   (ties broken alphabetically), so nothing about the test reviews leaks in.
3. Encode with the same reserved ids as Keras: 0 padding, 1 start of review,
   2 out-of-vocabulary; the most frequent word gets id 3. ``num_words`` keeps
   ids below ``num_words`` and maps the rest to 2, as ``keras.datasets.imdb``'s
   ``num_words`` does.
4. Pad or truncate to ``maxlen`` like ``keras.utils.pad_sequences`` (defaults
   ``padding="pre"``, ``truncating="pre"``: zeros in front, the *end* of a long
   review kept).

The ids differ from ``keras.datasets.imdb``'s: its word index was built by its
authors with their own tokenisation, over a different ordering of the corpus.
The tokenised corpus is cached next to the unpacked data, so the second load
takes a fraction of a second.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import IMDB, cache_dir, fetch

__all__ = ["PAD", "START", "OOV", "INDEX_FROM", "tokenize", "pad_sequences", "ImdbData", "load_imdb"]

PAD, START, OOV = 0, 1, 2
INDEX_FROM = 3
TOKENIZER_VERSION = 1
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def tokenize(text: str) -> list[str]:
    """Split a review into lower-case word tokens: ``"It's <br />GREAT!" -> ["it's", "great"]``."""
    return _TOKEN.findall(_BREAK.sub(" ", text).lower())


def pad_sequences(sequences, maxlen: int, padding: str = "pre", truncating: str = "pre", value: int = PAD):
    """Pad or cut integer sequences to ``maxlen``; returns an ``int32`` array ``(len(sequences), maxlen)``.

    Same rules as ``keras.utils.pad_sequences``: ``"pre"`` works at the start
    of the sequence, ``"post"`` at the end.
    """
    if maxlen < 1:
        raise ValueError(f"maxlen must be >= 1; got {maxlen}")
    for name, mode in (("padding", padding), ("truncating", truncating)):
        if mode not in ("pre", "post"):
            raise ValueError(f"{name} must be 'pre' or 'post'; got {mode!r}")
    out = np.full((len(sequences), maxlen), value, dtype=np.int32)
    for i, seq in enumerate(sequences):
        seq = np.asarray(seq, dtype=np.int32)
        seq = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        if padding == "pre":
            out[i, maxlen - len(seq) :] = seq
        else:
            out[i, : len(seq)] = seq
    return out


def _read_split(folder: Path, split: str):
    texts, labels, ids = [], [], []
    for label, sub in ((0, "neg"), (1, "pos")):
        files = sorted((folder / split / sub).glob("*.txt"))
        if not files:
            raise FileNotFoundError(f"no reviews in {folder / split / sub}")
        for path in files:
            texts.append(path.read_text(encoding="utf-8"))
            labels.append(label)
            ids.append(f"{split}/{sub}/{path.name}")
    return texts, np.asarray(labels, np.int8), ids


def _encoded_corpus(folder: Path) -> dict:
    """Token ids of every review with the full training vocabulary (cached per source folder)."""
    import hashlib

    key = hashlib.sha256(str(Path(folder).resolve()).encode()).hexdigest()[:12]
    cache = cache_dir() / "aclImdb" / f"encoded-v{TOKENIZER_VERSION}-{key}.npz"
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as z:
            return {k: z[k] for k in z.files}
    train_texts, y_train, _ = _read_split(folder, "train")
    test_texts, y_test, _ = _read_split(folder, "test")
    train_tokens = [tokenize(t) for t in train_texts]
    counts = Counter(tok for toks in train_tokens for tok in toks)
    words = sorted(counts, key=lambda w: (-counts[w], w))
    index = {w: i + INDEX_FROM for i, w in enumerate(words)}

    def encode(tokens_list):
        flat, offsets = [], [0]
        for toks in tokens_list:
            flat.append(START)
            flat.extend(index.get(t, OOV) for t in toks)
            offsets.append(len(flat))
        return np.asarray(flat, np.int32), np.asarray(offsets, np.int64)

    tr_flat, tr_off = encode(train_tokens)
    te_flat, te_off = encode(tokenize(t) for t in test_texts)
    arrays = {
        "train_flat": tr_flat,
        "train_offsets": tr_off,
        "y_train": y_train,
        "test_flat": te_flat,
        "test_offsets": te_off,
        "y_test": y_test,
        "words": np.asarray(json.dumps(words)),
        "counts": np.asarray([counts[w] for w in words], np.int64),
    }
    cache.parent.mkdir(parents=True, exist_ok=True)
    tmp = cache.with_name(cache.stem + ".tmp.npz")
    np.savez(tmp, **arrays)
    tmp.replace(cache)
    return arrays


@dataclass
class ImdbData:
    """Encoded reviews and the vocabulary that decodes them.

    Attributes:
        x_train, x_test: ``int32`` arrays ``(25000, maxlen)``, or lists of arrays when ``maxlen`` is ``None``.
        y_train, y_test: ``int8`` labels, 1 = positive.
        words: the training vocabulary, most frequent first; word ``words[i]`` has id ``i + 3``.
        word_counts: how often each word occurs in the training reviews.
        num_words: ids at or above it were mapped to :data:`OOV`.
        lengths_train, lengths_test: review lengths in tokens, start token included, before padding.
    """

    x_train: object
    y_train: np.ndarray
    x_test: object
    y_test: np.ndarray
    words: list
    word_counts: np.ndarray
    num_words: int | None
    lengths_train: np.ndarray
    lengths_test: np.ndarray

    @property
    def word_index(self) -> dict:
        """``{word: id}`` as used in the arrays (ids >= ``num_words`` are not used)."""
        return {w: i + INDEX_FROM for i, w in enumerate(self.words)}

    def decode(self, ids) -> str:
        """Turn ids back into text: ``<pad>`` is skipped, ``<start>`` and ``<oov>`` shown as such."""
        special = {START: "<start>", OOV: "<oov>"}
        out = []
        for i in np.asarray(ids).tolist():
            if i == PAD:
                continue
            out.append(special.get(i) or self.words[i - INDEX_FROM])
        return " ".join(out)


def _split(flat, offsets):
    return [flat[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]


def load_imdb(
    num_words: int | None = 10_000,
    maxlen: int | None = 500,
    padding: str = "pre",
    truncating: str = "pre",
    seed: int | None = 113,
    limit: int | None = None,
    download: bool = True,
    folder=None,
) -> ImdbData:
    """Load the 25,000 training and 25,000 test reviews, encoded as integers.

    Args:
        num_words: keep the ``num_words - 3`` most frequent training words (ids
            below ``num_words``); ``None`` keeps all. Default: 10,000.
        maxlen: pad/truncate every review to this many ids; ``None`` returns
            variable-length arrays. Default: 500.
        padding, truncating: ``"pre"`` or ``"post"``, as in ``pad_sequences``. Default: ``"pre"``.
        seed: shuffle both splits with this seed (the files are sorted by label,
            and ``validation_split`` in Keras takes the *last* examples);
            ``None`` keeps the file order. Default: 113, as ``keras.datasets.imdb``.
        limit: keep only the first ``limit`` reviews of each split after
            shuffling (for quick runs). Default: ``None`` (all).
        download: allow downloading the archive. Default: ``True``.
        folder: read this unpacked ``aclImdb`` folder instead of fetching the
            data set. Default: ``None``.
    """
    if num_words is not None and num_words <= INDEX_FROM:
        raise ValueError(f"num_words must be > {INDEX_FROM} (ids 0-2 are reserved) or None; got {num_words}")
    corpus = _encoded_corpus(Path(folder) if folder is not None else fetch(IMDB, download=download))
    words = json.loads(str(corpus["words"]))
    parts = {}
    for split in ("train", "test"):
        seqs = _split(corpus[f"{split}_flat"], corpus[f"{split}_offsets"])
        labels = corpus[f"y_{split}"]
        order = np.random.default_rng(seed).permutation(len(seqs)) if seed is not None else np.arange(len(seqs))
        if limit is not None:
            order = order[:limit]
        seqs = [seqs[i] for i in order]
        if num_words is not None:
            seqs = [np.where(s < num_words, s, OOV).astype(np.int32) for s in seqs]
        lengths = np.asarray([len(s) for s in seqs])
        x = pad_sequences(seqs, maxlen, padding, truncating) if maxlen is not None else seqs
        parts[split] = (x, labels[order], lengths)
    return ImdbData(
        parts["train"][0],
        parts["train"][1],
        parts["test"][0],
        parts["test"][1],
        words,
        corpus["counts"],
        num_words,
        parts["train"][2],
        parts["test"][2],
    )
