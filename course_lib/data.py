"""Find, verify, unpack and read the course's data sets.

Where a data set comes from, in order:

1. ``$RNN_COURSE_DATA``: a folder holding the archive (either the official one or
   the course's repack, see ``../shared/data/README.md``) or its unpacked folder.
2. The user cache, ``$RNN_COURSE_CACHE`` or ``~/.cache/rnn-course``: archives
   downloaded before and the unpacked data.
3. A download of the official archive into the cache.

Every archive is verified before it is unpacked: by its SHA-256 when the
archive's checksum is known, and always by the SHA-256 of the data files inside
it. Unpacking goes to a temporary folder that is renamed into place only when
everything checked out, so a corrupt or truncated archive never leaves half a
data set behind. Offline with nothing cached, :class:`DataNotFoundError` says
which file to put where.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tarfile
import tempfile
import unicodedata
import urllib.error
import urllib.request
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np

__all__ = [
    "DataError",
    "DataNotFoundError",
    "CorruptArchiveError",
    "Archive",
    "Dataset",
    "NAMES",
    "IMDB",
    "cache_dir",
    "fetch",
    "NamesData",
    "load_names",
    "read_names_dir",
    "clean_name",
    "to_ascii",
]

DATA_ENV = "RNN_COURSE_DATA"
CACHE_ENV = "RNN_COURSE_CACHE"


class DataError(RuntimeError):
    """Base class of the data errors."""


class DataNotFoundError(DataError, FileNotFoundError):
    """No local copy and no way to download one."""


class CorruptArchiveError(DataError, ValueError):
    """An archive's checksum or contents are wrong; nothing was unpacked."""


@dataclass(frozen=True)
class Archive:
    """One file a data set can be unpacked from.

    Attributes:
        filename: the file's name, looked for in ``$RNN_COURSE_DATA`` and the cache.
        sha256: checksum of the whole file, or ``None`` when only the data files
            inside it can be checked (their checksums are in :attr:`Dataset.files`).
        url: where to download it, or ``None`` for a repack that is only found locally.
    """

    filename: str
    sha256: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Dataset:
    """A data set: the archives that hold it and what must be inside.

    Attributes:
        name: the cache folder's name.
        archives: candidates, in order; the first with a ``url`` is downloaded.
        root: the folder inside the archive that holds the data, for example
            ``"data/names"``. Only members under ``keep`` are unpacked.
        keep: path prefixes (inside the archive) to unpack. Default: ``(root,)``.
        files: SHA-256 of data files (relative to ``root``) that must be there
            and unchanged after unpacking; ``None`` entries are only required.
        min_files: how many files at least must be under ``root``.
    """

    name: str
    archives: tuple[Archive, ...]
    root: str
    keep: tuple[str, ...] = ()
    files: dict = field(default_factory=dict)
    min_files: int = 1

    @property
    def keep_prefixes(self) -> tuple[str, ...]:
        return self.keep or (self.root,)

    def how_to_get(self, where: Path) -> str:
        names = " or ".join(f"'{a.filename}'" for a in self.archives)
        urls = "; ".join(f"{a.filename}: {a.url}" for a in self.archives if a.url)
        return (
            f"put {names} into the folder named by ${DATA_ENV} (now "
            f"{os.environ.get(DATA_ENV, 'unset')!r}) or into {where}. Official download: {urls}"
        )


