"""Fit the signal weights from labelled corpora: ``python -m cleantext.fit CORPUS_DIR...``.

A corpus directory holds ``manifest.jsonl`` and ``cases/<id>.in`` / ``cases/<id>.expected.txt``
(the layout of ``../shared/corpus/dev``). Line labels come from aligning each input's lines with
its expected body (difflib): a deleted line is furniture, an equal line is body, a changed line
(an inline removal) is left out. Lines the precise rules already remove are left out too: the
scores are for what the rules miss.

The fit is a logistic regression (scikit-learn, the ``[fit]`` extra; at run time the package only
reads the weights back from the pack). Before writing anything it prints **leave-sources-out
cross-validation**: the advert sources (manifest ``ads[].source``) and the bodies are split into
folds; each fold is scored by weights fitted without it, so the table says how the scores do on
sites they never saw, by advert family, and how many body lines they would take.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from .engine import Cleaner
from .features import Scorer, decide, extract, score_of
from .model import Zone
from .rules import default_pack
from .rules.shadow import shadow
from .segment import segment
from .shapes import is_protected, reads_as_prose, signals_to_stand_alone

_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\U000e0000-\U000e007f]")


@dataclass(frozen=True, slots=True)
class Example:
    names: tuple[str, ...]
    label: int
    group: str
    """Advert source (adverts) or body source (body lines): what cross-validation holds out."""
    family: str
    zone: str
    text: str
    protected: bool
    case: str = ""
    line: int = -1
    ruled: bool = False
    """A precise rule takes this line: fitted on (its vocabulary is the family's), never scored."""


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", _INVISIBLE.sub("", s)))


def _labels(lines: Sequence[str], expected: Sequence[str]) -> list[int | None]:
    a = [_norm(x) for x in lines]
    b = [_norm(x) for x in expected]
    out: list[int | None] = [None] * len(a)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            for i in range(i1, i2):
                out[i] = 0
        elif op == "delete":
            for i in range(i1, i2):
                out[i] = 1
        elif op == "replace":
            block = b[j1:j2]
            for i in range(i1, i2):
                near = any(a[i] and (a[i] in y or y in a[i] or difflib.SequenceMatcher(None, a[i], y).ratio() > 0.6)
                           for y in block if y)
                out[i] = None if near else 1
    return out


def _ad_of(line: str, ads: Sequence[dict[str, Any]]) -> tuple[str, str]:
    key = _norm(line)
    for ad in ads:
        if key and key in _norm(ad.get("text", "")):
            return str(ad.get("source", "?")), str(ad.get("family", "?"))
    return "unattributed", "unattributed"


def examples(corpus: Path, cleaner: Cleaner) -> Iterator[Example]:
    """Labelled lines of one corpus directory, with the features the run-time scorer sees."""
    scorer = cleaner.scorer
    for raw_line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        case = json.loads(raw_line)
        raw = (corpus / "cases" / f"{case['id']}.in").read_bytes()
        text = raw.decode(case["encoding"], errors="replace").removeprefix("\ufeff")
        expected = (corpus / "cases" / f"{case['id']}.expected.txt").read_text(encoding="utf-8")
        res = cleaner.clean_text(text, mode="annotate")
        removed = {r.line - 1 for r in res.report.removals if r.action not in {"span", "score"}}
        sh = shadow(text)
        layout = segment(text)
        lines = [text[layout.starts[i] : layout.ends[i]] for i in range(len(layout))]
        labels = _labels(lines, expected.replace("\r\n", "\n").split("\n"))
        feats = extract(text, sh, layout, removed, scorer, every_line=True)
        body_group = f"body:{case.get('body_source', case['id'])[:60]}"
        for i, names in feats.items():
            label = labels[i]
            if label is None:
                continue
            s = sh[layout.starts[i] : layout.ends[i]].strip()
            if label:
                group, fam = _ad_of(lines[i], case.get("ads", []))
            else:
                group, fam = body_group, "body"
            yield Example(tuple(names), label, group, fam, layout.zone(i), s,
                          is_protected(s) or reads_as_prose(s, scorer.max_prose_chars), case["id"], i, i in removed)


def _matrix(exs: Sequence[Example], vocab: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix  # noqa: PLC0415

    rows, cols = [], []
    for r, e in enumerate(exs):
        for x in set(e.names):
            if x in vocab and x != "bias":
                rows.append(r)
                cols.append(vocab[x])
    return csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(exs), len(vocab)))


