"""What a rule pack holds, as frozen values: ``Rule``, ``Signal``, ``BlockSpec`` and one parsed
``PackFile``; ``schema.py`` builds them from TOML, strictly, and ``compile.py`` compiles them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Scope, ZoneSpec

ZONE_SPECS: tuple[ZoneSpec, ...] = ("head", "body", "tail", "any")
FLAGS = ("IGNORECASE", "DOTALL", "VERBOSE")


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """A ``block`` rule removes its anchor line through the first line matching ``end``."""

    end: str
    max_lines: int = 12
    require_end: bool = False
    """Without an end line, remove nothing (the anchor alone is not an advert)."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as written in a pack, after ``[defaults]`` were applied."""

    id: str
    category: str
    pattern: str
    version: int = 1
    description: str = ""
    keywords: tuple[str, ...] = ()
    prefilter: str = ""
    """A ``re`` pattern run once over the whole shadow to pick candidate lines, for rules that no
    keyword describes (chunk counters, rare-character lines). Its hits never mark a line as
    advert-like for zoning."""
    scope: Scope = "line"
    zone: tuple[ZoneSpec, ...] = ("head", "tail")
    flags: tuple[str, ...] = ()
    priority: int = 50
    max_chars: int = 0
    """Line/block scope: fire only on lines whose stripped length is at most this (0: no limit)."""
    max_per_doc: int = 0
    """Keep at most this many removals of the rule per document (0: no limit)."""
    anchor: bool = True
    """A line this rule removes can anchor block absorption of its short neighbours."""
    join_previous: bool = False
    """Span scope: a match at the start of a line also takes the previous line break
    (wenku chunk counters that split a sentence: ``资⏎7、产`` → ``资产``)."""
    followed_by: str = ""
    """Line/block scope: fire only when the next non-blank line (within three) matches this
    pattern: a site-name line is furniture when a 微信公众号 label follows it, a suffixed title is
    a foreign page's title when the document's own ``# 标题`` follows it."""
    enabled: bool = True
    allow: tuple[str, ...] = ()
    """Patterns (on the line's shadow) that veto this rule on a line."""
    block: BlockSpec | None = None
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    source: str = field(default="<string>", compare=False)

    def canonical(self) -> dict[str, Any]:
        """The rule as plain data, for the pack hash (``source`` excluded)."""
        return {
            "id": self.id, "version": self.version, "category": self.category,
            "description": self.description, "keywords": list(self.keywords), "prefilter": self.prefilter,
            "pattern": self.pattern, "scope": self.scope, "zone": list(self.zone),
            "flags": list(self.flags), "priority": self.priority, "max_chars": self.max_chars,
            "max_per_doc": self.max_per_doc, "anchor": self.anchor, "followed_by": self.followed_by,
            "join_previous": self.join_previous, "enabled": self.enabled, "allow": list(self.allow),
            "block": None if self.block is None else {
                "end": self.block.end, "max_lines": self.block.max_lines, "require_end": self.block.require_end,
            },
            "examples": {"match": list(self.examples_match), "no_match": list(self.examples_no_match)},
        }


@dataclass(frozen=True, slots=True)
class Signal:
    """A small rule with one idea (a family's vocabulary, a shape): it adds its fitted weight to a
    line's score and never removes anything alone (features.py)."""

    id: str
    category: str
    keywords: tuple[str, ...]
    """Plain words (matched in the lowered shadow): the signal fires on a line holding one..."""
    pattern: str = ""
    """...and, when set, where this Python ``re`` pattern (IGNORECASE) also matches the line's shadow."""
    description: str = ""
    examples_match: tuple[str, ...] = ()
    examples_no_match: tuple[str, ...] = ()
    source: str = field(default="<string>", compare=False)

    def canonical(self) -> dict[str, Any]:
        return {
            "id": self.id, "category": self.category, "keywords": list(self.keywords), "pattern": self.pattern,
            "description": self.description,
            "examples": {"match": list(self.examples_match), "no_match": list(self.examples_no_match)},
        }


SCORING_KEYS = ("head", "body", "tail", "max_prose_chars", "evidence")
"""``[scoring]``: the log-odds each zone needs, and the prose length score alone never removes."""


@dataclass(frozen=True, slots=True)
class PackFile:
    """One parsed TOML pack file."""

    source: str
    name: str
    version: str
    description: str
    rules: tuple[Rule, ...]
    disabled: tuple[str, ...]
    allow: tuple[str, ...]
    signals: tuple[Signal, ...] = ()
    scoring: tuple[tuple[str, float], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    fragments: tuple[tuple[str, str], ...] = ()
    """``[fragments]`` (name → expanded regex); rules hold their patterns already expanded, so the
    pack hash covers exactly what is matched."""


__all__ = ["FLAGS", "SCORING_KEYS", "ZONE_SPECS", "BlockSpec", "PackFile", "Rule", "Signal"]
