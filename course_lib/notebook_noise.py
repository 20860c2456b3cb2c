"""Hide TensorFlow's start-up log lines in the rendered book.

``import tensorflow`` writes lines such as ``cudart_stub.cc:31] Could not find cuda
drivers`` and ``cpu_feature_guard.cc`` to stderr whatever ``TF_CPP_MIN_LOG_LEVEL``
says. They say nothing about the chapter, so a cell whose stderr holds only such
lines gets MyST-NB's ``remove-stderr`` tag (the lines stay in the notebook file).
A cell with any other stderr line (a real warning) is left alone.

Run after executing chapters: ``python -m course_lib.notebook_noise book/chapters/*.ipynb``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TAG = "remove-stderr"
NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWE]\d{4} [\d:.]+\s+\d+ (cudart_stub|cpu_feature_guard|cuda_platform|cuda_executor|cuda_dnn|cuda_fft|cuda_blas"
    r"|mlir_graph_optimization_pass)\.cc:\d+\] .*"
    r"|To enable the following instructions: .* rebuild TensorFlow with the appropriate compiler flags\.)$"
)


def stderr_lines(cell) -> list[str]:
    return [
        line
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
        for line in out.get("text", "").splitlines()
        if line.strip()
    ]


def only_noise(cell) -> bool:
    """True when the cell wrote to stderr and every line is TensorFlow start-up noise."""
    lines = stderr_lines(cell)
    return bool(lines) and all(NOISE.match(line) for line in lines)


def tag_notebook(path: Path) -> int:
    """Add the tag to every cell whose stderr is only noise; return how many cells changed."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    changed = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and only_noise(cell):
            tags = cell.metadata.setdefault("tags", [])
            if TAG not in tags:
                tags.append(TAG)
                changed += 1
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for arg in sys.argv[1:]:
        print(f"{arg}: tagged {tag_notebook(Path(arg))} cell(s)")
