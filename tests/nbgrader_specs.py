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

SPECS["02_keras"] = Spec(
    notebook="keras_rnn.ipynb",
    partial=["build_stacked"],  # 3 points
    hardcoded={"simple_rnn_params": "def simple_rnn_params(units, input_dim):\n    return 2080\n"},
    loop="simple_rnn_params",
    broken_import="build_stacked",
    expected={"partial": 3, "hardcoded": 6, "infinite_loop": 6, "broken_import": 5},
    hidden_markers=["x_test[1_000:2_000]", "build_stacked(500, 8, 16, 2)"],
)
SPECS["03_lstm_gru"] = Spec(
    notebook="gates.ipynb",
    partial=["lstm_cell_forward"],  # 3 points
    hardcoded={
        "keras_gru_to_torch": (
            "def keras_gru_to_torch(kernel, recurrent_kernel, bias):\n"
            "    # the visible test's layer has 5 units: reorder for H = 5 only\n"
            "    H = 5\n"
            "    def reorder(m):\n"
            "        return np.concatenate([m[..., H : 2 * H], m[..., :H], m[..., 2 * H :]], axis=-1)\n"
            "    return {'W_ih': reorder(kernel).T, 'W_hh': reorder(recurrent_kernel).T, 'b_ih': reorder(bias[0]),\n"
            "            'b_hh': reorder(bias[1])}\n"
        )
    },
    loop="gru_cell_forward",
    broken_import="lstm_cell_forward",
    expected={"partial": 3, "hardcoded": 6, "infinite_loop": 5, "broken_import": 5},
    hidden_markers=["seed=13", "own_implementation(numpy_gru)"],
)
SPECS["04_pytorch"] = Spec(
    notebook="names_rnn.ipynb",
    partial=["name_to_tensor", "accuracy"],  # 2 + 2 points
    hardcoded={"accuracy": "def accuracy(logits, labels):\n    return 0.75\n"},
    loop="train_step",
    broken_import="accuracy",
    expected={"partial": 4, "hardcoded": 7, "infinite_loop": 7, "broken_import": 7},
    hidden_markers=["Zoë", "p.grad = torch.full_like(p, 1e6)"],
)
SPECS["05_tf1"] = Spec(
    notebook="tf1_dynamic_rnn.ipynb",
    partial=["next_value_batch", "build_graph"],  # 2 + 3 points
    hardcoded={
        "next_value_batch": (
            "def next_value_batch(series, starts, n_steps):\n"
            "    # fits the visible test only: windows of 20 steps, whatever n_steps says\n"
            "    idx = np.asarray(starts)[:, None] + np.arange(21)\n"
            "    w = series[idx]\n"
            "    return w[:, :-1, None], w[:, 1:, None]\n"
        )
    },
    loop="build_graph",
    broken_import="next_value_batch",
    expected={"partial": 5, "hardcoded": 6, "infinite_loop": 2, "broken_import": 3},
    hidden_markers=["np.arange(50), 3", "build_graph(8)"],
)
