"""A pack's rules ready to run (``Matcher``): the keyword automaton and what each keyword selects,
the rules with prefilters, and what the pattern analysis (``patterns``) says about each rule."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import ahocorasick_rs
import regex

from ..model import ZONES, Zone
from ..rules import RulePack
from ..rules.compile import CompiledRule, compile_pattern, keyword_key
from .multiscan import LineScanner, line_scanner
from .patterns import class_set, is_line_local, lines_seen, pattern_needs, required_chars, stays_on_line
from .quick import quick_form, starts_form

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
    keys: tuple[str, ...] = ()
    """The keyword keys, in automaton pattern order."""
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
    need_sets: tuple[tuple[frozenset[str], ...], ...] = ()
    """Per rule, the ``needs`` that are plain classes, as sets (``class_set``): a short text whose set
    of characters misses one holds no hit of the prefilter, which is then not run at all."""
    quick: tuple[tuple[re.Pattern[str], bool, int] | None, ...] = ()
    """Per rule, the ``quick_form`` of its line-local prefilter: what ``scan`` runs instead."""
    in_zone: dict[tuple[bool | None, Zone], frozenset[int]] = field(default_factory=dict)
    """(``early`` as ``run_rules`` takes it, zone) → the rules that run there in such a pass."""
    reach: tuple[int | None, ...] = ()
    """Per rule, ``lines_seen`` of its pattern: how many lines before its own a match depends on."""
    joinable: frozenset[int] = frozenset()
    """Rules whose pattern ``stays_on_line``: the lines it matches are found in one ``finditer``."""
    starts: tuple[re.Pattern[str] | None, ...] = ()
    """Per rule, the ``starts_form`` of a prefilter that is not line-local: ``run_rules`` finds where
    the prefilter can match with it and replays ``finditer`` from there."""
    eligible: dict[tuple[bool | None, bool], tuple[frozenset[int], frozenset[int]]] = field(default_factory=dict)
    """(``early`` as ``run_rules`` takes it, whether ``scan`` found the line-local prefilters) → the
    rules of any zone in such a pass, and those of them with a prefilter ``run_rules`` scans per zone:
    set operations over ~400 rules that every pass of every document would repeat (~30 µs)."""
    multi: LineScanner | None = None
    """The line-local prefilters Hyperscan can take (``multiscan``, the ``fast`` extra): ``scan``
    finds their lines in one pass instead of one ``re`` pass each."""


def build_matcher(pack: RulePack) -> Matcher:
    m = matcher_of(pack.compiled(), tuple(compile_pattern(a, (), "[[allow]]") for a in pack.allow))
    return replace(m, multi=line_scanner([(ri, p) for ri in m.local if (p := m.rules[ri].prefilter) is not None]))


def matcher_of(rules: tuple[CompiledRule, ...], allow: tuple[regex.Pattern[str], ...] = ()) -> Matcher:
    """A matcher over some compiled rules: a pack's, or one rule's (``check.py`` runs a rule's
    examples through it, so an example passes only where the rule really fires)."""
    by_key: dict[str, list[int]] = {}
    shape: list[tuple[int | None, bool]] = []
    for i, r in enumerate(rules):
        for k in r.rule.keywords:
            by_key.setdefault(keyword_key(k), []).append(i)
        # the three analyses of a rule's parsed pattern in a row (the parse is kept for one rule
        # only); the needs are read here once, not in a document's time
        p = r.pattern
        pattern_needs(p.pattern, p.flags)
        shape.append((lines_seen(p.pattern, p.flags), stays_on_line(p.pattern, p.flags)))
    keys = sorted(by_key)
    local = {i for i, r in enumerate(rules) if r.prefilter is not None and is_line_local(r.prefilter)}
    in_zone = {
        (e, z): frozenset(i for i, r in enumerate(rules) if z in r.zones and (e is None or is_early(r) == e))
        for e in (None, True, False) for z in ZONES
    }
    prefiltered = tuple(i for i, r in enumerate(rules) if r.prefilter is not None)
    needs = tuple(() if r.prefilter is None else required_chars(r.prefilter) for r in rules)
    return Matcher(
        rules=rules,
        automaton=ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard) if keys else None,
        key_rules=tuple(frozenset(by_key[k]) for k in keys),
        key_zoning=tuple(
            len(k) >= ZONING_MIN_KEY and any(rules[i].rule.scope != "span" for i in by_key[k]) for k in keys
        ),
        prefiltered=prefiltered,
        always=tuple(i for i, r in enumerate(rules) if not r.rule.keywords and r.prefilter is None),
        allow=allow,
        caps={r.id: r.rule.max_per_doc for r in rules if r.rule.max_per_doc},
        keys=tuple(keys),
        key_max=max(map(len, keys), default=0),
        local=tuple(sorted(local)),
        keys_local=not any("\n" in k or "\r" in k for k in keys),
        early=frozenset(i for i, r in enumerate(rules) if is_early(r)),
        needs=needs,
        need_sets=tuple(tuple(s for s in map(class_set, n) if s is not None) for n in needs),
        quick=tuple(quick_form(r.prefilter) if i in local and r.prefilter else None for i, r in enumerate(rules)),
        in_zone=in_zone,
        reach=tuple(s for s, _ in shape),
        joinable=frozenset(i for i, (_, on_line) in enumerate(shape) if on_line),
        starts=tuple(starts_form(r.prefilter) if i not in local and r.prefilter else None
                     for i, r in enumerate(rules)),
        eligible={(e, scanned): pass_rules({z: in_zone[e, z] for z in ZONES}, prefiltered,
                                           tuple(sorted(local)) if scanned else ())
                  for e in (None, True, False) for scanned in (False, True)},
    )


def pass_rules(
    in_zone: Mapping[Zone, frozenset[int]], prefiltered: tuple[int, ...], scanned: tuple[int, ...]
) -> tuple[frozenset[int], frozenset[int]]:
    """The rules of one pass (``in_zone``: zone → the rules it runs), and those with a prefilter not
    in ``scanned`` (the line-local ones, when ``scan`` found their hits): ``Matcher.eligible`` keeps
    it per pass; ``run_rules`` computes it when ``only`` or timed-out rules narrow the pass."""
    every = in_zone["head"] | in_zone["body"] | in_zone["tail"]
    return every, every.intersection(prefiltered).difference(scanned)


EARLY_CATEGORIES = frozenset({"invisible"})
"""Span rules of these categories run first, and the other rules run on the text without what they
matched: a zero-width mark inside ``仅供\u200b学习`` must not hide the advert line from its rule,
or cleaning the output again would find it (cleaning must be idempotent). engine.py maps the
second pass's offsets back to the original."""


def is_early(r: CompiledRule) -> bool:
    """Invisible marks removed as spans run in the first pass; line rules (a hidden-text line)
    run with the others, so that every pass weighs the same line rules against the caps."""
    return r.rule.category in EARLY_CATEGORIES and r.rule.scope == "span"


__all__ = ["EARLY_CATEGORIES", "ZONING_MIN_KEY", "Matcher", "build_matcher", "is_early", "matcher_of", "pass_rules"]
