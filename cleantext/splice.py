"""Stage ③c: furniture spliced inside a prose line → span candidates.

Pages and reposts splice a furniture sentence into running text with no delimiter
(``订立租赁手机用户请浏览m.example.com阅读，更优质的阅读体验。经营合同…``): the line is prose, so no
whole-line rule may take it, yet the inserted sentence is one a line rule knows. Here the line rules
are tried on pieces of such lines: a piece starts at (or just before) one of the rule's keywords and
ends at a clause boundary, and must match the rule's whole pattern *as if it were a line*.

Bounds, because body text is what is at stake:

- a piece ends at the *first* clause boundary where the rule matches and never reaches over, or
  grows by, a clause that is not advert text by its own words (a rule's or a signal's keywords: a
  long one, or short ones such as 阅读 densely enough; 好的 in a long clause is prose), so a rule
  whose pattern ends in a wildcard (a tag + any title) never takes the body clause after its phrase;
- a piece is at least ``MIN_CHARS`` long, holds two vocabulary hits (or a domain), never the whole line
  and never structure (第…条, 一、) or a long run of prose (``MAX_CHARS``);
- the rule's own ``allow`` patterns and the pack's ``[[allow]]`` veto it as they veto a line;
- in a document where no whole line was removed a piece needs three vocabulary hits: look-alike
  documents (laws on 举报 and 网站, reports on 公众号) carry the vocabulary but no furniture line;
- rules that look at other lines (``followed_by``, blocks, lookbehinds) and the categories listed in
  ``NOT_SPLICED`` (span rules already work inside lines; page counters and separators are too short
  to tell from body) are not tried.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import regex

from .lines import STRUCTURE
from .model import Candidate, Layout
from .rules.compile import CompiledRule
from .rules.shadow import to_key

MIN_CHARS = 6
MIN_LINE = 20
"""Shorter lines are not prose a sentence was spliced into; line rules and scores judge them whole."""
MIN_KEY = 3
"""A piece is looked for around keywords this long or longer: 平台, 网站 and 本站 are words of prose too."""
MAX_CHARS = 90
LOOK_BACK = 8
"""How far before a keyword a piece may start (an opening bracket, 手机用户请… before 浏览)."""
NOT_SPLICED = frozenset({"invisible", "inline", "separator"})
PRIORITY = 5

_CLAUSE_END = frozenset("，,；;。！!？?）)】」』>》")
_OPEN = frozenset("【（([「『<《")
_BOUNDARY_BEFORE = frozenset("，,；;。！!？?：:、）)】」』 \t")
_DOMAIN = re.compile(
    r"(?:https?://|www\.|m\.|wap\.)?[a-z0-9-]{2,}\.(?:com|net|org|cn|cc|la|so|info|me|top|xyz|vip|tw)(?![a-z])",
    re.IGNORECASE,
)
_SENTENCE = frozenset("。！？!?")
_CLOSE = frozenset("】）)」』>》")
_PAIR = {"【": "】", "（": "）", "(": ")", "[": "]", "「": "」", "『": "』", "<": ">", "《": "》"}
_WORD = re.compile(r"[\u3400-\u9fff\w]")


def eligible(cr: CompiledRule) -> bool:
    """Whether a line rule may be tried on pieces of a prose line."""
    r = cr.rule
    if r.scope != "line" or r.category in NOT_SPLICED or cr.followed_by is not None or cr.block_end is not None:
        return False
    return "(?<" not in cr.pattern.pattern


def _starts(line: str, p: int, vocab: Sequence[tuple[int, int]]) -> list[int]:
    """Where a piece holding the keyword at ``p`` may start: an opening bracket just before it first,
    then the keyword itself, then, nearest first, positions after a boundary and the starts of other
    vocabulary (本书 before 最新章节) just before it."""
    words = {a for a, _ in vocab if p - LOOK_BACK <= a < p}
    out = [p]
    for q in range(p - 1, max(-1, p - LOOK_BACK - 1), -1):
        if line[q] in _SENTENCE:
            break
        if line[q] in _OPEN:
            return [q, *out]  # a bracket opened just before the keyword belongs to the piece
        if q in words or (q > 0 and line[q - 1] in _BOUNDARY_BEFORE and line[q] not in _BOUNDARY_BEFORE):
            out.append(q)
    return out


def _ends(line: str, p: int) -> list[int]:
    """Clause ends after the keyword at ``p``, in order, up to ``MAX_CHARS`` on; the line's end too."""
    stop = min(len(line), p + MAX_CHARS)
    out = [k + 1 for k in range(p + 1, stop) if line[k] in _CLAUSE_END]
    if len(line) <= p + MAX_CHARS:
        out.append(len(line))
    out.extend(m.end() for m in _DOMAIN.finditer(line, p, stop))
    return sorted(set(out))


