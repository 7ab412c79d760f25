"""Scores of a reading (frequent hanzi, plausible code points, budget) and the GB vs Big5 vote."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..config import Limits
from .chardata import _CONTROL_BYTES, _FREQUENT_RE, _HANGUL_RE, _NON_ASCII_BYTE_RE, _PLAUSIBLE_RE, _XX00_RE
from .thresholds import _BUDGET_BYTES_PER_RUN, _MIN_BUDGET, _VOTE_ERROR_SHARE, _VOTE_MARGIN


def _budget(n: int) -> int:
    """Replaced runs allowed in ``n`` bytes: ``max(8, n / 1000)`` (DESIGN §5)."""
    return max(_MIN_BUDGET, n // _BUDGET_BYTES_PER_RUN)


def _non_ascii(text: str) -> int:
    # The ASCII encoder drops the rest at C speed (100x a regex over a large text).
    return len(text) - len(text.encode("ascii", "ignore"))


def _frequent(text: str) -> int:
    return _count(_FREQUENT_RE, text)


def _frequent_share(text: str) -> float:
    """Share of the non-ASCII characters that are frequent hanzi or CJK punctuation."""
    m = _non_ascii(text)
    return _frequent(text) / m if m else 0.0


def _plausibility(text: str, hangul: bool = False, xx00: bool = True) -> float:
    """Share of code points that real text read with the right UTF-16/32 byte order has."""
    if not text:
        return 0.0
    implausible = len(_PLAUSIBLE_RE.sub("", text)) + (_count(_XX00_RE, text) if xx00 else 0)
    if hangul:
        implausible -= _count(_HANGUL_RE, text)
    return 1.0 - implausible / len(text)


def _control_count(sample: bytes) -> int:
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES))


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Characters of ``text`` in ``pattern``, one of ``chardata``'s character-run patterns."""
    return len(text) - len(pattern.sub("", text))


def _family(name: object) -> str | None:
    """``gb`` / ``big5`` for a chardet answer in those families, else ``None``."""
    if not isinstance(name, str):
        return None
    key = name.lower().replace("_", "-")
    if key in {"gb2312", "gbk", "gb18030", "hz-gb-2312", "hz", "cp936", "euc-cn"}:
        return "gb"
    if key in {"big5", "big5hkscs", "big5-hkscs", "cp950"}:
        return "big5"
    return None


def _sample(data: bytes, limits: Limits) -> bytes:
    """``sample_bytes`` from the first non-ASCII byte, cut at the last newline in it."""
    m = _NON_ASCII_BYTE_RE.search(data)
    start = m.start() if m else 0
    end = start + limits.sample_bytes
    if end >= len(data):
        return data[start:]
    cut = data.rfind(b"\n", start, end)
    return data[start : cut + 1] if cut > start + limits.sample_bytes // 2 else data[start:end]


@dataclass(frozen=True, slots=True)
class _Reading:
    errors: int
    share: float
    chars: int
    text: str = field(default="", repr=False, compare=False)
    """The sample's text when it read without an error (the fast path may keep it as the result)."""


def _read_as(sample: bytes, codec: str) -> _Reading:
    # errors="replace" runs in C; the escape handler costs a Python call per bad byte, and a
    # GBK sample read as Big5 has thousands. One U+FFFD per bad sequence is the same count.
    cap = max(64, len(sample) // 4)
    text = sample.decode(codec, "replace")
    errors = text.count("\ufffd")
    if errors > cap:
        return _Reading(cap + 1, 0.0, 1)
    m = _non_ascii(text)
    return _Reading(errors, _frequent(text) / m if m else 0.0, m, "" if errors else text)


def _readings(sample: bytes) -> dict[str, _Reading]:
    """The sample read as GB and as Big5 (big5hkscs stands for the whole Big5 chain)."""
    return {"gb": _read_as(sample, "gb18030"), "big5": _read_as(sample, "big5hkscs")}


def _clear_family(readings: dict[str, _Reading]) -> str | None:
    """GB or Big5 when the readings tell them apart: by invalid sequences, then frequent hanzi."""
    gb, b5 = readings["gb"], readings["big5"]
    m = max(gb.chars, b5.chars, 1)
    slack = max(3, int(m * _VOTE_ERROR_SHARE))
    if b5.errors >= gb.errors + slack:
        return "gb"
    if gb.errors >= b5.errors + slack:
        return "big5"
    if gb.share >= b5.share + _VOTE_MARGIN:
        return "gb"
    if b5.share >= gb.share + _VOTE_MARGIN:
        return "big5"
    return None


def _vote(readings: dict[str, _Reading], chardet_family: str | None) -> tuple[str, str, float]:
    """Layers 8-9: (family, detector, confidence) for a legacy sample."""
    clear = _clear_family(readings)
    margin = abs(readings["gb"].share - readings["big5"].share)
    if chardet_family is not None and clear in (None, chardet_family):
        return chardet_family, "chardet", max(0.5, min(1.0, 0.5 + margin))
    if clear is not None:
        return clear, "gb-big5-vote", min(1.0, 0.5 + margin)
    # Nothing tells them apart (no frequent hanzi, no invalid bytes): mainland text is the
    # more common case by far.
    return "gb", "gb-big5-vote", 0.3
