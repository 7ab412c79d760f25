"""What every subcommand shares: exit codes, usage errors, the byte streams, stderr messages that
keep a progress bar whole, ``-v`` logging and loading the cleaner (a pack that does not load is a
usage error)."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any, BinaryIO, cast

from .._fs import read_limited
from ..batch import atomic_writer
from ..check import load_pack
from ..config import Limits
from ..engine import Cleaner
from ..errors import RulePackError
from ..report import Report

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

PROG = "cleantext"


class UsageError(Exception):
    """A command line that cannot be run as given: exit 2 with the message."""


def isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def binary_stdout() -> BinaryIO:
    """The byte stream under ``sys.stdout``: clean text goes out as bytes, never re-encoded by the
    locale (a C locale would turn every hanzi into an error)."""
    buf = getattr(sys.stdout, "buffer", None)
    if buf is None:  # pragma: no cover - only when someone replaced sys.stdout with a text-only object
        raise UsageError("stdout has no byte stream; use -o OUTDIR")
    return cast(BinaryIO, buf)


def binary_stdin() -> BinaryIO:
    buf = getattr(sys.stdin, "buffer", None)
    if buf is None:  # pragma: no cover
        raise UsageError("stdin has no byte stream")
    return cast(BinaryIO, buf)


class Console:
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
        if self.quiet or not isatty(sys.stderr):
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


def configure_logging(verbose: int) -> None:
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


def load_cleaner(packs: Sequence[str], max_bytes: int) -> Cleaner:
    """The cleaner for this run; a pack that does not load (built-in ones included) is exit 2."""
    try:
        return Cleaner(load_pack(*packs) if packs else None, Limits(max_bytes=max_bytes))
    except RulePackError as e:
        what = " ".join(str(p) for p in packs) if packs else "--builtins"
        raise UsageError(f"{e} (`cleantext check-pack {what}` lists every problem)") from e


def read_stdin(max_bytes: int) -> bytes:
    return read_limited(binary_stdin(), max_bytes, label="stdin")


def write_page(page: str, output: str | None) -> int:
    """A page to a file (atomically) or stdout, in bytes written; lone surrogates become U+FFFD."""
    data = page.encode("utf-8", errors="replace")
    if output is None or output == "-":
        out = binary_stdout()
        out.write(data)
        out.flush()
    else:
        with atomic_writer(output) as f:
            f.write(data)
    return len(data)
