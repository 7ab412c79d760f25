"""Files, folders and JSONL: the reusable half of the command line, usable without it.

A batch step is a thin adapter over ``Cleaner`` (datatrove's lesson): every function here turns
paths or lines into calls of the same ``Cleaner.clean_bytes`` / ``clean_text`` the library exposes,
so a batch output is byte for byte what ``cleantext.clean_bytes`` returns. What this module adds is
what a long run over someone else's files needs:

- **nothing dropped silently**: a bad input (binary, too large, unreadable, undecodable) becomes a
  ``FileResult`` with ``ok=False`` and a named error; the run goes on;
- **atomic writes**: a temporary file in the target folder, then ``os.replace``, so an interrupted
  run never leaves a half-written output under its real name;
- **reversible**: each result records what ``restore_record`` needs to give back the original bytes
  exactly (relative path, output encoding, SHA-256 of source and output);
- **a process pool** (``jobs > 1``) that receives the pack once per worker, as source text.

>>> import json
>>> from cleantext import Cleaner
>>> from cleantext.batch import clean_jsonl_line
>>> r = clean_jsonl_line('{"id": 1, "text": "仅供学习 禁止外传\\\\n正文。"}'.encode(), 1, Cleaner())
>>> rec = json.loads(r.output)
>>> rec["text"], rec["cleantext"]["ok"], [x["rule"] for x in rec["cleantext"]["report"]["removals"]]
('正文。', True, ['reseller_header.internal-only'])
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fnmatch
import hashlib
import json
import os
import signal
import stat
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, Literal, TypeVar

from .api import restore_bytes
from .config import DEFAULT_LIMITS, __version__
from .engine import Cleaner
from .errors import CleantextError, InputError, InputTooLargeError, ReportError
from .model import Mode
from .report import Cleaned, Report

OutputEncoding = Literal["utf-8", "keep"]
"""``utf-8``: outputs are UTF-8 whatever the source was (what corpora want). ``keep``: the source
encoding, BOM and original bytes of odd spans (what an in-place edit of a legacy archive wants)."""

RECORD_FIELD = "cleantext"
"""Key added to each JSONL record: ``{"ok": bool, "error": str | None, "report": dict | None}``."""

JSONL_CHUNK_LINES = 64
"""JSONL lines sent to a worker at once: enough to amortise inter-process overhead (~0.1 ms per
message, against ~1 ms of cleaning per 20 KB record), small enough that the workers stay evenly
loaded to the end of a file and a slow chunk does not hold back the ordered output for long
(measured on 3,000 × 20 KB records, 2 workers: 16 lines 3.8 s, 64 lines 2.8 s, 256 lines 3.5 s)."""

_T = TypeVar("_T")
_R = TypeVar("_R")


# --------------------------------------------------------------------------------------------
# inputs


@dataclass(frozen=True, slots=True)
class InputFile:
    """One input file and where its output goes, relative to the output folder."""

    path: Path
    """The file as found (the PATH argument, or PATH joined with the walked relative path)."""
    rel: str
    """POSIX relative path of the output: the path under a walked folder, the name of a file."""


def iter_inputs(
    paths: Iterable[str | os.PathLike[str]],
    *,
    globs: Sequence[str] = (),
    exclude: Iterable[str | os.PathLike[str]] = (),
    follow_symlinks: bool = False,
    skipped_links: list[Path] | None = None,
) -> Iterator[InputFile]:
    """Files named in ``paths``, and files under folders in ``paths`` (recursively, sorted).

    Why these rules: a file named explicitly is always taken (the user asked for it), even if it
    is hidden, so that it is cleaned or fails by name. Walking a folder skips dot-files and
    dot-folders (``.git``, ``.DS_Store``, and our own half-written temporaries) and ``exclude``
    (the output folder and report when they sit inside an input tree, so a rerun does not clean
    its own outputs). ``globs`` filter walked files: a pattern with ``/`` matches the path
    relative to its folder, one without matches the file name (``*.txt``). A folder that cannot
    be listed is yielded as an input so that it fails by name.

    Symbolic links met while walking are skipped (appended to ``skipped_links``): a link may
    point out of the tree, and an in-place run must not rewrite files elsewhere unasked. With
    ``follow_symlinks`` links to files and to folders are both followed (each real folder walked
    once, so a link loop ends) and a dangling link is an input that fails by name.

    With several ``paths``, each folder's files go under the folder's own name (``a/x.txt``,
    ``b/x.txt``), so two folders never collide in one output tree; a single folder maps to the
    output folder itself.
    """
    skip = {_resolved(p) for p in exclude}
    roots = list(paths)
    for raw in roots:
        p = Path(raw)
        if not p.is_dir():
            yield InputFile(p, p.name)
            continue
        prefix = f"{root_name(p)}/" if len(roots) > 1 else ""
        found: list[InputFile] = []
        errors: list[OSError] = []
        seen: set[tuple[int, int]] = set()
        for dirpath, dirnames, filenames in os.walk(p, onerror=errors.append, followlinks=follow_symlinks):
            d = Path(dirpath)
            if follow_symlinks:
                st = d.stat()
                if (st.st_dev, st.st_ino) in seen:
                    dirnames[:] = []
                    continue
                seen.add((st.st_dev, st.st_ino))
            keep = []
            for n in sorted(dirnames):
                if n.startswith(".") or _resolved(d / n) in skip:
                    continue
                if not follow_symlinks and (d / n).is_symlink():
                    if skipped_links is not None:
                        skipped_links.append(d / n)
                    continue
                keep.append(n)
            dirnames[:] = keep
            for name in filenames:
                f = d / name
                if name.startswith(".") or _resolved(f) in skip:
                    continue
                rel = f.relative_to(p).as_posix()
                if globs and not any(_glob_match(rel, g) for g in globs):
                    continue
                if not follow_symlinks and f.is_symlink():
                    if skipped_links is not None:
                        skipped_links.append(f)
                    continue
                found.append(InputFile(f, prefix + rel))
        for e in errors:
            bad = Path(e.filename) if e.filename else p
            found.append(InputFile(bad, prefix + (bad.relative_to(p).as_posix() if bad != p else bad.name)))
        yield from sorted(found, key=lambda i: i.rel)


def root_name(folder: str | os.PathLike[str]) -> str:
    """The name a folder's files go under when several inputs share one output folder."""
    p = Path(folder)
    return p.name if p.name not in ("", ".", "..") else _resolved(p).name or "root"


