"""Stage ③: prefilter + patterns under a time budget → Candidates.

The text's shadow (rules/shadow.py: width-folded, Traditional→Simplified, same length) is built
once. One Aho-Corasick pass (``ahocorasick_rs``, ~3x faster here than ``pyahocorasick`` and
returning all hits in one call) over its ASCII-lowered copy finds every keyword
occurrence, overlapping ones included, so a long keyword of one rule never hides a short keyword
of another; hits map to lines by bisecting line starts. Rules with a ``prefilter`` pattern add
their candidate lines with one ``re`` scan each over their zones only. Full ``regex`` patterns then run only on
candidate lines of the rule's zones, with ``pos``/``endpos`` on the whole shadow, so ``^``/``$``
anchor to the line while a lookbehind can see the lines before it.

Each rule has a per-document time budget that grows with the lines it runs on (``_Budget``); a
rule that runs out is skipped for the rest of the document and a ``rule-timeout`` notice says
where.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick_rs
import regex

from .config import DEFAULT_LIMITS, Limits
from .errors import RuleTimeoutError
from .model import ZONES, Action, Candidate, Layout, Zone
from .rules import RulePack
from .rules.compile import CompiledRule, compile_pattern, keyword_key
from .rules.shadow import shadow, to_key

ZONING_MIN_KEY = 2
"""Keywords shorter than this (文, 网, 群, #) still pick candidate lines but never mark a line as
advert-like for zoning: one character occurs in most prose lines, and a line so marked cannot start
the body, so the head and tail zones would stretch over the document."""


@dataclass(frozen=True, slots=True)
class Matcher:
    """A pack's rules ready to run: keyword automaton, prefilter scans, compiled patterns."""

    rules: tuple[CompiledRule, ...]
    automaton: Any
    """``ahocorasick_rs.AhoCorasick`` over the keyword keys (``None`` without keywords)."""
    key_rules: tuple[frozenset[int], ...]
    """Per keyword key (automaton pattern index): the rules it selects."""
    key_zoning: tuple[bool, ...]
    """Per keyword key: whether a hit marks the line as advert-like for zoning."""
    prefiltered: tuple[int, ...]
    """Rules with a ``prefilter`` pattern."""
    always: tuple[int, ...]
    """Rules with neither keywords nor prefilter: tried on every line of their zones."""
    allow: tuple[regex.Pattern[str], ...]
    caps: dict[str, int]
    """Rule id → ``max_per_doc`` for the rules that set one (for resolve)."""
    key_max: int = 0
    """Length of the longest keyword key: how far chunks of the text overlap in ``prefilter``."""
    local: tuple[int, ...] = ()
    """Rules whose ``prefilter`` is line-local (``is_line_local``): found by ``scan`` with the keywords,
    per line text, instead of once per pass and zone by ``run_rules``."""
    keys_local: bool = True
    """No keyword contains a line break, so keyword hits too depend on nothing but their line."""
    early: frozenset[int] = frozenset()
    """Rules of the first pass (``is_early``)."""
    needs: tuple[tuple[re.Pattern[str], ...], ...] = ()
    """Per rule, ``required_chars`` of its prefilter: a text lacking one is not scanned for it."""


def build_matcher(pack: RulePack) -> Matcher:
    return matcher_of(pack.compiled(), tuple(compile_pattern(a, (), "[[allow]]") for a in pack.allow))


def matcher_of(rules: tuple[CompiledRule, ...], allow: tuple[regex.Pattern[str], ...] = ()) -> Matcher:
    """A matcher over some compiled rules: a pack's, or one rule's (``check.py`` runs a rule's
    examples through it, so an example passes only where the rule really fires)."""
    by_key: dict[str, list[int]] = {}
    for i, r in enumerate(rules):
        for k in r.rule.keywords:
            by_key.setdefault(keyword_key(k), []).append(i)
    keys = sorted(by_key)
    return Matcher(
        rules=rules,
        automaton=ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard) if keys else None,
        key_rules=tuple(frozenset(by_key[k]) for k in keys),
        key_zoning=tuple(
            len(k) >= ZONING_MIN_KEY and any(rules[i].rule.scope != "span" for i in by_key[k]) for k in keys
        ),
        prefiltered=tuple(i for i, r in enumerate(rules) if r.prefilter is not None),
        always=tuple(i for i, r in enumerate(rules) if not r.rule.keywords and r.prefilter is None),
        allow=allow,
        caps={r.id: r.rule.max_per_doc for r in rules if r.rule.max_per_doc},
        key_max=max(map(len, keys), default=0),
        local=tuple(i for i, r in enumerate(rules) if r.prefilter is not None and is_line_local(r.prefilter)),
        keys_local=not any("\n" in k or "\r" in k for k in keys),
        early=frozenset(i for i, r in enumerate(rules) if is_early(r)),
        needs=tuple(() if r.prefilter is None else required_chars(r.prefilter) for r in rules),
    )


