"""The tagger that hides TensorFlow's start-up lines in the rendered book."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course_lib import notebook_noise

START_UP = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1795503547.543036    4160 cudart_stub.cc:31] Could not find cuda drivers on your machine, "
    "GPU will not be used.\n"
    "I0000 00:00:1795505544.415392   24549 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use "
    "available CPU instructions in performance-critical operations.\n"
    "To enable the following instructions: AVX2 FMA, in other operations, rebuild TensorFlow with the appropriate "
    "compiler flags.\n"
)
REAL_WARNING = (
    "W0000 00:00:1795505571.612744   24549 c_api.cc:305] Operation 'dense/BiasAdd' was changed by setting "
    "attribute after it was run by a session.\n"
)


def _cell(*stderr, stdout=None):
    outputs = [new_output("stream", name="stderr", text=t) for t in stderr]
    if stdout:
        outputs.append(new_output("stream", name="stdout", text=stdout))
    return new_code_cell("import tensorflow as tf", outputs=outputs)


def test_only_start_up_lines_count_as_noise():
    assert notebook_noise.only_noise(_cell(START_UP, stdout="2.21.0\n"))
    assert not notebook_noise.only_noise(_cell(START_UP, REAL_WARNING)), "a real warning must stay visible"
    assert not notebook_noise.only_noise(_cell("UserWarning: something\n"))
    assert not notebook_noise.only_noise(_cell(stdout="no stderr at all\n"))


def test_tag_notebook_tags_noise_cells_once_and_keeps_outputs(tmp_path):
    path = tmp_path / "nb.ipynb"
    nb = new_notebook(cells=[_cell(START_UP), _cell(START_UP, REAL_WARNING), _cell(stdout="hi\n")])
    nbformat.write(nb, path)
    assert notebook_noise.tag_notebook(path) == 1
    again = nbformat.read(path, as_version=4)
    assert [c.metadata.get("tags", []) for c in again.cells] == [["remove-stderr"], [], []]
    assert again.cells[0].outputs[0].text == START_UP, "the lines stay in the file, only the book hides them"
    assert notebook_noise.tag_notebook(path) == 0, "a second run changes nothing"
