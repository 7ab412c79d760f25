"""Stage ④: candidates → sorted, disjoint removals. All removal policy lives here.

Order of decisions, each protecting the body a little more:

1. *long prose stays*: a whole-line removal in the body zone of a line longer than
   ``body_line_max_chars`` that has punctuation (i.e. is prose, not a hidden-text line) is
   refused (``cap-body-line`` notice);
2. *overlap*: higher priority, then the longer span, then the rule id wins;
3. *per-rule caps*: at most ``max_per_doc`` removals of a rule (``cap-rule`` notice);
4. *block absorption*: in the head and tail zones (in the body only between reseller-header
   lines), short keyword-less lines (brand names, slogans) and blank lines that sit between two
   anchor lines removed by rules join the block (lines other rules or scores removed may sit between
   the two anchors too), and the counters, buttons and card fields of a web-chrome block between
   lines any rule or score removed and a document's recurring lone page numbers (``runs.py``),
   and a brand name right above the slogan a reseller-header rule removed when the slogan repeats
   it (一起学习X under X),
   each as its own removal with ``action="absorbed"``; zones decide where rules fire, never what
   else is deleted, so nothing outside such a sandwich or pair is taken; likewise a page's copy of the
   title right above a head block, when the real title follows the block (``title-copy``), a
   文库 page's trailing copy of its opening paragraphs (``excerpt``) and the blank lines that only
   separated removed lines from the rest (``blank``; the page copies live in ``copies.py``).
   Each of these four is a policy of ``model.POLICIES``, named like a rule and turned off like
   one (``[pack] disabled``);
5. *document cap*: if whole-line removals would take more than ``max_removed_share`` of the
   non-blank characters of a document of at least ``cap_min_chars``, the rules are more likely
   wrong than the document is mostly adverts: every line removal goes back (``cap-document``
   notice) and only span removals (inline junk, invisible marks) stay. All or nothing, so that
   cleaning the output again decides the same way.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Collection, Mapping
from functools import partial
from itertools import pairwise

from .config import DEFAULT_LIMITS, Limits
from .copies import EXCERPT_RULE, duplicate_titles, repeated_excerpt, stripped
from .lines import STRUCTURE
from .model import Candidate, Layout, Removal, notice
from .runs import LONE_NUMBER, page_numbers, taken_lines
from .segment import has_punctuation, is_body_like

_CLAUSE_END = tuple("。；;：:")
"""Short lines ending like this are sentences, clauses or salutations (同志们：), never absorbed. Slogans do
end in ！ (分享价值,成长自我!)."""


def _nonblank(s: str, chunk: int = 1 << 16) -> int:
    """Non-white-space characters, split in chunks: ``s.split()`` of a whole 50 MB text is a copy
    of it in words (a word cut at a chunk border still counts each of its characters once)."""
    return sum(sum(map(len, s[i : i + chunk].split())) for i in range(0, len(s), chunk))





def _absorbable(line: str, limits: Limits) -> bool:
    s = line.strip()
    if not s:
        return True
    if len(s) > limits.absorb_max_chars or s.endswith(_CLAUSE_END) or STRUCTURE.match(s):
        return False
    return not is_body_like(s, limits)


def resolve(
    text: str,
    layout: Layout,
    candidates: list[Candidate],
    limits: Limits = DEFAULT_LIMITS,
    caps: Mapping[str, int] | None = None,
    *,
    off: Collection[str] = frozenset(),
) -> tuple[list[Removal], list[str]]:
    """Sorted, disjoint removals and the notices of the caps that held something back.

    ``caps``: the per-rule limits (rule id → most removals per document); ``off``: ids of
    :data:`~cleantext.model.POLICIES` the pack turned off."""
    if not candidates and ("resolve.absorb" in off or not LONE_NUMBER.search(text)) and (
        EXCERPT_RULE in off or not repeated_excerpt(text, layout, [], limits)
    ):
        return [], []  # fast path (most passes): only page numbers and an excerpt need no candidate
    notices: list[str] = []
    kept: list[Candidate] = []
    refused_long: set[int] = set()
    for c in candidates:
        line = stripped(text, layout, c.line)
        if c.action != "span" and c.zone == "body" and len(line) > limits.body_line_max_chars and has_punctuation(line):
            refused_long.add(c.line)
            continue
        kept.append(c)
    notices.extend(
        notice("cap-body-line", f"line {i + 1} is long prose; whole-line rules refused") for i in sorted(refused_long)
    )

    # overlap: greedy by (priority, length, id); the chosen intervals are kept sorted per line they
    # touch (one sorted list for the whole text made each insertion a memmove: quadratic)
    kept.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.rule, c.start))
    taken: dict[int, tuple[list[int], list[int]]] = {}
    chosen: list[Candidate] = []
    per_rule: dict[str, int] = {}
    capped: dict[str, int] = {}
    caps = caps or {}
    for c in kept:
        first = bisect_right(layout.starts, c.start) - 1
        lines = range(first, max(first, bisect_right(layout.starts, c.end - 1) - 1) + 1)
        if any(_overlaps(taken.get(i), c.start, c.end) for i in lines):
            continue
        cap = caps.get(c.rule, 0)
        if cap and per_rule.get(c.rule, 0) >= cap:
            capped[c.rule] = capped.get(c.rule, 0) + 1
            continue
        per_rule[c.rule] = per_rule.get(c.rule, 0) + 1
        for i in lines:
            starts, ends = taken.setdefault(i, ([], []))
            k = bisect_left(starts, c.start)
            starts.insert(k, c.start)
            ends.insert(k, c.end)
        chosen.append(c)
    notices.extend(notice("cap-rule", f"{r} kept {caps[r]} removals, held back {n}") for r, n in sorted(capped.items()))

    # the policies, in this order: each sees what the ones before it took
    if "resolve.absorb" not in off:
        chosen.extend(_absorb(text, layout, chosen, limits))
        chosen.extend(_chrome_gaps(text, layout, chosen, limits))
        chosen.extend(_brand_above(text, layout, chosen))
    if "resolve.duplicate-title" not in off:
        chosen.extend(duplicate_titles(text, layout, chosen, limits))
    if EXCERPT_RULE not in off:
        chosen.extend(repeated_excerpt(text, layout, chosen, limits))
    if "resolve.blank-lines" not in off:
        chosen.extend(_orphaned_blank_lines(text, layout, chosen))
    chosen = _disjoint(chosen)

    # document cap: all whole-line removals or none, so that cleaning twice changes nothing
    # (measured against the text without span removals, which a second pass no longer sees)
    lines_only = [c for c in chosen if c.action != "span"]
    removed = sum(_nonblank(text[c.start : c.end]) for c in lines_only)
    spans = sum(_nonblank(text[c.start : c.end]) for c in chosen if c.action == "span")
    total = _nonblank(text) - spans if removed else 0
    if total >= limits.cap_min_chars and removed > limits.max_removed_share * total:
        chosen = [c for c in chosen if c.action == "span"]
        notices.append(notice(
            "cap-document",
            f"line removals would take {removed / total:.0%} of the text "
            f"(limit {limits.max_removed_share:.0%}); {len(lines_only)} line removal(s) kept back",
        ))
    removals = [
        Removal(c.start, c.end, text[c.start : c.end], c.rule, c.category, c.zone, c.line + 1, c.action,
                c.score, c.signals)
        for c in chosen
    ]
    return removals, notices


def _overlaps(taken: tuple[list[int], list[int]] | None, start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint intervals ``taken``."""
    if taken is None:
        return False
    starts, ends = taken
    k = bisect_left(starts, start)
    return (k < len(starts) and starts[k] < end) or (k > 0 and ends[k - 1] > start)


