"""``cleantext restore``: the original bytes back from outputs and their report, or from cleaned JSONL."""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from ..batch import (
    RestoreResult,
    atomic_writer,
    get_name,
    iter_inputs,
    read_report,
    restore_file,
    restore_jsonl_bytes,
    restore_report,
    sha256,
)
from ..errors import ReportError
from .console import EXIT_FAILED, EXIT_OK, Console, UsageError, binary_stdout


def cmd_restore(a: argparse.Namespace) -> int:
    console = Console(quiet=a.quiet)
    src = Path(a.outdir)
    if not src.exists():
        raise UsageError(f"no such file or folder: {src}")
    if a.jsonl:
        return _restore_jsonl(a, src, console)
    if not a.report:
        raise UsageError("restore needs --report REPORT.jsonl (the report clean wrote)")
    if not a.output:
        raise UsageError("restore needs -o DEST: where the original files go")
    t0 = time.perf_counter()
    restored = skipped = failed = nbytes = 0
    try:
        records = list(read_report(a.report))
    except OSError as e:
        raise UsageError(f"cannot read --report {a.report}: {e.strerror or e}") from e
    except ReportError as e:
        raise UsageError(str(e)) from e
    if any("line" in rec for rec in records):
        raise UsageError(f"{a.report} is a JSONL-mode report: restore the cleaned JSONL file itself with --jsonl")
    if src.is_dir():
        results: Iterator[RestoreResult] = restore_report(records, src, a.output)
    else:  # one file cleaned to stdout: its line is found by the SHA-256 of the clean bytes
        results = iter([restore_file(records, src, _one_target(a.output, src.name, records, src))])
    with console.progress(len(records), "file") as update:
        for res in results:
            update(1)
            if not res.ok:
                failed += 1
                console.error(f"{res.path}: {res.error}")
            elif res.skipped:
                skipped += 1
            else:
                restored += 1
                nbytes += res.bytes_out
                if res.note:
                    console.error(f"{res.path}: warning: {res.note}")
    extra = f", {skipped} without output (failed or stdout at clean time)" if skipped and src.is_dir() else ""
    console.info(f"restored {restored} file{'' if restored == 1 else 's'}, {nbytes / 1e6:.2f} MB{extra}, "
                 f"{failed} failed, {time.perf_counter() - t0:.2f} s")
    return EXIT_FAILED if failed else EXIT_OK


def _one_target(output: str, name: str, records: Sequence[dict[str, Any]] = (), clean: Path | None = None) -> Path:
    """``-o`` for one restored file: a name with an extension (``rs.jsonl``, ``original.txt``) that
    is not an existing folder is the file itself; anything else is a folder (created if needed,
    as ``-o`` always was) that receives the file under its original name."""
    if not (output.endswith(("/", os.sep)) or Path(output).is_dir() or not Path(output).suffix):
        return Path(output)
    if clean is not None:  # the original name, from the report line of this clean file
        digest = sha256(clean.read_bytes()) if clean.is_file() else None
        for d in records:
            if d.get("output_sha256") == digest and d.get("ok"):
                source = get_name(d, "source")
                if source and source != "-":
                    name = Path(source).name
    return Path(output, name)


def _restore_jsonl(a: argparse.Namespace, src: Path, console: Console) -> int:
    """One cleaned JSONL file (to ``-o`` or stdout), or every ``*.jsonl`` under a folder (to ``-o``,
    mirrored). A refused record is named and its cleaned line kept, so lines stay aligned."""
    jobs: list[tuple[Path, Path | None]]
    if src.is_dir():
        if not a.output:
            raise UsageError(f"{src} is a folder: restore --jsonl needs -o DIR for the restored files")
        jobs = [(it.path, Path(a.output, *PurePosixPath(it.rel).parts))
                for it in iter_inputs([src], globs=["*.jsonl"])]
        if not jobs:
            console.error(f"warning: no *.jsonl files under {src}")
    else:
        jobs = [(src, None if a.output is None or a.output == "-" else _one_target(a.output, src.name))]
    records = failed = 0
    for path, out in jobs:
        try:
            with contextlib.ExitStack() as stack:
                f = stack.enter_context(path.open("rb"))
                dst = binary_stdout() if out is None else stack.enter_context(atomic_writer(out))
                for n, raw in enumerate(f, 1):
                    records += bool(raw.strip())
                    try:
                        dst.write(restore_jsonl_bytes(raw, n, field=a.field, record_field=a.record_field))
                    except ReportError as e:
                        failed += 1
                        console.error(f"{path}:{e}")
                        dst.write(raw)  # the cleaned line stays, so lines stay aligned
                dst.flush()
        except OSError as e:
            failed += 1
            console.error(f"{path}: {e.strerror or e}")
    console.info(f"restored {records - failed} line(s) of {len(jobs)} file(s), {failed} refused or failed")
    return EXIT_FAILED if failed else EXIT_OK
