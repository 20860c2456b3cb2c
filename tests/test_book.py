"""The book builds with Jupyter Book v1, warnings as errors, and renders the committed outputs."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    exe = shutil.which("jupyter-book") or str(Path(sys.executable).parent / "jupyter-book")
    proc = subprocess.run(
        [exe, "build", str(REPO), "--path-output", str(out), "-W", "-n", "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"jupyter-book build failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return out / "_build" / "html"


def test_every_toc_page_is_built(built):
    import yaml

    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    files = [toc["root"]] + [c["file"] for part in toc["parts"] for c in part["chapters"]]
    for f in files:
        assert (built / f"{f}.html").is_file(), f"{f}.html missing from the built site"


def test_chapter_outputs_and_figures_are_rendered(built):
    page = (built / "book" / "chapters" / "01_numpy_rnn.html").read_text(encoding="utf-8")
    assert "Run mode: full" in page
    assert "np.concatenate gives (6400,)" in page
    assert page.count("<img") >= 4, "the chapter's figures are not in the page"
    assert 'alt="Two histograms' in page, "figure alt text is not rendered"


def test_solutions_never_reach_the_site(built):
    assert not list(built.rglob("solutions*")), "instructor solutions were published"


def test_tensorflow_start_up_lines_are_not_rendered(built):
    """The `remove-stderr` tags hide TensorFlow's start-up noise; the chapters' own output stays."""
    pages = sorted((built / "book" / "chapters").glob("*.html"))
    assert pages
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for noise in ("cudart_stub.cc", "cpu_feature_guard.cc", "absl::InitializeLog"):
            assert noise not in html, f"{page.name} shows TensorFlow start-up line {noise!r}"
    keras_page = (built / "book" / "chapters" / "02_keras_layers.html").read_text(encoding="utf-8")
    assert "Run mode: full" in keras_page and "GPUs visible" in keras_page, "the device report must stay"
