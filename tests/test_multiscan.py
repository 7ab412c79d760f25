"""The line-local prefilters in one Hyperscan pass (``match.multiscan``, the ``fast`` extra) hit exactly
the lines ``re`` hits: each class as ``re`` reads it, the rewrites of lookaheads, the rare-digit guard,
and ``scan``'s results with and without it, over the dev and dev2 corpora and the probe rows."""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from dataclasses import replace
from functools import cache
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleantext import Cleaner
from cleantext.decode import decode
from cleantext.match import LineCache, Matcher, scan
from cleantext.match import hsyntax as hs
from cleantext.match import multiscan as ms
from cleantext.match.patterns import any_node
from cleantext.rules.shadow import shadow
from cleantext.segment import split_lines

from .conftest import DEV, has_module, needs_extra, needs_shared

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
NEEDS_FAST = "needs hyperscan: pip install 'cleantext-ads[fast]'"


@cache
def _matcher() -> Matcher:
    return Cleaner().matcher


def _prefilters(m: Matcher) -> list[tuple[int, re.Pattern[str]]]:
    return [(ri, p) for ri in m.local if (p := m.rules[ri].prefilter) is not None]


def _one_char_items(items: Any, flags: int, out: dict[str, tuple[Any, Any, int]]) -> None:
    """Every class (and ``[^c]``) of a parsed pattern read without ``IGNORECASE``: what ``multiscan``
    reads by set arithmetic (it reads the others by running ``re``, and a literal is itself)."""
    for op, av in items:
        if (op is sre.IN or op is sre.NOT_LITERAL) and not flags & re.IGNORECASE:
            out.setdefault(repr((op, av, flags & re.IGNORECASE)), (op, av, flags))
        elif op is sre.SUBPATTERN:
            _one_char_items(av[3], (flags | av[1]) & ~av[2], out)
        elif op is sre.BRANCH:
            for b in av[1]:
                _one_char_items(b, flags, out)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            _one_char_items(av[2], flags, out)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _one_char_items(av[1], flags, out)


def test_every_class_of_the_pack_reads_as_re_reads_it() -> None:
    """The set arithmetic (``\\d``, ``\\s``, negation, ranges) against ``re`` run over every character."""
    items: dict[str, tuple[Any, Any, int]] = {}
    for _, p in _prefilters(_matcher()):
        _one_char_items(sre_parse.parse(p.pattern, p.flags), p.flags, items)
    for extra in (r"[^\S\n]", r"\D", r"[\w\d]", r"[^\s。，]", r"(?i)k", r"(?i)[a-z\d]", r"(?i)[^s]"):
        _one_char_items(sre_parse.parse(extra), re.compile(extra).flags, items)
    assert len(items) > 30
    for op, av, flags in items.values():
        assert hs._single(op, av, flags) == hs.read_item(op, av, flags), (op, av, flags)
    for c in (0x41, 0xD7FF, 0xE000, 0x10FFFF, 0x212A):  # either side of the surrogates, the last, Kelvin
        assert hs.read_item(sre.LITERAL, c, 0) == ((c, c),)
    assert hs.read_item(sre.LITERAL, ord("k"), re.IGNORECASE) == ((0x4B, 0x4B), (0x6B, 0x6B), (0x212A, 0x212A))
    assert hs.read_item(sre.NOT_LITERAL, 10, 0) == ((0, 9), (11, 0x10FFFF))  # surrogates left out


@pytest.mark.parametrize(
    "pattern",
    [
        r"a\bb", r"(a)\1", r"(?>ab)c", r"a++b", r"a(?<=a)b", r"x(?=\n)", r"(?a:\d)x", r"\Aab", r"a\Z",
        r"(?=ab)abc",  # a lookahead over more than one character
        r"(?![ab])c", r"x*",
    ],
)
def test_what_hyperscan_would_read_differently_stays_on_re(pattern: str) -> None:
    assert hs.translate(re.compile(pattern, re.MULTILINE)) is None


def test_the_packs_prefilters_all_translate() -> None:
    m = _matcher()
    assert len(m.local) >= 60
    assert all(hs.translate(p) is not None for _, p in _prefilters(m))


# --- with Hyperscan -------------------------------------------------------------------------------

def _texts_of(folder: Path) -> list[str]:
    return [decode(p.read_bytes()).text for p in sorted((folder / "cases").glob("*.in"))]


