"""Stage ③b: shallow line features and signals → per-line scores → scored candidates.

Precise rules (match.py) recognise the phrasings somebody wrote a rule for. Sites nobody wrote a rule
for use the same *vocabulary* (下载, 会员, 本站, 转载, 上一页…) and the same *shapes* (short lines
without a full stop, ``label：value``, 【tag】, separators, menus of short words), in the same places
(the head and tail, next to other furniture). Each of those is a binary feature here; the pack holds
one fitted weight per feature (``[weights]``, fitted by ``cleantext.fit``), and a line goes when
``bias + Σ weights`` reaches its zone's threshold (the SpamAssassin model; boilerpipe and jusText for
the shallow and context features).

Body safety sits above the sum and is not learned: a line needs at least one signal of its own
(shape and neighbours only add to it); a document where no precise rule fired needs one line with
strong evidence first; structure lines (headings, 第…条, 一、, 1.) and
salutations are never removed by score; a line that reads as prose (ends like a sentence and is at
least ``max_prose_chars`` long) is never removed by score; the body zone needs a far higher score.

Work is bounded: only lines with a signal hit, or short lines next to a hit or a rule removal, are
scored; a long document of plain prose costs one combined ``re`` scan.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import ahocorasick_rs

from .model import Candidate, Layout, Zone
from .rules.shadow import to_key
from .segment import SENTENCE_END
from .shapes import DIGIT, PUNCT, is_protected, reads_as_prose, shape_cached, signals_to_stand_alone

BIAS = "bias"
MAX_SCORED_CHARS = 150
"""Longer lines are never scored: furniture lines are short, and the run stays linear in prose."""



@dataclass(frozen=True, slots=True)
class CompiledSignal:
    id: str
    category: str
    pattern: re.Pattern[str] | None


@dataclass(frozen=True, slots=True)
class Scorer:
    """A pack's signals and weights, ready to score lines."""

    signals: tuple[CompiledSignal, ...]
    weights: Mapping[str, float]
    thresholds: Mapping[str, float]
    max_prose_chars: int
    evidence: float
    """A document where no precise rule removed a line needs one line scoring at least this much
    before any line goes by score: look-alike documents (laws on 举报, reports on 公众号) are
    where weak evidence is most often wrong, and one strong line is what a furniture block has."""
    automaton: Any
    """``ahocorasick_rs.AhoCorasick`` over every signal keyword (``None`` without signals)."""
    key_signals: tuple[tuple[int, ...], ...]
    """Per automaton pattern: the signals (indexes) that keyword belongs to."""
    key_max: int
    """Length of the longest keyword key: how far the document scan's chunks must overlap."""
    keys: tuple[str, ...] = ()
    """The keyword keys, in automaton pattern order (the engine's scan adds them to the rules')."""


def compile_scorer(
    signals: Sequence[tuple[str, str, Sequence[str], str]], weights: Mapping[str, float], scoring: Mapping[str, float]
) -> Scorer:
    """``signals`` as (id, category, keywords, pattern)."""
    comp = tuple(CompiledSignal(i, c, re.compile(p, re.IGNORECASE) if p else None) for i, c, _, p in signals)
    by_key: dict[str, list[int]] = {}
    for k, (_, _, words, _) in enumerate(signals):
        for word in words:
            by_key.setdefault(to_key(word), []).append(k)
    keys = sorted(by_key)
    return Scorer(
        comp,
        dict(weights),
        {z: float(scoring.get(z, 0.0)) for z in ("head", "body", "tail")},
        int(scoring.get("max_prose_chars", 60)),
        float(scoring.get("evidence", 3.0)),
        ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard) if keys else None,
        tuple(tuple(by_key[k]) for k in keys),
        max(map(len, keys), default=0),
        tuple(keys),
    )


def _keyed(sh: str, layout: Layout, scorer: Scorer) -> dict[int, set[int]]:
    """Line → signals with a keyword on it."""
    keyed: dict[int, set[int]] = {}
    if scorer.automaton is not None:
        for k, pos, _ in scorer.automaton.find_matches_as_indexes(to_key(sh), overlapping=True):
            line_no = bisect_right(layout.starts, pos) - 1
            got = keyed.get(line_no)
            if got is None:
                keyed[line_no] = set(scorer.key_signals[k])
            else:
                got.update(scorer.key_signals[k])
    return keyed


