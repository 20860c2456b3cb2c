"""The exercise package, proven end to end with nbgrader and a real SQLite gradebook.

For every assignment: generate the student version (and compare it with the
committed exercises/), then autograde the reference solution (full marks), the
unmodified release (zero), a partly correct submission, one that hard-codes the
visible answers, one with an infinite loop, one whose tests were emptied or
deleted, and one that fails at import; then generate feedback and export grades.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader_harness import REPO, Course

pytestmark = pytest.mark.nbgrader

ASSIGNMENTS = sorted(p.name for p in (REPO / "solutions").iterdir() if p.is_dir())
TIMEOUT = 90  # seconds per cell in these tests (the course's own limit is 300)


def _spec(assignment):
    from nbgrader_specs import SPECS

    return SPECS[assignment]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    c = Course(root, TIMEOUT)
    api = c.api()
    for a in c.assignments:
        result = api.generate_assignment(a, force=True, create=True)
        assert result["success"], result["error"] + result["log"]
    return c


@pytest.fixture(scope="module")
def graded(course):
    """Autograde every scenario of every assignment once; returns {(assignment, student): score}."""
    import json
    import time

    api = course.api()
    scores, seconds = {}, {}
    for a in course.assignments:
        spec = _spec(a)
        for student, notebooks in spec.submissions(course, a).items():
            course.submit(student, a, notebooks)
            t0 = time.perf_counter()
            result = api.autograde(a, student, force=True, create=True)
            seconds[f"{a}/{student}"] = round(time.perf_counter() - t0, 1)
            assert result["success"], f"autograde {a}/{student} failed:\n{result['error']}\n{result['log'][-3000:]}"
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
            for student in spec.submissions(course, a):
                scores[(a, student)] = gb.find_submission(a, student).score
    out = REPO / "test-artifacts" / "autograde_seconds.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(seconds, indent=1) + "\n")  # quoted in the instructor guide
    return scores


def test_every_chapter_assignment_exists():
    assert ASSIGNMENTS, "solutions/ holds no assignments"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_release_is_what_generation_produces(course, assignment):
    for generated in course.notebooks(assignment, "exercises"):
        committed = REPO / "exercises" / assignment / generated.name
        assert committed.is_file(), f"exercises/{assignment}/{generated.name} is not committed: run `make exercises`"
        assert nbformat.read(committed, 4) == nbformat.read(generated, 4), (
            f"exercises/{assignment}/{generated.name} differs from what nbgrader generates: run `make exercises`"
        )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_hides_solutions_and_hidden_tests(course, assignment):
    for path in course.notebooks(assignment, "exercises"):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
        nb = nbformat.read(path, 4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("grade"):
                first = cell.source.lstrip()
                assert first.startswith(('"""', "'''")), f"{cell.metadata['nbgrader']['grade_id']}: no docstring"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_scores_of_every_scenario(graded, assignment):
    spec = _spec(assignment)
    full = spec.total_points
    got = {student: graded[(assignment, student)] for student in spec.expected}
    want = {student: (full if exp == "full" else exp) for student, exp in spec.expected.items()}
    assert got == want


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_feedback_does_not_reveal_hidden_tests(course, graded, assignment):
    api = course.api()
    for student in _spec(assignment).expected:
        result = api.generate_feedback(assignment, student, force=True)
        assert result["success"], result["error"]
        for html in (course.root / "feedback" / student / assignment).glob("*.html"):
            text = html.read_text()
            assert "HIDDEN TESTS" not in text and "own_implementation(reference)" not in text, html
            for marker in _spec(assignment).hidden_markers:
                assert marker not in text, f"{html.name} of {student} shows hidden test code: {marker!r}"


def test_export_csv_has_the_expected_scores(course, graded):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "export"],
        cwd=course.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = list(csv.DictReader((course.root / "grades.csv").open()))
    by_key = {(r["assignment"], r["student_id"]): float(r["score"]) for r in rows}
    for key, score in graded.items():
        assert by_key[key] == pytest.approx(score), key


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_validation_through_the_python_api(course, assignment):
    """`nbgrader validate` exits 0 even on failure; the Validator's result is what counts."""
    from nbgrader.validator import Validator
    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
    validator = Validator(config=cfg)
    release = course.notebooks(assignment, "exercises")[0]
    assert "failed" in validator.validate(str(release)), "the empty release must fail validation"
    solved = course.root / "submitted" / "reference" / assignment / release.name
    result = validator.validate(str(solved))
    assert not result.get("failed") and not result.get("changed"), result


def test_ignore_pattern_removes_framework_noise_but_not_real_messages():
    """Test cells are scored 0 when they write to stderr; TensorFlow's start-up noise must be ignored."""
    import re

    from traitlets.config.loader import PyFileConfigLoader

    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()
    assert cfg.IgnorePattern.enabled is True
    pattern = cfg.IgnorePattern.pattern
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    proc = subprocess.run(
        [sys.executable, "-c", "import tensorflow as tf; tf.constant(1.0) + 1"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    noise = proc.stderr
    if noise.strip():
        assert re.search(pattern, noise), f"TensorFlow's stderr is not matched by IgnorePattern:\n{noise[:2000]}"
    for real in [
        "Traceback (most recent call last):\n  ValueError: x must have shape (3,)",
        "AssertionError: h_t is wrong: did you apply tanh?",
        "my_debug_print 42",
    ]:
        assert not re.search(pattern, real), f"IgnorePattern would hide a real message: {real!r}"
