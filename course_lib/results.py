"""Machine-readable results of the chapters' training runs.

Each chapter that trains calls :func:`record` at the end; it writes
``book/results/<chapter>.json``. A smoke run writes to
``book/results/smoke/<chapter>.json`` instead (ignored by git), so executing the
book in CI never overwrites the figures of the full runs.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from .config import hardware, is_smoke

__all__ = ["RESULT_FIELDS", "results_dir", "record", "load"]

#: Fields every entry must have.
RESULT_FIELDS = ("model", "dataset", "data_size", "metric", "value", "seed", "epochs", "duration_s")

_REPO = Path(__file__).resolve().parents[1]


def results_dir(smoke: bool | None = None) -> Path:
    """Where results go: ``$RNN_COURSE_RESULTS`` if set, else ``book/results`` in the repository."""
    base = Path(os.environ.get("RNN_COURSE_RESULTS", _REPO / "book" / "results"))
    smoke = is_smoke() if smoke is None else smoke
    return base / "smoke" if smoke else base


def record(chapter: str, entries: list[dict]) -> Path:
    """Write the results of one chapter and return the file's path.

    Args:
        chapter: file stem, for example ``"numpy_rnn"``.
        entries: one dict per measured figure, each with at least
            :data:`RESULT_FIELDS`; ``hardware``, ``full_run`` and ``recorded_at``
            are added.
    """
    if not chapter or not chapter.replace("_", "").isalnum():
        raise ValueError(f"chapter must be a file stem of letters, digits and '_'; got {chapter!r}")
    if not entries:
        raise ValueError("entries must hold at least one result")
    out = []
    for i, entry in enumerate(entries):
        missing = [f for f in RESULT_FIELDS if f not in entry]
        if missing:
            raise ValueError(f"result {i} is missing {missing}; every result needs {RESULT_FIELDS}")
        out.append(
            {
                **entry,
                "hardware": hardware(),
                "full_run": not is_smoke(),
                "recorded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
        )
    path = results_dir() / f"{chapter}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps({"chapter": chapter, "results": out}, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def load(chapter: str, smoke: bool = False) -> dict:
    """Read a chapter's results file."""
    path = results_dir(smoke) / f"{chapter}.json"
    if not path.exists():
        raise FileNotFoundError(f"no results for chapter {chapter!r}: expected {path}")
    return json.loads(path.read_text(encoding="utf-8"))