class _Document:
    """One document's lines as the features see them, each worked out once: stripped shadow lines,
    signals per line, first and last non-blank lines."""

    def __init__(  # noqa: PLR0917 (internal)
        self,
        sh: str,
        layout: Layout,
        removed: Collection[int],
        scorer: Scorer,
        keyed: Mapping[int, Collection[int]] | None,
        texts: Sequence[str] | None = None,
    ) -> None:
        self.sh, self.layout, self.removed, self.scorer = sh, layout, removed, scorer
        self.keyed = _keyed(sh, layout, scorer) if keyed is None else keyed
        self.n = len(layout)
        # every line stripped at once (``str.strip`` mapped at C speed; a line's terminator is white space)
        self.lines: list[str] = (
            list(map(str.strip, texts)) if texts is not None
            else [sh[a:b].strip() for a, b in zip(layout.starts, layout.ends, strict=True)]
        )
        self._signals: dict[int, list[str]] = {}
        self.first = next((i for i, t in enumerate(self.lines) if t), self.n)
        self.last = next((i for i in range(self.n - 1, -1, -1) if self.lines[i]), -1)

    def line(self, i: int) -> str:
        return self.lines[i]

    def signals_of(self, i: int) -> list[str]:
        got = self._signals.get(i)
        if got is None:
            s = self.lines[i]
            sigs = [self.scorer.signals[k] for k in sorted(self.keyed.get(i, ()))]
            got = self._signals[i] = [g.id for g in sigs if g.pattern is None or g.pattern.search(s)]
        return got

    def neighbour(self, i: int, step: int) -> int | None:
        lines, j = self.lines, i + step
        while 0 <= j < self.n and not lines[j]:
            j += step
        return j if 0 <= j < self.n else None

    def heads_prose(self, i: int) -> bool:
        """A heading: a few words without digits or colon, and the next line, with no blank line
        between, a sentence no rule took (评论 ⏎ 这部电影…。). Furniture labels head furniture,
        which rules take, or stand apart."""
        s, j = self.lines[i], i + 1
        if len(s) > 12 or ":" in s or DIGIT.search(s) or j >= self.n or j in self.removed:
            return False
        return reads_as_prose(self.lines[j], self.scorer.max_prose_chars)

    def shortish(self, i: int) -> bool:
        t = self.lines[i]
        return 0 < len(t) <= 16 and not t.endswith(SENTENCE_END)

    def todo(self, every_line: bool) -> list[int]:
        """The lines worth scoring, in order (see ``extract``)."""
        n, starts, ends, removed = self.n, self.layout.starts, self.layout.ends, self.removed
        todo: set[int] = set(range(n)) if every_line else set(self.keyed)
        if not every_line:
            for i in (*self.keyed, *removed):
                for j in (i - 2, i - 1, i + 1, i + 2):
                    if 0 <= j < n and ends[j] - starts[j] <= 40:
                        todo.add(j)
            todo.difference_update(removed)
        lines = self.lines
        return sorted(i for i in todo if ends[i] - starts[i] <= MAX_SCORED_CHARS and lines[i])

    def features(self, i: int) -> list[str]:
        """Feature names of the non-blank line ``i``."""
        lines, n, removed, first, last = self.lines, self.n, self.removed, self.first, self.last
        line = lines.__getitem__
        s = lines[i]
        sigs = self.signals_of(i)
        names = [BIAS, f"zone.{self.layout.zone(i)}", *shape_cached(s), *sigs]
        if not removed:
            names.append("doc.no-rule")
        if len(sigs) >= 2:
            names.append("signals.2+")
        if len(sigs) >= 4:
            names.append("signals.4+")
        if self.shortish(i):
            run = 1
            for step in (-1, 1):
                j = i + step
                while 0 <= j < n and run < 3 and (self.shortish(j) or not line(j)):
                    run += bool(line(j))
                    j += step
            if run >= 3:
                names.append("run.short3")
        if i == first:
            names.append("pos.first")
        if i - first < 3:
            names.append("pos.first3")
        if last - i < 3:
            names.append("pos.last3")
        if i == 0 or not line(i - 1):
            names.append("blank.before")
        if i == n - 1 or not line(i + 1):
            names.append("blank.after")
        above = self.neighbour(i, -1)
        if above == i - 1 and len(line(above)) >= 15 and PUNCT.isdisjoint(line(above)[-1]):
            names.append("prev.unfinished")
        prose_nb = 0
        for step in (-1, 1):
            nb = self.neighbour(i, step)
            if nb is None:
                names.append("nb.edge")
                continue
            if nb in removed:
                names.append("nb.removed")
            t = line(nb)
            if len(t) >= 40 and t.endswith(SENTENCE_END):
                prose_nb += 1
            if len(self.signals_of(nb)) >= 2:
                names.append("nb.signals")
            if len(t) <= 12 and PUNCT.isdisjoint(t):
                names.append("nb.short")
        if prose_nb == 2:
            names.append("nb.prose-both")
        elif prose_nb == 1:
            names.append("nb.prose-one")
        return names


def extract(
    text: str,
    sh: str,
    layout: Layout,
    removed: Collection[int],
    scorer: Scorer,
    *,
    every_line: bool = False,
    keyed: Mapping[int, Collection[int]] | None = None,
) -> dict[int, list[str]]:
    """Feature names per line worth scoring (every non-blank line with ``every_line``, for fitting).

    ``removed`` holds the lines precise rules take: context for their neighbours, and not scored
    (except with ``every_line``: the fit learns a family's vocabulary from the lines rules take too).
    Otherwise the lines worth scoring are those with a signal keyword and short lines (40 characters
    at most) up to two lines from one or from a removed line; never one over ``MAX_SCORED_CHARS``.
    ``keyed``: line → signals with a keyword on it, when the caller already ran ``scorer.automaton``
    over ``to_key(sh)`` (the engine does, with the rules' keywords, once per line text).
    """
    doc = _Document(sh, layout, removed, scorer, keyed)
    return {i: doc.features(i) for i in doc.todo(every_line)}


