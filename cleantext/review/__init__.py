"""The review page: one self-contained HTML file showing every removal of a run in place
(``cleantext review REPORT.jsonl``, ``cleantext explain FILE --html``).

Plain HTML, CSS and a little vanilla JavaScript, no templating library: the page has one
template with four slots, and the documents are rendered by the page's script from JSON with
``textContent``, so escaping cannot be forgotten in a template. Sits above ``cleantext.batch``
in the layers: it reads the reports that ``batch`` writes.
"""

from __future__ import annotations

from .render import (
    CONTEXT_LINES,
    MAX_DOCUMENTS,
    PAGE_REMOVALS,
    Document,
    Summary,
    load_document,
    render_document,
    render_review,
)

__all__ = [
    "CONTEXT_LINES",
    "MAX_DOCUMENTS",
    "PAGE_REMOVALS",
    "Document",
    "Summary",
    "load_document",
    "render_document",
    "render_review",
]
