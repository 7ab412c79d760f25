"""Stage ①: bytes → :class:`~cleantext.model.Decoded`, the layered detector of DESIGN.md §5.

Layers, cheapest and surest first (``Encoding.detector`` names the one that decided):

1. ``bom``: a byte-order mark names the codec (UTF-8, UTF-16, UTF-32).
2. ``utf-32-nul`` / ``utf-16-nul``: NUL bytes mean UTF-16/32 (NUL is valid UTF-8, so this goes
   first); the byte order is chosen by how plausible the code points are, never by NUL parity
   alone (一 is ``00 4E`` in UTF-16-LE). NULs that are not UTF-16/32 mean binary.
3. ``iso-2022``: 7-bit Japanese/Korean (ESC sequences, SO/SI), when its text is kana/Hangul.
4. ``utf-8``: strict UTF-8 over everything, at codec speed (pure ASCII is ``utf-8`` too). A
   short string that is valid UTF-8 only by accident (GBK 谢谢 is UTF-8 лл) goes to the codec
   whose reading is clearly more Chinese.
5. ``gb-big5-frequency``, the fast path: the sample read as GB and as Big5 at codec speed; a
   reading with no invalid sequence, mostly frequent hanzi and a clear lead over the other
   family decides, without chardet (the vote of layer 9 would overrule chardet anyway).
6. ``utf-8-lenient``: UTF-8 with a few bad byte runs, replaced; whole lines in GBK/Big5 inside a
   UTF-8 document (mixed files) are decoded with their own codec (and UTF-8 lines inside a
   GB/Big5 document likewise, in layer 10), with a ``decode-mixed`` notice. Never above a clean
   GB/Big5 reading of the same bytes.
7. ``utf-16-heuristic``: BOM-less UTF-16 without NULs, by code-point plausibility.
8. ``chardet`` on a sample, candidates restricted to the Chinese set, and
9. ``gb-big5-vote``: GB vs Big5 by invalid-byte count, then by the share of frequent hanzi; it
   also overrules chardet when the evidence is clear (chardet confuses short GBK and Big5).
   ``chardet-non-chinese``: when even the better reading has few frequent hanzi, chardet,
   unrestricted, may name a non-Chinese codec (CP932, EUC-KR, CP1252, KOI8-R...), taken when
   the script agrees (kana, frequent Hangul, accented letters in Latin words, whole words).
10. Decode GB as ``gb18030``; Big5 as ``big5`` → ``cp950`` → ``big5hkscs``; strictly if possible,
    else with U+FFFD for undecodable runs within the replacement budget (``max(8, n/1000)``
    runs), resynchronising after a damaged lead byte so one character is lost, not a line.

Whatever decided, text that is mostly kana or Hangul gets ``Decoded.not_chinese`` set (as do
the non-Chinese codecs): the engine runs no Chinese rule pack on it.

Before any of it: above ``Limits.max_bytes`` → ``InputTooLargeError``; file signatures (PNG,
PDF, ZIP...), unexplained NULs or many control bytes → ``BinaryInputError``; nothing fitting
the budget → ``DecodeError``. Nothing else is raised, for any bytes.

Exactness: every span of the text that does not re-encode to its original bytes (a replaced
run, a line in a foreign codec, a Big5 duplicate code) is a :class:`BytePatch`, so
``encoding.encode(text, patches) == data`` for every input that does not raise.

Modules: ``thresholds`` (every tuned number, with its reason), ``chardata`` (frequent hanzi,
code-point classes, file signatures), ``scoring`` (shares, budget, the GB/Big5 vote), ``escape``
(the codec error handlers), ``assembly`` (escaped text → text + byte patches + result), then one
module per layer group: ``signature`` (binary check, layer 1), ``wide`` (2, 7), ``utf8`` (4, 6),
``fast`` (5), ``fallback`` (8-9), ``legacy`` (10), ``script`` (3 and the non-Chinese codecs).
"""

from __future__ import annotations

from dataclasses import replace

