"""Batch throughput on the dev corpus: docs/s and MB/s through ``cleantext.batch.clean_files``
(what ``cleantext clean DIR -o OUT -j N`` runs), the full command in a fresh interpreter, and
the same documents as JSONL records through ``clean_jsonl`` (``cleantext clean --jsonl``).

    .venv/bin/python benchmarks/bench_batch.py                 # -j 1 and -j 2, best of 3
    .venv/bin/python benchmarks/bench_batch.py --jobs 1 2 4 --repeat 5

Why both: the in-process figure is the pipeline (read, decode, clean, write atomically, report);
the subprocess figure adds interpreter start, pack compilation and pool start-up, which is what
a shell user waits for. Outputs go to a temporary folder; ``--force`` semantics (nothing skipped).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleantext import Cleaner, CleantextError
from cleantext.batch import CleanOptions, clean_files, clean_jsonl, iter_inputs

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "cases"


def bench_in_process(corpus: Path, jobs: int, repeat: int) -> tuple[float, int, int, int]:
    """Best wall time of ``repeat`` runs, documents, bytes, failures."""
    items = list(iter_inputs([corpus], globs=["*.in"]))
    size = sum(i.path.stat().st_size for i in items)
    cleaner = Cleaner()
    cleaner.clean_bytes("预热。\n".encode())  # compile the pack outside the timing, as a long run amortises it
    best = float("inf")
    failed = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as out:
            t0 = time.perf_counter()
            results = list(clean_files(items, out, cleaner, CleanOptions(force=True), jobs=jobs))
            best = min(best, time.perf_counter() - t0)
            failed = sum(not r.ok for r in results)
    return best, len(items), size, failed


def bench_jsonl(corpus: Path, jobs: int, repeat: int) -> tuple[float, int, int]:
    """The same documents as JSONL records (decoded text in a "text" field) through ``clean_jsonl``."""
    cleaner = Cleaner()
    lines = []
    for i in iter_inputs([corpus], globs=["*.in"]):
        try:
            text = cleaner.clean_bytes(i.path.read_bytes(), "annotate").text
        except CleantextError:
            continue
        lines.append(json.dumps({"id": i.rel, "text": text}, ensure_ascii=False).encode() + b"\n")
    size = sum(map(len, lines))
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _res in clean_jsonl(lines, cleaner, jobs=jobs):
            pass
        best = min(best, time.perf_counter() - t0)
    return best, len(lines), size


def bench_cli(corpus: Path, jobs: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cmd = [sys.executable, "-m", "cleantext", "clean", str(corpus), "--glob", "*.in", "-o",
                   os.path.join(tmp, "out"), "--report", os.path.join(tmp, "r.jsonl"), "-q", "-j", str(jobs)]
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, check=False, capture_output=True)
            best = min(best, time.perf_counter() - t0)
            if proc.returncode not in (0, 1):  # 2 = usage (e.g. a pack that does not load): no timing
                raise SystemExit(f"cli exited {proc.returncode}: {proc.stderr.decode(errors='replace')[:500]}")
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=DEV)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    print(f"corpus: {a.corpus}  cpus: {len(os.sched_getaffinity(0))}  python {sys.version.split()[0]}")
    print(f"{'jobs':>4}  {'where':<11} {'docs':>5} {'MB':>6} {'seconds':>8} {'docs/s':>8} {'MB/s':>7} {'failed':>6}")
    for j in a.jobs:
        t, n, size, failed = bench_in_process(a.corpus, j, a.repeat)
        print(f"{j:>4}  {'in-process':<11} {n:>5} {size / 1e6:>6.2f} {t:>8.3f} {n / t:>8.1f} {size / 1e6 / t:>7.2f} "
              f"{failed:>6}")
        t = bench_cli(a.corpus, j, a.repeat)
        print(f"{j:>4}  {'cli':<11} {n:>5} {size / 1e6:>6.2f} {t:>8.3f} {n / t:>8.1f} {size / 1e6 / t:>7.2f} "
              f"{'':>6}")
        t, n, size = bench_jsonl(a.corpus, j, a.repeat)
        print(f"{j:>4}  {'jsonl':<11} {n:>5} {size / 1e6:>6.2f} {t:>8.3f} {n / t:>8.1f} {size / 1e6 / t:>7.2f} "
              f"{'':>6}")


if __name__ == "__main__":
    main()
