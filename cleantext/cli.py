"""The ``cleantext`` command: clean files, folders, stdin and JSONL; restore; explain; list rules; check packs.

Everything that is not about argv, terminals and exit codes lives in ``cleantext.batch`` so that
library users get the same behaviour without a subprocess. Exit codes are the contract for
scripts: **0** every input was cleaned, **1** some inputs failed (the others were still processed
and each failure is named on stderr and in the report), **2** usage error (bad options, a pack
that does not load, a report that cannot be read), **130** interrupted.

This is the only module that prints (DESIGN §9).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO, NoReturn, cast

from ._fs import read_limited
from .batch import (
    RECORD_FIELD,
    BatchStats,
    CleanOptions,
    FileResult,
    InputFile,
    OutputEncoding,
    RestoreResult,
    atomic_writer,
    check_writable,
    clean_files,
    clean_jsonl,
    clean_stream,
    get_name,
    iter_inputs,
    json_line,
    jsonl_pool,
    previous_results,
    put_name,
    read_input,
    read_report,
    read_state,
    resolve_jobs,
    restore_file,
    restore_jsonl_bytes,
    restore_report,
    root_name,
    run_state,
    sha256,
    write_state,
)
from .check import check_pack, load_pack
from .config import DEFAULT_LIMITS, Limits, __version__
from .engine import Cleaner
from .errors import CleantextError, InputError, ReportError, RulePackError
from .explain import render_explain
from .model import MODES, Mode
from .report import Cleaned, Report
from .rules import builtin_sources
from .rules.schema import Rule

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

PROG = "cleantext"


class UsageError(Exception):
    """A command line that cannot be run as given: exit 2 with the message."""


# --------------------------------------------------------------------------------------------
# terminal helpers


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _binary_stdout() -> BinaryIO:
    """The byte stream under ``sys.stdout``: clean text goes out as bytes, never re-encoded by the
    locale (a C locale would turn every hanzi into an error)."""
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:  # pragma: no cover - only when someone replaced sys.stdout with a text-only object
        raise UsageError("stdout has no byte stream; use -o OUTDIR")
    return cast(BinaryIO, buf)


def _binary_stdin() -> BinaryIO:
    buf = getattr(sys.stdin, "buffer", None)
    if buf is None:  # pragma: no cover
        raise UsageError("stdin has no byte stream")
    return cast(BinaryIO, buf)


class _Console:
    """stderr messages that do not tear a running progress bar apart."""

    def __init__(self, *, quiet: bool) -> None:
        self.quiet = quiet
        self.bar: Any = None

    def error(self, msg: str) -> None:
        """Always shown, even with ``-q``: a failure must never go unnoticed."""
        self._write(f"{PROG}: {msg}")

    def timeouts(self, where: str, report: Report | None) -> None:
        """A rule that ran out of time left the document partly cleaned: always said, like an error."""
        for n in () if report is None else report.timeouts:
            self.error(f"{where}: warning: {n}")

    def info(self, msg: str) -> None:
        if not self.quiet:
            self._write(f"{PROG}: {msg}")

    def _write(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    @contextlib.contextmanager
    def progress(self, total: int | None, unit: str, *, scale: bool = False) -> Iterator[Callable[[int], None]]:
        """A ``tqdm`` bar on a terminal, nothing otherwise; yields ``update(n)``.

        Why only on a TTY: a bar in a log file is thousands of carriage-return lines. ``tqdm`` is
        imported here, so ``check-pack`` and library users never pay for it.
        """
        if self.quiet or not _isatty(sys.stderr):
            yield lambda n: None
            return
        from tqdm import tqdm  # noqa: PLC0415 - only when a bar is shown

        bar = tqdm(total=total, unit=unit, unit_scale=scale, file=sys.stderr, dynamic_ncols=True, leave=False,
                   mininterval=0.2)
        self.bar = bar
        try:
            yield bar.update
        finally:
            self.bar = None
            bar.close()


def _configure_logging(verbose: int) -> None:
    """``-v`` shows the library's notices (replaced bytes, capped rules, timeouts) on stderr."""
    if verbose <= 0:
        return
    log = logging.getLogger("cleantext")
    if not any(getattr(h, "_cleantext_cli", False) for h in log.handlers):
        h = logging.StreamHandler(sys.stderr)
        h.setFormatter(logging.Formatter(f"{PROG}: %(levelname)s: %(message)s"))
        h._cleantext_cli = True  # type: ignore[attr-defined]
        log.addHandler(h)
    log.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)