_HAN = re.compile(r"[\u4e00-\u9fff]")
BODY_BLOCK_CATEGORIES = frozenset({"reseller_header"})
"""Resellers also paste their whole header block between two pages: in the body zone, lines
between two anchors of these categories are absorbed too (with the same shape checks)."""


def _absorb(text: str, layout: Layout, chosen: list[Candidate], limits: Limits) -> list[Candidate]:
    """Lines sandwiched between two anchor lines of the same zone (see module docstring); in the
    body zone only between reseller-header anchors. Lines other rules or scores removed may sit
    between the two anchors too (a header block whose sales line a promo rule took): they split the
    gap, and every part must be a sandwich of its own between removed lines."""
    whole: dict[int, Candidate] = {}
    removed: set[int] = set()
    touched: set[int] = set()
    for c in chosen:
        touched.add(c.line)
        if c.action != "span":
            removed.add(c.line)
            if c.anchor and (c.zone != "body" or c.category in BODY_BLOCK_CATEGORIES):
                whole[c.line] = c
    anchors = sorted(whole)
    out: list[Candidate] = []
    for a, b in pairwise(anchors):
        if b - a < 2 or b - a - 1 > 3 * limits.absorb_max_gap or layout.zone(a) != layout.zone(b):
            continue
        parts = _split_on(range(a + 1, b), removed)
        if not parts or any(len(p) > limits.absorb_max_gap or touched.intersection(p) for p in parts):
            continue
        lines = [[text[layout.starts[i] : layout.ends[i]] for i in p] for p in parts]
        if not all(_absorbable(line, limits) for part in lines for line in part):
            continue
        if not all(_runs_touch_anchors([bool(line.strip()) for line in part]) for part in lines):
            continue
        top = whole[a]
        out.extend(
            Candidate(layout.starts[i], layout.stops[i], top.rule, top.category, i, layout.zone(i), "absorbed",
                      top.priority, False)
            for p in parts
            for i in p
        )
    return out


