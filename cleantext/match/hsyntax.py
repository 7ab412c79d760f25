"""Line-local prefilters in Hyperscan's syntax (for ``multiscan``, the optional ``fast`` extra).

Exact by construction: ``translate`` writes a prefilter in Hyperscan's syntax only when every part of
it means the same there, each character class spelled out as the code points ``re`` itself takes
(``read_item``: no ``UCP``, no case folding left to Hyperscan). A lookahead at one character is
rewritten (``(?=C)X``: the first character ``X`` takes is one of ``C``; a trailing ``(?!C)``: the line
ends or goes on with another character); a leading ``(?<=\\n)`` is the newline before the line.
Any other lookaround, a word boundary, an atomic group, a possessive repeat or a back-reference
leaves the prefilter on ``re``. Only the lines hit matter, so which of several matches ``re`` would
take (lazy or greedy repeats, the order of alternatives) does not.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from functools import cache
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from .patterns import any_node

_MAX = 0x10FFFF
_LOW, _HIGH = 0xD800, 0xDFFF  # surrogates: never in a UTF-8 text, so never in a class here

Ranges = tuple[tuple[int, int], ...]
"""Code points as sorted, disjoint, non-adjacent inclusive ranges, surrogates never among them."""


class UntranslatableError(Exception):
    """A part of a pattern that Hyperscan would read differently, or not at all."""


def _tidy(rs: Sequence[tuple[int, int]]) -> Ranges:
    """``rs`` (any ranges) sorted, merged, without surrogates (ranges parted by them joined)."""
    out: list[tuple[int, int]] = []
    for lo, hi in sorted(rs):
        for a, b in ((lo, min(hi, _LOW - 1)), (max(lo, _HIGH + 1), hi)):
            if a > b:
                continue
            if out and (a <= out[-1][1] + 1 or (out[-1][1] == _LOW - 1 and a == _HIGH + 1)):
                out[-1] = (out[-1][0], max(b, out[-1][1]))
            else:
                out.append((a, b))
    return tuple(out)


def _complement(rs: Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    at = 0
    for lo, hi in rs:
        if lo > at:
            out.append((at, lo - 1))
        at = hi + 1
    if at <= _MAX:
        out.append((at, _MAX))
    return _tidy(out)


def _has(rs: Ranges, c: int) -> bool:
    return any(lo <= c <= hi for lo, hi in rs)


def _minus(rs: Ranges, cut: Ranges) -> Ranges:
    return _complement(_tidy([*_complement(rs), *cut]))


@cache
def _every_char() -> str:
    """Every code point a UTF-8 text can hold: what ``re`` reads a class against (once)."""
    return array("I", [*range(_LOW), *range(_HIGH + 1, _MAX + 1)]).tobytes().decode("utf-32-le" if
                                                                                     array("I", [1]).tobytes()[0]
                                                                                     else "utf-32-be")


def read_item(op: Any, av: Any, flags: int) -> Ranges:
    """The characters one parsed item (a literal or a class) matches under ``flags``, found by ``re``
    itself: the item repeated, run over every character, each run of matches one range or two."""
    state = sre_parse.State()
    state.flags = flags | re.UNICODE  # as re.compile sets it for a str pattern
    one = sre_parse.SubPattern(state, [(op, list(av) if op is sre.IN else av)])
    runs = sre_compile.compile(sre_parse.SubPattern(state, [(sre.MAX_REPEAT, (1, sre.MAXREPEAT, one))]), state.flags)
    out: list[tuple[int, int]] = []
    for hit in runs.finditer(_every_char()):
        a, b = hit.span()  # indexes past the surrogates stand 0x800 code points lower
        out += [(x + (0x800 if x >= _LOW else 0), y - 1 + (0x800 if y - 1 >= _LOW else 0))
                for x, y in ((a, min(b, _LOW)), (max(a, _LOW), b)) if x < y]
    return _tidy(out)


@cache
def _category(code: Any) -> Ranges:
    """The code points of ``\\d``, ``\\s`` or ``\\w`` (or of their negations) as ``re`` reads them."""
    if code in _NEGATED:
        return _complement(_category(_NEGATED[code]))
    return read_item(sre.IN, ((sre.CATEGORY, code),), 0)


_CATEGORIES = (sre.CATEGORY_DIGIT, sre.CATEGORY_SPACE, sre.CATEGORY_WORD)
_NEGATED = {sre.CATEGORY_NOT_DIGIT: sre.CATEGORY_DIGIT, sre.CATEGORY_NOT_SPACE: sre.CATEGORY_SPACE,
            sre.CATEGORY_NOT_WORD: sre.CATEGORY_WORD}


@cache
def _folded(op: Any, av: Any) -> Ranges:
    """What one parsed literal or class matches under ``IGNORECASE``, as ``re`` reads it (its case
    folding is its own: the Kelvin sign matches ``k``, ``ſ`` matches ``s``)."""
    return read_item(op, av, re.IGNORECASE)


def _class(items: Any) -> Ranges:
    """The code points of a parsed class (``IN``), without case folding."""
    negate = bool(items) and items[0][0] is sre.NEGATE
    parts: list[tuple[int, int]] = []
    for op, av in items[negate:]:
        if op is sre.LITERAL:
            parts.append((av, av))
        elif op is sre.RANGE:
            parts.append((av[0], av[1]))
        elif op is sre.CATEGORY and (av in _CATEGORIES or av in _NEGATED):
            parts.extend(_category(av))
        else:
            raise UntranslatableError(op)
    got = _tidy(parts)
    return _complement(got) if negate else got


@cache
def rare() -> Ranges:
    """``\\d`` without ASCII digits (Arabic-Indic, Devanagari and ~60 more scripts' digits; the shadow
    folds the full-width ones): spelled out, they made Hyperscan build its database twice as long.
    A class may be read without them (``_Writer.spell``) when the scan checks that the text lacks
    them (``LineScanner.hits``)."""
    return _minus(_category(sre.CATEGORY_DIGIT), ((0x30, 0x39),))


@cache
def _complement_of(rs: Ranges) -> Ranges:
    return _complement(rs)


def _size(rs: Ranges) -> int:
    return min(len(rs), len(_complement_of(rs)))


@cache
def _spell(rs: Ranges) -> tuple[str, bool]:
    """A Hyperscan class for ``rs``, and whether it was read as if the text held no ``rare``
    character: with or without them, whichever is spelled shorter."""
    assumes = False
    if rs and (cheaper := min((_minus(rs, rare()), _tidy([*rs, *rare()])), key=_size)) and _size(cheaper) < _size(rs):
        rs, assumes = cheaper, True
    return listed(rs), assumes


def listed(rs: Ranges) -> str:
    """A Hyperscan class for ``rs``: its ranges listed, or its complement's when shorter."""
    if not rs:
        raise UntranslatableError("an empty class")
    other = _complement_of(rs)
    if not other:
        return "(?s:.)"
    neg, body = (True, other) if len(other) < len(rs) else (False, rs)
    inner = "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in body)
    return ("[^" if neg else "[") + inner + "]"


