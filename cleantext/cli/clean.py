"""``cleantext clean``: one input to stdout, or a tree of files to ``-o`` or in place (JSONL: ``jsonl.py``)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import cast

from ..batch import (
    RECORD_FIELD,
    BatchStats,
    CleanOptions,
    FileResult,
    OutputEncoding,
    check_writable,
    clean_files,
    clean_stream,
    previous_results,
    read_input,
    read_state,
    resolve_jobs,
    root_name,
    run_state,
    write_state,
)
from ..engine import Cleaner
from ..errors import InputError
from ..model import Mode
from .console import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    Console,
    UsageError,
    binary_stdout,
    configure_logging,
    load_cleaner,
    read_stdin,
)
from .jsonl import run_jsonl
from .reports import report_sink
from .runs import graceful_stop, run_summary, walk


def _inside(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def _check_targets(paths: Sequence[str], outdir: Path | None, report: str | None, *, in_place: bool) -> None:
    """Refuse writes into the input tree before anything runs (exit 2, nothing touched)."""
    roots = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    files = {Path(p).resolve() for p in paths if not Path(p).is_dir()}
    if outdir is not None:
        o = outdir.resolve()
        for r in roots:
            if _inside(o, r):
                raise UsageError(f"-o {outdir} is inside the input folder {r}: outputs would be mixed with inputs "
                                 "(choose another folder, or use --in-place)")
            if _inside(r, o):
                raise UsageError(f"the input folder {r} is inside -o {outdir}: outputs could land in the input tree "
                                 "(choose another folder)")
        if any(f.parent == o for f in files):
            raise UsageError(f"-o {outdir} is the folder of an input file: it would be overwritten "
                             "(choose another folder, or use --in-place)")
    if report and report != "-":
        rp = Path(report).resolve()
        if rp in files:
            raise UsageError(f"--report {report} is one of the inputs")
        if not in_place and any(_inside(rp, r) for r in roots):
            raise UsageError(f"--report {report} is inside an input folder; write it elsewhere")


def cmd_clean(a: argparse.Namespace) -> int:
    paths: list[str] = a.paths
    if a.in_place and a.output:
        raise UsageError("--in-place and -o exclude each other")
    if a.in_place and not a.report and not a.jsonl:
        raise UsageError("--in-place needs --report REPORT.jsonl: the report is the only way back to the originals")
    if a.in_place and a.report == "-":
        raise UsageError("--in-place needs the report in a file, not on stdout")
    if "-" in paths and len(paths) > 1:
        raise UsageError("- (stdin) cannot be combined with other paths")
    if "-" in paths and (a.output or a.in_place):
        raise UsageError("stdin is cleaned to stdout; redirect it (cleantext clean - < in > out)")
    folders = [p for p in paths if os.path.isdir(p)]
    if len(paths) > 1:
        names = [root_name(p) for p in folders]
        clash = sorted({n for n in names if names.count(n) > 1})
        if clash:
            raise UsageError(f"several input folders are named {clash[0]!r}: each folder goes under its own name "
                             "in the output, so they would collide (rename one, or run them separately)")
    missing = [p for p in paths if p != "-" and not os.path.lexists(p)]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(missing)} (nothing was cleaned)")
    if not a.jsonl and (a.field is not None or a.record_field is not None):
        raise UsageError("--field and --record-field need --jsonl")
    if a.jsonl and a.encoding != "utf-8":
        raise UsageError("--encoding applies to documents; JSONL is always written as UTF-8")
    a.field = a.field or "text"
    a.record_field = a.record_field or RECORD_FIELD
    configure_logging(a.verbose)
    cleaner = load_cleaner(a.pack, a.max_bytes)
    to_stdout = not a.output and not a.in_place and len(paths) == 1 and (paths[0] == "-" or not Path(paths[0]).is_dir())
    if not to_stdout and not a.output and not a.in_place:
        raise UsageError("cleaning a folder or several files needs -o OUTDIR (or --in-place)")
    if to_stdout and a.report == "-":
        raise UsageError("stdout already carries the clean text; write --report to a file")
    outdir = Path(a.output) if a.output else None
    if outdir is not None and outdir.exists() and not outdir.is_dir():
        raise UsageError(f"-o {outdir} exists and is not a folder")
    _check_targets(paths, outdir, a.report, in_place=a.in_place)
    if outdir is not None:
        try:
            check_writable(outdir)
        except OSError as e:
            raise UsageError(f"-o {outdir}: {e.strerror or e}") from e
    console = Console(quiet=a.quiet)
    options = CleanOptions(mode=cast(Mode, a.mode), encoding=cast(OutputEncoding, a.encoding), force=a.force,
                           in_place=a.in_place)
    if to_stdout:
        if a.jsonl:
            return run_jsonl(a, cleaner, outdir, console, to_stdout=to_stdout)
        return _clean_to_stdout(paths[0], a, cleaner, options, console)
    state = None
    if outdir is not None:
        extra = {"field": a.field, "record_field": a.record_field} if a.jsonl else {}
        state = run_state(cleaner, options, **extra)
        if not a.force and _outputs_stale(outdir, state, console, has_report=a.report is not None):
            a.force = True
            options = replace(options, force=True)
    if a.jsonl:
        rc = run_jsonl(a, cleaner, outdir, console, to_stdout=to_stdout)
    else:
        rc = _clean_tree(paths, a, cleaner, options, outdir=outdir, console=console)
    if outdir is not None and rc != EXIT_INTERRUPTED and read_state(outdir) != state:
        write_state(outdir, state)
    return rc


def _outputs_stale(outdir: Path, state: dict[str, str], console: Console, *, has_report: bool) -> bool:
    """Whether every output must be rewritten because something other than the inputs changed.

    Why: an output newer than its input is only up to date if the same pack, mode, encoding
    and version produced it. The state of the last complete run is kept in the output folder;
    it is forgotten before a run that changes it, so an interrupted run is never trusted.
    """
    old = read_state(outdir)
    if old == state:
        return False
    write_state(outdir, None)
    if old is not None:
        changed = ", ".join(k for k in state if old.get(k) != state[k]) or "settings"
        console.info(f"-o {outdir} was written with another {changed}: cleaning every input again")
        return True
    if has_report or not any(not p.name.startswith(".") for p in outdir.iterdir()):
        return False  # a report decides file by file; an empty folder has nothing to skip
    console.info(f"no record of what wrote the files in -o {outdir}: cleaning every input again")
    return True


def _clean_to_stdout(path: str, a: argparse.Namespace, cleaner: Cleaner, options: CleanOptions,
                     console: Console) -> int:
    stats = BatchStats()
    source = path
    try:
        data = read_input(path, cleaner.limits.max_bytes) if path != "-" else read_stdin(cleaner.limits.max_bytes)
    except InputError as e:
        res = FileResult(source, None, None, False, f"{type(e).__name__}: {e}", type(e).__name__)
        blob = None
    else:
        res, blob = clean_stream(data, cleaner, options, source=source)
    with report_sink(a.report, "single") as emit:
        if emit is not None:
            emit(res.to_record())
    stats.add(res.ok, res.report, res.bytes_in)
    console.timeouts(source, res.report)
    if blob is not None:
        out = binary_stdout()
        out.write(blob)
        out.flush()
    if not res.ok:
        console.error(f"{source}: {res.error}")
        return EXIT_FAILED
    if res.report is not None:
        console.info(f"{source}: {res.report.summary()}")
    return EXIT_OK


def _clean_tree(paths: Sequence[str], a: argparse.Namespace, cleaner: Cleaner, options: CleanOptions, *,
                outdir: Path | None, console: Console) -> int:
    exclude = [p for p in (outdir, a.report if a.report not in (None, "-") else None) if p is not None]
    items = walk(paths, a, exclude, globs=a.glob, console=console)
    previous = previous_results(a.report) if a.report not in (None, "-") and Path(a.report).exists() else {}
    stats = BatchStats()
    done: set[str] = set()
    jobs = min(resolve_jobs(a.jobs), max(1, len(items)))
    journal = options.in_place and a.report not in (None, "-")
    with report_sink(a.report, "in-place" if options.in_place else "tree", outdir) as emit, \
            console.progress(len(items), "file") as update, graceful_stop(console) as stopped:
        # In place, each line goes to the journal before its file is rewritten; afterwards only
        # failures are added (a skipped file's earlier line is already there).
        for res in clean_files(items, outdir, cleaner, options, jobs=jobs, previous=previous,
                               need_record=a.report is not None, stop=stopped,
                               before_write=(lambda r: emit(r.to_record())) if journal and emit else None):
            done.add(res.source)
            stats.add(res.ok, res.report, res.bytes_in, skipped=res.skipped)
            if emit is not None and not (journal and res.ok):
                emit(res.to_record())
            if not res.ok:
                console.error(f"{res.source}: {res.error}")
            console.timeouts(res.source, res.report)
            update(1)
    if stopped():
        console.error(f"interrupted: {len(done)} of {len(items)} inputs done; " + run_summary(stats, options.mode))
        return EXIT_INTERRUPTED
    if not items:
        # Nothing failed, so not exit 1 (a nightly run over an empty inbox is fine), but say it:
        # a mistyped --glob looks exactly like this.
        console.error("warning: no input files found" + (f" matching {' '.join(a.glob)}" if a.glob else ""))
        return EXIT_OK
    console.info(run_summary(stats, options.mode))
    return EXIT_FAILED if stats.failed else EXIT_OK