_NEWLINE_CATEGORIES = frozenset({sre.CATEGORY_SPACE, sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_NOT_WORD,
                                 sre.CATEGORY_LINEBREAK})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})


def _set_has_newline(items: list[tuple[Any, Any]]) -> bool:
    negate = bool(items) and items[0][0] is sre.NEGATE
    has = False
    for op, av in items[negate:]:
        if (op is sre.LITERAL and av == 10) or (op is sre.RANGE and av[0] <= 10 <= av[1]):
            has = True
        elif op is sre.CATEGORY:
            has = has or av in _NEWLINE_CATEGORIES
        elif op is not sre.LITERAL and op is not sre.RANGE:
            return True  # anything unexpected: assume it may be a newline
    return has != negate


def _no_newline(items: Any, dotall: bool) -> bool:
    """No part of a match of ``items`` (a parsed ``re`` pattern), lookarounds included, can be a
    newline; a lookbehind for exactly ``\\n`` (the line start) is allowed."""
    for op, av in items:
        if op is sre.LITERAL:
            ok = av != 10
        elif op is sre.NOT_LITERAL:
            ok = av == 10
        elif op is sre.ANY:
            ok = not dotall
        elif op is sre.IN:
            ok = not _set_has_newline(av)
        elif op is sre.AT:
            ok = True
        elif op in _REPEATS:
            ok = _no_newline(av[2], dotall)
        elif op is sre.SUBPATTERN:
            ok = _no_newline(av[3], (dotall or bool(av[1] & re.DOTALL)) and not av[2] & re.DOTALL)
        elif op is sre.ATOMIC_GROUP:
            ok = _no_newline(av, dotall)
        elif op is sre.BRANCH:
            ok = all(_no_newline(b, dotall) for b in av[1])
        elif op is sre.ASSERT or op is sre.ASSERT_NOT:
            ok = (av[0] < 0 and list(av[1]) == [(sre.LITERAL, 10)]) or _no_newline(av[1], dotall)
        else:  # back-references, conditionals: not worth reasoning about
            ok = False
        if not ok:
            return False
    return True


_MAX_SET = 64
"""Character classes larger than this are no use as a requirement."""


def _chars(items: Any, icase: bool) -> frozenset[str] | None:
    """The characters of a parsed class (``None``: negated, a category, or too large)."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_SET:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    if len(out) > _MAX_SET or (icase and any(c.lower() != c or c.upper() != c for c in out)):
        return None  # case-insensitive letters also match look-alikes (K and the Kelvin sign): give up
    return frozenset(out)


def _required(items: Any, icase: bool) -> list[frozenset[str]]:
    """Character sets that each have a member in every match of ``items`` (a parsed ``re`` pattern)
    or in what its lookaheads see."""
    out: list[frozenset[str]] = []
    for op, av in items:
        if op is sre.LITERAL:
            got = _chars([(op, av)], icase)
            out.extend([got] if got else [])
        elif op is sre.IN:
            got = _chars(av, icase)
            out.extend([got] if got else [])
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_required(av[2], icase))
        elif op is sre.SUBPATTERN:
            out.extend(_required(av[3], (icase or bool(av[1] & re.IGNORECASE)) and not av[2] & re.IGNORECASE))
        elif op is sre.ATOMIC_GROUP or (op is sre.ASSERT and av[0] > 0):
            out.extend(_required(av if op is sre.ATOMIC_GROUP else av[1], icase))
        elif op is sre.BRANCH:  # one alternative matches: the union of each one's smallest set
            alts = [_required(b, icase) for b in av[1]]
            if all(alts):
                union = frozenset().union(*(min(a, key=len) for a in alts))
                out.extend([union] if len(union) <= _MAX_SET else [])
    return out


def required_chars(p: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """Character classes that each occur in any text ``p`` finds a match in (its lookaheads
    included): a text without one of them cannot hold a match, and is not scanned."""
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
    except (re.error, RecursionError):  # pragma: no cover - it compiled
        return ()
    sets = set(_required(tree, bool(p.flags & re.IGNORECASE)))
    return tuple(re.compile("[" + "".join(re.escape(c) for c in sorted(x)) + "]") for x in sorted(sets, key=len))


_SET_OPERATORS = ("--", "&&", "||", "~~")


def _lookbehinds_ahead(pattern: str) -> str | None:
    """A ``regex`` pattern with its lookbehinds turned into lookaheads, for ``re``'s parser (which
    refuses variable-width lookbehinds) to read required characters from: direction does not matter
    for what must be in the text. ``None`` where ``re`` could read it differently: nested sets and set
    operations (``VERSION1``), a class opening with ``]``."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif in_class:
            if c == "[" or pattern.startswith(_SET_OPERATORS, i):
                return None
            in_class = c != "]"
            out.append(c)
            i += 1
        elif c == "[":
            j = i + 1 + pattern.startswith("^", i + 1)
            if pattern.startswith("]", j):
                return None
            out.append(pattern[i:j])
            i, in_class = j, True
        elif pattern.startswith(("(?<=", "(?<!"), i):
            out.append("(?" + pattern[i + 3])
            i += 4
        else:
            out.append(c)
            i += 1
    return "".join(out)