def fit(exs: Sequence[Example], c: float = 0.5) -> dict[str, float]:
    """Weights per feature name (``bias`` included) from a logistic regression."""
    from sklearn.linear_model import LogisticRegression  # noqa: PLC0415

    vocab = {x: k for k, x in enumerate(sorted({x for e in exs for x in e.names if x != "bias"}))}
    model = LogisticRegression(C=c, max_iter=2000, class_weight={0: 1.0, 1: 1.0})
    model.fit(_matrix(exs, vocab), [e.label for e in exs])
    w = {x: float(model.coef_[0][k]) for x, k in vocab.items()}
    w["bias"] = float(model.intercept_[0])
    return w


def cross_validate(exs: Sequence[Example], scorer: Scorer, folds: int = 5) -> tuple[str, list[tuple[Example, float]]]:
    """Leave-sources-out: each fold's groups are scored by weights fitted on the other folds.

    Returns the table by family and every held-out line with its out-of-fold score."""
    groups = sorted({e.group for e in exs})
    fold_of = {g: k % folds for k, g in enumerate(sorted(groups, key=lambda g: hashlib.sha256(g.encode()).hexdigest()))}
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    fp: list[Example] = []
    body = 0
    scored: list[tuple[Example, float]] = []
    for k in range(folds):
        w = fit([e for e in exs if fold_of[e.group] != k])
        scored.extend((e, score_of(e.names, w)) for e in exs if fold_of[e.group] == k and not e.ruled)
    ids = {g.id for g in scorer.signals}
    by_case: dict[str, list[tuple[Example, float]]] = {}
    for e, s in scored:
        by_case.setdefault(e.case, []).append((e, s))
    taken: set[tuple[str, int]] = set()
    for case, items in by_case.items():
        per_line = {e.line: (s, cast("Zone", e.zone), e.protected) for e, s in items}
        fired = any("doc.no-rule" not in e.names for e, _ in items)
        lone = {e.line for e, _ in items if len(ids.intersection(e.names)) < signals_to_stand_alone(e.text)}
        taken.update((case, i) for i in decide(per_line, {e.line: e.names for e, _ in items}, fired, scorer, lone))
    for e, _ in scored:
        hit = (e.case, e.line) in taken
        if e.label:
            total[e.family] += 1
            caught[e.family] += hit
        else:
            body += 1
            if hit:
                fp.append(e)
    lines = [f"{'family':40} {'caught':>7} {'lines':>6} {'rate':>6}"]
    lines.extend(f"{fam:40} {caught[fam]:7d} {total[fam]:6d} {caught[fam] / total[fam]:6.2f}"
                 for fam in sorted(total, key=lambda f: caught[f] / total[f]))
    ads = sum(total.values())
    lines.append(f"{'ALL advert lines the rules miss':40} {sum(caught.values()):7d} {ads:6d} "
                 f"{sum(caught.values()) / max(ads, 1):6.2f}")
    lines.append(f"body lines taken: {len(fp)} of {body} ({len(fp) / max(body, 1):.4%})")
    lines.extend(f"  FP [{e.zone}] {e.text[:60]}" for e in fp[:15])
    return "\n".join(lines), scored


def write_weights(path: Path, w: dict[str, float]) -> None:
    """Replace the ``[weights]`` table at the end of a pack file."""
    text = path.read_text(encoding="utf-8")
    head = text.split("\n[weights]\n", 1)[0].rstrip("\n")
    body = "\n".join(f'"{k}" = {v:.3f}' for k, v in sorted(w.items()) if abs(v) >= 0.001)
    path.write_text(f"{head}\n\n[weights]\n# fitted by `python -m cleantext.fit`; do not edit by hand\n{body}\n",
                    encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cleantext.fit", description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="+", type=Path)
    ap.add_argument("--write", type=Path, help="pack file whose [weights] table to replace")
    ap.add_argument("--folds", type=int, default=5)
    args = ap.parse_args(argv)
    cleaner = Cleaner(default_pack())
    exs = [e for d in args.corpus for e in examples(d, cleaner)]
    pos = sum(e.label for e in exs)
    print(f"{len(exs)} labelled lines ({sum(e.ruled for e in exs)} taken by rules): {pos} furniture, "
          f"{len(exs) - pos} body; "
          f"{len({e.group for e in exs if e.label})} advert sources", file=sys.stderr)
    print(cross_validate(exs, cleaner.scorer, args.folds)[0])
    if args.write:
        write_weights(args.write, fit(exs))
        print(f"weights written to {args.write}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
