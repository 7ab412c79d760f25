"""Render text so that nothing in it is invisible or ambiguous: diffs, rule-example failures,
``cleantext explain``. One rendering for the whole library, so a reader learns it once.

``"a\u200bb\t  \r\n"`` → ``"a⟨U+200B⟩b⟨TAB⟩⟨SP⟩⟨SP⟩⟨CR⟩⏎"``. The rendering is injective: two
different texts never look the same (our own markers ``⟨`` and ``⏎`` are escaped when they occur).

Layer 0: imports only ``cleantext.lines`` (lines are cut as the cleaner cuts them).
"""

from __future__ import annotations

from .lines import line_texts

LEGEND = (
    "(invisible and confusable characters are shown as ⟨U+XXXX⟩, a tab as ⟨TAB⟩, a carriage return "
    "as ⟨CR⟩, a trailing space as ⟨SP⟩; ⏎ ends a line)"
)


_EXTRA_INVISIBLE = frozenset(
    "\u034f"  # combining grapheme joiner
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers: letters that render as nothing
    "\u17b4\u17b5"  # Khmer inherent vowels
    "\u2800"  # braille blank
    "\ufffd"  # replacement character: marks undecodable bytes, worth seeing as such
)
_MARKERS = frozenset("\u27e8\u23ce")
"""``⟨`` and ``⏎``, our own markers: escaped when they occur in the text, so a rendering is never
ambiguous."""


def is_invisible(c: str) -> bool:
    """Whether ``c`` is shown as ``⟨U+XXXX⟩``: every non-printable character (controls, format
    characters such as U+200B-U+200F, U+2060 and U+FEFF, separators such as U+00A0 and U+3000,
    private use), variation selectors and a few letters that render as blank."""
    o = ord(c)
    return (
        not c.isprintable()
        or c in _EXTRA_INVISIBLE
        or 0xFE00 <= o <= 0xFE0F
        or 0xE0100 <= o <= 0xE01EF
    )


def _char(c: str) -> str:
    if c == "\t":
        return "⟨TAB⟩"
    if c == "\r":
        return "⟨CR⟩"
    if c == "\n":
        return "⏎"
    return f"⟨U+{ord(c):04X}⟩" if c in _MARKERS or is_invisible(c) else c


def visible_line(line: str) -> str:
    """One line (with its terminator) rendered for a diff: ``"a\\u200bb  \\r\\n"`` →
    ``"a⟨U+200B⟩b⟨SP⟩⟨SP⟩⟨CR⟩⏎"``. The rendering is injective, so two different lines never look
    the same."""
    nl = line.endswith("\n")
    body = line[:-1] if nl else line
    cr = body.endswith("\r")
    core = body[:-1] if cr else body
    kept = core.rstrip(" ")
    return (
        "".join(_char(c) for c in kept)
        + "⟨SP⟩" * (len(core) - len(kept))
        + ("⟨CR⟩" if cr else "")
        + ("⏎" if nl else "")
    )


def visible(s: str) -> str:
    """A whole string rendered line by line with ``visible_line``."""
    return "".join(visible_line(line) for line in line_texts(s))


__all__ = ["LEGEND", "is_invisible", "visible", "visible_line"]
