"""One line per input of what decoding and cleaning gave: compare before and after a speed change.

Run: ``.venv/bin/python benchmarks/decode_digest.py OUT.tsv`` from the repository root, before
and after a change, then ``diff`` the two files (or pass ``--against OLD.tsv``). A speed change
must leave every line as it was.

Inputs: every ``*.in`` of ``../shared/corpus/dev`` and ``dev2``, every ``fixtures/inputs`` file,
the hard cases of ``detection_cases.py`` and a one-byte-corrupted copy of each, the small GBK and
Big5 documents of ``bench_decode.py`` (c) and ``bench_speed.py``, and the non-Chinese texts of
``bench_decode.py`` (d). Per input: ``decode()``'s codec, detector, confidence, BOM, lossless,
replaced, newline, notices, ``not_chinese``, patches and a hash of the text (or the error); for
the corpora, fixtures and small documents also a hash of ``clean_bytes``' report JSON and text.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from bench_decode import _NOT_CHINESE, _small_documents
from bench_speed import small_gbk
from detection_cases import CORPUS_DEV, build_cases, corrupt

from cleantext import Cleaner
from cleantext.decode import decode
from cleantext.errors import CleantextError

ROOT = Path(__file__).resolve().parents[1]


def _h(data: str | bytes) -> str:
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    return hashlib.sha1(raw).hexdigest()[:16]


def inputs() -> Iterator[tuple[str, bytes, bool]]:
    """(name, bytes, also clean it?) for every input, in a fixed order."""
    for corpus in ("dev", "dev2"):
        for p in sorted((CORPUS_DEV.parent / corpus / "cases").glob("*.in")):
            yield f"{corpus}/{p.name}", p.read_bytes(), True
    for p in sorted((ROOT / "fixtures" / "inputs").iterdir()):
        yield f"fixtures/{p.name}", p.read_bytes(), True
    rng = random.Random(7)
    for k, case in enumerate(build_cases()):
        yield f"hard/{k}/{case.kind}", case.data, False
        if len(case.data) >= 8:
            yield f"hard/{k}/corrupt", corrupt(case, rng), False
    for codec in ("gbk", "big5"):
        for k, data in enumerate(_small_documents(codec)):
            yield f"small-{codec}/{k}", data, True
    for k, data in enumerate(small_gbk(1000)):
        yield f"speed-gbk/{k}", data, k < 200
    for k, (text, codec) in enumerate(_NOT_CHINESE):
        yield f"not-chinese/{k}/{codec}", text.encode(codec), False


def digest_decode(data: bytes) -> str:
    try:
        res = decode(data)
    except CleantextError as exc:
        return f"error {type(exc).__name__} {_h(str(exc))}"
    e = res.encoding
    patches = _h(repr([(p.start, p.end, p.raw) for p in res.patches]))
    return (f"{e.name} {e.detector} {e.confidence!r} bom={e.bom} lossless={e.lossless} replaced={e.replaced} "
            f"{res.newline} notices={_h(repr(res.notices))} nc={res.not_chinese} patches={patches} text={_h(res.text)}")


def digest_clean(cleaner: Cleaner, data: bytes) -> str:
    try:
        res = cleaner.clean_bytes(data)
    except CleantextError as exc:
        return f"error {type(exc).__name__} {_h(str(exc))}"
    return f"report={_h(res.report.to_json())} text={_h(res.text)}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path)
    ap.add_argument("--against", type=Path, help="an earlier output: print the lines that differ")
    a = ap.parse_args()
    cleaner = Cleaner()
    lines = []
    for name, data, clean in inputs():
        line = f"{name}\t{digest_decode(data)}"
        if clean:
            line += f"\t{digest_clean(cleaner, data)}"
        lines.append(line)
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} inputs -> {a.out}")
    if a.against is None:
        return 0
    old = a.against.read_text(encoding="utf-8").splitlines()
    diff = [(x, y) for x, y in zip(old, lines, strict=False) if x != y]
    if len(old) != len(lines):
        print(f"different number of inputs: {len(old)} before, {len(lines)} now")
    for x, y in diff[:20]:
        print(f"- {x}\n+ {y}")
    print(f"{len(diff)} of {len(lines)} differ")
    return 1 if diff or len(old) != len(lines) else 0


if __name__ == "__main__":
    sys.exit(main())
