"""What mining returns: where each template sat (``Positions``), a ``Finding`` and the ``Mined``
result with its draft pack and report lines."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..model import ZoneSpec
from .templates import _POS


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
