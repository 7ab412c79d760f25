"""Rule examples through the real matching path, and pack loading that checks them.

A rule's example passes only if the rule, alone in a matcher, really removes it: the keyword
prefilter (or the rule's ``prefilter`` pattern) must hand the line to the pattern, ``max_chars``,
the rule's and the pack's ``allow``, ``followed_by`` and resolve's long-prose refusal all apply,
exactly as ``Cleaner`` runs them. Only the zones are forced open: the example is tried as a
document whose every line sits in one of the rule's zones, in turn, because zoning depends on the
surrounding document, which an example does not have. The document cap is lifted for the same
reason (one line is 100 % of its document). Testing the pattern alone let rules pass whose
keyword never occurs in their own match example, i.e. rules that can never fire.

This is the one runner: pack loading (``load_pack`` checks user packs), ``cleantext
check-pack`` (``check_pack``: every problem of one pack's text, listed rather than raised), the
pytest ``--cleantext-packs`` items and the built-in rules' tests all use it. It sits at the
engine layer because it runs match and resolve; ``rules`` only parses and compiles.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Literal

import regex

from .config import DEFAULT_LIMITS, Limits
from .errors import RuleExampleError, RulePackError, RuleTimeoutError
from .match import Matcher, matcher_of, prefilter, run_rules
from .model import ZONES, Layout, Zone
from .resolve import resolve
from .rules import RulePack, builtin_sources, disabled_problem, read_source
from .rules.compile import CompiledRule, compile_pattern, compile_rule
from .rules.examples import EXAMPLE_TIMEOUT, ExampleResult, run_signal_examples
from .rules.schema import pack_problems, parse_pack
from .rules.shadow import keyword_key, shadow, to_key
from .segment import has_punctuation, split_lines
from .visible import visible

EXAMPLE_LIMITS: Limits = replace(DEFAULT_LIMITS, regex_timeout=EXAMPLE_TIMEOUT, cap_min_chars=2**62)
"""The cleaner's limits, but with the per-rule time budget of one example and no document cap."""


def forced_layout(text: str, zone: Zone) -> Layout:
    """``text`` as a document whose every line lies in ``zone``."""
    starts, ends, stops = split_lines(text)
    n = len(starts)
    head_end, tail_start = {"head": (n, n), "body": (0, n), "tail": (0, 0)}[zone]
    return Layout(starts, ends, stops, head_end, tail_start)


def one_rule_matcher(rule: CompiledRule, allow: tuple[regex.Pattern[str], ...] = ()) -> Matcher:
    """``rule`` alone with the pack's ``[[allow]]`` patterns: its keywords are the whole prefilter."""
    return matcher_of((rule,), allow)


def removing_zone(m: Matcher, text: str) -> Zone | None:
    """The first zone of the matcher's rule in which matching and resolving ``text`` (every line in
    that zone) leaves a removal by that rule, or ``None``. Raises ``RuleTimeoutError`` when the
    rule runs out of time."""
    (rule,) = m.rules
    starts, _, _ = split_lines(text)
    pre = prefilter(m, text, starts)
    for zone in (z for z in ZONES if z in rule.zones):
        layout = forced_layout(text, zone)
        candidates, _ = run_rules(m, text, layout, pre, EXAMPLE_LIMITS, strict=True)
        removals, _ = resolve(text, layout, candidates, EXAMPLE_LIMITS, m.caps)
        if any(r.rule == rule.id for r in removals):
            return zone
    return None


def _first_hit(patterns: tuple[regex.Pattern[str], ...], s: str) -> str | None:
    return next((p.pattern for p in patterns if p.search(s, timeout=EXAMPLE_TIMEOUT)), None)


