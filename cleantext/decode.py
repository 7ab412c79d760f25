"""Stage ①: bytes → Decoded. (Temporary minimal detector; the layered one replaces it.)"""

from __future__ import annotations

from .config import DEFAULT_LIMITS, Limits
from .errors import BinaryInputError, InputTooLargeError
from .model import Decoded, Encoding


def newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("lf", lf), ("cr", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def decode(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Decoded:
    if len(data) > limits.max_bytes:
        raise InputTooLargeError(f"input is {len(data)} bytes, above the limit of {limits.max_bytes}")
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
        return Decoded(text, Encoding("utf-8-sig", 1.0, True, True, 0, "bom"), newline_style(text))
    if data.startswith(b"\xff\xfe"):
        text = data[2:].decode("utf-16-le")
        return Decoded(text, Encoding("utf-16-le", 1.0, True, True, 0, "bom"), newline_style(text))
    if b"\x00" in data:
        raise BinaryInputError("NUL bytes")
    try:
        text = data.decode("utf-8")
        return Decoded(text, Encoding("utf-8", 1.0, False, True, 0, "utf-8"), newline_style(text))
    except UnicodeDecodeError:
        pass
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        return Decoded(text, Encoding(codec, 0.5, False, True, 0, "fallback"), newline_style(text))
    text = data.decode("gb18030", errors="replace")
    return Decoded(text, Encoding("gb18030", 0.1, False, False, text.count("\ufffd"), "fallback"),
                   newline_style(text))
