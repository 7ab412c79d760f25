"""Layers 4 and 6: short UTF-8 that is really GB/Big5/UTF-16, and lenient UTF-8 (damaged or mixed)."""

from __future__ import annotations

from ..config import Limits
from ..model import Decoded, notice
from .assembly import _assemble, _line_bounds, _result
from .chardata import _ASCII_BYTES, _MARKERS_RE
from .escape import _decode_escaped
from .scoring import _budget, _frequent_share, _non_ascii, _sample
from .thresholds import (
    _ALTERNATIVE_SHARE,
    _CALLS_PER_RUN,
    _FREQUENT_MARGIN,
    _LEGACY_LINE_SHARE,
    _MIXED_RUN_ALLOWANCE,
    _PLAUSIBLE_MIN,
    _SHORT_UTF8_NONASCII,
    _SHORT_UTF16_BYTES,
    _VALID_PER_ERROR,
)
from .wide import _utf16_reading


def _legacy_reading(raw: bytes) -> tuple[str, str, float] | None:
    """The best strict GB/Big5 reading of a short byte string: (codec, text, frequent share)."""
    best: tuple[str, str, float] | None = None
    for codec in ("gb18030", "big5"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _frequent_share(text)
        if best is None or share > best[2]:
            best = (codec, text, share)
    return best


def _better_than_utf8(data: bytes, utf8_text: str) -> tuple[str, str, float, str] | None:
    """A strict GB/Big5 or (short, even) UTF-16 reading that clearly beats the UTF-8 one.

    Returns (codec, text, frequent share, detector). Short GBK/Big5/UTF-16 strings are sometimes
    valid UTF-8 (谢谢 is ``D0 BB D0 BB``, лл) or damaged UTF-8 with very few bad bytes.
    """
    best: tuple[str, str, float, str] | None = None
    legacy = _legacy_reading(data)
    if legacy is not None:
        best = (*legacy, "gb-big5-vote")
    if len(data) % 2 == 0 and len(data) <= _SHORT_UTF16_BYTES:
        for codec in ("utf-16-le", "utf-16-be"):
            score, wide = _utf16_reading(data, codec, len(data))
            share = _frequent_share(wide)
            if score >= _PLAUSIBLE_MIN and (best is None or share > best[2]):
                best = (codec, wide, share, "utf-16-heuristic")
    return best if best is not None and _beats_utf8(best[1], best[2], utf8_text) else None


def _short_utf8_alternative(data: bytes, text: str, limits: Limits) -> Decoded | None:
    """Layer 4 guard: a short string that is valid UTF-8 but clearly GB/Big5/UTF-16 text."""
    if len(data) > limits.sample_bytes or len(data) - len(text) > _SHORT_UTF8_NONASCII:
        return None
    best = _better_than_utf8(data, text)
    if best is None:
        return None
    codec, _, share, detector = best
    asm = _assemble(data, codec)
    if asm is None:  # pragma: no cover - no cap given
        return None
    return _result(asm, codec, confidence=min(0.9, share), detector=detector)


def _beats_utf8(other: str, other_share: float, utf8_text: str) -> bool:
    """Whether another reading of short or damaged UTF-8 is clearly the real text."""
    return (
        _non_ascii(other) >= 2
        and other_share >= _ALTERNATIVE_SHARE
        and other_share - _frequent_share(utf8_text) >= _FREQUENT_MARGIN
    )


def _decode_utf8_lenient(data: bytes, first_bad: int, limits: Limits) -> Decoded | None:
    """Layer 6: UTF-8 with a few bad runs, or with whole GBK/Big5 lines (mixed files)."""
    n = len(data)
    budget = _budget(n)
    window_start = data.rfind(b"\n", 0, first_bad) + 1
    if n - window_start > limits.sample_bytes:
        window = data[window_start : window_start + limits.sample_bytes]
        if _utf8_runs(window, _CALLS_PER_RUN * (_budget(len(window)) + _MIXED_RUN_ALLOWANCE)) is None:
            return None
    scanned = _utf8_runs(data, _CALLS_PER_RUN * (budget + _MIXED_RUN_ALLOWANCE))
    if scanned is None:
        return None
    runs, valid = scanned
    foreign: list[tuple[int, int, str]] = []
    codecs_used: set[str] = set()
    replaced_runs = 0
    foreign_chars = 0
    i = 0
    while i < len(runs):
        lo, hi = _line_bounds(data, runs[i][0], runs[i][1])
        j = i
        while j < len(runs) and runs[j][0] < hi:
            j += 1
        line = data[lo:hi]
        bad_bytes = sum(end - start for start, end in runs[i:j])
        # GBK/Big5 read as UTF-8 fails on nearly every non-ASCII byte; damage to a UTF-8 line
        # touches a few. Only the former is worth trying as a foreign line.
        legacy = _legacy_reading(line) if 2 * bad_bytes >= len(line.translate(None, _ASCII_BYTES)) else None
        if (
            legacy is not None
            and legacy[2] >= _LEGACY_LINE_SHARE
            and legacy[2] > _frequent_share(line.decode("utf-8", "replace"))
        ):
            foreign.append((lo, hi, legacy[1]))
            codecs_used.add(legacy[0])
            foreign_chars += _non_ascii(legacy[1])
        else:
            replaced_runs += j - i
        i = j
    if replaced_runs > budget or valid < _VALID_PER_ERROR * replaced_runs or valid < foreign_chars:
        return None
    probe = data if n <= limits.sample_bytes else _sample(data, limits)
    # damaged UTF-8, or GB/Big5/UTF-16 with only a few invalid UTF-8 bytes?
    if not foreign and _better_than_utf8(probe, probe.decode("utf-8", "replace")) is not None:
        return None
    asm = _assemble(data, "utf-8", foreign)
    if asm is None:  # pragma: no cover - no cap given
        return None
    # Never above a clean legacy reading of the same bytes (issue 11 item 6): short GBK can read
    # as UTF-8 with a few bad runs plus a "foreign" GBK line, while all of it is strict GBK.
    legacy = _legacy_reading(probe)
    if legacy is not None and legacy[2] >= _ALTERNATIVE_SHARE:
        lenient = "".join(asm.pieces) if probe is data else probe.decode("utf-8", "replace")
        if legacy[2] > _frequent_share(lenient):
            return None
    notices = []
    if foreign:
        notices.append(notice(
            "decode-mixed",
            f"{len(foreign)} line(s) decoded as {'/'.join(sorted(codecs_used))} inside a utf-8 document; "
            "byte patches keep them exact",
        ))
    confidence = max(0.5, 1.0 - (replaced_runs + len(foreign)) / max(1, valid))
    return _result(asm, "utf-8", confidence=confidence, detector="utf-8-lenient", notices=notices)


def _utf8_runs(data: bytes, cap: int) -> tuple[list[tuple[int, int]], int] | None:
    """Bad UTF-8 byte ranges (adjacent ones merged) and the number of valid non-ASCII characters.

    ``None`` past ``cap`` bad sequences.
    """
    # Count first in C (one U+FFFD per bad sequence, as the handler would be called): legacy
    # text read as UTF-8 would otherwise cost ``cap`` Python handler calls before giving up.
    if data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd") > cap:
        return None
    got = _decode_escaped(data, "utf-8", cap)
    if got is None:
        return None
    escaped, _ = got
    runs: list[tuple[int, int]] = []
    marker_chars = 0
    # Map text offsets back to bytes: the text before a marker run is valid UTF-8.
    pos_t = 0
    pos_b = 0
    for m in _MARKERS_RE.finditer(escaped):
        pos_b += len(escaped[pos_t : m.start()].encode("utf-8"))
        width = m.end() - m.start()
        runs.append((pos_b, pos_b + width))
        marker_chars += width
        pos_b += width
        pos_t = m.end()
    return runs, _non_ascii(escaped) - marker_chars
