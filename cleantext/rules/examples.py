"""Example results, and the runner of signals' examples.

Rules' examples run through the real matching path (a one-rule matcher): that runner is
``cleantext.check``, at the engine layer, because it needs match and resolve. Signals are plain
keyword-and-pattern tests and are checked here.
"""

from __future__ import annotations

import re as regex_module
from dataclasses import dataclass
from typing import Literal

from ..visible import visible
from .definitions import Signal
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
    why: str = ""
    """For a failed rule example: which stage of the matching path decided, as a sentence about
    "this example" (the pytest plugin's explanation)."""

    @property
    def name(self) -> str:
        """Stable test-item name: ``rule-id::match[0]``."""
        return f"{self.rule}::{self.kind}[{self.index}]"


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
                f"signal {'missed' if want else 'fired on'} the example {visible(ex)!r}; "
                f"keywords: {', '.join(signal.keywords)}" + (f"; pattern: {signal.pattern}" if signal.pattern else "")
            )
            results.append(ExampleResult(signal.id, kind, i, ex, got == want, msg))  # type: ignore[arg-type]
    return results


__all__ = ["EXAMPLE_TIMEOUT", "ExampleResult", "run_signal_examples", "signal_fires"]
