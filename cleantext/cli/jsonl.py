"""``cleantext clean --jsonl``: one field cleaned per record, the report added to the record."""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, BinaryIO, cast

from ..batch import BatchStats, InputFile, atomic_writer, clean_jsonl, jsonl_pool, put_name, resolve_jobs
from ..engine import Cleaner
from ..errors import InputError
from ..model import Mode
from .console import EXIT_FAILED, EXIT_OK, Console, binary_stdin, binary_stdout
from .reports import report_sink
from .runs import run_summary, walk


def run_jsonl(a: argparse.Namespace, cleaner: Cleaner, outdir: Path | None, console: Console, *,
                 to_stdout: bool) -> int:
    """JSONL in, JSONL out: one field cleaned per record, the report added to the record.

    Files are processed one after another; with ``-j N`` the records of each file are spread over
    the pool in ordered chunks, which helps both many small files and one huge file.
    """
    stats = BatchStats()
    mode = cast(Mode, a.mode)
    paths: list[str] = a.paths
    if to_stdout:
        items = [InputFile(Path(paths[0]), Path(paths[0]).name)]
    else:
        exclude = [p for p in (outdir, a.report if a.report not in (None, "-") else None) if p is not None]
        items = walk(paths, a, exclude, globs=a.glob or ["*.jsonl"], console=console)
    jobs = resolve_jobs(a.jobs)
    with report_sink(a.report, "jsonl") as emit, contextlib.ExitStack() as stack:
        pool = stack.enter_context(jsonl_pool(cleaner, jobs)) if jobs > 1 and items else None
        for it in items:
            source = "-" if str(it.path) == "-" else str(it.path)
            out = it.path if a.in_place else (None if outdir is None else outdir / it.rel)
            if out is not None and not a.force and not a.in_place and a.report is None and _newer(out, it.path):
                stats.add(True, None, 0, skipped=True)
                continue
            try:
                _clean_jsonl_file(it, source, out, cleaner, a, mode=mode, stats=stats, console=console, emit=emit,
                                  pool=pool)
            except BrokenPipeError:
                raise  # the reader of stdout left: main() ends the run, it is not this file's fault
            except (InputError, OSError) as e:
                msg = f"{type(e).__name__}: {e}"
                stats.add(False, None, 0)
                console.error(f"{source}: {msg}")
                if emit is not None:
                    rec: dict[str, Any] = {}
                    put_name(rec, "source", source)
                    emit(rec | {"line": None, "ok": False, "error": msg})
                continue
            stats.add(True, None, 0)
    if not items:
        console.error("warning: no JSONL files found" + (f" matching {' '.join(a.glob)}" if a.glob else " (*.jsonl)"))
        return EXIT_OK
    console.info(run_summary(stats, mode))
    return EXIT_FAILED if stats.failed else EXIT_OK


def _newer(out: Path, src: Path) -> bool:
    try:
        return out.stat().st_mtime_ns > src.stat().st_mtime_ns
    except OSError:
        return False


def _clean_jsonl_file(it: InputFile, source: str, out: Path | None, cleaner: Cleaner, a: argparse.Namespace, *,
                      mode: Mode, stats: BatchStats, console: Console,
                      emit: Callable[[dict[str, Any]], None] | None, pool: Executor | None) -> None:
    with contextlib.ExitStack() as stack:
        if source == "-":
            src: BinaryIO = binary_stdin()
            total = None
        else:
            try:
                src = stack.enter_context(it.path.open("rb"))
            except OSError as e:
                raise InputError(f"cannot read: {e.strerror or e}") from e
            total = os.fstat(src.fileno()).st_size
        dst: BinaryIO
        if out is None:
            dst = binary_stdout()
        else:
            file_mode = (os.stat(it.path).st_mode & 0o7777) if a.in_place else None
            dst = stack.enter_context(atomic_writer(out, mode=file_mode))
        update = stack.enter_context(console.progress(total, "B", scale=True))
        for res in clean_jsonl(src, cleaner, field=a.field, mode=mode, record_field=a.record_field,
                               jobs=1 if pool is None else a.jobs, force=a.force, executor=pool):
            dst.write(res.output + res.eol)
            stats.add_record(res)
            stats.bytes_in += res.bytes_in
            update(res.bytes_in + 1)
            if res.blank:
                continue
            if emit is not None:
                emit(res.to_record(source))
            if not res.ok:
                console.error(f"{source}:{res.line}: {res.error}")
            console.timeouts(f"{source}:{res.line}", res.report)
        if out is None:
            dst.flush()
