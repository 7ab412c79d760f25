"""The line-local prefilters in one Hyperscan database (the optional ``fast`` extra): one scan of a text
finds the lines where each of them hits, instead of one ``re`` pass per prefilter (``linescan.scan``).

What Hyperscan reads is ``hsyntax.translate`` of each prefilter: the same lines by construction, or
the prefilter stays on ``re``. Without the extra, or on a text UTF-8 cannot hold (a lone surrogate),
``re`` runs them all as before. Building the database takes a second or more for a pack, so it is
kept in the user's cache (``cache_dir``) and read back in a millisecond by the next process.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import json
import os
import re
import sys
import threading
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from . import hsyntax
from .hsyntax import listed, rare, translate

try:  # the optional ``fast`` extra, typed here as what this module makes of it
    _hs: Any = importlib.import_module("hyperscan")
except ImportError:  # pragma: no cover - depends on the environment
    _hs = None


def available() -> bool:
    """Whether the ``fast`` extra (Hyperscan) is installed."""
    return _hs is not None


_GUARD = (1 << 31) - 1
"""The id of the pattern of ``rare`` characters (rule indexes are far smaller)."""


class LineScanner:
    """Prefilters in one Hyperscan database with one more pattern that finds whether a text holds a
    ``rare`` character: ``hits`` scans a text once for all of them. Each thread scans with its own
    scratch space (Hyperscan's working memory, which one scan at a time may use)."""

    __slots__ = ("_db", "_local", "assuming", "rules")

    def __init__(self, db: Any, rules: frozenset[int], assuming: frozenset[int]) -> None:
        self._db = db
        self.rules = rules
        """The rules (indexes) whose prefilter it scans for."""
        self.assuming = assuming
        """Those whose prefilter was read as if the text held no ``rare`` character."""
        self._local = threading.local()

    def hits(self, text: str) -> tuple[list[int], list[int], frozenset[int]] | None:
        """The lines of ``text`` (indexes; every line but the last ends with ``"\\n"``) where each
        prefilter hits, the rule of each (``~rule``, as ``scan`` lists them), and the rules whose hits
        could not be read here (the text holds a ``rare`` character): ``re`` finds theirs. ``None``
        when the text holds a lone surrogate, which UTF-8 cannot: ``re`` finds them all.

        A long text is scanned ``SCAN_CHUNK`` characters of whole lines at a time (each with the
        newline before it, which a leading ``(?<=\\n)`` reads), so that its UTF-8 copy stays that size."""
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _hs.Scratch(self._db)
        where: list[int] = []
        what: list[int] = []
        guarded = False
        start = line0 = 0
        while start < len(text):
            end = text.rfind("\n", start, start + SCAN_CHUNK) + 1 if len(text) - start > SCAN_CHUNK else len(text)
            if end <= start:  # one line longer than a chunk: to its end
                end = text.find("\n", start + SCAN_CHUNK) + 1 or len(text)
            lead = 1 if start else 0  # the newline before the chunk: line -1 of it
            try:
                data = text[start - lead : end].encode()
            except UnicodeEncodeError:
                return None
            found: list[tuple[int, int]] = []
            self._db.scan(data, match_event_handler=_collect, context=found, scratch=scratch)
            found.sort()
            line, last = line0 - lead, 0
            for e, ri in found:  # a match ends where its line does: its line is the newlines before
                if ri == _GUARD:
                    guarded = True
                    continue
                line += data.count(b"\n", last, e)
                last = e
                where.append(line)
                what.append(~ri)
            line0 += text.count("\n", start, end)
            start = end
        if not guarded:
            return where, what, frozenset()
        kept = [k for k, r in enumerate(what) if ~r not in self.assuming]
        return [where[k] for k in kept], [what[k] for k in kept], self.assuming


def _collect(ri: int, _start: int, end: int, _flags: int, found: list[tuple[int, int]]) -> None:
    found.append((end, ri))


SCAN_CHUNK = 1 << 20
"""Characters (whole lines) scanned at a time: a 50 MB document's UTF-8 copy would have been 1.5 times
its size on top of the rest (issue 11 holds the peak under 10 times)."""


def _compiled(exprs: dict[int, str]) -> Any:
    flags = _hs.HS_FLAG_UTF8 | _hs.HS_FLAG_MULTILINE
    db = _hs.Database()
    db.compile(expressions=[e.encode() for e in exprs.values()] + [listed(rare()).encode()],
               ids=[*exprs, _GUARD], flags=[flags] * len(exprs) + [flags | _hs.HS_FLAG_SINGLEMATCH])
    return db


def _built(prefilters: Sequence[tuple[int, re.Pattern[str]]]) -> LineScanner | None:
    exprs = {ri: e for ri, p in prefilters if (e := translate(p)) is not None}
    assuming = frozenset(ri for ri, (_, a) in exprs.items() if a)
    plain = {ri: e for ri, (e, _) in exprs.items()}
    try:
        db = _compiled(plain) if plain else None
    except _hs.error:  # one Hyperscan cannot build (none of the packs' today): the others without it
        plain = {ri: e for ri, e in plain.items() if _builds(ri, e)}
        db = _compiled(plain) if plain else None
    return None if db is None else LineScanner(db, frozenset(plain), assuming & plain.keys())


def _builds(ri: int, expr: str) -> bool:
    try:
        _compiled({ri: expr})
    except _hs.error:
        return False
    return True


def line_scanner(prefilters: Sequence[tuple[int, re.Pattern[str]]], cache: Path | None = None) -> LineScanner | None:
    """A ``LineScanner`` for the line-local prefilters (rule index, pattern) Hyperscan can take
    (``None`` without the extra, or when it takes none), read from ``cache`` (default ``cache_dir``)
    when an earlier process left it there. The default cache holds only sets of ``CACHE_MIN`` or
    more: a few prefilters build in well under a millisecond, and the one-rule cleaners that run
    each rule's examples would otherwise write and prune a file each."""
    if _hs is None:
        return None
    where = cache if cache is not None else cache_dir() if len(prefilters) >= CACHE_MIN else None
    path = None
    with contextlib.suppress(OSError):  # the code read for the digest is not there (a frozen app)
        path = where / f"hyperscan-{_digest(prefilters)}.db" if where is not None else None
    if path is not None:
        with contextlib.suppress(OSError, ValueError, KeyError, _hs.error):
            head, db = path.read_bytes().split(b"\n", 1)
            kept = json.loads(head)
            return LineScanner(_hs.loadb(db, _hs.HS_MODE_BLOCK), frozenset(kept["rules"]), frozenset(kept["assuming"]))
    got = _built(prefilters)
    if got is not None and path is not None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            head = json.dumps({"rules": sorted(got.rules), "assuming": sorted(got.assuming)}).encode()
            tmp.write_bytes(head + b"\n" + _hs.dumpb(got._db))
            os.replace(tmp, path)
            for old in sorted(path.parent.glob("hyperscan-*.db"), key=lambda f: f.stat().st_mtime)[:-KEEP]:
                old.unlink()  # older packs and versions: another process needing one builds it again
    return got


KEEP = 8
"""Databases kept in the cache (each 0.1-3 MB), the newest."""
CACHE_MIN = 16
"""Prefilters a set needs before its database goes to the default cache (70 build in 2-3 s)."""


def _digest(prefilters: Sequence[tuple[int, re.Pattern[str]]]) -> str:
    """Names a database by everything it depends on: the prefilters, the code that translates them,
    the Python (its ``re`` and Unicode tables) and Hyperscan versions. Hyperscan itself refuses a
    file written for another CPU, or a damaged one: then it is built again."""
    code = b"".join(Path(f).read_bytes() for f in (hsyntax.__file__, __file__))
    key = repr((sys.version, unicodedata.unidata_version, importlib.metadata.version("hyperscan"),
                [(ri, p.pattern, p.flags) for ri, p in prefilters]))
    return hashlib.sha256(code + key.encode()).hexdigest()[:32]


def cache_dir() -> Path | None:
    """Where built databases are kept: ``$CLEANTEXT_CACHE_DIR`` (set but empty: nowhere), else
    ``$XDG_CACHE_HOME/cleantext``, else ``~/.cache/cleantext``."""
    env = os.environ.get("CLEANTEXT_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "cleantext"


__all__ = ["CACHE_MIN", "KEEP", "SCAN_CHUNK", "LineScanner", "available", "cache_dir", "line_scanner"]
