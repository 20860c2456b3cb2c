"""Finding, verifying and unpacking data sets, on tiny archives built here; no network."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from course_lib import data

FILES = {"English.txt": "Abel\nAdams  \nAdams\n", "Russian.txt": "Ababko\nTo The First Page\nLytkin,\n"}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_zip(path: Path, files=FILES, root="data/names", extra=None) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in files.items():
            zf.writestr(f"{root}/{name}", text)
        for name, text in (extra or {}).items():
            zf.writestr(name, text)
    return path


def make_tar(path: Path, files=FILES, root="data/names") -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, text in files.items():
            raw = text.encode()
            info = tarfile.TarInfo(f"{root}/{name}")
            info.size = len(raw)
            tf.addfile(info, io.BytesIO(raw))
    return path


def spec(archive: Path | None = None, url: str | None = None, checksum=True, filename="tiny.zip") -> data.Dataset:
    digest = sha(archive) if (archive is not None and checksum) else None
    return data.Dataset(
        name="tiny",
        archives=(data.Archive(filename, digest, url),),
        root="data/names",
        files={n: hashlib.sha256(t.encode()).hexdigest() for n, t in FILES.items()},
        min_files=2,
    )


@pytest.fixture
def env(tmp_path, monkeypatch):
    """An empty data folder and cache, named by the environment variables."""
    data_dir, cache = tmp_path / "data", tmp_path / "cache"
    data_dir.mkdir()
    monkeypatch.setenv(data.DATA_ENV, str(data_dir))
    monkeypatch.setenv(data.CACHE_ENV, str(cache))
    return data_dir, cache


def leftovers(cache: Path) -> list:
    return [p for p in cache.rglob("*") if p.name.startswith(".tiny-")] if cache.exists() else []


def test_archive_in_data_folder_is_verified_and_unpacked(env):
    data_dir, cache = env
    archive = make_zip(data_dir / "tiny.zip")
    folder = data.fetch(spec(archive))
    assert folder == cache / "tiny" / "data" / "names"
    assert sorted(p.name for p in folder.iterdir()) == ["English.txt", "Russian.txt"]
    archive.unlink()  # the unpacked copy in the cache is enough from now on
    assert data.fetch(spec(make_zip(env[0].parent / "other.zip"))) == folder


def test_only_wanted_members_are_unpacked(env):
    data_dir, cache = env
    archive = make_zip(data_dir / "tiny.zip", extra={"data/eng-fra.txt": "x"})
    data.fetch(spec(archive))
    assert not (cache / "tiny" / "data" / "eng-fra.txt").exists()


def test_wrong_checksum_unpacks_nothing(env):
    data_dir, cache = env
    archive = make_zip(data_dir / "tiny.zip")
    good = spec(archive)
    archive.write_bytes(archive.read_bytes()[:-10])  # truncated after the checksum was taken
    with pytest.raises(data.CorruptArchiveError, match=r"has SHA-256 [0-9a-f]{64}, expected .*Nothing was unpacked"):
        data.fetch(good)
    assert not (cache / "tiny").exists() or not any((cache / "tiny").iterdir())
    assert archive.exists(), "the user's file is never deleted"


def test_truncated_tar_without_archive_checksum_is_detected(env):
    data_dir, cache = env
    archive = make_tar(data_dir / "tiny.tar.gz")
    raw = archive.read_bytes()
    archive.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(data.CorruptArchiveError, match="corrupt or truncated|does not contain"):
        data.fetch(spec(archive, checksum=False, filename="tiny.tar.gz"))
    assert not (cache / "tiny" / "data").exists()
    assert leftovers(cache) == []


def test_altered_member_is_detected_by_its_checksum(env):
    data_dir, cache = env
    files = dict(FILES, **{"English.txt": "Abel\nEve\n"})
    make_zip(data_dir / "tiny.zip", files=files)
    with pytest.raises(data.CorruptArchiveError, match="English.txt inside .* has the wrong SHA-256"):
        data.fetch(spec(None, checksum=False))
    assert leftovers(cache) == []


def test_member_outside_the_archive_is_refused(env):
    data_dir, cache = env
    archive = make_zip(data_dir / "tiny.zip", extra={"../evil.txt": "x"})
    with pytest.raises(data.CorruptArchiveError, match="outside the archive"):
        data.fetch(spec(archive))
    assert not (data_dir.parent / "evil.txt").exists()


def test_download_from_official_address(tmp_path, env):
    data_dir, cache = env
    server = make_zip(tmp_path / "served.zip")
    folder = data.fetch(spec(server, url=server.as_uri()))
    assert (folder / "Russian.txt").is_file()
    assert (cache / "downloads" / "tiny.zip").is_file()


def test_corrupt_download_is_kept_aside_and_reported(tmp_path, env):
    data_dir, cache = env
    server = make_zip(tmp_path / "served.zip")
    good = spec(server, url=server.as_uri())
    server.write_bytes(b"not a zip at all")
    with pytest.raises(data.CorruptArchiveError):
        data.fetch(good)
    assert (cache / "downloads" / "tiny.zip.corrupt").is_file()
    assert not (cache / "downloads" / "tiny.zip").exists()


def test_offline_without_a_copy_says_what_to_put_where(env):
    data_dir, cache = env
    with pytest.raises(data.DataNotFoundError) as info:
        data.fetch(data.NAMES)
    msg = str(info.value)
    assert "could not be downloaded" in msg and "network disabled" in msg
    assert "'names_data.zip' or 'data.zip'" in msg and "RNN_COURSE_DATA" in msg
    assert str(cache / "downloads") in msg and "https://download.pytorch.org/tutorial/data.zip" in msg
    with pytest.raises(data.DataNotFoundError, match="downloads are off"):
        data.fetch(data.NAMES, download=False)


def test_data_folder_that_does_not_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(data.DATA_ENV, str(tmp_path / "nope"))
    with pytest.raises(data.DataNotFoundError, match="which is not a folder"):
        data.fetch(data.NAMES)


def test_already_unpacked_folder_in_data_dir_is_used(env):
    data_dir, _ = env
    folder = data_dir / "data" / "names"
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        (folder / name).write_text(text)
    assert data.fetch(spec(None)) == folder


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Abel", "Abel"),
        ("See ", "See"),
        ("Rafaj1", "Rafaj"),
        ("Lu:", "Lu"),
        ("Maxa/B", "Maxa"),
        ("Jevolojnov,", "Jevolojnov"),
        ("O'Brien", "O'Brien"),
        ("De la  fontaine", "De la fontaine"),
        ("Bélanger", "Bélanger"),
        ("To The First  Page", None),
        ("   ", None),
        ("123", None),
    ],
)
def test_clean_name(line, expected):
    assert data.clean_name(line) == expected


def test_to_ascii():
    assert data.to_ascii("Bélanger Ślusarski Müller") == "Belanger Slusarski Muller"


def test_read_names_dir_handles_the_quirks(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "French.txt").write_text("Abel\nBélanger\n", encoding="utf-8")
    d = data.read_names_dir(tmp_path)
    assert d.languages == ["English", "French", "Russian"]
    assert d.names == ["Abel", "Adams", "Abel", "Bélanger", "Ababko", "Lytkin"]
    assert d.labels.tolist() == [0, 0, 1, 1, 2, 2]
    assert d.dropped == [("Russian", "To The First Page")]
    assert ("Russian", "Lytkin,", "Lytkin") in d.repaired
    assert d.duplicates == 1 and d.ambiguous == {"Abel": ["English", "French"]}
    assert len(data.read_names_dir(tmp_path, dedupe=False)) == 7
    assert "Belanger" in data.read_names_dir(tmp_path, ascii_only=True).names


def test_read_names_dir_errors(tmp_path):
    with pytest.raises(data.DataNotFoundError, match="no <Language>.txt files"):
        data.read_names_dir(tmp_path)
    (tmp_path / "Bad.txt").write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(data.DataError, match="not UTF-8"):
        data.read_names_dir(tmp_path)


def test_real_names_data(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv(data.CACHE_ENV, str(tmp_path))
    d = data.load_names()
    assert len(d.languages) == 18 and d.raw_lines == 20_074
    assert len(d.dropped) == 24
    counts = d.counts()
    assert counts["Russian"] == max(counts.values())
    raw = data.load_names(dedupe=False)
    assert raw.counts()["Russian"] == 9_408 - 24 and raw.counts()["English"] == 3_668
    assert os.listdir(tmp_path / "names" / "data" / "names")
