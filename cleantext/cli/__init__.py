"""The ``cleantext`` command: clean files, folders, stdin and JSONL; restore; explain; list rules; check packs.

Everything that is not about argv, terminals and exit codes lives in ``cleantext.batch`` so that
library users get the same behaviour without a subprocess. Exit codes are the contract for
scripts: **0** every input was cleaned, **1** some inputs failed (the others were still processed
and each failure is named on stderr and in the report), **2** usage error (bad options, a pack
that does not load, a report that cannot be read), **130** interrupted.

This package is the only code that prints (DESIGN §9): ``parser`` (the argparse tree and
``main``), ``console`` (exit codes, streams, stderr), one module per subcommand group (``clean``
with ``jsonl``, ``reports`` and ``runs``; ``restore``; ``explain`` with ``review``; ``rules`` with
``check-pack``; ``mine``).
"""

from __future__ import annotations

from .console import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from .parser import build_parser, main
from .rules import format_rules

__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "format_rules",
    "main",
]