@cache
def pattern_needs(pattern: str, flags: int) -> tuple[re.Pattern[str], ...]:
    """``required_chars`` of a rule's ``regex`` pattern, lookbehinds included (``()`` when ``re``
    cannot read it, or verbose comments could hide anything): a text lacking one of them holds no
    match anywhere."""
    if flags & regex.VERBOSE or "(?x" in pattern:
        return ()
    src = _lookbehinds_ahead(pattern)
    if src is None:
        return ()
    try:
        return required_chars(re.compile(src, re.MULTILINE | (flags & regex.IGNORECASE and re.IGNORECASE)))
    except (re.error, RecursionError, OverflowError, ValueError):
        return ()


def is_line_local(p: re.Pattern[str]) -> bool:
    """Whether ``p`` hits a line (has a match starting on it) whatever text surrounds the line: under
    ``MULTILINE``, no match is empty and no part of one, lookarounds included, can be a newline
    (a lookbehind for exactly ``\\n`` only says the line is not the text's first). Such a pattern's
    hits can be found once per line text, on the lines that changed, instead of once per pass."""
    if not p.flags & re.MULTILINE:
        return False
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
    except (re.error, RecursionError):  # pragma: no cover - it compiled
        return False
    return bool(tree.getwidth()[0] > 0) and _no_newline(tree, bool(p.flags & re.DOTALL))


@dataclass(frozen=True, slots=True)
class Prefiltered:
    """What the prefilter found: the shadow, rule candidates per line, lines that look like adverts."""

    shadow: str
    hits: dict[int, set[int]]
    flagged: frozenset[int]
    """Lines with a keyword of a line or block rule: such lines never start the body zone.
    Span rules' keywords (zero-width characters, junk punctuation) do not flag a line."""
    local: bool = False
    """``hits`` also holds the hits of the line-local prefilters (``Matcher.local``): ``scan`` found them."""
    extra_hits: dict[int, set[int]] | None = None
    """Per line, the payloads of the extra automaton given to ``scan`` (the scorer's signal keywords)."""


EARLY_CATEGORIES = frozenset({"invisible"})
"""Span rules of these categories run first, and the other rules run on the text without what they
matched: a zero-width mark inside ``仅供\u200b学习`` must not hide the advert line from its rule,
or cleaning the output again would find it (cleaning must be idempotent). engine.py maps the
second pass's offsets back to the original."""


def is_early(r: CompiledRule) -> bool:
    """Invisible marks removed as spans run in the first pass; line rules (a hidden-text line)
    run with the others, so that every pass weighs the same line rules against the caps."""
    return r.rule.category in EARLY_CATEGORIES and r.rule.scope == "span"


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


_Found = tuple[frozenset[int], bool, tuple[int, ...]]
_NOTHING: _Found = (frozenset(), False, ())
_CONTEXT_LOWER = re.compile("[\u0130\u03a3]|\r(?!\n)")
"""What makes ``to_key`` or a line depend on more than the line: ``str.lower`` turns U+0130 into two
code points (``to_key`` then lowers by table, per chunk) and Σ by its neighbours; a lone CR ends a
line that ``re``'s ``^``/``$`` do not see."""


