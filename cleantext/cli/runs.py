"""What the runs over many inputs share: walking the inputs, the summary line, a graceful Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from ..batch import BatchStats, InputFile, iter_inputs
from ..model import Mode
from .console import Console


def walk(paths: Sequence[str], a: argparse.Namespace, exclude: Sequence[str | Path], *, globs: Sequence[str],
          console: Console) -> list[InputFile]:
    """The inputs of a run; symbolic links skipped while walking are said on stderr, once."""
    links: list[Path] = []
    items = list(iter_inputs(paths, globs=globs, exclude=exclude, follow_symlinks=a.follow_symlinks,
                             skipped_links=links))
    if links:
        console.info(f"skipped {len(links)} symbolic link(s) (e.g. {links[0]}); --follow-symlinks cleans what "
                     "they point to")
    return items


def run_summary(stats: BatchStats, mode: Mode) -> str:
    """The run's summary line; in annotate mode nothing was removed, only found."""
    line = stats.summary()
    return line.replace(", removed ", ", found ", 1) if mode == "annotate" else line


@contextlib.contextmanager
def graceful_stop(console: Console) -> Iterator[Callable[[], bool]]:
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