def _glob_match(rel: str, pattern: str) -> bool:
    if "/" in pattern:
        return fnmatch.fnmatchcase(rel, pattern.removeprefix("**/")) or fnmatch.fnmatchcase(rel, pattern)
    return fnmatch.fnmatchcase(rel.rsplit("/", 1)[-1], pattern)


def _resolved(p: str | os.PathLike[str]) -> Path:
    try:
        return Path(p).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(p))


def read_input(path: str | os.PathLike[str], max_bytes: int = DEFAULT_LIMITS.max_bytes) -> bytes:
    """The bytes of ``path``; a file above ``max_bytes`` is refused before it is read.

    Raises ``InputTooLargeError`` or ``InputError`` (with the OS reason: not found, permission
    denied, is a directory) so that a batch can record it and go on.
    """
    p = Path(path)
    try:
        with p.open("rb") as f:
            st = os.fstat(f.fileno())
            if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
                raise InputTooLargeError(f"{st.st_size} bytes, above the limit of {max_bytes}")
            data = f.read(max_bytes + 1)  # pipes and growing files have no trustworthy size
    except IsADirectoryError as e:
        raise InputError("is a directory") from e
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise InputTooLargeError(f"more than {max_bytes} bytes, the limit")
    return data


# --------------------------------------------------------------------------------------------
# outputs


def encode_output(cleaned: Cleaned, encoding: OutputEncoding = "utf-8") -> bytes:
    """The bytes a batch writes for ``cleaned``: UTF-8 (no BOM, line endings kept) or ``to_bytes()``."""
    if encoding == "keep":
        return cleaned.to_bytes()
    if encoding != "utf-8":
        raise ValueError(f"encoding must be 'utf-8' or 'keep', not {encoding!r}")
    return cleaned.text.encode("utf-8")


def decode_output(data: bytes, report: Report, encoding: OutputEncoding) -> str:
    """Read back clean text written by ``encode_output`` (the inverse ``restore`` needs).

    A ``keep`` output is decoded the way the source was: BOM stripped, the payload codec, strict
    when the source decoded losslessly (so a damaged file is noticed) and with replacement
    otherwise (where the source had replacement characters too).
    """
    if encoding == "utf-8":
        return data.decode("utf-8")
    enc = report.encoding
    bom = enc.bom_bytes
    if bom and data.startswith(bom):
        data = data[len(bom) :]
    return data.decode(enc.payload_codec, errors="strict" if enc.lossless else "replace")


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Why: a reader (or a rerun after Ctrl-C) sees either the old file or the complete new one,
    never a prefix. The temporary name starts with a dot so folder walks skip leftovers of a
    killed process. ``mode`` defaults to what ``open()`` would give (0o666 minus the umask)
    instead of ``mkstemp``'s 0o600, so outputs are as readable as any other file. No fsync: that
    guards against power loss, not interruption, and costs milliseconds per small file.
    """
    with atomic_writer(path, mode=mode) as f:
        f.write(data)


_UMASK: int | None = None


def _default_mode() -> int:
    global _UMASK  # noqa: PLW0603 - read once per process: os.umask can only be read by setting it
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


STATE_FILE = ".cleantext-state.json"
"""Written in an output folder after each complete run: what produced its outputs. A dot-file,
so walking the folder as input later skips it."""


def run_state(cleaner: Cleaner, options: CleanOptions, **extra: str) -> dict[str, str]:
    """What decides the bytes of an output besides its input: without a report, a rerun may only
    skip an up-to-date output when this is what produced it."""
    return {"cleantext": __version__, "pack": cleaner.pack.ref.sha256, "mode": options.mode,
            "encoding": options.encoding, **extra}


def read_state(outdir: str | os.PathLike[str]) -> dict[str, str] | None:
    """The state of the last complete run into ``outdir``; ``None`` if absent or unreadable."""
    try:
        d = json.loads(Path(outdir, STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    return {str(k): str(v) for k, v in d.items()} if isinstance(d, dict) else None


def write_state(outdir: str | os.PathLike[str], state: Mapping[str, str] | None) -> None:
    """Record ``state`` for ``outdir`` (``None``: forget it, before a run that changes it)."""
    path = Path(outdir, STATE_FILE)
    if state is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    write_atomic(path, json.dumps(dict(state), sort_keys=True).encode("utf-8") + b"\n")


def check_writable(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` if needed and check that files can be written in it, before any work.

    Why a real probe: ``os.access`` says yes to root on a read-only mount; a read-only output
    folder found this way is one clear error instead of one failure per input.
    """
    with atomic_writer(Path(folder) / ".cleantext-probe") as f:
        f.write(b"")
    with contextlib.suppress(OSError):
        os.unlink(Path(folder) / ".cleantext-probe")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------------------------