def _probe_rows() -> list[str]:
    rows: list[str] = []
    for path in sorted(BENCH.glob("*probes*.tsv")):
        lines = path.read_text(encoding="utf-8").splitlines()
        rows += [line.split("\t", 2)[2] for line in lines if not line.startswith("#") and line.count("\t") >= 2]
    return rows


_TRICKY = (
    "第3页 共12页\n２０２３年５月\n\u0663\u0664\u0665\u0666 期\n\u3000\u3000作者：某\n\x1c\x1d 1、2、\n"
    "\u212a\u017f page 3\nPAGE 7\n.com.cn .comx\n作(ab)者\n\r\n  \t\n" + "汉" * 20 + "\n>a>b\n楼主\n"
)
"""What Hyperscan could read differently: digits of other scripts (the guard), the ideographic space
and the separators ``\\s`` holds, the Kelvin sign and long s under ``(?i)``, CRLF, a first line."""


def _re_lines(p: re.Pattern[str], text: str) -> set[int]:
    starts, _, _ = split_lines(text)
    return {bisect_right(starts, h.start()) - 1 for h in p.finditer(text)}


def _hs_lines(scanner: ms.LineScanner, text: str) -> dict[int, set[int]] | None:
    got = scanner.hits(text)
    if got is None:
        return None
    where, what, skipped = got
    out: dict[int, set[int]] = {ri: set() for ri in scanner.rules - skipped}
    for line, r in zip(where, what, strict=True):
        out[~r].add(line)
    return out


def _check_lines(m: Matcher, text: str) -> None:
    assert m.multi is not None
    sh = shadow(text)
    got = _hs_lines(m.multi, sh)
    assert got is not None
    for ri, lines in got.items():
        p = m.rules[ri].prefilter
        assert p is not None
        assert lines == _re_lines(p, sh), (m.rules[ri].id, sh[:200])


def test_hyperscan_hits_the_lines_re_hits_on_tricky_text() -> None:
    needs_extra("hyperscan", "fast")
    m = _matcher()
    assert m.multi is not None
    assert m.multi.rules == frozenset(m.local)
    _check_lines(m, _TRICKY)
    _check_lines(m, _TRICKY.replace("\u0663\u0664\u0665\u0666", "3456"))
    got = m.multi.hits(shadow(_TRICKY))
    assert got is not None
    assert got[2] == m.multi.assuming
    assert m.multi.hits("a\ud800b\n") is None  # a lone surrogate: no UTF-8, re finds them all


@given(st.text(alphabet=st.sampled_from(list("\n 　\t\r作者第页共12３\u0663年期(ab)>›楼主kK\u212a.comPage、——摘要汉")),
               max_size=80))
def test_hyperscan_hits_the_lines_re_hits_on_any_text(text: str) -> None:
    if not has_module("hyperscan"):
        pytest.skip(NEEDS_FAST)
    _check_lines(_matcher(), text)


@pytest.fixture(scope="module")
def corpus_texts() -> list[str]:
    needs_extra("hyperscan", "fast")
    needs_shared()
    rows = _probe_rows()
    chunks = ["\n".join(rows[i : i + 40]) + "\n" for i in range(0, len(rows), 40)]
    return [*_texts_of(DEV), *_texts_of(DEV.parent / "dev2"), *chunks, "\n".join(rows)]


def test_hyperscan_hits_the_lines_re_hits_on_the_corpora_and_probe_rows(corpus_texts: list[str]) -> None:
    m = _matcher()
    for text in corpus_texts:
        _check_lines(m, text)


def test_scan_finds_the_same_with_and_without_hyperscan(corpus_texts: list[str]) -> None:
    m = _matcher()
    plain = replace(m, multi=None)
    for text in corpus_texts:
        sh = shadow(text)
        starts, _, stops = split_lines(sh)
        caches = LineCache(), LineCache()
        for at in (slice(None), slice(None, None, 2)):  # a first pass, then a later one on fewer lines
            part = "".join(sh.splitlines(keepends=True)[at])
            starts, _, stops = split_lines(part)
            a = scan(m, part, starts, stops, caches[0])
            b = scan(plain, part, starts, stops, caches[1])
            assert (dict(a.hits), a.flagged, a.marked) == (dict(b.hits), b.flagged, b.marked)