_NAMES_SHA = {
    "Arabic.txt": "6f424a8dbe51cbbbabab7a57d38b617210125e4e3991f3c657cb79b8f104bafc",
    "Chinese.txt": "49263ef55a8cb1740e841d65cad8214b2f9b5b869bc534c811746422496fa91e",
    "Czech.txt": "145bbbd6d0816578f03388e92c264d39ef1c60df920b081d371fa5c5cc055a8e",
    "Dutch.txt": "924f32b635170eae561f84538632138fc07d4c8bbd70ba3fb980de1ecc4d2af3",
    "English.txt": "9cca037066d3d5989e24bc01801416162de506b5e28e15b7c092a47905d29bf2",
    "French.txt": "81e65b36c60ed5b89a17422f6edcadbb89546f38ad69e960e64e7ba682012a95",
    "German.txt": "7449cd590b97a733e18d613a4155decd77ec35dc5f8aadd7a82204dce4f051db",
    "Greek.txt": "3555b5186de7f401e6d991b088e9e644ca3099116477818c25ab5793801389e6",
    "Irish.txt": "cf8c7013256252a88d2503127b87282a11f21b2ff6db1bded68834c19a1ec058",
    "Italian.txt": "f88414c27d0606a11a678b4859277828c2565d6cc4d9ee932deef6e94f3b35e4",
    "Japanese.txt": "e0e717e114fec3e7eade4d9dabe0067c475f43147e36a22b47902ee76ad9e67f",
    "Korean.txt": "cd54221ccb362a6cba4c78828838cf3268a0e59744767a37cf6ec4b74036b136",
    "Polish.txt": "45bab898af2f60ed3a728bbf6980e28821011a7caa53227553b5785903a40826",
    "Portuguese.txt": "50a8735f41f4f73757c8ce5b16cb0275cd86b2b214bcbc8c9805f508cb131c53",
    "Russian.txt": "43b3e64ce351f77f1ac9e0cdf7566012d127f4371875fd25208845b5c9d6f7c3",
    "Scottish.txt": "78d0252711d87d948ea86fe34826c51d2d794a8e52d15b5d6f7b6244d45d62dd",
    "Spanish.txt": "1bcb462ed3316756a85781d68232bddae04498fdddd5d9219c53fd1fbdeba7a7",
    "Vietnamese.txt": "f3f9e4164ab47601178a6e45b216464a64122f49d05541f24bf18a757253281d",
}

#: The names of the PyTorch char-RNN tutorial. The official ``data.zip`` also
#: holds other files and its own checksum is not pinned here, so it is verified
#: through the 18 name files, whose SHA-256 are pinned.
NAMES = Dataset(
    name="names",
    archives=(
        Archive("names_data.zip", "9dba297c68a82193b5f1859c4827ec697905a8cade3ae92df713aec8346b8b35"),
        Archive("data.zip", None, "https://download.pytorch.org/tutorial/data.zip"),
    ),
    root="data/names",
    files=_NAMES_SHA,
    min_files=18,
)

#: The labeled part of the Large Movie Review Dataset (Maas et al., 2011).
IMDB = Dataset(
    name="aclImdb",
    archives=(
        Archive("aclImdb_labeled.tar.gz", "09ce8ff34b9058acd31a36adf6d52a127063be13394c8623fc8c62943b6bd7a7"),
        Archive(
            "aclImdb_v1.tar.gz",
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        ),
    ),
    root="aclImdb",
    keep=(
        "aclImdb/README",
        "aclImdb/imdb.vocab",
        "aclImdb/train/pos/",
        "aclImdb/train/neg/",
        "aclImdb/test/pos/",
        "aclImdb/test/neg/",
    ),
    files={"README": None, "imdb.vocab": None},
    min_files=50_000,
)


