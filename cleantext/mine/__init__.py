"""Mining: draft rules for a corpus's own furniture, for a human to review.

Resellers and mirror sites reword their banners every month, so a user's corpus always holds
furniture no built-in rule has seen. ``mine`` reads the corpus once, through the same decoder and
the built-in packs (``Cleaner.clean_bytes(..., "annotate")``), and counts *line templates*: each
short line's shadow with numbers, dates, domains/URLs and IDs abstracted (``阅读次数:<NUM>``), once
per document. A template that repeats across documents and sits where furniture sits (the first or
last lines, the head and tail zones, next to page breaks, next to lines the packs already remove)
becomes a finding and, in the draft pack, one ``line`` rule with its pattern, zone, a description
and ``match``/``no_match`` examples taken from the corpus.

Why not simply drop repeated lines (CCNet): 同志们：, 谢谢大家！, 一、总体要求 and 第一条 repeat
across documents too, and they are body. Those shapes are never proposed; neither is what the packs
already remove nor what sits among body lines. The result says what was considered, left out, and why.

Memory is bounded: the counter table holds at most ``max_templates`` templates. When it fills,
the templates seen in the fewest documents are dropped (lossy counting), so a document frequency
is a lower bound, short by at most ``Mined.prune_floor`` documents. Inputs are streamed in chunks
of documents; with ``jobs > 1`` the chunks are scanned by a process pool and merged in order, so
the result does not depend on the number of workers.

Layout: ``templates`` (line → template, the body shapes), ``counting`` (per-template statistics,
the bounded table), ``inputs`` (units and the worker pool), ``findings`` (from counts to rules and
their examples), ``results`` (``Positions``, ``Finding``, ``Mined``); the run itself is here.
"""

from __future__ import annotations

import math
import os
import sys
import time
import types
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..batch import resolve_jobs
from ..batch.pool import _chunks, _imap_ordered
from ..engine import Cleaner
from ..rules import RulePack
from .counting import _Table
from .findings import _findings
from .inputs import _init_worker, _Job, _scan_chunk, _units, _worker_scan
from .results import Finding, Mined, Positions
from .templates import BODY_SAMPLE, CHUNK_DOCS, DEFAULT_MAX_TEMPLATES, MAX_LINE_CHARS, render_template, template_parts


def mine(
    inputs: Iterable[str | bytes | os.PathLike[str]] | str | os.PathLike[str],
    *,
    min_docs: int | None = None,
    pack: RulePack | None = None,
    cleaner: Cleaner | None = None,
    jsonl_field: str | None = None,
    globs: Sequence[str] = (),
    jobs: int = 1,
    max_templates: int = DEFAULT_MAX_TEMPLATES,
    max_line_chars: int = MAX_LINE_CHARS,
    max_rules: int = 100,
    progress: Callable[[int], None] | None = None,
) -> Mined:
    """Find repeated furniture lines in a corpus and propose one draft rule per template.

    ``inputs``: files and folders (``Path``, or a one-line ``str`` naming one that exists; folders
    are walked like ``cleantext clean`` walks them, ``globs`` filter), documents as ``bytes`` (any
    encoding) or ``str`` (anything else). With ``jsonl_field``, files are JSONL and that field of
    each record is a document. ``pack`` (default: the built-ins) is what already removes lines.
    ``min_docs`` defaults to 3 or 0.5 % of the documents, whichever is more. ``progress(n)`` is
    called with the number of documents done after each chunk.
    """
    t0 = time.perf_counter()
    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [inputs]
    cl = cleaner if cleaner is not None else Cleaner(pack)
    job = _Job(cl, jsonl_field or "text", max_line_chars)
    table = _Table(max(16, max_templates))
    docs = failed = 0
    errors: list[str] = []
    bodies: list[str] = []
    units = _units(inputs, jsonl_field=jsonl_field, globs=globs)
    chunks = ((k * CHUNK_DOCS, c) for k, c in enumerate(_chunks(units, CHUNK_DOCS)))
    jobs = resolve_jobs(jobs)
    pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(job,)) if jobs > 1 else None
    try:
        parts = (_imap_ordered(pool, _worker_scan, chunks, 2 * jobs) if pool is not None
                 else (_scan_chunk(job, c) for c in chunks))
        for part in parts:
            docs += part.docs
            failed += part.failed
            errors.extend(part.errors[: max(0, 20 - len(errors))])
            bodies.extend(part.bodies[: max(0, BODY_SAMPLE - len(bodies))])
            table.merge(part)
            if progress is not None:
                progress(part.docs + part.failed)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    floor = max(3, math.ceil(docs * 0.005)) if min_docs is None else max(1, min_docs)
    proposed, left_out = _findings(table, cl, docs=docs, min_docs=floor, bodies=bodies, max_rules=max_rules)
    return Mined(tuple(proposed), tuple(left_out), docs, failed, tuple(errors), floor, len(table.stats),
                 table.pruned, table.floor, time.perf_counter() - t0, cl.pack.ref.name)


# ``cleantext.mine`` is both this module and the function: importing the module (the CLI does)
# rebinds the package attribute to the module, so the module forwards calls to the function.
class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Mined:
        return mine(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["DEFAULT_MAX_TEMPLATES", "Finding", "Mined", "Positions", "mine", "render_template", "template_parts"]