# --------------------------------------------------------------------------------------------
# argument parsing


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
                       description="Print FILE with every removal marked [-text-]{rule category zone}; "
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
    v.set_defaults(func=_cmd_review)

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
    m.set_defaults(func=_cmd_mine)
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


# --------------------------------------------------------------------------------------------
# clean


def _load_cleaner(packs: Sequence[str], max_bytes: int) -> Cleaner:
    """The cleaner for this run; a pack that does not load (built-in ones included) is exit 2."""
    try:
        return Cleaner(load_pack(*packs) if packs else None, Limits(max_bytes=max_bytes))
    except RulePackError as e:
        what = " ".join(str(p) for p in packs) if packs else "--builtins"
        raise UsageError(f"{e} (`cleantext check-pack {what}` lists every problem)") from e


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
    _configure_logging(a.verbose)
    cleaner = _load_cleaner(a.pack, a.max_bytes)
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
    console = _Console(quiet=a.quiet)
    options = CleanOptions(mode=cast(Mode, a.mode), encoding=cast(OutputEncoding, a.encoding), force=a.force,
                           in_place=a.in_place)
    if to_stdout:
        if a.jsonl:
            return _clean_jsonl(a, cleaner, outdir, console, to_stdout=to_stdout)
        return _clean_to_stdout(paths[0], a, cleaner, options, console)
    state = None
    if outdir is not None:
        extra = {"field": a.field, "record_field": a.record_field} if a.jsonl else {}
        state = run_state(cleaner, options, **extra)
        if not a.force and _outputs_stale(outdir, state, console, has_report=a.report is not None):
            a.force = True
            options = replace(options, force=True)
    if a.jsonl:
        rc = _clean_jsonl(a, cleaner, outdir, console, to_stdout=to_stdout)
    else:
        rc = _clean_tree(paths, a, cleaner, options, outdir=outdir, console=console)
    if outdir is not None and rc != EXIT_INTERRUPTED and read_state(outdir) != state:
        write_state(outdir, state)
    return rc


