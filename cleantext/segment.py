"""Stage ②: text → Layout (line offsets and head / body / tail zones).

Lines end at ``"\\r\\n"``, ``"\\n"`` or a lone ``"\\r"`` (old Mac files, and files pasted together
from both), never with ``str.splitlines`` (which also splits on ``\\x0b \\x0c \\x1c-\\x1e \\x85
\\u2028 \\u2029``, characters that occur inside real documents and would shift offsets).

Zones are anchored to content, not fixed line counts, so cleaning twice changes nothing: the head
runs from the start to the first *body-like* line (prose ending like a sentence, not flagged by the
keyword prefilter), the tail mirrors it from the end.
"""

from __future__ import annotations

import re
from collections.abc import Container
from itertools import accumulate

from .config import DEFAULT_LIMITS, Limits
from .model import Layout

_TERMINATOR = re.compile(r"\r\n|\r|\n")
_SENTENCE_END = tuple("。！？!?…；;”」』）)\"")
_PUNCT = frozenset("，。、；：！？,.;:!?…“”「」（）()《》")


def has_punctuation(s: str) -> bool:
    """Real prose of any length carries punctuation; hidden-text and junk lines do not."""
    return not _PUNCT.isdisjoint(s)


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
        stops = list(accumulate(len(p) + 1 for p in parts))
        stops[-1] = min(stops[-1], len(text))
        starts = [0, *stops[:-1]]
        return tuple(starts), tuple(s + len(p) for s, p in zip(starts, parts, strict=True)), tuple(stops)
    cr_ends: list[int] = []
    cr_stops: list[int] = []
    for m in _TERMINATOR.finditer(text):
        cr_ends.append(m.start())
        cr_stops.append(m.end())
    if not cr_stops or cr_stops[-1] < len(text):  # a last line without terminator
        cr_ends.append(len(text))
        cr_stops.append(len(text))
    return (0, *cr_stops[:-1]), tuple(cr_ends), tuple(cr_stops)


def is_body_like(line: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Prose that starts the body: long enough and ending like a sentence, or long with punctuation
    (a 90-character run of rare characters without any is 文库 hidden text, not prose)."""
    s = line.strip()
    n = len(s)
    if n >= limits.body_like_long_chars:
        return has_punctuation(s)
    return n >= limits.body_like_min_chars and s.endswith(_SENTENCE_END)


def segment(
    text: str,
    flagged: Container[int] = (),
    limits: Limits = DEFAULT_LIMITS,
    lines: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]] | None = None,
) -> Layout:
    """Split ``text`` into lines and zones; ``flagged`` lines (prefilter hits) never start the body.
    ``lines`` is ``split_lines(text)`` when the caller already has it (one copy fewer)."""
    starts, ends, stops = split_lines(text) if lines is None else lines
    n = len(starts)

    def body_like(i: int) -> bool:
        return i not in flagged and is_body_like(text[starts[i] : ends[i]], limits)

    head_end = n
    for i in range(min(n, limits.head_max_lines)):
        if body_like(i):
            head_end = i
            break
    else:
        head_end = min(n, limits.head_max_lines)
    tail_start = head_end
    for j in range(n - 1, max(head_end, n - limits.tail_max_lines) - 1, -1):
        if body_like(j):
            tail_start = j + 1
            break
    else:
        tail_start = max(head_end, n - limits.tail_max_lines)
    return Layout(starts, ends, stops, head_end, tail_start)


__all__ = ["has_punctuation", "is_body_like", "segment", "split_lines"]
