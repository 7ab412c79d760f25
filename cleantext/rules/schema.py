"""Strict TOML → ``Rule`` values (``definitions.py``). Unknown keys, wrong types and duplicates are errors.

Silently accepted configuration is how rule packs rot (gitleaks' lesson): every problem names the
file, the rule id and the field, and says what to write instead.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from typing import Any, cast

from ..errors import RuleSchemaError
from ..model import SCOPES, ZoneSpec
from .definitions import FLAGS, SCORING_KEYS, ZONE_SPECS, BlockSpec, PackFile, Rule, Signal

_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_-.")
_RULE_KEYS = {
    "id", "version", "category", "description", "keywords", "prefilter", "pattern", "scope", "zone", "flags",
    "priority", "max_chars", "max_per_doc", "anchor", "join_previous", "enabled", "allow", "block", "followed_by",
    "examples",
}
_DEFAULT_KEYS = _RULE_KEYS - {"id", "pattern", "description", "examples", "block", "prefilter", "followed_by"}
_PACK_KEYS = {"name", "version", "description", "disabled"}
_TOP_KEYS = {"pack", "defaults", "rules", "allow", "signals", "scoring", "weights", "fragments"}
_FRAGMENT_NAME = re.compile(r"[a-z][a-z0-9_]*")
_FRAGMENT_REF = re.compile(r"(?<!\\[pPN])\{([a-z][a-z0-9_]*)\}")
"""``{name}`` in a pattern; ``\\p{Han}`` / ``\\N{...}`` and ``{2,5}`` quantifiers are never references."""


def _fragments(ctx: _Ctx, data: Mapping[str, Any]) -> dict[str, str]:
    """``[fragments]``: name → regex, each expanded (a fragment may use earlier-defined ones) and
    wrapped in ``(?:…)`` so ``{name}?`` quantifies the whole fragment."""
    raw = data.get("fragments", {})
    if not isinstance(raw, dict):
        raise ctx.fail(None, "fragments", "must be a table ([fragments]) of name = 'regex'")
    out: dict[str, str] = {}
    for name, value in raw.items():
        if not _FRAGMENT_NAME.fullmatch(name):
            raise ctx.fail(None, f"fragments.{name}", "a fragment name is lowercase ascii, digits and _")
        if not isinstance(value, str) or not value:
            raise ctx.fail(None, f"fragments.{name}", "must be a non-empty regex string")
        out[name] = "(?:" + _expand(ctx, None, f"fragments.{name}", value, out) + ")"
    return out


def _expand(ctx: _Ctx, rid: str | None, fld: str, pattern: str, fragments: Mapping[str, str]) -> str:
    """Replace every ``{name}`` with its fragment; an unknown name is an error, not a literal."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in fragments:
            known = ", ".join(sorted(fragments)) or "none defined"
            raise ctx.fail(rid, fld, f"unknown fragment {{{name}}} (known: {known}); define it in [fragments]")
        return fragments[name]

    return _FRAGMENT_REF.sub(sub, pattern)


class _Ctx:
    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, rid: str | None, fld: str, msg: str) -> RuleSchemaError:
        where = f"{self.source}: rule {rid!r}" if rid else self.source
        return RuleSchemaError(f"{where}: field {fld!r}: {msg}")

    def string(self, d: Mapping[str, Any], key: str, rid: str | None, *, required: bool = False) -> str:
        if key not in d:
            if required:
                raise self.fail(rid, key, "is required")
            return ""
        v = d[key]
        if not isinstance(v, str):
            raise self.fail(rid, key, f"must be a string, not {type(v).__name__}")
        return v

    def strings(self, d: Mapping[str, Any], key: str, rid: str | None) -> tuple[str, ...]:
        v = d.get(key, [])
        if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
            raise self.fail(rid, key, "must be a list of strings")
        return tuple(cast("list[str]", v))

    def integer(self, d: Mapping[str, Any], key: str, rid: str | None, lo: int = 0) -> int | None:
        if key not in d:
            return None
        v = d[key]
        if not isinstance(v, int) or isinstance(v, bool) or v < lo:
            raise self.fail(rid, key, f"must be an integer >= {lo}")
        return v

    def boolean(self, d: Mapping[str, Any], key: str, rid: str | None) -> bool | None:
        if key not in d:
            return None
        v = d[key]
        if not isinstance(v, bool):
            raise self.fail(rid, key, "must be true or false")
        return v


