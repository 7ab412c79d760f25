"""Files in and out, each done once for the library: an input read within the size limit (the
API's ``clean_file``, the batch layer, the CLI's stdin), and atomic writes, where a file appears
under its name complete or not at all (the batch layer, and ``cleantext.testing``, which must not
import the batch layer).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .config import DEFAULT_LIMITS
from .errors import InputError, InputTooLargeError


def read_input(path: str | os.PathLike[str], max_bytes: int = DEFAULT_LIMITS.max_bytes, *, label: str = "") -> bytes:
    """The bytes of ``path``; a file above ``max_bytes`` is refused before it is read.

    Raises ``InputTooLargeError`` or ``InputError`` (with the OS reason: not found, permission
    denied, is a directory) so that a batch can record it and go on. ``label`` starts the
    message (``clean_file`` names the path; a batch records it beside the message).
    """
    prefix = f"{label}: " if label else ""
    p = Path(path)
    try:
        with p.open("rb") as f:
            st = os.fstat(f.fileno())
            if stat.S_ISREG(st.st_mode) and st.st_size > max_bytes:
                raise InputTooLargeError(f"{prefix}{st.st_size} bytes, above the limit of {max_bytes}")
            return read_limited(f, max_bytes, label=label)
    except IsADirectoryError as e:
        raise InputError(f"{prefix}is a directory") from e
    except OSError as e:
        raise InputError(f"{prefix}cannot read: {e.strerror or e}") from e


def read_limited(stream: BinaryIO, max_bytes: int, *, label: str = "") -> bytes:
    """At most ``max_bytes`` of an open stream, else ``InputTooLargeError``: pipes, stdin and
    growing files have no trustworthy size, so the limit holds on what is read (one byte more)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputTooLargeError(f"{label + ': ' if label else ''}more than {max_bytes} bytes, the limit")
    return data


def write_atomic(path: str | os.PathLike[str], data: bytes, *, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Why: a reader (or a rerun after Ctrl-C) sees either the old file or the complete new one,
    never a prefix. The temporary name starts with a dot so folder walks skip leftovers of a
    killed process. ``mode`` defaults to what ``open()`` would give (0o666 minus the umask)
    instead of ``mkstemp``'s 0o600, so outputs are as readable as any other file. No fsync: that
    guards against power loss, not interruption, and costs milliseconds per small file.
    """
    with atomic_writer(path, mode=mode) as f:
        f.write(data)


_UMASK: int | None = None


def _default_mode() -> int:
    global _UMASK  # noqa: PLW0603 - read once per process: os.umask can only be read by setting it
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return 0o666 & ~_UMASK


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], *, mode: int | None = None) -> Iterator[BinaryIO]:
    """A binary file that appears at ``path`` only when the ``with`` block ends without error.

    The streaming twin of ``write_atomic`` for outputs too big to hold in memory (JSONL, reports).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:  # name the folder, not our temporary file
        raise OSError(e.errno, f"cannot write in the folder {target.parent}: {e.strerror or e}") from e
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, _default_mode() if mode is None else mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
