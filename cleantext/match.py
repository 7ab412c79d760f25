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

import time
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ahocorasick_rs
import regex

from .config import DEFAULT_LIMITS, Limits
from .errors import RuleTimeoutError
from .model import ZONES, Action, Candidate, Layout, Zone
from .rules import RulePack
from .rules.compile import CompiledRule, compile_pattern, keyword_key
from .rules.shadow import shadow, to_key


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
        key_zoning=tuple(any(rules[i].rule.scope != "span" for i in by_key[k]) for k in keys),
        prefiltered=tuple(i for i, r in enumerate(rules) if r.prefilter is not None),
        always=tuple(i for i, r in enumerate(rules) if not r.rule.keywords and r.prefilter is None),
        allow=allow,
        caps={r.id: r.rule.max_per_doc for r in rules if r.rule.max_per_doc},
        key_max=max(map(len, keys), default=0),
    )


@dataclass(frozen=True, slots=True)
class Prefiltered:
    """What the prefilter found: the shadow, rule candidates per line, lines that look like adverts."""

    shadow: str
    hits: dict[int, set[int]]
    flagged: frozenset[int]
    """Lines with a keyword of a line or block rule: such lines never start the body zone.
    Span rules' keywords (zero-width characters, junk punctuation) do not flag a line."""


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
    ov = max(m.key_max - 1, 0)
    for a in range(0, len(sh), KEY_CHUNK):
        lo = max(a - ov, 0)
        for k, s, e in m.automaton.find_matches_as_indexes(to_key(sh[lo : a + KEY_CHUNK]), overlapping=True):
            if lo + e > a:
                yield k, lo + s


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
) -> tuple[list[Candidate], list[str]]:
    """Run the patterns of prefilter-hit rules on their lines; ``only`` restricts to rule ids,
    ``early`` to the early rules (``True``, see ``is_early``) or to the others (``False``).
    ``dead`` holds the ids of rules that ran out of time on this document: skipped, and added to."""
    budget = _Budget(limits, strict, {}, set(), [])
    wanted = {r.id for r in m.rules} if only is None else set(only)
    dead = set() if dead is None else dead  # rules out of time for this document, across passes
    eligible = {
        ri for ri, r in enumerate(m.rules)
        if r.id in wanted and r.id not in dead and (early is None or is_early(r) == early)
    }
    work = pre.hits
    pattern_hits = _pattern_hits(m, pre.shadow, layout, set(m.prefiltered) & eligible)
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
            if zone not in cr.zones or ri in budget.dead:
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
    "EARLY_CATEGORIES", "Matcher", "Prefiltered", "build_matcher", "is_early", "matcher_of", "prefilter", "run_rules",
]