def _or(v: int | None, default: int) -> int:
    return default if v is None else v


def _unknown(ctx: _Ctx, d: Mapping[str, Any], allowed: set[str], rid: str | None, what: str) -> None:
    extra = sorted(set(d) - allowed)
    if extra:
        raise ctx.fail(rid, extra[0], f"unknown key in {what}; allowed: {', '.join(sorted(allowed))}")


def _rule(ctx: _Ctx, raw: Any, defaults: Mapping[str, Any], fragments: Mapping[str, str]) -> Rule:
    if not isinstance(raw, dict):
        raise ctx.fail(None, "rules", "each [[rules]] entry must be a table")
    rid = raw.get("id") if isinstance(raw.get("id"), str) else None
    _unknown(ctx, raw, _RULE_KEYS, rid, "[[rules]]")
    d: dict[str, Any] = {**defaults, **raw}
    rid = ctx.string(d, "id", None, required=True)
    if not rid or not set(rid) <= _ID_CHARS or "." not in rid:
        raise ctx.fail(rid, "id", "must look like 'category.name' (lowercase ascii, digits, _ - .)")
    category = ctx.string(d, "category", rid) or rid.split(".", 1)[0]
    pattern = ctx.string(d, "pattern", rid, required=True)
    if not pattern:
        raise ctx.fail(rid, "pattern", "must not be empty")
    pattern = _expand(ctx, rid, "pattern", pattern, fragments)
    keywords = ctx.strings(d, "keywords", rid)
    if any(not k for k in keywords):
        raise ctx.fail(rid, "keywords", "an empty keyword would match every line; remove it")
    scope = ctx.string(d, "scope", rid) or "line"
    if scope not in SCOPES:
        raise ctx.fail(rid, "scope", f"must be one of {', '.join(SCOPES)}")
    zone = d.get("zone", ["head", "tail"])
    if isinstance(zone, str):
        zone = [zone]
    if not isinstance(zone, list) or not zone or any(z not in ZONE_SPECS for z in zone):
        raise ctx.fail(rid, "zone", f"must be a non-empty list of {', '.join(ZONE_SPECS)}")
    flags = ctx.strings(d, "flags", rid)
    bad = [f for f in flags if f not in FLAGS]
    if bad:
        raise ctx.fail(rid, "flags", f"unknown flag {bad[0]!r}; allowed: {', '.join(FLAGS)}")
    block: BlockSpec | None = None
    if scope == "block":
        b = raw.get("block")
        if not isinstance(b, dict):
            raise ctx.fail(rid, "block", "a block rule needs a [rules.block] table with 'end'")
        _unknown(ctx, b, {"end", "max_lines", "require_end"}, rid, "[rules.block]")
        end = _expand(ctx, rid, "block.end", ctx.string(b, "end", rid, required=True), fragments)
        max_lines = _or(ctx.integer(b, "max_lines", rid, lo=1), 12)
        block = BlockSpec(end, max_lines, bool(ctx.boolean(b, "require_end", rid)))
    elif "block" in raw:
        raise ctx.fail(rid, "block", "only scope = 'block' rules take a [rules.block] table")
    ex = raw.get("examples", {})
    if not isinstance(ex, dict):
        raise ctx.fail(rid, "examples", "must be a table with 'match' and 'no_match'")
    _unknown(ctx, ex, {"match", "no_match"}, rid, "[rules.examples]")
    ex_match = ctx.strings(ex, "match", rid)
    ex_no = ctx.strings(ex, "no_match", rid)
    if not ex_match:
        raise ctx.fail(rid, "examples.match", "every rule needs at least one example it must match")
    join_previous = bool(ctx.boolean(d, "join_previous", rid))
    if join_previous and scope != "span":
        raise ctx.fail(rid, "join_previous", "only span rules can join the previous line")
    return Rule(
        id=rid,
        category=category,
        pattern=pattern,
        version=_or(ctx.integer(d, "version", rid, lo=1), 1),
        description=ctx.string(d, "description", rid),
        keywords=keywords,
        prefilter=_expand(ctx, rid, "prefilter", ctx.string(d, "prefilter", rid), fragments),
        scope=scope,
        zone=tuple(cast("list[ZoneSpec]", zone)),
        flags=flags,
        priority=_or(ctx.integer(d, "priority", rid), 50),
        max_chars=_or(ctx.integer(d, "max_chars", rid), 0),
        max_per_doc=_or(ctx.integer(d, "max_per_doc", rid), 0),
        anchor=ctx.boolean(d, "anchor", rid) is not False,
        join_previous=join_previous,
        followed_by=_expand(ctx, rid, "followed_by", _followed_by(ctx, d, rid, scope), fragments),
        enabled=ctx.boolean(d, "enabled", rid) is not False,
        allow=tuple(_expand(ctx, rid, "allow", a, fragments) for a in ctx.strings(d, "allow", rid)),
        block=block,
        examples_match=ex_match,
        examples_no_match=ex_no,
        source=ctx.source,
    )


