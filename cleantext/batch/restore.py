"""Reports of a batch run: reading them, and restoring originals from them."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from .._fs import write_atomic
from ..api import restore_bytes
from ..errors import CleantextError, InputError, ReportError
from .outputs import decode_output, sha256
from .records import FileResult, get_name


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