def _chrome_gaps(text: str, layout: Layout, chosen: list[Candidate], limits: Limits) -> list[Candidate]:
    """The counters, buttons and card fields of a chrome block between two lines removed in one head
    or tail zone by any rule or score, and a number under a removed label (``runs.taken_lines``);
    credited to the removed line above, as ``absorbed``; and a run of lone page numbers anywhere
    (``runs.page_numbers``), credited to the page-counter rule. Lines a span touched stay."""
    whole = {c.line: c for c in chosen if c.action not in {"span", "blank"}}
    touched = {c.line for c in chosen}
    line = partial(stripped, text, layout)
    take = taken_lines(line, sorted(whole), layout.zone, lambda i: i not in touched, len(layout), limits.absorb_max_gap)
    maybe = [bisect_right(layout.starts, m.start()) - 1 for m in LONE_NUMBER.finditer(text)]
    pages = [i for i in page_numbers(line, len(layout), lambda i: i not in touched, maybe) if i not in take]
    return [
        Candidate(layout.starts[i], layout.stops[i], whole[a].rule, whole[a].category, i, layout.zone(i), "absorbed",
                  whole[a].priority, False)
        for i, a in sorted(take.items())
    ] + [Candidate(layout.starts[i], layout.stops[i], PAGE_COUNTER, "page_furniture", i, layout.zone(i), "absorbed", 70,
                   False) for i in pages]


PAGE_COUNTER = "page_furniture.page-counter"
"""The rule a recurring lone page number (``runs.page_numbers``) goes with."""


_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,12}")
"""A brand name: a few Han characters, letters or digits, nothing else (no punctuation, no space)."""
SLOGAN_MAX_CHARS = 24
"""A slogan that repeats the brand (一起学习X, 刷题就上X) is a short line."""


def _brand_above(text: str, layout: Layout, chosen: list[Candidate]) -> list[Candidate]:
    """A brand name right above the line a reseller-header rule removed, when that line repeats it
    inside a call (X ⏎ 一起学习X ⏎ …): a rule sees one line, so the slogan rule takes the slogan and
    the name would stay. Head and tail only; the name must stand at a block's edge (the text's
    start, a blank line or a removed line above it) and hold at least one Han character; a line
    identical to the one below is a title printed twice, not a brand (``title-copy`` decides)."""
    whole = {c.line: c for c in chosen if c.action != "span"}
    touched = {c.line for c in chosen}
    out: list[Candidate] = []
    for j, c in sorted(whole.items()):
        i = j - 1
        if c.category not in BODY_BLOCK_CATEGORIES or c.zone == "body" or i < 0 or i in touched:
            continue
        name, below = stripped(text, layout, i), stripped(text, layout, j)
        if (
            layout.zone(i) != c.zone or not _NAME.fullmatch(name) or not _HAN.search(name)
            or len(below) > SLOGAN_MAX_CHARS or name == below or name not in below
            or not (i == 0 or i - 1 in whole or not stripped(text, layout, i - 1))
        ):
            continue
        out.append(Candidate(layout.starts[i], layout.stops[i], c.rule, c.category, i, c.zone, "absorbed",
                             c.priority, False))
    return out


