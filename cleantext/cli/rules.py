"""``cleantext rules`` (the rules, listed) and ``cleantext check-pack`` (every problem of a pack,
from ``check.check_pack``)."""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from pathlib import Path

from ..check import check_pack
from ..config import DEFAULT_LIMITS
from ..model import POLICIES
from ..rules import builtin_sources
from ..rules.definitions import Rule
from .console import EXIT_FAILED, EXIT_OK, EXIT_USAGE, PROG, UsageError, binary_stdout, load_cleaner


def suggest(wanted: str, rules: Sequence[Rule]) -> str:
    """Near ids for a mistyped ``--rule``: close spellings of the name after the category (within
    the category when it exists), else that category's rules, else the categories."""
    by_category: dict[str, list[str]] = {}
    for r in rules:
        by_category.setdefault(r.category, []).append(r.id)
    category, _, name = wanted.rpartition(".")
    ids = sorted(r.id for r in rules)
    pool = sorted(by_category.get(category, ()))
    close: list[str] = []
    for group in (pool, ids):  # the named category first, then any category
        names = {i.split(".", 1)[-1]: i for i in group}
        close += [names[n] for n in difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.6)]
    if not pool:  # a misspelt category: compare whole ids
        close += difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))
    if close:
        return f"did you mean {', '.join(close[:3])}? (`cleantext rules` lists every rule)"
    if category in by_category:
        return f"rules of {category}: {', '.join(pool)}"
    cats = ", ".join(f"{c} ({len(v)})" for c, v in sorted(by_category.items()))
    return f"no rule is close; categories: {cats} (`cleantext rules CATEGORY` lists one)"


def format_rules(rules: Sequence[Rule]) -> list[str]:
    """One line per rule, grouped by category: id, scope, zones, ``anchor``, description."""
    width = max((len(r.id) for r in rules), default=0)
    lines: list[str] = []
    for category in sorted({r.category for r in rules}):
        group = sorted((r for r in rules if r.category == category), key=lambda r: r.id)
        lines.append(f"{category} ({len(group)} rule{'' if len(group) == 1 else 's'})")
        for r in group:
            zones = ",".join(r.zone)
            anchor = "anchor" if r.anchor and r.scope != "span" else ""
            lines.append(f"  {r.id:<{width}}  {r.scope:<5}  {zones:<14}  {anchor:<6}  {r.description}".rstrip())
    return lines


def cmd_rules(a: argparse.Namespace) -> int:
    pack = load_cleaner(a.pack, DEFAULT_LIMITS.max_bytes).pack
    rules: list[Rule] = list(pack.rules)
    if a.anchors:
        rules = [r for r in rules if r.anchor and r.scope != "span"]
    policies = [] if a.anchors else sorted(POLICIES)
    if a.select:
        picked = [r for r in rules if any(s in (r.id, r.category) or r.id.startswith(s) for s in a.select)]
        policies = [p for p in policies if any(p.startswith(s) for s in a.select)]
        if not picked and not policies:
            raise UsageError(f"no rule matches {' '.join(a.select)}; {suggest(a.select[0], rules)}")
        rules = picked
    lines = format_rules(rules)
    if policies:
        off = pack.policies_off
        lines.append(f"resolve policies ({len(policies)}; off with [pack] disabled = [id])")
        width = max(map(len, policies))
        lines += [f"  {p:<{width}}  {'off' if p in off else 'on':<3}  action={POLICIES[p]}" for p in policies]
    out = binary_stdout()
    out.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
    out.flush()
    return EXIT_OK


def cmd_check_pack(a: argparse.Namespace) -> int:
    if not a.packs and not a.builtins:
        raise UsageError("name at least one PACK.toml (or --builtins)")
    status = EXIT_OK
    ctx = builtin_sources()
    # (name, text or None to read from disk, context the pack is merged onto)
    checks: list[tuple[str, str | None, tuple[tuple[str, str], ...]]] = []
    if a.builtins:
        checks += [(n, t, ctx) for n, t in ctx]
    checks += [(p, None, () if a.no_builtins else ctx) for p in a.packs]
    for name, text, context in checks:
        try:
            body = Path(name).read_text(encoding="utf-8") if text is None else text
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            print(f"{PROG}: {name}: cannot read: {reason}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        problems, n_rules, n_examples = check_pack(name, body, context=context)
        for p in problems:
            print(p)
        if problems:
            print(f"{name}: {len(problems)} problem{'' if len(problems) == 1 else 's'}")
            status = max(status, EXIT_FAILED)
        else:
            print(f"{name}: ok ({n_rules} rules, {n_examples} examples)")
    return status
