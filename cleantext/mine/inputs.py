"""Inputs and workers: paths, texts, bytes and JSONL records as units, scanned in chunks, in a
process pool when ``jobs > 1``."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ..batch import iter_inputs, read_input
from ..engine import Cleaner
from ..errors import CleantextError
from ..model import Removal
from .counting import _Partial, _scan_doc

_Unit = tuple[Literal["path", "text", "bytes", "record"], Any, str]
"""(kind, payload, source): a file to read, a document, or one raw JSONL line to parse."""


@dataclass(frozen=True, slots=True)
class _Job:
    cleaner: Cleaner
    field: str
    max_line_chars: int


_WORKER: list[_Job] = []


def _init_worker(job: _Job) -> None:
    _WORKER[:] = [job]


def _worker_scan(chunk: tuple[int, list[_Unit]]) -> _Partial:
    return _scan_chunk(_WORKER[0], chunk)


def _document(job: _Job, unit: _Unit) -> tuple[str, Sequence[Removal]]:
    """Decode through the public cleaner in annotate mode: the text is the decoded original and
    the removals are what the packs already take."""
    kind, payload, _ = unit
    if kind == "record":
        try:
            rec = json.loads(payload)
        except ValueError as e:
            raise CleantextError(f"not a JSON line: {e}") from e
        value = rec.get(job.field) if isinstance(rec, dict) else None
        if not isinstance(value, str):
            raise CleantextError(f"field {job.field!r} is missing or not a string")
        res = job.cleaner.clean_text(value, "annotate")
    elif kind == "text":
        res = job.cleaner.clean_text(payload, "annotate")
    else:
        data = payload if kind == "bytes" else read_input(payload, job.cleaner.limits.max_bytes)
        res = job.cleaner.clean_bytes(data, "annotate")
    return res.text, res.report.removals


def _scan_chunk(job: _Job, chunk: tuple[int, list[_Unit]]) -> _Partial:
    first, units = chunk
    part = _Partial()
    for n, unit in enumerate(units):
        try:
            text, removals = _document(job, unit)
        except (CleantextError, OSError) as e:
            part.failed += 1
            if len(part.errors) < 5:
                part.errors.append(f"{unit[2]}: {type(e).__name__}: {e}")
            continue
        part.docs += 1
        _scan_doc(job.cleaner, text, removals, part, doc_no=first + n, max_line_chars=job.max_line_chars)
    return part


def _is_path(x: object) -> bool:
    if isinstance(x, os.PathLike):
        return True
    return isinstance(x, str) and "\n" not in x and 0 < len(x) < 4096 and os.path.exists(x)


def _units(inputs: Iterable[str | bytes | os.PathLike[str]], *, jsonl_field: str | None,
           globs: Sequence[str]) -> Iterator[_Unit]:
    for n, x in enumerate(inputs):
        if isinstance(x, bytes):
            yield ("bytes", x, f"<bytes {n}>")
        elif not _is_path(x):
            yield ("text", str(x), f"<text {n}>")
        elif jsonl_field is None:
            for it in iter_inputs([x], globs=globs):
                yield ("path", str(it.path), str(it.path))
        else:
            for it in iter_inputs([x], globs=globs or ["*.jsonl"]):
                try:
                    with it.path.open("rb") as f:
                        for ln, raw in enumerate(f, 1):
                            body = raw.rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf" if ln == 1 else b"")
                            if body.strip():
                                yield ("record", body, f"{it.path}:{ln}")
                except OSError as e:
                    yield ("path", str(it.path), f"{it.path} ({e.strerror or e})")
