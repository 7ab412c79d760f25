"""Layer 10: decode as GB or Big5 (UTF-8 lines inside kept), strictly or within the budget."""

from __future__ import annotations

from ..errors import DecodeError
from ..model import Decoded, notice
from .assembly import _assemble_within, _Assembly, _line_bounds, _result
from .chardata import _UTF8_CLASS_TABLE, _UTF8_RUN
from .scoring import _budget, _frequent_share, _Reading
from .thresholds import (
    _BIG5_CHAIN,
    _CALLS_PER_RUN,
    _GB_CHAIN,
    _LEGACY_LINE_SHARE,
    _MIXED_EDGE_BYTES,
    _MIXED_SCAN_BYTES,
)


def _utf8_lines(data: bytes, family_codec: str) -> list[tuple[int, int, str]]:
    """Whole UTF-8 lines inside a legacy document (mixed files), as (start, end, text)."""
    n = len(data)
    spans = [(0, n)] if n <= _MIXED_SCAN_BYTES else [(0, _MIXED_EDGE_BYTES), (n - _MIXED_EDGE_BYTES, n)]
    found: list[tuple[int, int, str]] = []
    for lo_span, hi_span in spans:
        classes = data[lo_span:hi_span].translate(_UTF8_CLASS_TABLE)
        pos = classes.find(_UTF8_RUN)
        while pos >= 0:
            lo, hi = _line_bounds(data, lo_span + pos, lo_span + pos + len(_UTF8_RUN))
            if found and lo < found[-1][1]:
                pos = classes.find(_UTF8_RUN, hi - lo_span)
                continue
            line = data[lo:hi]
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            if text:
                legacy_share = _frequent_share(line.decode(family_codec, "replace"))
                share = _frequent_share(text)
                if share >= _LEGACY_LINE_SHARE and share > legacy_share:
                    found.append((lo, hi, text))
            pos = classes.find(_UTF8_RUN, hi - lo_span) if hi - lo_span < len(classes) else -1
    return found


def _decode_family(
    data: bytes, family: str, *, detector: str, confidence: float, readings: dict[str, _Reading], sample_len: int
) -> Decoded:
    """Layer 10: decode as ``family`` (else the other family), strictly or within the budget."""
    budget = _budget(len(data))
    sample_cap = _CALLS_PER_RUN * _budget(sample_len)
    order = [family, "big5" if family == "gb" else "gb"]
    for k, fam in enumerate(order):
        if readings[fam].errors > sample_cap:
            continue  # the sample alone spends the budget (big5hkscs stands for all of Big5)
        chain = _GB_CHAIN if fam == "gb" else _BIG5_CHAIN
        foreign = _utf8_lines(data, chain[0])
        best: tuple[_Assembly, str] | None = None
        for codec in chain:
            asm = _assemble_within(data, codec, budget if best is None else best[0].replaced - 1, foreign)
            if asm is None:
                continue
            best = (asm, codec)
            if asm.replaced == 0:
                break
        if best is None:
            continue
        asm, codec = best
        notices = []
        if k:
            notices.append(notice(
                "decode-fallback", f"detected {order[0]} but it exceeds the replacement budget; decoded as {codec}"
            ))
            detector, confidence = "fallback", 0.2
        if foreign:
            notices.append(notice(
                "decode-mixed",
                f"{len(foreign)} line(s) decoded as utf-8 inside a {codec} document; byte patches keep them exact",
            ))
        return _result(asm, codec, confidence=confidence, detector=detector, notices=notices)
    raise DecodeError(
        f"no supported encoding decodes the input within the replacement budget of {budget} "
        f"byte runs (tried utf-8, utf-16, gb18030, big5, cp950, big5hkscs)"
    )
