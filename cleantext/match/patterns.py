"""What a pattern's syntax tree says about its matches, read with ``re``'s parser: whether a match can
reach past its line (``is_line_local``), and which characters every match needs (``required_chars``,
``pattern_needs``), so that the matcher can skip lines and documents that cannot hold one."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import regex

_NEWLINE_CATEGORIES = frozenset({sre.CATEGORY_SPACE, sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_NOT_WORD,
                                 sre.CATEGORY_LINEBREAK})
_REPEATS = frozenset({sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT})


def _set_has_newline(items: list[tuple[Any, Any]]) -> bool:
    negate = bool(items) and items[0][0] is sre.NEGATE
    has = False
    for op, av in items[negate:]:
        if (op is sre.LITERAL and av == 10) or (op is sre.RANGE and av[0] <= 10 <= av[1]):
            has = True
        elif op is sre.CATEGORY:
            has = has or av in _NEWLINE_CATEGORIES
        elif op is not sre.LITERAL and op is not sre.RANGE:
            return True  # anything unexpected: assume it may be a newline
    return has != negate


def _no_newline(items: Any, dotall: bool) -> bool:
    """No part of a match of ``items`` (a parsed ``re`` pattern), lookarounds included, can be a
    newline; a lookbehind for exactly ``\\n`` (the line start) is allowed."""
    for op, av in items:
        if op is sre.LITERAL:
            ok = av != 10
        elif op is sre.NOT_LITERAL:
            ok = av == 10
        elif op is sre.ANY:
            ok = not dotall
        elif op is sre.IN:
            ok = not _set_has_newline(av)
        elif op is sre.AT:
            ok = True
        elif op in _REPEATS:
            ok = _no_newline(av[2], dotall)
        elif op is sre.SUBPATTERN:
            ok = _no_newline(av[3], (dotall or bool(av[1] & re.DOTALL)) and not av[2] & re.DOTALL)
        elif op is sre.ATOMIC_GROUP:
            ok = _no_newline(av, dotall)
        elif op is sre.BRANCH:
            ok = all(_no_newline(b, dotall) for b in av[1])
        elif op is sre.ASSERT or op is sre.ASSERT_NOT:
            ok = (av[0] < 0 and list(av[1]) == [(sre.LITERAL, 10)]) or _no_newline(av[1], dotall)
        else:  # back-references, conditionals: not worth reasoning about
            ok = False
        if not ok:
            return False
    return True


_MAX_SET = 64
"""Character classes larger than this are no use as a requirement."""


def _chars(items: Any, icase: bool) -> frozenset[str] | None:
    """The characters of a parsed class (``None``: negated, a category, or too large)."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_SET:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    if len(out) > _MAX_SET or (icase and any(c.lower() != c or c.upper() != c for c in out)):
        return None  # case-insensitive letters also match look-alikes (K and the Kelvin sign): give up
    return frozenset(out)


def _required(items: Any, icase: bool, behind: bool = False) -> list[frozenset[str]]:
    """Character sets that each have a member in every match of ``items`` (a parsed ``re`` pattern)
    or in what its lookaheads see (and its lookbehinds, with ``behind``)."""
    out: list[frozenset[str]] = []
    for op, av in items:
        if op is sre.LITERAL:
            got = _chars([(op, av)], icase)
            out.extend([got] if got else [])
        elif op is sre.IN:
            got = _chars(av, icase)
            out.extend([got] if got else [])
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_required(av[2], icase, behind))
        elif op is sre.SUBPATTERN:
            out.extend(_required(av[3], (icase or bool(av[1] & re.IGNORECASE)) and not av[2] & re.IGNORECASE, behind))
        elif op is sre.ATOMIC_GROUP or (op is sre.ASSERT and (av[0] > 0 or behind)):
            out.extend(_required(av if op is sre.ATOMIC_GROUP else av[1], icase, behind))
        elif op is sre.BRANCH:  # one alternative matches: the union of each one's smallest set
            alts = [_required(b, icase, behind) for b in av[1]]
            if all(alts):
                union = frozenset().union(*(min(a, key=len) for a in alts))
                out.extend([union] if len(union) <= _MAX_SET else [])
    return out


def required_chars(p: re.Pattern[str]) -> tuple[re.Pattern[str], ...]:
    """Character classes that each occur in any text ``p`` finds a match in (its lookaheads
    included): a text without one of them cannot hold a match, and is not scanned."""
    return _required_of(p.pattern, p.flags)