class _Writer:
    """Writes one pattern in Hyperscan's syntax; ``assumes``: a class was read as if the text held
    no ``rare`` character."""

    def __init__(self) -> None:
        self.assumes = False

    def spell(self, rs: Ranges) -> str:
        got, assumes = _spell(rs)
        self.assumes |= assumes
        return got

    def items(self, items: Any, flags: int, *, first: bool = False, tail: bool = False) -> str:
        """``items`` (a parsed pattern) under ``flags``; ``first``: they open the pattern; ``tail``:
        followed by ``_TAIL``, put inside the last alternatives (Hyperscan takes no ``$`` followed by
        anything)."""
        out: list[str] = []
        last = len(items) - 1
        for n, (op, av) in enumerate(items):
            if not (tail and n == last):
                out.append(self.item(op, av, flags, first=first and n == 0))
            elif op is sre.AT and av is sre.AT_END and flags & re.MULTILINE:
                out.append("$")  # already at the line's end
            elif op is sre.BRANCH:
                out.append("(?:" + "|".join(self.items(b, flags, tail=True) for b in av[1]) + ")")
            elif op is sre.SUBPATTERN:
                out.append("(?:" + self.items(av[3], (flags | av[1]) & ~av[2], tail=True) + ")")
            elif op is sre.ASSERT_NOT and (c := _lookahead_char(op, av, flags)) is not None and not _has(c, 10):
                # not followed by C: by the line's end, or by another character, then to the line's end
                out.append("(?:" + self.spell(_complement(_tidy([*c, (10, 10)]))) + _TAIL[:-1] + ")?$")
            else:
                out.append(self.item(op, av, flags, first=first and n == 0) + _TAIL)
        return "".join(out)

    def item(self, op: Any, av: Any, flags: int, *, first: bool) -> str:
        one = _single(op, av, flags)
        if one is not None:
            return self.spell(one)
        if op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
            lo, hi, inner = av
            return "(?:" + self.items(inner, flags) + ")" + (f"{{{lo},}}" if hi is sre.MAXREPEAT else f"{{{lo},{hi}}}")
        if op is sre.SUBPATTERN:
            return "(?:" + self.items(av[3], (flags | av[1]) & ~av[2]) + ")"
        if op is sre.BRANCH:
            return "(?:" + "|".join(self.items(b, flags) for b in av[1]) + ")"
        if op is sre.AT and flags & re.MULTILINE and av in _ANCHORS:
            return _ANCHORS[av]
        if op is sre.ASSERT and first and av[0] < 0 and list(av[1]) == [(sre.LITERAL, 10)]:
            return "\\n"  # a line start that is not the text's: the newline before it
        raise UntranslatableError(op)


_SET = "set"
"""An item of a rewritten pattern (``_restrict``): one character of the given ``Ranges``."""


