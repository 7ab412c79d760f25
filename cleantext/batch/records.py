"""Report lines: ``FileResult``, and how file names, errors and JSON go into a line."""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import CleantextError, ReportError
from ..report import Report
from .outputs import OutputEncoding


def json_line(obj: Any) -> bytes:
    """One JSON line (no terminator) as UTF-8 with Chinese as is; a string holding lone surrogates
    (a ``"\\ud800"`` escape in a record) makes the line ASCII JSON, the only form that carries them."""
    try:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates from "\ud800" escapes: only ASCII JSON can carry them
        return json.dumps(obj, ensure_ascii=True).encode("ascii")


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