def _outputs_stale(outdir: Path, state: dict[str, str], console: _Console, *, has_report: bool) -> bool:
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
def _report_sink(path: str | None, kind: ReportKind = "single", outdir: Path | None = None
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
        out = _binary_stdout()

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


def _clean_to_stdout(path: str, a: argparse.Namespace, cleaner: Cleaner, options: CleanOptions,
                     console: _Console) -> int:
    stats = BatchStats()
    source = path
    try:
        data = read_input(path, cleaner.limits.max_bytes) if path != "-" else _read_stdin(cleaner.limits.max_bytes)
    except InputError as e:
        res = FileResult(source, None, None, False, f"{type(e).__name__}: {e}", type(e).__name__)
        blob = None
    else:
        res, blob = clean_stream(data, cleaner, options, source=source)
    with _report_sink(a.report, "single") as emit:
        if emit is not None:
            emit(res.to_record())
    stats.add(res.ok, res.report, res.bytes_in)
    console.timeouts(source, res.report)
    if blob is not None:
        out = _binary_stdout()
        out.write(blob)
        out.flush()
    if not res.ok:
        console.error(f"{source}: {res.error}")
        return EXIT_FAILED
    if res.report is not None:
        console.info(f"{source}: {res.report.summary()}")
    return EXIT_OK


def _read_stdin(max_bytes: int) -> bytes:
    return read_limited(_binary_stdin(), max_bytes, label="stdin")


def _walk(paths: Sequence[str], a: argparse.Namespace, exclude: Sequence[str | Path], *, globs: Sequence[str],
          console: _Console) -> list[InputFile]:
    """The inputs of a run; symbolic links skipped while walking are said on stderr, once."""
    links: list[Path] = []
    items = list(iter_inputs(paths, globs=globs, exclude=exclude, follow_symlinks=a.follow_symlinks,
                             skipped_links=links))
    if links:
        console.info(f"skipped {len(links)} symbolic link(s) (e.g. {links[0]}); --follow-symlinks cleans what "
                     "they point to")
    return items


def _clean_tree(paths: Sequence[str], a: argparse.Namespace, cleaner: Cleaner, options: CleanOptions, *,
                outdir: Path | None, console: _Console) -> int:
    exclude = [p for p in (outdir, a.report if a.report not in (None, "-") else None) if p is not None]
    items = _walk(paths, a, exclude, globs=a.glob, console=console)
    previous = previous_results(a.report) if a.report not in (None, "-") and Path(a.report).exists() else {}
    stats = BatchStats()
    done: set[str] = set()
    jobs = min(resolve_jobs(a.jobs), max(1, len(items)))
    journal = options.in_place and a.report not in (None, "-")
    with _report_sink(a.report, "in-place" if options.in_place else "tree", outdir) as emit, \
            console.progress(len(items), "file") as update, _graceful_stop(console) as stopped:
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
        console.error(f"interrupted: {len(done)} of {len(items)} inputs done; " + _summary(stats, options.mode))
        return EXIT_INTERRUPTED
    if not items:
        # Nothing failed, so not exit 1 (a nightly run over an empty inbox is fine), but say it:
        # a mistyped --glob looks exactly like this.
        console.error("warning: no input files found" + (f" matching {' '.join(a.glob)}" if a.glob else ""))
        return EXIT_OK
    console.info(_summary(stats, options.mode))
    return EXIT_FAILED if stats.failed else EXIT_OK


def _summary(stats: BatchStats, mode: Mode) -> str:
    """The run's summary line; in annotate mode nothing was removed, only found."""
    line = stats.summary()
    return line.replace(", removed ", ", found ", 1) if mode == "annotate" else line


@contextlib.contextmanager
def _graceful_stop(console: _Console) -> Iterator[Callable[[], bool]]:
    """First Ctrl-C: finish the files in progress, write the report, exit 130. Second: abort.

    Why: in a long in-place run an abrupt stop could leave a rewritten file whose report line was
    never written, and then the original is gone. Outside the main thread (a library caller's
    worker thread) signals cannot be caught, so the default behaviour stays.
    """
    flag: list[bool] = []
    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return

    def handler(signum: int, frame: object) -> None:
        if flag:
            raise KeyboardInterrupt
        flag.append(True)
        console.error("stopping after the files in progress (Ctrl-C again to abort)")

    old = signal.signal(signal.SIGINT, handler)
    try:
        yield lambda: bool(flag)
    finally:
        signal.signal(signal.SIGINT, old)


def _clean_jsonl(a: argparse.Namespace, cleaner: Cleaner, outdir: Path | None, console: _Console, *,
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
        items = _walk(paths, a, exclude, globs=a.glob or ["*.jsonl"], console=console)
    jobs = resolve_jobs(a.jobs)
    with _report_sink(a.report, "jsonl") as emit, contextlib.ExitStack() as stack:
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
    console.info(_summary(stats, mode))
    return EXIT_FAILED if stats.failed else EXIT_OK


def _newer(out: Path, src: Path) -> bool:
    try:
        return out.stat().st_mtime_ns > src.stat().st_mtime_ns
    except OSError:
        return False


def _clean_jsonl_file(it: InputFile, source: str, out: Path | None, cleaner: Cleaner, a: argparse.Namespace, *,
                      mode: Mode, stats: BatchStats, console: _Console,
                      emit: Callable[[dict[str, Any]], None] | None, pool: Executor | None) -> None:
    with contextlib.ExitStack() as stack:
        if source == "-":
            src: BinaryIO = _binary_stdin()
            total = None
        else:
            try:
                src = stack.enter_context(it.path.open("rb"))
            except OSError as e:
                raise InputError(f"cannot read: {e.strerror or e}") from e
            total = os.fstat(src.fileno()).st_size
        dst: BinaryIO
        if out is None:
            dst = _binary_stdout()
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


# --------------------------------------------------------------------------------------------
# restore


def cmd_restore(a: argparse.Namespace) -> int:
    console = _Console(quiet=a.quiet)
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


def _restore_jsonl(a: argparse.Namespace, src: Path, console: _Console) -> int:
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
                dst = _binary_stdout() if out is None else stack.enter_context(atomic_writer(out))
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


# --------------------------------------------------------------------------------------------
# explain

def _use_color(choice: str, stream: IO[Any]) -> bool:
    if choice != "auto":
        return choice == "always"
    return _isatty(stream) and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def cmd_explain(a: argparse.Namespace) -> int:
    _configure_logging(a.verbose)
    cleaner = _load_cleaner(a.pack, a.max_bytes)
    known = {r.id for r in cleaner.pack.rules} | {g.id for g in cleaner.pack.signals}
    unknown = [r for r in a.rule if r not in known]
    if unknown:
        raise UsageError(f"unknown rule id {unknown[0]!r}; {_suggest(unknown[0], cleaner.pack.rules)}")
    source = a.file
    try:
        data = _read_stdin(cleaner.limits.max_bytes) if source == "-" else read_input(source, cleaner.limits.max_bytes)
        res = cleaner.clean_bytes(data, "annotate", only=a.rule or None)
    except CleantextError as e:
        print(f"{PROG}: {source}: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    if a.html or a.output:
        return _explain_html(a, source, res)
    color = _use_color(a.color, sys.stdout)
    out = _binary_stdout()
    shown = render_explain(res.text, res.report.removals, color=color, thresholds=cleaner.scorer.thresholds)
    out.write(shown.encode("utf-8", errors="replace"))
    out.flush()
    print(f"{PROG}: {source}: {res.report.summary()}", file=sys.stderr)
    for n in res.report.notices:
        print(f"{PROG}: {source}: notice: {n}", file=sys.stderr)
    return EXIT_OK


def _suggest(wanted: str, rules: Sequence[Rule]) -> str:
    """Near ids for a mistyped ``--rule``: close spellings of the name after the category (within
    the category when it exists), else that category's rules, else the categories."""
    by_category: dict[str, list[str]] = {}
    for r in rules:
        by_category.setdefault(r.category, []).append(r.id)
    category, _, name = wanted.rpartition(".")
    ids = sorted(r.id for r in rules)
    pool = sorted(by_category.get(category, ()))
    close: list[str] = []
    for group in (pool, ids):  # the named category first, then any category
        names = {i.split(".", 1)[-1]: i for i in group}
        close += [names[n] for n in difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.6)]
    if not pool:  # a misspelt category: compare whole ids
        close += difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    close = list(dict.fromkeys(close))
    if close:
        return f"did you mean {', '.join(close[:3])}? (`cleantext rules` lists every rule)"
    if category in by_category:
        return f"rules of {category}: {', '.join(pool)}"
    cats = ", ".join(f"{c} ({len(v)})" for c, v in sorted(by_category.items()))
    return f"no rule is close; categories: {cats} (`cleantext rules CATEGORY` lists one)"


# --------------------------------------------------------------------------------------------
# rules


def format_rules(rules: Sequence[Rule]) -> list[str]:
    """One line per rule, grouped by category: id, scope, zones, ``anchor``, description."""
    width = max((len(r.id) for r in rules), default=0)
    lines: list[str] = []
    for category in sorted({r.category for r in rules}):
        group = sorted((r for r in rules if r.category == category), key=lambda r: r.id)
        lines.append(f"{category} ({len(group)} rule{'' if len(group) == 1 else 's'})")
        for r in group:
            zones = ",".join(r.zone)
            anchor = "anchor" if r.anchor and r.scope != "span" else ""
            lines.append(f"  {r.id:<{width}}  {r.scope:<5}  {zones:<14}  {anchor:<6}  {r.description}".rstrip())
    return lines


def cmd_rules(a: argparse.Namespace) -> int:
    pack = _load_cleaner(a.pack, DEFAULT_LIMITS.max_bytes).pack
    rules: list[Rule] = list(pack.rules)
    if a.anchors:
        rules = [r for r in rules if r.anchor and r.scope != "span"]
    if a.select:
        picked = [r for r in rules if any(s in (r.id, r.category) or r.id.startswith(s) for s in a.select)]
        if not picked:
            raise UsageError(f"no rule matches {' '.join(a.select)}; {_suggest(a.select[0], rules)}")
        rules = picked
    out = _binary_stdout()
    out.write("".join(f"{line}\n" for line in format_rules(rules)).encode("utf-8"))
    out.flush()
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# review (HTML pages)


def _write_page(page: str, output: str | None) -> int:
    """A page to a file (atomically) or stdout, in bytes written; lone surrogates become U+FFFD."""
    data = page.encode("utf-8", errors="replace")
    if output is None or output == "-":
        out = _binary_stdout()
        out.write(data)
        out.flush()
    else:
        with atomic_writer(output) as f:
            f.write(data)
    return len(data)


def _explain_html(a: argparse.Namespace, source: str, res: Cleaned) -> int:
    from .review import render_document  # noqa: PLC0415 - only this command needs the page renderer

    if not a.html:
        raise UsageError("-o is for --html pages; redirect stdout to save the text")
    _write_page(render_document(source, res.text, res.report), a.output)
    print(f"{PROG}: {source}: {res.report.summary()}", file=sys.stderr)
    return EXIT_OK


def _cmd_review(a: argparse.Namespace) -> int:
    from .review import render_review  # noqa: PLC0415 - only this command needs the page renderer

    limits = {k: v for k, v in (("context", a.context), ("max_documents", a.max_documents)) if v is not None}
    if limits.get("context", 0) < 0 or limits.get("max_documents", 1) < 1:
        raise UsageError("--context must be >= 0 and --max-documents >= 1")
    report = Path(a.report)
    try:
        page = render_review(read_report(report), outdir=a.outdir, base=report.parent,
                             title=a.title or f"cleantext review: {report.name}", **limits)
    except (OSError, ReportError) as e:
        raise UsageError(f"cannot read {a.report}: {e}") from e
    size = _write_page(page, a.output)
    if not a.quiet:
        print(f"{PROG}: {a.output or 'stdout'}: review page of {a.report} ({size / 1e6:.2f} MB)", file=sys.stderr)
    return EXIT_OK


# --------------------------------------------------------------------------------------------
# check-pack


def cmd_check_pack(a: argparse.Namespace) -> int:
    if not a.packs and not a.builtins:
        raise UsageError("name at least one PACK.toml (or --builtins)")
    status = EXIT_OK
    ctx = builtin_sources()
    # (name, text or None to read from disk, context the pack is merged onto)
    checks: list[tuple[str, str | None, tuple[tuple[str, str], ...]]] = []
    if a.builtins:
        checks += [(n, t, ctx) for n, t in ctx]
    checks += [(p, None, () if a.no_builtins else ctx) for p in a.packs]
    for name, text, context in checks:
        try:
            body = Path(name).read_text(encoding="utf-8") if text is None else text
        except (OSError, UnicodeDecodeError) as e:
            reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
            print(f"{PROG}: {name}: cannot read: {reason}", file=sys.stderr)
            status = EXIT_USAGE
            continue
        problems, n_rules, n_examples = check_pack(name, body, context=context)
        for p in problems:
            print(p)
        if problems:
            print(f"{name}: {len(problems)} problem{'' if len(problems) == 1 else 's'}")
            status = max(status, EXIT_FAILED)
        else:
            print(f"{name}: ok ({n_rules} rules, {n_examples} examples)")
    return status


# --------------------------------------------------------------------------------------------
# mine


def _cmd_mine(a: argparse.Namespace) -> int:
    """Mine PATHs and write the draft pack (and the report); exit 1 when some inputs failed."""
    from .mine import mine  # noqa: PLC0415 - only this command needs it

    if a.field is not None and not a.jsonl:
        raise UsageError("--field needs --jsonl")
    if a.report is not None and a.report == a.output:
        raise UsageError("--report and -o name the same file")
    _configure_logging(a.verbose)
    cleaner = _load_cleaner(a.pack, a.max_bytes)
    console = _Console(quiet=a.quiet)
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
            _binary_stdout().write(draft)
            sys.stdout.flush()
        else:
            with atomic_writer(a.output) as f:
                f.write(draft)
        if a.report is not None:
            with _report_sink(a.report) as emit:
                for rec in found.report_records():
                    emit(rec)  # type: ignore[misc]
    except OSError as e:
        raise UsageError(f"cannot write: {e.strerror or e}") from e
    console.info(f"mined {found.summary()}; min_docs {found.min_docs}; draft: {a.output}")
    if found.pruned:
        console.info(f"the counter table dropped {found.pruned} rare templates (counts may be short by up to "
                     f"{found.prune_floor} documents)")
    return EXIT_FAILED if found.failed else EXIT_OK


__all__ = [
    "EXIT_FAILED",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "format_rules",
    "main",
]