def cache_dir() -> Path:
    """The user cache: ``$RNN_COURSE_CACHE`` or ``~/.cache/rnn-course``."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "rnn-course")


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _is_complete(ds: Dataset, folder: Path) -> bool:
    if not folder.is_dir():
        return False
    for rel in ds.files:
        if not (folder / rel).is_file():
            return False
    return sum(1 for p in folder.rglob("*") if p.is_file()) >= ds.min_files


def _verify_files(ds: Dataset, folder: Path, source: Path) -> None:
    for rel, digest in ds.files.items():
        path = folder / rel
        if not path.is_file():
            raise CorruptArchiveError(f"{source} does not contain {ds.root}/{rel}; is it the right archive?")
        if digest is not None and sha256_of(path) != digest:
            raise CorruptArchiveError(f"{ds.root}/{rel} inside {source} has the wrong SHA-256 (expected {digest})")
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    if count < ds.min_files:
        raise CorruptArchiveError(
            f"{source} holds {count} files under {ds.root}/, expected at least {ds.min_files}: truncated?"
        )


def _wanted(ds: Dataset, member: str) -> bool:
    path = PurePosixPath(member)
    if path.is_absolute() or ".." in path.parts:
        raise CorruptArchiveError(f"archive member {member!r} points outside the archive; refusing to unpack")
    return any(member == p.rstrip("/") or member.startswith(p.rstrip("/") + "/") for p in ds.keep_prefixes)


def _unpack(ds: Dataset, archive: Path, dest: Path) -> None:
    """Unpack the wanted members of ``archive`` under ``dest`` (which must exist)."""
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as zf:
                for info in zf.infolist():
                    if info.is_dir() or not _wanted(ds, info.filename):
                        continue
                    target = dest / info.filename
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, open(target, "wb") as out:  # the CRC is checked on read
                        shutil.copyfileobj(src, out)
        else:
            with tarfile.open(archive, "r:*") as tf:
                for member in tf:
                    if not member.isfile() or not _wanted(ds, member.name):
                        continue
                    target = dest / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    src = tf.extractfile(member)
                    with src, open(target, "wb") as out:
                        shutil.copyfileobj(src, out)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, CorruptArchiveError):
            raise
        raise CorruptArchiveError(f"{archive} is corrupt or truncated ({type(exc).__name__}: {exc})") from exc


def _install(ds: Dataset, archive_file: Path, spec: Archive, target: Path) -> Path:
    """Verify ``archive_file`` and unpack it atomically to ``target``; return the data folder."""
    if spec.sha256 is not None:
        digest = sha256_of(archive_file)
        if digest != spec.sha256:
            raise CorruptArchiveError(
                f"{archive_file} has SHA-256 {digest}, expected {spec.sha256}: the file is corrupt, "
                f"truncated or a different version. Nothing was unpacked; replace the file."
            )
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{ds.name}-", dir=cache))
    try:
        _unpack(ds, archive_file, tmp)
        _verify_files(ds, tmp / ds.root, archive_file)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp / ds.root, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def _download(url: str, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as response, open(part, "wb") as out:
            shutil.copyfileobj(response, out)
        os.replace(part, dest)
    finally:
        part.unlink(missing_ok=True)


def fetch(ds: Dataset, download: bool = True) -> Path:
    """Return the folder holding the unpacked data set, getting it if needed.

    Args:
        ds: the data set, for example :data:`NAMES`.
        download: allow a download when no local copy exists. Default: ``True``.

    Raises:
        DataNotFoundError: no local copy and the download failed or was not allowed.
        CorruptArchiveError: a local or downloaded archive failed its checks.
    """
    cache = cache_dir()
    target = cache / ds.name / ds.root
    data_env = os.environ.get(DATA_ENV)
    data_dir = Path(data_env).expanduser() if data_env else None
    if data_dir is not None and not data_dir.is_dir():
        raise DataNotFoundError(f"${DATA_ENV} names {data_dir}, which is not a folder")

    if data_dir is not None and _is_complete(ds, data_dir / ds.root):
        unpacked = data_dir / ds.root
        _verify_files(ds, unpacked, unpacked)
        return unpacked
    if _is_complete(ds, target):
        return target

    for spec in ds.archives:
        for folder in (data_dir, cache / "downloads"):
            if folder is not None and (folder / spec.filename).is_file():
                return _install(ds, folder / spec.filename, spec, target)

    where = cache / "downloads"
    if not download:
        raise DataNotFoundError(f"data set {ds.name!r} not found and downloads are off: {ds.how_to_get(where)}")
    errors = []
    for spec in ds.archives:
        if spec.url is None:
            continue
        dest = where / spec.filename
        try:
            _download(spec.url, dest)
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            errors.append(f"{spec.url}: {exc}")
            continue
        try:
            return _install(ds, dest, spec, target)
        except CorruptArchiveError:
            dest.replace(dest.with_name(dest.name + ".corrupt"))  # keep it for inspection
            raise
    raise DataNotFoundError(
        f"data set {ds.name!r} is not on this machine and could not be downloaded "
        f"({'; '.join(errors) or 'no download address'}). To work offline, {ds.how_to_get(where)}"
    )


# ---------------------------------------------------------------------------
# The names data
# ---------------------------------------------------------------------------

#: Lines of the original files that are not names (scraped page furniture).
NOT_NAMES = ("to the first page",)
_NAME_CHAR = re.compile(r"[^\W\d_]|['\- ]")


def clean_name(line: str) -> str | None:
    """Clean one line of a names file; ``None`` when the line is not a name.

    The original files hold a few artefacts, fixed here: trailing spaces
    (``"See "``), a trailing digit or mark (``"Rafaj1"``, ``"Lu:"``,
    ``"Jevolojnov,"``, ``"Maxa/B"``: the name is kept up to the first character
    that cannot be part of a name), doubled spaces, and 24 lines of
    ``"To The First Page"`` in ``Russian.txt``.
    """
    text = unicodedata.normalize("NFC", line).strip()
    if not text or " ".join(text.lower().split()) in NOT_NAMES:
        return None
    end = 0
    while end < len(text) and _NAME_CHAR.fullmatch(text[end]):
        end += 1
    text = " ".join(text[:end].split()).strip("-' ")
    return text or None


def to_ascii(name: str) -> str:
    """Drop accents (``"Bélanger" -> "Belanger"``), as the PyTorch tutorial does."""
    decomposed = unicodedata.normalize("NFD", name)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


@dataclass
class NamesData:
    """Surnames with their language.

    Attributes:
        names: the cleaned names, one entry per (name, language) pair.
        labels: ``int64`` array, ``languages[labels[i]]`` is the language of ``names[i]``.
        languages: the languages in alphabetical order.
        raw_lines: number of non-empty lines read.
        dropped: ``(language, line)`` of lines that are not names.
        repaired: ``(language, line, cleaned)`` of lines that were changed.
        duplicates: number of lines dropped because the same name already
            appeared in the same language.
        ambiguous: names that appear under more than one language.
    """

    names: list
    labels: np.ndarray
    languages: list
    raw_lines: int
    dropped: list
    repaired: list
    duplicates: int
    ambiguous: dict

    def __len__(self) -> int:
        return len(self.names)

    def counts(self) -> dict:
        """Number of names per language."""
        c = Counter(self.labels.tolist())
        return {lang: c.get(i, 0) for i, lang in enumerate(self.languages)}

    def summary(self) -> str:
        return (
            f"{len(self)} names in {len(self.languages)} languages, from {self.raw_lines} lines: "
            f"{len(self.dropped)} non-name lines dropped, {len(self.repaired)} repaired, "
            f"{self.duplicates} repeats within a language removed, "
            f"{len(self.ambiguous)} names listed under more than one language"
        )


def read_names_dir(folder, ascii_only: bool = False, dedupe: bool = True) -> NamesData:
    """Read ``<Language>.txt`` files (UTF-8, one surname per line) from ``folder``.

    Args:
        folder: the folder holding the files (``data/names`` of the archive).
        ascii_only: replace accented letters by plain ones. Default: ``False``.
        dedupe: keep each name once per language. The original repeats many
            names (``Arabic.txt`` has 2,000 lines but 108 distinct names), and
            repeats would leak between a training and a test split. Default: ``True``.
    """
    folder = Path(folder)
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise DataNotFoundError(f"no <Language>.txt files in {folder}")
    languages = [f.stem for f in files]
    names, labels, dropped, repaired = [], [], [], []
    raw = duplicates = 0
    seen_in: dict[str, set] = {}
    for label, path in enumerate(files):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as exc:
            raise DataError(f"{path} is not UTF-8 text ({exc})") from exc
        seen = set()
        for line in lines:
            if not line.strip():
                continue
            raw += 1
            name = clean_name(line)
            if name is None:
                dropped.append((path.stem, line))
                continue
            if name != line:
                repaired.append((path.stem, line, name))
            if ascii_only:
                name = to_ascii(name)
            if dedupe and name in seen:
                duplicates += 1
                continue
            seen.add(name)
            seen_in.setdefault(name, set()).add(path.stem)
            names.append(name)
            labels.append(label)
    ambiguous = {n: sorted(langs) for n, langs in seen_in.items() if len(langs) > 1}
    return NamesData(
        names, np.asarray(labels, dtype=np.int64), languages, raw, dropped, repaired, duplicates, ambiguous
    )


def load_names(ascii_only: bool = False, dedupe: bool = True, download: bool = True) -> NamesData:
    """Load the names data set (18 languages), fetching it with :func:`fetch` if needed.

    See :func:`read_names_dir` for the arguments.
    """
    return read_names_dir(fetch(NAMES, download=download), ascii_only=ascii_only, dedupe=dedupe)