@dataclass
class LineCache:
    """One document's line texts (shadow, terminator included) and what ``scan`` found on each, kept
    across passes: a later pass sees the same lines but for what was removed, and scans only the
    lines it has not seen. Also what the document lacks (``lacks``)."""

    seen: dict[str, _Found] = field(default_factory=dict)
    """Line (not the first) → (rules hit, flagged, extra payloads)."""
    first: dict[str, _Found] = field(default_factory=dict)
    """The same for first lines (``(?<=\\n)`` fails there)."""
    lacks: dict[int, bool] = field(default_factory=dict)
    """Rule → whether the document lacks a character its pattern needs (``pattern_needs``): such a
    rule matches nowhere, in this pass or a later one (later passes only see less text)."""


def lacks(doc: LineCache, cr: CompiledRule, ri: int, sh: str) -> bool:
    """Whether the document (``sh``, its shadow in the first pass that asks) lacks a character the
    rule's pattern needs, so that the rule matches nowhere in it, in this pass or a later one."""
    got = doc.lacks.get(ri)
    if got is None:
        got = doc.lacks[ri] = not all(need.search(sh) for need in pattern_needs(cr.pattern.pattern, cr.pattern.flags))
    return got


def scan(
    m: Matcher,
    sh: str,
    starts: Sequence[int],
    stops: Sequence[int],
    cache: LineCache,
    *,
    extra: tuple[Any, Sequence[Sequence[int]], int] | None = None,
) -> Prefiltered:
    """Keyword hits and line-local prefilter hits per line of the shadow ``sh``, scanning only lines
    ``cache`` has not seen (in one string, so the automaton and each pattern run once, at C speed).

    ``extra`` is another automaton over the same keyed text with a payload per pattern and its
    longest key (the scorer's signal keywords): its hits come back in ``extra_hits``. Exact because
    every hit depends only on its line's text and whether it is the first (``is_line_local``); a
    text where that does not hold (``_CONTEXT_LOWER``) goes the way of ``prefilter``.
    """
    if not m.keys_local or not starts or _CONTEXT_LOWER.search(sh):
        return prefilter(m, sh, tuple(starts), sh)
    lines = [sh[a:b] for a, b in zip(starts, stops, strict=True)]
    seen = cache.seen
    todo = [i for i in range(1, len(lines)) if lines[i] not in seen]
    if lines[0] not in cache.first:
        todo.insert(0, 0)
    results: list[_Found] = []
    if todo:
        joined = sh
        at: Sequence[int] = starts
        if len(todo) < len(lines):
            # a blank first line stands in for the text before a line that is not the first
            parts = ([] if todo[0] == 0 else ["\n"]) + [lines[i] for i in todo]
            pos = [0]
            for t in parts[:-1]:
                pos.append(pos[-1] + len(t))
            joined, at = "".join(parts), pos
        found: dict[int, set[int]] = {}
        flag: set[int] = set()
        more: dict[int, set[int]] = {}
        if m.automaton is not None:
            for k, p in _keyword_hits(m, joined):
                j = bisect_right(at, p) - 1
                found.setdefault(j, set()).update(m.key_rules[k])
                if m.key_zoning[k]:
                    flag.add(j)
        for ri in m.local:
            pat = m.rules[ri].prefilter
            assert pat is not None
            if not all(need.search(joined) for need in m.needs[ri]) or lacks(cache, m.rules[ri], ri, sh):
                continue  # no hit possible here, or the rule matches nowhere in this document
            for hit in pat.finditer(joined):
                found.setdefault(bisect_right(at, hit.start()) - 1, set()).add(ri)
        if extra is not None and extra[0] is not None:
            for k, p in _chunked_hits(extra[0], extra[2], joined):
                more.setdefault(bisect_right(at, p) - 1, set()).update(extra[1][k])
        shift = 0 if len(todo) == len(lines) or todo[0] == 0 else 1  # the stand-in line
        results = [_NOTHING] * len(todo)
        for j in found.keys() | flag | more.keys():
            if j - shift >= 0:
                results[j - shift] = (frozenset(found.get(j, ())), j in flag, tuple(more.get(j, ())))
        start = 0
        if todo[0] == 0:
            cache.first[lines[0]] = results[0]
            start = 1
        seen.update(zip([lines[i] for i in todo[start:]], results[start:], strict=True))
    if len(todo) == len(lines):
        got = dict(enumerate(results))
    else:
        got = {0: cache.first[lines[0]]}
        got.update((i, seen[t]) for i, t in enumerate(lines) if i)
    hits: dict[int, set[int]] = {}
    flagged: set[int] = set()
    extra_hits: dict[int, set[int]] = {}
    for i, (rules, flags, payload) in got.items():
        if rules:
            hits[i] = set(rules)
        if flags:
            flagged.add(i)
        if payload:
            extra_hits[i] = set(payload)
    return Prefiltered(sh, hits, frozenset(flagged), True, extra_hits if extra is not None else None)


