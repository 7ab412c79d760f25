"""Rule patterns on their candidate lines, under a per-rule time budget → Candidates."""

from __future__ import annotations

import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field
from itertools import accumulate

import regex

from ..config import DEFAULT_LIMITS, Limits
from ..errors import RuleTimeoutError
from ..model import ZONES, Action, Candidate, Layout, Zone, notice
from ..rules.compile import CompiledRule
from .linescan import LineCache, Prefiltered, lacks, lines_holding
from .matcher import EARLY_CATEGORIES, Matcher, pass_rules
from .patterns import holds, pattern_needs
from .quick import at_line_start


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
    ranges_of: dict[frozenset[Zone], list[tuple[int, int]]] = {}  # the rules share a few zone sets
    for ri in rules:
        pat = m.rules[ri].prefilter
        if pat is None or (m.needs and not all(holds(sh, need) for need in m.needs[ri])):
            continue  # no prefilter, or ``sh`` lacks a character every hit needs
        fast = m.starts[ri] if m.starts else None
        zones = m.rules[ri].zones
        ranges = ranges_of.get(zones)
        if ranges is None:
            ranges = ranges_of[zones] = _zone_ranges(layout, zones, len(sh))
        for lo, hi in ranges:
            ats = _at_line_starts(pat, sh, layout.starts, lo, hi) if at_line_start(pat) else None
            if ats is None and fast is not None:
                ats = _replayed(pat, fast, sh, lo, hi)
            if ats is None:
                ats = [hit.start() for hit in pat.finditer(sh, lo, hi)]
            for at in ats:
                hits.setdefault(bisect_right(layout.starts, at) - 1, set()).add(ri)
    return hits


def _replayed(pat: re.Pattern[str], fast: re.Pattern[str], sh: str, lo: int, hi: int) -> list[int] | None:
    """The starts of ``pat.finditer(sh, lo, hi)``, from ``fast`` (``starts_form``: every position in
    ``[lo, hi)`` where ``pat`` matches, in order): ``finditer`` takes the first of them, goes on from
    the end of that match (never empty), and takes the next one there or after. ``None`` if ``fast``
    broke that promise (then ``finditer`` it is)."""
    out: list[int] = []
    end = lo
    for hit in fast.finditer(sh, lo, hi):
        at = hit.start()
        if at >= end:
            got = pat.match(sh, at, hi)
            if got is None or got.end() <= at:
                return None
            out.append(at)
            end = got.end()
    return out


def _at_line_starts(pat: re.Pattern[str], sh: str, starts: tuple[int, ...], lo: int, hi: int) -> list[int] | None:
    """The starts of ``pat.finditer(sh, lo, hi)`` for a pattern that matches only at a line start
    (``at_line_start``), trying ``pat.match`` at the line starts ``starts`` in ``[lo, hi]`` (a superset
    of where ``^`` or ``(?<=\\n)`` holds: ``split_lines`` also cuts at a lone CR) instead of at every
    position, the same replay as ``_replayed``. ``None`` (then ``finditer``) when a match is empty, or
    when the lines are so short that a call per line costs more than ``re``'s scan."""
    first, last = bisect_left(starts, lo), bisect_right(starts, hi)
    if (last - first) * LINE_START_CHARS > hi - lo:
        return None
    tries = list(starts[first:last])
    if hi not in tries and (hi == 0 or sh[hi - 1] == "\n"):
        tries.append(hi)  # where ``^`` holds past the last line start (an empty match is possible there)
    out: list[int] = []
    end = lo
    for at in tries:
        if at < end:
            continue
        got = pat.match(sh, at, hi)
        if got is None:
            continue
        if got.end() <= at:
            return None
        out.append(at)
        end = got.end()
    return out


LINE_START_CHARS = 16
"""``_at_line_starts`` is used when the zone has at least this many characters per line: a ``match``
call costs about as much as ``re`` trying that many positions."""


