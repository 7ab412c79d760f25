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

The package follows those steps: ``patterns`` reads what a pattern's syntax says (line-local,
required characters), ``matcher`` builds a pack's ``Matcher``, ``linescan`` finds candidate lines,
``run`` runs the patterns on them.
"""

from __future__ import annotations

from .linescan import KEY_CHUNK, Keywords, LineCache, Prefiltered, keywords_of, lacks, prefilter, scan
from .linescan import _keyword_hits as _keyword_hits  # the tests compare it with the chunked scan
from .matcher import EARLY_CATEGORIES, ZONING_MIN_KEY, Matcher, build_matcher, is_early, matcher_of
from .patterns import _lookbehinds_ahead as _lookbehinds_ahead
from .patterns import _scripts_widened as _scripts_widened
from .patterns import is_line_local, pattern_needs, required_chars
from .run import FOLLOW_LINES, run_rules

__all__ = [
    "EARLY_CATEGORIES", "FOLLOW_LINES", "KEY_CHUNK", "ZONING_MIN_KEY", "Keywords", "LineCache", "Matcher",
    "Prefiltered", "build_matcher", "is_early", "is_line_local", "keywords_of", "lacks", "matcher_of",
    "pattern_needs", "prefilter", "required_chars", "run_rules", "scan",
]
