"""Frozen values that flow between the stages: bytes → Decoded → Layout → Candidates → Removals.

Layer 0: imports nothing of ours. Offsets are code-point offsets into the decoded original text
(without its BOM), half-open ``[start, end)``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

Zone = Literal["head", "body", "tail"]
ZoneSpec = Literal["head", "body", "tail", "any"]
Scope = Literal["line", "span", "block"]
"""What a rule's match removes: its line, the matched span only, or an anchor line through an end line."""
SCOPES: tuple[Scope, ...] = get_args(Scope)
Mode = Literal["remove", "annotate"]
MODES: tuple[Mode, ...] = get_args(Mode)


def is_mode(value: object) -> TypeGuard[Mode]:
    """Whether ``value`` is a :data:`Mode` (the one check; callers raise their own error)."""
    return value in MODES


def check_mode(mode: object) -> Mode:
    """``mode`` itself, or ``ValueError`` for a caller's typo (``"anotate"``) before any work."""
    if not is_mode(mode):
        raise ValueError(f"mode must be 'remove' or 'annotate', not {mode!r}")
    return mode


Action = Literal["line", "span", "block", "absorbed", "blank", "title-copy", "excerpt", "score"]
"""What happened to a removed span: the one word a report, ``explain`` and the review page use.

``line``, ``span`` and ``block`` are a rule's own match (its ``scope``: one line, part of a line, an
anchor line through its end line); ``score`` a line whose signals reached its zone's threshold
(``features.py``); the others are the resolve policies of :data:`POLICIES`, credited to the rule
whose removal they went with (``excerpt``: to the policy itself)."""
ACTIONS: tuple[Action, ...] = get_args(Action)

POLICIES: dict[str, Action] = {
    "resolve.absorb": "absorbed",
    "resolve.blank-lines": "blank",
    "resolve.duplicate-title": "title-copy",
    "page_furniture.repeated-excerpt": "excerpt",
}
"""The resolve policies that remove lines no rule matched, by id → the action their removals carry.

Ids are named like rules so that ``[pack] disabled = ["resolve.duplicate-title"]`` turns one off as
it turns off a rule; the repeated excerpt keeps the rule id reports have always named it by.
``resolve.absorb``: a short keyword-less line (or blank line) between two anchor lines of one zone,
a web-chrome block's counters, buttons and card fields between removed lines (``runs.py``), and a
brand name right above a removed slogan that repeats it;
``resolve.blank-lines``: a blank line that only separated removed lines from the rest;
``resolve.duplicate-title``: a page's copy of the title right above a head block;
``page_furniture.repeated-excerpt``: a page's trailing copy of the document's opening paragraphs.
The body-safety caps are not policies: they only keep text, and cannot be turned off."""

NoticeCode = Literal[
    "decode-replaced", "decode-nonroundtrip", "decode-fallback", "decode-mixed", "decode-not-chinese",
    "not-chinese", "rule-timeout", "max-passes", "cap-body-line", "cap-rule", "cap-document",
    "invisible-payload",
]


NOTICES: dict[NoticeCode, str] = {
    "decode-replaced": "undecodable byte runs were replaced with U+FFFD (the report keeps their bytes)",
    "decode-nonroundtrip": "lines that do not re-encode to their bytes (the report keeps their bytes)",
    "decode-fallback": "the detected codec exceeded the replacement budget; another one was used",
    "decode-mixed": "lines in another codec than the document's, decoded with their own",
    "decode-not-chinese": "the bytes read as another script's codec (Japanese, Korean, Latin...)",
    "not-chinese": "the text is not Chinese: no rule was run and nothing was removed",
    "rule-timeout": "a rule ran out of time on a line and was skipped for the rest of the document",
    "max-passes": "removals were still being found after the last pass allowed",
    "cap-body-line": "a long prose line in the body: whole-line removals of it were refused",
    "cap-rule": "a rule reached its max-per-doc removals; the rest were held back",
    "cap-document": "line removals would take too much of the document: all were kept back",
    "invisible-payload": "invisible characters that spell a payload (TAG characters, zero-width bits)",
}
"""Every notice starts with one of these codes (``"code: detail"``): code → what it means. The
README's notice table is checked against it, and a test checks every notice the code writes."""

def notice(code: NoticeCode, detail: str) -> str:
    """One notice: its stable code (a key of :data:`NOTICES`), then what happened."""
    return f"{code}: {detail}"

ZONES: tuple[Zone, ...] = ("head", "body", "tail")

