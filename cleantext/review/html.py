"""The page itself: the summary as escaped HTML, the documents as escaped JSON in the template's
slots (``page.html``), the first page of documents inline."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

from ..config import __version__
from ..visible import visible
from .documents import MAX_LISTED, PAGE_REMOVALS, Document, Summary
from .segments import _doc_meta, _Tables, segments

_PALETTE = 10
"""CSS classes ``c0``…``c9``: category colours (a user pack's extra categories reuse them)."""
_KNOWN = ("reseller_header", "contact", "promo", "disclaimer", "page_furniture", "web_chrome", "inline", "invisible")


def _e(s: object) -> str:
    return html.escape(visible(str(s)), quote=True)


def _mb(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 10_000 else f"{n} B"


def _summary_html(s: Summary, cat_ix: Mapping[str, int], sampled: str) -> str:
    cats = sorted(s.by_category.items(), key=lambda kv: (-kv[1], kv[0]))
    rules = sorted(s.by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [
        f'<section id="summary" data-removals="{s.removals}" data-documents="{s.documents}" '
        f'data-failed="{len(s.failed)}">',
        '<dl class="figures">',
        f"<div><dt>documents</dt><dd>{s.documents}</dd></div>",
        f"<div><dt>bytes</dt><dd>{_mb(s.bytes_in)}</dd></div>",
        f"<div><dt>removals</dt><dd>{s.removals}</dd></div>",
        f"<div><dt>blank lines among them</dt><dd>{s.blank}</dd></div>",
        f"<div><dt>documents with removals</dt><dd>{s.with_removals}</dd></div>",
        f'<div class="{"bad" if s.failed else ""}"><dt>failed inputs</dt><dd>{len(s.failed)}</dd></div>',
        f'<div class="{"warn" if s.capped else ""}"><dt>capped documents</dt><dd>{len(s.capped)}</dd></div>',
        f"<div><dt>notices</dt><dd>{s.notices}</dd></div>",
        "</dl>",
    ]
    if sampled:
        out.append(f'<p class="sampled">{_e(sampled)}</p>')
    out.append('<div class="tables"><table id="by-category"><caption>by category</caption>'
               '<tr><th></th><th>category</th><th>removals</th></tr>')
    for c, n in cats:
        out.append(f'<tr><td><input type="checkbox" checked data-filter-category="{_e(c)}"></td>'
                   f'<td><span class="sw c{cat_ix[c] % _PALETTE}"></span>{_e(c)}</td><td>{n}</td></tr>')
    out.append("</table>")
    out.append('<table id="by-rule"><caption>by rule (most fired first) '
               '<button type="button" id="rules-all">all</button> <button type="button" id="rules-none">none'
               "</button></caption><tr><th></th><th>rule</th><th>removals</th><th>documents</th></tr>")
    for r, n in rules:
        c = s.rule_category[r]
        out.append(f'<tr><td><input type="checkbox" checked data-filter-rule="{_e(r)}"></td>'
                   f'<td><span class="sw c{cat_ix[c] % _PALETTE}"></span>{_e(r)}</td><td>{n}</td>'
                   f"<td>{s.docs_by_rule[r]}</td></tr>")
    out.append("</table></div>")
    for caption, rows, ident in (("failed inputs", s.failed, "failed"),
                                 ("documents where a body-safety cap held something back",
                                  [(lbl, "; ".join(n)) for lbl, n in s.capped], "capped")):
        if not rows:
            continue
        out.append(f'<details id="{ident}" open><summary>{caption} ({len(rows)})</summary><ul>')
        out.extend(f"<li><code>{_e(a)}</code>: {_e(b)}</li>" for a, b in rows[:MAX_LISTED])
        if len(rows) > MAX_LISTED:
            out.append(f"<li>and {len(rows) - MAX_LISTED} more</li>")
        out.append("</ul></details>")
    out.append("</section>")
    return "\n".join(out)


def _script_json(obj: object) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``/``>``/``&`` can end it."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate in a label: only ASCII JSON can carry it
        s = json.dumps(obj, ensure_ascii=True, separators=(",", ":"))
        s = s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return s


CHUNK_DOCS = 100
"""Documents per ``<script type="application/json">`` block of text segments. The page's script
parses a block only when it shows one of its documents, and the blocks not needed for the first
page come after the script, so the first page is drawn before the browser has read the rest."""

_SLOT = re.compile(r"@@(TITLE|SUMMARY|DATA|LATER|VERSION)@@")


def _first_page(removal_counts: Sequence[int]) -> int:
    """How many documents the page script puts on its first page (same rule as its ``paginate``)."""
    n = 0
    for k, c in enumerate(removal_counts):
        if k and n + c > PAGE_REMOVALS:
            return k
        n += c
    return len(removal_counts)


def _page(title: str, summary: Summary, docs: Iterable[Document], *, context: int | None, sampled: str) -> str:
    cats = list(_KNOWN) + sorted(set(summary.by_category) - set(_KNOWN))
    tables = _Tables(sorted(summary.by_rule, key=lambda r: (-summary.by_rule[r], r)), cats)
    metas: list[list[Any]] = []
    segs: list[list[list[Any]]] = []
    badges: set[int] = set()
    for d in docs:
        metas.append(_doc_meta(d, tables))
        g = segments(d.text, d.report.removals, context=context)
        badges.update(t for seg in g if seg[0] in "kr" for t in seg[-1] if isinstance(t, int))
        segs.append(g)
    chunks = [
        f'<script type="application/json" id="seg{k}">{_script_json(segs[i : i + CHUNK_DOCS])}</script>'
        for k, i in enumerate(range(0, len(segs), CHUNK_DOCS))
    ]
    first = -(-_first_page([len(m[4]) for m in metas]) // CHUNK_DOCS)
    data = {
        **tables.to_json(),
        "palette": _PALETTE,
        "pageRemovals": PAGE_REMOVALS,
        "chunk": CHUNK_DOCS,
        "names": {str(cp): unicodedata.name(chr(cp), "") for cp in sorted(badges)},
        "docs": metas,
    }
    template = resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")
    slots = {
        "TITLE": _e(title),
        "SUMMARY": _summary_html(summary, tables.cats, sampled),
        "DATA": "\n".join([f'<script type="application/json" id="data">{_script_json(data)}</script>',
                           *chunks[:first]]),
        "LATER": "\n".join(chunks[first:]),
        "VERSION": _e(__version__),
    }
    return _SLOT.sub(lambda m: slots[m.group(1)], template)
