"""``cleantext clean DIR -j 2`` against ``-j 1`` on 1,200 dev-corpus files: wall time and CPU seconds.

Run: ``.venv/bin/python benchmarks/bench_batch_ratio.py [--repeat 3] [--tree OLD_CHECKOUT ...]``.

Issue 10's batch target (``-j 2`` at least 1.7x ``-j 1``). Runs are interleaved (``-j 1``, ``-j 2``,
then the next tree) so that a change in the machine's load hits every configuration; each keeps
its best wall time. Beside it the CPU seconds of the whole run (parent and workers): on two cores
shared with other people the wall ratio measures the neighbours as much as the code, the CPU
total does not. ``--tree`` adds a source checkout to compare (run with ``PYTHONPATH`` on it), e.g.
``git archive main | tar -x -C /tmp/main``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "cases"


def build(folder: Path, count: int) -> int:
    inputs = sorted(DEV.glob("*.in"))
    for k in range(count):
        src = inputs[k % len(inputs)]
        shutil.copyfile(src, folder / f"{k:04d}_{src.name}")
    return sum(p.stat().st_size for p in folder.iterdir())


def run(folder: Path, jobs: int, tree: str | None) -> tuple[float, float]:
    """Wall and CPU seconds (this run's process and its workers) of one ``cleantext clean``."""
    env = dict(os.environ)
    if tree:
        env["PYTHONPATH"] = tree
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "cleantext", "clean", str(folder), "--glob", "*.in", "-o",
               os.path.join(tmp, "out"), "-q", "-j", str(jobs)]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, check=False, capture_output=True, env=env)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"cli exited {proc.returncode}: {proc.stderr.decode(errors='replace')[:500]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--files", type=int, default=1200)
    ap.add_argument("--tree", action="append", default=[], help="another source checkout to compare")
    a = ap.parse_args()
    trees: list[str | None] = [None, *a.tree]
    best: dict[tuple[str | None, int], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size = build(folder, a.files)
        for _ in range(a.repeat):
            for tree in trees:
                for jobs in (1, 2):
                    wall, cpu = run(folder, jobs, tree)
                    key = (tree, jobs)
                    best[key] = min(best.get(key, (wall, cpu)), (wall, cpu))
                    print(f"  {tree or 'this tree'} -j {jobs}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)
    print(f"{a.files} files, {size / 1e6:.1f} MB, best of {a.repeat} (wall), CPU of that run")
    for tree in trees:
        (w1, c1), (w2, c2) = best[(tree, 1)], best[(tree, 2)]
        print(f"{tree or 'this tree':<30} -j 1 {w1:6.2f} s ({c1:5.2f} CPU)  -j 2 {w2:6.2f} s ({c2:5.2f} CPU)  "
              f"ratio {w1 / w2:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
