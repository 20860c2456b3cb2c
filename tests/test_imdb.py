"""The IMDB loader: tokenising, vocabulary from the training split, Keras-compatible padding."""

from __future__ import annotations

import numpy as np
import pytest

from course_lib import imdb

REVIEWS = {
    "train/pos": ["A great, great film.<br /><br />Loved it!", "Great acting; don't miss it"],
    "train/neg": ["A dull film. Dull, dull, DULL.", "It's bad"],
    "test/pos": ["Great fun, superb"],
    "test/neg": ["Dull and bad"],
}


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv("RNN_COURSE_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "aclImdb"
    for sub, texts in REVIEWS.items():
        (root / sub).mkdir(parents=True)
        for i, text in enumerate(texts):
            (root / sub / f"{i}_{8 if 'pos' in sub else 2}.txt").write_text(text, encoding="utf-8")
    return root


def test_tokenize():
    assert imdb.tokenize("It's <br />GREAT!! Don't... 10/10") == ["it's", "great", "don't", "10", "10"]


@pytest.mark.parametrize("padding", ["pre", "post"])
@pytest.mark.parametrize("truncating", ["pre", "post"])
def test_pad_sequences_matches_keras(padding, truncating):
    keras = pytest.importorskip("keras")
    seqs = [[1, 2, 3, 4, 5, 6], [7], [], [8, 9, 10]]
    ours = imdb.pad_sequences(seqs, maxlen=4, padding=padding, truncating=truncating)
    theirs = keras.utils.pad_sequences(seqs, maxlen=4, padding=padding, truncating=truncating)
    np.testing.assert_array_equal(ours, theirs)


def test_pad_sequences_rejects_bad_arguments():
    with pytest.raises(ValueError, match="padding must be 'pre' or 'post'; got 'middle'"):
        imdb.pad_sequences([[1]], 3, padding="middle")
    with pytest.raises(ValueError, match="maxlen must be >= 1"):
        imdb.pad_sequences([[1]], 0)


def test_vocabulary_comes_from_training_split_only(tiny):
    d = imdb.load_imdb(num_words=None, maxlen=None, seed=None, folder=tiny)
    assert d.words[:3] == ["dull", "great", "a"]  # counts 4, 3, 2 ("a", "film", "it" tie: alphabetical)
    assert "superb" not in d.words and "fun" not in d.words
    test_pos = d.x_test[1]  # file order: neg first, then pos
    assert d.decode(test_pos) == "<start> great <oov> <oov>"
    assert d.word_index["dull"] == imdb.INDEX_FROM
    assert d.y_train.tolist() == [0, 0, 1, 1]


def test_num_words_and_padding(tiny):
    d = imdb.load_imdb(num_words=5, maxlen=4, seed=None, folder=tiny)  # ids 3, 4 kept: dull, great
    assert d.x_train.shape == (4, 4) and d.x_train.dtype == np.int32
    assert d.x_train.max() < 5
    # "<start> a dull film dull dull dull": "a" and "film" (ids 5, 6) become <oov>; the last 4 ids are kept
    assert d.decode(d.x_train[0]) == "<oov> dull dull dull"
    assert d.lengths_train[0] == 7
    short = imdb.load_imdb(num_words=5, maxlen=4, padding="pre", seed=None, folder=tiny).x_train[1]  # "it's bad"
    assert short.tolist() == [0, imdb.START, imdb.OOV, imdb.OOV]


def test_shuffle_is_seeded_and_keeps_pairs(tiny):
    a = imdb.load_imdb(num_words=None, maxlen=10, seed=1, folder=tiny)
    b = imdb.load_imdb(num_words=None, maxlen=10, seed=1, folder=tiny)
    plain = imdb.load_imdb(num_words=None, maxlen=10, seed=None, folder=tiny)
    np.testing.assert_array_equal(a.x_train, b.x_train)
    for x, y in zip(a.x_train, a.y_train, strict=True):  # every review keeps its label
        j = next(i for i, row in enumerate(plain.x_train) if np.array_equal(row, x))
        assert plain.y_train[j] == y


def test_second_load_uses_the_cache(tiny):
    imdb.load_imdb(folder=tiny)
    for p in tiny.rglob("*.txt"):
        p.unlink()  # the texts are gone; the cached encoding must be used
    assert imdb.load_imdb(num_words=None, maxlen=None, folder=tiny).x_train[0][0] == imdb.START


def test_bad_num_words(tiny):
    with pytest.raises(ValueError, match="num_words must be > 3"):
        imdb.load_imdb(num_words=3, folder=tiny)


def test_real_imdb(shared_data):
    d = imdb.load_imdb(num_words=10_000, maxlen=500)
    assert d.x_train.shape == (25_000, 500) and d.x_test.shape == (25_000, 500)
    assert d.y_train.sum() == 12_500 and d.y_test.sum() == 12_500
    assert d.x_train.max() == 9_999 and d.words[0] == "the"
    # shuffled: the last 20% (Keras' validation_split) holds both labels
    assert 0.4 < d.y_train[-5_000:].mean() < 0.6
