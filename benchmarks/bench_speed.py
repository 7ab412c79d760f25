"""The speed targets of issue 10, each against its reference measured in the same run: one table.

Run: ``.venv/bin/python benchmarks/bench_speed.py [--quick] [--no-batch]`` from the repository root.

Rows (inputs built from ``../shared/corpus/dev``):

- **dev corpus**: every ``*.in`` through ``Cleaner.clean_bytes``, against a bare ``chardet.detect`` over
  the same bytes (target ≥ 1.5×).
- **10 MB GB18030 / UTF-8**: dev-corpus bodies with a dev-corpus advert every ~60 lines, against the
  floor: decoding with the true codec plus one ``re`` pass for 30 keywords (target ≥ 1/8, aim 1/2).
- **small GBK**: 1,000 documents of 0.5-1.5 KB, µs per ``clean_bytes`` call against a
  ``chardet.detect`` call (target ≤ 0.5×).
- **batch**: ``cleantext clean DIR -j 2`` against ``-j 1`` on 1,200 dev-corpus files (target ≥ 1.7×).
- **naive**: the baseline the design avoids, every rule pattern on every line of the shadow.

Not a test: nothing here asserts a time. The machine is shared, so only the ratios mean anything,
and the in-process rows count CPU seconds of this process (``time.process_time``, best of three,
after one untimed pass over the dev corpus so that what a process reads once is not counted):
wall time on two cores shared by several people measured the neighbours more than the code. The
batch row is wall time, as a user waits for it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import chardet

from cleantext import Cleaner
from cleantext.errors import CleantextError
from cleantext.rules.shadow import shadow
from cleantext.segment import split_lines

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"
TEN_MB = 10 * 1024 * 1024
ROW = "{:<34} {:>8} {:>10} {:>12} {:>34} {:>8}"


def best(fn: Callable[[], object], repeat: int) -> float:
    """Fewest CPU seconds of ``repeat`` calls: the least disturbed by the other processes."""
    out = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        out = min(out, time.process_time() - t0)
    return out


def dev_inputs() -> list[bytes]:
    return [p.read_bytes() for p in sorted((DEV / "cases").glob("*.in"))]


def bodies() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((DEV / "cases").glob("*.expected.txt"))]


def adverts() -> list[str]:
    """One-line adverts of the dev manifest (what the rules and signals are there to find)."""
    out: list[str] = []
    for line in (DEV / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        for ad in json.loads(line).get("ads", []):
            text = ad["text"].strip()
            if text and "\n" not in text:
                out.append(text)
    return out


def big_document(size: int, seed: int = 1) -> str:
    """Dev bodies, one advert after every ~60 lines, repeated until ``size`` UTF-8 bytes."""
    rng = random.Random(seed)
    ads = adverts()
    lines = [line for text in bodies() for line in text.split("\n")]
    out: list[str] = []
    total = 0
    gap = rng.randint(50, 70)
    while total < size:
        for line in lines:
            out.append(line)
            total += len(line.encode()) + 1
            gap -= 1
            if gap == 0:
                ad = rng.choice(ads)
                out.append(ad)
                total += len(ad.encode()) + 1
                gap = rng.randint(50, 70)
            if total >= size:
                break
    return "\n".join(out) + "\n"


def small_gbk(count: int, seed: int = 10) -> list[bytes]:
    """``count`` slices of dev documents (inputs, adverts included), 0.5-1.5 KB in GBK."""
    rng = random.Random(seed)
    texts = [t for t in bodies() if len(t) > 800]
    docs: list[bytes] = []
    while len(docs) < count:
        text = rng.choice(texts)
        size = rng.randint(250, 750)
        start = rng.randrange(len(text) - size + 1)
        try:
            data = text[start : start + size].encode("gbk")
        except UnicodeEncodeError:
            continue
        if 500 <= len(data) <= 1500:
            docs.append(data)
    return docs


def keywords(cleaner: Cleaner, n: int = 30) -> re.Pattern[str]:
    """One ``re`` alternation of ``n`` of the pack's keywords: the floor's single scan."""
    words = sorted({k for r in cleaner.pack.compiled() for k in r.rule.keywords if len(k) >= 2})
    step = max(1, len(words) // n)
    return re.compile("|".join(re.escape(w) for w in words[::step][:n]))


def clean_all(cleaner: Cleaner, docs: Sequence[bytes]) -> None:
    for d in docs:
        with contextlib.suppress(CleantextError):
            cleaner.clean_bytes(d)


def chardet_all(docs: Sequence[bytes]) -> None:
    for d in docs:
        chardet.detect(d)


def naive(cleaner: Cleaner, texts: Sequence[str]) -> None:
    """Every rule pattern on every line of the shadow, nothing skipped: the baseline."""
    pats = [r.pattern for r in cleaner.matcher.rules]
    for text in texts:
        sh = shadow(text)
        starts, ends, _ = split_lines(text)
        for s, e in zip(starts, ends, strict=True):
            for p in pats:
                p.search(sh, s, e)


def cli(folder: Path, jobs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "cleantext", "clean", str(folder), "--glob", "*.in", "-o",
               os.path.join(tmp, "out"), "-q", "-j", str(jobs)]
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, check=False, capture_output=True)
        took = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cli exited {proc.returncode}: {proc.stderr.decode(errors='replace')[:500]}")
    return took


def row(name: str, n: int, size: int, secs: float, ref: str, ratio: str) -> None:  # noqa: PLR0917
    mbs = size / 1e6 / secs
    print(ROW.format(name, n, f"{mbs:.2f}", f"{secs / n * 1e6:,.0f}", ref, ratio))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="2 MB big documents, one repeat")
    ap.add_argument("--no-batch", action="store_true", help="skip the -j 1 / -j 2 command runs")
    ap.add_argument("--batch-only", action="store_true", help="only the -j 1 / -j 2 command runs")
    a = ap.parse_args()
    repeat = 1 if a.quick else 3
    cleaner = Cleaner()
    clean_all(cleaner, dev_inputs())  # compile the pack, and fill what is read once per process, outside the timing
    chardet.detect("预热".encode("gbk"))
    print(f"python {sys.version.split()[0]}, cpus {len(os.sched_getaffinity(0))}, CPU seconds, best of {repeat}; "
          "ratio: throughput over the reference's (small GBK: time per call over chardet's)")
    print(ROW.format("workload", "docs", "MB/s", "µs/doc", "reference (same run)", "ratio"))

    if not a.batch_only:
        in_process(cleaner, repeat, quick=a.quick)
    if not a.no_batch:
        batch(repeat)
    return 0


def in_process(cleaner: Cleaner, repeat: int, *, quick: bool) -> None:
    docs = dev_inputs()
    size = sum(map(len, docs))
    t = best(lambda: clean_all(cleaner, docs), repeat)
    ref = best(lambda: chardet_all(docs), repeat)
    row("dev corpus, clean_bytes", len(docs), size, t, f"chardet.detect {size / 1e6 / ref:.2f} MB/s",
        f"{ref / t:.2f}×")

    size = TEN_MB // (5 if quick else 1)
    text = big_document(size * 3 // 2)  # GB18030 takes ~2 bytes a character where UTF-8 takes 3
    kw = keywords(cleaner)
    for codec in ("gb18030", "utf-8"):
        data = text.encode(codec)
        data = data[: data.rfind(b"\n", 0, size) + 1]
        t = best(lambda data=data: cleaner.clean_bytes(data), repeat)  # type: ignore[misc]
        ref = best(lambda data=data, codec=codec: sum(1 for _ in kw.finditer(data.decode(codec))), repeat)  # type: ignore[misc]
        row(f"{len(data) / 1e6:.0f} MB {codec}, ad every ~60 lines", 1, len(data), t,
            f"floor {len(data) / 1e6 / ref:.0f} MB/s", f"1/{t / ref:.1f}")

    small = small_gbk(1000)
    size = sum(map(len, small))
    t = best(lambda: clean_all(cleaner, small), repeat)
    ref = best(lambda: chardet_all(small), repeat)
    row("0.5-1.5 KB GBK, clean_bytes", len(small), size, t, f"chardet.detect {ref / len(small) * 1e6:,.0f} µs",
        f"{t / ref:.2f}×")

    texts = []
    for d in docs:
        with contextlib.suppress(CleantextError):
            texts.append(cleaner.clean_bytes(d, "annotate").text)
    size = sum(len(s.encode()) for s in texts)
    t = best(lambda: naive(cleaner, texts), 1)
    t_ours = best(lambda: [cleaner.clean_text(s) for s in texts], 1)
    row("naive: every pattern, every line", len(texts), size, t, f"clean_text {size / 1e6 / t_ours:.2f} MB/s",
        f"{t_ours / t:.3f}×")


def batch(repeat: int) -> None:
    inputs = sorted((DEV / "cases").glob("*.in"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for k in range(1200):
            src = inputs[k % len(inputs)]
            shutil.copyfile(src, folder / f"{k:04d}_{src.name}")
        size = sum(p.stat().st_size for p in folder.iterdir())
        t1 = t2 = float("inf")
        for _ in range(repeat):  # interleaved, so that a change in the machine's load hits both
            t1 = min(t1, cli(folder, 1))
            t2 = min(t2, cli(folder, 2))
    row("cleantext clean DIR -j 2 (wall)", 1200, size, t2, f"-j 1 {size / 1e6 / t1:.2f} MB/s", f"{t1 / t2:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
