"""What the review page shows: its limits, one ``Document`` (a report and its text), the run's
``Summary``, and reading a ``--report`` line back into a document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..api import restore
from ..batch import FileResult, decode_output, safe_relpath, sha256
from ..errors import CleantextError
from ..report import Report

CONTEXT_LINES = 2
"""Kept lines shown around each removal on the review page; longer kept runs fold into a gap."""
MAX_KEPT_CHARS = 600
"""A kept piece longer than this (a 50 MB single-line document) shows its two ends only."""
MAX_DOCUMENTS = 10_000
"""Documents with removals embedded in one review page; beyond this they are sampled evenly."""
MAX_LISTED = 200
"""Failed inputs and capped documents listed in the summary (all are counted)."""
PAGE_REMOVALS = 5_000
"""Removals rendered on one page of documents (the page script pages through the rest)."""

_CAP_PREFIX = "cap-"

Token = str | int
"""A run of ordinary text, or the code point of a character shown as a badge."""


@dataclass(frozen=True, slots=True)
class Document:
    """One document to show: its label, the text it was cleaned from (``None`` when only the
    removed text is known) and its report."""

    label: str
    report: Report
    text: str | None
    note: str = ""
    """Why the text is missing, or anything else the reader should know about this document."""


@dataclass(slots=True)
class Summary:
    """Counts over the whole report (not only the documents embedded in the page). Mutable: an
    accumulator filled line by line, so a 10,000-line report is read once."""

    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    bytes_in: int = 0
    removals: int = 0
    blank: int = 0
    with_removals: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    docs_by_rule: Counter[str] = field(default_factory=Counter)
    rule_category: dict[str, str] = field(default_factory=dict)
    capped: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    notices: int = 0

    def add(self, label: str, report: Report, bytes_in: int) -> None:
        self.documents += 1
        self.bytes_in += bytes_in
        rem = report.removals
        self.removals += len(rem)
        self.blank += sum(1 for r in rem if not r.text.strip())
        self.with_removals += bool(rem)
        self.by_category.update(r.category for r in rem)
        self.by_rule.update(r.rule for r in rem)
        self.docs_by_rule.update({r.rule for r in rem})
        for r in rem:
            self.rule_category.setdefault(r.rule, r.category)
        self.notices += len(report.notices)
        caps = tuple(n for n in report.notices if n.startswith(_CAP_PREFIX))
        if caps:
            self.capped.append((label, caps))

    def fail(self, label: str, error: str, bytes_in: int) -> None:
        self.documents += 1
        self.bytes_in += bytes_in
        self.failed.append((label, error))


def _label(d: Mapping[str, Any]) -> str:
    src = str(d.get("source", "?"))
    return f"{src}:{d['line']}" if "line" in d else src


def _find_output(d: Mapping[str, Any], res: FileResult, outdir: Path | None, base: Path) -> Path | None:
    if res.path is not None and outdir is not None:
        return outdir.joinpath(*safe_relpath(res.path).parts)
    if res.output is None:
        return None
    out = Path(res.output)
    if out.is_absolute() or out.exists():
        return out
    return base / out


def load_document(d: Mapping[str, Any], *, outdir: Path | None, base: Path) -> Document | None:
    """The document of one successful report line with its original text, rebuilt from the
    clean output and the report (checked against the recorded SHA-256s); ``None`` for a failure.

    When the output cannot be found or changed since cleaning, the document is still shown with
    its removed text only, and says why.
    """
    if "line" in d:  # a JSONL-mode record: its text lives inside a record of a JSONL output
        rep = Report.from_dict(d["report"])
        return Document(_label(d), rep, None, "JSONL record: removed text only")
    res = FileResult.from_record(d)
    if not res.ok or res.report is None:
        return None
    rep = res.report
    try:
        path = _find_output(d, res, outdir, base)
        if path is None:
            return Document(res.source, rep, None, "no output file (stdout): removed text only")
        data = path.read_bytes()
        if res.output_sha256 is not None and sha256(data) != res.output_sha256:
            return Document(res.source, rep, None, f"{path} changed since cleaning: removed text only")
        clean = res.clean_text
        if clean is None:
            clean = decode_output(data, rep, res.output_encoding or "utf-8")
        return Document(res.source, rep, restore(clean, rep))
    except (OSError, UnicodeError, CleantextError) as e:
        return Document(res.source, rep, None, f"output not readable ({type(e).__name__}): removed text only")
