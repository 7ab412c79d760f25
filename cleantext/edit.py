"""Stage ⑤: apply removals and undo them; ``restore(apply(t, r), r) == t`` for every valid ``r``.

Edits only delete, so the clean text is a subsequence of the original, and removal *i* sits at
clean offset ``start_i - (sum of the lengths of earlier removals)``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from .errors import ReportError
from .model import BytePatch, Removal


def apply(text: str, removals: Sequence[Removal]) -> str:
    """The text without the removed spans (removals sorted and disjoint)."""
    parts: list[str] = []
    pos = 0
    for r in removals:
        parts.append(text[pos : r.start])
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


def restore(clean: str, removals: Sequence[Removal]) -> str:
    """Put every removed span back where it was; raises ``ReportError`` if they cannot fit."""
    parts: list[str] = []
    pos = 0
    shift = 0
    for r in removals:
        at = r.start - shift
        if at < pos or at > len(clean):
            raise ReportError(f"removal at {r.start} does not fit the clean text (clean offset {at})")
        parts.append(clean[pos:at])
        parts.append(r.text)
        pos = at
        shift += r.end - r.start
    parts.append(clean[pos:])
    return "".join(parts)


def shift_patches(patches: Sequence[BytePatch], removals: Sequence[Removal]) -> tuple[BytePatch, ...]:
    """Byte patches of the original moved to clean-text offsets; patches inside removals go."""
    out: list[BytePatch] = []
    k = 0
    shift = 0
    for p in patches:
        while k < len(removals) and removals[k].end <= p.start:
            shift += removals[k].end - removals[k].start
            k += 1
        if k < len(removals) and removals[k].start < p.end:
            continue  # overlaps a removal: its bytes left with it
        out.append(BytePatch(p.start - shift, p.end - shift, p.raw))
    return tuple(out)


def merge_passes(
    text: str, starts: Sequence[int], early: Sequence[Removal], late: Sequence[Removal]
) -> list[Removal]:
    """Removals of a second pass, made on ``apply(text, early)``, in ``text``'s offsets, merged
    with the first pass's: an early removal inside a late one goes with it.

    A late span ``[s, e)`` maps to the original from its first character to its last, so marks
    just before its first character stay early removals of their own.
    """
    inner_starts: list[int] = []
    before: list[int] = [0]
    for r in early:
        inner_starts.append(r.start - before[-1])
        before.append(before[-1] + r.end - r.start)

    def orig(p: int) -> int:
        return p + before[bisect_right(inner_starts, p)]

    mapped: list[Removal] = []
    for r in late:
        s = orig(r.start)
        e = orig(r.end - 1) + 1 if r.end > r.start else s
        mapped.append(Removal(s, e, text[s:e], r.rule, r.category, r.zone, bisect_right(starts, s), r.action,
                              r.score, r.signals))
    out = list(mapped)
    k = 0
    for r in early:
        while k < len(mapped) and mapped[k].end <= r.start:
            k += 1
        if not (k < len(mapped) and mapped[k].start <= r.start and r.end <= mapped[k].end):
            out.append(r)
    out.sort(key=lambda r: r.start)
    return out


__all__ = ["apply", "merge_passes", "restore", "shift_patches"]
