"""Body check (issue 9): clean every expected body of the corpora as if it were an input; nothing
may be removed. An expected body is text with all furniture gone, so any removal there is a rule
or a score firing on body text. Prints each removal with its rule; exits 1 when there is one.
Run: ``python benchmarks/body_check.py [CORPUS_DIR ...]`` (default ``../shared/corpus/dev`` and ``dev2``).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cleantext.engine import Cleaner
from cleantext.rules import default_pack

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("corpora", nargs="*", type=Path, default=[CORPUS / "dev", CORPUS / "dev2"])
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
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