def _merged(work: Mapping[int, Set[int]], more: Iterable[tuple[int, Set[int]]]) -> dict[int, Set[int]]:
    """``work`` with ``more`` rules on some lines, in new sets only where a line gets more."""
    out = dict(work)
    for i, v in more:
        got = out.get(i)
        out[i] = v if got is None else got | v
    return out


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
        msg = notice("rule-timeout", f"{rule_id} line {line + 1} (skipped for the rest of this document)")
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
    in_zone = {z: m.in_zone[early, z] for z in ZONES}  # the rules each zone runs in this pass
    scanned = m.local if pre.local else ()
    if only is not None or dead or not m.eligible:
        if only is not None or dead:
            wanted = None if only is None else set(only)
            keep = {ri for ri in range(len(m.rules))
                    if (wanted is None or m.rules[ri].id in wanted) and m.rules[ri].id not in dead}
            in_zone = {z: rules & keep for z, rules in in_zone.items()}
        eligible, zoned = pass_rules(in_zone, m.prefiltered, scanned)
    else:
        eligible, zoned = m.eligible[early, pre.local]
    work: Mapping[int, Set[int]] = pre.hits  # shared with the scan's cache: merged into new sets, never changed
    pattern_hits = _pattern_hits(m, pre.shadow, layout, zoned)
    if pattern_hits:
        work = _merged(work, pattern_hits.items())
    if m.always:
        always = eligible.intersection(m.always)
        if always:
            work = _merged(work, ((i, always) for i in range(len(layout))))
    sh = pre.shadow
    starts, ends = layout.starts, layout.ends
    # Rule by rule, its candidate lines in order: the candidates of one rule come out in line order
    # (resolve breaks ties between a rule's own candidates by that order, and sorts the rest).
    lines_of: dict[int, list[int]] = {}
    head_end, tail_start = layout.head_end, layout.tail_start  # ``layout.zone`` inlined: a call per line
    head, body, tail = in_zone["head"], in_zone["body"], in_zone["tail"]
    for i in sorted(work):
        for ri in work[i] & (head if i < head_end else tail if i >= tail_start else body):
            lines_of.setdefault(ri, []).append(i)
    texts = pre.texts if "\r" not in sh else None  # lines ending in CRLF are joined by LF
    out: list[Candidate] = []
    for ri, of_rule in lines_of.items():
        cr = m.rules[ri]
        lines = of_rule
        if cr.rule.max_chars and cr.rule.scope != "span":
            # ``_apply`` drops a line longer than ``max_chars`` (stripped) before its pattern counts, so
            # the pattern need not run there (long prose lines with a keyword were most of what the
            # costliest patterns searched); the length alone decides most lines, without a call
            most = cr.rule.max_chars
            lines = [i for i in lines if ends[i] - starts[i] <= most or _fits(text, starts[i], ends[i], most)]
            if not lines:
                continue  # before ``lacks``, which costs more: most such rules' lines are too long
        if doc is not None and lacks(doc, cr, ri, sh):
            continue
        matched: set[int] | None = None
        if len(lines) >= BATCH_LINES:
            joined = ri in m.joinable
            reach = m.reach[ri] if m.reach else None
            short = len(sh) <= NEAR_TEXT
            near = lines if reach is None or (joined and not short) else _near_needs(
                cr, sh, layout, lines, reach, pre.counts, scripts=short)
            if not near:
                matched = set()
            elif joined and doc is not None and texts is not None:
                matched = _lines_known(cr.pattern, sh, layout, near, limits, texts, doc.matched.setdefault(ri, {}))
            else:
                matched = _lines_matched(cr.pattern, sh, layout, near, limits, joined, texts)
        for i in lines if matched is None else sorted(matched):
            budget.grant(ri, ends[i] - starts[i])
            left = budget.left(ri)
            t0 = time.thread_time()  # CPU time: a loaded machine must not make a rule run out of budget
            try:
                out.extend(_apply(m, cr, text=text, sh=sh, layout=layout, i=i, timeout=left, found=matched is not None))
            except TimeoutError:
                budget.timed_out(ri, cr.id, i)
                break
            spent = time.thread_time() - t0
            budget.spent[ri] = budget.spent.get(ri, 0.0) + spent
            if spent >= left:
                budget.timed_out(ri, cr.id, i)
                break
    dead.update(m.rules[ri].id for ri in budget.dead)
    return out, budget.notices


def _fits(text: str, start: int, end: int, most: int) -> bool:
    """Whether the line ``text[start:end]``, stripped, is at most ``most`` characters (a rule's
    ``max_chars``): the length alone decides most lines without a copy."""
    return end - start <= most or len(text[start:end].strip()) <= most


NEAR_TEXT = 1 << 16
"""In a text up to this long, a joined pattern too runs only on the lines near a character it
needs, read through script escapes too (``_near_needs``); in a longer one that costs more than it spares."""

BATCH_LINES = 3
"""A rule with this many candidate lines first learns on which its pattern matches at all, in one pass
(``_lines_matched``); only those go through ``_apply`` one by one."""


