"""Decode invisible fingerprints into a notice, so a report says *what* a watermark carried.

Two common encodings are recognised in the characters that ``invisible`` rules removed:

* Unicode TAG characters (U+E0020-E007E) spell ASCII directly (``U+E0041`` is ``A``);
* two zero-width characters used as bits, eight to a byte (e.g. U+200C = 0, U+200D = 1), with
  U+200B or U+2060 as optional separators. Both bit assignments are tried; a payload is reported
  only when it decodes as printable UTF-8, so random fingerprints produce no noise.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Removal, notice

_SEPARATORS = frozenset("\u200b\u2060")
_BITS = frozenset("\u200b\u200c\u200d\u2060\ufeff")
MAX_PAYLOAD = 200
"""Characters of a decoded payload kept in the notice."""


def _printable(s: str) -> bool:
    return bool(s) and all(c.isprintable() or c in "\t\n" for c in s)


def _tags(chars: str) -> str | None:
    tags = "".join(chr(ord(c) - 0xE0000) for c in chars if 0xE0020 <= ord(c) <= 0xE007E)
    return tags if len(tags) >= 2 else None


def _bits(chars: str) -> str | None:
    seq = [c for c in chars if c in _BITS]
    symbols = sorted(set(seq) - _SEPARATORS) if set(seq) - _SEPARATORS else sorted(set(seq))
    if len(symbols) != 2:
        return None
    seq = [c for c in seq if c in symbols]
    if len(seq) < 16 or len(seq) % 8:
        return None
    for zero, one in (symbols, symbols[::-1]):
        bits = "".join("0" if c == zero else "1" for c in seq)
        data = bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if _printable(text):
            return f"{text} (U+{ord(zero):04X}=0, U+{ord(one):04X}=1)"
    return None


def payload_notices(removals: Iterable[Removal]) -> list[str]:
    """``invisible-payload: …`` notices for the invisible characters removed from one document."""
    chars = "".join(r.text for r in removals if r.category == "invisible")
    if not chars:
        return []
    out = []
    tags = _tags(chars)
    if tags is not None:
        out.append(notice("invisible-payload", f"TAG characters spell {tags[:MAX_PAYLOAD]!r}"))
    bits = _bits(chars)
    if bits is not None:
        out.append(notice("invisible-payload", f"zero-width bits decode to {bits[:MAX_PAYLOAD]!r}"))
    return out


__all__ = ["payload_notices"]
