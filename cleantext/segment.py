"""Stage ②: text → Layout (line offsets and head / body / tail zones).

Lines are cut by :func:`cleantext.lines.split_lines` (CRLF, LF or a lone CR, in any mix), the one
definition of a line the library has; it is re-exported here for the stages.

Zones are anchored to content, not fixed line counts, so cleaning twice changes nothing: the head
runs from the start to the first *body-like* line (prose ending like a sentence, not flagged by the
keyword prefilter), the tail mirrors it from the end.
"""

from __future__ import annotations

from collections.abc import Container

from .config import DEFAULT_LIMITS, Limits
from .lines import PUNCT, SENTENCE_END, split_lines
from .model import Layout

_BODY_LIKE_END = (*SENTENCE_END, *"；;”」』）)\"")
"""A short body-like line may also end at a clause (；) or inside a closing quote or bracket."""


def has_punctuation(s: str) -> bool:
    """Real prose of any length carries punctuation; hidden-text and junk lines do not."""
    return not PUNCT.isdisjoint(s)


def is_body_like(line: str, limits: Limits = DEFAULT_LIMITS) -> bool:
    """Prose that starts the body: long enough and ending like a sentence, or long with punctuation
    (a 90-character run of rare characters without any is 文库 hidden text, not prose)."""
    s = line.strip()
    n = len(s)
    if n >= limits.body_like_long_chars:
        return has_punctuation(s)
    return n >= limits.body_like_min_chars and s.endswith(_BODY_LIKE_END)


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


__all__ = ["SENTENCE_END", "has_punctuation", "is_body_like", "segment", "split_lines"]
