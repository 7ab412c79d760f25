"""How the packs do on advert wordings nobody wrote a rule from, family by family (issue 9).

``benchmarks/family_probes.tsv`` holds adverts of the families the held-out corpus scored low on
(``../shared/corpus/HELDOUT.md``), written by hand from FAMILIES.md's descriptions and general
knowledge of Chinese 文库 / novel / news / forum / reseller sites (other verbs, numbers, brands,
domains, widths, Traditional characters), never copied from a corpus, plus *look-alikes*: body
sentences that share the vocabulary (a novel character who says 下载, a contract clause on
copyright, a news item about QQ groups). ``family_probes_heldout.tsv`` holds other wordings,
written after the rules and not used to tune them.

Each probe goes, as a paragraph of its own, at the head, in the tail and between two paragraphs of
real prose (dev's clean bodies: a novel chapter for ``novel.*`` probes, else a law, a report, an
article or a speech in turn); a probe counts as removed when all its lines are gone and every body
paragraph is still there. Rows of kind ``splice`` and probes of the in-sentence families (``spam.gambling``,
``inline.site_name_splice``) are glued into a paragraph where FAMILIES.md says they go instead, and
count only when the sentence comes back byte-identical. A look-alike goes through every body and position and must
never be touched. ``--all-positions`` is a body-safety sweep instead: every advert and splice row at every
position (its own line at the head, tail and between; glued to a sentence's front, to its second sentence,
before a comma, between Han characters) in every body, counting the runs where any body character is lost
and naming the rule that reached into the body (issue 9: a line rule taking a body line an advert was glued
to). Run: ``python benchmarks/bench_family_probes.py [--misses] [--heldout-only] [--all-positions [--every N]]``.
"""

from __future__ import annotations

import argparse
import collections
import sys
import zlib
from pathlib import Path

from probe_kit import ALL_WHERE, body_lost, cut_into, outcome, read_tsv, splice_outcome

from cleantext.engine import Cleaner
from cleantext.rules import default_pack

HERE = Path(__file__).resolve().parent
PROBES = HERE / "family_probes.tsv"
HELDOUT = HERE / "family_probes_heldout.tsv"
CASES = HERE.parent.parent / "shared" / "corpus" / "dev" / "cases"
BODIES = {"novel": "d0024_clean", "law": "d0040_clean", "report": "d0050_clean",
          "article": "d0208_clean", "speech": "d0001_seed"}
"""dev documents whose expected bodies surround the probes (the article in Traditional characters)."""
PARAGRAPHS = 8
LINE_POSITIONS = ("head", "tail", "between")
SPLICE_POSITIONS = {"spam.gambling": ("front", "sentence"), "inline.site_name_splice": ("comma", "cjk")}
"""In-sentence families and where FAMILIES.md says they are put: a casino brand glued in front of
the first word of a line or sentence, a site name before a comma or between two Han characters."""
SPLICE_KIND = ("cjk", "comma", "sentence")
"""Rows of kind ``splice`` (any family's advert written as an insertion INSIDE a body line, FAMILIES.md's
zone ``inline``) are glued between two Han characters, before a comma and in front of a sentence."""


def body(case: str) -> list[str]:
    """The first paragraphs (non-blank lines) of a dev body."""
    text = (CASES / f"{case}.expected.txt").read_text(encoding="utf-8")
    return [x for x in text.splitlines() if x.strip()][:PARAGRAPHS]


def bodies_for(family: str, text: str, every: bool) -> list[list[str]]:
    """The bodies a probe is tried in: novel furniture around a chapter; the rest in one of the
    other genres picked by the probe's hash (every body for look-alikes)."""
    names = [n for g, n in BODIES.items() if g != "novel"]
    if every:
        return [body(n) for n in BODIES.values()]
    if family.startswith("novel."):
        return [body(BODIES["novel"])]
    return [body(names[zlib.crc32(text.encode()) % len(names)])]


