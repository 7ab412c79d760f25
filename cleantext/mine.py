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
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import types
import zlib
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Literal

import regex

from .batch import iter_inputs, read_input, resolve_jobs
from .batch.pool import _chunks, _imap_ordered
from .check import one_rule_matcher, removing_zone, run_examples
from .engine import Cleaner
from .errors import CleantextError, RulePackError
from .features import extract, score_of
from .match import prefilter
from .model import Removal, ZoneSpec
from .rules import RulePack
from .rules.compile import compile_rule
from .rules.schema import Rule
from .rules.shadow import shadow
from .segment import is_body_like, segment, split_lines

DEFAULT_MAX_TEMPLATES = 50_000
"""Templates tracked at once. Most lines of a corpus are unique; each tracked template costs a few
hundred bytes, so the table stays in the tens of MB whatever the corpus size."""

MAX_LINE_CHARS = 100
"""Longer lines are prose, never furniture lines worth a rule; they are not counted."""

CHUNK_DOCS = 64
"""Documents per unit of work: big enough that pickling a chunk's counts costs little next to
cleaning it, small enough that the merged table is pruned often."""

MAX_SOURCES = 256
"""Distinct documents remembered per template (see ``_signature``); past this a template is
plainly cross-document and only its raw document count grows."""

MAX_EXAMPLES = 3
MAX_SLOT_VALUES = 8
BODY_SAMPLE = 200
"""Body lines kept as ``no_match`` material (the first ones met, so runs are reproducible)."""

SLOT_REGEX: Mapping[str, str] = {
    "DATE": r"\d{2,4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月(?:\d{1,2}日)?)(?:[^\S\n]*\d{1,2}:\d{2}(?::\d{2})?)?",
    "URL": (
        r"(?:[A-Za-z]{3,5}://)?(?:[A-Za-z0-9-]+\.)+"
        r"(?:com|cn|net|org|edu|gov|info|top|cc|io|me|tv|xyz|vip|club|site|wang|co|biz|ink|pub|ltd|tech"
        r"|online|shop|hk|tw)(?![A-Za-z0-9])(?:/[A-Za-z0-9_./?=&%#+~-]*)?"
    ),
    "NUM": r"\d+",
}
"""What each abstracted slot matches in a pattern: the same expression that found it (NUM's ``\\d``
is a superset of the ``[0-9]`` found), so a rule always matches the lines it was mined from."""

_TOKEN = regex.compile(
    rf"(?P<DATE>{SLOT_REGEX['DATE']})|(?P<URL>{SLOT_REGEX['URL']})|(?P<ALNUM>[A-Za-z0-9]+)|(?P<SPACE>[^\S\n]+)"
)
_SLOT = "\x00"
"""Marks a slot in a template's parts (``"\\x00NUM"``); shadows never contain NUL after strip."""

_TEXTY = regex.compile(r"[\p{Han}A-Za-z0-9]")
_WORDY = regex.compile(r"[\p{Han}A-Za-z]")
_PAGE_LINE = regex.compile(
    r"^[^\S\n]*(?:第[^\S\n]*\d+[^\S\n]*页.*|-[^\S\n]*\d+[^\S\n]*-|\d+[^\S\n]*/[^\S\n]*\d+)[^\S\n]*$"
)
"""A page counter or page number line: a page break sits there."""

