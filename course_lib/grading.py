"""Helpers for the autograded exercises: reproducible test cases and diagnostic checks.

The visible tests of the exercises build their inputs with the ``*_case`` functions
here, so that the instructor's tests (tests/test_nbgrader.py) can build the same
inputs, for example to construct a submission that hard-codes the visible answers
and check that the hidden tests catch it.
"""

from __future__ import annotations

import contextlib

import numpy as np

__all__ = ["rnn_case", "assert_shape", "assert_close", "own_implementation"]


def rnn_case(L=4, N=3, H_in=5, H=6, seed=0):
    """``(x, h0, params)`` of a small RNN problem: x ``(L, N, H_in)``, h0 ``(N, H)``."""
    rng = np.random.default_rng(seed)
    params = {
        "W_ih": rng.standard_normal((H, H_in)) * 0.5,
        "W_hh": rng.standard_normal((H, H)) * 0.5,
        "b_ih": rng.standard_normal(H) * 0.5,
        "b_hh": rng.standard_normal(H) * 0.5,
    }
    return rng.standard_normal((L, N, H_in)), rng.standard_normal((N, H)), params


def assert_shape(value, expected, what):
    """Fail with a message naming the expected and the received shape (never the values)."""
    got = np.shape(value)
    assert got == tuple(expected), f"{what} should have shape {tuple(expected)}, but has shape {got}"


def assert_close(actual, expected, what, hints=(), atol=1e-6):
    """Fail if ``actual`` differs from ``expected``; ``hints`` are ``(candidate, message)`` pairs.

    When the answer equals a known wrong variant (a candidate), the matching
    message says what was probably forgotten. The expected values are never printed.
    """
    actual = np.asarray(actual, dtype=float)
    assert_shape(actual, np.shape(expected), what)
    if np.allclose(actual, expected, atol=atol, rtol=1e-5):
        return
    for candidate, message in hints:
        if np.shape(candidate) == actual.shape and np.allclose(actual, candidate, atol=atol, rtol=1e-5):
            raise AssertionError(f"{what} is wrong: {message}")
    err = float(np.max(np.abs(actual - expected)))
    raise AssertionError(f"{what} is wrong: largest difference from the correct values is {err:.3g}")


@contextlib.contextmanager
def own_implementation(*modules):
    """Make the reference implementations in ``modules`` raise while the block runs.

    The exercises ask students to write the functions themselves; a hidden test
    calls the student's function inside this block, so an answer that only
    delegates to ``course_lib`` fails with a clear message.
    """
    saved = []
    for module in modules:
        for name in getattr(module, "__all__", []):
            fn = getattr(module, name)
            if callable(fn):
                saved.append((module, name, fn))

                def refuse(*args, _name=name, **kwargs):
                    raise AssertionError(
                        f"this exercise asks you to write {_name} yourself, not to call course_lib's reference version"
                    )

                setattr(module, name, refuse)
    try:
        yield
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)