def _vocabulary(key: str, automata: Iterable[Any]) -> list[tuple[int, int]]:
    """(start, end) of every keyword of the rules and signals in ``key``."""
    hits: list[tuple[int, int]] = []
    for a in automata:
        if a is not None:
            hits.extend((s, e) for _, s, e in a.find_matches_as_indexes(key, overlapping=True))
    return hits


SHORT_CLAUSE = 16
"""A clause this short joins a piece on one short advert word (，为您提供精彩阅读。); a longer one needs a
long word or one advert word per ``WORD_SPAN`` characters (…讲了很好的意见， holds only 好的)."""
WORD_SPAN = 12


def _advert_clause(hits: Sequence[tuple[int, int]], s: int, e: int) -> bool:
    """Whether the clause ``[s, e)`` is advert text by its own words: short ones (好的, 赞, 阅读) are
    words of prose too, so one of them does not make a long clause the advert's."""
    inside = [(a, b) for a, b in hits if s <= a and b <= e]
    if not inside:
        return False
    if e - s <= SHORT_CLAUSE or any(b - a >= MIN_KEY for a, b in inside):
        return True
    return _regions(inside, s, e) * WORD_SPAN >= e - s


@dataclass(frozen=True, slots=True)
class Splicer:
    """A pack's line rules ready to be looked for inside prose lines."""

    rules: tuple[CompiledRule, ...]
    automaton: Any
    """The matcher's keyword automaton (``None`` without keywords)."""
    key_rules: tuple[tuple[int, ...], ...]
    """Per automaton pattern: the eligible rules it selects, in rule order."""
    vocabulary: tuple[Any, ...]
    """Automata whose hits count as advert vocabulary (the rules' and the signals' keywords)."""
    allow: tuple[regex.Pattern[str], ...]


def splicer_of(
    rules: Sequence[CompiledRule],
    automaton: Any,
    key_rules: Sequence[Collection[int]],
    vocabulary: Iterable[Any],
    allow: Sequence[regex.Pattern[str]] = (),
) -> Splicer:
    ok = {ri for ri, cr in enumerate(rules) if eligible(cr)}
    return Splicer(tuple(rules), automaton, tuple(tuple(sorted(set(k) & ok)) for k in key_rules),
                   tuple(a for a in vocabulary if a is not None), tuple(allow))


def spliced_keys(keys: Sequence[str], splicer: Splicer) -> list[int]:
    """The keys (indexes into the splicer's automaton) a piece can be looked for around: those of
    ``MIN_KEY`` characters or more of a rule that may be spliced."""
    return [k for k, key in enumerate(keys) if splicer.key_rules[k] and len(key) >= MIN_KEY]


