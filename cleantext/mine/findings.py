"""From counts to findings: a template's pattern, keywords, zones and score, what leaves it out,
and examples checked through the real matching path."""

from __future__ import annotations

import math
from dataclasses import replace

import regex

from ..check import one_rule_matcher, removing_zone, run_examples
from ..engine import Cleaner
from ..errors import RulePackError
from ..model import ZoneSpec
from ..rules.compile import compile_rule
from ..rules.definitions import Rule
from ..rules.shadow import shadow
from .counting import _Stat, _Table
from .results import Finding, Positions
from .templates import _BODY_SHAPES, _SLOT, _WORDY, render_template


def _pattern(st: _Stat) -> str:
    body: list[str] = []
    slots = iter(st.slots)
    for p in st.parts:
        if p.startswith(_SLOT):
            body.append(next(slots).regex(p[1:]))
        elif p == " ":
            body.append(r"[^\S\n]+")
        else:
            body.append(regex.escape(p))
    return r"^[^\S\n]*" + "".join(body) + r"[^\S\n]*$"


def _keywords(st: _Stat) -> tuple[str, ...]:
    """The longest literal run (a one-valued slot counts): every matching line contains it, so it
    is a safe prefilter, and it flags the line as advert-like when zones are drawn."""
    pieces: list[str] = []
    slots = iter(st.slots)
    for p in st.parts:
        if p.startswith(_SLOT):
            s = next(slots)
            pieces.append(next(iter(s.values)) if len(s.values) == 1 and not s.overflow else "")
        elif p != " ":
            pieces.append(p)
    best = max(pieces, key=len, default="")
    return (best,) if len(best.strip()) >= 2 and best == best.strip() else ()


def _zones(p: Positions, occ: int) -> tuple[ZoneSpec, ...]:
    zones: list[ZoneSpec] = []
    for z in ("head", "body", "tail"):
        n = getattr(p, z)
        if n and n >= 0.05 * occ:
            zones.append(z)
    if zones == ["head", "body", "tail"]:
        return ("any",)
    return tuple(zones) or ("head", "tail")


def _where(p: Positions, occ: int) -> str:
    zone = max(("head", "body", "tail"), key=lambda z: getattr(p, z))
    bits = [{"head": "at the head", "body": "in the body", "tail": "at the tail"}[zone]]
    if p.near_break >= occ / 3:
        bits.append("next to page breaks")
    if p.near_removed >= occ / 3:
        bits.append("next to lines the packs remove")
    return ", ".join(bits)


def _body_reason(sh: str) -> str:
    for name, pat in _BODY_SHAPES:
        if pat.search(sh):
            return f"body text: {name}"
    return ""


def _has_slot(st: _Stat, kind: str) -> bool:
    return _SLOT + kind in st.parts


def _score(st: _Stat, p: Positions, docs: int) -> float:
    """Document frequency, position, shape and the packs' signals, each in [0, 1]."""
    occ = st.occ
    varying = any(s.overflow or len(s.values) > 1 for s in st.slots)
    shape = 0.5 * varying + 0.5 * _has_slot(st, "URL")
    return (0.35 * math.sqrt(st.distinct / max(1, docs)) + 0.25 * p.placed / occ + 0.15 * p.edge / occ
            + 0.15 * shape + 0.10 * min(1.0, (p.signal + p.near_removed) / occ))


