"""Stage ③: prefilter + patterns under a time budget → Candidates.

One combined keyword alternation runs over the whole text (``re``, the fastest scan measured);
its hits are mapped to lines by bisecting line starts. Full ``regex`` patterns then run only on
candidate lines in the rule's zones, on the shadow (rules/shadow.py) of a window made of the
previous line and the candidate line, so lookbehinds can see one line of context while matches
start on the candidate line. Each rule has a per-document time budget; a rule that runs out is
skipped for the rest of the document and a ``rule-timeout`` notice says where.
"""

from __future__ import annotations

import re
import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

import regex

from .config import DEFAULT_LIMITS, Limits
from .errors import RuleTimeoutError
from .model import Candidate, Layout
from .rules import RulePack
from .rules.compile import CompiledRule, compile_pattern, keyword_key, keyword_regex
from .rules.shadow import shadow


@dataclass(frozen=True, slots=True)
class Matcher:
    """A pack's rules ready to run: keyword index and compiled patterns."""

    rules: tuple[CompiledRule, ...]
    keyword_re: re.Pattern[str] | None
    by_key: dict[str, tuple[int, ...]]
    always: tuple[int, ...]
    """Rules without keywords: tried on every line of their zones."""
    allow: tuple[regex.Pattern[str], ...]


def build_matcher(pack: RulePack) -> Matcher:
    rules = pack.compiled()
    by_key: dict[str, list[int]] = {}
    for i, r in enumerate(rules):
        for k in r.rule.keywords:
            by_key.setdefault(keyword_key(k), []).append(i)
    keywords = {k for r in rules for k in r.rule.keywords}
    return Matcher(
        rules=rules,
        keyword_re=keyword_regex(keywords),
        by_key={k: tuple(v) for k, v in by_key.items()},
        always=tuple(i for i, r in enumerate(rules) if not r.rule.keywords),
        allow=tuple(compile_pattern(a, (), "[[allow]]") for a in pack.allow),
    )


def prefilter(m: Matcher, text: str, starts: tuple[int, ...]) -> dict[int, set[int]]:
    """Line index → indices of rules whose keywords occur on that line."""
    hits: dict[int, set[int]] = {}
    if m.keyword_re is None or not starts:
        return hits
    for hit in m.keyword_re.finditer(text):
        idx = m.by_key.get(keyword_key(hit.group()))
        if idx:
            hits.setdefault(bisect_right(starts, hit.start()) - 1, set()).update(idx)
    return hits


@dataclass
class _Budget:
    limits: Limits
    strict: bool
    spent: dict[int, float]
    dead: set[int]
    notices: list[str]

    def timed_out(self, ri: int, rule_id: str, line: int) -> None:
        msg = f"rule-timeout: {rule_id} line {line + 1} (skipped for the rest of this document)"
        if self.strict:
            raise RuleTimeoutError(msg)
        self.dead.add(ri)
        self.notices.append(msg)

    def left(self, ri: int) -> float:
        return self.limits.regex_timeout - self.spent.get(ri, 0.0)


def run_rules(
    m: Matcher,
    text: str,
    layout: Layout,
    hits: dict[int, set[int]],
    limits: Limits = DEFAULT_LIMITS,
    *,
    strict: bool = False,
    only: Iterable[str] | None = None,
) -> tuple[list[Candidate], list[str]]:
    """Run the patterns of prefilter-hit rules on their lines; ``only`` restricts to rule ids."""
    budget = _Budget(limits, strict, {}, set(), [])
    wanted = None if only is None else set(only)
    work: dict[int, set[int]] = {i: set(v) for i, v in hits.items()}
    if m.always:
        for i in range(len(layout)):
            work.setdefault(i, set()).update(m.always)
    out: list[Candidate] = []
    for i in sorted(work):
        zone = layout.zone(i)
        ws = layout.starts[i - 1] if i else layout.starts[i]
        off = layout.starts[i] - ws
        sh: str | None = None
        for ri in sorted(work[i]):
            cr = m.rules[ri]
            if zone not in cr.zones or ri in budget.dead or (wanted is not None and cr.id not in wanted):
                continue
            if sh is None:
                sh = shadow(text[ws : layout.ends[i]])
            t0 = time.perf_counter()
            try:
                out.extend(_apply(m, cr, text=text, layout=layout, i=i, sh=sh, off=off, timeout=budget.left(ri)))
            except TimeoutError:
                budget.timed_out(ri, cr.id, i)
            finally:
                budget.spent[ri] = budget.spent.get(ri, 0.0) + time.perf_counter() - t0
            if budget.left(ri) <= 0 and ri not in budget.dead:
                budget.timed_out(ri, cr.id, i)
    return out, budget.notices


def _allowed(m: Matcher, cr: CompiledRule, sh: str, off: int, timeout: float) -> bool:
    return any(a.search(sh, off, timeout=timeout) for a in (*cr.allow, *m.allow))


def _apply(
    m: Matcher, cr: CompiledRule, *, text: str, layout: Layout, i: int, sh: str, off: int, timeout: float
) -> list[Candidate]:
    """Candidates of one rule on line ``i``; ``sh`` is the shadow window, ``off`` the line in it."""
    r = cr.rule
    zone = layout.zone(i)
    start, end, stop = layout.starts[i], layout.ends[i], layout.stops[i]
    timeout = max(timeout, 1e-3)

    def cand(s: int, e: int, line: int, action: str) -> Candidate:
        return Candidate(s, e, r.id, r.category, line, layout.zone(line), action, r.priority, r.anchor)  # type: ignore[arg-type]

    if r.scope == "span":
        found = []
        for hit in cr.pattern.finditer(sh, off, len(sh), timeout=timeout):
            s, e = hit.span()
            if e <= s:
                continue
            s0 = layout.ends[i - 1] if (r.join_previous and s == off and i) else start + s - off
            found.append(cand(s0, start + e - off, i, "span"))
        if found and _allowed(m, cr, sh, off, timeout):
            return []
        return found
    if r.max_chars and len(text[start:end].strip()) > r.max_chars:
        return []
    if cr.pattern.search(sh, off, len(sh), timeout=timeout) is None or _allowed(m, cr, sh, off, timeout):
        return []
    if r.scope == "line" or cr.block_end is None or r.block is None:
        return [Candidate(start, stop, r.id, r.category, i, zone, "line", r.priority, r.anchor)]
    last = min(len(layout), i + 1 + r.block.max_lines)
    for j in range(i + 1, last):
        line_j = shadow(text[layout.starts[j] : layout.ends[j]])
        if cr.block_end.search(line_j, timeout=timeout):
            return [cand(layout.starts[k], layout.stops[k], k, "block") for k in range(i, j + 1)]
    return [Candidate(start, stop, r.id, r.category, i, zone, "line", r.priority, r.anchor)]


__all__ = ["Matcher", "build_matcher", "prefilter", "run_rules"]
