"""Stage ⑥: the frozen ``Report`` and ``Cleaned`` result, with JSON that round-trips and validates.

``Report.from_dict`` checks that the removals describe a valid edit (sorted, disjoint,
``len(text) == end - start``) so a report read back from disk can be trusted by ``restore``.
Byte patches (original bytes of spans that do not re-encode to themselves) travel as base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from .edit import shift_patches
from .errors import ReportError
from .model import ACTIONS, ZONES, BytePatch, Encoding, Mode, PackRef, Removal, is_mode

REPORT_VERSION = 3
"""3: ``action`` says what happened (``absorbed``, ``blank``, ``title-copy``, ``excerpt`` for what the
resolve policies took, which versions 1 and 2 all called ``block``); 2: scored removals carry
``score`` and ``signals``. Reports of every version read and restore (an old ``block`` stays
``block``: which policy took a line is not recorded there)."""


@dataclass(frozen=True, slots=True)
class Report:
    """What was read, which rules ran, what was removed and what went wrong along the way."""

    encoding: Encoding
    pack: PackRef
    removals: tuple[Removal, ...]
    notices: tuple[str, ...] = ()
    newline: str = "none"
    patches: tuple[BytePatch, ...] = ()
    mode: Mode = "remove"
    text_sha256: str | None = None
    """SHA-256 of the clean text (UTF-8) when the report was sealed with ``with_text_sha256``: lets
    ``restore(..., verify=True)`` refuse a clean text edited since, instead of splicing removed
    lines into the middle of someone's edit. JSONL records always carry it."""

    def with_text_sha256(self, text: str) -> Report:
        """This report, sealed with the digest of ``text`` (the clean text it goes with)."""
        return replace(self, text_sha256=text_sha256(text))

    def by_category(self) -> dict[str, int]:
        """Number of removals with visible text per category, in first-seen order (the blank lines
        that went with a block are in ``removals`` but are not worth counting)."""
        return dict(Counter(r.category for r in self.removals if r.text.strip()))

    @property
    def timeouts(self) -> tuple[str, ...]:
        """The ``rule-timeout`` notices: a rule was cut off, so the cleaning is partial. The CLI
        always shows them (no ``-v`` needed) and counts them in its summary."""
        return tuple(n for n in self.notices if n.startswith("rule-timeout"))

    def summary(self) -> str:
        """One line for logs: encoding, removals (``found`` in annotate mode) by category, notices."""
        counts = self.by_category()
        cats = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "nothing"
        blank = len(self.removals) - sum(counts.values())
        enc = f"{self.encoding.name}{' +BOM' if self.encoding.bom else ''} ({self.encoding.detector})"
        extra = f"; {len(self.notices)} notice(s)" if self.notices else ""
        gaps = f" (+{blank} blank line(s))" if blank else ""
        verb = "found" if self.mode == "annotate" else "removed"  # annotate keeps the text: nothing went
        return f"{enc}, {self.newline}; {verb} {sum(counts.values())}{gaps}: {cats}{extra}"

    def to_dict(self) -> dict[str, Any]:
        e = self.encoding
        return {
            "version": REPORT_VERSION,
            "mode": self.mode,
            "encoding": {
                "name": e.name, "confidence": e.confidence, "bom": e.bom, "lossless": e.lossless,
                "replaced": e.replaced, "detector": e.detector,
            },
            "newline": self.newline,
            "pack": {"name": self.pack.name, "version": self.pack.version, "sha256": self.pack.sha256},
            "removals": [_removal_dict(r) for r in self.removals],
            "notices": list(self.notices),
            "patches": [
                {"start": p.start, "end": p.end, "raw": base64.b64encode(p.raw).decode("ascii")}
                for p in self.patches
            ],
        } | ({} if self.text_sha256 is None else {"text_sha256": self.text_sha256})

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, indent=indent)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Report:
        try:
            e = d["encoding"]
            enc = Encoding(str(e["name"]), float(e["confidence"]), bool(e["bom"]), bool(e["lossless"]),
                           int(e["replaced"]), str(e["detector"]))
            p = d["pack"]
            pack = PackRef(str(p["name"]), str(p["version"]), str(p["sha256"]))
            removals = tuple(
                Removal(int(r["start"]), int(r["end"]), str(r["text"]), str(r["rule"]), str(r["category"]),
                        _word(r["zone"], ZONES, "zone"), int(r["line"]), _word(r["action"], ACTIONS, "action"),
                        None if r.get("score") is None else float(r["score"]),
                        tuple((str(k), float(v)) for k, v in r.get("signals", [])))
                for r in d["removals"]
            )
            patches = tuple(
                BytePatch(int(x["start"]), int(x["end"]), base64.b64decode(x["raw"], validate=True))
                for x in d.get("patches", [])
            )
            notices = tuple(str(n) for n in d.get("notices", []))
            mode = d.get("mode", "remove")
            newline = str(d.get("newline", "none"))
            digest = d.get("text_sha256")
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise ReportError(f"malformed report: {type(exc).__name__}: {exc}") from exc
        if not is_mode(mode):
            raise ReportError(f"malformed report: unknown mode {mode!r}")
        if digest is not None and not (isinstance(digest, str) and len(digest) == 64):
            raise ReportError(f"malformed report: text_sha256 is not a SHA-256 hex digest: {digest!r}")
        _check_spans([(r.start, r.end) for r in removals], "removal")
        for r in removals:
            if len(r.text) != r.end - r.start:
                raise ReportError(f"removal at {r.start}: text has {len(r.text)} chars, span {r.end - r.start}")
        _check_spans([(x.start, x.end) for x in patches], "patch")
        return cls(enc, pack, removals, notices, newline, patches, mode, digest)

    @classmethod
    def from_json(cls, s: str | bytes) -> Report:
        try:
            d = json.loads(s)
        except (ValueError, TypeError) as exc:
            raise ReportError(f"report is not valid JSON: {exc}") from exc
        if not isinstance(d, dict):
            raise ReportError("report JSON must be an object")
        return cls.from_dict(d)


