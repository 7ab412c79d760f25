"""Build the review page: a static summary rendered here, and the documents as JSON that the
page's own script renders one page at a time (a 10,000-document report must open in a second).

Why JSON + ``textContent`` for the documents: documents are hostile input (``<script>``,
``</textarea>``, bidi controls); building their DOM with ``textContent`` in the browser makes
injection impossible by construction, and the JSON is embedded with ``<``, ``>`` and ``&``
escaped so nothing in it can close the ``<script>`` element that carries it. The summary is
plain HTML escaped with ``html.escape``, so it reads even with JavaScript off.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..api import restore
from ..batch import FileResult, decode_output, safe_relpath, sha256
from ..config import __version__
from ..errors import CleantextError
from ..lines import line_texts
from ..model import Removal
from ..report import Report
from ..visible import is_invisible, visible

CONTEXT_LINES = 2
"""Kept lines shown around each removal on the review page; longer kept runs fold into a gap."""
MAX_KEPT_CHARS = 600
"""A kept piece longer than this (a 50 MB single-line document) shows its two ends only."""
MAX_DOCUMENTS = 10_000
"""Documents with removals embedded in one review page; beyond this they are sampled evenly."""
MAX_LISTED = 200
"""Failed inputs and capped documents listed in the summary (all are counted)."""
PAGE_REMOVALS = 5_000
"""Removals rendered on one page of documents (the page script pages through the rest)."""

_CAP_PREFIX = "cap-"

Token = str | int
"""A run of ordinary text, or the code point of a character shown as a badge."""


@dataclass(frozen=True, slots=True)
class Document:
    """One document to show: its label, the text it was cleaned from (``None`` when only the
    removed text is known) and its report."""

    label: str
    report: Report
    text: str | None
    note: str = ""
    """Why the text is missing, or anything else the reader should know about this document."""


@dataclass(slots=True)
class Summary:
    """Counts over the whole report (not only the documents embedded in the page). Mutable: an
    accumulator filled line by line, so a 10,000-line report is read once."""

    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    bytes_in: int = 0
    removals: int = 0
    blank: int = 0
    with_removals: int = 0
    by_category: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    docs_by_rule: Counter[str] = field(default_factory=Counter)
    rule_category: dict[str, str] = field(default_factory=dict)
    capped: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    notices: int = 0

    def add(self, label: str, report: Report, bytes_in: int) -> None:
        self.documents += 1
        self.bytes_in += bytes_in
        rem = report.removals
        self.removals += len(rem)
        self.blank += sum(1 for r in rem if not r.text.strip())
        self.with_removals += bool(rem)
        self.by_category.update(r.category for r in rem)
        self.by_rule.update(r.rule for r in rem)
        self.docs_by_rule.update({r.rule for r in rem})
        for r in rem:
            self.rule_category.setdefault(r.rule, r.category)
        self.notices += len(report.notices)
        caps = tuple(n for n in report.notices if n.startswith(_CAP_PREFIX))
        if caps:
            self.capped.append((label, caps))

    def fail(self, label: str, error: str, bytes_in: int) -> None:
        self.documents += 1
        self.bytes_in += bytes_in
        self.failed.append((label, error))


# --------------------------------------------------------------------------------------------
# documents → JSON segments


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


# --------------------------------------------------------------------------------------------
# reading a --report JSONL


def _label(d: Mapping[str, Any]) -> str:
    src = str(d.get("source", "?"))
    return f"{src}:{d['line']}" if "line" in d else src


def _find_output(d: Mapping[str, Any], res: FileResult, outdir: Path | None, base: Path) -> Path | None:
    if res.path is not None and outdir is not None:
        return outdir.joinpath(*safe_relpath(res.path).parts)
    if res.output is None:
        return None
    out = Path(res.output)
    if out.is_absolute() or out.exists():
        return out
    return base / out


def load_document(d: Mapping[str, Any], *, outdir: Path | None, base: Path) -> Document | None:
    """The document of one successful report line with its original text, rebuilt from the
    clean output and the report (checked against the recorded SHA-256s); ``None`` for a failure.

    When the output cannot be found or changed since cleaning, the document is still shown with
    its removed text only, and says why.
    """
    if "line" in d:  # a JSONL-mode record: its text lives inside a record of a JSONL output
        rep = Report.from_dict(d["report"])
        return Document(_label(d), rep, None, "JSONL record: removed text only")
    res = FileResult.from_record(d)
    if not res.ok or res.report is None:
        return None
    rep = res.report
    try:
        path = _find_output(d, res, outdir, base)
        if path is None:
            return Document(res.source, rep, None, "no output file (stdout): removed text only")
        data = path.read_bytes()
        if res.output_sha256 is not None and sha256(data) != res.output_sha256:
            return Document(res.source, rep, None, f"{path} changed since cleaning: removed text only")
        clean = res.clean_text
        if clean is None:
            clean = decode_output(data, rep, res.output_encoding or "utf-8")
        return Document(res.source, rep, restore(clean, rep))
    except (OSError, UnicodeError, CleantextError) as e:
        return Document(res.source, rep, None, f"output not readable ({type(e).__name__}): removed text only")


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


# --------------------------------------------------------------------------------------------
# the page


_PALETTE = 10
"""CSS classes ``c0``…``c9``: category colours (a user pack's extra categories reuse them)."""
_KNOWN = ("reseller_header", "contact", "promo", "disclaimer", "page_furniture", "inline", "invisible")


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


__all__ = ["Document", "Summary", "load_document", "render_document", "render_review", "segments", "tokens"]