# one file → one result


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one input: one line of the ``--report`` JSONL (``to_record``)."""

    source: str
    """The input path as given or found; ``-`` for stdin."""
    path: str | None
    """POSIX path of the output relative to the output folder (what ``restore`` joins)."""
    output: str | None
    """Where the clean text was written; ``None`` for stdout or on failure."""
    ok: bool
    error: str | None = None
    """``"<ErrorType>: <message>"`` when ``ok`` is false."""
    error_type: str | None = None
    report: Report | None = None
    output_encoding: OutputEncoding | None = None
    bytes_in: int = 0
    source_sha256: str | None = None
    output_sha256: str | None = None
    clean_text: str | None = None
    """Only when the written bytes do not decode back to the clean text (a ``keep`` output of a
    damaged source): then the report carries the text so that ``restore`` stays exact."""
    skipped: bool = False
    """The output was up to date; ``report`` and the rest come from the previous report."""
    seconds: float = 0.0

    def to_record(self) -> dict[str, Any]:
        """The JSONL report line: ``source``, ``path``, ``ok`` and ``report`` or ``error``.

        A file name that is not valid UTF-8 (a GBK name from a zip archive, held by Python as
        surrogate escapes) is written readable, with U+FFFD for the odd bytes, plus its exact bytes
        in ``source_b64`` / ``path_b64`` / ``output_b64``; ``from_record`` prefers those.
        """
        d: dict[str, Any] = {}
        put_name(d, "source", self.source)
        put_name(d, "path", self.path)
        put_name(d, "output", self.output)
        d["ok"] = self.ok
        if not self.ok:
            d["error"] = self.error
            d["error_type"] = self.error_type
        if self.skipped:
            d["skipped"] = True
        d["bytes"] = self.bytes_in
        if self.ok:
            d["output_encoding"] = self.output_encoding
            d["source_sha256"] = self.source_sha256
            d["output_sha256"] = self.output_sha256
            if self.clean_text is not None:
                d["clean_text"] = self.clean_text
            d["report"] = None if self.report is None else self.report.to_dict()
        return d

    def to_json(self) -> str:
        return json_line(self.to_record()).decode("utf-8")

    @classmethod
    def from_record(cls, d: Mapping[str, Any]) -> FileResult:
        """Rebuild a result from a report line; ``ReportError`` if it is malformed."""
        try:
            rep = d.get("report")
            enc = d.get("output_encoding")
            result = cls(
                source=str(get_name(d, "source") if "source_b64" in d else d["source"]),
                path=get_name(d, "path"),
                output=get_name(d, "output"),
                ok=bool(d["ok"]),
                error=d.get("error"),
                error_type=d.get("error_type"),
                report=None if rep is None else Report.from_dict(rep),
                output_encoding=enc,
                bytes_in=int(d.get("bytes", 0)),
                source_sha256=d.get("source_sha256"),
                output_sha256=d.get("output_sha256"),
                clean_text=d.get("clean_text"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise ReportError(f"malformed report line: {type(e).__name__}: {e}") from e
        if enc not in (None, "utf-8", "keep"):
            raise ReportError(f"malformed report line: unknown output_encoding {enc!r}")
        return result


def _utf8_ok(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fs_bytes(s: str) -> bytes:
    """The bytes behind a path string (``surrogateescape``, as ``os`` gives names)."""
    try:
        return os.fsencode(s)
    except UnicodeEncodeError:  # surrogates that no file system produced: keep them all the same
        return s.encode("utf-8", "surrogatepass")


def put_name(d: dict[str, Any], key: str, value: str | None) -> None:
    """``d[key] = value`` for a file name, lossless in UTF-8 JSON: a name that is not valid UTF-8
    gets a readable ``key`` (U+FFFD for the odd bytes) and its exact bytes in ``key_b64``."""
    if value is None or _utf8_ok(value):
        d[key] = value
        return
    raw = _fs_bytes(value)
    d[key] = raw.decode("utf-8", "replace")
    d[f"{key}_b64"] = base64.b64encode(raw).decode("ascii")


def get_name(d: Mapping[str, Any], key: str) -> str | None:
    """The file name ``put_name`` wrote, as ``os`` functions take it (``surrogateescape``)."""
    b64 = d.get(f"{key}_b64")
    if b64 is not None:
        try:
            return os.fsdecode(base64.b64decode(str(b64), validate=True))
        except (binascii.Error, ValueError) as e:
            raise ReportError(f"malformed report line: {key}_b64 is not base64") from e
    v = d.get(key)
    return None if v is None else str(v)


def describe_error(exc: BaseException) -> tuple[str, str]:
    """``(error_type, message)`` for a report: input problems by their class, anything else is
    flagged as a cleantext bug, so that it is reported upstream instead of blamed on the input."""
    if isinstance(exc, CleantextError | OSError):
        return type(exc).__name__, f"{type(exc).__name__}: {exc}"
    return "InternalError", f"InternalError: {type(exc).__name__}: {exc} (a cleantext bug: please report it)"


def _failure(source: str, rel: str | None, exc: BaseException, size: int, t0: float) -> FileResult:
    kind, msg = describe_error(exc)
    return FileResult(source, rel, None, False, msg, kind, bytes_in=size, seconds=time.perf_counter() - t0)


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """How a batch cleans and writes; the same for every file of a run."""

    mode: Mode = "remove"
    encoding: OutputEncoding = "utf-8"
    force: bool = False
    """Clean even when the output is up to date."""
    in_place: bool = False
    """Outputs replace their inputs (the caller keeps the report, or nothing can be restored)."""


def is_up_to_date(
    item: InputFile, out: Path, cleaner: Cleaner, options: CleanOptions, previous: FileResult | None,
    *, need_record: bool,
) -> bool:
    """Whether ``out`` can be kept as it is.

    Out of place: the output must be strictly newer than the input (equal times on a coarse
    file system mean "maybe stale": clean again, it is cheap and safe) and, when a previous
    report line exists, it must come from the same pack hash, mode and output encoding (or a
    pack change would silently leave old outputs behind) and the output must still have the
    SHA-256 recorded for it (or the report would describe bytes that are no longer there). When
    a report is being written and no previous line exists the file is cleaned again, so the new
    report stays complete.

    In place there is no separate output: a file is up to date when the previous report says it
    was cleaned into exactly these bytes (SHA-256). Cleaning it a second time would overwrite the
    report that can restore the original, which is the one thing in-place users cannot lose.
    """
    if options.force:
        return False
    if previous is not None and (not previous.ok or previous.path != item.rel):
        previous = None
    if options.in_place:
        if previous is None or previous.output_sha256 is None:
            return False
        try:
            return sha256(item.path.read_bytes()) == previous.output_sha256
        except OSError:
            return False
    try:
        if out.stat().st_mtime_ns <= item.path.stat().st_mtime_ns:
            return False
    except OSError:
        return False
    if previous is None:
        return not need_record
    rep = previous.report
    if (
        rep is None
        or rep.pack.sha256 != cleaner.pack.ref.sha256
        or rep.mode != options.mode
        or previous.output_encoding != options.encoding
    ):
        return False
    try:  # an output edited by hand since is rewritten, so the report describes what is on disk
        return previous.output_sha256 is None or sha256(out.read_bytes()) == previous.output_sha256
    except OSError:
        return False


def clean_one(
    item: InputFile,
    out: Path,
    cleaner: Cleaner,
    options: CleanOptions = CleanOptions(),  # frozen value: safe as a default
    *,
    previous: FileResult | None = None,
    need_record: bool = False,
) -> FileResult:
    """Clean ``item`` into ``out``; never raises for a bad input, returns ``ok=False`` instead.

    ``previous`` is this input's line from an earlier report: an up-to-date output is skipped
    and that line is carried over (``skipped=True``), so a rerun's report still covers every file.
    """
    return _prepare(item, out, cleaner, options, previous=previous, need_record=need_record).commit()


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A cleaned file not written yet: in place, its report line must be on disk first."""

    result: FileResult
    blob: bytes | None = None
    """The bytes to write to ``result.output``; ``None`` when there is nothing to write."""
    mode: int | None = None
    target: str | None = None
    """Where the bytes go when not ``result.output``: in place, the file a symbolic link points
    to (replacing the link itself would leave the real file uncleaned and the link gone)."""

    def commit(self) -> FileResult:
        """Write the output; a failed write turns the result into a failure naming the output."""
        res = self.result
        if self.blob is None or res.output is None:
            return res
        try:
            write_atomic(self.target or res.output, self.blob, mode=self.mode)
        except OSError as e:
            kind, msg = describe_error(e)
            return FileResult(res.source, res.path, None, False, f"{msg} (writing {res.output})", kind,
                              bytes_in=res.bytes_in, seconds=res.seconds)
        return res