def _zone_ranges(layout: Layout, zones: frozenset[Zone], length: int) -> list[tuple[int, int]]:
    """Text ranges of the given zones, adjacent ones merged."""
    n = len(layout)
    cut = [0, layout.starts[layout.head_end] if layout.head_end < n else length,
           layout.starts[layout.tail_start] if layout.tail_start < n else length, length]
    out: list[tuple[int, int]] = []
    for k, z in enumerate(ZONES):
        lo, hi = cut[k], cut[k + 1]
        if z not in zones or hi <= lo:
            continue
        if out and out[-1][1] == lo:
            out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return out


def _pattern_hits(m: Matcher, sh: str, layout: Layout, rules: Iterable[int]) -> dict[int, set[int]]:
    """Line → rules whose ``prefilter`` pattern hits it, scanning only each rule's zones."""
    hits: dict[int, set[int]] = {}
    for ri in rules:
        pat = m.rules[ri].prefilter
        if pat is None:
            continue
        for lo, hi in _zone_ranges(layout, m.rules[ri].zones, len(sh)):
            for hit in pat.finditer(sh, lo, hi):
                hits.setdefault(bisect_right(layout.starts, hit.start()) - 1, set()).add(ri)
    return hits


@dataclass
class _Budget:
    """Time per rule that grows with the text the rule is given: ``regex_timeout`` to start
    with, plus ``regex_timeout_per_line`` and ``regex_timeout_per_char`` for every line it runs
    on. An honest pattern stays an order of magnitude under its allowance however big the
    document (so the same bytes give the same output on every run, also under load); a
    catastrophic one blows it on its first bad line."""

    limits: Limits
    strict: bool
    spent: dict[int, float]
    dead: set[int]
    notices: list[str]
    allowed: dict[int, float] = field(default_factory=dict)

    def grant(self, ri: int, chars: int) -> None:
        lim = self.limits
        base = self.allowed.get(ri, lim.regex_timeout)
        self.allowed[ri] = base + lim.regex_timeout_per_line + chars * lim.regex_timeout_per_char

    def timed_out(self, ri: int, rule_id: str, line: int) -> None:
        msg = f"rule-timeout: {rule_id} line {line + 1} (skipped for the rest of this document)"
        if self.strict:
            raise RuleTimeoutError(msg)
        self.dead.add(ri)
        self.notices.append(msg)

    def left(self, ri: int) -> float:
        return self.allowed.get(ri, self.limits.regex_timeout) - self.spent.get(ri, 0.0)


def run_rules(
    m: Matcher,
    text: str,
    layout: Layout,
    pre: Prefiltered,
    limits: Limits = DEFAULT_LIMITS,
    *,
    strict: bool = False,
    only: Iterable[str] | None = None,
    early: bool | None = None,
    dead: set[str] | None = None,
    doc: LineCache | None = None,
) -> tuple[list[Candidate], list[str]]:
    """Run the patterns of prefilter-hit rules on their lines; ``only`` restricts to rule ids,
    ``early`` to the early rules (``True``, see ``is_early``) or to the others (``False``).
    ``dead`` holds the ids of rules that ran out of time on this document: skipped, and added to.
    ``doc``: the document's ``LineCache``, to skip the rules it lacks a character for (``lacks``)."""
    budget = _Budget(limits, strict, {}, set(), [])
    dead = set() if dead is None else dead  # rules out of time for this document, across passes
    every = set(range(len(m.rules)))
    eligible = every if early is None else set(m.early) if early else every - m.early
    if only is not None:
        wanted = set(only)
        eligible = {ri for ri in eligible if m.rules[ri].id in wanted}
    if dead:
        eligible = {ri for ri in eligible if m.rules[ri].id not in dead}
    work = pre.hits
    scanned = set(m.local) if pre.local else set()
    pattern_hits = _pattern_hits(m, pre.shadow, layout, (set(m.prefiltered) - scanned) & eligible)
    if pattern_hits:
        work = {i: set(v) for i, v in pre.hits.items()}
        for i, v in pattern_hits.items():
            work.setdefault(i, set()).update(v)
    if m.always:
        always = set(m.always) & eligible
        if always:
            work = {i: set(v) for i, v in work.items()}
            for i in range(len(layout)):
                work.setdefault(i, set()).update(always)
    out: list[Candidate] = []
    for i in sorted(work):
        todo = work[i] & eligible
        if not todo:
            continue
        zone = layout.zone(i)
        for ri in todo:
            cr = m.rules[ri]
            if zone not in cr.zones or ri in budget.dead or (doc is not None and lacks(doc, cr, ri, pre.shadow)):
                continue
            budget.grant(ri, layout.ends[i] - layout.starts[i])
            left = budget.left(ri)
            t0 = time.thread_time()  # CPU time: a loaded machine must not make a rule run out of budget
            try:
                out.extend(_apply(m, cr, text=text, sh=pre.shadow, layout=layout, i=i, timeout=left))
            except TimeoutError:
                budget.timed_out(ri, cr.id, i)
                continue
            spent = time.thread_time() - t0
            budget.spent[ri] = budget.spent.get(ri, 0.0) + spent
            if spent >= left:
                budget.timed_out(ri, cr.id, i)
    dead.update(m.rules[ri].id for ri in budget.dead)
    return out, budget.notices


