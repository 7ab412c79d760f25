"""Counting: one document's short lines into per-template statistics, merged into a bounded table
(lossy counting)."""

from __future__ import annotations

import zlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

import regex

from ..engine import Cleaner
from ..features import extract, score_of
from ..match import prefilter
from ..model import Removal
from ..segment import is_body_like, segment, split_lines
from .templates import (
    _P,
    _PAGE_LINE,
    _POS,
    _SLOT,
    _TEXTY,
    BODY_SAMPLE,
    MAX_EXAMPLES,
    MAX_SLOT_VALUES,
    MAX_SOURCES,
    SLOT_REGEX,
    template_parts,
)


@dataclass(slots=True)
class _Slot:
    values: set[str]
    overflow: bool
    shortest: int
    longest: int

    def add(self, v: str) -> None:
        self.shortest = min(self.shortest, len(v))
        self.longest = max(self.longest, len(v))
        if v not in self.values:
            if len(self.values) >= MAX_SLOT_VALUES:
                self.overflow = True
            else:
                self.values.add(v)

    def merge(self, o: _Slot) -> None:
        self.shortest = min(self.shortest, o.shortest)
        self.longest = max(self.longest, o.longest)
        self.overflow = self.overflow or o.overflow
        for v in o.values:
            self.add(v)

    def regex(self, kind: str) -> str:
        if len(self.values) == 1 and not self.overflow:
            return regex.escape(next(iter(self.values)))
        if kind == "ID":
            return f"[A-Za-z0-9]{{{max(5, self.shortest - 2)},{self.longest + 4}}}"
        return SLOT_REGEX[kind]