def _followed_by(ctx: _Ctx, d: Mapping[str, Any], rid: str, scope: str) -> str:
    value = ctx.string(d, "followed_by", rid)
    if value and scope == "span":
        raise ctx.fail(rid, "followed_by", "only line and block rules can look at the next line")
    return value


def parse_pack(text: str, source: str = "<string>") -> PackFile:
    """Parse one pack file's TOML text strictly: the first problem raises."""
    errors: list[RuleSchemaError] = []
    pf = _parse(text, source, errors)
    if errors:
        raise errors[0]
    return pf


def pack_problems(text: str, source: str = "<string>") -> tuple[PackFile, list[RuleSchemaError]]:
    """Every schema problem of one pack file (the first of each rule, and every problem outside
    rules), with what did parse: ``check-pack`` lists them all in one run."""
    errors: list[RuleSchemaError] = []
    return _parse(text, source, errors), errors


def _parse(text: str, source: str, errors: list[RuleSchemaError]) -> PackFile:
    ctx = _Ctx(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        errors.append(RuleSchemaError(f"{source}: not valid TOML: {e}"))
        return PackFile(source, source, "0", "", (), (), ())

    def table(key: str, allowed: set[str], what: str) -> dict[str, Any]:
        v = data.get(key, {})
        if not isinstance(v, dict):
            errors.append(ctx.fail(None, key, "must be a table"))
            return {}
        try:
            _unknown(ctx, v, allowed, None, what)
        except RuleSchemaError as e:
            errors.append(e)
        return v

    try:
        _unknown(ctx, data, _TOP_KEYS, None, "the pack")
    except RuleSchemaError as e:
        errors.append(e)
    pack = table("pack", _PACK_KEYS, "[pack]")
    defaults = table("defaults", _DEFAULT_KEYS, "[defaults]")
    fragments: dict[str, str] = {}
    try:
        fragments = _fragments(ctx, data)
    except RuleSchemaError as e:
        errors.append(e)
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        errors.append(ctx.fail(None, "rules", "must be an array of tables ([[rules]])"))
        raw_rules = []
    rules: list[Rule] = []
    seen: set[str] = set()
    for entry in raw_rules:
        known: Any = entry
        if isinstance(entry, dict):
            # an unknown key is reported, and the rule's known fields are still checked
            rid = entry.get("id") if isinstance(entry.get("id"), str) else None
            try:
                _unknown(ctx, entry, _RULE_KEYS, rid, "[[rules]]")
            except RuleSchemaError as e:
                errors.append(e)
            known = {k: v for k, v in entry.items() if k in _RULE_KEYS}
        try:
            r = _rule(ctx, known, defaults, fragments)
        except RuleSchemaError as e:
            errors.append(e)
            continue
        if r.id in seen:
            errors.append(ctx.fail(r.id, "id", "duplicate id in this pack"))
            continue
        seen.add(r.id)
        rules.append(r)
    allow_raw = data.get("allow", [])
    if not isinstance(allow_raw, list):
        errors.append(ctx.fail(None, "allow", "must be an array of tables ([[allow]]) with 'pattern'"))
        allow_raw = []
    allow: list[str] = []
    for a in allow_raw:
        try:
            if not isinstance(a, dict):
                raise ctx.fail(None, "allow", "each [[allow]] entry must be a table with 'pattern'")
            _unknown(ctx, a, {"pattern", "description"}, None, "[[allow]]")
            allow.append(_expand(ctx, None, "allow", ctx.string(a, "pattern", None, required=True), fragments))
        except RuleSchemaError as e:
            errors.append(e)
    fields: dict[str, str] = {}
    for key in ("name", "version", "description"):
        try:
            fields[key] = ctx.string(pack, key, None)
        except RuleSchemaError as e:
            errors.append(e)
    try:
        disabled = ctx.strings(pack, "disabled", None)
    except RuleSchemaError as e:
        errors.append(e)
        disabled = ()
    signals: tuple[Signal, ...] = ()
    scoring: tuple[tuple[str, float], ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    try:
        signals = tuple(_signal(ctx, x) for x in _tables(ctx, data, "signals"))
        if len({g.id for g in signals}) < len(signals):
            raise ctx.fail(None, "signals", "duplicate signal id in this pack")
        scoring = _numbers(ctx, data, "scoring", SCORING_KEYS)
        weights = _numbers(ctx, data, "weights", None)
    except RuleSchemaError as e:
        errors.append(e)
    return PackFile(
        source=source,
        name=fields.get("name") or source,
        version=fields.get("version") or "0",
        description=fields.get("description", ""),
        rules=tuple(rules),
        disabled=disabled,
        allow=tuple(allow),
        signals=signals,
        scoring=scoring,
        weights=weights,
        fragments=tuple(fragments.items()),
    )


def _tables(ctx: _Ctx, data: Mapping[str, Any], key: str) -> list[dict[str, Any]]:
    raw = data.get(key, [])
    if not isinstance(raw, list) or not all(isinstance(x, dict) for x in raw):
        raise ctx.fail(None, key, f"must be an array of tables ([[{key}]])")
    return cast("list[dict[str, Any]]", raw)


def _signal(ctx: _Ctx, raw: Mapping[str, Any]) -> Signal:
    sid = raw.get("id") if isinstance(raw.get("id"), str) else None
    _unknown(ctx, raw, {"id", "category", "description", "keywords", "pattern", "examples"}, sid, "[[signals]]")
    sid = ctx.string(raw, "id", None, required=True)
    if not set(sid) <= _ID_CHARS or "." not in sid:
        raise ctx.fail(sid, "id", "must look like 'signal.name' (lowercase ascii, digits, _ - .)")
    keywords = ctx.strings(raw, "keywords", sid)
    if not keywords or any(not k for k in keywords):
        raise ctx.fail(sid, "keywords", "a signal needs a non-empty list of non-empty words")
    pattern = ctx.string(raw, "pattern", sid)
    ex = raw.get("examples", {})
    if not isinstance(ex, dict):
        raise ctx.fail(sid, "examples", "must be a table with 'match' and 'no_match'")
    _unknown(ctx, ex, {"match", "no_match"}, sid, "[signals.examples]")
    match = ctx.strings(ex, "match", sid)
    if not match:
        raise ctx.fail(sid, "examples.match", "every signal needs at least one example it must match")
    return Signal(sid, ctx.string(raw, "category", sid) or "page_furniture", keywords, pattern,
                  ctx.string(raw, "description", sid), match, ctx.strings(ex, "no_match", sid), ctx.source)


def _numbers(
    ctx: _Ctx, data: Mapping[str, Any], key: str, allowed: tuple[str, ...] | None
) -> tuple[tuple[str, float], ...]:
    raw = data.get(key, {})
    if not isinstance(raw, dict):
        raise ctx.fail(None, key, f"must be a table ([{key}])")
    if allowed is not None:
        _unknown(ctx, raw, set(allowed), None, f"[{key}]")
    out: list[tuple[str, float]] = []
    for k, v in raw.items():
        if not isinstance(v, int | float) or isinstance(v, bool):
            raise ctx.fail(None, f"{key}.{k}", "must be a number")
        out.append((k, float(v)))
    return tuple(out)


__all__ = [
    "FLAGS", "SCOPES", "SCORING_KEYS", "ZONE_SPECS", "BlockSpec", "PackFile", "Rule", "Signal", "pack_problems",
    "parse_pack",
]
