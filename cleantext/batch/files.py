"""One file → one result: the up-to-date check, one clean, its atomic write."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .._fs import read_input, write_atomic
from ..engine import Cleaner
from .inputs import InputFile
from .outputs import CleanOptions, decode_output, encode_output, sha256
from .records import FileResult, describe_error


def _failure(source: str, rel: str | None, exc: BaseException, size: int, t0: float) -> FileResult:
    kind, msg = describe_error(exc)
    return FileResult(source, rel, None, False, msg, kind, bytes_in=size, seconds=time.perf_counter() - t0)


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
