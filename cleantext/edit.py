"""Stage ⑤: apply removals and undo them; ``restore(apply(t, r), r) == t`` for every valid ``r``.

Edits only delete, so the clean text is a subsequence of the original, and removal *i* sits at
clean offset ``start_i - (sum of the lengths of earlier removals)``.
"""

from __future__ import annotations

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


__all__ = ["apply", "restore", "shift_patches"]
