"""The mass-check (issue 9, SpamAssassin's name for it): what every rule and signal hits in the corpora.

For each corpus (default ``../shared/corpus/dev`` and ``dev2``) every input line is labelled by
aligning it with the case's ``.expected.txt`` (``cleantext.fit``'s alignment): an *advert* line is
gone from the expected body, a *body* line is in it verbatim, a *mixed* line is changed (an inline
advert or an invisible mark removed from a body line). Then, per rule, the lines it **fires** on: candidates of the real
matching path (keyword prefilter, the document's own zones, max_chars, allow lists), before
resolve. Per signal, the lines the scorer sees it on (``features.extract``). Also printed: the
lines a rule or signal finally **removes** (the report of a full clean, every pass, so a rule can
remove lines that it fires on only once earlier removals are gone) and, for rules, the lines
it would fire on with every zone open (**zones open**: its wording occurs, zoning keeps it out).

A rule that fires on nothing in either corpus goes or says why it stays (README, Development).
Run: ``python benchmarks/mass_check.py [CORPUS_DIR ...] [--silent]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cleantext.check import forced_layout
from cleantext.engine import Cleaner
from cleantext.features import extract
from cleantext.fit import _labels
from cleantext.match import prefilter, run_rules
from cleantext.model import ZONES
from cleantext.segment import segment, split_lines

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
KINDS = ("advert", "body", "mixed")


@dataclass
class Tally:
    """Lines hit by one rule or signal in one corpus, by label."""

    fires: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    removes: int = 0
    zones_open: int = 0

    @property
    def fired(self) -> int:
        return sum(self.fires.values())


def cases(corpus: Path) -> Iterator[tuple[str, str, list[str]]]:
    """(id, decoded input, expected lines) per case; the manifest's codec is the truth."""
    for raw_line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(raw_line)
        raw = (corpus / "cases" / f"{case['id']}.in").read_bytes()
        text = raw.decode(case["encoding"], errors="replace").removeprefix("\ufeff")
        expected = (corpus / "cases" / f"{case['id']}.expected.txt").read_text(encoding="utf-8")
        yield case["id"], text, expected.replace("\r\n", "\n").split("\n")


def check_document(cleaner: Cleaner, text: str, expected: Sequence[str], out: dict[str, Tally]) -> None:
    """Add one document's hits to ``out`` (rule or signal id → tally)."""
    m = cleaner.matcher
    starts, ends, _ = split_lines(text)
    lines = [text[s:e] for s, e in zip(starts, ends, strict=True)]
    verbatim = {x.strip() for x in expected}
    # the alignment ignores invisible marks and spacing: a body line that is not verbatim in the
    # expected text had something removed inside it
    kind = [
        "mixed" if lab is None or (lab == 0 and line.strip() not in verbatim) else KINDS[1 - lab]
        for lab, line in zip(_labels(lines, expected), lines, strict=True)
    ]
    pre = prefilter(m, text, starts)
    layout = segment(text, pre.flagged, cleaner.limits)
    candidates, _ = run_rules(m, text, layout, pre, cleaner.limits)
    fired = {(c.rule, c.line) for c in candidates}
    signal_ids = {g.id for g in cleaner.scorer.signals}
    for i, names in extract(text, pre.shadow, layout, (), cleaner.scorer, every_line=True).items():
        fired.update((n, i) for n in names if n in signal_ids)
    for rule, line in fired:
        out[rule].fires[kind[line]] += 1
    opened: set[tuple[str, int]] = set()
    for zone in ZONES:
        got, _ = run_rules(m, text, forced_layout(text, zone), pre, cleaner.limits)
        opened.update((c.rule, c.line) for c in got)
    for rule, _ in opened:
        out[rule].zones_open += 1
    for r in {(r.rule, r.line) for r in cleaner.clean_text(text, mode="annotate").report.removals}:
        out[r[0]].removes += 1


def mass_check(cleaner: Cleaner, corpora: Sequence[Path]) -> dict[str, dict[str, Tally]]:
    """Corpus name → rule or signal id → tally; every rule and signal of the pack is listed."""
    ids = [r.id for r in cleaner.pack.rules] + [g.id for g in cleaner.pack.signals]
    table: dict[str, dict[str, Tally]] = {}
    for corpus in corpora:
        out: dict[str, Tally] = defaultdict(Tally)
        for _, text, expected in cases(corpus):
            check_document(cleaner, text, expected, out)
        table[corpus.name] = {i: out[i] for i in ids}
    return table


def silent(table: dict[str, dict[str, Tally]]) -> list[str]:
    """Ids that fire on no line of any corpus."""
    names = list(table)
    return [i for i in table[names[0]] if not any(table[c][i].fired for c in names)]


def render(table: dict[str, dict[str, Tally]], rows: Sequence[str], rules: set[str]) -> str:
    """A Markdown table; signals have no zones, so no *zones open* figure."""
    names = list(table)
    head = ["rule or signal"] + [f"{c} {k}" for c in names for k in KINDS] + ["removes", "zones open"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for i in rows:
        cells = [str(table[c][i].fires[k]) for c in names for k in KINDS]
        removes = sum(table[c][i].removes for c in names)
        opened = sum(table[c][i].zones_open for c in names)
        lines.append(f"| `{i}` | " + " | ".join(cells) + f" | {removes} | {opened if i in rules else '-'} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    ap.add_argument("corpora", nargs="*", type=Path, default=[CORPUS / "dev", CORPUS / "dev2"])
    ap.add_argument("--silent", action="store_true", help="list only what fires on nothing")
    a = ap.parse_args(argv)
    missing = [c for c in a.corpora if not (c / "manifest.jsonl").is_file()]
    if missing:
        print(f"mass_check: no corpus at {missing[0]} (needs ../shared/corpus)", file=sys.stderr)
        return 2
    cleaner = Cleaner()
    table = mass_check(cleaner, a.corpora)
    quiet = silent(table)
    rules = {r.id for r in cleaner.pack.rules}
    print(render(table, quiet if a.silent else list(table[a.corpora[0].name]), rules))
    dead_rules = [i for i in quiet if i in rules]
    dead_signals = [i for i in quiet if i not in rules]
    print(f"\n{len(dead_rules)} of {len(rules)} rules fire on nothing in {' + '.join(table)}: {', '.join(dead_rules)}")
    print(f"{len(dead_signals)} of {len(cleaner.pack.signals)} signals fire on nothing: {', '.join(dead_signals)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
