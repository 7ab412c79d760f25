"""Golden file contents: the report without its volatile fields, and text and JSON as bytes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..report import Report
from ..visible import is_invisible

if TYPE_CHECKING:
    pass



VOLATILE_FIELDS: tuple[tuple[str, str], ...] = (
    ("pack", "sha256"),
    ("pack", "version"),
    ("encoding", "confidence"),
)
"""Report fields left out of golden ``.json`` files, because they change without the output
changing. ``pack.sha256`` changes whenever any rule of the pack changes, including rules that never
fire on the document; ``pack.version`` changes with every release of the built-in packs. What the
rules did is pinned by the removals (rule id, span, text), which stay. ``encoding.confidence`` is a
detector score (chardet's for legacy encodings) that moves between detector versions while the
decoded text does not; the encoding name, BOM, ``lossless``, ``replaced`` and the deciding stage
(``detector``) stay. ``pack.name`` stays: it says which packs ran."""


def golden_report(report: Report) -> dict[str, Any]:
    """``report.to_dict()`` without ``VOLATILE_FIELDS``."""
    d = report.to_dict()
    for table, key in VOLATILE_FIELDS:
        sub = d.get(table)
        if isinstance(sub, dict):
            sub.pop(key, None)
    return d


_PLACEHOLDERS: dict[str, Any] = {"sha256": "", "version": "", "confidence": 0.0}


def report_from_golden(d: Mapping[str, Any]) -> Report:
    """A ``Report`` from golden JSON data, the volatile fields filled with placeholders (empty
    strings, confidence 0.0). Enough for ``cleantext.restore_bytes(golden_text, report)``, which
    gives back the original input: a golden pair is a complete record of its document."""
    data = json.loads(json.dumps(d))
    for table, key in VOLATILE_FIELDS:
        sub = data.get(table)
        if isinstance(sub, dict):
            sub.setdefault(key, _PLACEHOLDERS[key])
    return Report.from_dict(data)


def _json_char(c: str) -> str:
    if c < "\x80" or not is_invisible(c):
        return c
    o = ord(c)
    if o > 0xFFFF:
        o -= 0x10000
        return f"\\u{0xD800 + (o >> 10):04x}\\u{0xDC00 + (o & 0x3FF):04x}"
    return f"\\u{o:04x}"


def dump_report(d: Mapping[str, Any]) -> bytes:
    """Golden JSON bytes. Outside strings ``json.dumps`` writes only ASCII, so escaping every
    invisible character it left raw can only touch string contents, and stays valid JSON."""
    text = json.dumps(d, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    return "".join(map(_json_char, text)).encode("utf-8", "surrogatepass")


def dump_text(text: str) -> bytes:
    """Golden text bytes: UTF-8, nothing added, nothing normalised (``surrogatepass`` so even a
    lone surrogate in a ``str`` input round-trips)."""
    return text.encode("utf-8", "surrogatepass")


def load_text(data: bytes) -> str:
    """Golden text bytes back to ``str``, for display only (comparison is on bytes)."""
    return data.decode("utf-8", "surrogateescape")


def _read_json(path: Path) -> tuple[dict[str, Any], str]:
    try:
        d = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        return {}, f"{type(e).__name__}: {e}"
    if not isinstance(d, dict):
        return {}, "not a JSON object"
    return d, ""
