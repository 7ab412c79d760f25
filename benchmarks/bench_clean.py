"""Throughput of the whole pipeline: the dev corpus and the worst cases of DESIGN.md §6.

Run: ``.venv/bin/python benchmarks/bench_clean.py [--quick]``. Prints docs/s and MB/s; numbers are
for one core. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import cleantext
from cleantext.check import pack_from_text

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "cases"
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "seed_utf8.txt"

HOSTILE = """
[[rules]]
id = "promo.hostile"
description = "catastrophic backtracking"
keywords = ["a"]
pattern = '^(a|aa)+$'
zone = ["any"]
[rules.examples]
match = ["aaaa"]
no_match = ["b"]
"""


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="smaller worst cases")
    args = ap.parse_args()
    scale = 5 if args.quick else 1
    cleaner = cleantext.Cleaner()
    cleaner.clean_text("warm up")

    docs = [p.read_bytes() for p in sorted(DEV.glob("*.in"))]
    if docs:
        per_doc: list[float] = []
        ok = 0
        t0 = time.perf_counter()
        for d in docs:
            t1 = time.perf_counter()
            try:
                cleaner.clean_bytes(d)
                ok += 1
            except cleantext.CleantextError:
                pass
            per_doc.append(time.perf_counter() - t1)
        wall = time.perf_counter() - t0
        mb = sum(map(len, docs)) / 1e6
        print(f"dev corpus: {len(docs)} docs, {mb:.2f} MB in {wall:.2f} s: {len(docs) / wall:.0f} docs/s, "
              f"{mb / wall:.1f} MB/s; median {statistics.median(per_doc) * 1e3:.2f} ms/doc ({ok} cleaned)")

    seed = SEED.read_text(encoding="utf-8")
    big = (seed * (10_000_000 // len(seed.encode("gb18030")) + 1)).encode("gb18030")[: 10_000_000 // scale]
    big = big[: big.rfind(b"\n") + 1]
    t = timed(lambda: cleaner.clean_bytes(big), 1)
    heads = big.count("会员群".encode("gb18030"))
    print(f"{len(big) / 1e6:.0f} MB GBK, header repeated {heads}x: {len(big) / 1e6 / t:.1f} MB/s ({t:.2f} s)")

    one_line = ("这是一段没有换行的正文，" * (50_000_000 // 36 // scale)).encode()
    t = timed(lambda: cleaner.clean_bytes(one_line), 1)
    print(f"one {len(one_line) / 1e6:.0f} MB line: {len(one_line) / 1e6 / t:.1f} MB/s ({t:.2f} s)")

    short = ("第3页 共12页\n短行\n" * (50_000 // scale)).encode()
    t = timed(lambda: cleaner.clean_bytes(short), 1)
    print(f"100 k short lines: {len(short) / 1e6 / t:.1f} MB/s ({t:.2f} s)")

    zw = ("正\u200b文" * (10_000 // scale) + "。\n").encode()
    t = timed(lambda: cleaner.clean_bytes(zw), 1)
    res = cleaner.clean_bytes(zw)
    print(f"10 k zero-width matches on one line: {t * 1e3:.0f} ms, {len(res.report.removals)} removals")

    # issue 11: one line repeated (the trailing-excerpt search was quadratic: 1.3 MB took 248 s),
    # and a zero-width mark on every line (a fixed rule budget ran out: marks left, varying output)
    rep = ("这是一段重复的正文内容，每一行都完全相同。\n" * (1_300_000 // 64 // scale)).encode()
    t = timed(lambda: cleaner.clean_bytes(rep), 1)
    print(f"{len(rep) / 1e6:.1f} MB of one repeated line: {t:.2f} s")
    marks = "".join(f"第{i}行正文\u200b内容，带一个零宽字符。\n" for i in range(10_000_000 // 53 // scale)).encode()
    t0 = time.perf_counter()
    first = cleaner.clean_bytes(marks)
    t = time.perf_counter() - t0
    same = cleaner.clean_bytes(marks) == first
    print(f"{len(marks) / 1e6:.0f} MB, a zero-width mark on every line: {t:.2f} s, "
          f"{first.text.count(chr(0x200B))} marks left, same output twice: {same}")

    # zero-width runs of two lengths: resolve kept one sorted interval list for the whole text,
    # and candidates of alternating lengths made each insertion a memmove (quadratic)
    runs = ("\u200b", "\u200b\u200b")
    mixed = "".join(f"第{i}行正文{runs[i % 2]}内容，带零宽字符。\n" for i in range(200_000 // scale)).encode()
    t = timed(lambda: cleaner.clean_bytes(mixed), 1)
    print(f"{len(mixed) / 1e6:.0f} MB, zero-width runs of two lengths on every line: {t:.2f} s")

    hostile = cleantext.Cleaner(pack_from_text(HOSTILE))
    doc = ("a" * 30 + "!\n") * 200
    t = timed(lambda: hostile.clean_text(doc), 1)
    notes = hostile.clean_text(doc).report.notices
    print(f"hostile pattern under its timeout: {t:.2f} s, notices: {notes[:1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