# Shapes that repeat across documents and are body all the same (checked on a line's shadow,
# where ：！（ are folded to :!( ).
_BODY_SHAPES: tuple[tuple[str, regex.Pattern[str]], ...] = (
    ("an article number (第…条)", regex.compile(r"^第[\s\d一二三四五六七八九十百千零〇两]+[条款项]")),
    ("a heading", regex.compile(
        r"^(?:#{1,6}\s|第[\s\d一二三四五六七八九十百千零〇两]+[章节编部分篇卷回]|[一二三四五六七八九十百]+[、.]"
        r"|\(?[\d一二三四五六七八九十]+\)|\d{1,3}[、.)]|[-*+]\s|(?:总则|附则|目录|前言|序言|结语|引言)$)")),
    ("a closing (谢谢大家！)", regex.compile(
        r"^(?:谢谢|感谢|多谢|此致|敬礼|以上|再见|特此|祝(?:大家|各位|您|你们|全体))")),
    ("a legal or official formula", regex.compile(
        r"(?:自.{0,24}起施行|施行。?$|现予公布|现予发布|遵照执行|贯彻执行|贯彻落实|印发给你们|^附件|^根据《|^为了.{0,30},制定"
        r"|令第[\d一二三四五六七八九十百千零〇]+号|^\d{2,4}年.{0,60}(?:通过|公布|发布|施行|批准|修订|修正|废止)"
        r"|(?:会议|委员会).{0,30}(?:通过|批准|修订|修正)|[〔\[]\d{4}[〕\]][^\S\n]*\d+[^\S\n]*号)")),
    ("a title", regex.compile(
        r"(?:讲话|致辞|发言|通知|通报|公告|决定|决议|办法|意见|报告|方案|条例|规定|细则|纲要|计划|规划|总结|批复"
        r"|倡议书|说明|公报)(?:\(.{0,24}\)|\s*)$")),
    ("a dateline (时间：2026-02-02)", regex.compile(
        r"^(?:时间|日期|发布时间|发布日期|成文日期|发文日期|印发日期)[^\S\n]*:?[^\S\n]*\d{2,4}[-/.年]")),
    ("a salutation (同志们：)", regex.compile(
        r"^(?:[^:]{0,16}(?:同志|领导|各位|尊敬|朋友|大家|代表|来宾|老师|同学|女士|先生|亲爱|你们|您好)[^:]{0,8}"
        r"|[\p{Han}、 ]{1,12}):$")),
)

Position = Literal["head", "body", "tail", "edge", "near_break", "near_removed", "among_body", "prose", "signal",
                   "placed", "removed"]
_POS: tuple[Position, ...] = ("head", "body", "tail", "edge", "near_break", "near_removed", "among_body", "prose",
                              "signal", "placed", "removed")
_P: dict[str, int] = {name: i for i, name in enumerate(_POS)}


# --------------------------------------------------------------------------------------------
# results


@dataclass(frozen=True, slots=True)
class Positions:
    """Where a template's occurrences sat (each occurrence counted once per field)."""

    head: int = 0
    body: int = 0
    tail: int = 0
    edge: int = 0
    """Among the first or last three non-blank lines of its document."""
    near_break: int = 0
    """Right above or below a page break (a page counter, a form feed)."""
    near_removed: int = 0
    """Right above or below a line the built-in packs remove."""
    among_body: int = 0
    """Between two body-like lines: where body text sits, not furniture."""
    prose: int = 0
    """Body-like itself: a sentence, or a long line with punctuation."""
    signal: int = 0
    """On a line with the packs' evidence: a rule's keyword, or a positive score from their
    signals (vocabulary, shape, neighbours)."""
    placed: int = 0
    """Where furniture sits: at an edge, next to a break or a removed line, or in the head or tail
    zone and not among body lines."""
    removed: int = 0
    """Already removed by the built-in packs."""

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in _POS}


@dataclass(frozen=True, slots=True)
class Finding:
    """One repeated line template: proposed as a rule, or considered and left out (``reason``)."""

    template: str
    """The line's shadow with slots: ``阅读次数:<NUM>次``, ``来源:<URL>``."""
    pattern: str
    """The rule's ``regex`` pattern (on the shadow); one-valued slots are written out literally."""
    keywords: tuple[str, ...]
    docs: int
    """Distinct documents with the template: copies of one document (the same body under other
    furniture) count once, so a line of a document the corpus holds five times is not furniture.
    A lower bound once the table was pruned."""
    files: int
    """Documents with the template, copies included."""
    occurrences: int
    positions: Positions
    zones: tuple[ZoneSpec, ...]
    examples: tuple[str, ...]
    """Lines from the corpus the rule must match."""
    no_match: tuple[str, ...]
    """Lines from the corpus (body lines) the rule must leave alone."""
    score: float
    proposed: bool
    reason: str
    """Why it was left out (empty when proposed)."""
    rule_id: str = ""
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id or None, "proposed": self.proposed, "reason": self.reason or None,
            "template": self.template, "pattern": self.pattern, "keywords": list(self.keywords), "docs": self.docs,
            "files": self.files,
            "occurrences": self.occurrences, "positions": self.positions.to_dict(), "zones": list(self.zones),
            "score": round(self.score, 4), "description": self.description, "examples": list(self.examples),
            "no_match": list(self.no_match),
        }


