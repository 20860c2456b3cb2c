"""Smoke mode, the run banner and the results files."""

from __future__ import annotations

import json

import pytest

from course_lib import config, results


@pytest.mark.parametrize(("value", "smoke"), [("", False), ("0", False), ("no", False), ("1", True), ("TRUE", True)])
def test_smoke_switch(monkeypatch, value, smoke):
    monkeypatch.setenv(config.SMOKE_ENV, value)
    assert config.is_smoke() is smoke
    assert config.budget(full=10, smoke=1) == (1 if smoke else 10)


def test_smoke_switch_rejects_typos(monkeypatch):
    monkeypatch.setenv(config.SMOKE_ENV, "maybe")
    with pytest.raises(ValueError, match="RNN_COURSE_SMOKE must be"):
        config.is_smoke()


def test_run_banner(monkeypatch, capsys):
    monkeypatch.setenv(config.SMOKE_ENV, "1")
    assert config.run_banner(7).startswith("Run mode: smoke")
    monkeypatch.delenv(config.SMOKE_ENV)
    line = config.run_banner(7)
    assert line.startswith("Run mode: full | seed 7 |") and "cores" in line
    assert capsys.readouterr().out.count("Run mode") == 2


ENTRY = {
    "model": "m",
    "dataset": "d",
    "data_size": 3,
    "metric": "acc",
    "value": 0.5,
    "seed": 0,
    "epochs": 1,
    "duration_s": 1.0,
}


def test_record_full_and_smoke_go_to_different_files(monkeypatch, tmp_path):
    monkeypatch.setenv("RNN_COURSE_RESULTS", str(tmp_path))
    monkeypatch.delenv(config.SMOKE_ENV, raising=False)
    full = results.record("demo", [ENTRY])
    monkeypatch.setenv(config.SMOKE_ENV, "1")
    smoke = results.record("demo", [dict(ENTRY, value=0.1)])
    assert full == tmp_path / "demo.json" and smoke == tmp_path / "smoke" / "demo.json"
    saved = json.loads(full.read_text())
    assert saved["results"][0]["value"] == 0.5 and saved["results"][0]["full_run"] is True
    assert results.load("demo", smoke=True)["results"][0]["full_run"] is False


def test_record_rejects_incomplete_entries(monkeypatch, tmp_path):
    monkeypatch.setenv("RNN_COURSE_RESULTS", str(tmp_path))
    with pytest.raises(ValueError, match=r"missing \['seed'\]"):
        results.record("demo", [{k: v for k, v in ENTRY.items() if k != "seed"}])
    with pytest.raises(ValueError, match="at least one"):
        results.record("demo", [])
    with pytest.raises(ValueError, match="file stem"):
        results.record("../x", [ENTRY])
    with pytest.raises(FileNotFoundError, match="no results for chapter 'nope'"):
        results.load("nope")