FOLLOW_LINES = 3
"""How far ``followed_by`` looks for the next non-blank line."""


def _next_line_matches(pat: regex.Pattern[str], sh: str, layout: Layout, i: int, timeout: float) -> bool:
    for j in range(i + 1, min(len(layout), i + 1 + FOLLOW_LINES)):
        if sh[layout.starts[j] : layout.ends[j]].strip():
            return pat.search(sh, layout.starts[j], layout.ends[j], timeout=timeout) is not None
    return False


def _allowed(m: Matcher, cr: CompiledRule, sh: str, span: tuple[int, int], timeout: float) -> bool:
    """A rule's own ``allow`` patterns veto it; the pack's ``[[allow]]`` protect lines from every rule
    but the invisible ones: a zero-width fingerprint inside a protected 第…条 line is no text."""
    pack_allow = () if cr.rule.category in EARLY_CATEGORIES else m.allow
    return any(a.search(sh, span[0], span[1], timeout=timeout) for a in (*cr.allow, *pack_allow))


def _apply(
    m: Matcher, cr: CompiledRule, *, text: str, sh: str, layout: Layout, i: int, timeout: float
) -> list[Candidate]:
    """Candidates of one rule on line ``i``; ``sh`` is the shadow of the whole text (hot path:
    called once per candidate line and rule, so no closures)."""
    r = cr.rule
    start, end = layout.starts[i], layout.ends[i]
    timeout = max(timeout, 1e-3)
    if r.scope == "span":
        spans = [hit.span() for hit in cr.pattern.finditer(sh, start, end, timeout=timeout)]
        spans = [(s, e) for s, e in spans if e > s]
        if not spans or _allowed(m, cr, sh, (start, end), timeout):
            return []
        zone = layout.zone(i)
        return [
            Candidate(layout.ends[i - 1] if (r.join_previous and s == start and i) else s, e, r.id, r.category, i,
                      zone, "span", r.priority, r.anchor)
            for s, e in spans
        ]
    if r.max_chars and end - start > r.max_chars and len(text[start:end].strip()) > r.max_chars:
        return []
    if cr.pattern.search(sh, start, end, timeout=timeout) is None or _allowed(m, cr, sh, (start, end), timeout):
        return []
    if cr.followed_by is not None and not _next_line_matches(cr.followed_by, sh, layout, i, timeout):
        return []
    last = i
    if cr.block_end is not None and r.block is not None:
        last = -1
        for j in range(i + 1, min(len(layout), i + 1 + r.block.max_lines)):
            if cr.block_end.search(sh, layout.starts[j], layout.ends[j], timeout=timeout):
                last = j
                break
        if last < 0:
            if r.block.require_end:
                return []
            last = i
    action: Action = "line" if last == i else "block"
    return [
        Candidate(layout.starts[k], layout.stops[k], r.id, r.category, k, layout.zone(k), action, r.priority, r.anchor)
        for k in range(i, last + 1)
    ]


__all__ = [
    "EARLY_CATEGORIES", "LineCache", "Matcher", "Prefiltered", "build_matcher", "is_early", "is_line_local", "lacks",
    "matcher_of", "pattern_needs", "prefilter", "required_chars", "run_rules", "scan",
]
