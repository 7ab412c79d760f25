"""Golden-file checks for cleaned documents: the ``cleantext_golden`` fixture object.

This is the logic behind the pytest plugin; ``cleantext.testing.plugin`` keeps only hooks, options
and the fixture and imports this module the first time a test asks for ``cleantext_golden`` or
``--cleantext-packs`` names a pack, so a test run that uses neither never pays for it.

Golden files, one pair per check, in the golden directory (``golden/`` next to the test file unless
``golden_dir=`` or the ``cleantext_golden_dir`` ini option says otherwise):

``<basename>.txt``
    The clean text (``Cleaned.text``) as UTF-8, byte for byte: line endings as in the source (CRLF,
    lone CR, mixed), invisible characters kept. Written and read in binary and compared as bytes.
    **No BOM is added**: a source BOM belongs to the encoding, not the text (DESIGN.md §3), so it is
    recorded as ``"bom": true`` in the ``.json``; a U+FEFF that is part of the text (a BOM repeated
    inside the document) stays in the ``.txt`` like any other character. UTF-8 for every source
    encoding so that golden files of GBK, Big5 and UTF-16 inputs are all readable and diffable.
``<basename>.json``
    ``Report.to_dict()`` without the ``VOLATILE_FIELDS``: keys sorted, two-space indent, UTF-8
    with Chinese as is, invisible characters written as JSON escapes (``\\u200b``) so a reviewer
    sees them. It is compared as parsed data, so re-indenting the file does no harm.

A mismatch writes ``<golden>.obtained`` sidecars (``*.obtained`` belongs in ``.gitignore``) and
fails with a diff in which invisible characters are visible and with the removals that appeared or
disappeared, by rule id. ``--cleantext-regen`` rewrites the golden files and fails the test, as
pytest-regressions does, so a regeneration is never silently green.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .. import api
from .._fs import write_atomic
from ..report import Cleaned
from ..visible import LEGEND

if TYPE_CHECKING:
    pass

from .diffs import report_changes, text_diff
from .golden_files import _read_json, dump_report, dump_text, golden_report, load_text

RawInput = bytes | bytearray | memoryview | str | os.PathLike[str]
"""What ``check`` accepts: bytes are decoded like a file, ``str`` is cleaned as text (it is never
taken for a path: wrap paths in ``pathlib.Path``), a path is read with ``clean_file``."""

MAX_BASENAME = 100
"""Longer default basenames (long parametrize ids) are cut and get a hash suffix."""

REGEN_HINT = (
    "run `pytest --cleantext-regen` to write the golden files (that run fails on purpose), review and commit them"
)

_UNSAFE = re.compile(r"[^\w\-]+")


def default_basename(test_name: str) -> str:
    """A file-name-safe basename from a test name: ``test_doc[a/b-中文]`` → ``test_doc_a_b-中文``.
    Dots go too (``test_x[a.txt]`` → ``test_x_a_txt``), so no golden file is ``test_x_a.txt.txt``.
    Long names (long parametrize ids) are cut and get a hash suffix so they stay distinct."""
    s = _UNSAFE.sub("_", test_name).strip("._") or "golden"
    if len(s) > MAX_BASENAME:
        digest = hashlib.sha1(test_name.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
        s = f"{s[: MAX_BASENAME - 11]}-{digest[:10]}"
    return s


def _check_basename(basename: str) -> str:
    if (
        not basename
        or basename in {".", ".."}
        or basename != basename.strip()
        or any(c in basename for c in '/\\:*?"<>|\0')
    ):
        raise ValueError(
            f"cleantext_golden: basename {basename!r} must be a plain file name (no path separators); "
            "use golden_dir= to choose the directory"
        )
    return basename


def _obtained(path: Path) -> Path:
    return path.with_name(path.name + ".obtained")


def clean_raw(raw: RawInput, pack: api.PackArg = None) -> Cleaned:
    """Clean ``raw`` the way ``check`` does: bytes-like → ``clean_bytes``, ``str`` → ``clean``,
    path → ``clean_file``."""
    if isinstance(raw, bytes | bytearray | memoryview):
        return api.clean_bytes(bytes(raw), pack=pack)
    if isinstance(raw, str):
        return api.clean(raw, pack=pack)
    if isinstance(raw, os.PathLike):
        return api.clean_file(os.fsdecode(raw), pack=pack)
    raise TypeError(
        f"cleantext_golden.check: raw must be bytes, str (text) or a path (os.PathLike), not {type(raw).__name__}"
    )


def relative_to(pack: api.PackArg, base: Path) -> api.PackArg:
    """Pack paths resolved against ``base`` (the test file's folder), like ``golden_dir``: a
    test must not depend on the directory pytest was started from."""
    if isinstance(pack, str | os.PathLike):
        return base / pack
    if isinstance(pack, Sequence):
        return [base / p for p in pack]
    return pack


@dataclass(repr=False)
class GoldenChecker:
    """The ``cleantext_golden`` fixture: ``check`` cleans a document and compares the clean text
    and the report with golden files."""

    test_dir: Path
    """Directory of the test file; relative ``golden_dir`` values are resolved against it."""
    test_name: str
    nodeid: str
    regen: bool
    golden_dir: Path
    """Default directory for golden files: the ini option ``cleantext_golden_dir`` or
    ``<test dir>/golden``."""
    rootpath: Path
    claimed: dict[Path, str]
    """Session-wide: golden file → node id of the test that uses it, to catch two tests sharing one
    file (they would overwrite each other on every regeneration)."""
    tally: Counter[str] = field(default_factory=Counter)
    """Session-wide counts for the terminal summary: ``new``/``changed``/``unchanged`` golden files
    written by ``--cleantext-regen``, ``failed`` checks, ``obtained`` sidecars written."""
    written: list[tuple[Path, str]] = field(default_factory=list)
    """Files written by ``--cleantext-regen`` in this test, with ``new``/``changed``/``unchanged``.
    The plugin fails the test after its body ran, so every check of the test is regenerated in one
    run."""
    _used: set[Path] = field(default_factory=set)

    def check(
        self,
        raw: RawInput,
        basename: str | None = None,
        *,
        pack: api.PackArg = None,
        golden_dir: str | os.PathLike[str] | None = None,
    ) -> Cleaned:
        """Clean ``raw`` and compare with ``<golden_dir>/<basename>.txt`` and ``.json``.

        ``raw``: bytes (decoded like a file), ``str`` (cleaned as text, never taken for a path) or
        a path. ``basename`` defaults to the test name, made file-name safe (parametrize ids
        included). ``pack`` is passed to ``cleantext.clean*``, a relative pack path taken relative
        to the test file. ``golden_dir`` overrides the directory; a relative one is relative to the
        test file too. Returns the ``Cleaned`` result, for
        further assertions.
        """
        __tracebackhide__ = True
        name = default_basename(self.test_name) if basename is None else _check_basename(basename)
        directory = self.golden_dir if golden_dir is None else self.test_dir / Path(golden_dir)
        txt_path, json_path = directory / f"{name}.txt", directory / f"{name}.json"
        self._claim(name, txt_path)
        res = clean_raw(raw, relative_to(pack, self.test_dir))
        obtained_dict = golden_report(res.report)
        obtained = {txt_path: dump_text(res.text), json_path: dump_report(obtained_dict)}
        if self.regen:
            for path, data in obtained.items():
                old = path.read_bytes() if path.is_file() else None
                write_atomic(path, data)
                _obtained(path).unlink(missing_ok=True)
                state = "new" if old is None else "unchanged" if old == data else "changed"
                self.written.append((path, state))
                self.tally[state] += 1
            return res
        missing = [p for p in obtained if not p.is_file()]
        text_problems = [] if txt_path in missing else self._compare_text(txt_path, res.text, obtained[txt_path])
        report_problems = [] if json_path in missing else self._compare_report(json_path, obtained_dict)
        problems = text_problems + report_problems
        differing = [
            p for p, found in ((txt_path, text_problems), (json_path, report_problems)) if p in missing or found
        ]
        for path, data in obtained.items():
            if path in differing:
                write_atomic(_obtained(path), data)
            else:
                _obtained(path).unlink(missing_ok=True)
        if differing:
            self.tally["failed"] += 1
            self.tally["obtained"] += len(differing)
            pytest.fail(self._failure(name, missing, problems, differing))
        return res

    def _compare_text(self, path: Path, text: str, data: bytes) -> list[str]:
        golden = path.read_bytes()
        if golden == data:
            return []
        shown = self._show(path)
        diff = text_diff(load_text(golden), text, shown, "obtained")
        return [f"clean text differs from {shown}:", "  " + LEGEND, *("  " + line for line in diff)]

    def _compare_report(self, path: Path, obtained: dict[str, Any]) -> list[str]:
        golden, error = _read_json(path)
        if golden == obtained:
            return []
        shown = self._show(path)
        lines = [f"report differs from {shown}:"]
        if error:
            lines.append(f"  the golden file cannot be read: {error}")
        lines.extend("  " + line for line in report_changes(golden, obtained, shown))
        return lines

    def _failure(self, name: str, missing: list[Path], problems: list[str], differing: list[Path]) -> str:
        lines = [f"cleantext golden check {name!r} failed"]
        if missing:
            lines.append("golden file(s) missing: " + ", ".join(self._show(p) for p in missing))
        lines.extend(problems)
        lines.append("obtained output written to: " + ", ".join(self._show(_obtained(p)) for p in differing))
        if problems:
            lines.append(
                f"If the new output is right: {REGEN_HINT} (or copy the .obtained files over the golden ones)."
            )
        else:
            lines.append(f"To create them: {REGEN_HINT}.")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<cleantext_golden {self.nodeid} in {self._show(self.golden_dir)}/>"

    def regen_message(self) -> str:
        """Why a ``--cleantext-regen`` run fails: what was written."""
        width = max(len(self._show(p)) for p, _ in self.written)
        lines = ["cleantext golden files written by --cleantext-regen (the test fails on purpose, so a "
                 "regeneration is never silently green):"]
        lines.extend(f"  {self._show(p):<{width}}  {state}" for p, state in self.written)
        lines.append("Review them (git diff), commit them, and run the tests again without --cleantext-regen.")
        return "\n".join(lines)

    def _claim(self, name: str, txt_path: Path) -> None:
        __tracebackhide__ = True
        key = txt_path.resolve()
        if key in self._used:
            pytest.fail(
                f"cleantext_golden: basename {name!r} is used twice in this test; pass a distinct basename= "
                "to each check",
                pytrace=False,
            )
        self._used.add(key)
        other = self.claimed.setdefault(key, self.nodeid)
        if other != self.nodeid:
            pytest.fail(
                f"cleantext_golden: {self._show(txt_path)} is already used by {other}; two tests sharing "
                "golden files overwrite each other, pass a distinct basename=",
                pytrace=False,
            )

    def _show(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.rootpath).as_posix()
        except ValueError:
            return str(path)


def summary_line(tally: Counter[str]) -> str:
    """One line for the end of the run, or ``""`` when no golden check wrote anything."""
    parts = []
    wrote = tally["new"] + tally["changed"] + tally["unchanged"]
    if wrote:
        parts.append(
            f"--cleantext-regen wrote {wrote} golden file(s): {tally['new']} new, {tally['changed']} changed, "
            f"{tally['unchanged']} unchanged; review with git diff and commit"
        )
    if tally["failed"]:
        parts.append(
            f"{tally['failed']} golden check(s) failed, {tally['obtained']} .obtained file(s) written next to the "
            "golden files; if the new output is right, rerun with --cleantext-regen"
        )
    return "\n".join(parts)


__all__ = ["GoldenChecker", "RawInput", "clean_raw", "default_basename", "summary_line"]
