"""JSONL records: one line cleaned, its original form kept, and restored byte for byte."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import Cleaner
from ..errors import ReportError
from ..model import Mode
from ..report import Report
from .records import describe_error, json_line, put_name

RECORD_FIELD = "cleantext"
"""Key added to each JSONL record: ``{"ok": bool, "error": str | None, "report": dict | None}``."""


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
        from ..api import restore  # noqa: PLC0415 - the str twin of restore_bytes, only needed here

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