def _prepare(item: InputFile, out: Path, cleaner: Cleaner, options: CleanOptions, *, previous: FileResult | None,
             need_record: bool) -> _Prepared:
    t0 = time.perf_counter()
    source = str(item.path)
    if is_up_to_date(item, out, cleaner, options, previous, need_record=need_record):
        assert previous is not None or not need_record
        if previous is not None:
            return _Prepared(replace(previous, source=source, output=str(out), skipped=True, seconds=0.0))
        return _Prepared(FileResult(source, item.rel, str(out), True, skipped=True))
    size = 0
    try:
        data = read_input(item.path, cleaner.limits.max_bytes)
        size = len(data)
        cleaned = cleaner.clean_bytes(data, options.mode)
        blob = encode_output(cleaned, options.encoding)
        clean_text = None
        try:
            if decode_output(blob, cleaned.report, options.encoding) != cleaned.text:
                clean_text = cleaned.text
        except UnicodeDecodeError:
            clean_text = cleaned.text
        mode = stat.S_IMODE(item.path.stat().st_mode) if options.in_place else None
    except Exception as e:  # one bad file must not stop a batch; named in the report
        return _Prepared(_failure(source, item.rel, e, size, t0))
    res = FileResult(
        source, item.rel, str(out), True, report=cleaned.report, output_encoding=options.encoding,
        bytes_in=size, source_sha256=sha256(data), output_sha256=sha256(blob), clean_text=clean_text,
        seconds=time.perf_counter() - t0,
    )
    return _Prepared(res, blob, mode, os.path.realpath(out) if options.in_place and out.is_symlink() else None)


def clean_stream(
    data: bytes, cleaner: Cleaner, options: CleanOptions = CleanOptions(), *, source: str = "-",
) -> tuple[FileResult, bytes | None]:
    """Clean bytes that have no file (stdin): the result and the output bytes (``None`` on failure)."""
    t0 = time.perf_counter()
    try:
        cleaned = cleaner.clean_bytes(data, options.mode)
        blob = encode_output(cleaned, options.encoding)
    except Exception as e:  # reported, never raised, as for files
        return _failure(source, None, e, len(data), t0), None
    res = FileResult(
        source, None, None, True, report=cleaned.report, output_encoding=options.encoding,
        bytes_in=len(data), source_sha256=sha256(data), output_sha256=sha256(blob),
        seconds=time.perf_counter() - t0,
    )
    return res, blob


# --------------------------------------------------------------------------------------------
# many files, optionally in a process pool


@dataclass(frozen=True, slots=True)
class _Task:
    item: InputFile
    out: Path
    previous: FileResult | None


@dataclass(frozen=True, slots=True)
class _Job:
    cleaner: Cleaner
    options: CleanOptions
    need_record: bool

    defer_write: bool = False
    """In place with a journal: the parent writes each file after its report line."""

    def run_files(self, tasks: list[_Task]) -> list[_Prepared]:
        out = []
        for t in tasks:
            p = _prepare(t.item, t.out, self.cleaner, self.options, previous=t.previous, need_record=self.need_record)
            out.append(p if self.defer_write else _Prepared(p.commit()))
        return out

    def run_lines(self, chunk: _LineChunk) -> list[RecordResult]:
        return [
            clean_jsonl_line(line, n, self.cleaner, field=chunk.field, mode=chunk.mode,
                             record_field=chunk.record_field, force=chunk.force)
            for n, line in chunk.lines
        ]


@dataclass(frozen=True, slots=True)
class _LineChunk:
    """Numbered JSONL lines plus how to clean them: the settings travel with the lines, so one
    pool (one start-up, one pack compilation per worker) serves every file of a run."""

    lines: list[tuple[int, bytes]]
    field: str
    mode: Mode
    record_field: str
    force: bool


_WORKER_JOB: _Job | None = None


def _init_worker(job: _Job) -> None:
    """Runs once in each worker. Workers ignore Ctrl-C: the parent decides when to stop, and a
    worker killed between writing an output and returning its result would leave a file (an
    in-place one!) that no report line describes."""
    global _WORKER_JOB  # noqa: PLW0603 - one job per worker process, set once by the pool initializer
    _WORKER_JOB = job
    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_files(tasks: list[_Task]) -> list[_Prepared]:
    assert _WORKER_JOB is not None
    return _WORKER_JOB.run_files(tasks)


def _worker_lines(chunk: _LineChunk) -> list[RecordResult]:
    assert _WORKER_JOB is not None
    return _WORKER_JOB.run_lines(chunk)


def _chunks(items: Iterable[_T], size: int) -> Iterator[list[_T]]:
    buf: list[_T] = []
    for x in items:
        buf.append(x)
        if len(buf) >= size:
            yield buf
            buf = []
    if buf:
        yield buf


def _imap_ordered(pool: Executor, fn: Callable[[_T], _R], items: Iterable[_T], ahead: int) -> Iterator[_R]:
    """``pool.map`` with at most ``ahead`` tasks in flight: ``Executor.map`` submits everything at
    once, which reads a whole 10 GB JSONL into memory before the first result comes back."""
    pending: deque[Future[_R]] = deque()
    try:
        for x in items:
            pending.append(pool.submit(fn, x))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def _pool(jobs: int, job: _Job) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(job,))


def jsonl_pool(cleaner: Cleaner, jobs: int) -> ProcessPoolExecutor:
    """A process pool for ``clean_jsonl(..., executor=pool)``, to share across many JSONL files.

    Why: starting ``jobs`` processes and compiling the pack in each costs tens of milliseconds;
    over a folder of a thousand shards that is the whole run. Use it as a context manager.
    """
    return _pool(resolve_jobs(jobs), _Job(cleaner, CleanOptions(), need_record=False))


def resolve_jobs(jobs: int) -> int:
    """``0`` or less means one worker per CPU available to this process."""
    if jobs > 0:
        return jobs
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return max(1, os.cpu_count() or 1)