def test_a_built_database_is_kept_and_a_damaged_one_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_extra("hyperscan", "fast")
    prefilters = _prefilters(_matcher())[:5]
    first = ms.line_scanner(prefilters, tmp_path)
    assert first is not None
    (kept,) = tmp_path.glob("hyperscan-*.db")

    def no_build(_: object) -> None:
        raise AssertionError("built again")

    with monkeypatch.context() as mp:
        mp.setattr(ms, "_built", no_build)
        again = ms.line_scanner(prefilters, tmp_path)  # read from the file: no translation, no compile
    assert again is not None
    assert (again.rules, again.assuming, again.hits(_TRICKY)) == (first.rules, first.assuming, first.hits(_TRICKY))
    kept.write_bytes(kept.read_bytes()[:-100])
    rebuilt = ms.line_scanner(prefilters, tmp_path)
    assert rebuilt is not None
    assert rebuilt.hits(_TRICKY) == first.hits(_TRICKY)
    assert ms.line_scanner(prefilters[:4], tmp_path) is not None
    assert len(list(tmp_path.glob("hyperscan-*.db"))) == 2  # other prefilters: another file
    monkeypatch.setattr(ms, "KEEP", 2)
    assert ms.line_scanner(prefilters[:3], tmp_path) is not None
    assert len(list(tmp_path.glob("hyperscan-*.db"))) == 2  # the oldest went
    monkeypatch.setenv("CLEANTEXT_CACHE_DIR", "")
    assert ms.cache_dir() is None


def test_without_hyperscan_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ms, "_hs", None)
    assert ms.line_scanner(_prefilters(_matcher())) is None


def test_a_pattern_hyperscan_cannot_build_leaves_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    needs_extra("hyperscan", "fast")
    monkeypatch.setenv("CLEANTEXT_CACHE_DIR", "")
    bad = re.compile(r"ab", re.MULTILINE)
    monkeypatch.setattr(ms, "translate", lambda p: ("a$b", False) if p is bad else ("c[^\\n]*$", False))
    got = ms.line_scanner([(0, bad), (1, re.compile("c", re.MULTILINE))])
    assert got is not None
    assert got.rules == frozenset({1})


def test_patterns_with_a_lookahead_hit_the_same_lines() -> None:
    needs_extra("hyperscan", "fast")
    text = "\n".join(["来源：网", "　2023-1-2 10:00", " 2023-1-2 10:00", "x 第3页", ".com", ".coma", "a.cn/", ""])
    pats = [r"(?=[ \t来\d])(?:来源[:：]|^[^\S\n]*\d{4}-\d-\d[^\S\n]+\d{2}:\d{2})",
            r"\.(?:com|cn|co)(?![a-zA-Z])", r"(?=[第共])(?:第[^\S\n]*\d页|共\d页)"]
    for p in (re.compile(s, re.MULTILINE) for s in pats):
        assert any_node(sre_parse.parse(p.pattern, p.flags), lambda op, _: op in (sre.ASSERT, sre.ASSERT_NOT))
        scanner = ms.line_scanner([(0, p)], Path(os.devnull))  # no cache: a file, not a folder
        assert scanner is not None
        got = _hs_lines(scanner, text)
        assert got is not None, p.pattern
        assert got[0] == _re_lines(p, text), p.pattern


def test_a_long_text_is_scanned_in_chunks_of_whole_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    needs_extra("hyperscan", "fast")
    m = _matcher()
    assert m.multi is not None
    text = shadow(_TRICKY.replace("\u0663", "3") * 3 + "x" * 50 + "\n" + _TRICKY)
    whole = m.multi.hits(text)
    monkeypatch.setattr(ms, "SCAN_CHUNK", 40)  # lines cut at chunk ends, a line longer than a chunk
    assert m.multi.hits(text) == whole
    _check_lines(m, text)


def test_a_small_set_leaves_the_default_cache_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    needs_extra("hyperscan", "fast")
    monkeypatch.setenv("CLEANTEXT_CACHE_DIR", str(tmp_path))
    prefilters = _prefilters(_matcher())
    assert ms.line_scanner(prefilters[:2]) is not None
    assert not list(tmp_path.glob("hyperscan-*.db"))  # a one-rule cleaner writes nothing
    assert ms.line_scanner(prefilters[: ms.CACHE_MIN]) is not None
    assert len(list(tmp_path.glob("hyperscan-*.db"))) == 1