def _findings(table: _Table, cleaner: Cleaner, *, docs: int, min_docs: int, bodies: list[str],
              max_rules: int) -> tuple[list[Finding], list[Finding]]:
    """Proposed findings (best score first, each checked against its examples) and the templates
    left out, for every template in at least ``min_docs`` distinct documents. Lines of left-out
    body templates (同志们：) join the ``no_match`` material: the lines a rule most needs to spare."""
    proposed: list[Finding] = []
    left: list[Finding] = []
    body_lines = list(bodies)
    considered = sorted((st for st in table.stats.values() if st.distinct >= min_docs),
                        key=lambda s: (-s.distinct, s.first))
    drafts: list[tuple[_Stat, Positions, float, str]] = []
    for st in considered:
        p = Positions(*st.pos)
        score = _score(st, p, docs)
        reason = _leave_out(st, p)
        if reason.startswith("body text"):
            body_lines.extend(st.examples[:1])
        drafts.append((st, p, score, reason))
    allows = cleaner.matcher.allow
    for st, p, score, reason in sorted(drafts, key=lambda d: (-d[2], d[0].first)):
        pattern = _pattern(st)
        base = Finding(render_template(st.parts), pattern, _keywords(st), st.distinct, st.docs, st.occ, p,
                       _zones(p, st.occ), tuple(st.examples), (), score, False, reason)
        if reason:
            left.append(base)
            continue
        if any(a.search(shadow(e)) for a in allows for e in st.examples):
            left.append(replace(base, reason="protected by the packs' allow list"))
            continue
        if len(proposed) >= max_rules:
            left.append(replace(base, reason=f"beyond --max-rules {max_rules}"))
            continue
        n = len(proposed) + 1
        zone_word = "any" if base.zones == ("any",) else "-".join(z for z in base.zones)
        rid = f"mined.{zone_word}-{n:03d}"
        pct = 100 * st.distinct / max(1, docs)
        copies = f" ({st.docs} with copies)" if st.docs != st.distinct else ""
        desc = f"in {st.distinct} of {docs} documents{copies} ({pct:.0f} %), {_where(p, st.occ)}: {base.template}"
        cand = replace(base, rule_id=rid, description=desc, proposed=True)
        checked = _with_examples(cand, body_lines)
        if checked is None:
            left.append(replace(base, reason="the pattern failed its own examples"))
        else:
            proposed.append(checked)
    return proposed, left


def _leave_out(st: _Stat, p: Positions) -> str:
    """Why a template must not become a rule ("" if it may); the first reason that holds, cheapest
    and surest first (a false positive costs body text, a miss only a line of furniture)."""
    occ = st.occ
    if not st.examples:
        return "no line of it can be written to a pack (lone surrogates)"
    if p.removed * 2 >= occ:
        rid = max(st.removed_by, key=lambda k: st.removed_by[k])
        return f"already removed by the packs: {rid} ({p.removed} of {occ} lines)"
    reason = _body_reason(shadow(st.examples[0]))
    if reason:
        return reason
    if not any(_WORDY.search(x) for x in st.parts if not x.startswith(_SLOT)):
        return "no words of its own (only numbers, dates or links: a table cell, a page number)"
    if p.prose * 2 >= occ and not _has_slot(st, "URL") and p.signal * 2 < occ:
        return f"body text: reads as prose ({p.prose} of {occ} lines are sentences)"
    if p.among_body * 2 >= occ or p.placed < 0.6 * occ:
        return f"body text: sits among body lines ({p.placed} of {occ} lines at the head, tail or next to furniture)"
    return ""


def _with_examples(f: Finding, body_lines: list[str]) -> Finding | None:
    """Add ``no_match`` examples from the corpus and run every example as check-pack will."""
    rule = Rule(id=f.rule_id, category="mined", pattern=f.pattern, keywords=f.keywords, zone=f.zones,
                examples_match=f.examples)
    try:
        compiled = compile_rule(rule)
    except RulePackError:
        return None
    if not all(r.ok for r in run_examples(compiled)):
        return None
    kw = f.keywords[0] if f.keywords else None
    ranked = sorted(dict.fromkeys(body_lines), key=lambda s: kw is None or kw not in shadow(s))
    m = one_rule_matcher(compiled)
    no_match: list[str] = []
    for line in ranked:
        if len(no_match) >= 3:
            break
        try:
            if removing_zone(m, line) is None:
                no_match.append(line)
        except TimeoutError:
            continue
    return replace(f, no_match=tuple(no_match))