@dataclass(frozen=True, slots=True)
class Mined:
    """What ``mine`` found: proposed findings (best first, also what iterating yields) and the
    repeated templates it considered and left out, with the figures of the run."""

    findings: tuple[Finding, ...]
    left_out: tuple[Finding, ...]
    documents: int
    failed: int
    errors: tuple[str, ...]
    """The first few failures (``source: ErrorType: message``)."""
    min_docs: int
    templates: int
    """Templates in the table at the end."""
    pruned: int
    """Templates dropped to keep the table bounded."""
    prune_floor: int
    """The most documents a dropped template had been counted in: a count may be short by this."""
    seconds: float
    pack: str = field(default="builtin")

    def __iter__(self) -> Iterator[Finding]:
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)

    def summary(self) -> str:
        why: dict[str, int] = {}
        for f in self.left_out:
            key = f.reason.split(" (", 1)[0].removeprefix("body text: ")
            key = "already removed" if key.startswith("already removed") else key
            why[key] = why.get(key, 0) + 1
        left = ", ".join(f"{k} {v}" for k, v in sorted(why.items(), key=lambda kv: -kv[1]))
        return (f"{self.documents} documents ({self.failed} failed), {len(self.findings)} rules proposed, "
                f"{len(self.left_out)} left out" + (f" ({left})" if left else "") + f", {self.seconds:.2f} s")

    def draft_pack(self, name: str = "mined-draft") -> str:
        """The findings as a TOML pack that ``cleantext check-pack`` accepts as written."""
        when = datetime.now(UTC).strftime("%Y-%m-%d")
        out = [
            f"# Draft rules mined by `cleantext mine` from {self.documents} documents on {when}"
            f" (min_docs {self.min_docs}).",
            "# A draft for review, never applied by itself: read each rule, delete what is body text, then",
            "#   cleantext check-pack draft.toml              # schema, patterns, examples",
            "#   cleantext explain FILE --pack draft.toml     # what it removes from one document",
            "#   cleantext clean PATH --pack draft.toml -o OUT",
            f"# {len(self.left_out)} repeated templates were considered and left out (body text, already removed"
            " by the built-in packs, ...): see `--report`.",
            "",
            "[pack]",
            f"name = {_toml_str(name)}",
            'version = "1"',
            f"description = {_toml_str(f'{len(self.findings)} rules mined from {self.documents} documents')}",
        ]
        for f in self.findings:
            p = f.positions
            out += [
                "",
                f"# template: {_comment(f.template)}",
                f"# score {f.score:.2f}; {f.occurrences} lines: head {p.head}, body {p.body}, tail {p.tail}; "
                f"first/last lines {p.edge}, next to page breaks {p.near_break}, next to removed lines "
                f"{p.near_removed}",
                "[[rules]]",
                f"id = {_toml_str(f.rule_id)}",
                'category = "mined"',
                f"description = {_toml_str(f.description)}",
            ]
            if f.keywords:
                out.append(f"keywords = [{', '.join(_toml_str(k) for k in f.keywords)}]")
            out += [
                f"pattern = {_toml_pattern(f.pattern)}",
                'scope = "line"',
                f"zone = [{', '.join(_toml_str(z) for z in f.zones)}]",
                "priority = 45",
                f"max_chars = {max(len(e) for e in f.examples) + 10}",
                "[rules.examples]",
                f"match = [{', '.join(_toml_str(e) for e in f.examples)}]",
                f"no_match = [{', '.join(_toml_str(e) for e in f.no_match)}]",
            ]
        return "\n".join(out) + "\n"

    def report_records(self) -> Iterator[dict[str, Any]]:
        """One JSON-ready record per finding, proposed first, then the left-out ones."""
        for f in (*self.findings, *self.left_out):
            yield f.to_dict()


def _toml_str(s: str) -> str:
    """A TOML basic string: JSON escapes are valid TOML; DEL is the one control JSON leaves raw."""
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_pattern(p: str) -> str:
    """Patterns read best as literal strings (no doubled backslashes), when that is possible."""
    if "'''" in p or p.endswith("'") or any(ord(c) < 0x20 or c == "\x7f" for c in p):
        return _toml_str(p)
    return f"'''{p}'''"