def _required_of(src: str, flags: int) -> tuple[re.Pattern[str], ...]:
    """``required_chars`` from a pattern's source: parsed, not compiled (a pack's analysis parsed and
    compiled every rule again, half the time it takes to build a matcher)."""
    try:
        tree = sre_parse.parse(src, flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return ()
    return _classes(_required(tree, bool(flags & re.IGNORECASE)))


def _classes(found: list[frozenset[str]]) -> tuple[re.Pattern[str], ...]:
    """The required sets as classes, smallest first."""
    sets = set(found)
    return tuple(re.compile("[" + "".join(re.escape(c) for c in sorted(x)) + "]") for x in sorted(sets, key=len))


FIND_MAX = 16
"""A required class of at most this many characters is looked for one character at a time:
``str.__contains__`` runs at memory speed, where a class search tests each character of the text
(2-3x faster over the dev corpus, where most classes are missing)."""


@cache
def _literal_class(need: re.Pattern[str]) -> tuple[str, ...] | None:
    """The characters of a class ``_required_of`` built, in its order (``None``: another pattern, or
    one with IGNORECASE)."""
    tree = sre_parse.parse(need.pattern, need.flags)
    if need.flags & re.IGNORECASE or len(tree.data) != 1:
        return None
    op, av = tree.data[0]
    items = [(op, av)] if op is sre.LITERAL else av if op is sre.IN else []
    if not items or any(o is not sre.LITERAL for o, _ in items):
        return None
    return tuple(chr(a) for _, a in items)


@cache
def class_members(need: re.Pattern[str]) -> tuple[str, ...] | None:
    """The characters of a class ``_required_of`` built (``None``: another pattern, or a larger one)."""
    members = _literal_class(need)
    return members if members is not None and len(members) <= FIND_MAX else None


def class_set(need: re.Pattern[str]) -> frozenset[str] | None:
    """All the characters of a class ``_required_of`` built, of any size (``None``: another pattern,
    or one with IGNORECASE): a short text's set of characters is checked against it in one call."""
    members = _literal_class(need)
    return None if members is None else frozenset(members)


def holds(text: str, need: re.Pattern[str]) -> bool:
    """Whether ``text`` holds a character of the class ``need`` (one of ``required_chars``)."""
    members = class_members(need)
    if members is None:
        return need.search(text) is not None
    return any(map(text.__contains__, members))


_SET_OPERATORS = ("--", "&&", "||", "~~")


def _lookbehinds_ahead(pattern: str) -> str | None:
    """A ``regex`` pattern with its lookbehinds turned into lookaheads, for ``re``'s parser (which
    refuses variable-width lookbehinds) to read required characters from: direction does not matter
    for what must be in the text. ``None`` where ``re`` could read it differently: nested sets and set
    operations (``VERSION1``), a class opening with ``]``."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif in_class:
            if c == "[" or pattern.startswith(_SET_OPERATORS, i):
                return None
            in_class = c != "]"
            out.append(c)
            i += 1
        elif c == "[":
            j = i + 1 + pattern.startswith("^", i + 1)
            if pattern.startswith("]", j):
                return None
            out.append(pattern[i:j])
            i, in_class = j, True
        elif pattern.startswith(("(?<=", "(?<!"), i):
            out.append("(?" + pattern[i + 3])
            i += 4
        else:
            out.append(c)
            i += 1
    return "".join(out)


@cache
def pattern_needs(pattern: str, flags: int, *, scripts: bool = True) -> tuple[re.Pattern[str], ...]:
    """``required_chars`` of a rule's ``regex`` pattern, lookbehinds included (``()`` when ``re``
    cannot read it, or verbose comments could hide anything): a text lacking one of them holds no
    match anywhere. ``scripts=False``: ``()`` for a pattern with a script escape too (see
    ``run._near_needs``)."""
    if flags & regex.VERBOSE or "(?x" in pattern:
        return ()
    if _SCRIPT.search(pattern) is None:
        # the parse the shape analyses read (``_rule_tree``, kept for the rule ``matcher_of`` reads
        # next) is this one but for its lookbehinds, read here as lookaheads: one parse, not two
        tree = _rule_tree(pattern, flags)
        if tree is not None:
            return _classes(_required(tree, bool(flags & regex.IGNORECASE), behind=True))
    src = _lookbehinds_ahead(pattern)
    if src is not None and _SCRIPT.search(src) and scripts:
        src = _scripts_widened(src)
    if src is None:
        return ()
    return _required_of(src, re.MULTILINE | (flags & regex.IGNORECASE and re.IGNORECASE))


_ANY_CHAR = r"\x00-\U0010ffff"


def _scripts_widened(src: str) -> str | None:
    """``src`` (``_lookbehinds_ahead``'s) with each script escape (``\\p{Han}``) read as any character,
    which ``re`` can parse: a wider class only adds matches, so every class the wider pattern
    requires, the rule's pattern requires too (the script's own class is too large to be one).
    ``None`` for an escape in a negated class, which would narrow it instead."""
    out: list[str] = []
    i, n = 0, len(src)
    in_class = negated = False
    while i < n:
        c = src[i]
        hit = _SCRIPT.match(src, i) if c == "\\" else None
        if hit is not None:
            if negated:
                return None
            out.append(_ANY_CHAR if in_class else f"[{_ANY_CHAR}]")
            i = hit.end()
        elif c == "\\":
            out.append(src[i : i + 2])
            i += 2
        elif in_class:
            in_class = c != "]"
            negated = negated and in_class
            out.append(c)
            i += 1
        elif c == "[":
            negated = src.startswith("^", i + 1)
            in_class = True
            out.append(src[i : i + 1 + negated])
            i += 1 + negated
        else:
            out.append(c)
            i += 1
    return "".join(out)


def is_line_local(p: re.Pattern[str]) -> bool:
    """Whether ``p`` hits a line (has a match starting on it) whatever text surrounds the line: under
    ``MULTILINE``, no match is empty and no part of one, lookarounds included, can be a newline
    (a lookbehind for exactly ``\\n`` only says the line is not the text's first). Such a pattern's
    hits can be found once per line text, on the lines that changed, instead of once per pass."""
    if not p.flags & re.MULTILINE:
        return False
    try:
        tree = sre_parse.parse(p.pattern, p.flags)
    except (re.error, RecursionError):  # pragma: no cover - it compiled
        return False
    return bool(tree.getwidth()[0] > 0) and _no_newline(tree, bool(p.flags & re.DOTALL))


_STRING_EDGES = frozenset({sre.AT_BEGINNING_STRING, sre.AT_END_STRING})
_SCRIPT = re.compile(r"\\p\{\w+\}")
"""A script or category escape (``\\p{Han}``, ``\\p{Arabic}``, ``\\p{M}``): ``re`` cannot read it, and none of
those the packs use holds a newline, so for what ``stays_on_line`` asks it reads as a letter."""
_FUZZY = re.compile(r"\{(?![\d,])")
"""``regex``'s fuzzy matching (``(?:abc){e<=1}``), which ``re`` would read as literal braces."""


def any_node(items: Any, found: Callable[[Any, Any], bool]) -> bool:
    """Whether ``found(op, av)`` holds for an item of a parsed pattern, at any depth."""
    for op, av in items:
        if found(op, av):
            return True
        if op is sre.ASSERT or op is sre.ASSERT_NOT:
            inner = [av[1]]
        elif op in _REPEATS:
            inner = [av[2]]
        elif op is sre.SUBPATTERN:
            inner = [av[3]]
        elif op is sre.ATOMIC_GROUP:
            inner = [av]
        elif op is sre.BRANCH:
            inner = list(av[1])
        else:
            inner = []
        if any(any_node(x, found) for x in inner):
            return True
    return False


def _at_edge(op: Any, av: Any) -> bool:
    """A string edge (``\\A``, ``\\Z``) or a conditional."""
    return (op is sre.AT and av in _STRING_EDGES) or op is sre.GROUPREF_EXISTS


@lru_cache(maxsize=1)
def _rule_tree(pattern: str, flags: int) -> Any:
    """A rule's ``regex`` pattern parsed by ``re`` (script escapes read as a letter), or ``None``
    where ``re`` could read it differently: verbose, fuzzy matching, nested sets. The last one is
    kept: ``matcher_of`` asks both analyses that read it of a rule in a row, and neither changes it.
    Not more: the built-in packs' trees are ~100,000 objects, which made every full pass of the
    cyclic garbage collector, in a document's time or the caller's, 8x longer."""
    src = _SCRIPT.sub("x", pattern)
    if flags & regex.VERBOSE or "(?x" in src or _FUZZY.search(src) or _lookbehinds_ahead(src) is None:
        return None
    try:
        return sre_parse.parse(src, flags & (re.IGNORECASE | re.DOTALL) | re.MULTILINE)
    except (re.error, RecursionError, OverflowError, ValueError):
        return None


@cache
def stays_on_line(pattern: str, flags: int) -> bool:
    """Whether a rule's ``regex`` pattern, searched on one line (``pos``/``endpos`` the line's start
    and content end), finds a match exactly when it finds one on that line in a text where the line
    is preceded by ``\\n`` (or nothing, for a first line) and followed by ``\\n``: no part of a match
    or of a lookaround can be a newline (a lookbehind for exactly ``\\n`` aside) and there is no
    ``\\A`` / ``\\Z``. The lines such a pattern matches can be found with one ``finditer`` over them
    joined. ``False`` where ``re``'s parser could read the pattern differently from ``regex``."""
    tree = _rule_tree(pattern, flags)
    if tree is None:
        return False
    return _no_newline(tree, bool(tree.state.flags & re.DOTALL)) and not any_node(tree, _at_edge)




def _groups(items: Any, out: dict[int, Any]) -> dict[int, Any]:
    """Group number → its parsed items, for the back-references ``_newlines`` follows."""
    for op, av in items:
        if op is sre.SUBPATTERN:
            if av[0] is not None:
                out[av[0]] = av[3]
            _groups(av[3], out)
        elif op in _REPEATS:
            _groups(av[2], out)
        elif op is sre.ATOMIC_GROUP:
            _groups(av, out)
        elif op is sre.BRANCH:
            for b in av[1]:
                _groups(b, out)
        elif op is sre.ASSERT or op is sre.ASSERT_NOT:
            _groups(av[1], out)
    return out


def _newlines(items: Any, dotall: bool, groups: dict[int, Any]) -> int | None:
    """The most newlines a match of ``items`` (inside a lookbehind) can hold; ``None``: no bound, or
    something not worth reasoning about (a lookaround inside, a conditional)."""
    total = 0
    for op, av in items:
        if op is sre.LITERAL:
            got: int | None = int(av == 10)
        elif op is sre.NOT_LITERAL:
            got = int(av != 10)
        elif op is sre.ANY:
            got = int(dotall)
        elif op is sre.IN:
            got = int(_set_has_newline(av))
        elif op is sre.AT:
            got = 0
        elif op in _REPEATS:
            one = _newlines(av[2], dotall, groups)
            got = None if one is None or (one and av[1] is sre.MAXREPEAT) else one * av[1]
        elif op is sre.SUBPATTERN:
            got = _newlines(av[3], (dotall or bool(av[1] & re.DOTALL)) and not av[2] & re.DOTALL, groups)
        elif op is sre.ATOMIC_GROUP:
            got = _newlines(av, dotall, groups)
        elif op is sre.BRANCH:
            alts = [_newlines(b, dotall, groups) for b in av[1]]
            got = None if None in alts else max(a for a in alts if a is not None)
        elif op is sre.GROUPREF and av in groups:
            got = _newlines(groups[av], dotall, groups)
        else:
            got = None
        if got is None:
            return None
        total += got
    return total


def _reach(items: Any, dotall: bool, groups: dict[int, Any]) -> int | None:
    """How many newlines the lookbehinds of ``items`` can see back, when no part of a match and no
    lookahead can be a newline (``None`` otherwise)."""
    most = 0
    for op, av in items:
        if (op is sre.ASSERT or op is sre.ASSERT_NOT) and av[0] < 0:
            got = _newlines(av[1], dotall, groups)
        elif op in _REPEATS:
            got = _reach(av[2], dotall, groups)
        elif op is sre.SUBPATTERN:
            got = _reach(av[3], (dotall or bool(av[1] & re.DOTALL)) and not av[2] & re.DOTALL, groups)
        elif op is sre.BRANCH:
            alts = [_reach(b, dotall, groups) for b in av[1]]
            got = None if None in alts else max(a for a in alts if a is not None)
        elif op is sre.ATOMIC_GROUP:
            got = _reach(av, dotall, groups)
        elif op is sre.GROUPREF and av in groups:
            got = 0 if _no_newline(groups[av], dotall) else None
        elif op is sre.AT:
            got = None if av in _STRING_EDGES else 0
        else:
            got = 0 if _no_newline([(op, av)], dotall) else None
        if got is None:
            return None
        most = max(most, got)
    return most


@cache
def lines_seen(pattern: str, flags: int) -> int | None:
    """How many lines before its own a match of a rule's ``regex`` pattern can see, when it can see
    nothing after its line: the lookbehinds' newlines (``None``: a match or lookahead can reach past
    its line, or ``re``'s parser could read the pattern differently from ``regex``). A match on a line
    then depends on that many lines before it and the line itself only."""
    tree = _rule_tree(pattern, flags)
    if tree is None:
        return None
    return _reach(tree, bool(tree.state.flags & re.DOTALL), _groups(tree, {}))


__all__ = [
    "any_node", "class_members", "class_set", "holds", "is_line_local", "lines_seen", "pattern_needs", "required_chars",
    "stays_on_line",
]