def decide(
    lines: Mapping[int, tuple[float, Zone, bool]],
    names: Mapping[int, Sequence[str]],
    rules_fired: bool,
    scorer: Scorer,
    lone: Collection[int] = (),
) -> set[int]:
    """Which scored lines go: ``lines`` maps a line index to (score, zone, protected).

    A line goes when it is not protected, carries a signal of its own and reaches its zone's
    threshold, *and* it is part of furniture rather than alone: it scores ``evidence`` by itself,
    or a neighbour (two lines either way) was removed by a rule or goes by score too. A document
    where no rule fired needs one line of ``evidence`` first. The lines of ``lone`` (fewer signals
    than :func:`signals_to_stand_alone` asks of their shape) are never evidence by themselves.
    ``cleantext.fit`` scores its cross-validation with this same function.
    """
    ids = {g.id for g in scorer.signals}

    def strong(i: int) -> bool:
        return lines[i][0] >= scorer.evidence and i not in lone

    if not rules_fired and not any(strong(i) and not p for i, (_, _, p) in lines.items()):
        return set()
    cand = {
        i for i, (v, zone, p) in lines.items()
        if not p and v >= scorer.thresholds[zone] and not ids.isdisjoint(names[i])
    }
    return {
        i for i in cand
        if strong(i) or "nb.removed" in names[i] or any(j in cand for j in (i - 2, i - 1, i + 1, i + 2))
    }


def score_of(names: Sequence[str], weights: Mapping[str, float]) -> float:
    """Each feature counts once, as in the fit (a line with two signal-rich neighbours is one feature)."""
    return sum(map(weights.get, set(names), repeat(0.0)))


def score_lines(
    text: str,
    sh: str,
    layout: Layout,
    candidates: Sequence[Candidate],
    scorer: Scorer,
    *,
    keyed: Mapping[int, Collection[int]] | None = None,
    texts: Sequence[str] | None = None,
) -> list[Candidate]:
    """Lines whose score reaches their zone's threshold, as candidates with ``action="score"``
    (``keyed`` as for ``extract``; ``texts``: the shadow's lines, when the caller cut them)."""
    if not scorer.weights:
        return []
    removed = {c.line for c in candidates if c.action != "span"}
    doc = _Document(sh, layout, removed, scorer, keyed, texts)
    by_id = {g.id: g for g in scorer.signals}
    out: list[Candidate] = []
    w = scorer.weights
    feats: dict[int, list[str]] = {}
    lines: dict[int, tuple[float, Zone, bool]] = {}
    # Only a line with a signal of its own can go (``decide``). The others count only for the
    # evidence that a document where no rule fired needs first, so they are scored only while no
    # line has shown it, and only when a signalled line reaches its threshold (else nothing goes).
    todo = doc.todo(every_line=False)

    def score(i: int) -> tuple[float, Zone, bool]:
        s = doc.line(i)
        if is_protected(s) or reads_as_prose(s, scorer.max_prose_chars) or doc.heads_prose(i):
            # a protected line's score and features count nowhere (``decide``, the evidence above):
            # not computed (most signalled lines of a long document are prose)
            got = lines[i] = (0.0, layout.zone(i), True)
            return got
        names = feats[i] = doc.features(i)
        got = lines[i] = (score_of(names, w), layout.zone(i), False)
        return got

    def barred(i: int) -> bool:  # as ``decide``'s ``lone``
        return len(doc.signals_of(i)) < signals_to_stand_alone(doc.line(i))

    shown = bool(removed)  # a rule fired: no evidence needed
    reaching = False
    for i in todo:
        if doc.signals_of(i):
            total, zone, protected = score(i)
            shown = shown or (total >= scorer.evidence and not protected and not barred(i))
            reaching = reaching or (total >= scorer.thresholds[zone] and not protected)
    for i in todo if reaching and not shown else ():
        if i not in lines:
            total, _, protected = score(i)
            if total >= scorer.evidence and not protected and not barred(i):
                break
    lone = {i for i, (_, _, p) in lines.items() if not p and barred(i)}
    for i in sorted(decide(lines, feats, bool(removed), scorer, lone)):
        names = feats[i]
        total, zone, _ = lines[i]
        fired = [x for x in names if x in by_id]
        top = max(fired, key=lambda x: w.get(x, 0.0))
        category = by_id[top].category
        out.append(Candidate(layout.starts[i], layout.stops[i], top, category, i, zone, "score", 10, False,
                             round(total, 3), tuple((x, round(w[x], 3)) for x in dict.fromkeys(names) if w.get(x))))
    return out


__all__ = [
    "BIAS", "CompiledSignal", "Scorer", "compile_scorer", "decide", "extract", "score_lines", "signals_to_stand_alone",
]