def _comment(s: str) -> str:
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in s)


# --------------------------------------------------------------------------------------------
# templates


def template_parts(sh: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Parts of a stripped line shadow (literals, ``" "`` for in-line space, ``"\\x00KIND"`` for
    slots) and the slot values, in order.

    >>> template_parts("阅读次数:1234 来源 www.abc.com")
    (('阅读次数:', '\\x00NUM', ' ', '来源', ' ', '\\x00URL'), ('1234', 'www.abc.com'))
    >>> template_parts("QQ群 ab12cd34ef")[0]
    ('QQ', '群', ' ', '\\x00ID')
    """
    parts: list[str] = []
    values: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(sh):
        if m.start() > pos:
            parts.append(sh[pos : m.start()])
        kind = m.lastgroup
        tok = m.group()
        if kind == "SPACE":
            parts.append(" ")
        elif kind == "ALNUM":
            if tok.isdigit():
                parts.append(_SLOT + "NUM")
                values.append(tok)
            elif len(tok) >= 5 and not tok.isalpha():
                parts.append(_SLOT + "ID")
                values.append(tok)
            else:
                parts.append(tok)
        else:
            parts.append(_SLOT + str(kind))
            values.append(tok)
        pos = m.end()
    if pos < len(sh):
        parts.append(sh[pos:])
    return tuple(parts), tuple(values)


def render_template(parts: Sequence[str]) -> str:
    return "".join(f"<{p[1:]}>" if p.startswith(_SLOT) else p for p in parts)


# --------------------------------------------------------------------------------------------
# counting


@dataclass(slots=True)
class _Slot:
    values: set[str]
    overflow: bool
    shortest: int
    longest: int

    def add(self, v: str) -> None:
        self.shortest = min(self.shortest, len(v))
        self.longest = max(self.longest, len(v))
        if v not in self.values:
            if len(self.values) >= MAX_SLOT_VALUES:
                self.overflow = True
            else:
                self.values.add(v)

    def merge(self, o: _Slot) -> None:
        self.shortest = min(self.shortest, o.shortest)
        self.longest = max(self.longest, o.longest)
        self.overflow = self.overflow or o.overflow
        for v in o.values:
            self.add(v)

    def regex(self, kind: str) -> str:
        if len(self.values) == 1 and not self.overflow:
            return regex.escape(next(iter(self.values)))
        if kind == "ID":
            return f"[A-Za-z0-9]{{{max(5, self.shortest - 2)},{self.longest + 4}}}"
        return SLOT_REGEX[kind]


def _writable(line: str) -> bool:
    """Examples go into a UTF-8 TOML file: a lone surrogate (possible in ``str`` input) cannot."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(slots=True)
class _Stat:
    parts: tuple[str, ...]
    first: int
    docs: int = 0
    occ: int = 0
    pos: list[int] = field(default_factory=lambda: [0] * len(_POS))
    removed_by: dict[str, int] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)
    slots: list[_Slot] = field(default_factory=list)
    sources: set[int] = field(default_factory=set)
    """Signatures of the documents it was seen in, up to ``MAX_SOURCES``."""

    @property
    def distinct(self) -> int:
        return self.docs if len(self.sources) >= MAX_SOURCES else len(self.sources)

    def add_example(self, line: str) -> None:
        if len(self.examples) < MAX_EXAMPLES and line not in self.examples and _writable(line):
            self.examples.append(line)

    def merge(self, o: _Stat) -> None:
        self.first = min(self.first, o.first)
        self.docs += o.docs
        self.occ += o.occ
        self.pos = [a + b for a, b in zip(self.pos, o.pos, strict=True)]
        for k, v in o.removed_by.items():
            self.removed_by[k] = self.removed_by.get(k, 0) + v
        for e in o.examples:
            self.add_example(e)
        for s, t in zip(self.slots, o.slots, strict=True):
            s.merge(t)
        if len(self.sources) < MAX_SOURCES:
            self.sources.update(list(o.sources)[: MAX_SOURCES - len(self.sources)])


@dataclass(slots=True)
class _Partial:
    """One chunk's counts, merged into the run's table by the parent process."""

    table: dict[str, _Stat] = field(default_factory=dict)
    docs: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    bodies: list[str] = field(default_factory=list)