def splice_candidates(
    sh: str,
    layout: Layout,
    candidates: Sequence[Candidate],
    splicer: Splicer,
    *,
    lines: Iterable[int],
    marked: Collection[int] | None = None,
) -> list[Candidate]:
    """Span candidates for furniture spliced into ``lines`` (those with a keyword hit) of the shadow
    ``sh``. Lines some candidate takes whole, or touches, are left alone; a line with only span
    candidates is still prose, and a piece that holds one of them whole outranks it (the span rule
    saw only part of the spliced sentence: 一秒记住本站网址， of …，为您提供精彩阅读。). ``marked``: the
    lines with a key of ``spliced_keys``, when the engine's scan found them."""
    if splicer.automaton is None:
        return []
    need = 2 if any(c.action != "span" for c in candidates) else 3
    touched = {c.line for c in candidates if c.action != "span" or c.end > layout.ends[c.line]}
    spans: dict[int, list[Candidate]] = {}
    for c in candidates:
        if c.action == "span" and c.line not in touched:
            spans.setdefault(c.line, []).append(c)
    out: list[Candidate] = []
    todo = sorted(set(lines) - touched)
    if marked is None:
        todo = _with_long_keys(sh, layout, todo, splicer)
    else:
        todo = [i for i in todo if i in marked and layout.ends[i] - layout.starts[i] >= MIN_LINE]
    for i in todo:
        start, end = layout.starts[i], layout.ends[i]
        line = sh[start:end]
        key = to_key(line)
        hits = sorted(splicer.automaton.find_matches_as_indexes(key, overlapping=True), key=lambda h: h[1])
        hits = [h for h in hits if splicer.key_rules[h[0]] and h[2] - h[1] >= MIN_KEY]
        if not hits:
            continue
        vocab = _vocabulary(key, splicer.vocabulary)
        zone = layout.zone(i)
        taken_to = -1
        for k, p, _ in hits:
            if p < taken_to:
                continue
            for ri in splicer.key_rules[k]:
                cr = splicer.rules[ri]
                piece = _piece(line, p, cr, vocab, splicer.allow, need) if zone in cr.zones else None
                if piece is not None:
                    s, e = piece
                    held = [c.priority for c in spans.get(i, ()) if start + s <= c.start and c.end <= start + e]
                    out.append(Candidate(start + s, start + e, cr.id, cr.rule.category, i, zone, "span",
                                         max([PRIORITY, *(q + 1 for q in held)]), False))
                    taken_to = e
                    break
    return out


GROUP_CHARS = 1 << 16
"""Lines are looked for keywords in groups of about this many characters (one lowering each)."""


def _with_long_keys(sh: str, layout: Layout, lines: list[int], splicer: Splicer) -> list[int]:
    """The ``lines`` (sorted) of ``MIN_LINE`` characters or more that hold a keyword of ``MIN_KEY``
    characters or more of a rule that may be spliced: the only ones ``splice_candidates`` can take
    a piece of. One automaton pass per group of lines, joined by newlines (no keyword holds one)."""
    starts, ends = layout.starts, layout.ends
    lines = [i for i in lines if ends[i] - starts[i] >= MIN_LINE]
    out: list[int] = []
    k = 0
    while k < len(lines):
        group: list[int] = []
        at: list[int] = []
        size = 0
        while k < len(lines) and (not group or size < GROUP_CHARS):
            i = lines[k]
            group.append(i)
            at.append(size)
            size += ends[i] - starts[i] + 1
            k += 1
        joined = "\n".join([sh[starts[i] : ends[i]] for i in group])
        key = joined.lower()
        if len(key) != len(joined):  # a line that to_key lowers by table: each line alone, as it will be
            out.extend(i for i in group if _long_key(to_key(sh[starts[i] : ends[i]]), splicer))
            continue
        out.extend(sorted({group[bisect_right(at, s) - 1] for s in _long_hits(key, splicer)}))
    return out


def _long_key(key: str, splicer: Splicer) -> bool:
    return next(_long_hits(key, splicer), None) is not None


def _long_hits(key: str, splicer: Splicer) -> Iterator[int]:
    """Where in ``key`` a keyword of ``MIN_KEY`` characters or more of a spliceable rule starts."""
    for r, s, e in splicer.automaton.find_matches_as_indexes(key, overlapping=True):
        if splicer.key_rules[r] and e - s >= MIN_KEY:
            yield s


