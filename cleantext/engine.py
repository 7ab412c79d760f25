"""The one place that composes the stages: decode → segment → match → resolve → edit → report.

A ``Cleaner`` compiles its pack once and is cheap to call per document. It pickles as the pack's
source text plus limits, so a process pool or a Ray task rebuilds it in a few milliseconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from . import edit
from .config import DEFAULT_LIMITS, Limits
from .decode import decode, newline_style, non_chinese_script
from .features import Scorer, compile_scorer, score_lines
from .match import Keywords, LineCache, Matcher, Prefiltered, build_matcher, keywords_of, run_rules, scan
from .model import Decoded, Encoding, Layout, Mode, Removal, check_mode, notice
from .report import Cleaned, Report
from .resolve import resolve
from .rules import RulePack, default_pack
from .rules.shadow import has_lone_cr, shadow
from .segment import segment, split_lines
from .splice import Splicer, splice_candidates, spliced_keys, splicer_of
from .watermark import payload_notices

log = logging.getLogger("cleantext")

TEXT_ENCODING = Encoding("utf-8", 1.0, False, True, 0, "text")
"""What a report says when the caller handed over ``str``: nothing was decoded, and
``to_bytes`` writes UTF-8."""


class Cleaner:
    """Cleans many documents with one compiled pack."""

    def __init__(self, pack: RulePack | None = None, limits: Limits = DEFAULT_LIMITS, *, strict: bool = False):
        self.pack = pack if pack is not None else default_pack()
        self.limits = limits
        self.strict = strict
        self._matcher: Matcher | None = None
        self._scorer: Scorer | None = None
        self._splicer: Splicer | None = None
        self._keywords: Keywords | None = None

    @property
    def matcher(self) -> Matcher:
        if self._matcher is None:
            self._matcher = build_matcher(self.pack)
        return self._matcher

    @property
    def scorer(self) -> Scorer:
        if self._scorer is None:
            p = self.pack
            self._scorer = compile_scorer(
                [(g.id, g.category, g.keywords, g.pattern) for g in p.signals], p.weights, p.scoring
            )
        return self._scorer

    @property
    def splicer(self) -> Splicer:
        if self._splicer is None:
            m, s = self.matcher, self.scorer
            self._splicer = splicer_of(m.rules, m.automaton, m.key_rules, (m.automaton, s.automaton), m.allow)
        return self._splicer

    @property
    def keywords(self) -> Keywords:
        """The rules' and the scorer's keywords in one automaton: one pass finds both."""
        if self._keywords is None:
            s, m = self.scorer, self.matcher
            self._keywords = keywords_of(m, s.keys, s.key_signals, spliced_keys(m.keys, self.splicer))
        return self._keywords

    def prepare(self) -> Cleaner:
        """Build every lazily compiled part now (the keywords need all the others): a process pool
        calls it before forking, so that its workers inherit them instead of each building them."""
        _ = self.keywords
        return self

    def __getstate__(self) -> dict[str, Any]:
        return {"pack": self.pack, "limits": self.limits, "strict": self.strict}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["pack"], state["limits"], strict=state["strict"])  # type: ignore[misc]

    def clean_bytes(self, data: bytes, mode: Mode = "remove", *, only: Iterable[str] | None = None) -> Cleaned:
        return self._run(decode(data, self.limits), mode, only)

    def clean_text(self, text: str, mode: Mode = "remove", *, only: Iterable[str] | None = None) -> Cleaned:
        dec = Decoded(text, TEXT_ENCODING, newline_style(text), not_chinese=non_chinese_script(text))
        return self._run(dec, mode, only)

    def _run(self, dec: Decoded, mode: Mode, only: Iterable[str] | None) -> Cleaned:
        check_mode(mode)
        text = dec.text
        if dec.not_chinese is not None:
            # The packs are written for Chinese: on other text their rules only misfire (Japanese
            # read as GB lost 4 of 5 lines). Nothing is removed, not even zero-width marks.
            skipped = notice(
                "not-chinese",
                f"the text reads as {dec.not_chinese}; the Chinese rule packs were not run and nothing was removed",
            )
            log.info("%s", skipped)
            report = Report(dec.encoding, self.pack.ref, (), (*dec.notices, skipped), dec.newline, dec.patches, mode)
            return Cleaned(text, report)
        only = None if only is None else frozenset(only)  # iterated once per pass
        dead: set[str] = set()  # rules out of time on this document stay out in later passes
        lines = split_lines(text)
        starts = lines[0]
        cache = LineCache()  # what was found per line text: later passes scan only the lines that changed
        sh = shadow(text)
        pre = self._scan(sh, lines, cache)
        layout = segment(text, pre.flagged, self.limits, lines)  # both passes on this text: one layout
        removals, notices = self._pass(text, lines, pre, only, dead, early=True, doc=cache, layout=layout)
        settled = False
        if not removals:
            removals, more = self._pass(text, lines, pre, only, dead, early=False, doc=cache, layout=layout)
            notices += more
            settled = not removals
        # Each further pass sees the text without what earlier passes removed (a zero-width mark
        # inside an advert line, a separator left alone once its banner went), until nothing
        # more goes: so cleaning the output again removes nothing. Memory (issue 11: a 50 MB file
        # peaked at 21.7x its size): at most the text and its shadow, one inner text and its shadow
        # are alive. The inner shadow is the shadow cut like the text (``shadow`` maps one character
        # to one) unless a lone CR, which the shadow reads as LF, is or was in play.
        del pre, layout
        cut = not has_lone_cr(text)
        for _ in range(0 if settled else self.limits.max_passes):
            inner = edit.apply(text, removals)
            inner_lines = split_lines(inner)
            inner_sh = edit.apply(sh, removals) if cut and not has_lone_cr(inner) else shadow(inner)
            found, more = self._pass(inner, inner_lines, self._scan(inner_sh, inner_lines, cache), only, dead,
                                     early=False, doc=cache)
            del inner, inner_lines, inner_sh
            notices += more
            if not found:
                break
            removals = edit.merge_passes(text, starts, removals, found)
        else:
            if not settled:
                notices.append(notice("max-passes", f"still finding removals after {self.limits.max_passes} passes"))
        del lines, starts, sh  # the line tables and the shadow: gone before the output is built
        notices = [*dec.notices, *notices, *payload_notices(removals)]
        for n in notices:
            log.info("%s", n)
        report = Report(dec.encoding, self.pack.ref, tuple(removals), tuple(notices), dec.newline, dec.patches, mode)
        out = text if mode == "annotate" else edit.apply(text, removals)
        return Cleaned(out, report)

    def _scan(self, sh: str, lines: tuple[tuple[int, ...], ...], cache: LineCache) -> Prefiltered:
        """Keyword and line-local prefilter hits of the rules, and the scorer's keyword hits, for the
        lines of the shadow ``sh`` that ``cache`` has not seen in an earlier pass of this document."""
        return scan(self.matcher, sh, lines[0], lines[2], cache, keys=self.keywords)

    def _pass(
        self,
        text: str,
        lines: tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]],
        pre: Prefiltered,
        only: Iterable[str] | None,
        dead: set[str],
        *,
        early: bool,
        doc: LineCache | None = None,
        layout: Layout | None = None,
    ) -> tuple[list[Removal], list[str]]:
        """Prefilter, zone, match and resolve one set of rules on ``text``: the invisible marks
        (``early=True``) or the others (``False``). ``layout``: ``segment``'s, when the caller has it."""
        m = self.matcher
        if layout is None:
            layout = segment(text, pre.flagged, self.limits, lines)
        candidates, match_notices = run_rules(
            m, text, layout, pre, self.limits, strict=self.strict, only=only, early=early, dead=dead, doc=doc
        )
        if not early and (only is None or any(g.id in only for g in self.scorer.signals)):
            scored = score_lines(text, pre.shadow, layout, candidates, self.scorer, keyed=pre.extra_hits,
                                 texts=pre.texts)
            if only is not None:
                scored = [c for c in scored if c.rule in only]
            candidates.extend(scored)
        if not early:
            spliced = splice_candidates(pre.shadow, layout, candidates, self.splicer, lines=pre.hits, marked=pre.marked)
            candidates.extend(c for c in spliced if only is None or c.rule in only)
        removals, resolve_notices = resolve(
            text, layout, candidates, self.limits, m.caps, off=self.pack.policies_off
        )
        return removals, match_notices + resolve_notices


__all__ = ["TEXT_ENCODING", "Cleaner"]