def clean_files(
    items: Iterable[InputFile],
    outdir: str | os.PathLike[str] | None,
    cleaner: Cleaner | None = None,
    options: CleanOptions = CleanOptions(),
    *,
    jobs: int = 1,
    previous: Mapping[str, FileResult] | None = None,
    need_record: bool = False,
    stop: Callable[[], bool] | None = None,
    before_write: Callable[[FileResult], None] | None = None,
) -> Iterator[FileResult]:
    """Clean every input into ``outdir / item.rel`` (or over itself when ``options.in_place``).

    Results come back in input order (so reports are stable across ``jobs``), one per input:
    failures are results, not exceptions. Two inputs that map to the same output path are
    refused (the second fails by name) rather than one silently overwriting the other.
    ``previous`` maps ``source`` to its line of an earlier report (see ``clean_one``); in place,
    a file keeps the ``path`` of its earlier line, so every line about one file has one name.

    ``before_write`` (in place): called with each cleaned file's result *before* the file is
    replaced, in this process; if it raises, that file is left untouched and the run stops.
    Writing the report line there (flushed and fsynced) means no original is ever lost without
    its line, whatever stops the run. A write that fails afterwards is yielded as a failure.

    ``stop`` is polled before each new file is started: once it returns true no more work is
    submitted, files already in progress finish and their results are still yielded, so a
    graceful stop (the CLI's first Ctrl-C) never loses the record of a file it wrote.
    """
    if outdir is None and not options.in_place:
        raise ValueError("clean_files needs an output folder, or options.in_place=True")
    cleaner = cleaner if cleaner is not None else Cleaner()
    previous = previous or {}
    seen: dict[str, str] = {}
    defer = options.in_place and before_write is not None
    job = _Job(cleaner, options, need_record, defer_write=defer)

    def finish(p: _Prepared) -> FileResult:
        if p.blob is not None and before_write is not None:
            before_write(p.result)
        return p.commit()

    def plan() -> Iterator[_Task | FileResult]:
        for it in items:
            if stop is not None and stop():
                return
            prev = previous.get(str(it.path))
            if options.in_place and prev is not None and prev.ok and prev.path and prev.path != it.rel:
                it = replace(it, rel=prev.path)  # noqa: PLW2901 - the file's name in the earlier lines
            out = it.path if options.in_place or outdir is None else Path(outdir) / it.rel
            key = os.path.normcase(os.path.realpath(out) if options.in_place else os.path.abspath(out))
            if key in seen:
                msg = f"UsageError: output {out} would overwrite the output of {seen[key]}"
                yield FileResult(str(it.path), it.rel, None, False, msg, "UsageError")
                continue
            seen[key] = str(it.path)
            yield _Task(it, out, prev)

    jobs = resolve_jobs(jobs)
    if jobs == 1:
        for t in plan():
            yield t if isinstance(t, FileResult) else finish(job.run_files([t])[0])
        return

    # Collisions are decided in the parent (they need the whole run); the rest goes to the pool,
    # a few files per message, with a bounded number of messages in flight.
    with _pool(jobs, job) as pool:
        pending: deque[tuple[list[_Task | FileResult], Future[list[_Prepared]] | None]] = deque()
        try:
            for b in _chunks(plan(), 4):
                tasks = [t for t in b if isinstance(t, _Task)]
                pending.append((b, pool.submit(_worker_files, tasks) if tasks else None))
                while len(pending) > 4 * jobs:
                    yield from _merge(*pending.popleft(), finish)
            while pending:
                yield from _merge(*pending.popleft(), finish)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _merge(batch: list[_Task | FileResult], fut: Future[list[_Prepared]] | None,
           finish: Callable[[_Prepared], FileResult]) -> Iterator[FileResult]:
    done = iter(fut.result() if fut is not None else [])
    for t in batch:
        yield t if isinstance(t, FileResult) else finish(next(done))


# --------------------------------------------------------------------------------------------
# reports


