"""Limits and thresholds. Each default says why it is what it is.

Everything here is a plain frozen value so that a ``Cleaner`` can be pickled to worker processes
and a test can tighten one limit without monkeypatching.
"""

from __future__ import annotations

from dataclasses import dataclass

__version__ = "0.1.0"
"""The library version (here, in layer 0, so that every layer can name it without importing the package)."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Knobs of the pipeline; pass ``Limits(...)`` to ``Cleaner`` to change them."""

    max_bytes: int = 256 * 1024 * 1024
    """Inputs above this raise ``InputTooLargeError``: a 256 MiB document is almost surely not a
    document, and cleaning one peaks at ~8x its size in memory (benchmarks/bench_memory.py)."""

    regex_timeout: float = 0.25
    """Seconds one rule may spend on one document. Honest rules take microseconds per line; a
    catastrophic pattern in a user pack is cut off here, skipped for that document and recorded
    as a ``rule-timeout`` notice instead of hanging the batch. The budget grows with the input
    (the two limits below), so a big document never runs an honest rule out of time."""

    regex_timeout_per_line: float = 5e-3
    """Seconds added to a rule's budget for each line it runs on. Built-in rules average 10-450 µs
    per call on the dev corpus on a loaded machine (load average 10 on 2 cores): an honest
    rule stays >10x under its budget on any document, so the same bytes give the same output."""

    regex_timeout_per_char: float = 2e-5
    """Seconds added per character of those lines: the look-around-heavy inline patterns take up
    to ~2 µs per character of a long line (inline.page-title-splice: 1.1 ms for 646 characters)."""

    head_max_lines: int = 40
    """The head zone ends at the first body-like line, but never later than this many lines:
    real reseller headers are 3-9 lines, page-head furniture rarely more than 20."""

    tail_max_lines: int = 40
    """Mirror of ``head_max_lines`` for the tail zone."""

    body_like_min_chars: int = 22
    """A line at least this long that ends like a sentence (。！？…) starts the body. Shorter
    lines ending in ！ are common in advert blocks (举报成功免费赠送一年会员材料！)."""

    body_like_long_chars: int = 90
    """A keyword-free line this long is body whatever its ending (run-on paragraphs)."""

    absorb_max_chars: int = 24
    """Block absorption takes only short lines: brand names and slogans are 2-16 characters."""

    absorb_max_gap: int = 4
    """Block absorption bridges at most this many lines between two strong advert lines."""

    dup_title_max_chars: int = 60
    """A page's copy of the document title (above its upload card or editor intro) is at most
    this long; longer lines are never taken as a duplicate title."""

    dup_title_window: int = 8
    """The real title must follow the advert block within this many lines."""

    excerpt_min_lines: int = 2
    """A trailing copy of earlier paragraphs is a site excerpt only from this many paragraphs on:
    one repeated sentence is normal in legal and official text."""

    excerpt_max_lines: int = 30
    """A site excerpt is the first few hundred characters of a document: a trailing copy longer
    than this many paragraphs is not one, and the bound keeps the search linear."""

    max_removed_share: float = 0.8
    """Never remove more than this share of a document's non-blank characters in whole lines:
    past it the rules are more likely wrong than the document is mostly adverts. Then every
    line removal goes back (all or nothing keeps cleaning idempotent) with a ``cap-document``
    notice. Not 0.5: a short 文库 page whose page counters, upload card and share lines are 60 %
    of the text is real (dev corpus d0018)."""

    cap_min_chars: int = 200
    """The document cap applies from this many non-blank characters on: a three-line snippet
    that is two advert lines and one sentence is legitimately mostly advert."""

    body_line_max_chars: int = 160
    """A whole-line removal in the body zone of a line longer than this is refused: long prose
    is never an advert line, and a false positive costs more than a miss."""

    max_passes: int = 4
    """Passes after the first over the text without what was already removed. Real documents
    settle in one or two (an advert line hidden by a zero-width mark, a separator next to a
    removed banner); the bound keeps a pathological pack from looping."""

    sample_bytes: int = 64 * 1024
    """Bytes of the document handed to ``chardet``: enough for a stable verdict, bounded cost."""


DEFAULT_LIMITS = Limits()

__all__ = ["DEFAULT_LIMITS", "Limits", "__version__"]
