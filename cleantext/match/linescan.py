"""Candidate lines: keyword hits (one Aho-Corasick pass over the keyed shadow) and line-local
prefilter hits per line, kept per line text across a document's passes (``LineCache``)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from itertools import accumulate, groupby
from typing import Any

import ahocorasick_rs

from ..rules.compile import CompiledRule
from ..rules.shadow import has_lone_cr, shadow, to_key
from .matcher import Matcher
from .patterns import class_members, holds, pattern_needs


@dataclass(frozen=True, slots=True)
class Keywords:
    """The rules' keywords and another set's (the scorer's signal keywords) in one automaton, so that
    ``scan`` finds both in one pass over the keyed text."""

    automaton: Any
    rules: tuple[frozenset[int], ...]
    """Per key: the rules it selects (empty for a key of the other set only)."""
    zoning: tuple[bool, ...]
    """Per key: whether a hit marks the line as advert-like (``Matcher.key_zoning``)."""
    payload: tuple[frozenset[int], ...]
    """Per key: the other set's payload (signal indexes)."""
    key_max: int
    marks: tuple[bool, ...] = ()
    """Per key: whether a hit puts its line in ``Prefiltered.marked``."""
    read: dict[tuple[int, ...], _Found] = field(default_factory=dict, compare=False)
    """What ``scan`` found on a line (sorted keys and ``~rule``) → the line's result (``_found``),
    for every document: most lines hold one of a few hundred combinations."""


def keywords_of(
    m: Matcher, keys: Sequence[str], payload: Sequence[Sequence[int]], marked: Collection[int] = ()
) -> Keywords:
    """The matcher's keywords together with ``keys`` (each with its ``payload``); ``marked``: the
    matcher's keys (indexes) whose lines ``scan`` lists in ``Prefiltered.marked``."""
    mine = dict(zip(m.keys, range(len(m.keys)), strict=True))
    other = dict(zip(keys, payload, strict=True))
    union = sorted(mine.keys() | other.keys())
    return Keywords(
        ahocorasick_rs.AhoCorasick(union, matchkind=ahocorasick_rs.MatchKind.Standard) if union else None,
        tuple(m.key_rules[mine[k]] if k in mine else frozenset() for k in union),
        tuple(k in mine and m.key_zoning[mine[k]] for k in union),
        tuple(frozenset(other.get(k, ())) for k in union),
        max(map(len, union), default=0),
        tuple(k in mine and mine[k] in marked for k in union),
    )


@dataclass(frozen=True, slots=True)
class Prefiltered:
    """What the prefilter found: the shadow, rule candidates per line, lines that look like adverts."""

    shadow: str
    hits: Mapping[int, Set[int]]
    flagged: frozenset[int]
    """Lines with a keyword of a line or block rule: such lines never start the body zone.
    Span rules' keywords (zero-width characters, junk punctuation) do not flag a line."""
    local: bool = False
    """``hits`` also holds the hits of the line-local prefilters (``Matcher.local``): ``scan`` found them."""
    extra_hits: Mapping[int, Collection[int]] | None = None
    """Per line, the payloads of the extra automaton given to ``scan`` (the scorer's signal keywords)."""
    texts: list[str] | None = None
    """The shadow's lines, terminators included, when ``scan`` cut them (``run_rules`` joins them)."""
    marked: frozenset[int] | None = None
    """Lines with a hit of a key ``Keywords.marks`` (when ``scan`` had them): the lines the splice
    stage can take a piece of."""
    counts: dict[str, int] = field(default_factory=dict)
    """Character → its occurrences in ``shadow``, as ``lines_holding`` counted them (when ``scan``
    scanned the whole shadow): ``run_rules`` counts the same text for its look-back rules."""


def prefilter(m: Matcher, text: str, starts: tuple[int, ...], sh: str | None = None) -> Prefiltered:
    """Keyword hits per line, on ``sh`` (default: the shadow of ``text``).

    Rules' ``prefilter`` patterns run later, in ``run_rules``, once zones are known: most rules
    live in the head or tail, and scanning only there is what keeps them cheap on 10 MB texts.
    """
    if sh is None:
        sh = shadow(text)
    hits: dict[int, set[int]] = {}
    flagged: set[int] = set()
    if starts and m.automaton is not None:
        for k, pos in _keyword_hits(m, sh):
            line = bisect_right(starts, pos) - 1
            got = hits.get(line)
            if got is None:
                hits[line] = set(m.key_rules[k])
            else:
                got.update(m.key_rules[k])
            if m.key_zoning[k]:
                flagged.add(line)
    return Prefiltered(sh, hits, frozenset(flagged))


KEY_CHUNK = 1 << 16
"""Characters of the shadow lowered and searched at a time: the lowered copy (``str.lower`` of
Chinese text briefly takes 6x the text) and the UTF-8 copy the automaton reads stay this size
instead of the document's (a 50 MB file peaked at 21.7x its size)."""


def _keyword_hits(m: Matcher, sh: str) -> Iterator[tuple[int, int]]:
    """(keyword key index, start) of every keyword occurrence, overlapping ones included, found in
    chunks that overlap by the longest key: a hit ending in the overlap was the previous chunk's."""
    return _chunked_hits(m.automaton, m.key_max, sh)


def _chunked_hits(automaton: Any, key_max: int, sh: str) -> Iterator[tuple[int, int]]:
    ov = max(key_max - 1, 0)
    for a in range(0, len(sh), KEY_CHUNK):
        lo = max(a - ov, 0)
        for k, s, e in automaton.find_matches_as_indexes(to_key(sh[lo : a + KEY_CHUNK]), overlapping=True):
            if lo + e > a:
                yield k, lo + s


_Found = tuple[frozenset[int], bool, tuple[int, ...], bool]
_NOTHING: _Found = (frozenset(), False, (), False)


READ_MAX = 1 << 14
"""Results ``Keywords.read`` keeps at most (then it starts again): a bound on its memory, and on
what each full pass of the garbage collector walks (the dev corpora need ~3,000)."""


def _found(kw: Keywords, got: tuple[int, ...], extra: bool) -> _Found:
    """What a line holds from what was found on it: keys of ``kw`` (``k >= 0``) and rules whose
    prefilter hit it (``~ri``); the payloads and marks of the keys when ``extra``."""
    keys = [k for k in got if k >= 0]
    rules = frozenset().union(*(kw.rules[k] for k in keys), [~r for r in got if r < 0])
    payload = tuple(sorted(frozenset().union(*(kw.payload[k] for k in keys)))) if extra else ()
    return rules, any(kw.zoning[k] for k in keys), payload, extra and any(kw.marks[k] for k in keys)


def _context_lower(sh: str) -> bool:
    """Whether ``to_key`` or a line of ``sh`` depends on more than the line: ``str.lower`` turns
    U+0130 into two code points (``to_key`` then lowers by table, per chunk) and Σ by its
    neighbours; a lone CR ends a line that ``re``'s ``^``/``$`` do not see (``in`` and ``count``
    run at C speed)."""
    return "\u0130" in sh or "\u03a3" in sh or has_lone_cr(sh)


@dataclass
class LineCache:
    """One document's line texts (shadow, terminator included) and what ``scan`` found on each, kept
    across passes: a later pass sees the same lines but for what was removed, and scans only the
    lines it has not seen. Also what the document lacks (``lacks``)."""

    seen: dict[str, _Found] = field(default_factory=dict)
    """Line (not the first) → (rules hit, flagged, extra payloads, marked)."""
    first: dict[str, _Found] = field(default_factory=dict)
    """The same for first lines (``(?<=\\n)`` fails there)."""
    lacks: dict[int, bool] = field(default_factory=dict)
    """Rule → whether the document lacks a character its pattern needs (``pattern_needs``): such a
    rule matches nowhere, in this pass or a later one (later passes only see less text)."""
    matched: dict[int, dict[str, bool]] = field(default_factory=dict)
    """Rule whose pattern ``stays_on_line`` → line text (not the first line's, terminator included)
    → whether the pattern matches on it: that depends on nothing else (``run._lines_known``)."""


def lacks(doc: LineCache, cr: CompiledRule, ri: int, sh: str) -> bool:
    """Whether the document (``sh``, its shadow in the first pass that asks) lacks a character the
    rule's pattern needs, so that the rule matches nowhere in it, in this pass or a later one."""
    got = doc.lacks.get(ri)
    if got is None:
        got = doc.lacks[ri] = not all(holds(sh, need) for need in pattern_needs(cr.pattern.pattern, cr.pattern.flags))
    return got


SHORT_TEXT = 4096
"""Shorter texts are scanned for every line-local prefilter: there, checking first whether the text
holds the characters a prefilter or its rule needs costs more than the scan (``run_rules`` still
skips a rule the document lacks a character for)."""


GATE_LINES = 8
"""In a long text, a line-local prefilter runs only on the lines holding a character of a small class
it requires (``required_chars``) when fewer than one line in this many hold one: a line without
any holds no hit, and the rarest class of most prefilters is in a few per cent of a document."""
GATE_CHARS = 4
"""Classes of at most this many characters are counted for that (``str.count`` runs at memory speed)."""


def lines_holding(
    text: str, at: Sequence[int], needs: Sequence[re.Pattern[str]], most: int, counts: dict[str, int] | None = None
) -> list[int] | None:
    """The lines (indexes into ``at``, the line starts of ``text``) holding a character of the rarest
    small class of ``needs``, when its characters occur at most ``most`` times (else ``None``).
    ``counts``: character → occurrences in ``text``, filled here: rules share characters, and a
    ``str.count`` over a 2 MB document costs a quarter of a millisecond."""
    if counts is None:
        counts = {}
    best: tuple[int, tuple[str, ...]] | None = None
    for need in needs:
        members = class_members(need)
        if members is not None and len(members) <= GATE_CHARS:
            n = 0  # occurrences: at least as many as the lines holding one
            for ch in members:
                got = counts.get(ch)
                if got is None:
                    got = counts[ch] = text.count(ch)
                n += got
            if best is None or n < best[0]:
                best = (n, members)
    if best is None or best[0] > most:
        return None
    lines: set[int] = set()
    last = len(at) - 1
    for ch in best[1]:
        p = text.find(ch)
        while p >= 0:
            j = bisect_right(at, p) - 1
            lines.add(j)
            p = text.find(ch, at[j + 1]) if j < last else -1
    return sorted(lines)


def _part(text: str, at: Sequence[int], lines: list[int]) -> tuple[str, list[int], int]:
    """The ``lines`` of ``text`` (indexes into ``at``) joined, with a newline in front when the first
    is not the text's first (it stands in for the text before it, as in ``scan``); their starts in
    it, and 1 for that newline (else 0)."""
    last = len(at) - 1
    lead = 0 if lines[0] == 0 else 1
    parts = ["\n"] * lead + [text[at[j] : at[j + 1] if j < last else len(text)] for j in lines]
    return "".join(parts), list(accumulate(map(len, parts), initial=0))[:-1], lead


def _hit_lines(m: Matcher, ri: int, text: str, at: Sequence[int], front: str) -> list[int]:
    """The lines (indexes into ``at``, the line starts of ``text``) where the line-local prefilter of
    rule ``ri`` hits, found with its quick form; ``front``: ``text`` with a newline in front."""
    quick = m.quick[ri]
    if quick is None:
        pat, in_front, shift = m.rules[ri].prefilter, False, 0
        assert pat is not None
    else:
        pat, in_front, shift = quick
    return [bisect_right(at, hit.start() + shift) - 1 for hit in pat.finditer(front if in_front else text)]


def scan(
    m: Matcher,
    sh: str,
    starts: Sequence[int],
    stops: Sequence[int],
    cache: LineCache,
    *,
    keys: Keywords | None = None,
) -> Prefiltered:
    """Keyword hits and line-local prefilter hits per line of the shadow ``sh``, scanning only lines
    ``cache`` has not seen (in one string, so the automaton and each pattern run once, at C speed).

    ``keys``: the matcher's keywords with the scorer's (``keywords_of``), whose payloads come back in
    ``extra_hits``; without, the matcher's own automaton. Exact because
    every hit depends only on its line's text and whether it is the first (``is_line_local``); a
    text where that does not hold (``_context_lower``) goes the way of ``prefilter``.
    """
    if not m.keys_local or not starts or _context_lower(sh):
        return prefilter(m, sh, tuple(starts), sh)
    lines = [sh[a:b] for a, b in zip(starts, stops, strict=True)]
    seen = cache.seen
    # each line text not seen yet, once (a document repeats blank lines and furniture): its first line
    first_of = dict(zip(lines[:0:-1], range(len(lines) - 1, 0, -1), strict=True))  # last write: first line
    todo = sorted(i for t, i in first_of.items() if t not in seen)
    if lines[0] not in cache.first:
        todo.insert(0, 0)
    results: list[_Found] = []
    joined = sh
    counts: dict[str, int] = {}  # character → occurrences in ``joined`` (``lines_holding``)
    if todo:
        at: Sequence[int] = starts
        if len(todo) < len(lines):
            # a blank first line stands in for the text before a line that is not the first
            parts = ([] if todo[0] == 0 else ["\n"]) + [lines[i] for i in todo]
            pos = [0]
            for t in parts[:-1]:
                pos.append(pos[-1] + len(t))
            joined, at = "".join(parts), pos
        # Per line, the keys (``k``) and prefilters (``~ri``) found there, read into one result per
        # distinct tuple (``_found``), shared by the lines and later passes that have it: a set per
        # line kept alive made the cyclic garbage collector walk tens of thousands of them again
        # and again in a big document (a quarter of its time).
        where: list[int] = []  # the line of each thing found
        what: list[int] = []  # and what it is
        kw = keys if keys is not None else Keywords(m.automaton, m.key_rules, m.key_zoning, (), m.key_max)
        if kw.automaton is not None:
            for k, p in _chunked_hits(kw.automaton, kw.key_max, joined):
                where.append(bisect_right(at, p) - 1)
                what.append(k)
        front = ""  # the joined lines with a newline in front, for the quick form of ^X
        short = len(joined) < SHORT_TEXT
        done: Set[int] = frozenset()  # the prefilters Hyperscan found (``Matcher.multi``)
        if m.multi is not None and (multi := m.multi.hits(joined)) is not None:
            lines_hit, rules_hit, skipped = multi
            if not short and (gone := {r for r in set(rules_hit) if lacks(cache, m.rules[~r], ~r, sh)}):
                # as below, a long text keeps no hit of a rule that matches nowhere in the document
                kept = [k for k, r in enumerate(rules_hit) if r not in gone]
                lines_hit, rules_hit = [lines_hit[k] for k in kept], [rules_hit[k] for k in kept]
            where += lines_hit
            what += rules_hit
            done = m.multi.rules - skipped
        todo_local = [ri for ri in m.local if ri not in done]
        # a short text's characters (and the newline put in front for ``^X``), to skip at once the
        # prefilters needing a character it lacks: half of them on a small document
        chars = frozenset(joined).union("\n") if short and m.need_sets and todo_local else None
        for ri in todo_local:
            gate = None
            if chars is not None:
                if any(map(chars.isdisjoint, m.need_sets[ri])):
                    continue
            elif not short:
                if not all(holds(joined, need) for need in m.needs[ri]) or lacks(cache, m.rules[ri], ri, sh):
                    continue  # no hit possible here, or the rule matches nowhere in this document
                gate = lines_holding(joined, at, m.needs[ri], len(at) // GATE_LINES, counts)
            quick = m.quick[ri]
            if gate is None:
                if quick is not None and quick[1] and not front:
                    front = "\n" + joined
                hit = _hit_lines(m, ri, joined, at, front)
            elif gate:
                part, part_at, lead = _part(joined, at, gate)
                hit = [gate[k - lead] for k in _hit_lines(m, ri, part, part_at, "\n" + part) if k >= lead]
            else:
                continue
            where += hit
            what += [~ri] * len(hit)
        shift = 0 if len(todo) == len(lines) or todo[0] == 0 else 1  # the stand-in line
        results = [_NOTHING] * len(todo)
        read = kw.read
        if len(read) > READ_MAX:
            read.clear()
        for j, found in groupby(sorted(range(len(where)), key=where.__getitem__), where.__getitem__):
            if j - shift >= 0:
                on_line = tuple(sorted(set(map(what.__getitem__, found))))
                res = read.get(on_line)
                if res is None:
                    res = read[on_line] = _found(kw, on_line, keys is not None)
                results[j - shift] = res
        start = 0
        if todo[0] == 0:
            cache.first[lines[0]] = results[0]
            start = 1
        seen.update(zip([lines[i] for i in todo[start:]], results[start:], strict=True))
    if len(todo) < len(lines):  # every line's result, looked up at C speed
        results = [cache.first[lines[0]], *map(seen.__getitem__, lines[1:])]
    hits: dict[int, frozenset[int]] = {}
    flagged: set[int] = set()
    extra_hits: dict[int, tuple[int, ...]] = {}
    marked: set[int] = set()
    for i, got in enumerate(results):
        if got is _NOTHING:  # most lines: nothing found (the one empty result is shared)
            continue
        rules, flags, payload, marks = got
        if rules:
            hits[i] = rules  # shared, never changed: run_rules merges into new sets
        if flags:
            flagged.add(i)
        if payload:
            extra_hits[i] = payload
        if marks:
            marked.add(i)
    whole = counts if joined is sh else {}  # counts of the shadow itself, for ``run_rules``
    if keys is None:
        return Prefiltered(sh, hits, frozenset(flagged), True, None, lines, counts=whole)
    return Prefiltered(sh, hits, frozenset(flagged), True, extra_hits, lines, frozenset(marked), whole)


__all__ = [
    "KEY_CHUNK", "Keywords", "LineCache", "Prefiltered", "keywords_of", "lacks", "lines_holding", "prefilter", "scan",
]
