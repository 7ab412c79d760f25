"""The short lines a web page's chrome block leaves between the lines rules took (issue 9).

A blog's profile card, a comment box, a pager or a toolbar comes as a block of short lines. Rules
and signals recognise most of them by their vocabulary, but some lines of such a block have none
of their own: a bare counter (``240``, ``0/500``), a one-word button (``新版``, ``提交``), a card
field shaped like the fields around it (``• 等级: 上校`` between two stat lines). Each kind here is
narrow, and such a line goes (``resolve.absorb``) only when it sits between two removed lines of
the head or tail zone:

- *counter*: digits alone (a count, a ratio ``0/500``, a share ``35%``) or a close button or arrow
  alone (``×``, ``▲``): no body line reads so;
  blank lines may set it apart from the block;
- *date*: a bare date (and time) next to one of the removed lines, no blank line between;
- *button*: at most ``BUTTON_CHARS`` characters without punctuation, not a line of the document's
  structure, in a run that touches one of the removed lines (no blank line between: a title set
  apart by blank lines is the document's), both removed lines menu items too (a few characters in
  one piece: a title between a breadcrumb, a ``下载 | 收藏`` row or a metadata line stays), and a
  third removed line next to them or a counter in the gap (a menu has three items: a brand name
  between two group-number lines is left to the anchors of ``resolve._absorb``);
- *field*: ``label: value`` with the same bullet (or none) as both removed lines, which are fields
  too, and no blank line in the gap: the rest of a card whose other fields rules took.

A bare counter right under a removed label of a few characters (``积分 ⏎ 5320``) is that label's
value and goes with it, at the end of a block too. A block's last lines after two removed ones go
too when they are more fields of a bulleted card, the one date closing a card of menu-sized lines
(an answerer's name, level, date), or buttons of a toolbar in the tail zone (never at the head,
where the line after a toolbar is the title), up to a blank line or the end.

A *page number* is a lone counter of another kind: a bare number (``3``, ``- 3 -``) between two
prose lines, one of a run of at least ``PAGE_RUN`` such lines numbered n, n+1, n+2 … through the
document at page-like spacing (``page_numbers``). A 文库 page leaves its page numbers so, and they
go wherever they sit, no rule or removal next to them; a lone ``3`` of a numbered list, a table
cell or a section number at the top of its section does not recur so and stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from itertools import pairwise

from .lines import PUNCT, SENTENCE_END, STRUCTURE

BUTTON_CHARS = 6
"""A button or menu item: 新版, 反馈, 提交, 夜间."""
ITEM_CHARS = 8
"""Removed lines around a button must be menu items this short, in one piece (网友评价(15))."""
FIELD_CHARS = 30
COUNTER_CHARS = 12

_PUNCT = PUNCT | frozenset("【】")
"""A 【tag】 is not a button either."""
_SENTENCE_END = (*SENTENCE_END, *"；;")
_GLYPHS = frozenset("×✕✖✗▲▼△▽◀▶↑↓←→«»…")
"""A close button or an arrow alone on a line (a 文库 pop-up's ×) counts as a counter: no text."""
_LABELLED = frozenset(":：>›»")
"""A breadcrumb or a metadata line is not a menu item: a title between two of them stays."""
_DATE = re.compile(r"^\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COUNTER = re.compile(r"^[(（\[]?\d[\d,.]*(?:%|\+|/\d{1,6})?[)）\]]?$")
_PAGE_NO = re.compile(r"^[-—–~·•]?\s*(\d{1,3})\s*[-—–~·•]?$")
LONE_NUMBER = re.compile(r"^[^\S\n]*[-—–~·•]?[^\S\n]*\d{1,3}[^\S\n]*[-—–~·•]?[^\S\n]*$", re.MULTILINE)
"""Finds the lines a text's page numbers can be on (one pass, before any line is looked at)."""
PAGE_RUN = 3
"""Page numbers recur: three in a row (n, n+1, n+2) before a lone number counts as one."""
PAGE_CHARS = 150
"""A page holds at least this many characters of text between two of its numbers."""
PAGE_SPREAD = 4
"""The longest page of a run is at most this many times its shortest (pages are alike)."""
PROSE_CHARS = 15
"""The lines around a page number are prose (a list item or a table cell is shorter)."""
_FIELD = re.compile(r"^([•·●▪◆\-*>»]?)[^\S\n]*(?:[^\s:：，。；！？][^\S\n]?){1,8}[:：][^\S\n]*\S")


def kind(line: str) -> str | None:
    """``counter``, ``date``, ``button``, ``field<bullet>`` or None for a stripped, non-blank line."""
    if (len(line) <= COUNTER_CHARS and _COUNTER.match(line)) or (len(line) <= 2 and set(line) <= _GLYPHS):
        return "counter"
    if _DATE.match(line):
        return "date"
    if STRUCTURE.match(line) or line.endswith(_SENTENCE_END):
        return None
    if len(line) <= BUTTON_CHARS and _PUNCT.isdisjoint(line):
        return "button"
    m = _FIELD.match(line)
    return f"field{m.group(1)}" if m and len(line) <= FIELD_CHARS else None


def gap_taken(line: Callable[[int], str], above: int, below: int, removed: Collection[int] = ()) -> bool:
    """Whether every line strictly between the removed lines ``above`` and ``below`` (none of them
    removed) is chrome of a kind above; ``line(i)`` is line ``i`` stripped, ``removed`` every
    removed line (a button needs a third one next to the block, or a counter in the gap)."""
    gap = range(above + 1, below)
    kinds = {i: kind(line(i)) for i in gap if line(i)}
    if not kinds:
        return False
    third = "counter" in kinds.values() or not {above - 2, above - 1, below + 1, below + 2}.isdisjoint(removed)
    outer = (line(above), line(below))
    return all(_fits(line, i, k, outer, (above, below), tight=len(kinds) == len(gap), third=third)
               for i, k in kinds.items())


def _fits(  # one gap line against its block
    line: Callable[[int], str], i: int, k: str | None, outer: tuple[str, str], ends: tuple[int, int], *,
    tight: bool, third: bool,
) -> bool:
    above, below = ends
    if k == "counter":
        return True
    if k == "date":
        return _touches(line, i, above, 1) or _touches(line, i, below, -1)
    if k == "button":
        near = _touches(line, i, above, 1) or _touches(line, i, below, -1)
        return third and near and all(map(_item, outer))
    return k is not None and tight and all(kind(s) == k for s in outer)


def _item(s: str) -> bool:
    """A menu item: a few characters in one piece (not a row ``下载 | 收藏``, not a phrase with a
    space, not a breadcrumb or a ``label：`` line)."""
    return 0 < len(s) <= ITEM_CHARS and _LABELLED.isdisjoint(s) and not any(ch.isspace() for ch in s)


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
            if gap_taken(line, a, b, done):
                take.update(dict.fromkeys(range(a + 1, b), a))
        elif value_of(line(a), line(a + 1)):
            take[a + 1] = a
        elif a - 1 in done:
            take.update(dict.fromkeys(_block_end(line, a, min(b, n), tail=zone(a) == "tail" and a - 2 in done), a))
    return take


def _block_end(line: Callable[[int], str], a: int, stop: int, *, tail: bool) -> range:
    """The lines that end a block after its last two removed lines ``a - 1`` and ``a``: up to three
    lines without a blank one between, then a blank line or the end, all fields with the bullet of
    the two removed fields (a bulleted card), one date after two menu items, or (``tail``: in the
    tail zone, after three removed lines) all buttons after menu items (at the head, the line after
    a toolbar is the title)."""
    end = a + 1
    while end < stop and line(end) and end - a <= 3:
        end += 1
    if end == a + 1 or end - a > 3 or (end < stop and line(end)):
        return range(0)
    k = kind(line(a))
    run = {kind(line(i)) for i in range(a + 1, end)}
    if k and k.startswith("field") and len(k) > len("field") and run == {k} == {kind(line(a - 1))}:
        return range(a + 1, end)
    menu = _item(line(a - 1)) and _item(line(a))
    if menu and ((run == {"date"} and end == a + 2) or (tail and run == {"button"})):
        return range(a + 1, end)
    return range(0)


def page_numbers(line: Callable[[int], str], n: int, free: Callable[[int], bool], maybe: Sequence[int]) -> list[int]:
    """The lines ``maybe`` (sorted; ``line(i)`` is line ``i`` of ``n`` stripped) that are page
    numbers (``LONE_NUMBER`` finds the lines to try in a text): a bare number between two
    prose lines, in a run of ``PAGE_RUN`` or more numbered one up from the last, each page between
    them at least ``PAGE_CHARS`` long and within ``PAGE_SPREAD`` of the others, and as much text
    before the first as half a page (a section number opens its section; a page number closes its
    page). Only ``free`` lines (nothing removed on them)."""
    runs: list[list[tuple[int, int]]] = []
    open_: dict[int, list[tuple[int, int]]] = {}
    for i in maybe if len(maybe) >= PAGE_RUN else ():
        m = _PAGE_NO.match(line(i)) if free(i) else None
        if not m or not (_prose(line, i, -1, n) and _prose(line, i, 1, n)):
            continue
        value = int(m.group(1))
        run = open_.pop(value - 1, None)
        if run is None:
            run = []
            runs.append(run)
        run.append((i, value))
        open_[value] = run
    out: list[int] = []
    for run in runs:
        if len(run) < PAGE_RUN:
            continue
        pages = [_chars(line, a, b) for (a, _), (b, _) in pairwise(run)]
        first = _chars(line, -1, run[0][0])
        alike = min(pages) >= PAGE_CHARS and max(pages) <= PAGE_SPREAD * min(pages)
        if alike and 2 * first >= sorted(pages)[len(pages) // 2]:
            out.extend(i for i, _ in run)
    return sorted(out)


def _prose(line: Callable[[int], str], i: int, step: int, n: int) -> bool:
    """Whether the nearest non-blank line from ``i`` in direction ``step`` is prose (long, no page
    number itself)."""
    j = i + step
    while 0 <= j < n and not line(j):
        j += step
    return 0 <= j < n and len(line(j)) >= PROSE_CHARS


def _chars(line: Callable[[int], str], a: int, b: int) -> int:
    """Characters of text strictly between lines ``a`` and ``b``."""
    return sum(len(line(j)) for j in range(a + 1, b))


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


__all__ = ["BUTTON_CHARS", "LONE_NUMBER", "gap_taken", "kind", "page_numbers", "taken_lines", "value_of"]
