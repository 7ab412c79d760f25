"""The argparse tree of the ``cleantext`` command, and ``main``: parse, run one subcommand, map
what went wrong to an exit status."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn, cast

from ..batch import RECORD_FIELD
from ..config import DEFAULT_LIMITS, __version__
from ..model import MODES
from .clean import cmd_clean
from .console import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE, PROG, UsageError
from .explain import cmd_explain, cmd_review
from .mine import cmd_mine
from .restore import cmd_restore
from .rules import cmd_check_pack, cmd_rules


def _size(text: str) -> int:
    """``--max-bytes 64M``: plain bytes or a K/M/G suffix (powers of 1024)."""
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    mult = 1
    for suffix, m in (("K", 1024), ("M", 1024**2), ("G", 1024**3)):
        if t.endswith(suffix):
            t, mult = t[:-1], m
            break
    try:
        n = int(float(t) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 1048576, 64M, 1G)") from None
    if n <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return n


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per CPU) or more")
    return n


EXIT_HELP = "Exit status: 0 all inputs cleaned, 1 some inputs failed, 2 usage error, 130 interrupted (Ctrl-C)."


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree; kept public so docs and shell completion can introspect it."""
    p = _Parser(
        prog=PROG,
        description="Remove adverts from Chinese documents, with an exact, reversible removal report.",
        epilog=EXIT_HELP,
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def pack_opts(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--pack", action="append", default=[], metavar="PACK.toml",
                        help="rule pack extending the built-ins (repeatable; a later pack overrides)")
        sp.add_argument("--max-bytes", type=_size, default=DEFAULT_LIMITS.max_bytes, metavar="SIZE",
                        help="refuse inputs above this size (default: 256M)")
        sp.add_argument("-v", "--verbose", action="count", default=0, help="show notices on stderr")

    c = sub.add_parser("clean", help="clean files, folders, stdin or JSONL", epilog=EXIT_HELP,
                       description="Clean PATHs (files, folders walked recursively, or - for stdin). One file "
                       "without -o, or -, prints the clean text to stdout and a summary to stderr.")
    c.add_argument("paths", nargs="+", metavar="PATH", help="a file, a folder (walked recursively) or - for stdin")
    c.add_argument("-o", "--output", metavar="OUTDIR", help="write outputs here, mirroring the input tree")
    c.add_argument("--report", metavar="REPORT.jsonl",
                   help="write one JSON line per input (per record with --jsonl); - for stdout")
    pack_opts(c)
    c.add_argument("--mode", choices=MODES, default="remove",
                   help="annotate: keep the text, only report (default: remove)")
    c.add_argument("--encoding", choices=("utf-8", "keep"), default="utf-8",
                   help="utf-8 (default), or keep the source encoding, BOM and bytes")
    c.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N", help="worker processes (0: one per CPU)")
    c.add_argument("--glob", action="append", default=[], metavar="PATTERN",
                   help="only walked files matching PATTERN (name, or relative path if it has /); repeatable")
    c.add_argument("--jsonl", action="store_true", help="inputs are JSONL: clean one field of each record")
    c.add_argument("--field", help="JSONL field to clean (default: text)")
    c.add_argument("--record-field",
                   help=f"JSONL key that receives the report (default: {RECORD_FIELD})")
    c.add_argument("--follow-symlinks", action="store_true",
                   help="follow symbolic links to files and folders met while walking (default: skip them)")
    c.add_argument("--force", action="store_true", help="clean even when the output is up to date")
    c.add_argument("--in-place", action="store_true", help="replace the inputs (needs --report to stay reversible)")
    c.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary; errors still shown")
    c.set_defaults(func=cmd_clean)

    r = sub.add_parser("restore", help="give back the original bytes from outputs and their report",
                       description="Write the exact original bytes of every cleaned file under OUTDIR to DIR.",
                       epilog="Exit status: 0 all restored, 1 some could not be restored (named on stderr), "
                       "2 usage error, 130 interrupted.")
    r.add_argument("outdir", metavar="OUTDIR",
                   help="the folder clean wrote; or one clean file (cleaned to stdout with --report); with --jsonl "
                   "a cleaned JSONL file or a folder of them")
    r.add_argument("--report", metavar="REPORT.jsonl", help="the report clean wrote (not needed with --jsonl)")
    r.add_argument("-o", "--output", metavar="DEST",
                   help="where the originals go: a folder; for one file, a name with an extension is the file "
                   "itself (one JSONL file without -o: stdout)")
    r.add_argument("--jsonl", action="store_true", help="OUTDIR holds cleaned JSONL; restore its records")
    r.add_argument("--field", default="text",
                   help="with --jsonl: the field clean cleaned, which gets its original text back (default: text)")
    r.add_argument("--record-field", default=RECORD_FIELD,
                   help=f"with --jsonl: the key that holds each record's report (default: {RECORD_FIELD})")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary; errors still shown")
    r.set_defaults(func=cmd_restore)

    e = sub.add_parser("explain", help="show a document with each removal marked inline",
                       description="Print FILE with every removal marked [-text-]{rule category zone}, plus "
                       "(absorbed), (blank), (title-copy), (excerpt) or (block) for what no rule matched on its own "
                       "line; "
                       "coloured on a terminal, plain when piped.")
    e.add_argument("file", metavar="FILE", help="a document, or - for stdin")
    e.add_argument("--rule", action="append", default=[], metavar="ID",
                   help="run only this rule (repeatable; `cleantext rules` lists the ids)")
    pack_opts(e)
    e.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="auto: colour when stdout is a terminal and NO_COLOR is unset")
    e.add_argument("--html", action="store_true", help="write a self-contained HTML page instead of text")
    e.add_argument("-o", "--output", metavar="PAGE.html", help="where the --html page goes (default: stdout)")
    e.set_defaults(func=cmd_explain)

    v = sub.add_parser("review", help="a self-contained HTML page of every removal of a clean run",
                       description="Render REPORT.jsonl (from clean --report) as one static HTML page: a summary "
                       "of the whole run, and each document with its removals highlighted in place.")
    v.add_argument("report", metavar="REPORT.jsonl", help="the report a clean run wrote")
    v.add_argument("-o", "--output", metavar="PAGE.html", help="where the page goes (default: stdout)")
    v.add_argument("--outdir", metavar="DIR",
                   help="the folder clean wrote (default: each report line's recorded output path)")
    v.add_argument("--context", type=int, metavar="N", help="kept lines shown around each removal (default: 2)")
    v.add_argument("--max-documents", type=int, metavar="N",
                   help="documents with removals put in the page; more are sampled evenly (default: 10000)")
    v.add_argument("--title", help="page title (default: the report's name)")
    v.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    v.set_defaults(func=cmd_review)

    k = sub.add_parser("check-pack", help="validate rule packs: schema, patterns, examples",
                       description="Validate each PACK.toml on top of the built-ins: schema, pattern "
                       "compilation and every example. Exit 0 all good, 1 problems, 2 unreadable.")
    k.add_argument("packs", nargs="*", metavar="PACK.toml", help="a rule pack file to check")
    k.add_argument("--no-builtins", action="store_true", help="check the pack alone, not on top of the built-ins")
    k.add_argument("--builtins", action="store_true", help="also check the built-in packs shipped with cleantext")
    k.set_defaults(func=cmd_check_pack)

    ls = sub.add_parser("rules", help="list the rules: id, category, scope, zones, description",
                        description="List the rules of the built-in packs (plus --pack files), by category, "
                        "so that `explain --rule ID` can be used without reading TOML.")
    ls.add_argument("select", nargs="*", metavar="ID",
                    help="only these rules: an id, a category, or an id prefix such as contact.im")
    ls.add_argument("--pack", action="append", default=[], metavar="PACK.toml",
                    help="rule pack extending the built-ins (repeatable)")
    ls.add_argument("--anchors", action="store_true",
                    help="only the rules whose removed lines anchor block absorption")
    ls.set_defaults(func=cmd_rules)

    m = sub.add_parser("mine", help="draft rules for your corpus's own furniture (for review)",
                       description="Find lines and line templates that repeat across the documents under PATHs "
                       "where furniture sits (head, tail, page breaks), leave out body text and what the packs "
                       "already remove, and write a draft pack for review.")
    m.add_argument("paths", nargs="+", metavar="PATH", help="documents, or folders walked recursively")
    m.add_argument("-o", "--output", required=True, metavar="DRAFT.toml", help="the draft pack (- for stdout)")
    m.add_argument("--min-docs", type=_jobs, metavar="N",
                   help="a template must repeat in N documents (default: 3 or 0.5%% of them, whichever is more)")
    m.add_argument("--max-rules", type=_jobs, default=100, metavar="N", help="propose at most N rules (default 100)")
    m.add_argument("--report", metavar="MINE.jsonl", help="every template considered, proposed or left out and why")
    pack_opts(m)
    m.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N", help="worker processes (0: one per CPU)")
    m.add_argument("--glob", action="append", default=[], metavar="PATTERN", help="only walked files matching")
    m.add_argument("--jsonl", action="store_true", help="inputs are JSONL: each record's --field is a document")
    m.add_argument("--field", help="JSONL field holding the document (default: text)")
    m.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary; errors still shown")
    m.set_defaults(func=cmd_mine)
    return p


def _subparser(parser: argparse.ArgumentParser, command: str | None) -> argparse.ArgumentParser:
    """The parser of ``command`` (the top-level one when there is none)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and command in action.choices:
            return cast(argparse.ArgumentParser, action.choices[command])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (the console script passes it to ``sys.exit``)."""
    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            # argparse hands a subcommand's unknown options up to the top-level parser, whose usage
            # line says nothing about `clean`'s options: let the subcommand's parser complain.
            _subparser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as e:  # argparse exits on --help and on errors; callers of main() want a number
        return e.code if isinstance(e.code, int) else (EXIT_OK if e.code is None else EXIT_USAGE)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    func = cast(Callable[[argparse.Namespace], int], args.func)
    try:
        return func(args)
    except UsageError as e:
        print(f"{PROG} {args.command}: error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `cleantext clean big.txt | head`: the reader left. Point stdout at /dev/null so the
        # interpreter's final flush does not print a second traceback (Python docs' recipe).
        with contextlib.suppress(OSError, AttributeError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