def _line_sets(text: str, removals: Sequence[Removal], starts: Sequence[int]) -> tuple[dict[int, str], set[int]]:
    """Lines the packs removed whole (line → rule id) and lines that are page breaks."""
    removed: dict[int, str] = {}
    breaks: set[int] = set()
    for r in removals:
        if r.action == "span":
            continue
        first = bisect_right(starts, r.start) - 1
        last = bisect_right(starts, max(r.start, r.end - 1)) - 1
        for i in range(first, last + 1):
            removed.setdefault(i, r.rule)
            if "page" in r.rule:
                breaks.add(i)
    return removed, breaks


_CLAUSE = regex.compile(r"[，。；、]")


def _wrapped_prose(line: str) -> bool:
    """A line of hard-wrapped prose (PDF or print layout): long enough and broken mid-sentence,
    with clause punctuation inside. Furniture such as 本站网址：… rarely has clauses."""
    return len(line) >= 15 and _CLAUSE.search(line, 0, len(line) - 1) is not None


def _signature(body: Sequence[str]) -> int:
    """One min-hash of a document's prose lines: copies of a document under different furniture
    share it (with the probability that they share lines), different documents almost never do.
    CRC-32 because ``hash`` differs between worker processes."""
    return min(zlib.crc32(s.encode("utf-8", "surrogatepass")) for s in body)


def _scan_doc(cleaner: Cleaner, text: str, removals: Sequence[Removal], part: _Partial, *, doc_no: int,
              max_line_chars: int) -> None:
    """Count the templates of one document's short lines, with where each one sits."""
    starts, ends, _ = split_lines(text)
    pre = prefilter(cleaner.matcher, text, starts)
    sh = pre.shadow
    removed, breaks = _line_sets(text, removals, starts)
    layout = segment(text, pre.flagged | removed.keys(), cleaner.limits)
    # the packs' own evidence: a keyword of a precise rule, or a positive score from their signals
    feats = extract(text, sh, layout, removed.keys(), cleaner.scorer)
    weights = cleaner.scorer.weights
    signal = pre.flagged | {i for i, names in feats.items() if score_of(names, weights) > 0}
    lines = [text[starts[i] : ends[i]].strip() for i in range(len(starts))]
    nonblank = [i for i, s in enumerate(lines) if s]
    for i in nonblank:
        if "\f" in text[starts[i] : ends[i]] or _PAGE_LINE.match(sh, starts[i], ends[i]):
            breaks.add(i)
    body_like = {i for i in nonblank if i not in removed and is_body_like(lines[i], cleaner.limits)}
    prose = body_like | {i for i in nonblank if i not in removed and _wrapped_prose(lines[i])}
    # on the shadow, so that a Traditional copy of a document is the same document
    content = [i for i in prose if layout.zone(i) == "body"] or sorted(prose)
    sig = _signature([sh[starts[i] : ends[i]].strip() for i in content] or [sh])
    if len(part.bodies) < BODY_SAMPLE // 4:
        part.bodies.extend(lines[i] for i in sorted(body_like)[:2] if len(lines[i]) <= 120)
    seen: set[str] = set()
    last = len(nonblank) - 1
    for k, i in enumerate(nonblank):
        line = lines[i]
        if len(line) > max_line_chars or not _TEXTY.search(line) or _SLOT in line:
            continue
        parts, values = template_parts(sh[starts[i] : ends[i]].strip())
        key = "".join(parts)
        st = part.table.get(key)
        if st is None:
            st = part.table[key] = _Stat(parts, doc_no)
            st.slots = [_Slot(set(), False, len(v), len(v)) for v in values]
        if key not in seen:
            seen.add(key)
            st.docs += 1
            if len(st.sources) < MAX_SOURCES:
                st.sources.add(sig)
        st.occ += 1
        for s, v in zip(st.slots, values, strict=True):
            s.add(v)
        st.add_example(line)
        prev = nonblank[k - 1] if k > 0 else None
        nxt = nonblank[k + 1] if k < last else None
        near = [j for j in (prev, nxt) if j is not None]
        zone = layout.zone(i)
        flags: dict[str, bool] = {
            zone: True,
            "edge": k < 3 or k > last - 3,
            "near_break": any(j in breaks for j in near),
            "near_removed": i not in removed and any(j in removed for j in near),
            "among_body": prev in prose and nxt in prose,
            "prose": i in prose,
            "signal": i in signal,
            "removed": i in removed,
        }
        flags["placed"] = bool(flags["edge"] or flags["near_break"] or flags["near_removed"]
                               or (zone != "body" and not flags["among_body"]))
        for name, on in flags.items():
            if on:
                st.pos[_P[name]] += 1
        if i in removed:
            rid = removed[i]
            st.removed_by[rid] = st.removed_by.get(rid, 0) + 1


