"""``cleantext mine``: a draft pack of the furniture that repeats across a corpus (``cleantext.mine``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..batch import atomic_writer, iter_inputs
from .console import EXIT_FAILED, EXIT_OK, Console, UsageError, binary_stdout, configure_logging, load_cleaner
from .reports import report_sink


def cmd_mine(a: argparse.Namespace) -> int:
    """Mine PATHs and write the draft pack (and the report); exit 1 when some inputs failed."""
    from ..mine import mine  # noqa: PLC0415 - only this command needs it

    if a.field is not None and not a.jsonl:
        raise UsageError("--field needs --jsonl")
    if a.report is not None and a.report == a.output:
        raise UsageError("--report and -o name the same file")
    configure_logging(a.verbose)
    cleaner = load_cleaner(a.pack, a.max_bytes)
    console = Console(quiet=a.quiet)
    total = None if a.jsonl else sum(1 for _ in iter_inputs(a.paths, globs=a.glob))
    with console.progress(total, "doc") as update:
        found = mine([Path(p) for p in a.paths], min_docs=a.min_docs, cleaner=cleaner,
                     jsonl_field=(a.field or "text") if a.jsonl else None, globs=a.glob, jobs=a.jobs,
                     max_rules=a.max_rules, progress=update)
    for err in found.errors:
        console.error(err)
    draft = found.draft_pack().encode("utf-8")
    try:
        if a.output == "-":
            binary_stdout().write(draft)
            sys.stdout.flush()
        else:
            with atomic_writer(a.output) as f:
                f.write(draft)
        if a.report is not None:
            with report_sink(a.report) as emit:
                for rec in found.report_records():
                    emit(rec)  # type: ignore[misc]
    except OSError as e:
        raise UsageError(f"cannot write: {e.strerror or e}") from e
    console.info(f"mined {found.summary()}; min_docs {found.min_docs}; draft: {a.output}")
    if found.pruned:
        console.info(f"the counter table dropped {found.pruned} rare templates (counts may be short by up to "
                     f"{found.prune_floor} documents)")
    return EXIT_FAILED if found.failed else EXIT_OK