def _split_on(gap: range, removed: set[int]) -> list[range]:
    """The runs of ``gap`` between the lines in ``removed`` (those lines left out)."""
    parts: list[range] = []
    start = gap.start
    for i in gap:
        if i in removed:
            if i > start:
                parts.append(range(start, i))
            start = i + 1
    if gap.stop > start:
        parts.append(range(start, gap.stop))
    return parts


def _disjoint(chosen: list[Candidate]) -> list[Candidate]:
    """Sorted, disjoint removals after the block policies: a whole line a policy took supersedes the
    spans chosen on it (an inline mark inside a repeated excerpt line), and a span that reaches into
    a removed line (a chunk counter's line break) is dropped rather than joining what is left."""
    lines = sorted((c.start, c.end) for c in chosen if c.action != "span")
    starts = [s for s, _ in lines]

    def covered(c: Candidate) -> bool:
        k = bisect_left(starts, c.end)  # line removals starting before c ends
        return k > 0 and any(e > c.start for _, e in lines[max(0, k - 2) : k])

    out: list[Candidate] = []
    for c in sorted(chosen, key=lambda c: (c.start, -(c.end - c.start))):
        if c.action == "span" and covered(c):
            continue
        if out and c.start < out[-1].end:
            continue  # defensive: never two removals over one character
        out.append(c)
    return out


def _orphaned_blank_lines(text: str, layout: Layout, chosen: list[Candidate]) -> list[Candidate]:
    """Blank lines that only separated removed lines from the rest go with them.

    Without this the clean text starts with the blank lines that followed a header block, and a
    removed page counter between two paragraphs leaves a double gap. Taken: blank lines before
    the first kept line and after the last one (when something was removed there), and the blank
    lines right after a run of removed lines that already has a blank line before it.
    """
    whole = {c.line: c for c in chosen if c.action != "span"}
    if not whole:
        return []
    n = len(layout)

    def blank(i: int) -> bool:
        return i not in whole and not stripped(text, layout, i)

    def kept(i: int) -> bool:
        return i not in whole and not blank(i)

    removed = sorted(whole)
    first = next((i for i in range(n) if kept(i)), n)
    last = next((i for i in range(n - 1, -1, -1) if kept(i)), -1)
    above: dict[int, int] = {}  # the nearest non-blank line above (removed or kept), -1 for none:
    seed = -1  # needed before the first kept line and after the last one only
    for lo, hi in ((0, first), (max(last + 1, first), n)):
        for i in range(lo, hi):
            above[i] = seed
            if not blank(i):
                seed = i
        seed = last

    def nearest(i: int) -> Candidate:
        """The removed line right above across blank lines only, else the next removed one below: the
        blank lines before a tail block are credited to the tail rule, never to a head rule far above
        (bisect and one pass: linear overall)."""
        k = above[i]
        if k >= 0 and k in whole:
            return whole[k]
        j = bisect_right(removed, i)
        return whole[removed[j] if j < len(removed) else removed[-1]]

    take: dict[int, Candidate] = {}
    if any(i in whole for i in range(first)):
        take.update((i, nearest(i)) for i in range(first) if blank(i))
    if any(i in whole for i in range(last + 1, n)):
        take.update((i, nearest(i)) for i in range(last + 1, n) if blank(i))
    k = 0
    while k < len(removed):  # each run of removed lines
        i = j = removed[k]
        while k < len(removed) and removed[k] == j:
            j += 1
            k += 1
        if i > 0 and blank(i - 1) and j < n and blank(j):
            b = j
            while b < n and blank(b):
                take.setdefault(b, whole[j - 1])
                b += 1
    return [
        Candidate(layout.starts[k], layout.stops[k], c.rule, c.category, k, layout.zone(k), "blank", c.priority, False)
        for k, c in sorted(take.items())
    ]


def _runs_touch_anchors(nonblank: list[bool]) -> bool:
    """Every run of non-blank gap lines touches one of the two anchors (no blank line between).

    A brand name or slogan sits *in* the block; a line set apart by blank lines on both sides
    (``仅供学习⏎⏎2026年某省政府工作报告⏎⏎免费分享，倒卖必究``) is the document's own title.
    """
    k = 0
    while k < len(nonblank):
        if not nonblank[k]:
            k += 1
            continue
        j = k
        while j < len(nonblank) and nonblank[j]:
            j += 1
        if k > 0 and j < len(nonblank):
            return False
        k = j
    return True


__all__ = ["EXCERPT_RULE", "resolve"]
