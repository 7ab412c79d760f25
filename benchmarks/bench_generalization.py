"""How the fitted scores do on documents from sites they were not fitted on (issue 9).

dev2 (63 sites) is split in two by advert source; the weights are fitted on dev plus one half and
the other half is scored with ``score.py``, as the held-out corpora are. Printed per fold: the
rules alone (weights switched off) and rules + fitted scores. Needs the ``[fit]`` extra and
``../shared/corpus``. Run: ``python benchmarks/bench_generalization.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from cleantext.engine import Cleaner
from cleantext.fit import examples, fit
from cleantext.rules import default_pack

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CLEANER_MODULE = '''
import os
import cleantext
PACK = cleantext.load_pack(os.environ["CT_PACK"]) if os.environ.get("CT_PACK") else None
def clean(data):
    return cleantext.clean_bytes(data, pack=PACK)
'''


def fold_of(case: dict[str, object]) -> int:
    ads = case.get("ads") or [{}]
    src = str(ads[0].get("source", case["id"]))  # type: ignore[union-attr]
    return int(hashlib.sha256(src.encode()).hexdigest(), 16) % 2


def subset(src: Path, ids: set[str], dst: Path) -> None:
    (dst / "cases").mkdir(parents=True)
    lines = [x for x in (src / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if json.loads(x)["id"] in ids]
    (dst / "manifest.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i in ids:
        for ext in (".in", ".expected.txt"):
            (dst / "cases" / f"{i}{ext}").symlink_to(src / "cases" / f"{i}{ext}")


def score(corpus: Path, pack: Path | None, tmp: Path) -> str:
    env = {**os.environ, "PYTHONPATH": f"{tmp}{os.pathsep}{ROOT}", "CT_PACK": str(pack or "")}
    out = subprocess.run([sys.executable, str(CORPUS / "score.py"), str(corpus), "--cleaner", "ct_bench:clean"],
                         capture_output=True, text=True, env=env, check=True).stdout
    return [x for x in out.splitlines() if x.strip()][-1]


def main() -> int:
    cleaner = Cleaner(default_pack())
    cases = [json.loads(x) for x in (CORPUS / "dev2" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    dev = list(examples(CORPUS / "dev", cleaner))
    dev2 = list(examples(CORPUS / "dev2", cleaner))
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        (tmp / "ct_bench.py").write_text(CLEANER_MODULE, encoding="utf-8")
        off = tmp / "off.toml"
        off.write_text("[scoring]\nhead = 1e9\ntail = 1e9\nbody = 1e9\n", encoding="utf-8")
        for k in (0, 1):
            held = {c["id"] for c in cases if fold_of(c) == k}
            w = fit([*dev, *(e for e in dev2 if e.case not in held)])
            pack = tmp / f"w{k}.toml"
            pack.write_text("[weights]\n" + "\n".join(f'"{n}" = {v!r}' for n, v in sorted(w.items())) + "\n",
                            encoding="utf-8")
            sub = tmp / f"fold{k}"
            subset(CORPUS / "dev2", held, sub)
            print(f"dev2 fold {k} ({len(held)} documents, sites not fitted on)")
            print(f"  rules alone:         {score(sub, off, tmp)}")
            print(f"  rules + fitted score: {score(sub, pack, tmp)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