# --------------------------------------------------------------------------------------------
# inputs and workers

_Unit = tuple[Literal["path", "text", "bytes", "record"], Any, str]
"""(kind, payload, source): a file to read, a document, or one raw JSONL line to parse."""


@dataclass(frozen=True, slots=True)
class _Job:
    cleaner: Cleaner
    field: str
    max_line_chars: int


_WORKER: list[_Job] = []


def _init_worker(job: _Job) -> None:
    _WORKER[:] = [job]


def _worker_scan(chunk: tuple[int, list[_Unit]]) -> _Partial:
    return _scan_chunk(_WORKER[0], chunk)


def _document(job: _Job, unit: _Unit) -> tuple[str, Sequence[Removal]]:
    """Decode through the public cleaner in annotate mode: the text is the decoded original and
    the removals are what the packs already take."""
    kind, payload, _ = unit
    if kind == "record":
        try:
            rec = json.loads(payload)
        except ValueError as e:
            raise CleantextError(f"not a JSON line: {e}") from e
        value = rec.get(job.field) if isinstance(rec, dict) else None
        if not isinstance(value, str):
            raise CleantextError(f"field {job.field!r} is missing or not a string")
        res = job.cleaner.clean_text(value, "annotate")
    elif kind == "text":
        res = job.cleaner.clean_text(payload, "annotate")
    else:
        data = payload if kind == "bytes" else read_input(payload, job.cleaner.limits.max_bytes)
        res = job.cleaner.clean_bytes(data, "annotate")
    return res.text, res.report.removals


def _scan_chunk(job: _Job, chunk: tuple[int, list[_Unit]]) -> _Partial:
    first, units = chunk
    part = _Partial()
    for n, unit in enumerate(units):
        try:
            text, removals = _document(job, unit)
        except (CleantextError, OSError) as e:
            part.failed += 1
            if len(part.errors) < 5:
                part.errors.append(f"{unit[2]}: {type(e).__name__}: {e}")
            continue
        part.docs += 1
        _scan_doc(job.cleaner, text, removals, part, doc_no=first + n, max_line_chars=job.max_line_chars)
    return part


def _is_path(x: object) -> bool:
    if isinstance(x, os.PathLike):
        return True
    return isinstance(x, str) and "\n" not in x and 0 < len(x) < 4096 and os.path.exists(x)


def _units(inputs: Iterable[str | bytes | os.PathLike[str]], *, jsonl_field: str | None,
           globs: Sequence[str]) -> Iterator[_Unit]:
    for n, x in enumerate(inputs):
        if isinstance(x, bytes):
            yield ("bytes", x, f"<bytes {n}>")
        elif not _is_path(x):
            yield ("text", str(x), f"<text {n}>")
        elif jsonl_field is None:
            for it in iter_inputs([x], globs=globs):
                yield ("path", str(it.path), str(it.path))
        else:
            for it in iter_inputs([x], globs=globs or ["*.jsonl"]):
                try:
                    with it.path.open("rb") as f:
                        for ln, raw in enumerate(f, 1):
                            body = raw.rstrip(b"\r\n").removeprefix(b"\xef\xbb\xbf" if ln == 1 else b"")
                            if body.strip():
                                yield ("record", body, f"{it.path}:{ln}")
                except OSError as e:
                    yield ("path", str(it.path), f"{it.path} ({e.strerror or e})")


# --------------------------------------------------------------------------------------------
# the run