def _near_needs(  # noqa: PLR0917 (one call site)
    cr: CompiledRule, sh: str, layout: Layout, lines: list[int], reach: int, counts: dict[str, int], *,
    scripts: bool,
) -> list[int]:
    """The ``lines`` within ``reach`` lines after one holding a character the rule's pattern needs
    (``pattern_needs``, the smallest class without a newline): a match on a line depends on it and
    the ``reach`` lines before it only (``lines_seen``), so the other lines hold none. ``counts``:
    character → occurrences in ``sh`` (``lines_holding``)."""
    p = cr.pattern
    # ``scripts``: needs read through a script escape too; in a long text the lines of their
    # (common) characters, counted in each pass, cost more than the searches they spare
    needs = [c for c in pattern_needs(p.pattern, p.flags, scripts=scripts) if not c.search("\n")]
    if not needs or not lines:
        return lines
    starts = layout.starts
    # the rarest small class, counted at memory speed; else the smallest class, searched
    holding: Iterable[int] | None = lines_holding(sh, starts, needs, 4 * len(lines), counts)
    if holding is None:
        found: set[int] = set()
        for k, hit in enumerate(needs[0].finditer(sh)):
            if k > 4 * len(lines):
                return lines  # a common character: no use
            found.add(bisect_right(starts, hit.start()) - 1)
        holding = found
    near = {h + d for h in holding for d in range(reach + 1)}  # the lines a held character can reach
    return [i for i in lines if i in near]


def _lines_matched(  # noqa: PLR0917 (one call site)
    pat: regex.Pattern[str], sh: str, layout: Layout, lines: list[int], limits: Limits, joined: bool,
    texts: list[str] | None,
) -> set[int] | None:
    """The ``lines`` (sorted) on which ``pat`` has a match: one ``finditer`` over them joined when
    ``joined`` (the pattern ``stays_on_line``: each line is preceded by ``\\n`` there as in the text,
    and followed by one; ``texts``: the shadow's lines when ``scan`` cut them and they end in LF),
    else one search per line without the per-call bookkeeping. ``None`` when this ran out of the
    time the rule would be granted on these lines: then every line goes through ``_apply``, whose
    budget names the line to blame in the ``rule-timeout`` notice as before."""
    starts, ends = layout.starts, layout.ends
    chars = sum(map(ends.__getitem__, lines)) - sum(map(starts.__getitem__, lines))
    allowance = limits.regex_timeout + len(lines) * limits.regex_timeout_per_line
    allowance += chars * limits.regex_timeout_per_char
    t0 = time.thread_time()
    found: set[int] = set()
    try:
        if joined:
            lead = [] if lines[0] == 0 else ["\n"]  # what a lookbehind sees before a line that is not the first
            parts = [texts[i] for i in lines] if texts is not None else [sh[starts[i] : ends[i]] + "\n" for i in lines]
            at = list(accumulate(map(len, parts), initial=len(lead)))[:-1]
            text = "".join(lead + parts)
            for hit in pat.finditer(text, timeout=allowance):
                if hit.start() >= at[0]:  # not an empty match before the stand-in newline
                    found.add(lines[bisect_right(at, hit.start()) - 1])
        else:
            w0 = time.perf_counter()  # wall time, cheap to read, and never less than CPU time
            for i in lines:
                left = allowance - (time.perf_counter() - w0)
                if left <= 0:
                    return None
                if pat.search(sh, starts[i], ends[i], timeout=left) is not None:
                    found.add(i)
    except TimeoutError:
        return None
    return None if time.thread_time() - t0 >= allowance else found


def _lines_known(  # noqa: PLR0917 (one call site)
    pat: regex.Pattern[str], sh: str, layout: Layout, lines: list[int], limits: Limits, texts: list[str],
    known: dict[str, bool],
) -> set[int] | None:
    """``_lines_matched`` for a pattern that ``stays_on_line``, searching only line texts ``known``
    lacks (once each): whether it matches on a line depends on the line's text and on whether it is
    the first line, nothing else, so a document's later passes, and a text repeated within one, reuse
    the answer. ``None`` as for ``_lines_matched``."""
    todo: list[int] = []
    asked: set[str] = set()
    for i in lines:
        t = texts[i]
        if i == 0:
            todo.append(i)  # the first line's answer is not kept: ``(?<=\n)`` fails there
        elif t not in known and t not in asked:
            todo.append(i)
            asked.add(t)
    got = _lines_matched(pat, sh, layout, todo, limits, True, texts) if todo else set()
    if got is None:
        return None
    known.update((texts[i], i in got) for i in todo if i)
    return {i for i in lines if ((i in got) if i == 0 else known[texts[i]])}


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
    m: Matcher, cr: CompiledRule, *, text: str, sh: str, layout: Layout, i: int, timeout: float, found: bool = False
) -> list[Candidate]:
    """Candidates of one rule on line ``i``; ``sh`` is the shadow of the whole text (hot path:
    called once per candidate line and rule, so no closures). ``found``: the pattern is known to
    match on the line (``_lines_matched``), so a line rule does not search it again."""
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
    if r.max_chars and not _fits(text, start, end, r.max_chars):
        return []
    if (not found and cr.pattern.search(sh, start, end, timeout=timeout) is None) or _allowed(
        m, cr, sh, (start, end), timeout
    ):
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

__all__ = ["BATCH_LINES", "FOLLOW_LINES", "run_rules"]
