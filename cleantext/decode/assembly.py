"""Escaped text → final text + byte patches, and the :class:`Decoded` result built from them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model import BytePatch, Decoded, Encoding, notice
from .chardata import _MARKERS_RE
from .escape import _UNESCAPE, _decode_escaped
from .thresholds import _BIJECTIVE_CODECS, _CALLS_PER_RUN, _RESYNC_CODECS


@dataclass(slots=True)
class _Assembly:
    """Text pieces and patches being built; ``replaced`` counts U+FFFD runs."""

    pieces: list[str]
    patches: list[BytePatch]
    length: int = 0
    replaced: int = 0
    foreign_lines: int = 0
    odd_lines: int = 0

    def add_text(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)

    def add_patch(self, text: str, raw: bytes) -> None:
        self.patches.append(BytePatch(self.length, self.length + len(text), raw))
        self.add_text(text)

    def add_escaped(self, escaped: str) -> None:
        """Append text whose marker runs become U+FFFD, each patched with its original bytes."""
        pos = 0
        for m in _MARKERS_RE.finditer(escaped):
            self.add_text(escaped[pos : m.start()])
            self.add_patch("\ufffd", bytes(ord(c) - 0xDC00 for c in m.group()))
            self.replaced += 1
            pos = m.end()
        self.add_text(escaped[pos:])


def _add_lines_checked(asm: _Assembly, escaped: str, raw: bytes, codec: str) -> None:
    """Append ``escaped`` line by line, patching whole lines that do not re-encode to ``raw``.

    Only used when a duplicate code (Big5, CP932...) was seen; lines are aligned because the escape handler
    never swallows ASCII and no multibyte character of these codecs contains ``0A``.
    """
    text_lines = escaped.split("\n")
    raw_lines = raw.split(b"\n")
    if len(text_lines) != len(raw_lines):  # cannot happen (see above); stay exact regardless
        asm.add_patch(_MARKERS_RE.sub("\ufffd", escaped), raw)
        asm.odd_lines += 1
        return
    last = len(text_lines) - 1
    for i, (tline, bline) in enumerate(zip(text_lines, raw_lines, strict=True)):
        try:
            same = tline.encode(codec, _UNESCAPE) == bline
        except UnicodeEncodeError:
            same = False
        if same:
            asm.add_escaped(tline)
        else:
            shown = _MARKERS_RE.sub("\ufffd", tline)
            asm.replaced += len(_MARKERS_RE.findall(tline))
            asm.add_patch(shown, bline)
            asm.odd_lines += 1
        if i != last:
            asm.add_text("\n")


def _reencodes(escaped: str, raw: bytes, codec: str) -> bool:
    try:
        return escaped.encode(codec, _UNESCAPE) == raw
    except UnicodeEncodeError:
        return False


def _assemble(
    data: bytes,
    codec: str,
    foreign: Sequence[tuple[int, int, str]] = (),
    cap: int | None = None,
) -> _Assembly | None:
    """Decode ``data`` with ``codec`` except the ``foreign`` byte ranges (already decoded).

    Returns ``None`` when more than ``cap`` bad sequences occur outside the foreign ranges.
    """
    asm = _Assembly([], [])
    pos = 0
    spent = 0
    for start, end, text in [*foreign, (len(data), len(data), "")]:
        if start > pos:
            chunk = data if (pos == 0 and start == len(data)) else data[pos:start]
            got = _decode_escaped(chunk, codec, None if cap is None else cap - spent, resync=codec in _RESYNC_CODECS)
            if got is None:
                return None
            escaped, count = got
            spent += count
            # Big5 codecs decode some duplicate codes (A2CC and A451 are both 十) to a character
            # that re-encodes to the other code (CP932 and CP949 have such codes too); gb18030
            # and the UTFs are bijective on what they decode (tested over every sequence), so
            # only the others pay for this re-encode check.
            if codec not in _BIJECTIVE_CODECS and not _reencodes(escaped, chunk, codec):
                _add_lines_checked(asm, escaped, chunk, codec)
            elif count:
                asm.add_escaped(escaped)
            else:
                asm.add_text(escaped)
        if end > start:
            asm.add_patch(text, data[start:end])
            asm.foreign_lines += 1
        pos = end
    return asm


def _assemble_within(
    data: bytes, codec: str, budget: int, foreign: Sequence[tuple[int, int, str]] = ()
) -> _Assembly | None:
    """:func:`_assemble` held to ``budget`` replaced runs (``None`` past it)."""
    asm = _assemble(data, codec, foreign, cap=_CALLS_PER_RUN * budget)
    return asm if asm is not None and asm.replaced <= budget else None


def _line_bounds(data: bytes, start: int, end: int) -> tuple[int, int]:
    """Byte range of the line(s) holding ``[start, end)``, without ``\\r\\n`` / ``\\n``."""
    lo = data.rfind(b"\n", 0, start) + 1
    hi = data.find(b"\n", end)
    if hi < 0:
        hi = len(data)
    if hi > lo and data[hi - 1] == 0x0D:
        hi -= 1
    return lo, max(hi, end)


def newline_style(text: str) -> str:
    """``lf``, ``crlf``, ``cr``, ``mixed`` or ``none``: how the document ends its lines."""
    if "\r" not in text:  # the common case: one scan instead of three counts
        return "lf" if "\n" in text else "none"
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("lf", lf), ("cr", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def _result(
    asm: _Assembly,
    name: str,
    *,
    confidence: float,
    detector: str,
    bom: bool = False,
    notices: Sequence[str] = (),
    not_chinese: str | None = None,
) -> Decoded:
    text = "".join(asm.pieces)
    out = list(notices)
    if asm.replaced:
        out.append(notice("decode-replaced", f"{asm.replaced} undecodable byte run(s) replaced with U+FFFD ({name})"))
    if asm.odd_lines:
        out.append(notice(
            "decode-nonroundtrip",
            f"{asm.odd_lines} line(s) do not re-encode to their bytes in {name}; byte patches keep them exact",
        ))
    enc = Encoding(name, round(confidence, 4), bom, not asm.patches, asm.replaced, detector)
    return Decoded(text, enc, newline_style(text), tuple(asm.patches), tuple(out), not_chinese)


def _plain(text: str, name: str, confidence: float, detector: str, bom: bool = False) -> Decoded:
    return Decoded(text, Encoding(name, confidence, bom, True, 0, detector), newline_style(text))