def why_missed(m: Matcher, text: str) -> str:
    """Which stage of the matching path drops a ``match`` example, checked in the path's order on
    the example's first line (the candidate line)."""
    (cr,) = m.rules
    r = cr.rule
    line = text.split("\n", 1)[0].rstrip("\r")
    sh = shadow(line)
    key = to_key(sh)
    if r.keywords and not any(keyword_key(k) in key for k in r.keywords) and (
        cr.prefilter is None or cr.prefilter.search(sh) is None
    ):
        return (f"none of the rule's keywords ({', '.join(r.keywords)}) occurs in this `match` example, so the "
                "keyword prefilter never hands the line to the pattern")
    if cr.prefilter is not None and not r.keywords and cr.prefilter.search(sh) is None:
        return f"the rule's prefilter {cr.prefilter.pattern!r} does not hit this `match` example"
    if r.scope != "span" and r.max_chars and len(line.strip()) > r.max_chars:
        return (f"this `match` example is {len(line.strip())} characters, over the rule's max_chars = {r.max_chars}, "
                "so the pattern never runs on it")
    if cr.pattern.search(sh, timeout=EXAMPLE_TIMEOUT) is None:
        return "the pattern misses this `match` example, so the rule would leave it in the text"
    veto = _first_hit(cr.allow, sh)
    if veto is not None:
        return f"the pattern matches this `match` example, but the allow pattern {veto!r} vetoes it"
    veto = _first_hit(m.allow, sh)
    if veto is not None and r.category != "invisible":
        return f"the pattern matches this `match` example, but the pack's [[allow]] pattern {veto!r} protects it"
    if cr.followed_by is not None:
        return ("the line after this `match` example's first line does not match followed_by "
                f"{r.followed_by!r} (or there is no such line)")
    if cr.zones == {"body"} and len(line.strip()) > EXAMPLE_LIMITS.body_line_max_chars and has_punctuation(line):
        return (f"this `match` example is long prose (over {EXAMPLE_LIMITS.body_line_max_chars} characters, "
                "with punctuation) and the rule runs only in the body zone, where such lines are never removed")
    return "the rule removes nothing from this `match` example on the real matching path"


Kind = Literal["match", "no_match"]


def run_examples(rule: CompiledRule, allow: tuple[regex.Pattern[str], ...] = ()) -> list[ExampleResult]:
    """Every example of ``rule`` through a one-rule matcher with the pack's ``allow`` patterns."""
    m = one_rule_matcher(rule, allow)
    results: list[ExampleResult] = []
    runs: tuple[tuple[Kind, tuple[str, ...], bool], ...] = (
        ("match", rule.rule.examples_match, True), ("no_match", rule.rule.examples_no_match, False))
    for kind, examples, want in runs:
        for i, ex in enumerate(examples):
            shown = repr(visible(ex))
            try:
                zone = removing_zone(m, ex)
                if (zone is not None) == want:
                    why = msg = ""
                elif want:
                    why = why_missed(m, ex)
                    msg = (f"pattern missed the example {shown}; pattern: {rule.rule.pattern}"
                           if why.startswith("the pattern misses") else f"{why} (example {shown})")
                else:
                    why = "the pattern matches this `no_match` example, so the rule would remove it"
                    msg = f"pattern matched the example {shown}; pattern: {rule.rule.pattern}"
            except (TimeoutError, RuleTimeoutError):
                why = "the rule timed out on this example (catastrophic backtracking?)"
                msg = f"pattern timed out on {shown} (catastrophic backtracking?)"
            results.append(ExampleResult(rule.id, kind, i, ex, not msg, msg, why))
    return results


def pack_allow(pack: RulePack) -> tuple[regex.Pattern[str], ...]:
    return tuple(compile_pattern(a, (), "[[allow]]") for a in pack.allow)


def example_results(pack: RulePack, *, builtin: bool = True) -> list[ExampleResult]:
    """Every rule's and signal's example results (``builtin=False``: user packs' only)."""
    allow = pack_allow(pack)

    def wanted(source: str) -> bool:
        return builtin or not source.startswith("builtin:")

    return [res for r in pack.compiled() if wanted(r.rule.source) for res in run_examples(r, allow)] + [
        res for g in pack.signals if wanted(g.source) for res in run_signal_examples(g)
    ]


