"""Builds submissions from the released notebooks and grades them with the real nbgrader gradebook.

Used by tests/test_nbgrader.py. A submission is the released notebook with its
answer cells filled in (or its test cells tampered with), written where nbgrader
expects submissions: ``submitted/<student>/<assignment>/<notebook>``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]
_SOLUTION = re.compile(r"[ \t]*### BEGIN SOLUTION[ \t]*\n(.*?)[ \t]*### END SOLUTION[ \t]*\n?", re.DOTALL)


def solution_code(source_nb) -> dict:
    """``{grade_id: code}`` of the answer cells of an instructor notebook, markers removed."""
    out = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            out[meta["grade_id"]] = _SOLUTION.sub(lambda m: m.group(1), cell.source)
    return out


def grade_cells(nb) -> dict:
    """``{grade_id: points}`` of the graded test cells."""
    return {
        c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
        for c in nb.cells
        if c.metadata.get("nbgrader", {}).get("grade")
    }


def make_submission(release_nb, answers: dict | None = None, tests: dict | None = None, drop: tuple = ()):
    """A copy of ``release_nb`` with answer cells replaced by ``answers`` and test cells by ``tests``;
    cells whose grade_id is in ``drop`` are deleted."""
    nb = nbformat.from_dict(release_nb)
    cells = []
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in drop:
            continue
        if answers and gid in answers:
            cell.source = answers[gid]
        if tests and gid in tests:
            cell.source = tests[gid]
        cells.append(cell)
    nb.cells = cells
    return nb


class Course:
    """A temporary course directory with the repository's solutions and configuration."""

    def __init__(self, root: Path, timeout: int):
        self.root = root
        shutil.copytree(REPO / "solutions", root / "solutions")
        config = (REPO / "nbgrader_config.py").read_text()
        config += f"\nc.ExecutePreprocessor.timeout = {timeout}\nc.Execute.timeout = {timeout}\n"
        (root / "nbgrader_config.py").write_text(config)
        self.assignments = sorted(p.name for p in (root / "solutions").iterdir() if p.is_dir())

    def api(self):
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config import Config
        from traitlets.config.loader import PyFileConfigLoader

        cfg = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        cfg.merge(Config({"CourseDirectory": {"root": str(self.root)}}))
        return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)

    def notebooks(self, assignment: str, step: str = "solutions") -> list[Path]:
        return sorted((self.root / step / assignment).glob("*.ipynb"))

    def submit(self, student: str, assignment: str, notebooks: dict) -> None:
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / name)
        (folder / "timestamp.txt").write_text("2026-11-24 12:00:00.000000 UTC")
