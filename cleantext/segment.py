"""Stage ②: text → Layout (line offsets and head / body / tail zones).

Lines are split on ``"\\n"`` only, never with ``str.splitlines`` (which also splits on
``\\x0b \\x0c \\x1c-\\x1e \\x85 \\u2028 \\u2029``, characters that occur inside real documents and
would shift offsets). A ``"\\r"`` before ``"\\n"`` belongs to the terminator; a lone ``"\\r"`` ends a
line only in files that have no ``"\\n"`` at all (old Mac files).

Zones are anchored to content, not fixed line counts, so cleaning twice changes nothing: the head
runs from the start to the first *body-like* line (prose ending like a sentence, not flagged by the
keyword prefilter), the tail mirrors it from the end.
"""

from __future__ import annotations

from collections.abc import Container
from itertools import accumulate

from .config import DEFAULT_LIMITS, Limits
from .model import Layout

_SENTENCE_END = tuple("。！？!?…；;”」』）)\"")
_PUNCT = frozenset("，。、；：！？,.;:!?…“”「」（）()《》")


def has_punctuation(s: str) -> bool:
    """Real prose of any length carries punctuation; hidden-text and junk lines do not."""
    return not _PUNCT.isdisjoint(s)


def split_lines(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    """Line ``starts``, content ``ends`` and ``stops`` (end of terminator), in code points."""
    if not text:
        return (), (), ()
    sep = "\n" if "\n" in text or "\r" not in text else "\r"
    parts = text.split(sep)
    if parts[-1] == "":  # text ends with a terminator: no empty last line
        parts.pop()
    lengths = [len(p) + 1 for p in parts]
    stops = list(accumulate(lengths))
    stops[-1] = min(stops[-1], len(text))
    starts = [0, *stops[:-1]]
    if sep == "\n" and "\r" in text:
        ends = [s + len(p) - (1 if p.endswith("\r") else 0) for s, p in zip(starts, parts, strict=True)]
    else:  # every line but an unterminated last one ends one before its stop
        ends = [s - 1 for s in stops]
        if not text.endswith(sep):
            ends[-1] = len(text)
    return tuple(starts), tuple(ends), tuple(stops)


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
    ``lines``: ``split_lines(text)`` when the caller has it already."""
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
