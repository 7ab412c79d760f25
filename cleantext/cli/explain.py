"""``cleantext explain`` (text or one HTML page) and ``cleantext review`` (the page of a whole run).

The rendering is library code (``cleantext.explain``, ``cleantext.review``); this only reads the
input, picks colour and prints."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import IO, Any

from ..batch import read_input, read_report
from ..errors import CleantextError, ReportError
from ..explain import render_explain
from ..report import Cleaned
from .console import (
    EXIT_FAILED,
    EXIT_OK,
    PROG,
    UsageError,
    binary_stdout,
    configure_logging,
    isatty,
    load_cleaner,
    read_stdin,
    write_page,
)
from .rules import suggest


def _use_color(choice: str, stream: IO[Any]) -> bool:
    if choice != "auto":
        return choice == "always"
    return isatty(stream) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def cmd_explain(a: argparse.Namespace) -> int:
    configure_logging(a.verbose)
    cleaner = load_cleaner(a.pack, a.max_bytes)
    known = {r.id for r in cleaner.pack.rules} | {g.id for g in cleaner.pack.signals}
    unknown = [r for r in a.rule if r not in known]
    if unknown:
        raise UsageError(f"unknown rule id {unknown[0]!r}; {suggest(unknown[0], cleaner.pack.rules)}")
    source = a.file
    try:
        data = read_stdin(cleaner.limits.max_bytes) if source == "-" else read_input(source, cleaner.limits.max_bytes)
        res = cleaner.clean_bytes(data, "annotate", only=a.rule or None)
    except CleantextError as e:
        print(f"{PROG}: {source}: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    if a.html or a.output:
        return _explain_html(a, source, res)
    color = _use_color(a.color, sys.stdout)
    out = binary_stdout()
    shown = render_explain(res.text, res.report.removals, color=color, thresholds=cleaner.scorer.thresholds)
    out.write(shown.encode("utf-8", errors="replace"))
    out.flush()
    print(f"{PROG}: {source}: {res.report.summary()}", file=sys.stderr)
    for n in res.report.notices:
        print(f"{PROG}: {source}: notice: {n}", file=sys.stderr)
    return EXIT_OK


def _explain_html(a: argparse.Namespace, source: str, res: Cleaned) -> int:
    from ..review import render_document  # noqa: PLC0415 - only this command needs the page renderer

    if not a.html:
        raise UsageError("-o is for --html pages; redirect stdout to save the text")
    write_page(render_document(source, res.text, res.report), a.output)
    print(f"{PROG}: {source}: {res.report.summary()}", file=sys.stderr)
    return EXIT_OK


def cmd_review(a: argparse.Namespace) -> int:
    from ..review import render_review  # noqa: PLC0415 - only this command needs the page renderer

    limits = {k: v for k, v in (("context", a.context), ("max_documents", a.max_documents)) if v is not None}
    if limits.get("context", 0) < 0 or limits.get("max_documents", 1) < 1:
        raise UsageError("--context must be >= 0 and --max-documents >= 1")
    report = Path(a.report)
    try:
        page = render_review(read_report(report), outdir=a.outdir, base=report.parent,
                             title=a.title or f"cleantext review: {report.name}", **limits)
    except (OSError, ReportError) as e:
        raise UsageError(f"cannot read {a.report}: {e}") from e
    size = write_page(page, a.output)
    if not a.quiet:
        print(f"{PROG}: {a.output or 'stdout'}: review page of {a.report} ({size / 1e6:.2f} MB)", file=sys.stderr)
    return EXIT_OK
