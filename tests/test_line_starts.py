"""Speed paths of ``run_rules`` and the engine (issue 10) find exactly what the plain paths find:
prefilters tried at line starts only, the pass tables of ``Matcher.eligible``."""

from __future__ import annotations

import re

import pytest

from cleantext import Cleaner
from cleantext.match import run
from cleantext.match.quick import at_line_start
from cleantext.model import ZONES
from cleantext.segment import split_lines


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        (r"^[^\S\n]*第\d+页", True),
        (r"(?<=\n)(?:(?<=网\n)|(?<=站\n))[^\n]{2,24}$", True),
        (r"\A标题", True),
        (r"(?:^a|^b)c", True),
        (r"^a|b", False),  # the second branch starts anywhere
        (r"(?<=\n\n)a", False),  # a lookbehind for more than the newline
        (r"(?=[转章])(?:^章节|转码)", False),
        (r"a^", False),
        (r"(?<!\n)a", False),
    ],
)
def test_at_line_start(pattern: str, anchored: bool) -> None:
    assert at_line_start(re.compile(pattern, re.MULTILINE)) is anchored


_TEXT = "甲网\n乙丙丁戊己\r\n站\n\n第3页 第4页\r第5页\n网\n  第12页尾\n网"


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[^\S\n]*第\d+页",
        r"(?<=\n)(?:(?<=网\n)|(?<=站\n))[^\n]{1,24}$",
        r"^[^\n]*\n(?=[^\n]{0,3}第)",  # a match that ends at the next line start: the next one may start there
        r"^\S{2}",
        r"(?:^|(?<=\n))第",
    ],
)
@pytest.mark.parametrize("text", [_TEXT, _TEXT.replace("\r\n", "\n"), _TEXT.replace("\n", "\r\n")])
def test_line_starts_replay_finditer(pattern: str, text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(run, "LINE_START_CHARS", 0)  # short lines: the replay is used all the same
    p = re.compile(pattern, re.MULTILINE)
    assert at_line_start(p)
    starts = split_lines(text)[0]
    for lo in starts:
        for hi in {lo, *[s for s in starts if s > lo], len(text)}:
            assert run._at_line_starts(p, text, starts, lo, hi) == [h.start() for h in p.finditer(text, lo, hi)]


def test_an_empty_match_or_short_lines_leave_it_to_finditer(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a\n\nb\n"
    starts = split_lines(text)[0]
    assert run._at_line_starts(re.compile(r"^[^\n]{10}", re.MULTILINE), text, starts, 0, len(text)) is None
    monkeypatch.setattr(run, "LINE_START_CHARS", 0)
    assert run._at_line_starts(re.compile(r"^", re.MULTILINE), text, starts, 0, len(text)) is None
    assert run._at_line_starts(re.compile(r"^b", re.MULTILINE), text, starts, 0, len(text)) == [3]


def test_the_pass_tables_are_the_set_operations_they_stand_for() -> None:
    m = Cleaner().matcher
    for early in (None, True, False):
        every = frozenset().union(*(m.in_zone[early, z] for z in ZONES))
        for scanned in (False, True):
            got_every, zoned = m.eligible[early, scanned]
            assert got_every == every
            assert zoned == every.intersection(m.prefiltered).difference(m.local if scanned else ())
