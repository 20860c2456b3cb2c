"""Shared fixtures. No test may touch the network: ``urlopen`` is replaced for every
test by one that only serves ``file://`` addresses."""

from __future__ import annotations

import os
import urllib.error
import urllib.request
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]

# The TF1 tests need TF_USE_LEGACY_KERAS=1 before TensorFlow is imported, so they run in a
# process of their own (tests/test_tf1_process.py starts it); the main run skips the folder.
collect_ignore_glob = [] if os.environ.get("TF_USE_LEGACY_KERAS") == "1" else ["tf1/*"]

_real_urlopen = urllib.request.urlopen


def _offline_urlopen(url, *args, **kwargs):
    target = url if isinstance(url, str) else url.full_url
    if not target.startswith("file:"):
        raise urllib.error.URLError(f"network disabled in tests (asked for {target})")
    return _real_urlopen(url, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", _offline_urlopen)


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


@pytest.fixture
def shared_data() -> Path:
    """The real data folder (``$RNN_COURSE_DATA``, set by the Makefile and CI)."""
    path = os.environ.get("RNN_COURSE_DATA")
    if not path or not Path(path).is_dir():
        pytest.skip("RNN_COURSE_DATA is not set to the shared data folder")
    return Path(path)