_W = TypeVar("_W", bound=str)


def _word(value: object, words: tuple[_W, ...], what: str) -> _W:
    """``value`` if it is one of ``words`` (a zone, an action), else ``ValueError`` naming it."""
    for w in words:
        if value == w:
            return w
    raise ValueError(f"unknown {what} {value!r} (one of {', '.join(words)})")


def _removal_dict(r: Removal) -> dict[str, Any]:
    d: dict[str, Any] = {"start": r.start, "end": r.end, "text": r.text, "rule": r.rule, "category": r.category,
                         "zone": r.zone, "line": r.line, "action": r.action}
    if r.score is not None:  # only scored removals carry these: reports of rule removals stay as they were
        d["score"] = r.score
        d["signals"] = [[k, v] for k, v in r.signals]
    return d


def text_sha256(text: str) -> str:
    """SHA-256 (hex) of ``text`` as UTF-8; lone surrogates (from JSON escapes) are kept as such."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _check_spans(spans: list[tuple[int, int]], what: str) -> None:
    prev = 0
    for s, e in spans:
        if s < prev or e < s or s < 0:
            raise ReportError(f"{what}s must be sorted, disjoint and non-negative (at {s}-{e})")
        prev = e


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The clean text and the report that explains it (ftfy's ``fix_and_explain`` shape)."""

    text: str
    report: Report

    def to_bytes(self) -> bytes:
        """The clean text in the source encoding, BOM and original bytes of kept odd spans included."""
        rep = self.report
        patches = rep.patches if rep.mode == "annotate" else shift_patches(rep.patches, rep.removals)
        return rep.encoding.encode(self.text, patches)

    def __str__(self) -> str:
        return self.text


__all__ = ["REPORT_VERSION", "Cleaned", "Report", "text_sha256"]