@dataclass(slots=True)
class _Table:
    cap: int
    stats: dict[str, _Stat] = field(default_factory=dict)
    pruned: int = 0
    floor: int = 0

    def merge(self, part: _Partial) -> None:
        for key, st in part.table.items():
            mine = self.stats.get(key)
            if mine is None:
                self.stats[key] = st
            else:
                mine.merge(st)
        if len(self.stats) > self.cap:
            self.prune()

    def prune(self) -> None:
        """Drop the templates in the fewest documents until half the table is free (lossy
        counting): a template that keeps recurring survives, a one-off line goes."""
        by_docs: dict[int, int] = {}
        for st in self.stats.values():
            by_docs[st.docs] = by_docs.get(st.docs, 0) + 1
        target = len(self.stats) - self.cap // 2
        cut = dropped = 0
        for d in sorted(by_docs):
            cut = d
            dropped += by_docs[d]
            if dropped >= target:
                break
        self.stats = {k: v for k, v in self.stats.items() if v.docs > cut}
        self.pruned += dropped
        self.floor = max(self.floor, cut)


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


# --------------------------------------------------------------------------------------------
# from counts to findings


def _pattern(st: _Stat) -> str:
    body: list[str] = []
    slots = iter(st.slots)
    for p in st.parts:
        if p.startswith(_SLOT):
            body.append(next(slots).regex(p[1:]))
        elif p == " ":
            body.append(r"[^\S\n]+")
        else:
            body.append(regex.escape(p))
    return r"^[^\S\n]*" + "".join(body) + r"[^\S\n]*$"


def _keywords(st: _Stat) -> tuple[str, ...]:
    """The longest literal run (a one-valued slot counts): every matching line contains it, so it
    is a safe prefilter, and it flags the line as advert-like when zones are drawn."""
    pieces: list[str] = []
    slots = iter(st.slots)
    for p in st.parts:
        if p.startswith(_SLOT):
            s = next(slots)
            pieces.append(next(iter(s.values)) if len(s.values) == 1 and not s.overflow else "")
        elif p != " ":
            pieces.append(p)
    best = max(pieces, key=len, default="")
    return (best,) if len(best.strip()) >= 2 and best == best.strip() else ()


def _zones(p: Positions, occ: int) -> tuple[ZoneSpec, ...]:
    zones: list[ZoneSpec] = []
    for z in ("head", "body", "tail"):
        n = getattr(p, z)
        if n and n >= 0.05 * occ:
            zones.append(z)
    if zones == ["head", "body", "tail"]:
        return ("any",)
    return tuple(zones) or ("head", "tail")


def _where(p: Positions, occ: int) -> str:
    zone = max(("head", "body", "tail"), key=lambda z: getattr(p, z))
    bits = [{"head": "at the head", "body": "in the body", "tail": "at the tail"}[zone]]
    if p.near_break >= occ / 3:
        bits.append("next to page breaks")
    if p.near_removed >= occ / 3:
        bits.append("next to lines the packs remove")
    return ", ".join(bits)


def _body_reason(sh: str) -> str:
    for name, pat in _BODY_SHAPES:
        if pat.search(sh):
            return f"body text: {name}"
    return ""


def _has_slot(st: _Stat, kind: str) -> bool:
    return _SLOT + kind in st.parts


def _score(st: _Stat, p: Positions, docs: int) -> float:
    """Document frequency, position, shape and the packs' signals, each in [0, 1]."""
    occ = st.occ
    varying = any(s.overflow or len(s.values) > 1 for s in st.slots)
    shape = 0.5 * varying + 0.5 * _has_slot(st, "URL")
    return (0.35 * math.sqrt(st.distinct / max(1, docs)) + 0.25 * p.placed / occ + 0.15 * p.edge / occ
            + 0.15 * shape + 0.10 * min(1.0, (p.signal + p.near_removed) / occ))


