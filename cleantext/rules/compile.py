"""Rules → compiled matchers: ``regex`` patterns, the combined keyword prefilter, the pack hash.

Patterns are compiled with ``regex`` (``VERSION1 | MULTILINE`` plus the rule's flags) because it
offers ``timeout=``; the prefilter is one ``re`` alternation because it runs over the whole text
and ``re`` is ~4x faster there (DESIGN.md §6). Keywords are expanded into character classes with
every width and script variant (``群`` stays ``群``, ``卖`` becomes ``[卖賣]``, ``q`` becomes
``[qQｑＱ]``), so the prefilter reads the original text without building a shadow of it.
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
from .schema import Rule
from .shadow import shadow, variants


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    pattern: regex.Pattern[str]
    allow: tuple[regex.Pattern[str], ...]
    block_end: regex.Pattern[str] | None
    zones: frozenset[Zone]

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
    )


def keyword_key(keyword: str) -> str:
    """The normalised form a prefilter hit is looked up by."""
    return shadow(keyword).casefold()


def _char_class(ch: str) -> str:
    base = shadow(ch)
    alts = set(variants().get(base, frozenset({base}))) | {ch, base}
    for c in list(alts):
        alts.update((c.lower(), c.upper()))
        if "a" <= c.lower() <= "z":
            alts.update(chr(ord(x) + 0xFEE0) for x in (c.lower(), c.upper()))
    alts = {c for c in alts if len(c) == 1}
    if len(alts) == 1:
        return re.escape(ch)
    return "[" + "".join(re.escape(c) for c in sorted(alts)) + "]"


def keyword_regex(keywords: set[str]) -> re.Pattern[str] | None:
    """One alternation over every keyword, longest first, in every width and script."""
    if not keywords:
        return None
    ordered = sorted(keywords, key=lambda k: (-len(k), k))
    return re.compile("|".join("".join(_char_class(c) for c in k) for k in ordered))


def pack_sha256(canonical: object) -> str:
    blob = json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


__all__ = ["CompiledRule", "compile_pattern", "compile_rule", "keyword_key", "keyword_regex", "pack_sha256"]
