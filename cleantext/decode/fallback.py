"""Layers 8-9, the fallback: chardet and the GB vs Big5 vote, or chardet's non-Chinese codec."""

from __future__ import annotations

import chardet

from ..config import Limits
from ..model import Decoded
from .chardata import _NON_ASCII_BYTE_RE
from .legacy import _decode_family
from .scoring import _family, _readings, _sample, _vote
from .script import _decode_non_chinese
from .thresholds import (
    _CHARDET_SET,
    _CHINESE_FIT,
    _CONTEXT_BYTES,
    _SINGLE_BYTE_ERROR_SHARE,
    _SINGLE_BYTE_ERRORS,
)


def _chardet_family(sample: bytes) -> tuple[str | None, float]:
    """chardet's verdict on the sample, reduced to ``gb`` / ``big5`` / ``None``."""
    try:
        res = chardet.detect(
            sample,
            max_bytes=max(1, len(sample)),
            include_encodings=_CHARDET_SET,
            no_match_encoding="ascii",
        )
    except Exception:  # a detector bug must not escape as a non-cleantext error
        return None, 0.0
    conf = res.get("confidence")
    return _family(res.get("encoding")), float(conf) if isinstance(conf, int | float) else 0.0


def _decode_legacy(data: bytes, limits: Limits) -> Decoded:
    """Layers 8-10, the fallback: chardet + vote pick GB or Big5, or chardet a non-Chinese codec."""
    sample = _sample(data, limits)
    readings = _readings(sample)
    fam_c, conf_c = _chardet_family(sample)
    family, detector, confidence = _vote(readings, fam_c)
    if detector == "chardet":
        confidence = max(confidence, conf_c)
    if readings[family].share < _CHINESE_FIT:
        # chardet gets the context before the first non-ASCII byte too (``Les élèves``, not
        # ``élèves``: a bare high byte is as Cyrillic as it is Latin).
        m = _NON_ASCII_BYTE_RE.search(data)
        first = m.start() if m else 0
        invalid = min(r.errors for r in readings.values()) >= max(
            _SINGLE_BYTE_ERRORS, _SINGLE_BYTE_ERROR_SHARE * readings[family].chars
        )
        got = _decode_non_chinese(data, data[max(0, first - _CONTEXT_BYTES) : first + len(sample)], invalid)
        if got is not None:
            return got
    return _decode_family(
        data, family, detector=detector, confidence=confidence, readings=readings, sample_len=len(sample)
    )
