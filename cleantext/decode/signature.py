"""Layer 1 and the binary check before it: file signatures and byte-order marks."""

from __future__ import annotations

import codecs
from typing import Final

from ..errors import BinaryInputError, DecodeError
from ..model import Decoded
from .assembly import _assemble_within, _result
from .chardata import _SIGNATURES
from .scoring import _budget

_MAGICS: Final = tuple(magic for magic, _ in _SIGNATURES)


def _reject_signature(data: bytes) -> None:
    if data.startswith(_MAGICS):  # one C call for every text (GBK lead bytes share first bytes with them)
        for magic, what in _SIGNATURES:
            if data.startswith(magic):
                raise BinaryInputError(f"input looks like {what} (signature {magic[:8].hex(' ')}), not text")
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        raise BinaryInputError("input looks like a Windows/DOS executable (MZ header), not text")
    if data.startswith(b"RIFF") and data[8:12] in {b"WAVE", b"AVI ", b"WEBP"}:
        raise BinaryInputError(f"input looks like a RIFF {data[8:12].decode('ascii').strip()} file, not text")
    if data[4:8] == b"ftyp":
        raise BinaryInputError("input looks like an MP4/MOV/HEIC media file (ftyp box), not text")


def _decode_bom(data: bytes) -> Decoded | None:
    """Layer 1: a byte-order mark names the codec; the payload still decodes within budget."""
    if data.startswith(codecs.BOM_UTF8):
        name, codec, size = "utf-8-sig", "utf-8", 3
    elif data.startswith(codecs.BOM_UTF32_LE) and len(data) % 4 == 0 and _utf32_ok(data[4:], "utf-32-le"):
        name, codec, size = "utf-32-le", "utf-32-le", 4
    elif data.startswith(codecs.BOM_UTF32_BE) and len(data) % 4 == 0 and _utf32_ok(data[4:], "utf-32-be"):
        name, codec, size = "utf-32-be", "utf-32-be", 4
    elif data.startswith(codecs.BOM_UTF16_LE):
        name, codec, size = "utf-16-le", "utf-16-le", 2
    elif data.startswith(codecs.BOM_UTF16_BE):
        name, codec, size = "utf-16-be", "utf-16-be", 2
    else:
        return None
    payload = data[size:]
    asm = _assemble_within(payload, codec, _budget(len(payload)))
    if asm is None:
        raise DecodeError(
            f"input starts with a {name} byte-order mark but more than {_budget(len(payload))} "
            f"byte runs do not decode as {codec}: the file is damaged or not {codec}"
        )
    return _result(asm, name, confidence=1.0, detector="bom", bom=True)


def _utf32_ok(payload: bytes, codec: str) -> bool:
    try:
        payload[:4096].decode(codec)
    except UnicodeDecodeError:
        return False
    return True