def _single(op: Any, av: Any, flags: int) -> Ranges | None:
    """The characters one item matches when it is one character wide (else ``None``)."""
    icase = bool(flags & re.IGNORECASE)
    if op is _SET:
        return av  # type: ignore[no-any-return]
    if op is sre.LITERAL or op is sre.NOT_LITERAL:
        return _folded(op, av) if icase else ((av, av),) if op is sre.LITERAL else _complement(((av, av),))
    if op is sre.IN:
        return _folded(op, tuple(av)) if icase else _class(av)
    if op is sre.ANY:
        return _complement(()) if flags & re.DOTALL else _complement(((10, 10),))
    return None


def _lookahead_char(op: Any, av: Any, flags: int) -> Ranges | None:
    """For a lookahead at one character, ``(?=C)`` or ``(?!C)``: the characters of ``C``."""
    if (op is sre.ASSERT or op is sre.ASSERT_NOT) and av[0] == 1 and len(av[1]) == 1:
        inner_op, inner_av = av[1][0]
        return _single(inner_op, inner_av, flags)
    return None


def _restrict(items: Any, allowed: Ranges, flags: int) -> list[Any]:
    """``items`` (a parsed pattern) with the first character of every match in ``allowed``: ``(?=C)X``
    without its lookahead. The first item that takes a character takes one of ``allowed``; an item
    that may take none (``X*``) becomes two alternatives, with it and without."""
    if not items:
        raise UntranslatableError("a lookahead over no character")
    (op, av), rest = items[0], list(items[1:])
    one = _single(op, av, flags)
    if one is not None:
        return [(_SET, _complement(_tidy([*_complement(one), *_complement(allowed)]))), *rest]
    if op is sre.AT:
        return [(op, av), *_restrict(rest, allowed, flags)]
    if op is sre.BRANCH and all(alt.getwidth()[0] > 0 for alt in av[1]):
        return [(sre.BRANCH, (None, [_restrict(list(alt), allowed, flags) for alt in av[1]])), *rest]
    if op is sre.BRANCH:  # an alternative may take nothing: the rest follows each
        return [(sre.BRANCH, (None, [_restrict([*alt, *rest], allowed, flags) for alt in av[1]]))]
    if op is sre.SUBPATTERN and av[3].getwidth()[0] > 0:
        inner = _restrict(list(av[3]), allowed, (flags | av[1]) & ~av[2])
        return [(sre.SUBPATTERN, (None, av[1], av[2], inner)), *rest]
    if op is sre.SUBPATTERN and not av[1] and not av[2]:
        return _restrict([*av[3], *rest], allowed, flags)
    if (op is sre.MAX_REPEAT or op is sre.MIN_REPEAT) and av[2].getwidth()[0] > 0:
        lo, hi, inner = av
        if hi == 0:
            return _restrict(rest, allowed, flags)
        more = [] if hi == 1 else [(op, (max(lo - 1, 0), hi if hi is sre.MAXREPEAT else hi - 1, inner))]
        once = [*_restrict(list(inner), allowed, flags), *more, *rest]
        return once if lo > 0 else [(sre.BRANCH, (None, [once, _restrict(rest, allowed, flags)]))]
    raise UntranslatableError(op)


_ANCHORS = {sre.AT_BEGINNING: "^", sre.AT_END: "$"}
_TAIL = "[^\\n]*$"
"""What follows a prefilter's match to the end of its line: Hyperscan reports every end of a match,
so each line hit reports one, at the line's end, which tells the line."""
_FLAGS_KEPT = re.IGNORECASE | re.DOTALL | re.MULTILINE | re.UNICODE


def translate(p: re.Pattern[str]) -> tuple[str, bool] | None:
    """The line-local prefilter ``p`` (``is_line_local``) in Hyperscan's syntax, followed to its line's
    end (``_TAIL``), and whether it reads a class without the ``rare`` characters; ``None`` unless
    every part means the same there. Read with ``HS_FLAG_UTF8 | HS_FLAG_MULTILINE``."""
    if p.flags & ~_FLAGS_KEPT or not p.flags & re.MULTILINE:
        return None
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
        if tree.getwidth()[0] == 0 or _scoped_flags(tree):
            return None
        items: list[Any] = list(tree)
        if items[0][0] is sre.ASSERT and (c := _lookahead_char(items[0][0], items[0][1], p.flags)) is not None:
            items = _restrict(items[1:], c, p.flags)  # (?=C)X: a lookahead at the first character
        w = _Writer()
        return w.items(items, p.flags, first=True, tail=True), w.assumes
    except (UntranslatableError, re.error, RecursionError):
        return None


def _scoped_flags(items: Any) -> bool:
    """Whether a group switches a flag other than ``i``, ``s`` or ``m`` (``(?a:…)``)."""
    return any_node(items, lambda op, av: op is sre.SUBPATTERN and bool((av[1] | av[2]) & ~_FLAGS_KEPT))


__all__ = ["Ranges", "UntranslatableError", "listed", "rare", "read_item", "translate"]
