"""Runs the TF1 tests in a process of their own, with TF_USE_LEGACY_KERAS=1 set before TensorFlow starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _env(**extra):
    env = {k: v for k, v in os.environ.items() if k != "TF_USE_LEGACY_KERAS"}
    env.update(extra)
    return env


def test_tf1_suite_in_legacy_keras_process():
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(REPO / "tests" / "tf1")],
        env=_env(TF_USE_LEGACY_KERAS="1"),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert proc.returncode == 0, f"TF1 tests failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    assert " passed" in proc.stdout and " failed" not in proc.stdout


def test_tf1_refuses_a_process_with_keras_3():
    code = "import tensorflow as tf; tf.keras.layers.Dense; import course_lib.tf1"
    proc = subprocess.run([sys.executable, "-c", code], env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode != 0
    assert "needs TF_USE_LEGACY_KERAS=1 before TensorFlow is imported" in proc.stderr
