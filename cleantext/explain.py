"""``cleantext explain`` as text: each removal marked inline in the document it came from.

Library logic, not argument parsing, so it sits beside ``visible.py`` (whose rendering it uses for
what a removal took) and the CLI only prints what this returns. Layer: imports ``model`` and
``visible`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from .model import Removal
from .visible import visible

_RED_STRIKE = "\x1b[9;31m"
_TAG = "\x1b[2;33m"
_RESET = "\x1b[0m"
_OWN_WORD = frozenset({"line", "span", "score"})
"""Actions the tag leaves unsaid: a rule's own line or span, and a score (its note says it)."""


def _escape_controls(s: str) -> str:
    """Control characters of the *document* shown as ⟨U+001B⟩ on a terminal: a file must not be
    able to drive the user's terminal through ``cleantext explain``."""
    if not any((ord(c) < 0x20 and c not in "\t\n\r") or c == "\x7f" for c in s):
        return s
    return "".join(
        f"⟨U+{ord(c):04X}⟩" if (ord(c) < 0x20 and c not in "\t\n\r") or c == "\x7f" else c for c in s
    )


def _score_note(r: Removal, thresholds: Mapping[str, float]) -> str:
    """`` score 2.31 ≥ 1.00: signal.account +1.20, zone.tail +1.35, …``: the sum against the zone's
    threshold and the features that weighed most."""
    top = sorted(r.signals, key=lambda kv: -abs(kv[1]))[:5]
    parts = ", ".join(f"{k} {v:+.2f}" for k, v in top)
    return f" score {r.score:.2f} ≥ {thresholds.get(r.zone, 0.0):.2f}: {parts}"


def render_explain(
    text: str, removals: Sequence[Removal], *, color: bool, thresholds: Mapping[str, float] | None = None
) -> str:
    """``text`` with each removal marked inline, line breaks kept where they were.

    Plain: ``[-removed text-]{rule category zone}``, plus ``(absorbed)``, ``(blank)``,
    ``(title-copy)``, ``(excerpt)`` or ``(block)`` for what a rule did not match on its own line
    (``model.Action``); a scored removal adds its sum against the zone's threshold and its
    heaviest features; coloured: the removed text struck through in
    red and the tag dimmed. Invisible characters inside a removal are spelled out (``⟨U+200B⟩``)
    so a zero-width watermark is visible; a removed line's own terminator stays a real line break.
    """
    out: list[str] = []
    pos = 0
    body: Callable[[str], str] = _escape_controls if color else (lambda s: s)
    for r in removals:
        out.append(body(text[pos : r.start]))
        removed = r.text
        term = ""
        for t in ("\r\n", "\n", "\r"):
            if removed.endswith(t):
                term, removed = t, removed[: -len(t)]
                break
        inner = visible(removed) if removed else "⏎"
        tag = f"{r.rule} {r.category} {r.zone}" + ("" if r.action in _OWN_WORD else f" ({r.action})")
        if r.score is not None:
            tag += _score_note(r, thresholds or {})
        if color:
            out.append(f"{_RED_STRIKE}{inner}{_RESET}{_TAG}{{{tag}}}{_RESET}{term}")
        else:
            out.append(f"[-{inner}-]{{{tag}}}{term}")
        pos = r.end
    out.append(body(text[pos:]))
    return "".join(out)


__all__ = ["render_explain"]
