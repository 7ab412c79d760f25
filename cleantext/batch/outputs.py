"""Outputs: their encoding, the options of a run, the run state of an output folder."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .._fs import atomic_writer, write_atomic
from ..config import __version__
from ..engine import Cleaner
from ..model import Mode
from ..report import Cleaned, Report

OutputEncoding = Literal["utf-8", "keep"]
"""``utf-8``: outputs are UTF-8 whatever the source was (what corpora want). ``keep``: the source
encoding, BOM and original bytes of odd spans (what an in-place edit of a legacy archive wants)."""


def encode_output(cleaned: Cleaned, encoding: OutputEncoding = "utf-8") -> bytes:
    """The bytes a batch writes for ``cleaned``: UTF-8 (no BOM, line endings kept) or ``to_bytes()``."""
    if encoding == "keep":
        return cleaned.to_bytes()
    if encoding != "utf-8":
        raise ValueError(f"encoding must be 'utf-8' or 'keep', not {encoding!r}")
    return cleaned.text.encode("utf-8")


def decode_output(data: bytes, report: Report, encoding: OutputEncoding) -> str:
    """Read back clean text written by ``encode_output`` (the inverse ``restore`` needs).

    A ``keep`` output is decoded the way the source was: BOM stripped, the payload codec, strict
    when the source decoded losslessly (so a damaged file is noticed) and with replacement
    otherwise (where the source had replacement characters too).
    """
    if encoding == "utf-8":
        return data.decode("utf-8")
    enc = report.encoding
    bom = enc.bom_bytes
    if bom and data.startswith(bom):
        data = data[len(bom) :]
    return data.decode(enc.payload_codec, errors="strict" if enc.lossless else "replace")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_writable(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` if needed and check that files can be written in it, before any work.

    Why a real probe: ``os.access`` says yes to root on a read-only mount; a read-only output
    folder found this way is one clear error instead of one failure per input.
    """
    with atomic_writer(Path(folder) / ".cleantext-probe") as f:
        f.write(b"")
    with contextlib.suppress(OSError):
        os.unlink(Path(folder) / ".cleantext-probe")


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """How a batch cleans and writes; the same for every file of a run."""

    mode: Mode = "remove"
    encoding: OutputEncoding = "utf-8"
    force: bool = False
    """Clean even when the output is up to date."""
    in_place: bool = False
    """Outputs replace their inputs (the caller keeps the report, or nothing can be restored)."""


STATE_FILE = ".cleantext-state.json"
"""Written in an output folder after each complete run: what produced its outputs. A dot-file,
so walking the folder as input later skips it."""


def run_state(cleaner: Cleaner, options: CleanOptions, **extra: str) -> dict[str, str]:
    """What decides the bytes of an output besides its input: without a report, a rerun may only
    skip an up-to-date output when this is what produced it."""
    return {"cleantext": __version__, "pack": cleaner.pack.ref.sha256, "mode": options.mode,
            "encoding": options.encoding, **extra}


def read_state(outdir: str | os.PathLike[str]) -> dict[str, str] | None:
    """The state of the last complete run into ``outdir``; ``None`` if absent or unreadable."""
    try:
        d = json.loads(Path(outdir, STATE_FILE).read_bytes())
    except (OSError, ValueError):
        return None
    return {str(k): str(v) for k, v in d.items()} if isinstance(d, dict) else None


def write_state(outdir: str | os.PathLike[str], state: Mapping[str, str] | None) -> None:
    """Record ``state`` for ``outdir`` (``None``: forget it, before a run that changes it)."""
    path = Path(outdir, STATE_FILE)
    if state is None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    write_atomic(path, json.dumps(dict(state), sort_keys=True).encode("utf-8") + b"\n")