def _findings(table: _Table, cleaner: Cleaner, *, docs: int, min_docs: int, bodies: list[str],
              max_rules: int) -> tuple[list[Finding], list[Finding]]:
    """Proposed findings (best score first, each checked against its examples) and the templates
    left out, for every template in at least ``min_docs`` distinct documents. Lines of left-out
    body templates (同志们：) join the ``no_match`` material: the lines a rule most needs to spare."""
    proposed: list[Finding] = []
    left: list[Finding] = []
    body_lines = list(bodies)
    considered = sorted((st for st in table.stats.values() if st.distinct >= min_docs),
                        key=lambda s: (-s.distinct, s.first))
    drafts: list[tuple[_Stat, Positions, float, str]] = []
    for st in considered:
        p = Positions(*st.pos)
        score = _score(st, p, docs)
        reason = _leave_out(st, p)
        if reason.startswith("body text"):
            body_lines.extend(st.examples[:1])
        drafts.append((st, p, score, reason))
    allows = cleaner.matcher.allow
    for st, p, score, reason in sorted(drafts, key=lambda d: (-d[2], d[0].first)):
        pattern = _pattern(st)
        base = Finding(render_template(st.parts), pattern, _keywords(st), st.distinct, st.docs, st.occ, p,
                       _zones(p, st.occ), tuple(st.examples), (), score, False, reason)
        if reason:
            left.append(base)
            continue
        if any(a.search(shadow(e)) for a in allows for e in st.examples):
            left.append(replace(base, reason="protected by the packs' allow list"))
            continue
        if len(proposed) >= max_rules:
            left.append(replace(base, reason=f"beyond --max-rules {max_rules}"))
            continue
        n = len(proposed) + 1
        zone_word = "any" if base.zones == ("any",) else "-".join(z for z in base.zones)
        rid = f"mined.{zone_word}-{n:03d}"
        pct = 100 * st.distinct / max(1, docs)
        copies = f" ({st.docs} with copies)" if st.docs != st.distinct else ""
        desc = f"in {st.distinct} of {docs} documents{copies} ({pct:.0f} %), {_where(p, st.occ)}: {base.template}"
        cand = replace(base, rule_id=rid, description=desc, proposed=True)
        checked = _with_examples(cand, body_lines)
        if checked is None:
            left.append(replace(base, reason="the pattern failed its own examples"))
        else:
            proposed.append(checked)
    return proposed, left


def _leave_out(st: _Stat, p: Positions) -> str:
    """Why a template must not become a rule ("" if it may); the first reason that holds, cheapest
    and surest first (a false positive costs body text, a miss only a line of furniture)."""
    occ = st.occ
    if not st.examples:
        return "no line of it can be written to a pack (lone surrogates)"
    if p.removed * 2 >= occ:
        rid = max(st.removed_by, key=lambda k: st.removed_by[k])
        return f"already removed by the packs: {rid} ({p.removed} of {occ} lines)"
    reason = _body_reason(shadow(st.examples[0]))
    if reason:
        return reason
    if not any(_WORDY.search(x) for x in st.parts if not x.startswith(_SLOT)):
        return "no words of its own (only numbers, dates or links: a table cell, a page number)"
    if p.prose * 2 >= occ and not _has_slot(st, "URL") and p.signal * 2 < occ:
        return f"body text: reads as prose ({p.prose} of {occ} lines are sentences)"
    if p.among_body * 2 >= occ or p.placed < 0.6 * occ:
        return f"body text: sits among body lines ({p.placed} of {occ} lines at the head, tail or next to furniture)"
    return ""


def _with_examples(f: Finding, body_lines: list[str]) -> Finding | None:
    """Add ``no_match`` examples from the corpus and run every example as check-pack will."""
    rule = Rule(id=f.rule_id, category="mined", pattern=f.pattern, keywords=f.keywords, zone=f.zones,
                examples_match=f.examples)
    try:
        compiled = compile_rule(rule)
    except RulePackError:
        return None
    if not all(r.ok for r in run_examples(compiled)):
        return None
    kw = f.keywords[0] if f.keywords else None
    ranked = sorted(dict.fromkeys(body_lines), key=lambda s: kw is None or kw not in shadow(s))
    m = one_rule_matcher(compiled)
    no_match: list[str] = []
    for line in ranked:
        if len(no_match) >= 3:
            break
        try:
            if removing_zone(m, line) is None:
                no_match.append(line)
        except TimeoutError:
            continue
    return replace(f, no_match=tuple(no_match))


# ``cleantext.mine`` is both this module and the function: importing the module (the CLI does)
# rebinds the package attribute to the module, so the module forwards calls to the function.
class _CallableModule(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Mined:
        return mine(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["DEFAULT_MAX_TEMPLATES", "Finding", "Mined", "Positions", "mine", "render_template", "template_parts"]
