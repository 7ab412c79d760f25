"""Fast path: GB vs Big5 by a frequency score on the sample, without chardet."""

from __future__ import annotations

from typing import Final

from ..model import Decoded
from .assembly import _Assembly, _result
from .chardata import _UTF8_CLASS_TABLE, _UTF8_RUN
from .legacy import _decode_family
from .scoring import _clear_family, _readings
from .thresholds import _FAST_MIN_CHARS, _FAST_SHARE
from .wide import _maybe_utf16

DETECTOR: Final = "gb-big5-frequency"


def _decode_fast_legacy(data: bytes, sample: bytes) -> Decoded | None:
    """Legacy Chinese decided at codec speed, before the lenient UTF-8 and chardet layers.

    Two C-speed decodes of the sample (errors counted as U+FFFD) and a regex count of frequent
    hanzi: when one family reads the sample without an invalid sequence and as clearly Chinese
    (``_FAST_SHARE``), and beats the other family by the vote's own rule, the vote would overrule
    chardet anyway, so chardet is not asked. A clean Chinese reading also beats lenient UTF-8
    (issue 11 item 6). Everything else (damaged, mixed, possibly UTF-16, short or ambiguous input,
    text that is not Chinese) takes the full path.
    """
    readings = _readings(sample)
    family = _clear_family(readings)
    if family is None:
        return None
    win = readings[family]
    if win.errors or win.share < _FAST_SHARE or win.chars < _FAST_MIN_CHARS:
        return None
    # UTF-8 hanzi runs (a mixed file: the lenient layer may read it as UTF-8 with GB lines) or
    # possible UTF-16: the layers in between decide, as they did before the fast path existed.
    if _UTF8_RUN in sample.translate(_UTF8_CLASS_TABLE) or _maybe_utf16(data):
        return None
    confidence = min(1.0, 0.5 + abs(readings["gb"].share - readings["big5"].share))
    head = len(data) - len(sample)
    if family == "gb" and data[:head].isascii():
        # The sample is the whole non-ASCII part and read as gb18030 without an error, so it is the
        # text: what layer 10 would return after decoding it again (gb18030 is bijective, and no
        # UTF-8 run was found above). Big5 is decoded with ``big5`` first, not the sample's codec.
        text = data[:head].decode("ascii") + win.text
        return _result(_Assembly([text], [], len(text)), "gb18030", confidence=confidence, detector=DETECTOR)
    return _decode_family(
        data, family, detector=DETECTOR, confidence=confidence, readings=readings, sample_len=len(sample)
    )