def _piece(  # noqa: PLR0917 (one call site)
    line: str, p: int, cr: CompiledRule, vocab: Sequence[tuple[int, int]], allow: Sequence[regex.Pattern[str]],
    need: int,
) -> tuple[int, int] | None:
    ends = _ends(line, p)
    for start in _starts(line, p, vocab):
        for n, first in enumerate(ends):
            if n and line[ends[n - 1] - 1] in _CLAUSE_END and not _advert_clause(vocab, ends[n - 1], first):
                break  # a clause with no advert word of its own is the body's (【推荐】 + the next sentence)
            if line[start] in _OPEN and _PAIR[line[start]] not in line[start + 1 : first]:
                continue  # a bracket joins the piece only when the piece closes it (《国|部分内容… stays 《国)
            if not _fits(line, start, first, cr):
                continue
            s, e = start, first
            for e2 in ends[n + 1 :]:  # one more clause only when it is advert vocabulary too
                if not _advert_clause(vocab, e, e2) or not _fits(line, s, e2, cr):
                    break
                e = e2
            s = _grow_back(line, s, e, cr, vocab)
            if not _safe(line, s, e, vocab, need) or any(a.search(line[s:e]) for a in (*cr.allow, *allow)):
                return None
            return s, e
    return None


def _grow_back(line: str, s: int, e: int, cr: CompiledRule, vocab: Sequence[tuple[int, int]]) -> int:
    """Move the start back over advert words that touch it (本书 before 最新章节) while the rule still
    matches: words of prose are not in the vocabulary, so the body before the piece stays."""
    moved = True
    while moved:
        moved = False
        for a, b in vocab:
            if a < s <= b and _fits(line, a, e, cr):
                s, moved = a, True
                break
    return s


def _fits(line: str, s: int, e: int, cr: CompiledRule) -> bool:
    if e - s > MAX_CHARS or (s == 0 and e >= len(line.rstrip())):
        return False
    try:
        return cr.pattern.fullmatch(line[s:e].strip(), timeout=0.05) is not None
    except TimeoutError:
        return False


def _safe(line: str, s: int, e: int, vocab: Sequence[tuple[int, int]], need: int) -> bool:
    piece = line[s:e].strip()
    if len(piece) < MIN_CHARS or _holds_structure(piece):
        return False
    if len(_WORD.findall(line[:s])) < 2 or len(_WORD.findall(line[e:])) < 2:
        return False  # a splice has the sentence it was put into on both sides
    if _longest_gap(vocab, s, e) > MAX_GAP:
        return False  # a wildcard in the rule reached over body text with no advert word in it
    bracketed = piece[0] in _OPEN and piece[-1] in _CLOSE
    if not (bracketed or piece[-1] in _SENTENCE or _DOMAIN.search(piece[-24:])):
        return False  # it ends as a sentence of its own, or is an aside in brackets
    return _regions(vocab, s, e) >= need or (need == 2 and (bracketed or _DOMAIN.search(piece) is not None))


MAX_GAP = 12
"""Longest run of a piece with no advert word: furniture is dense in its vocabulary, while a rule's
wildcard tail (本章未完[^。]{0,60}) that ran into a glued body sentence leaves a long run without one."""


def _longest_gap(hits: Sequence[tuple[int, int]], s: int, e: int) -> int:
    """The longest stretch of ``[s, e)`` that no vocabulary hit covers."""
    gap, at = 0, s
    for a, b in sorted(h for h in hits if h[1] > s and h[0] < e):
        gap = max(gap, a - at)
        at = max(at, b)
    return max(gap, e - at)


def _holds_structure(piece: str) -> bool:
    """A structure head (第…条, 一、, (2)) at the piece's start or after a boundary inside it."""
    return any(
        STRUCTURE.match(piece, k) for k in range(len(piece)) if k == 0 or piece[k - 1] in _BOUNDARY_BEFORE
    )


def _regions(hits: Sequence[tuple[int, int]], s: int, e: int) -> int:
    """Vocabulary hits inside ``[s, e)`` that do not overlap each other (推荐本书 is one word, not
    推荐 + 本书 + 推荐本书)."""
    n, reach = 0, -1
    for a, b in sorted(h for h in hits if s <= h[0] and h[1] <= e):
        if a >= reach:
            n += 1
            reach = b
        else:
            reach = max(reach, b)
    return n


__all__ = ["Splicer", "eligible", "splice_candidates", "spliced_keys", "splicer_of"]
