"""The short lines a web page's chrome block leaves between the lines rules took (issue 9).

A blog's profile card, a comment box, a pager or a toolbar comes as a block of short lines. Rules
and signals recognise most of them by their vocabulary, but some lines of such a block have none
of their own: a bare counter (``240``, ``0/500``), a one-word button (``新版``, ``提交``), a card
field shaped like the fields around it (``• 等级: 上校`` between two stat lines). Each kind here is
narrow, and such a line goes (``resolve.absorb``) only when it sits between two removed lines of
the head or tail zone:

- *counter*: digits alone (a count, a ratio ``0/500``, a share ``35%``): no body line reads so;
  blank lines may set it apart from the block;
- *date*: a bare date (and time) next to one of the removed lines, no blank line between;
- *button*: at most ``BUTTON_CHARS`` characters without punctuation, not a line of the document's
  structure, in a run that touches one of the removed lines (no blank line between: a title set
  apart by blank lines is the document's), and both removed lines are menu items too: short,
  without a colon or a ``>`` (a title between a breadcrumb and a metadata line stays);
- *field*: ``label: value`` with the same bullet (or none) as both removed lines, which are fields
  too, and no blank line in the gap: the rest of a card whose other fields rules took.

A bare counter right under a removed label of a few characters (``积分 ⏎ 5320``) is that label's
value and goes with it, at the end of a block too. A block's last lines after two removed ones go
too when they are more fields of a bulleted card, the one date closing a card of menu-sized lines
(an answerer's name, level, date), or buttons of a toolbar in the tail zone (never at the head,
where the line after a toolbar is the title), up to a blank line or the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

from .lines import STRUCTURE

BUTTON_CHARS = 6
"""A button or menu item: 新版, 反馈, 提交, 夜间."""
MENU_CHARS = 16
"""Removed lines around a button must be this short: the other items of the menu."""
FIELD_CHARS = 30
COUNTER_CHARS = 12

_PUNCT = frozenset("，。、；：！？,.;:!?…“”「」（）()《》【】")
_SENTENCE_END = tuple("。！？!?…；;")
_LABELLED = frozenset(":：>›»")
"""A breadcrumb or a metadata line is not a menu item: a title between two of them stays."""
_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COUNTER = re.compile(r"^[(（\[]?\d[\d,.]*(?:%|\+|/\d{1,6})?[)）\]]?$")
_FIELD = re.compile(r"^([•·●▪◆\-*>»]?)[^\S\n]*(?:[^\s:：，。；！？][^\S\n]?){1,8}[:：][^\S\n]*\S")


def kind(line: str) -> str | None:
    """``counter``, ``date``, ``button``, ``field<bullet>`` or None for a stripped, non-blank line."""
    if len(line) <= COUNTER_CHARS and _COUNTER.match(line):
        return "counter"
    if _DATE.match(line):
        return "date"
    if STRUCTURE.match(line) or line.endswith(_SENTENCE_END):
        return None
    if len(line) <= BUTTON_CHARS and _PUNCT.isdisjoint(line):
        return "button"
    m = _FIELD.match(line)
    return f"field{m.group(1)}" if m and len(line) <= FIELD_CHARS else None


def gap_taken(line: Callable[[int], str], above: int, below: int) -> bool:
    """Whether every line strictly between the removed lines ``above`` and ``below`` (none of them
    removed) is chrome of a kind above; ``line(i)`` is line ``i`` stripped."""
    gap = range(above + 1, below)
    kinds = {i: kind(line(i)) for i in gap if line(i)}
    outer = (line(above), line(below))
    return bool(kinds) and all(_fits(line, i, k, outer, above, below, len(kinds) == len(gap)) for i, k in kinds.items())


def _fits(  # noqa: PLR0917 (one gap line against its block)
    line: Callable[[int], str], i: int, k: str | None, outer: tuple[str, str], above: int, below: int, tight: bool
) -> bool:
    if k == "counter":
        return True
    if k == "date":
        return _touches(line, i, above, 1) or _touches(line, i, below, -1)
    if k == "button":
        menu = all(len(s) <= MENU_CHARS and _LABELLED.isdisjoint(s) for s in outer)
        return menu and (_touches(line, i, above, 1) or _touches(line, i, below, -1))
    return k is not None and tight and all(kind(s) == k for s in outer)


def taken_lines(  # noqa: PLR0917 (the document as the policy sees it)
    line: Callable[[int], str], removed: Sequence[int], zone: Callable[[int], str], free: Callable[[int], bool],
    n: int, max_gap: int,
) -> dict[int, int]:
    """Gap line → the removed line above it that it goes with: the gaps of at most ``max_gap``
    lines between two removed lines (``removed``, sorted) of one head or tail zone, and a counter
    under a removed label (at the end of a block too); only ``free`` lines (no span on them)."""
    take: dict[int, int] = {}
    done = set(removed)
    for a, b in pairwise([*removed, n]):
        if zone(a) == "body" or b == a + 1 or not free(a + 1):
            continue
        if b < n and b - a <= max_gap + 1 and zone(b) == zone(a) and all(map(free, range(a + 2, b))):
            if gap_taken(line, a, b):
                take.update(dict.fromkeys(range(a + 1, b), a))
        elif value_of(line(a), line(a + 1)):
            take[a + 1] = a
        elif a - 1 in done:
            take.update(dict.fromkeys(_block_end(line, a, min(b, n), zone(a) == "tail"), a))
    return take


def _block_end(line: Callable[[int], str], a: int, stop: int, tail: bool) -> range:
    """The lines that end a block after its last two removed lines ``a - 1`` and ``a``: up to three
    lines without a blank one between, then a blank line or the end, all fields with the bullet of
    the two removed fields (a bulleted card), or, in the tail zone only, all buttons after two menu
    items (at the head, the line after a toolbar is the title)."""
    end = a + 1
    while end < stop and line(end) and end - a <= 3:
        end += 1
    if end == a + 1 or end - a > 3 or (end < stop and line(end)):
        return range(0)
    k = kind(line(a))
    run = {kind(line(i)) for i in range(a + 1, end)}
    if k and k.startswith("field") and len(k) > len("field") and run == {k} == {kind(line(a - 1))}:
        return range(a + 1, end)
    menu = all(len(line(i)) <= MENU_CHARS and _LABELLED.isdisjoint(line(i)) for i in (a - 1, a))
    if menu and ((run == {"date"} and end == a + 2) or (tail and run == {"button"})):
        return range(a + 1, end)
    return range(0)


def value_of(label: str, below: str) -> bool:
    """Whether ``below`` is a bare counter under ``label``, a removed line that reads as its label
    (at most ``BUTTON_CHARS`` characters, no digit, no punctuation: 积分 ⏎ 5320)."""
    return (
        0 < len(label) <= BUTTON_CHARS and kind(below) == "counter" and _PUNCT.isdisjoint(label)
        and not any(ch.isdigit() for ch in label)
    )


def _touches(line: Callable[[int], str], i: int, end: int, step: int) -> bool:
    """Whether no blank line separates line ``i`` from line ``end`` (``step`` leads from i to end)."""
    j = i
    while j != end:
        j -= step
        if not line(j):
            return False
    return True


__all__ = ["BUTTON_CHARS", "gap_taken", "kind", "taken_lines", "value_of"]
