"""Build the review page: a static summary rendered here, and the documents as JSON that the
page's own script renders one page at a time (a 10,000-document report must open in a second).

Why JSON + ``textContent`` for the documents: documents are hostile input (``<script>``,
``</textarea>``, bidi controls); building their DOM with ``textContent`` in the browser makes
injection impossible by construction, and the JSON is embedded with ``<``, ``>`` and ``&``
escaped so nothing in it can close the ``<script>`` element that carries it. The summary is
plain HTML escaped with ``html.escape``, so it reads even with JavaScript off.

Layout: ``documents`` (limits, ``Document``, ``Summary``, reading report lines), ``segments``
(documents → JSON), ``html`` (the page); the two entry points are here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..report import Report
from .documents import CONTEXT_LINES, MAX_DOCUMENTS, PAGE_REMOVALS, Document, Summary, _label, load_document
from .html import _page
from .segments import segments, tokens


def _lines(records: Iterable[Mapping[str, Any]]) -> Iterator[tuple[Mapping[str, Any], Report | None]]:
    for d in records:
        rep = d.get("report")
        yield d, (Report.from_dict(rep) if d.get("ok") and isinstance(rep, Mapping) else None)


def render_review(records: Iterable[Mapping[str, Any]], *, outdir: str | Path | None = None,
                  base: str | Path = ".", title: str = "cleantext review", context: int = CONTEXT_LINES,
                  max_documents: int = MAX_DOCUMENTS) -> str:
    """The review page of a ``--report`` JSONL (its parsed lines): one self-contained HTML string.

    ``outdir`` is the folder the clean outputs are in (default: each line's recorded ``output``,
    relative to ``base``). Every count in the summary covers all lines; documents with removals
    beyond ``max_documents`` are sampled evenly and the page says so.
    """
    summary = Summary()
    keep: list[Mapping[str, Any]] = []
    for d, rep in _lines(records):
        label = _label(d)
        if rep is None:
            summary.fail(label, str(d.get("error") or "no report"), int(d.get("bytes", 0) or 0))
            continue
        summary.add(label, rep, int(d.get("bytes", 0) or 0))
        if rep.removals:
            keep.append(d)
    sampled = ""
    if len(keep) > max_documents:
        step = len(keep) / max_documents
        keep = [keep[int(k * step)] for k in range(max_documents)]
        sampled = (f"Sampled: {len(keep)} of the {summary.with_removals} documents with removals are in this page, "
                   "picked evenly through the report (--max-documents); the summary counts all of them.")
    od = None if outdir is None else Path(outdir)
    docs = (load_document(d, outdir=od, base=Path(base)) for d in keep)
    return _page(title, summary, (x for x in docs if x is not None), context=context, sampled=sampled)


def render_document(label: str, text: str, report: Report, *, title: str | None = None) -> str:
    """The page of one document (``cleantext explain --html``): its whole text, every removal in
    place. Its summary's bytes are the text's UTF-8 size (the page has the text, not the file)."""
    summary = Summary()
    summary.add(label, report, len(text.encode("utf-8", errors="surrogatepass")))
    return _page(title or f"cleantext explain: {label}", summary, [Document(label, report, text)], context=None,
                 sampled="")


__all__ = [
    "CONTEXT_LINES", "MAX_DOCUMENTS", "PAGE_REMOVALS", "Document", "Summary", "load_document", "render_document",
    "render_review", "segments", "tokens",
]
