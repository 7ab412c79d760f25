"""One runner for rule examples, shared by load-time validation, the test suite, the CLI's
``check-pack`` and the pytest plugin, so a rule means the same thing everywhere.

An example is one line of text as it would appear in a document. ``match`` examples must be hit
by the pattern (on the example's shadow) and not vetoed by the rule's ``allow`` patterns;
``no_match`` examples must not be removed.
"""

from __future__ import annotations

import re as regex_module
from dataclasses import dataclass
from typing import Literal

from ..visible import visible
from .compile import CompiledRule
from .schema import Signal
from .shadow import shadow, to_key

EXAMPLE_TIMEOUT = 1.0
"""Seconds one example may take: generous for honest patterns, short enough that a
catastrophically backtracking pattern fails loading instead of hanging it."""


@dataclass(frozen=True, slots=True)
class ExampleResult:
    rule: str
    kind: Literal["match", "no_match"]
    index: int
    example: str
    ok: bool
    message: str

    @property
    def name(self) -> str:
        """Stable test-item name: ``rule-id::match[0]``."""
        return f"{self.rule}::{self.kind}[{self.index}]"


def escape_invisible(s: str) -> str:
    """Show invisible and confusable characters (``⟨U+200B⟩``, ``⟨TAB⟩``, ``⟨CR⟩``) in messages;
    the rendering of ``cleantext.visible``, shared with the pytest plugin and ``explain``."""
    return visible(s)


def fires(rule: CompiledRule, text: str, timeout: float = EXAMPLE_TIMEOUT) -> bool:
    """Whether ``rule`` removes something from ``text`` (a line, or lines for span rules).

    For a rule with ``followed_by`` the example's first line is the candidate and the next
    non-blank line is what follows it (``"标题（全文3000字）\n# 真标题"``).
    """
    sh = shadow(text)
    if rule.followed_by is not None:
        sh, _, rest = sh.partition("\n")
        following = next((line for line in rest.split("\n") if line.strip()), None)
        if following is None or rule.followed_by.search(following, timeout=timeout) is None:
            return False
    if rule.pattern.search(sh, timeout=timeout) is None:
        return False
    return not any(a.search(sh, timeout=timeout) for a in rule.allow)


def signal_fires(signal: Signal, text: str) -> bool:
    """Whether ``signal`` fires on the line ``text``: a keyword in its lowered shadow and, when the
    signal has one, its pattern too. ``features.extract`` finds the keywords with one automaton
    over the whole document; the meaning is this."""
    key = to_key(shadow(text))
    if not any(to_key(k) in key for k in signal.keywords):
        return False
    return not signal.pattern or regex_module.search(signal.pattern, shadow(text), regex_module.IGNORECASE) is not None


def run_signal_examples(signal: Signal) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for kind, examples, want in (("match", signal.examples_match, True), ("no_match", signal.examples_no_match, False)):
        for i, ex in enumerate(examples):
            got = signal_fires(signal, ex)
            msg = "" if got == want else (
                f"signal {'missed' if want else 'fired on'} the example {escape_invisible(ex)!r}; "
                f"keywords: {', '.join(signal.keywords)}" + (f"; pattern: {signal.pattern}" if signal.pattern else "")
            )
            results.append(ExampleResult(signal.id, kind, i, ex, got == want, msg))  # type: ignore[arg-type]
    return results


def run_examples(rule: CompiledRule) -> list[ExampleResult]:
    results: list[ExampleResult] = []
    for kind, examples, want in (
        ("match", rule.rule.examples_match, True),
        ("no_match", rule.rule.examples_no_match, False),
    ):
        for i, ex in enumerate(examples):
            try:
                got = fires(rule, ex)
                msg = "" if got == want else (
                    f"pattern {'missed' if want else 'matched'} the example {escape_invisible(ex)!r}; "
                    f"pattern: {rule.rule.pattern}"
                )
            except TimeoutError:
                got, msg = not want, f"pattern timed out on {escape_invisible(ex)!r} (catastrophic backtracking?)"
            results.append(ExampleResult(rule.id, kind, i, ex, got == want and not msg, msg))  # type: ignore[arg-type]
    return results


__all__ = [
    "EXAMPLE_TIMEOUT", "ExampleResult", "escape_invisible", "fires", "run_examples", "run_signal_examples",
    "signal_fires",
]
