"""Per-assignment scenarios for tests/test_nbgrader.py: which submissions, and the scores they must get."""

from __future__ import annotations

import nbformat
from nbgrader_harness import grade_cells, make_submission, solution_code


class Spec:
    """Scenarios of one assignment.

    Attributes:
        partial: answer cells filled with the solution in the partly correct submission.
        hardcoded: answer cells replaced by code that returns the visible tests' answers.
        loop: the answer cell whose function never returns.
        broken_import: the answer cell that starts with a failing import.
        expected: student -> "full" or points.
        hidden_markers: code that appears only in hidden tests (must not reach feedback).
    """

    def __init__(self, notebook, partial, hardcoded, loop, broken_import, expected, hidden_markers):
        self.notebook = notebook
        self.partial, self.hardcoded, self.loop, self.broken_import = partial, hardcoded, loop, broken_import
        self.expected = {"reference": "full", "blank": 0, **expected, "tampered_tests": 0}
        self.hidden_markers = hidden_markers
        self._cache = {}

    def submissions(self, course, assignment):
        key = str(course.root)
        if key in self._cache:
            return self._cache[key]
        source = nbformat.read(course.root / "solutions" / assignment / self.notebook, 4)
        release = nbformat.read(course.root / "exercises" / assignment / self.notebook, 4)
        self.total_points = sum(grade_cells(source).values())
        sol = solution_code(source)
        loop_code = sol[self.loop].split("\n")
        # keep the def line(s), replace the body by an endless loop
        header = [ln for ln in loop_code if ln.startswith("def ") or ln.startswith("class ")][0]
        tests = {gid: "pass" for gid in grade_cells(source)}
        first_test = next(iter(tests))
        subs = {
            "reference": make_submission(release, sol),
            "blank": release,
            "partial": make_submission(release, {k: sol[k] for k in self.partial}),
            "hardcoded": make_submission(release, {**sol, **self.hardcoded}),
            "infinite_loop": make_submission(release, {**sol, self.loop: header + "\n    while True:\n        pass\n"}),
            "tampered_tests": make_submission(release, None, tests=tests, drop=(first_test,)),
            "broken_import": make_submission(
                release, {**sol, self.broken_import: "import course_lib.no_such_module\n" + sol[self.broken_import]}
            ),
        }
        self._cache[key] = {s: {self.notebook: nb} for s, nb in subs.items()}
        return self._cache[key]


SPECS = {
    "01_numpy_rnn": Spec(
        notebook="numpy_rnn.ipynb",
        partial=["rnn_cell_forward", "rnn_forward"],  # 2 + 1 + 2 points
        hardcoded={
            "clip_gradients": "def clip_gradients(grads, max_norm):\n"
            '    return {"a": np.array([1.5, 2.0]), "b": np.array([[6.0]])}\n'
        },
        loop="rnn_backward",
        broken_import="rnn_cell_forward",
        expected={"partial": 5, "hardcoded": 9, "infinite_loop": 7, "broken_import": 6},
        hidden_markers=["seed=11", "seed=7", "own_implementation(reference)"],
    ),
}