def read_report(path: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """Lines of a ``--report`` JSONL file; ``ReportError`` naming the line if one is not JSON.

    A last line cut short (no line break, not JSON) is skipped: an in-place run killed while
    appending it had not touched that line's file yet (the line is written first).
    """
    with Path(path).open("rb") as f:
        for n, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                d = json.loads(raw)
            except ValueError as e:
                if not raw.endswith(b"\n"):
                    return
                raise ReportError(f"{path}:{n}: not a JSON line: {e}") from e
            if not isinstance(d, dict):
                raise ReportError(f"{path}:{n}: a report line must be a JSON object")
            yield d


def previous_results(path: str | os.PathLike[str]) -> dict[str, FileResult]:
    """An earlier report by ``source``, for skipping up-to-date files; empty if absent or unusable
    (a report that cannot be read only costs a re-clean, never a wrong skip)."""
    out: dict[str, FileResult] = {}
    try:
        for d in read_report(path):
            if "line" in d:  # a JSONL-mode report: per record, not per file
                continue
            r = FileResult.from_record(d)
            old = out.get(r.source)
            if r.ok or old is None or not old.ok:  # in place, a failed retry does not hide the last cleaning
                out[r.source] = r
    except (OSError, ReportError):
        return {}
    return out


@dataclass(frozen=True, slots=True)
class RestoreResult:
    """What ``restore_record`` did for one report line."""

    path: str | None
    ok: bool
    written: str | None = None
    error: str | None = None
    skipped: str | None = None
    """Why nothing was done for a line that needs nothing (a failed or stdin input)."""
    bytes_out: int = 0
    note: str | None = None
    """Restored, but not to the first original (see ``restore_report``)."""


def safe_relpath(rel: str) -> PurePosixPath:
    """A report's ``path`` as a relative path that stays inside its folder.

    Why: a report is data from elsewhere; ``../../.bashrc`` or ``/etc/passwd`` in it must not
    make ``restore`` write outside the folder the user named.
    """
    p = PurePosixPath(rel)
    if not rel or p.is_absolute() or ".." in p.parts or "\\" in rel or (len(rel) > 1 and rel[1] == ":"):
        raise ReportError(f"unsafe path in report: {rel!r}")
    return p


def restore_record(record: Mapping[str, Any], outdir: str | os.PathLike[str], dest: str | os.PathLike[str]
                   ) -> RestoreResult:
    """Write the original bytes of one cleaned file to ``dest / path`` from ``outdir / path``.

    Exactness is checked, not assumed: the clean file must still have the SHA-256 it was written
    with, and the restored bytes must have the source's SHA-256; otherwise nothing is written
    and the result says why. A report with several lines for one file (in-place runs) is restored
    with ``restore_report``, which follows them back to the first original.
    """
    return next(iter(restore_report([record], outdir, dest)))


def restore_report(records: Iterable[Mapping[str, Any]], outdir: str | os.PathLike[str],
                   dest: str | os.PathLike[str]) -> Iterator[RestoreResult]:
    """Restore every file a report describes: one result per file (and per line that needs nothing).

    Lines are grouped by ``path``. In-place runs append a line each time a file is cleaned again
    (``--force``, or a file edited since), so a file can have a chain of lines: each one's
    ``source_sha256`` is the ``output_sha256`` of the one before. The chain is followed from
    the newest line back, so what comes out is the first original, not the output of an earlier
    cleaning. A line whose output was never written (the run stopped between writing the report
    line and replacing the file: the file still has that line's source SHA-256) is stepped over.
    If the file was edited by hand between two cleanings the chain ends there: the result is the
    edited version, with a ``note`` saying so.
    """
    groups: dict[str, list[FileResult]] = {}
    for record in records:
        rel_raw: str | None = None
        try:
            rel_raw = get_name(record, "path")
            res = FileResult.from_record(record)
        except ReportError as e:
            yield RestoreResult(rel_raw, False, error=f"ReportError: {e}")
            continue
        if not res.ok:
            yield RestoreResult(res.path, True, skipped=f"not cleaned ({res.error})")
        elif res.path is None:
            yield RestoreResult(None, True, skipped=f"{res.source}: no output file (stdout)")
        else:
            groups.setdefault(res.path, []).append(res)
    for rel_raw, chain in groups.items():
        try:
            rel = safe_relpath(rel_raw)
        except ReportError as e:
            yield RestoreResult(rel_raw, False, error=f"ReportError: {e}")
            continue
        yield _restore_chain(rel_raw, chain, Path(outdir, *rel.parts), Path(dest, *rel.parts))


def restore_file(records: Iterable[Mapping[str, Any]], clean: str | os.PathLike[str],
                 dest: str | os.PathLike[str]) -> RestoreResult:
    """Restore one clean file that has no place in an output folder (cleaned to stdout with
    ``--report``): the report line is the one whose ``output_sha256`` is the file's SHA-256."""
    try:
        digest = sha256(Path(clean).read_bytes())
    except OSError as e:
        return RestoreResult(str(clean), False, error=f"InputError: {clean}: cannot read: {e.strerror or e}")
    found: FileResult | None = None
    for record in records:
        try:
            res = FileResult.from_record(record)
        except ReportError:
            continue
        if res.ok and res.output_sha256 == digest:
            found = res
    if found is None:
        return RestoreResult(str(clean), False, error=f"ReportError: no line of the report describes {clean} "
                             "(no output SHA-256 matches: a different report, or the file changed since cleaning)")
    return _restore_chain(str(clean), [found], Path(clean), Path(dest))


def _restore_chain(label: str, chain: list[FileResult], src: Path, target: Path) -> RestoreResult:
    note: str | None = None
    try:
        try:
            data = src.read_bytes()
        except OSError as e:
            raise InputError(f"{src}: cannot read: {e.strerror or e}") from e
        applied = 0
        for n, res in enumerate(reversed(chain)):
            if res.report is None or res.output_encoding is None:
                raise ReportError("report line has no report or output_encoding")
            digest = sha256(data)
            if res.output_sha256 is not None and digest != res.output_sha256:
                if res.source_sha256 == digest:
                    continue  # this cleaning's output was never written: the file is still its source
                if applied == 0:
                    raise ReportError(f"{src} changed since it was cleaned (SHA-256 differs): restoring it would "
                                      "not give back the original")
                note = (f"edited by hand between two cleanings: restored the version before the last "
                        f"{applied} cleaning(s), {len(chain) - n} earlier one(s) cannot be undone")
                break
            text = res.clean_text if res.clean_text is not None else decode_output(data, res.report,
                                                                                   res.output_encoding)
            raw = restore_bytes(text, res.report)
            if res.source_sha256 is not None and sha256(raw) != res.source_sha256:
                raise ReportError("the restored bytes differ from the original (SHA-256); nothing written")
            data, applied = raw, applied + 1
        write_atomic(target, data)
    except (CleantextError, OSError, UnicodeError) as e:
        return RestoreResult(label, False, error=f"{type(e).__name__}: {e}")
    return RestoreResult(label, True, written=str(target), bytes_out=len(data), note=note)


# --------------------------------------------------------------------------------------------
# JSONL


@dataclass(frozen=True, slots=True)
class RecordResult:
    """One JSONL line after cleaning: the output line and what happened."""

    line: int
    """1-based line number in the input."""
    output: bytes
    """The line to write (no terminator): the record with the clean field and ``record_field``;
    an unparseable line unchanged, so outputs keep one line per input line."""
    ok: bool
    error: str | None = None
    report: Report | None = None
    blank: bool = False
    bytes_in: int = 0
    skipped: bool = False
    """The record already carried a successful report (an earlier run) and was passed through."""
    eol: bytes = b"\n"
    """The terminator to write after ``output``: a line passed through keeps its own (CRLF, or
    none on a last line); a cleaned record gets ``\n`` and its original one is in its report."""

    def to_record(self, source: str) -> dict[str, Any]:
        d: dict[str, Any] = {}
        put_name(d, "source", source)
        d |= {"line": self.line, "ok": self.ok}
        if self.skipped:
            d["skipped"] = True
        if self.ok:
            d["report"] = None if self.report is None else self.report.to_dict()
        else:
            d["error"] = self.error
        return d


def json_line(obj: Any) -> bytes:
    """One JSON line (no terminator) as UTF-8 with Chinese as is; a string holding lone surrogates
    (a ``"\\ud800"`` escape in a record) makes the line ASCII JSON, the only form that carries them."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes: only ASCII JSON can carry them
        return json.dumps(obj, ensure_ascii=True).encode("ascii")


_STYLES: dict[str, dict[str, Any]] = {
    "utf8": {"ensure_ascii": False},
    "ascii": {"ensure_ascii": True},  # json.dumps' default: many corpora are written this way
    "compact": {"ensure_ascii": False, "separators": (",", ":")},  # jq -c, serde_json, orjson
    "ascii-compact": {"ensure_ascii": True, "separators": (",", ":")},
}


def _dumps_style(obj: Any, style: str) -> bytes | None:
    try:
        return json.dumps(obj, **_STYLES[style]).encode("utf-8")
    except UnicodeEncodeError:
        return None


def _value_span(s: str, key: str) -> tuple[int, int] | None:
    """Where the value of top-level ``key`` sits in the JSON object text ``s`` (the last one, as
    ``json.loads`` keeps the last of duplicate keys); ``None`` if absent."""
    decoder = json.JSONDecoder()
    ws = json.decoder.WHITESPACE  # type: ignore[attr-defined]
    found: tuple[int, int] | None = None
    i = ws.match(s, 0).end() + 1  # past "{"
    while True:
        i = ws.match(s, i).end()
        if s[i] == "}":
            return found
        k, i = json.decoder.scanstring(s, i + 1)  # type: ignore[attr-defined]
        i = ws.match(s, ws.match(s, i).end() + 1).end()  # past ":"
        _, end = decoder.raw_decode(s, i)
        if k == key:
            found = (i, end)
        i = ws.match(s, end).end()
        if s[i] == "}":
            return found
        i += 1  # ","


def _original_form(body: bytes, rec: dict[str, Any], field: str, *, bom: bool, eol: bytes) -> dict[str, Any]:
    """What ``restore_jsonl_line`` needs to give back the line byte for byte, beyond the record.

    Nothing when the line is what ``json.dumps`` writes and ends in ``\n``; otherwise the BOM,
    the terminator, and the JSON style (four common ones) or, failing those, the line's text
    around the field's value, with how that value was escaped.
    """
    form: dict[str, Any] = {}
    if bom:
        form["bom"] = True
    if eol != b"\n":
        form["eol"] = eol.decode("ascii")
    style = next((st for st in _STYLES if _dumps_style(rec, st) == body), None)
    if style is None:
        s = body.decode("utf-8")
        span = _value_span(s, field)
        form["head"], form["tail"] = (s, "") if span is None else (s[: span[0]], s[span[1] :])
        if span is not None:
            token = s[span[0] : span[1]]
            vstyle = next((st for st in ("utf8", "ascii") if _dumps_style(rec[field], st) == token.encode()), None)
            form["value"] = token if vstyle is None else vstyle
    elif style != "utf8":
        form["style"] = style
    return form


def _restores(meta: Any) -> bool:
    """Whether a record's ``record_field`` (or an earlier one it keeps) holds a successful report."""
    for _ in range(1000):
        if not isinstance(meta, dict):
            return False
        if meta.get("ok") is True and meta.get("report") is not None:
            return True
        meta = meta.get("previous")
    return False


def clean_jsonl_line(
    raw: bytes, line: int, cleaner: Cleaner, *, field: str = "text", mode: Mode = "remove",
    record_field: str = RECORD_FIELD, force: bool = False,
) -> RecordResult:
    """Clean ``record[field]`` of one JSONL line and add ``record[record_field]``.

    A record that already has a successful ``record_field`` is passed through unchanged unless
    ``force``; forced, it is cleaned again and its earlier ``record_field`` is kept inside the new
    one as ``previous``, so restore still reaches the first original.
    The other keys keep their order and values. The report is sealed with the clean text's
    SHA-256 (``text_sha256``), so an edited record is refused at restore; ``original`` says how
    the line was written (BOM, CRLF, JSON style) when that is not ``json.dumps`` + ``\n``, so the
    restored line is the original byte for byte. A record whose field is missing or not a
    string is written back with ``{"ok": false, "error": ...}`` in ``record_field``; a line that is
    not JSON at all is written back unchanged (line counts stay aligned with the input) and fails.
    """
    body = raw.rstrip(b"\r\n")
    eol = raw[len(body) :]
    bom = line == 1 and body.startswith(b"\xef\xbb\xbf")
    if not body.strip():
        return RecordResult(line, body, True, blank=True, eol=eol)
    try:
        rec = json.loads(body)
    except ValueError as e:
        return RecordResult(line, body, False, f"not a JSON line: {e}", bytes_in=len(body), eol=eol)
    if not isinstance(rec, dict):
        return RecordResult(line, body, False, f"not a JSON object but {type(rec).__name__}", bytes_in=len(body),
                            eol=eol)
    prior = rec.get(record_field)
    if not _restores(prior):
        prior = None
    elif not force:
        return RecordResult(line, body, True, bytes_in=len(body), skipped=True, eol=eol)
    form: dict[str, Any] = {}
    if prior is not None:  # --force over a cleaned record: its report is kept as "previous", the way back
        del rec[record_field]
    else:
        with contextlib.suppress(ValueError, IndexError, UnicodeDecodeError):  # else restored as json.dumps writes it
            form = _original_form(body[3:] if bom else body, rec, field, bom=bom, eol=eol)
    value = rec.get(field)
    error: str | None = None
    report: Report | None = None
    if not isinstance(value, str):
        error = f"field {field!r} is missing" if field not in rec else f"field {field!r} is not a string"
    else:
        try:
            cleaned = cleaner.clean_text(value, mode)
        except Exception as e:  # one bad record must not stop a file
            error = describe_error(e)[1]
        else:
            rec[field] = cleaned.text
            report = cleaned.report.with_text_sha256(cleaned.text)
    meta: dict[str, Any] = {"ok": error is None, "error": error, "report": None if report is None else report.to_dict()}
    if form:
        meta["original"] = form
    if prior is not None:
        meta["previous"] = prior
    rec[record_field] = meta
    return RecordResult(line, json_line(rec), error is None, error, report, bytes_in=len(body))


def clean_jsonl(
    lines: Iterable[bytes],
    cleaner: Cleaner | None = None,
    *,
    field: str = "text",
    mode: Mode = "remove",
    record_field: str = RECORD_FIELD,
    jobs: int = 1,
    force: bool = False,
    executor: Executor | None = None,
) -> Iterator[RecordResult]:
    """``clean_jsonl_line`` over ``lines`` (e.g. an open binary file), in order, streaming.

    With ``jobs > 1`` chunks of lines go to a process pool with a bounded number in flight, so a
    single huge JSONL file uses every core without being read into memory first. ``executor``
    (from ``jsonl_pool``, built with the same cleaner) reuses one pool across files.
    """
    cleaner = cleaner if cleaner is not None else Cleaner()
    numbered = enumerate(lines, 1)
    jobs = resolve_jobs(jobs)

    def chunks(size: int) -> Iterator[_LineChunk]:
        for c in _chunks(numbered, size):
            yield _LineChunk(c, field, mode, record_field, force)

    if executor is None and jobs == 1:
        job = _Job(cleaner, CleanOptions(), need_record=False)
        for chunk in chunks(1):
            yield from job.run_lines(chunk)
        return
    with contextlib.ExitStack() as stack:
        pool = executor if executor is not None else stack.enter_context(jsonl_pool(cleaner, jobs))
        try:
            for results in _imap_ordered(pool, _worker_lines, chunks(JSONL_CHUNK_LINES), 2 * max(jobs, 2)):
                yield from results
        except BaseException:
            if executor is None:
                pool.shutdown(wait=False, cancel_futures=True)
            raise


def restore_jsonl_line(raw: bytes, line: int, *, field: str = "text", record_field: str = RECORD_FIELD) -> bytes:
    """The original record of a cleaned JSONL line (no terminator): ``field`` restored,
    ``record_field`` removed. See ``restore_jsonl_bytes``, which adds the original terminator."""
    return _restore_jsonl(raw, line, field, record_field)[0]


def restore_jsonl_bytes(raw: bytes, line: int, *, field: str = "text", record_field: str = RECORD_FIELD) -> bytes:
    """The original line of a cleaned JSONL line, terminator included: byte for byte what was
    cleaned (BOM, CRLF, spacing, escapes, key order), unless keys other than ``field`` were
    changed since (then the record is written as ``json.dumps`` does, with ``\n``).

    Lines without a report (not JSON, passed through) come back as they are. Raises
    ``ReportError`` naming the line when the report does not fit or ``field`` was edited since
    it was cleaned (its SHA-256 differs): restoring it would splice removed text into the edit.
    """
    body, eol = _restore_jsonl(raw, line, field, record_field)
    return body + eol


def _restore_jsonl(raw: bytes, line: int, field: str, record_field: str) -> tuple[bytes, bytes]:
    body = raw.rstrip(b"\r\n")
    eol = raw[len(body) :]
    try:
        rec = json.loads(body) if body.strip() else None
    except ValueError:
        return body, eol
    if not isinstance(rec, dict) or record_field not in rec:
        return body, eol
    chain: list[dict[str, Any]] = []  # newest cleaning first: a forced re-clean keeps the earlier one
    meta = rec.pop(record_field)
    while isinstance(meta, dict) and len(chain) < 1000:
        chain.append(meta)
        meta = meta.get("previous")
    for m in chain:
        if not (m.get("ok") and m.get("report") is not None):
            continue  # a pass that failed changed nothing
        value = rec.get(field)
        if not isinstance(value, str):
            raise ReportError(f"line {line}: field {field!r} is not a string")
        from .api import restore  # noqa: PLC0415 - the str twin of restore_bytes, only needed here

        try:
            report = Report.from_dict(m["report"])
            rec[field] = restore(value, report, verify=report.text_sha256 is not None)
        except ReportError as e:
            raise ReportError(f"line {line}: {e}") from e
    form = chain[-1].get("original") if chain else None
    if not isinstance(form, dict):
        return json_line(rec), b"\n"
    out = _rebuild(rec, field, form)
    return (b"\xef\xbb\xbf" if form.get("bom") else b"") + out, str(form.get("eol", "\n")).encode("ascii")


def _rebuild(rec: dict[str, Any], field: str, form: Mapping[str, Any]) -> bytes:
    """The line as it was written before cleaning, if ``rec`` is still that record."""
    try:
        if "head" in form:
            value = form.get("value")
            token = "" if value is None else value if value not in _STYLES else json.dumps(rec[field], **_STYLES[value])
            out = (str(form["head"]) + token + str(form["tail"])).encode("utf-8", "surrogatepass")
        else:
            out = _dumps_style(rec, str(form.get("style", "utf8"))) or b""
        if json.loads(out) == rec:
            return out
    except (KeyError, ValueError, TypeError):
        pass
    return json_line(rec)  # keys changed since cleaning: the record as it is now


# --------------------------------------------------------------------------------------------
# totals


@dataclass(slots=True)
class BatchStats:
    """Running totals for the one-line summary a batch prints at the end."""

    files: int = 0
    failed: int = 0
    skipped: int = 0
    records: int = 0
    bytes_in: int = 0
    removals: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    timeouts: int = 0
    """Documents on which a rule ran out of time (their cleaning is partial)."""

    def add(self, ok: bool, report: Report | None, size: int, *, skipped: bool = False) -> None:
        """Count one file (or, in JSONL mode, one file's bytes with ``ok`` for unreadable files)."""
        self.files += 1
        self.failed += not ok
        self.skipped += skipped
        if not skipped:
            self.bytes_in += size
        if report is not None and not skipped:
            self.removals.update(r.category for r in report.removals if r.text.strip())
            self.timeouts += bool(report.timeouts)

    def add_record(self, res: RecordResult) -> None:
        """Count one JSONL record; blank lines are not records."""
        if res.blank:
            return
        self.records += 1
        self.failed += not res.ok
        self.skipped += res.skipped
        if res.report is not None:
            self.removals.update(r.category for r in res.report.removals if r.text.strip())
            self.timeouts += bool(res.report.timeouts)

    def summary(self) -> str:
        """``250 files, 4.01 MB, removed 812 (contact 40, promo 12), 1 failed, 2.31 s``."""
        n = sum(self.removals.values())
        cats = ", ".join(f"{k} {v}" for k, v in sorted(self.removals.items(), key=lambda kv: (-kv[1], kv[0])))
        parts = [f"{self.files} file{'' if self.files == 1 else 's'}"]
        if self.records:
            parts.append(f"{self.records} record{'' if self.records == 1 else 's'}")
        if self.skipped:
            what = "already cleaned" if self.records else "up to date"
            parts[-1] += f" ({self.skipped} {what}, skipped)"
        parts.append(f"{self.bytes_in / 1e6:.2f} MB")
        parts.append(f"removed {n}" + (f" ({cats})" if cats else ""))
        parts.append(f"{self.failed} failed")
        if self.timeouts:
            parts.append(f"{self.timeouts} with a rule timeout (partly cleaned)")
        parts.append(f"{time.perf_counter() - self.started:.2f} s")
        return ", ".join(parts)


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the ``with`` block ends without error.

    The streaming twin of ``write_atomic`` for outputs too big to hold in memory (JSONL, reports).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:  # name the folder, not our temporary file
        raise OSError(e.errno, f"cannot write in the folder {target.parent}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, _default_mode() if mode is None else mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


__all__ = [
    "JSONL_CHUNK_LINES",
    "RECORD_FIELD",
    "STATE_FILE",
    "BatchStats",
    "CleanOptions",
    "FileResult",
    "InputFile",
    "OutputEncoding",
    "RecordResult",
    "RestoreResult",
    "atomic_writer",
    "check_writable",
    "clean_files",
    "clean_jsonl",
    "clean_jsonl_line",
    "clean_one",
    "clean_stream",
    "decode_output",
    "describe_error",
    "encode_output",
    "get_name",
    "is_up_to_date",
    "iter_inputs",
    "json_line",
    "jsonl_pool",
    "previous_results",
    "put_name",
    "read_input",
    "read_report",
    "read_state",
    "restore_file",
    "restore_jsonl_bytes",
    "restore_jsonl_line",
    "restore_record",
    "restore_report",
    "root_name",
    "run_state",
    "safe_relpath",
    "sha256",
    "write_atomic",
    "write_state",
]
