"""What a failed golden check shows: a text diff with invisible characters visible, and the
removals that appeared or disappeared, by rule id."""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..lines import line_texts
from ..visible import visible, visible_line

if TYPE_CHECKING:
    pass

from .golden_files import dump_report

MAX_DIFF_LINES = 200
"""Diff lines shown per file; the ``.obtained`` sidecar has the rest."""

MAX_REMOVAL_LINES = 30
"""Appeared/disappeared removals listed per direction."""

MAX_HINTS = 5
"""Changed lines that get a "line N, column M: golden X (U+...), obtained Y (U+...)" hint."""


def _shorten(s: str, width: int = 60) -> str:
    """``visible(s)`` of at most ``width`` characters of ``s`` (cut before rendering, so no
    ``⟨U+...⟩`` is cut in half)."""
    return visible(s) if len(s) <= width else visible(s[: width - 1]) + "…"


def text_diff(
    golden: str, obtained: str, from_name: str, to_name: str, *, context: int = 3, document: bool = True
) -> list[str]:
    """A unified diff of two texts, lines rendered with ``visible_line``. For a ``document``, a hint
    under the diff names the first differing column of each changed line and both characters there
    (Chinese paragraphs are long single lines, and confusables look alike even when visible);
    otherwise (our own JSON) line breaks are not marked."""
    a, b = line_texts(golden), line_texts(obtained)
    show = visible_line if document else _visible_no_newline
    # autojunk (difflib's default) keeps big documents with thousands of identical blank lines from
    # going quadratic; the diff may be a little less minimal, never wrong.
    sm = difflib.SequenceMatcher(None, a, b)
    out = [f"--- {from_name}", f"+++ {to_name}"]
    pairs: list[tuple[int, int]] = []
    for group in sm.get_grouped_opcodes(context):
        i1, i2, j1, j2 = group[0][1], group[-1][2], group[0][3], group[-1][4]
        out.append(f"@@ -{_range(i1, i2)} +{_range(j1, j2)} @@")
        for tag, ai1, ai2, bj1, bj2 in group:
            if tag == "equal":
                out.extend(" " + show(x) for x in a[ai1:ai2])
                continue
            out.extend("-" + show(x) for x in a[ai1:ai2])
            out.extend("+" + show(x) for x in b[bj1:bj2])
            if document and tag == "replace" and ai2 - ai1 == bj2 - bj1:
                pairs.extend((ai1 + k, bj1 + k) for k in range(ai2 - ai1))
    if len(out) > MAX_DIFF_LINES + 2:
        more = len(out) - MAX_DIFF_LINES - 2
        out = [*out[: MAX_DIFF_LINES + 2], f"… {more} more diff lines (see the .obtained file)"]
    out.extend(_first_difference(a[i], b[j], i + 1) for i, j in pairs[:MAX_HINTS])
    if len(pairs) > MAX_HINTS:
        out.append(f"… and {len(pairs) - MAX_HINTS} more changed lines")
    if document and golden != obtained and _lf(golden) == _lf(obtained):
        out.insert(0, "the texts differ only in line endings (CRLF vs LF): was the golden file converted by Git? "
                      "Mark golden files -text in .gitattributes")
    return out


def _lf(s: str) -> str:
    return s.replace("\r\n", "\n")


def _visible_no_newline(line: str) -> str:
    return visible_line(line.removesuffix("\n"))


def _range(start: int, stop: int) -> str:
    n = stop - start
    first = start + 1 if n else start
    return f"{first}" if n == 1 else f"{first},{n}"


_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN"}


def _char_name(c: str) -> str:
    return f"U+{ord(c):04X} {_CONTROL_NAMES.get(c) or unicodedata.name(c, 'unnamed')}"


def _first_difference(old: str, new: str, lineno: int) -> str:
    """Where two versions of a line first differ, naming both characters, so confusables that
    render alike (一 U+4E00 and ー U+30FC, ： and :, NBSP and space) are told apart."""
    k = next((i for i, (x, y) in enumerate(zip(old, new, strict=False)) if x != y), min(len(old), len(new)))
    if k < len(old) and k < len(new):
        what = f"golden {visible(old[k])} ({_char_name(old[k])}), obtained {visible(new[k])} ({_char_name(new[k])})"
    elif k < len(old):
        what = f"golden goes on with {_shorten(old[k:], 24)}"
    else:
        what = f"obtained goes on with {_shorten(new[k:], 24)}"
    lo = max(0, k - 10)
    return (
        f"line {lineno}, column {k + 1}: {what}; "
        f"context: golden …{visible(old[lo : k + 10])}… obtained …{visible(new[lo : k + 10])}…"
    )


def _removal_key(r: Mapping[str, Any]) -> str:
    return json.dumps(r, sort_keys=True, ensure_ascii=False)


def _describe_removal(r: Mapping[str, Any]) -> str:
    return (
        f"{r.get('rule', '?')} line {r.get('line', '?')} [{r.get('start', '?')}, {r.get('end', '?')}) "
        f"{r.get('zone', '?')}/{r.get('action', '?')} '{_shorten(str(r.get('text', '')))}'"
    )


def removal_changes(golden: Sequence[Mapping[str, Any]], obtained: Sequence[Mapping[str, Any]]) -> list[str]:
    """Which removals appeared or disappeared, counted by rule id, then listed."""
    g = Counter(_removal_key(r) for r in golden)
    o = Counter(_removal_key(r) for r in obtained)
    if g == o:
        return []
    by_key = {_removal_key(r): r for r in (*golden, *obtained)}
    gone = sorted((by_key[k] for k in (g - o).elements()), key=_position)
    new = sorted((by_key[k] for k in (o - g).elements()), key=_position)
    g_rules = Counter(str(r.get("rule")) for r in golden)
    o_rules = Counter(str(r.get("rule")) for r in obtained)
    touched = sorted({str(r.get("rule")) for r in (*gone, *new)})
    out = [f"removals differ: {len(gone)} disappeared, {len(new)} appeared; by rule id (golden → obtained):"]
    for rule in touched:
        a, b = g_rules[rule], o_rules[rule]
        out.append(f"  {rule}: {a} → {b}" + (f" ({b - a:+d})" if a != b else " (same count, different spans)"))
    for sign, what, items in (("-", "disappeared", gone), ("+", "appeared", new)):
        out.extend(f"  {sign} {what}: {_describe_removal(r)}" for r in items[:MAX_REMOVAL_LINES])
        if len(items) > MAX_REMOVAL_LINES:
            out.append(f"  … {len(items) - MAX_REMOVAL_LINES} more {what}")
    return out


def _position(r: Mapping[str, Any]) -> tuple[int, str]:
    start = r.get("start")
    return (start if isinstance(start, int) else -1, str(r.get("rule")))


def _removals_of(d: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rs = d.get("removals")
    return [r for r in rs if isinstance(r, Mapping)] if isinstance(rs, list) else []


def report_changes(golden: Mapping[str, Any], obtained: Mapping[str, Any], from_name: str) -> list[str]:
    """Removals by rule id, then a diff of every other report field that changed."""
    out = removal_changes(_removals_of(golden), _removals_of(obtained))
    rest_g = {k: v for k, v in golden.items() if k != "removals"}
    rest_o = {k: v for k, v in obtained.items() if k != "removals"}
    if rest_g != rest_o:
        out.append("other report fields differ:")
        out.extend(
            "  " + line
            for line in text_diff(
                dump_report(rest_g).decode("utf-8"),
                dump_report(rest_o).decode("utf-8"),
                from_name,
                "obtained",
                document=False,
            )
        )
    return out
