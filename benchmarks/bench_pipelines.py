"""Parquet → clean → Parquet on one machine: a process pool over shards vs Ray Data ``map_batches``.

Both paths run the same ``cleantext.arrow.clean_table`` with the same pack shipped by value, so the
difference is the engine's overhead (start-up, scheduling, serialisation), not the cleaning. The
input is the dev corpus (``shared/corpus/dev/cases/*.in``, raw bytes in their native encodings)
repeated to ``--docs`` documents and written as ``--shards`` Parquet files with a binary column.

    .venv/bin/python benchmarks/bench_pipelines.py              # 20k docs, 2 workers
    .venv/bin/python benchmarks/bench_pipelines.py --docs 2000 --skip-ray

Figures are wall-clock seconds for the whole read → clean → write; MB/s counts input bytes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

import cleantext
from cleantext.arrow import clean_table

ROOT = Path(__file__).resolve().parents[1]
DEV_CASES = ROOT.parent / "shared" / "corpus" / "dev" / "cases"


def make_shards(out: Path, docs: int, shards: int) -> tuple[list[Path], int]:
    """Write ``docs`` documents (the dev inputs, cycled) as ``shards`` Parquet files."""
    inputs = [p.read_bytes() for p in sorted(DEV_CASES.glob("*.in"))]
    if not inputs:
        raise SystemExit(f"no inputs under {DEV_CASES}")
    values = [inputs[i % len(inputs)] for i in range(docs)]
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    per = -(-docs // shards)
    for k in range(shards):
        part = values[k * per : (k + 1) * per]
        if not part:
            break
        table = pa.table(
            {"id": pa.array(range(k * per, k * per + len(part)), pa.int64()), "raw": pa.array(part, pa.binary())}
        )
        path = out / f"part-{k:04d}.parquet"
        pq.write_table(table, path)
        paths.append(path)
    return paths, sum(map(len, values))


def _clean_shard(job: tuple[Path, Path, cleantext.RulePack]) -> int:
    src, dst, pack = job
    out = clean_table(pq.read_table(src), column="raw", pack=pack)
    pq.write_table(out, dst)
    return int(out.num_rows)


def run_single(paths: list[Path], out: Path, pack: cleantext.RulePack) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for p in paths:
        _clean_shard((p, out / p.name, pack))
    return time.perf_counter() - t


def run_pool(paths: list[Path], out: Path, pack: cleantext.RulePack, workers: int) -> tuple[float, float]:
    """(pool start-up, read → clean → write) seconds."""
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        t1 = time.perf_counter()
        rows = sum(pool.imap_unordered(_clean_shard, [(p, out / p.name, pack) for p in paths]))
        t2 = time.perf_counter()
    assert rows > 0
    return t1 - t0, t2 - t1


def run_ray(
    paths: list[Path], out: Path, pack: cleantext.RulePack, *, workers: int, batch_size: int, repeats: int
) -> tuple[float, list[float]]:
    """(ray.init seconds, [read → clean → write seconds per repeat]); the first run warms workers."""
    os.environ.setdefault("RAY_DISABLE_USAGE_STATS", "1")
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    import ray  # noqa: PLC0415  # optional: --skip-ray works without it
    import ray.data  # noqa: PLC0415

    from cleantext.integrations.ray import clean_dataset  # noqa: PLC0415

    t0 = time.perf_counter()
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
    start = time.perf_counter() - t0
    ray.data.DataContext.get_current().enable_progress_bars = False
    times: list[float] = []
    try:
        for i in range(repeats):
            dst = out / f"run{i}"
            t = time.perf_counter()
            # One directory, not a list of files: Ray 2.60 resolves a list in threads that race on
            # importing fsspec.implementations.http (ImportError without aiohttp installed).
            ds = ray.data.read_parquet(str(paths[0].parent))
            clean_dataset(ds, column="raw", pack=pack, batch_size=batch_size).write_parquet(str(dst))
            times.append(time.perf_counter() - t)
    finally:
        ray.shutdown()
    return start, times


def line(name: str, start: str, secs: float, docs: int, nbytes: int) -> None:
    print(f"{name:<34} {start:>8} {secs:>8.2f} s {docs / secs:>9.0f} docs/s {nbytes / 1e6 / secs:>7.1f} MB/s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=20_000)
    ap.add_argument("--shards", type=int, default=16, help="Parquet files (pool work units, Ray read tasks)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=256, help="Ray map_batches batch size")
    ap.add_argument("--repeats", type=int, default=2, help="Ray runs on one cluster (first one is cold)")
    ap.add_argument("--skip-ray", action="store_true")
    ap.add_argument("--skip-single", action="store_true")
    args = ap.parse_args()

    pack = cleantext.default_pack()
    tmp = Path(tempfile.mkdtemp(prefix="cleantext-bench-"))
    try:
        paths, nbytes = make_shards(tmp / "in", args.docs, args.shards)
        print(
            f"{args.docs} docs, {nbytes / 1e6:.1f} MB in {len(paths)} Parquet shards; {args.workers} workers; "
            f"cleantext {cleantext.__version__}, pyarrow {pa.__version__}, {os.cpu_count()} CPUs"
        )
        print(f"{'path':<34} {'start':>8} {'run':>10} {'':>16} {'':>12}")
        if not args.skip_single:
            line("1 process, clean_table per shard", "-", run_single(paths, tmp / "single", pack), args.docs, nbytes)
        start, secs = run_pool(paths, tmp / "pool", pack, args.workers)
        line(f"multiprocessing.Pool({args.workers}) over shards", f"{start:.2f} s", secs, args.docs, nbytes)
        if not args.skip_ray:
            start, runs = run_ray(
                paths, tmp / "ray", pack, workers=args.workers, batch_size=args.batch_size, repeats=args.repeats
            )
            for i, secs in enumerate(runs):
                label = "first" if i == 0 else "warm"
                line(f"Ray Data map_batches ({label})", f"{start:.2f} s" if i == 0 else "", secs, args.docs, nbytes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
