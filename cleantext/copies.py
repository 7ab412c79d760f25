"""Stage ④ policies about the document's own text copied onto the page: a 文库 page's copy of the
title above its card (``title-copy``) and its trailing copy of the opening paragraphs (``excerpt``).
Split from ``resolve.py``, which calls them in its policy order."""

from __future__ import annotations

from functools import partial

from .config import Limits
from .lines import STRUCTURE
from .model import POLICIES, Candidate, Layout
from .segment import SENTENCE_END, is_body_like


def stripped(text: str, layout: Layout, i: int) -> str:
    """Line ``i`` of ``text`` without its terminator and the white space around it: what the
    policies judge a line by."""
    return text[layout.starts[i] : layout.ends[i]].strip()


def duplicate_titles(text: str, layout: Layout, chosen: list[Candidate], limits: Limits) -> list[Candidate]:
    """A head line repeated right below an advert block is the page's copy of the title.

    文库 and 范文 pages print the document title, then their card (upload metadata, editor intro),
    then the document with its real title. The first copy goes with the block; the real title stays.
    Tight on purpose: the copy must be directly followed (blank lines aside) by a removed line,
    and an identical line (white space ignored) must follow the block within ``dup_title_window``;
    a line of the document's structure (heading, article, list item) is never a copy.
    """
    touched = {c.line for c in chosen}
    anchors = {c.line: c for c in chosen if c.action != "span" and c.zone == "head"}
    if not anchors:
        return []
    n = len(layout)

    def key(i: int) -> str:
        return "".join(text[layout.starts[i] : layout.ends[i]].split())

    out: list[Candidate] = []
    for i in range(min(layout.head_end, n)):
        k = key(i)
        if not k or i in touched or len(k) > limits.dup_title_max_chars:
            continue
        own = stripped(text, layout, i)
        if STRUCTURE.match(own) or own.endswith(SENTENCE_END) or is_body_like(own, limits):
            continue  # a title is neither structure nor a sentence: a repeated paragraph is body
        j = i + 1
        while j < n and not key(j):
            j += 1
        if j not in anchors:
            continue
        end = j
        while end + 1 < n and (end + 1 in touched or not key(end + 1)):
            end += 1
        for m in range(end + 1, min(n, end + 1 + limits.dup_title_window)):
            if m not in touched and key(m) == k:
                top = anchors[j]
                out.append(Candidate(layout.starts[i], layout.stops[i], top.rule, top.category, i, "head",
                                     "title-copy", top.priority, False))
                break
    return out


EXCERPT_RULE = next(p for p, a in POLICIES.items() if a == "excerpt")
"""Rule id reported for a trailing excerpt (a resolve policy, not a pattern: see below)."""


def repeated_excerpt(text: str, layout: Layout, chosen: list[Candidate], limits: Limits) -> list[Candidate]:
    """A 文库 page's trailing excerpt: its copy of the document's *opening* paragraphs, at the end.

    Repeats are not adverts in general (laws repeat sentences; a compilation of regulations ends
    two of them with the same articles), so the policy takes a trailing run only on all of this
    evidence:

    - at least ``excerpt_min_lines`` and at most ``excerpt_max_lines`` paragraphs at the very end
      of the document (blank and removed lines aside), each prose (a sentence end or body-like),
      at least one body-like, and none a line of the document's structure (numbered article
      第…条, heading, list item: ``lines.STRUCTURE``), which no resolve policy ever takes;
    - identical, in order, to the run of paragraphs that *opens* the document: the earlier copy
      starts at or before the first body-like line (``layout.head_end``), and ends before the
      trailing run;
    - each of its paragraphs occurs exactly twice in the text (a text that repeats one
      paragraph over and over has no excerpt).

    Only those paragraphs go (a repeated title line stays). Bounded windows at both ends of the
    document, so the cost is linear in the number of lines whatever repeats.
    """
    touched = {c.line for c in chosen if c.action != "span"}
    n = len(layout)
    cap = limits.excerpt_max_lines
    para = partial(stripped, text, layout)

    tail: list[tuple[int, str]] = []  # the trailing prose run, last paragraph first
    i = n - 1
    while i >= 0 and len(tail) < cap:
        p = "" if i in touched else para(i)
        if p:
            if STRUCTURE.match(p) or not (p.endswith(SENTENCE_END) or is_body_like(p, limits)):
                break
            tail.append((i, p))
        i -= 1
    tail.reverse()
    if len(tail) < limits.excerpt_min_lines:
        return []
    front: list[tuple[int, str]] = []  # the opening paragraphs, as far as a copy could reach
    openings = 0
    i = 0
    while i < n and len(front) < openings + cap:
        p = "" if i in touched else para(i)
        if p:
            front.append((i, p))
            openings += i <= layout.head_end
        i += 1
    best = 0
    for s in range(openings):
        for m in range(min(len(tail), len(front) - s), best, -1):
            if front[s + m - 1][0] < tail[-m][0] and all(
                front[s + k][1] == tail[len(tail) - m + k][1] for k in range(m)
            ):
                best = m
                break
    excerpt = tail[len(tail) - best :]
    if (
        best < limits.excerpt_min_lines
        or not any(is_body_like(p, limits) for _, p in excerpt)
        or any(text.count(p) != 2 for _, p in excerpt)
    ):
        return []
    return [
        Candidate(layout.starts[i], layout.stops[i], EXCERPT_RULE, "page_furniture", i, layout.zone(i), "excerpt", 0,
                  False)
        for i, _ in excerpt
    ]


__all__ = ["EXCERPT_RULE", "duplicate_titles", "repeated_excerpt", "stripped"]
