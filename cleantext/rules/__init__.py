"""Rule packs: TOML data → validated, compiled rules.

A ``RulePack`` merges packs in order: the same ``id`` replaces a built-in rule, ``[pack] disabled =
[...]`` or ``enabled = false`` turns rules off; ``disabled`` also turns off the resolve policies
(``model.POLICIES``: absorption, blank lines, title copies, the repeated excerpt) by their ids.
``cleantext.load_pack`` (``check.py``) reads user packs on top of the built-ins and runs their
examples through the real matching path, which lives above this layer. A ``RulePack`` pickles as
its user packs' source texts and the built-in packs' names, and recompiles lazily once per
process, so shipping one to workers costs a few KB.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import RulePackError, RuleSchemaError
from ..model import POLICIES, PackRef
from .compile import CompiledRule, compile_rule, pack_sha256
from .definitions import PackFile, Rule, Signal
from .schema import parse_pack

BUILTIN_NAME = "builtin"
BUILTIN_VERSION = "2026.11"


@cache
def builtin_sources() -> tuple[tuple[str, str], ...]:
    """(name, TOML text) of every built-in pack, in a stable order (read once per process)."""
    root = resources.files("cleantext.rules") / "packs"
    files = sorted((p for p in root.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return tuple((f"builtin:{p.name}", p.read_text(encoding="utf-8")) for p in files)


@dataclass(frozen=True)
class RulePack:
    """A merged, validated set of rules; ``ref`` pins it in every report."""

    sources: tuple[tuple[str, str], ...]
    """(source name, TOML text) in load order; all a pack needs to be rebuilt elsewhere."""
    files: tuple[PackFile, ...] = field(init=False, repr=False, compare=False)
    rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    allow: tuple[str, ...] = field(init=False, repr=False, compare=False)
    signals: tuple[Signal, ...] = field(init=False, repr=False, compare=False)
    scoring: dict[str, float] = field(init=False, repr=False, compare=False)
    """Zone thresholds and the prose guard of scored removals (``[scoring]``, later packs win)."""
    weights: dict[str, float] = field(init=False, repr=False, compare=False)
    """Fitted weight per signal and feature (``[weights]``, later packs win)."""
    ref: PackRef = field(init=False, compare=False)
    policies_off: frozenset[str] = field(init=False, repr=False, compare=False)
    """Ids of the resolve policies (``model.POLICIES``) that ``[pack] disabled`` turns off."""

    def __post_init__(self) -> None:
        files = tuple(parse_pack(text, name) for name, text in self.sources)
        merged: dict[str, Rule] = {}
        disabled: set[str] = set()
        allow: list[str] = []
        signals: dict[str, Signal] = {}
        scoring: dict[str, float] = {}
        weights: dict[str, float] = {}
        for f in files:
            for r in f.rules:
                merged[r.id] = r  # later packs override: same id replaces
            signals.update((g.id, g) for g in f.signals)
            scoring.update(f.scoring)
            weights.update(f.weights)
            disabled.update(f.disabled)
            allow.extend(f.allow)
        problem = disabled_problem(files, set(merged) | set(signals))
        if problem:
            raise RuleSchemaError(problem)
        rules = tuple(
            r for r in sorted(merged.values(), key=lambda r: r.id) if r.enabled and r.id not in disabled
        )
        user = [f for f in files if not f.source.startswith("builtin:")]
        has_builtin = len(user) < len(files)
        names = ([BUILTIN_NAME] if has_builtin else []) + [f.name for f in user]
        versions = ([BUILTIN_VERSION] if has_builtin else []) + [f.version for f in user]
        canonical: dict[str, Any] = {
            "rules": [r.canonical() for r in sorted(merged.values(), key=lambda r: r.id)],
            "disabled": sorted(disabled),
            "allow": allow,
            "signals": [g.canonical() for g in sorted(signals.values(), key=lambda g: g.id)],
            "scoring": dict(sorted(scoring.items())),
            "weights": dict(sorted(weights.items())),
        }
        object.__setattr__(self, "files", files)
        object.__setattr__(self, "rules", rules)
        object.__setattr__(self, "allow", tuple(allow))
        object.__setattr__(self, "signals", tuple(
            g for g in sorted(signals.values(), key=lambda g: g.id) if g.id not in disabled))
        object.__setattr__(self, "scoring", scoring)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "policies_off", frozenset(disabled & POLICIES.keys()))
        object.__setattr__(self, "ref", PackRef("+".join(names), "+".join(versions), pack_sha256(canonical)))

    def compiled(self) -> tuple[CompiledRule, ...]:
        """Compiled rules, cached per process by pack hash."""
        return _compile(self.ref.sha256, self.rules)

    def __reduce__(self) -> tuple[Any, ...]:
        """Built-in packs travel by name, user packs as their TOML text: a pickled pack is a few
        KB, not the ~260 KB of built-in rule text, and is compiled lazily where it lands."""
        installed = dict(builtin_sources())
        shipped = tuple((n, None if installed.get(n) == t else t) for n, t in self.sources)
        return (_unpickle_pack, (shipped, self.ref.sha256))


def _unpickle_pack(sources: tuple[tuple[str, str | None], ...], sha256: str) -> RulePack:
    """Rebuild a pickled ``RulePack``; the built-in packs named in it must be the same text here."""
    installed = dict(builtin_sources())
    missing = [n for n, t in sources if t is None and n not in installed]
    if missing:
        raise RulePackError(f"unpickling a rule pack: built-in pack {missing[0]} is not installed here")
    pack = RulePack(tuple((n, installed[n] if t is None else t) for n, t in sources))
    if pack.ref.sha256 != sha256:
        raise RulePackError(
            "unpickling a rule pack: the built-in packs installed here differ from those of the process that "
            "pickled it (another cleantext version?)"
        )
    return pack


def disabled_problem(files: tuple[PackFile, ...], known: set[str]) -> str | None:
    """The first ``[pack] disabled`` entry that names no loaded rule (nor a resolve policy of
    ``model.POLICIES``, always known), as an error naming its file.

    A built-in id disabled while the built-ins are not loaded (``load_pack(p, builtins=False)``,
    ``check-pack --no-builtins``) is still an error, not silently ignored: the same file would then
    behave differently with and without the built-ins, and the message says what to change.
    """
    for f in files:
        for rid in f.disabled:
            if rid in known or rid in POLICIES:
                continue
            msg = f"{f.source}: [pack] disabled names unknown rule {rid!r}"
            if not any(g.source.startswith("builtin:") for g in files) and rid in _builtin_ids():
                msg += (" (a built-in rule, but the built-in packs are not loaded: load them, or drop it from "
                        "`disabled` when using the pack alone)")
            return msg
    return None


@cache
def _builtin_ids() -> frozenset[str]:
    return frozenset(r.id for name, text in builtin_sources() for r in parse_pack(text, name).rules)


_COMPILED: dict[str, tuple[CompiledRule, ...]] = {}


def _compile(sha: str, rules: tuple[Rule, ...]) -> tuple[CompiledRule, ...]:
    got = _COMPILED.get(sha)
    if got is None:
        got = _COMPILED[sha] = tuple(compile_rule(r) for r in rules)
    return got


def read_source(path: str | os.PathLike[str]) -> tuple[str, str]:
    p = Path(path)
    try:
        return (str(p), p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise RuleSchemaError(f"{p}: cannot read rule pack: {e}") from e


@cache
def default_pack() -> RulePack:
    """The built-in packs, validated once per process."""
    return RulePack(builtin_sources())


__all__ = [
    "BUILTIN_NAME",
    "BUILTIN_VERSION",
    "RulePack",
    "builtin_sources",
    "default_pack",
    "disabled_problem",
    "read_source",
]
