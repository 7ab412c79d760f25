"""The ``--report`` file of a clean run: where its lines go, and never losing a line that restores a file."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..batch import atomic_writer, get_name, json_line, read_report
from ..errors import ReportError
from .console import UsageError, binary_stdout

ReportKind = str
"""``tree`` (-o OUTDIR), ``in-place``, ``single`` (one input to stdout) or ``jsonl``."""


def _existing_report(path: str) -> list[dict[str, Any]]:
    """The lines of an existing ``--report`` file; a file that is not a report is never replaced."""
    if not Path(path).exists():
        return []
    try:
        return list(read_report(path))
    except OSError as e:
        raise UsageError(f"cannot read --report {path}: {e.strerror or e}") from e
    except ReportError as e:
        raise UsageError(f"--report {path} exists and is not a cleantext report ({e}); move it away or "
                         "choose another path") from e


def _restorable(d: dict[str, Any]) -> bool:
    """A line that restores a file (what a report must never lose)."""
    return d.get("ok") is True and "line" not in d and d.get("path") is not None


def _check_report_reuse(path: str, lines: list[dict[str, Any]], kind: ReportKind, outdir: Path | None) -> None:
    """Refuse (exit 2, before any work) a run that would drop lines restoring files.

    In place, the report is a journal that runs append to; out of place, it is the map of one
    output folder that reruns update; a stdout or JSONL run has nothing to merge into.
    """
    keep = [d for d in lines if _restorable(d)]
    if not keep:
        return
    try:
        in_place = [d for d in keep if get_name(d, "output") == get_name(d, "source")]
    except ReportError as e:
        raise UsageError(f"--report {path}: {e}") from e
    n = len(keep)
    if kind in ("single", "jsonl"):
        raise UsageError(f"--report {path} already restores {n} cleaned file(s) and this run would replace it: "
                         "choose another --report")
    if kind == "in-place":
        if len(in_place) < n:
            raise UsageError(f"--report {path} restores the outputs of an out-of-place run (-o): an in-place run "
                             "appends to a report of its own: choose another --report")
        return
    if in_place:
        raise UsageError(f"--report {path} is the only way back to {len(in_place)} file(s) cleaned in place; "
                         "an out-of-place run would rewrite it: choose another --report")
    assert outdir is not None
    here = outdir.resolve()
    for d in keep:
        out, rel = get_name(d, "output"), get_name(d, "path")
        if out is None or rel is None:
            continue
        root = Path(out)
        for _ in PurePosixPath(rel).parts:
            root = root.parent
        if root.resolve() != here:
            raise UsageError(f"--report {path} describes outputs in {root}, not in -o {outdir}: one report per "
                             "output folder (choose another --report)")


@contextlib.contextmanager
def report_sink(path: str | None, kind: ReportKind = "single", outdir: Path | None = None
                 ) -> Iterator[Callable[[dict[str, Any]], None] | None]:
    """Where report lines go; the report that restores originals is never shrunk or replaced.

    - ``in-place``: the file is a journal: lines are appended, each flushed and fsynced before
      its file is rewritten (``clean_files(before_write=...)``), and earlier lines stay.
    - ``tree``: the file is rewritten atomically (complete or old); lines of an earlier run
      for outputs this run did not produce are carried over, so a rerun on a subset keeps the
      whole folder restorable.
    - ``single`` (one input to stdout): lines of other inputs cleaned to stdout are kept, since
      each restores its clean file; refused if the report restores an output folder.
    - ``jsonl``: written atomically; refused if it would replace restoring lines.

    The file is opened before any input is touched, so an unwritable report path is a usage
    error up front, not a surprise after an hour of cleaning.
    """
    if path is None:
        yield None
        return
    if path == "-":
        out = binary_stdout()

        def emit_stdout(d: dict[str, Any]) -> None:
            out.write(json_line(d) + b"\n")

        yield emit_stdout
        out.flush()
        return
    lines = _existing_report(path)
    _check_report_reuse(path, lines, kind, outdir)
    if kind == "in-place":
        with _journal(path) as append:
            yield append
        return
    stack = contextlib.ExitStack()
    try:
        f = stack.enter_context(atomic_writer(path))
    except OSError as e:
        raise UsageError(f"cannot write --report {path}: {e.strerror or e}") from e
    sources: set[str] = set()
    paths: set[str] = set()

    def emit(d: dict[str, Any]) -> None:
        sources.add(str(get_name(d, "source")))
        if d.get("path") is not None:
            paths.add(str(get_name(d, "path")))
        f.write(json_line(d) + b"\n")

    with stack:
        yield emit
        for d in lines:  # earlier lines for outputs this run left alone (a subset, a stopped run)
            if kind in ("tree", "single") and str(get_name(d, "source")) not in sources and (
                    d.get("path") is None or str(get_name(d, "path")) not in paths):
                f.write(json_line(d) + b"\n")


@contextlib.contextmanager
def _journal(path: str) -> Iterator[Callable[[dict[str, Any]], None]]:
    """An append-only report: every line is on disk (fsync) before the call returns."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)
    except OSError as e:
        raise UsageError(f"cannot write --report {path}: {e.strerror or e}") from e
    with os.fdopen(fd, "r+b") as f:
        data = f.read()
        if data and not data.endswith(b"\n"):  # a line torn by a crash: its file was never rewritten
            os.ftruncate(fd, data.rfind(b"\n") + 1)

        def append(d: dict[str, Any]) -> None:
            f.write(json_line(d) + b"\n")
            f.flush()
            os.fsync(f.fileno())

        yield append