_BOMS: dict[str, bytes] = {
    "utf-8": codecs.BOM_UTF8,
    "utf-8-sig": codecs.BOM_UTF8,
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


@dataclass(frozen=True, slots=True)
class BytePatch:
    """Original bytes of a text span that does not re-encode to itself (replaced or odd bytes).

    Kept in the report so that ``restore_bytes`` is exact even for corrupted input.
    """

    start: int
    end: int
    raw: bytes


@dataclass(frozen=True, slots=True)
class Encoding:
    """How the bytes were read, with the evidence (charset-normalizer style)."""

    name: str
    """Python codec name of the payload: ``utf-8``, ``utf-8-sig``, ``gb18030``, ``big5``,
    ``cp950``, ``big5hkscs``, ``utf-16-le``, ``utf-16-be``... or, for text that is not Chinese,
    the codec chardet named (``cp932``, ``euc_jp``, ``cp949``, ``cp1252``...)."""
    confidence: float
    bom: bool
    lossless: bool
    """``True`` when re-encoding the text gives back the payload byte for byte."""
    replaced: int
    """Number of U+FFFD inserted for undecodable byte runs."""
    detector: str
    """Which stage decided: ``bom``, ``utf-8``, ``utf-8-lenient``, ``utf-16-nul``,
    ``gb-big5-frequency`` (the fast path, no chardet), ``chardet``, ``gb-big5-vote``,
    ``chardet-non-chinese``..."""

    @property
    def payload_codec(self) -> str:
        """Codec of the bytes after the BOM (``utf-8-sig`` text is ``utf-8`` after its BOM)."""
        return "utf-8" if self.name == "utf-8-sig" else self.name

    @property
    def bom_bytes(self) -> bytes:
        if not self.bom:
            return b""
        return _BOMS.get(codecs.lookup(self.payload_codec).name.replace("_", "-"), b"")

    def encode(self, text: str, patches: tuple[BytePatch, ...] = ()) -> bytes:
        """Encode ``text`` back into the source bytes, BOM included, patches spliced in.

        Characters outside a patch that the codec cannot encode become ``?``: that only happens
        for text that did not come from this encoding.
        """
        codec = self.payload_codec
        out = [self.bom_bytes]
        pos = 0
        for p in patches:
            out.append(text[pos : p.start].encode(codec, errors="replace"))
            out.append(p.raw)
            pos = p.end
        out.append(text[pos:].encode(codec, errors="replace"))
        return b"".join(out)


@dataclass(frozen=True, slots=True)
class PackRef:
    """Which rules produced a report: ``sha256`` pins the exact merged rule text."""

    name: str
    version: str
    sha256: str


@dataclass(frozen=True, slots=True, order=True)
class Removal:
    """One removed span; ``text == original[start:end]`` always."""

    start: int
    end: int
    text: str
    rule: str
    category: str
    zone: Zone
    line: int
    """1-based line number of the original document where the removal starts."""
    action: Action
    """What happened (:data:`Action`): ``line``, ``span``, ``block`` (a rule's match), ``absorbed``,
    ``blank``, ``title-copy``, ``excerpt`` (a resolve policy: :data:`POLICIES`) or ``score`` (a line
    whose signals and features reached its zone's threshold: see ``score`` and ``signals``)."""
    score: float | None = None
    """Scored removals: the sum that reached the threshold (log-odds)."""
    signals: tuple[tuple[str, float], ...] = ()
    """Scored removals: every feature that fired with its weight, so the decision can be read back."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """Stage ① output: the text and how it was read."""

    text: str
    encoding: Encoding
    newline: str
    """``lf``, ``crlf``, ``cr``, ``mixed`` or ``none``."""
    patches: tuple[BytePatch, ...] = ()
    notices: tuple[str, ...] = ()
    not_chinese: str | None = None
    """What the text is instead, when it is clearly not Chinese (``Japanese``, ``Korean``,
    ``Latin script``...): the rule packs are written for Chinese, so the engine runs none on it.
    ``None`` for Chinese, and for text nothing speaks against (ASCII, mixed)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One line: content ``[start, end)``, terminator ``[end, stop)``."""

    index: int
    start: int
    end: int
    stop: int
    zone: Zone


@dataclass(frozen=True, slots=True)
class Layout:
    """Stage ② output: line offsets as parallel lists (cheap for 100 k-line files) and zones.

    Lines ``[0, head_end)`` are the head zone, ``[tail_start, n)`` the tail, the rest the body.
    """

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    stops: tuple[int, ...]
    head_end: int
    tail_start: int

    def __len__(self) -> int:
        return len(self.starts)

    def zone(self, i: int) -> Zone:
        if i < self.head_end:
            return "head"
        if i >= self.tail_start:
            return "tail"
        return "body"

    def line(self, i: int) -> Line:
        return Line(i, self.starts[i], self.ends[i], self.stops[i], self.zone(i))


@dataclass(frozen=True, slots=True)
class Candidate:
    """Stage ③ output: a span a rule wants removed, before policy (stage ④) decides."""

    start: int
    end: int
    rule: str
    category: str
    line: int
    """0-based index of the line the match sits on."""
    zone: Zone
    action: Action
    priority: int
    anchor: bool = True
    """Whether a whole-line removal by this rule may anchor block absorption."""
    score: float | None = None
    signals: tuple[tuple[str, float], ...] = ()


__all__ = [
    "ACTIONS",
    "MODES",
    "NOTICES",
    "POLICIES",
    "SCOPES",
    "ZONES",
    "Action",
    "BytePatch",
    "Candidate",
    "Decoded",
    "Encoding",
    "Layout",
    "Line",
    "Mode",
    "NoticeCode",
    "PackRef",
    "Removal",
    "Scope",
    "Zone",
    "ZoneSpec",
    "check_mode",
    "is_mode",
    "notice",
]
