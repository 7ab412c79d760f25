"""Body check (issue 9): clean every expected body of the corpora as if it were an input; nothing
may be removed. An expected body is text with all furniture gone, so any removal there is a rule
or a score firing on body text. Prints each removal with its rule; exits 1 when there is one.

``--edges`` adds a harder check for the fitted scores, which lean hardest on a document's first and
last lines: every distinct body line of 2-100 characters of the corpora is put as the first and
as the last paragraph of a law's body, where a real head or tail advert would sit; prints how many of
those lines go (a body line taken there is a false positive the corpora cannot show, since their
bodies' edges are titles and endings).
Run: ``python benchmarks/body_check.py [--edges] [CORPUS_DIR ...]`` (default ``../shared/corpus/dev`` and ``dev2``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cleantext.engine import Cleaner
from cleantext.rules import default_pack

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
HOST = CORPUS / "dev" / "cases" / "d0040_clean.expected.txt"
"""A law (城市道路管理条例) whose articles surround the moved lines; its title is left out."""


def edges(cleaner: Cleaner, files: list[Path]) -> None:
    """Body lines moved to a document's first and last paragraph: how many go."""
    host = HOST.read_text(encoding="utf-8").splitlines()[2:12]
    lines = dict.fromkeys(
        s for path in files for x in path.read_text(encoding="utf-8").splitlines()
        if 2 <= len(s := x.strip()) <= 100
    )
    taken = 0
    for line in lines:
        for doc in ([line, "", *host], [*host, "", line]):
            res = cleaner.clean_text("\n".join(doc) + "\n")
            gone = [r for r in res.report.removals if r.text.strip() == line]
            if gone:
                taken += 1
                print(f"  edge: {gone[0].rule} ({gone[0].action}) {line[:80]!r}")
    print(f"edges: {len(lines)} body lines x 2 edges, {taken} taken")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpora", nargs="*", type=Path, default=[CORPUS / "dev", CORPUS / "dev2"])
    ap.add_argument("--edges", action="store_true", help="also move body lines to the edges")
    args = ap.parse_args()
    cleaner = Cleaner(default_pack())
    bad = 0
    for corpus in args.corpora:
        files = sorted((corpus / "cases").glob("*.expected.txt"))
        hits = 0
        for path in files:
            res = cleaner.clean_text(path.read_text(encoding="utf-8"))
            for r in res.report.removals:
                if r.text.strip():
                    hits += 1
                    print(f"  {path.name}: {r.rule} ({r.action}) {r.text.strip()[:80]!r}")
        print(f"{corpus.name}: {len(files)} bodies, {hits} removals")
        bad += hits
    if args.edges:
        edges(cleaner, [p for c in args.corpora for p in sorted((c / "cases").glob("*.expected.txt"))])
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