from ..config import DEFAULT_LIMITS, Limits
from ..errors import BinaryInputError, InputTooLargeError
from ..model import Decoded
from .assembly import _plain, newline_style
from .fallback import _decode_legacy
from .fast import _decode_fast_legacy
from .scoring import _control_count, _sample
from .script import _decode_iso2022, non_chinese_script
from .signature import _decode_bom, _reject_signature
from .thresholds import _CONTROL_MIN_COUNT, _CONTROL_SHARE_MAX
from .utf8 import _decode_utf8_lenient, _short_utf8_alternative
from .wide import _decode_wide

__all__ = ["decode", "newline_style", "non_chinese_script"]


def decode(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Decoded:
    r"""Decode one document's bytes; see the module docstring for the layers.

    Raises ``InputTooLargeError`` above ``limits.max_bytes``, ``BinaryInputError`` for binary
    data and ``DecodeError`` when nothing decodes within the replacement budget; nothing else.

    >>> res = decode("第一条　总则\r\n".encode("gbk"))
    >>> res.text, res.encoding.name, res.newline, res.encoding.lossless
    ('第一条\u3000总则\r\n', 'gb18030', 'crlf', True)
    >>> res = decode(b"\xef\xbb\xbf\xe6\xad\xa3\xe6\x96\x87\xff")
    >>> res.text, res.encoding.name, res.encoding.replaced, res.patches[0].raw
    ('正文\ufffd', 'utf-8-sig', 1, b'\xff')
    >>> res.encoding.encode(res.text, res.patches) == b"\xef\xbb\xbf\xe6\xad\xa3\xe6\x96\x87\xff"
    True
    """
    n = len(data)
    if n > limits.max_bytes:
        raise InputTooLargeError(
            f"input is {n} bytes, above the limit of {limits.max_bytes}; raise Limits.max_bytes or split the document"
        )
    res = _detect(data, limits)
    if res.not_chinese is not None or res.text.isascii():
        return res
    script = non_chinese_script(res.text)
    return res if script is None else replace(res, not_chinese=script)


def _detect(data: bytes, limits: Limits) -> Decoded:
    """The layers in order; the first that decides returns."""
    n = len(data)
    if not n:
        return _plain("", "utf-8", 1.0, "empty")
    _reject_signature(data)
    got = _decode_bom(data)
    if got is not None:
        return got
    nul = data.find(b"\x00")
    if nul >= 0:
        got = _decode_wide(data, limits, with_nul=True)
        if got is not None:
            return got
        count = data.count(b"\x00", 0, limits.sample_bytes)
        raise BinaryInputError(
            f"input has NUL bytes (first at offset {nul}, {count} in the first "
            f"{min(n, limits.sample_bytes)} bytes) and does not read as UTF-16/32 text: binary data?"
        )
    sample = data[: limits.sample_bytes]
    got = _decode_iso2022(data, sample)  # before the control bytes: ISO-2022-KR shifts with SO/SI
    if got is not None:
        return got
    controls = _control_count(sample)
    if controls:
        # Control bytes are rare in text but common in BOM-less UTF-16 (low bytes 01-1F).
        got = _decode_wide(data, limits, with_nul=False)
        if got is not None:
            return got
        if controls >= _CONTROL_MIN_COUNT and controls > _CONTROL_SHARE_MAX * len(sample):
            raise BinaryInputError(
                f"input has {controls} control bytes in its first {len(sample)} bytes "
                f"(more than {_CONTROL_SHARE_MAX:.0%}): binary data, not text"
            )
    if data.isascii():
        return _plain(data.decode("ascii"), "utf-8", 1.0, "utf-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        return _short_utf8_alternative(data, text, limits) or _plain(text, "utf-8", 1.0, "utf-8")
    got = _decode_fast_legacy(data, _sample(data, limits))
    if got is not None:
        return got
    got = _decode_utf8_lenient(data, first_bad, limits)
    if got is not None:
        return got
    got = _decode_wide(data, limits, with_nul=False)
    if got is not None:
        return got
    return _decode_legacy(data, limits)
