"""Codec error handlers: linear-time replacement that remembers the original bytes."""

from __future__ import annotations

import codecs
import threading
from typing import Final

from .chardata import _GLUED_LETTER_RE
from .scoring import _frequent
from .thresholds import _RESYNC_WINDOW


class _BudgetExceededError(Exception):
    """Raised from inside a decode to stop it once the error budget is spent."""


class _HandlerState(threading.local):
    """Per-thread error counter for the escape handler (handlers are global, decodes are not)."""

    count: int = 0
    cap: int | None = None
    resync: bool = False


_STATE: Final = _HandlerState()


def _resync_skips_next(data: bytes, pos: int, codec: str) -> bool:
    """After a bad byte at ``pos - 1`` in a double-byte codec: is it a damaged lead byte?

    If the byte was a lead whose value got damaged, its intact trail byte now reads as a lead
    and every following character is misread until an ASCII byte realigns the stream. Reading
    the next ``_RESYNC_WINDOW`` bytes from ``pos`` and from ``pos + 1`` and keeping the reading
    with more frequent hanzi (and fewer errors) loses one character instead of a whole line.
    """
    if pos >= len(data) or data[pos] < 0x40 or data[pos] == 0x7F:
        return False
    # Incremental decoders with final=False hold back a character cut by the window's end
    # instead of counting it as an error.
    factory = codecs.getincrementaldecoder(codec)
    here = factory("replace").decode(data[pos : pos + _RESYNC_WINDOW], False)
    skip = factory("replace").decode(data[pos + 1 : pos + 1 + _RESYNC_WINDOW], False)
    return _resync_score(skip) > _resync_score(here)


def _resync_score(text: str) -> int:
    """Frequent hanzi, minus errors, minus lone Latin letters glued to hanzi (a Big5 trail byte
    in 40-7E read on its own: 設置筒Y、 instead of 設置�坡、)."""
    return _frequent(text) - 2 * text.count("\ufffd") - len(_GLUED_LETTER_RE.findall(text))


def _escape_handler(exc: UnicodeError) -> tuple[str, int]:
    """Decode error handler: each bad byte ``b`` becomes ``U+DC00 + b``.

    For 8-bit codecs only the bytes up to the first ASCII byte are consumed (``81 30 0A`` is
    reported as one bad sequence by gb18030), so that ASCII, and above all ``\\n``, always
    decodes as itself and lines stay aligned between bytes and text.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _STATE.count += 1
    if _STATE.cap is not None and _STATE.count > _STATE.cap:
        raise _BudgetExceededError
    end = exc.end
    if "16" not in exc.encoding and "32" not in exc.encoding:
        end = exc.start + 1
        while end < exc.end and exc.object[end] >= 0x80:
            end += 1
        if _STATE.resync and end == exc.start + 1 and _resync_skips_next(exc.object, end, exc.encoding):
            end += 1
    return "".join(chr(0xDC00 + b) for b in exc.object[exc.start : end]), end


def _unescape_handler(exc: UnicodeError) -> tuple[bytes, int]:
    """Encode error handler: the inverse of :func:`_escape_handler`; anything else fails."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    if not all(0xDC00 <= ord(c) <= 0xDCFF for c in chunk):
        raise exc
    return bytes(ord(c) - 0xDC00 for c in chunk), exc.end


_ESCAPE: Final = "cleantext.decode.escape"

_UNESCAPE: Final = "cleantext.decode.unescape"

codecs.register_error(_ESCAPE, _escape_handler)

codecs.register_error(_UNESCAPE, _unescape_handler)


def _decode_escaped(data: bytes, codec: str, cap: int | None = None, resync: bool = False) -> tuple[str, int] | None:
    """Decode with bad bytes escaped; return the text and the number of handler calls.

    ``None`` when more than ``cap`` bad sequences were met (the decode stops right there, so a
    wrong codec costs a few handler calls, not one per byte of a 10 MB file). ``resync`` turns
    on damaged-lead recovery (:func:`_resync_skips_next`), for the final decode only.
    """
    _STATE.count, _STATE.cap, _STATE.resync = 0, cap, resync
    try:
        text = data.decode(codec, _ESCAPE)
    except _BudgetExceededError:
        return None
    finally:
        count, _STATE.count, _STATE.cap, _STATE.resync = _STATE.count, 0, None, False
    return text, count
