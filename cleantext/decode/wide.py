"""Layers 2 and 7: BOM-less UTF-16/32, the byte order chosen by code-point plausibility."""

from __future__ import annotations

from typing import Final

from ..config import Limits
from ..model import Decoded
from .assembly import _assemble_within, _result
from .scoring import _budget, _frequent, _frequent_share, _plausibility
from .thresholds import (
    _CLEAR_MARGIN_NUL,
    _FREQUENT_MARGIN,
    _PLAUSIBLE_FLOOR_NUL,
    _PLAUSIBLE_MARGIN,
    _PLAUSIBLE_MIN,
    _PLAUSIBLE_MIN_NUL,
    _TINY_CHARS,
    _WIDE_PREFILTER_BYTES,
)

_IMPLAUSIBLE_HIGH: Final = bytes([*range(0xA0, 0xD8), *range(0xE0, 0xFE)])
"""High-order bytes of UTF-16 units that read as U+A000-U+D7FF or U+E000-U+FDFF: Yi, Hangul,
private use and compatibility forms, none of them in ``chardata._PLAUSIBLE_RE`` (Hangul only
counts with NULs, which ``_maybe_utf16`` never has)."""


def _utf16_reading(data: bytes, codec: str, size: int, hangul: bool = False) -> tuple[float, str]:
    """Plausibility of the first ``size`` bytes read as ``codec`` (bad units count as implausible)."""
    unit = 4 if "32" in codec else 2
    size = min(len(data), size)
    text = data[: size - size % unit].decode(codec, "replace")
    return _plausibility(text, hangul), text


def _surely_implausible(head: bytes, floor: float) -> bool:
    """Whether ``head`` read as UTF-16 in either byte order is below ``floor`` plausibility, told
    from bytes alone: a unit whose high-order byte is in ``_IMPLAUSIBLE_HIGH`` is one implausible
    character (surrogates excepted, a pair can be a plausible astral one), and a reading has at
    most one character per unit. GBK and Big5 hanzi have such bytes in both orders. ``False``
    means "maybe": the reading itself must then be scored."""
    allowed = (1.0 - floor) * (len(head) // 2) + 1  # one unit of slack against rounding
    return all(
        len(units) - len(units.translate(None, _IMPLAUSIBLE_HIGH)) > allowed for units in (head[0::2], head[1::2])
    )


def _maybe_utf16(data: bytes) -> bool:
    """Whether BOM-less UTF-16 without NULs is worth trying (layer 7's own first check): an even
    length and a plausible start in one byte order (legacy text read as UTF-16 is not)."""
    floor = _PLAUSIBLE_MIN - _PLAUSIBLE_MARGIN
    if len(data) % 2 or _surely_implausible(data[:_WIDE_PREFILTER_BYTES], floor):
        return False
    return max(
        _utf16_reading(data, "utf-16-le", _WIDE_PREFILTER_BYTES)[0],
        _utf16_reading(data, "utf-16-be", _WIDE_PREFILTER_BYTES)[0],
    ) >= floor


def _decode_wide(data: bytes, limits: Limits, with_nul: bool) -> Decoded | None:
    """Layers 2 and 7: BOM-less UTF-32/16, byte order by code-point plausibility."""
    n = len(data)
    if with_nul and n % 4 == 0:
        for codec in ("utf-32-le", "utf-32-be"):
            score, _ = _utf16_reading(data, codec, limits.sample_bytes, hangul=True)
            if score >= _PLAUSIBLE_MIN:
                asm = _assemble_within(data, codec, _budget(n))
                if asm is not None:
                    return _result(asm, codec, confidence=score, detector="utf-32-nul")
    if n < 2 or (not with_nul and not _maybe_utf16(data)):
        return None  # without NULs or a BOM, an odd length speaks against UTF-16
    le, le_text = _utf16_reading(data, "utf-16-le", limits.sample_bytes, hangul=with_nul)
    be, be_text = _utf16_reading(data, "utf-16-be", limits.sample_bytes, hangul=with_nul)
    le_share, be_share = _frequent_share(le_text), _frequent_share(be_text)
    if abs(le - be) >= _PLAUSIBLE_MARGIN:
        big_endian = be > le
        confidence = max(le, be)
    elif abs(le_share - be_share) >= _FREQUENT_MARGIN:
        big_endian = be_share > le_share
        confidence = max(le, be)
    elif with_nul:
        # NULs say UTF-16 but both orders look alike (short or degenerate text: 　一 reads as
        # "0N" swapped): more frequent hanzi, then plausibility, then the commoner little-endian.
        big_endian = (_frequent(be_text), be) > (_frequent(le_text), le)
        confidence = max(le, be) / 2
    else:
        return None
    score, codec, text = (be, "utf-16-be", be_text) if big_endian else (le, "utf-16-le", le_text)
    clear_winner = with_nul and score >= _PLAUSIBLE_FLOOR_NUL and abs(le - be) >= _CLEAR_MARGIN_NUL
    if with_nul and not clear_winner and len(text) <= _TINY_CHARS:
        # a few characters: one 开 (U+5F00) weighs too much in the swapped-ASCII test; without it
        # the right order reads as all plausible and the wrong one does not
        other = be_text if codec == "utf-16-le" else le_text
        plain, plain_other = _plausibility(text, True, xx00=False), _plausibility(other, True, xx00=False)
        clear_winner = plain >= _PLAUSIBLE_MIN and plain - plain_other >= _CLEAR_MARGIN_NUL
    if score < (_PLAUSIBLE_MIN_NUL if with_nul else _PLAUSIBLE_MIN) and not clear_winner:
        return None
    if not with_nul:
        # Short Big5 pairs read as UTF-16-LE can land in the CJK block; real hanzi are frequent.
        share = _frequent_share(text)
        sample = data[: limits.sample_bytes]
        for legacy in ("gb18030", "big5"):
            try:
                other = sample.decode(legacy)
            except UnicodeDecodeError:
                continue
            if _frequent_share(other) > share:
                return None
    asm = _assemble_within(data, codec, _budget(n))
    if asm is None:
        return None
    return _result(asm, codec, confidence=confidence, detector="utf-16-nul" if with_nul else "utf-16-heuristic")
