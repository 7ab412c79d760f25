"""The public functions: ``clean``, ``clean_bytes``, ``clean_file``, ``restore``, ``restore_bytes``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from . import edit
from ._fs import read_input
from .check import load_pack
from .config import DEFAULT_LIMITS
from .engine import Cleaner
from .errors import ReportError
from .model import Mode
from .report import Cleaned, Report, text_sha256
from .rules import RulePack

PackArg = RulePack | str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None

_CLEANERS: dict[str, Cleaner] = {}


def get_cleaner(pack: PackArg = None) -> Cleaner:
    """A cached ``Cleaner`` for ``pack``: ``None`` (built-ins), a ``RulePack``, or pack file path(s)
    that extend the built-ins."""
    if pack is None:
        rp = None
    elif isinstance(pack, RulePack):
        rp = pack
    elif isinstance(pack, (str, os.PathLike)):
        rp = load_pack(pack)
    else:
        rp = load_pack(*pack)
    key = "" if rp is None else rp.ref.sha256
    c = _CLEANERS.get(key)
    if c is None:
        c = _CLEANERS[key] = Cleaner(rp)
    return c


def clean_bytes(data: bytes, *, pack: PackArg = None, mode: Mode = "remove") -> Cleaned:
    """Decode ``data`` (any supported encoding), remove adverts, report what went."""
    return get_cleaner(pack).clean_bytes(bytes(data), mode)


def clean(text: str, *, pack: PackArg = None, mode: Mode = "remove") -> Cleaned:
    """Clean an already decoded string; ``to_bytes`` then writes UTF-8.

    >>> res = clean("仅供学习 禁止外传\\n第一条 为了规范管理，制定本办法。\\n")
    >>> res.text
    '第一条 为了规范管理，制定本办法。\\n'
    >>> [r.rule for r in res.report.removals]
    ['reseller_header.internal-only']
    """
    return get_cleaner(pack).clean_text(text, mode)


def clean_file(path: str | os.PathLike[str], *, pack: PackArg = None, mode: Mode = "remove") -> Cleaned:
    """Read ``path`` as bytes and clean it; a file above the size limit is refused before reading."""
    data = read_input(path, DEFAULT_LIMITS.max_bytes, label=str(Path(path)))
    return clean_bytes(data, pack=pack, mode=mode)


def restore(text: str, report: Report, *, verify: bool = False) -> str:
    """The decoded original text, from the clean text and its report.

    ``verify=True``: first check ``text`` against the digest the report was sealed with
    (``Report.with_text_sha256``; JSONL records carry it) and raise ``ReportError`` if the clean
    text changed since, or if the report carries no digest. Without the check an edited text is
    restored with the removed lines spliced in at their old offsets.
    """
    if not isinstance(report, Report):
        raise ReportError(f"restore needs a cleantext.Report, not {type(report).__name__}")
    if verify:
        if report.text_sha256 is None:
            raise ReportError("verify=True needs a report sealed with the clean text's digest "
                              "(Report.with_text_sha256); this one carries none")
        if text_sha256(text) != report.text_sha256:
            raise ReportError("the clean text changed since it was cleaned (SHA-256 differs): restoring it "
                              "would splice the removed text into the edited one")
    if report.mode == "annotate":
        return text
    return edit.restore(text, report.removals)


def restore_bytes(text: str, report: Report, *, verify: bool = False) -> bytes:
    """The original bytes exactly, BOM, line endings and undecodable bytes included (``verify``: as
    for ``restore``)."""
    return report.encoding.encode(restore(text, report, verify=verify), report.patches)


__all__ = ["clean", "clean_bytes", "clean_file", "get_cleaner", "restore", "restore_bytes"]
