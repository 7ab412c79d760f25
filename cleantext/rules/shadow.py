"""The matching shadow: a same-length copy of the text that rules actually see.

Full-width ASCII (U+FF01-FF5E) and the ideographic space fold to ASCII, and Traditional characters
map to Simplified one code point for one code point, so one rule written with ``:`` and 简体
also matches ``：`` and 繁體. Because the mapping is 1:1 per code point, every offset in the shadow
is an offset in the original; the output is never folded.

The Traditional→Simplified table comes from OpenCC (``t2s``), restricted to single characters
that convert to a single character: phrase-level conversions would change lengths.
"""

from __future__ import annotations

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
    """The full translate table: width folding plus Traditional→Simplified."""
    table = dict(t2s_table())
    table.update(_FULLWIDTH)
    return table


def shadow(text: str) -> str:
    """Same-length matching copy of ``text`` (see module docstring)."""
    return text.translate(shadow_table())


@cache
def variants() -> dict[str, frozenset[str]]:
    """Shadow character → every character that folds to it (itself included)."""
    out: dict[str, set[str]] = {}
    for src, dst in shadow_table().items():
        out.setdefault(chr(dst), {chr(dst)}).add(chr(src))
    return {k: frozenset(v) for k, v in out.items()}


__all__ = ["shadow", "shadow_table", "t2s_table", "variants"]
