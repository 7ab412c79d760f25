"""The matching shadow: a same-length copy of the text that rules actually see.

Full-width ASCII (U+FF01-FF5E) and the ideographic space fold to ASCII, and Traditional characters
map to Simplified one code point for one code point, so one rule written with ``:`` and 简体
also matches ``：`` and 繁體. Because the mapping is 1:1 per code point, every offset in the shadow
is an offset in the original; the output is never folded.

The Traditional→Simplified table comes from OpenCC (``t2s``), restricted to single characters
that convert to a single character: phrase-level conversions would change lengths.

``str.translate`` with a 65,536-entry list is ~4x faster than with a dict (a sequence lookup
instead of hashing); code points above the BMP raise ``IndexError``, which ``translate`` treats
as "unchanged".
"""

from __future__ import annotations

import re
from functools import cache

_FULLWIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20

# CJK Unified Ideographs + Extension A: where OpenCC's single-character mappings live.
_CJK_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))


@cache
def t2s_table() -> dict[int, int]:
    """Code point → code point, Traditional to Simplified (built once per process, ~10 ms)."""
    import opencc  # noqa: PLC0415 - a compiled extension; import only when a pack is compiled

    conv = opencc.OpenCC("t2s")
    chars = "".join(chr(c) for lo, hi in _CJK_RANGES for c in range(lo, hi))
    converted = conv.convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC never merges across newlines
        return {}
    return {ord(a): ord(b) for a, b in zip(chars, converted, strict=True) if len(b) == 1 and a != b}


@cache
def shadow_table() -> dict[int, int]:
    """The full mapping: width folding plus Traditional→Simplified."""
    table = dict(t2s_table())
    table.update(_FULLWIDTH)
    return table


@cache
def _lists() -> tuple[list[int], list[int]]:
    plain = list(range(0x10000))
    for k, v in shadow_table().items():
        plain[k] = v
    for k in range(0xD800, 0xE000):  # lone surrogates (possible in str input): keep the length,
        plain[k] = 0xFFFD  # but give the matchers a valid code point
    lower = list(plain)
    for k, v in enumerate(plain):
        if 0x41 <= v <= 0x5A:
            lower[k] = v + 0x20
    return plain, lower


_LONE_CR = re.compile(r"\r(?!\n)")


def _ranges(points: list[int]) -> str:
    """A ``re`` class of the code points (sorted), as ranges."""
    out: list[str] = []
    k = 0
    while k < len(points):
        j = k
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        out.append(re.escape(chr(points[k])) + ("-" + re.escape(chr(points[j])) if j > k else ""))
        k = j + 1
    return "[" + "".join(out) + "]"


@cache
def _folds() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """What ``shadow`` changes, in two classes: the code points other than the full-width forms and
    the ideographic space (Traditional characters, lone surrogates), and those forms, with what each
    becomes (an ASCII character, which the table leaves alone)."""
    plain = _lists()[0]
    wide = {chr(k): chr(plain[k]) for k in (*range(0xFF01, 0xFF5F), 0x3000)}
    other = [k for k in range(0x10000) if plain[k] != k and chr(k) not in wide]
    return re.compile(_ranges(other)), re.compile(_ranges(sorted(map(ord, wide)))), wide


FOLD_MAX = 24
"""A text holding at most this many distinct full-width forms is folded one ``str.replace`` each,
at memory speed; more, one ``str.translate``."""
REPLACE_MAX = 1 << 18
"""Longer texts are folded with one ``str.translate`` all the same: each ``str.replace`` holds the
copy before it alive, and a big document's shadow must not take twice its size (issue 11)."""


def shadow(text: str) -> str:
    """Same-length matching copy of ``text`` (see module docstring). A lone ``"\\r"`` (an old Mac
    line end) reads as ``"\\n"``, so patterns written with ``\\n`` and ``^``/``$`` see the lines
    segment.py sees.

    Speed: ``str.translate`` looks every character up through a new int object (35-65 ns a
    character). A text without Traditional characters (most), up to ``REPLACE_MAX`` characters,
    only needs its full-width forms folded: one class search, then one ``str.replace`` per form it
    holds (~15-30 ns a character; each replacement is ASCII, which the table leaves alone, so the
    result is the same)."""
    other, wide, fold = _folds()
    found = set(wide.findall(text)) if len(text) <= REPLACE_MAX and other.search(text) is None else None
    if found is not None and len(found) <= FOLD_MAX:
        sh = text
        for ch in found:
            sh = sh.replace(ch, fold[ch])
    else:
        sh = text.translate(_lists()[0])
    return _LONE_CR.sub("\n", sh) if has_lone_cr(sh) else sh


def has_lone_cr(text: str) -> bool:
    """Whether ``text`` holds a CR not followed by LF (counted at C speed: CRLF files are common)."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def keyword_key(text: str) -> str:
    """The shadow with ASCII letters lowered: what keywords are looked up in (same length)."""
    return text.translate(_lists()[1])


def to_key(shadowed: str) -> str:
    """``keyword_key`` of a string that is already a shadow (only the ASCII lowering is left)."""
    low = shadowed.lower()
    return low if len(low) == len(shadowed) else shadowed.translate(_lists()[1])


__all__ = ["has_lone_cr", "keyword_key", "shadow", "shadow_table", "t2s_table", "to_key"]
