"""Peak memory of cleaning one big file, as a multiple of its size (issue 11: keep it <= 10x).

Run: ``.venv/bin/python benchmarks/bench_memory.py [MB] [--tracemalloc]``. Each measurement runs
in a fresh subprocess: peak resident set (``ru_maxrss``) of the whole process, and the same minus
the process before the file was read (interpreter, compiled pack). ``--tracemalloc`` also prints the
Python allocations' peak and the biggest allocation sites at that peak (slow: for finding copies).
Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "seed_utf8.txt"

CHILD = r"""
import json, resource, sys, time, tracemalloc
import cleantext
trace = sys.argv[2] == "1"
cleaner = cleantext.Cleaner()
cleaner.clean_text("warm up")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
data = open(sys.argv[1], "rb").read()
if trace:
    tracemalloc.start(8)
t0 = time.perf_counter()
res = cleaner.clean_bytes(data)
out = res.to_bytes()
wall = time.perf_counter() - t0
top = []
peak_py = 0
if trace:
    snap = tracemalloc.take_snapshot()
    _, peak_py = tracemalloc.get_traced_memory()
    top = [str(s) for s in snap.statistics("lineno")[:8]]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"size": len(data), "base": base, "peak": peak, "peak_py": peak_py, "wall": wall,
                  "removals": len(res.report.removals), "out": len(out), "top": top}))
"""


def make(path: Path, mb: float) -> None:
    seed = SEED.read_text(encoding="utf-8")
    size = int(mb * 1e6)
    text = seed * (size // len(seed.encode("gb18030")) + 1)
    data = text.encode("gb18030")[:size]
    path.write_bytes(data[: data.rfind(b"\n") + 1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("mb", nargs="?", type=float, default=50.0, help="file size in MB (default 50)")
    ap.add_argument("--tracemalloc", action="store_true", help="also trace Python allocations (slow)")
    ap.add_argument("--file", type=Path, help="measure this file instead of a generated GB18030 one")
    args = ap.parse_args()
    path = args.file or Path(f"/tmp/cleantext-bench-memory-{args.mb:g}MB.txt")
    if args.file is None and not path.exists():
        make(path, args.mb)
    proc = subprocess.run([sys.executable, "-c", CHILD, str(path), "1" if args.tracemalloc else "0"],
                          capture_output=True, text=True, check=True)
    r = json.loads(proc.stdout)
    size = r["size"]
    print(f"{path.name}: {size / 1e6:.1f} MB, {r['removals']} removals, {r['wall']:.1f} s")
    print(f"peak RSS {r['peak'] / 1e6:.0f} MB = {r['peak'] / size:.1f}x the file; "
          f"above the process before reading it ({r['base'] / 1e6:.0f} MB): {(r['peak'] - r['base']) / size:.1f}x")
    if args.tracemalloc:
        print(f"Python allocations peak {r['peak_py'] / 1e6:.0f} MB = {r['peak_py'] / size:.1f}x")
        print("\n".join(r["top"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
