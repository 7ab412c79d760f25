"""Quick forms of line-local prefilters: patterns that hit the same lines but that ``re`` can skip
ahead in, instead of trying a match at every position of the text."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from .patterns import _REPEATS, any_node

_CLASS_OF = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_WORD: r"\w",
}
_OVER_NEGATED = {sre.CATEGORY_NOT_SPACE: r"\s", sre.CATEGORY_NOT_DIGIT: r"\d", sre.CATEGORY_NOT_WORD: r"\w"}
"""A negated class holding ``\\S`` (``[^\\S\\n]``) is part of ``\\s``: what ``_first`` widens it to."""


@cache
def _space_but_newline() -> str:
    """``\\s`` without the newline, as class members: a first character ``[^\\n]`` must match (so a
    class with ``\\s`` no longer stops at each of a document's newlines to try the lookarounds)."""
    spaces = re.findall(r"\s", "".join(map(chr, range(0x3100))))  # every ``\s`` code point is below U+3100
    return "".join(re.escape(c) for c in spaces if c != "\n")


def _class_items(op: Any, av: Any) -> list[str] | None:
    """One consumed item as members of a character class (``None``: too wide to help)."""
    if op is sre.LITERAL:
        return [re.escape(chr(av))]
    if op is not sre.IN:
        return None
    if av and av[0][0] is sre.NEGATE:
        wider = [_OVER_NEGATED[a] for o, a in av[1:] if o is sre.CATEGORY and a in _OVER_NEGATED]
        return wider[:1] or None
    out: list[str] = []
    for o, a in av:
        if o is sre.LITERAL:
            out.append(re.escape(chr(a)))
        elif o is sre.RANGE:
            out.append(re.escape(chr(a[0])) + "-" + re.escape(chr(a[1])))
        elif o is sre.CATEGORY and a in _CLASS_OF:
            out.append(_CLASS_OF[a])
        else:
            return None
    return out


def _first(items: Any) -> tuple[list[str], bool] | None:
    """Class members that hold the first character of every match of ``items`` (a parsed ``re``
    pattern, more is fine), and whether it can match empty; ``None`` when that is no use."""
    out: list[str] = []
    for op, av in items:
        if op is sre.ASSERT and av[0] > 0 and not out:
            ahead = _first(av[1])  # a lookahead at the start sees the first character too
            if ahead is not None and not ahead[1] and ahead[0]:
                return ahead
        if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue  # zero-width: the next item consumes the first character
        if op in _REPEATS:
            got = _first(av[2])
            empty = av[0] == 0
        elif op is sre.SUBPATTERN:
            got = None if av[1] & re.IGNORECASE else _first(av[3])
            empty = False
        elif op is sre.ATOMIC_GROUP:
            got, empty = _first(av), False
        elif op is sre.BRANCH:
            alts = [_first(b) for b in av[1]]
            if any(a is None for a in alts):
                return None
            got = ([c for a in alts if a for c in a[0]], any(a[1] for a in alts if a))
            empty = False
        else:
            members = _class_items(op, av)
            if members is None:
                return None
            got, empty = (members, False), False
        if got is None:
            return None
        out.extend(got[0])
        if not (empty or got[1]):
            return out, False
    return out, True


_LINE_START = re.compile(r"(\(\?[aimsux]+\))?(\^|\(\?<=\\n\))")


def quick_form(p: re.Pattern[str]) -> tuple[re.Pattern[str], bool, int] | None:
    """A pattern that starts a match on exactly the lines where the line-local ``p`` starts one, but
    that ``re`` can skip ahead in (it tries a pattern opening with ``^`` or a lookaround at every
    position, one opening with a character only where that character is); whether it runs on the
    text with a newline put in front; and how far after a hit its line starts. ``^X`` becomes
    ``\\nX`` on the text with a newline in front (a search for the newline itself), ``(?<=\\n)X``
    becomes ``\\nX`` (its line starts one after the hit), any other ``X`` becomes
    ``[F](?<=(?=X)[^\\n])`` where ``F`` holds every first character of a match: a hit on each
    character where ``X`` matches, so every line where it does. ``None`` when neither is sure."""
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
    except (re.error, RecursionError):  # pragma: no cover - it compiled
        return None
    head = _LINE_START.match(p.pattern)
    lead = tree.data[0] if tree.data else None
    caret = lead == (sre.AT, sre.AT_BEGINNING)
    behind = (lead is not None and lead[0] is sre.ASSERT and lead[1][0] < 0
              and list(lead[1][1]) == [(sre.LITERAL, 10)])
    try:
        if head and (caret or behind) and (head.group(2) == "^") == caret:
            if caret and any_node(tree.data[1:], _looks_back):
                return None  # before the first line, the newline put in front would be seen
            nl = re.compile((head.group(1) or "") + "\\n(?:" + p.pattern[head.end() :] + ")", p.flags)
            return nl, caret, 0 if caret else 1
        first = _first(tree)
        if re.match(r"\(\?[aimsux]+\)", p.pattern) or first is None or first[1] or not first[0]:
            return None  # global flags cannot go inside; no first character, or an empty match
        if tree.state.flags & re.IGNORECASE:
            return None
        members = [_space_but_newline() if c == r"\s" else c for c in dict.fromkeys(first[0]) if c != "\\\n"]
        if not members:
            return None
        cls = "[" + "".join(members) + "]"
        return re.compile(cls + "(?<=(?=" + p.pattern + ")[^\\n])", p.flags), False, 0
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def starts_form(p: re.Pattern[str]) -> re.Pattern[str] | None:
    """A pattern hitting (one character long) every position where ``p`` has a match, for a ``p``
    that is not line-local: ``[F](?<=(?=X)(?s:.))``, ``F`` every first character of a match of ``X``.
    ``re`` skips to the characters of ``F`` instead of trying ``X`` at every position (the prefilter of
    ``novel-reader-tip`` opens with a lookahead, which ``re`` cannot skip by). ``None``: no such
    ``F``, a global flag, case folding, or a match that can be empty (``run._pattern_hits`` replays
    ``finditer`` from these positions, which needs every match to move on)."""
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
        first = _first(tree)
        if (re.match(r"\(\?[aimsux]+\)", p.pattern) or first is None or first[1] or not first[0]
                or tree.state.flags & re.IGNORECASE or tree.getwidth()[0] == 0):
            return None
        cls = "[" + "".join(dict.fromkeys(first[0])) + "]"
        return re.compile(cls + "(?<=(?=" + p.pattern + ")(?s:.))", p.flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


def _looks_back(op: Any, av: Any) -> bool:
    """A lookbehind, ``\\A`` or a conditional (``any_node`` of the rest of a ``^X`` pattern)."""
    return ((op is sre.ASSERT or op is sre.ASSERT_NOT) and av[0] < 0) or (
        op is sre.AT and av is sre.AT_BEGINNING_STRING) or op is sre.GROUPREF_EXISTS


@lru_cache(maxsize=4096)
def at_line_start(p: re.Pattern[str]) -> bool:
    """Whether every match of ``p`` starts at the text's start or after a ``\\n``: the pattern opens
    with ``^`` (``\\A``) or ``(?<=\\n)``, in every top-level branch. Such prefilters (most of
    ``reseller_header``'s that look at neighbouring lines) are then tried at the line starts only."""
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return False
    return _opens_at_line_start(list(tree))


def _opens_at_line_start(items: list[Any]) -> bool:
    if not items:
        return False
    op, av = items[0]
    if op is sre.AT:
        return av in {sre.AT_BEGINNING, sre.AT_BEGINNING_STRING}
    if op is sre.ASSERT:
        return av[0] < 0 and list(av[1]) == [(sre.LITERAL, 10)]
    if op is sre.SUBPATTERN:
        return _opens_at_line_start(list(av[3]))
    if op is sre.BRANCH:
        return all(_opens_at_line_start(list(b)) for b in av[1])
    return False


__all__ = ["at_line_start", "quick_form", "starts_form"]