def _writable(line: str) -> bool:
    """Examples go into a UTF-8 TOML file: a lone surrogate (possible in ``str`` input) cannot."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(slots=True)
class _Stat:
    parts: tuple[str, ...]
    first: int
    docs: int = 0
    occ: int = 0
    pos: list[int] = field(default_factory=lambda: [0] * len(_POS))
    removed_by: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    slots: list[_Slot] = field(default_factory=list)
    sources: set[int] = field(default_factory=set)
    """Signatures of the documents it was seen in, up to ``MAX_SOURCES``."""

    @property
    def distinct(self) -> int:
        return self.docs if len(self.sources) >= MAX_SOURCES else len(self.sources)

    def add_example(self, line: str) -> None:
        if len(self.examples) < MAX_EXAMPLES and line not in self.examples and _writable(line):
            self.examples.append(line)

    def merge(self, o: _Stat) -> None:
        self.first = min(self.first, o.first)
        self.docs += o.docs
        self.occ += o.occ
        self.pos = [a + b for a, b in zip(self.pos, o.pos, strict=True)]
        for k, v in o.removed_by.items():
            self.removed_by[k] = self.removed_by.get(k, 0) + v
        for e in o.examples:
            self.add_example(e)
        for s, t in zip(self.slots, o.slots, strict=True):
            s.merge(t)
        if len(self.sources) < MAX_SOURCES:
            self.sources.update(list(o.sources)[: MAX_SOURCES - len(self.sources)])


@dataclass(slots=True)
class _Partial:
    """One chunk's counts, merged into the run's table by the parent process."""

    table: dict[str, _Stat] = field(default_factory=dict)
    docs: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def _line_sets(text: str, removals: Sequence[Removal], starts: Sequence[int]) -> tuple[dict[int, str], set[int]]:
    """Lines the packs removed whole (line → rule id) and lines that are page breaks."""
    removed: dict[int, str] = {}
    breaks: set[int] = set()
    for r in removals:
        if r.action == "span":
            continue
        first = bisect_right(starts, r.start) - 1
        last = bisect_right(starts, max(r.start, r.end - 1)) - 1
        for i in range(first, last + 1):
            removed.setdefault(i, r.rule)
            if "page" in r.rule:
                breaks.add(i)
    return removed, breaks


_CLAUSE = regex.compile(r"[，。；、]")


def _wrapped_prose(line: str) -> bool:
    """A line of hard-wrapped prose (PDF or print layout): long enough and broken mid-sentence,
    with clause punctuation inside. Furniture such as 本站网址：… rarely has clauses."""
    return len(line) >= 15 and _CLAUSE.search(line, 0, len(line) - 1) is not None


def _signature(body: Sequence[str]) -> int:
    """One min-hash of a document's prose lines: copies of a document under different furniture
    share it (with the probability that they share lines), different documents almost never do.
    CRC-32 because ``hash`` differs between worker processes."""
    return min(zlib.crc32(s.encode("utf-8", "surrogatepass")) for s in body)


def _scan_doc(cleaner: Cleaner, text: str, removals: Sequence[Removal], part: _Partial, *, doc_no: int,
              max_line_chars: int) -> None:
    """Count the templates of one document's short lines, with where each one sits."""
    starts, ends, _ = split_lines(text)
    pre = prefilter(cleaner.matcher, text, starts)
    sh = pre.shadow
    removed, breaks = _line_sets(text, removals, starts)
    layout = segment(text, pre.flagged | removed.keys(), cleaner.limits)
    # the packs' own evidence: a keyword of a precise rule, or a positive score from their signals
    feats = extract(text, sh, layout, removed.keys(), cleaner.scorer)
    weights = cleaner.scorer.weights
    signal = pre.flagged | {i for i, names in feats.items() if score_of(names, weights) > 0}
    lines = [text[starts[i] : ends[i]].strip() for i in range(len(starts))]
    nonblank = [i for i, s in enumerate(lines) if s]
    for i in nonblank:
        if "\f" in text[starts[i] : ends[i]] or _PAGE_LINE.match(sh, starts[i], ends[i]):
            breaks.add(i)
    body_like = {i for i in nonblank if i not in removed and is_body_like(lines[i], cleaner.limits)}
    prose = body_like | {i for i in nonblank if i not in removed and _wrapped_prose(lines[i])}
    # on the shadow, so that a Traditional copy of a document is the same document
    content = [i for i in prose if layout.zone(i) == "body"] or sorted(prose)
    sig = _signature([sh[starts[i] : ends[i]].strip() for i in content] or [sh])
    if len(part.bodies) < BODY_SAMPLE // 4:
        part.bodies.extend(lines[i] for i in sorted(body_like)[:2] if len(lines[i]) <= 120)
    seen: set[str] = set()
    last = len(nonblank) - 1
    for k, i in enumerate(nonblank):
        line = lines[i]
        if len(line) > max_line_chars or not _TEXTY.search(line) or _SLOT in line:
            continue
        parts, values = template_parts(sh[starts[i] : ends[i]].strip())
        key = "".join(parts)
        st = part.table.get(key)
        if st is None:
            st = part.table[key] = _Stat(parts, doc_no)
            st.slots = [_Slot(set(), False, len(v), len(v)) for v in values]
        if key not in seen:
            seen.add(key)
            st.docs += 1
            if len(st.sources) < MAX_SOURCES:
                st.sources.add(sig)
        st.occ += 1
        for s, v in zip(st.slots, values, strict=True):
            s.add(v)
        st.add_example(line)
        prev = nonblank[k - 1] if k > 0 else None
        nxt = nonblank[k + 1] if k < last else None
        near = [j for j in (prev, nxt) if j is not None]
        zone = layout.zone(i)
        flags: dict[str, bool] = {
            zone: True,
            "edge": k < 3 or k > last - 3,
            "near_break": any(j in breaks for j in near),
            "near_removed": i not in removed and any(j in removed for j in near),
            "among_body": prev in prose and nxt in prose,
            "prose": i in prose,
            "signal": i in signal,
            "removed": i in removed,
        }
        flags["placed"] = bool(flags["edge"] or flags["near_break"] or flags["near_removed"]
                               or (zone != "body" and not flags["among_body"]))
        for name, on in flags.items():
            if on:
                st.pos[_P[name]] += 1
        if i in removed:
            rid = removed[i]
            st.removed_by[rid] = st.removed_by.get(rid, 0) + 1


@dataclass(slots=True)
class _Table:
    cap: int
    stats: dict[str, _Stat] = field(default_factory=dict)
    pruned: int = 0
    floor: int = 0

    def merge(self, part: _Partial) -> None:
        for key, st in part.table.items():
            mine = self.stats.get(key)
            if mine is None:
                self.stats[key] = st
            else:
                mine.merge(st)
        if len(self.stats) > self.cap:
            self.prune()

    def prune(self) -> None:
        """Drop the templates in the fewest documents until half the table is free (lossy
        counting): a template that keeps recurring survives, a one-off line goes."""
        by_docs: dict[int, int] = {}
        for st in self.stats.values():
            by_docs[st.docs] = by_docs.get(st.docs, 0) + 1
        target = len(self.stats) - self.cap // 2
        cut = dropped = 0
        for d in sorted(by_docs):
            cut = d
            dropped += by_docs[d]
            if dropped >= target:
                break
        self.stats = {k: v for k, v in self.stats.items() if v.docs > cut}
        self.pruned += dropped
        self.floor = max(self.floor, cut)