def examples_checked(pack: RulePack) -> RulePack:
    """``pack``, or ``RuleExampleError`` naming the first user rule or signal that fails an example.

    Built-in rules' examples are the test suite's job (tests/test_rules.py runs every one): a user
    cannot fix them, and one slip there must not stop every load of a user pack."""
    failures = [res for res in example_results(pack, builtin=False) if not res.ok]
    if failures:
        f0 = failures[0]
        sources = {r.id: r.source for r in pack.rules} | {g.id: g.source for g in pack.signals}
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RuleExampleError(f"{sources[f0.rule]}: rule {f0.rule!r}: example {f0.name}: {f0.message}{more}")
    return pack


def load_pack(*paths: str | os.PathLike[str], builtins: bool = True, check_examples: bool = True) -> RulePack:
    """Built-in packs (unless ``builtins=False``) plus the given TOML files, merged in order; the
    user packs' examples are run through the real matching path (unless ``check_examples=False``)."""
    pack = RulePack((builtin_sources() if builtins else ()) + tuple(read_source(p) for p in paths))
    return examples_checked(pack) if check_examples else pack


def pack_from_text(text: str, *, name: str = "<string>", builtins: bool = False) -> RulePack:
    """A pack from TOML text (tests, notebooks), its examples checked as ``load_pack`` does."""
    return examples_checked(RulePack((builtin_sources() if builtins else ()) + ((name, text),)))


def check_pack_file(path: str, *, builtins: bool = True) -> tuple[list[str], int, int]:
    """Problems of one pack file, with the numbers of rules and examples checked.

    Raises ``OSError``/``UnicodeDecodeError`` when the file cannot be read (the caller's exit 2).
    """
    text = Path(path).read_text(encoding="utf-8")
    return check_pack(path, text, context=builtin_sources() if builtins else ())


def check_pack(name: str, text: str, *, context: tuple[tuple[str, str], ...] = ()) -> tuple[list[str], int, int]:
    """Problems of one pack's TOML text (``"<name>: <rule id>::<example>: <what>"``).

    Unlike loading, which stops at the first problem, this lists every schema problem, compiles
    every rule and ``[[allow]]`` pattern and runs every example, so one run lists everything to
    fix. Examples run through the real matching path (``run_examples``: keywords, max_chars,
    allow lists, followed_by, resolve), with every line in the rule's zones. Rules that are
    disabled are checked too: they are still text someone maintains.
    ``context`` (the built-ins) is merged first, as at load time, so ``disabled`` and overrides
    are validated against what they refer to.
    """
    pf, errors = pack_problems(text, name)
    problems = [_named(name, str(e)) for e in errors]
    if not any("not valid TOML" in p for p in problems):
        files = (*(parse_pack(t, n) for n, t in context if n != name), pf)
        known = {r.id for f in files for r in f.rules} | {g.id for f in files for g in f.signals}
        problem = disabled_problem(files, known)
        if problem:
            problems.append(_named(name, problem))
    # the [[allow]] of the built-ins and of this pack protect lines from its rules, as at load time
    allow: list[regex.Pattern[str]] = []
    for n, t in context:
        if n != name:
            allow.extend(compile_pattern(p, (), f"{n}: [[allow]]") for p in parse_pack(t, n).allow)
    for i, pattern in enumerate(pf.allow):
        try:
            allow.append(compile_pattern(pattern, (), f"{name}: [[allow]][{i}]"))
        except RulePackError as e:
            problems.append(str(e))
    n_examples = 0
    for rule in pf.rules:
        try:
            compiled = compile_rule(rule)
        except RulePackError as e:
            problems.append(_named(name, str(e)))
            continue
        for res in run_examples(compiled, tuple(allow)):
            n_examples += 1
            if not res.ok:
                problems.append(f"{name}: {res.name}: {res.message}")
    return problems, len(pf.rules), n_examples


def _named(name: str, msg: str) -> str:
    return msg if msg.startswith(name) else f"{name}: {msg}"


__all__ = [
    "EXAMPLE_LIMITS", "check_pack", "check_pack_file", "example_results", "examples_checked", "forced_layout",
    "load_pack", "one_rule_matcher", "pack_allow", "pack_from_text", "removing_zone", "run_examples", "why_missed",
]