def run(cleaner: Cleaner, rows: list[tuple[str, ...]], misses: bool, label: str) -> dict[str, float]:
    got = collections.Counter[str]()
    tried = collections.Counter[str]()
    at = collections.Counter[str]()
    at_got = collections.Counter[str]()
    lost = 0
    cut: list[str] = []
    taken: list[str] = []
    missed: list[str] = []
    for family, kind, text in rows:
        splice = (family in SPLICE_POSITIONS and kind == "advert") or kind == "splice"
        positions = (SPLICE_KIND if kind == "splice" else SPLICE_POSITIONS[family]) if splice else LINE_POSITIONS
        test = splice_outcome if splice else outcome
        advert = kind in {"advert", "splice"}
        for b in bodies_for(family, text, not advert):
            for where in positions:
                removed, intact, rules = test(cleaner, text, b, where)
                if not advert:
                    if removed or not intact:
                        taken.append(f"{family:<36} ({where}) {text}  <- {rules}")
                    continue
                lost += not intact
                name = f"{family} (in a sentence)" if kind == "splice" else family
                tried[name] += 1
                got[name] += removed and intact
                at[where] += 1
                at_got[where] += removed and intact
                if splice and not removed and cut_into(cleaner, text, b, where):
                    cut.append(f"{family:<36} ({where}) {text}")
                if misses and not removed:
                    missed.append(f"{family:<36} ({where}) {text}")
    n_look = sum(kind not in {"advert", "splice"} for _, kind, _ in rows)
    total = sum(tried.values())
    print(f"{label}: adverts removed {sum(got.values())}/{total} ({sum(got.values()) / max(total, 1):.3f}); "
          f"look-alikes touched {len(taken)} (of {n_look} x {len(BODIES)} bodies x 3); body paragraphs lost "
          f"around adverts {lost}; spliced sentences cut into {len(cut)}")
    print("    by position: " + ", ".join(f"{w} {at_got[w]}/{at[w]} ({at_got[w] / at[w]:.3f})" for w in at))
    rates = {f: got[f] / tried[f] for f in sorted(tried)}
    for f, r in rates.items():
        print(f"    {f:<52} {got[f]:>3}/{tried[f]:<3} {r:.2f}")
    for line in taken:
        print(f"    LOOK-ALIKE TOUCHED {line}")
    for line in cut:
        print(f"    SENTENCE CUT INTO {line}")
    for line in missed:
        print(f"    missed {line}")
    return rates


def sweep(cleaner: Cleaner, rows: list[tuple[str, ...]], label: str, every: int = 1) -> collections.Counter[str]:
    """Runs losing body text, by the rule named (see :func:`probe_kit.body_lost`); every ``every``-th
    advert row only, so a test can take a deterministic sample."""
    adverts = [r for r in rows if r[1] in {"advert", "splice"}][::every]
    bodies = [body(n) for n in BODIES.values()]
    by_rule = collections.Counter[str]()
    lost = 0
    for family, _, text in adverts:
        for b in bodies:
            for where in ALL_WHERE:
                rules = body_lost(cleaner, text, b, where)
                lost += bool(rules)
                by_rule.update(rules)
                if rules:
                    print(f"    BODY LOST {family:<36} ({where}) {text}  <- {','.join(rules)}")
    runs = len(adverts) * len(bodies) * len(ALL_WHERE)
    print(f"{label}: all positions, body text lost in {lost} of {runs} runs")
    for rule, n in by_rule.most_common():
        print(f"    {rule:<52} {n:>4}")
    return by_rule


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--misses", action="store_true", help="list the probes left in place")
    ap.add_argument("--heldout-only", action="store_true", help="only the held-out wordings")
    ap.add_argument("--all-positions", action="store_true",
                    help="body-safety sweep: every advert row at every position in every body")
    ap.add_argument("--every", type=int, default=1, help="with --all-positions: every N-th advert row only")
    args = ap.parse_args()
    if not CASES.is_dir():
        print(f"needs the dev corpus at {CASES}", file=sys.stderr)
        return 2
    cleaner = Cleaner(default_pack())
    files = [HELDOUT] if args.heldout_only else [PROBES, HELDOUT]
    for path in files:
        if path.exists() and args.all_positions:
            sweep(cleaner, read_tsv(path), path.name, args.every)
        elif path.exists():
            run(cleaner, read_tsv(path), args.misses, f"{path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
