"""Documents → JSON segments: kept and removed text as tokens (invisible characters as badges),
long kept runs folded, removals as small integers."""

from __future__ import annotations

import bisect
import functools
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from ..lines import line_texts
from ..model import Removal
from ..visible import is_invisible, visible
from .documents import MAX_KEPT_CHARS, Document, Token

_is_invisible = functools.lru_cache(maxsize=1 << 16)(is_invisible)
"""``visible.is_invisible`` remembered per character: a page classifies millions of them."""


def tokens(s: str, *, removed: bool = False) -> list[Token]:
    """``s`` as text runs and badge code points (``visible.is_invisible`` decides, as everywhere
    else in cleantext). In removed text the line breaks and trailing spaces are badges too, so a
    removed blank line or a trailing-space fingerprint can be seen."""
    # each distinct character is classified once: a long CJK document has few of them
    bad = {c for c in set(s) if c != "\n" and _is_invisible(c)}  # tab and CR included: not printable
    if not bad and not removed:
        return [s] if s else []
    out: list[Token] = []
    buf: list[str] = []
    lines = line_texts(s) if removed else [s]
    for line in lines:
        core = line.rstrip("\r\n") if removed else line
        kept = core.rstrip(" ") if removed else core
        for c in kept:
            if c in bad:
                if buf:
                    out.append("".join(buf))
                    buf.clear()
                out.append(ord(c))
            else:
                buf.append(c)
        if removed:
            if buf:
                out.append("".join(buf))
                buf.clear()
            out.extend([32] * (len(core) - len(kept)))
            out.extend(ord(c) for c in line[len(core) :])
    if buf:
        out.append("".join(buf))
    return out


def _kept(s: str, limit: int | None) -> list[list[Any]]:
    if limit is None or len(s) <= limit:
        return [["k", tokens(s)]]
    half = limit // 2
    return [["k", tokens(s[:half])], ["c", len(s) - 2 * half], ["k", tokens(s[-half:])]]


def segments(text: str | None, removals: Sequence[Removal], *, context: int | None) -> list[list[Any]]:
    """The document as ``["k", tokens]`` kept text, ``["r", index, tokens]`` removals (index into
    the report's removals) and ``["g", n]`` gaps of ``n`` kept lines not shown (``n == 0``: text
    unknown). ``context=None`` shows the whole text."""
    if text is None:
        out: list[list[Any]] = []
        for i, r in enumerate(removals):
            out.append(["g", 0])
            out.append(["r", i, tokens(r.text, removed=True)])
        return out
    lines = line_texts(text)
    n = len(lines)
    starts = [0, *itertools.accumulate(map(len, lines))]
    runs: list[tuple[int, int]] = []  # [lo, hi) line runs shown, from the removals' lines
    if context is None:
        runs = [(0, n)]
    else:
        for r in removals:
            a = bisect.bisect_right(starts, r.start) - 1
            b = max(a, bisect.bisect_left(starts, r.end) - 1)
            lo, hi = max(0, a - context), min(n, b + context + 1)
            if runs and lo <= runs[-1][1]:
                runs[-1] = (runs[-1][0], max(runs[-1][1], hi))
            else:
                runs.append((lo, hi))
    limit = None if context is None else MAX_KEPT_CHARS
    out = []
    ri = 0
    done = 0
    for lo, hi in runs:
        if lo > done:
            out.append(["g", lo - done])
        pos, end = starts[lo], starts[hi]
        while ri < len(removals) and removals[ri].start < end:
            r = removals[ri]
            if r.start > pos:
                out.extend(_kept(text[pos : r.start], limit))
            out.append(["r", ri, tokens(r.text, removed=True)])
            pos = max(pos, r.end)
            ri += 1
        if pos < end:
            out.extend(_kept(text[pos:end], limit))
        done = max(done, hi)
    if done < n:
        out.append(["g", n - done])
    out.extend(["r", i, tokens(removals[i].text, removed=True)] for i in range(ri, len(removals)))
    return out


class _Tables:
    """Rule ids, categories, zones and actions as small integers: a removal costs a dozen bytes
    of JSON, not forty (a 10,000-document page carries tens of thousands of them)."""

    def __init__(self, rules: Iterable[str], cats: Iterable[str]) -> None:
        self.rules = {r: i for i, r in enumerate(rules)}
        self.cats = {c: i for i, c in enumerate(cats)}
        self.zones: dict[str, int] = {}
        self.actions: dict[str, int] = {}

    @staticmethod
    def _ix(table: dict[str, int], key: str) -> int:
        return table.setdefault(key, len(table))

    def removal(self, r: Removal) -> list[int]:
        return [self._ix(self.rules, r.rule), self._ix(self.cats, r.category), self._ix(self.zones, r.zone),
                self._ix(self.actions, r.action), r.line]

    def to_json(self) -> dict[str, list[str]]:
        return {k: [visible(x) for x in sorted(t, key=t.__getitem__)]
                for k, t in (("rules", self.rules), ("cats", self.cats), ("zones", self.zones),
                             ("actions", self.actions))}


def _doc_meta(doc: Document, tables: _Tables) -> list[Any]:
    """``[label, encoding info, note, notices, removals]``: what filtering and paging need."""
    rep = doc.report
    enc = rep.encoding
    info = f"{enc.name}{' +BOM' if enc.bom else ''}, {rep.newline}, {rep.mode}"
    return [visible(doc.label), info, visible(doc.note), [visible(n) for n in rep.notices],
            [tables.removal(r) for r in rep.removals]]
