"""Rules → compiled matchers: ``regex`` patterns, the combined keyword prefilter, the pack hash.

Patterns are compiled with ``regex`` (``VERSION1 | MULTILINE`` plus the rule's flags) because it
offers ``timeout=``. Keywords are normalised like the text they are searched in (shadow, ASCII
lowered), so ``卖`` also finds 賣 and ``qq`` finds ＱＱ; a rule's optional ``prefilter`` is a plain
``re`` pattern run once over the whole shadow, for rules no keyword can describe.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import reduce
from operator import or_

import regex

from ..errors import RuleCompileError
from ..model import Zone
from .definitions import Rule
from .shadow import keyword_key  # re-exported: match looks keywords up by it


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    pattern: regex.Pattern[str]
    allow: tuple[regex.Pattern[str], ...]
    block_end: regex.Pattern[str] | None
    zones: frozenset[Zone]
    prefilter: re.Pattern[str] | None
    followed_by: regex.Pattern[str] | None

    @property
    def id(self) -> str:
        return self.rule.id


def compile_pattern(pattern: str, flags: tuple[str, ...], where: str) -> regex.Pattern[str]:
    """Compile one rule pattern or raise ``RuleCompileError`` naming where it came from."""
    bits = reduce(or_, (getattr(regex, f) for f in flags), regex.VERSION1 | regex.MULTILINE)
    try:
        return regex.compile(pattern, bits)
    except (regex.error, ValueError, OverflowError, RecursionError) as e:
        raise RuleCompileError(f"{where}: pattern does not compile: {e}") from e


def compile_rule(rule: Rule) -> CompiledRule:
    where = f"{rule.source}: rule {rule.id!r}"
    zones: set[Zone] = set()
    for z in rule.zone:
        zones.update(("head", "body", "tail") if z == "any" else (z,))
    return CompiledRule(
        rule=rule,
        pattern=compile_pattern(rule.pattern, rule.flags, f"{where} field 'pattern'"),
        allow=tuple(compile_pattern(a, rule.flags, f"{where} field 'allow'") for a in rule.allow),
        block_end=(
            compile_pattern(rule.block.end, rule.flags, f"{where} field 'block.end'") if rule.block else None
        ),
        zones=frozenset(zones),
        prefilter=_compile_prefilter(rule.prefilter, f"{where} field 'prefilter'") if rule.prefilter else None,
        followed_by=(
            compile_pattern(rule.followed_by, rule.flags, f"{where} field 'followed_by'") if rule.followed_by else None
        ),
    )


def _compile_prefilter(pattern: str, where: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.MULTILINE)
    except (re.error, ValueError, OverflowError, RecursionError) as e:
        raise RuleCompileError(f"{where}: prefilter does not compile under re: {e}") from e


def pack_sha256(canonical: object) -> str:
    blob = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


__all__ = ["CompiledRule", "compile_pattern", "compile_rule", "keyword_key", "pack_sha256"]
