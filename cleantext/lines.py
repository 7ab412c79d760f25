"""What a line is, for the whole library: the cleaner's segmenter, diffs, ``explain`` and the review
page all split text here, so a line number means the same everywhere.

Lines end at ``"\\r\\n"``, ``"\\n"`` or a lone ``"\\r"`` (old Mac files, and files pasted together
from both), in any mix; never with ``str.splitlines``, which also splits on ``\\x0b \\x0c \\x1c-\\x1e
\\x85 \\u2028 \\u2029``, characters that occur inside real documents and would shift offsets.

Layer 0: imports nothing of ours.
"""

from __future__ import annotations

import re
from itertools import accumulate
from operator import add

_TERMINATOR = re.compile(r"\r\n|\r|\n")
SENTENCE_END: tuple[str, ...] = tuple("。！？!?…")
"""What ends a sentence: prose ends like this (the body-like test, resolve's excerpt policy)."""
PUNCT = frozenset("，。、；：！？,.;:!?…“”「」（）()《》")
"""Sentence and clause punctuation: real prose of any length carries some."""


def split_lines(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Line ``starts``, content ``ends`` and ``stops`` (end of terminator), in code points.

    ``"\\r\\n"``, ``"\\n"`` and a lone ``"\\r"`` each end a line, in any mix: old Mac exports end
    lines with CR only, and files pasted together mix them."""
    if not text:
        return (), (), ()
    if "\r" not in text:  # the common case: one C-level split
        parts = text.split("\n")
        if parts[-1] == "":  # text ends with a terminator: no empty last line
            parts.pop()
        lengths = list(map(len, parts))  # map, accumulate and add run at C speed: no Python per line
        stops = list(map(add, accumulate(lengths), range(1, len(parts) + 1)))
        stops[-1] = min(stops[-1], len(text))
        starts = (0, *stops[:-1])
        return starts, tuple(map(add, starts, lengths)), tuple(stops)
    cr_ends: list[int] = []
    cr_stops: list[int] = []
    for m in _TERMINATOR.finditer(text):
        cr_ends.append(m.start())
        cr_stops.append(m.end())
    if not cr_stops or cr_stops[-1] < len(text):  # a last line without terminator
        cr_ends.append(len(text))
        cr_stops.append(len(text))
    return (0, *cr_stops[:-1]), tuple(cr_ends), tuple(cr_stops)


def line_texts(text: str) -> list[str]:
    """The lines of ``text`` with their terminators, as :func:`split_lines` cuts them (joined, they
    give ``text`` back).

    >>> line_texts("a\\r\\nb\\rc\\n\\u2028d")
    ['a\\r\\n', 'b\\r', 'c\\n', '\\u2028d']
    """
    starts, _, stops = split_lines(text)
    return [text[a:b] for a, b in zip(starts, stops, strict=True)]


STRUCTURE = re.compile(
    r"#{1,6}\s|第[\s\d一二三四五六七八九十百千零〇两]+[章节条编部分篇卷回款项]|[一二三四五六七八九十]+[、.．]"
    r"|\d{1,3}[、.．)）](?!\d)|[（(][\d一二三四五六七八九十]+[)）]|[-*+]\s"
    r"|附\s*件\s*[\d一二三四五六七八九十]+\s*[：:]"
)
"""The start of a line of document structure: a heading (``## ``), an article or chapter (第十二条,
第三章), a numbered item (一、 ``1.`` ``(2)``), a bullet (``- ``) or an official document's numbered
attachment label (附件2：, not a forum's bare 附件:); used with ``.match`` on the stripped line. No
resolve policy ever takes such a line, and no score removes it. A number followed by a digit is a
decimal (``3.5万元``), not an item number."""


__all__ = ["STRUCTURE", "line_texts", "split_lines"]
