"""The speed paths of match.py find exactly what the plain paths find (issue 10): ``scan`` with its
per-line-text cache against ``prefilter`` plus one ``finditer`` per prefilter over the whole text."""

from __future__ import annotations

import gc
import re
from bisect import bisect_right
from pathlib import Path

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from cleantext import Cleaner, splice
from cleantext.decode import decode
from cleantext.features import _keyed
from cleantext.match import (
    LineCache,
    Matcher,
    _lookbehinds_ahead,
    _scripts_widened,
    is_line_local,
    lacks,
    pattern_needs,
    prefilter,
    run,
    run_rules,
    scan,
)
from cleantext.match.linescan import GATE_LINES, lines_holding
from cleantext.match.patterns import class_set, holds, lines_seen, stays_on_line
from cleantext.match.quick import _space_but_newline, quick_form, starts_form
from cleantext.rules.shadow import _lists, shadow, to_key
from cleantext.segment import segment, split_lines

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"


@pytest.mark.parametrize(
    ("pattern", "local"),
    [
        (r"^[^\S\n]*第[^\S\n]*\d+页$", True),
        (r"(?<=\n)\d、", True),  # a lookbehind for the newline only says "not the first line"
        (r"a.b", True),
        (r"(?i)^ab[^\n]{1,5}", True),
        (r"a\sb", False),  # \s crosses lines
        (r"[^a]b", False),
        (r"(?s)a.b", False),
        (r"a(?=\n\n)", False),  # looks at the next line
        (r"(?<=\n\n)a", False),  # looks at the previous one
        (r"x*", False),  # empty matches
        (r"(a)\1", False),
        (r"a\Db", False),
    ],
)
def test_is_line_local(pattern: str, local: bool) -> None:
    assert is_line_local(re.compile(pattern, re.MULTILINE)) is local


def test_without_multiline_nothing_is_line_local() -> None:
    assert not is_line_local(re.compile(r"^a"))


def _plain(m: Matcher, sh: str, first: str | None = None) -> tuple[dict[int, set[int]], frozenset[int]]:
    """Keyword hits plus one ``finditer`` per line-local prefilter, but for the rules whose pattern
    cannot match anywhere in ``first`` (the document's first pass: ``scan`` may skip them, and
    ``run_rules`` does)."""
    starts, _, _ = split_lines(sh)
    pre = prefilter(m, sh, starts, sh)
    hits = {i: set(v) for i, v in pre.hits.items()}
    for ri in m.local:
        pat = m.rules[ri].prefilter
        assert pat is not None
        for hit in pat.finditer(sh):
            hits.setdefault(bisect_right(starts, hit.start()) - 1, set()).add(ri)
    return _runnable(m, hits, sh if first is None else first), pre.flagged


def _runnable(m: Matcher, hits: dict[int, set[int]], first: str) -> dict[int, set[int]]:
    """``hits`` without the rules whose pattern cannot match anywhere in ``first``."""
    doc = LineCache()
    out = {i: {ri for ri in v if not lacks(doc, m.rules[ri], ri, first)} for i, v in hits.items()}
    return {i: v for i, v in out.items() if v}


_PROSE = "这是一段正文，内容与广告无关，只用来凑足长度，让文本长过一次扫完的界限。\n"
_LONG = (  # long enough for ``scan`` to run a prefilter only on the lines holding a class it requires
    "第3页 共12页\n" + _PROSE * 60 + "2、第二条\n来源：新华网 作者：张三\n摘要：本文\n" + _PROSE * 60
    + "2023年5月1日 投诉建议\n【价格】10元\n[Lv3]\n" + _PROSE * 60 + "(12)"
)


def _texts() -> list[str]:
    out = [decode(p.read_bytes()).text for p in sorted(FIXTURES.glob("*"))]
    out.append("\n1、第一条\n2、第二条\n\n仅供学习 禁止外传\n第3页 共12页\nQQ群：123456\n")
    out += [_LONG, _LONG.replace("\n", "\r\n"), _PROSE + _LONG + "\n"]
    return out


@pytest.mark.parametrize("text", _texts())
def test_scan_finds_what_the_plain_path_finds(text: str) -> None:
    m = Cleaner().matcher
    sh = shadow(text)
    starts, _, stops = split_lines(sh)
    cache = LineCache()
    pre = scan(m, sh, starts, stops, cache)
    assert pre.local
    assert (_runnable(m, pre.hits, sh), pre.flagged) == _plain(m, sh)
    # a later pass: lines dropped, one changed, the first gone: only the new lines are scanned
    lines = sh.splitlines(keepends=True)
    later = "".join([*lines[1::2], lines[-1][2:], *lines[2::3]])  # no character the first pass lacked
    starts, _, stops = split_lines(later)
    again = scan(m, later, starts, stops, cache)
    assert (_runnable(m, again.hits, sh), again.flagged) == _plain(m, later, sh)


def test_a_long_text_is_scanned_on_the_lines_holding_what_a_prefilter_requires() -> None:
    m = Cleaner().matcher
    starts, _, stops = split_lines(_LONG)
    assert {m.rules[ri].id for ri in m.local if lines_holding(_LONG, starts, m.needs[ri], len(starts) // GATE_LINES)} >= {
        "page_furniture.news-metadata-fields", "page_furniture.date-site-feedback", "inline.chunk-counter",
    }
    # a later pass with many new lines after one seen: the new ones, joined behind a stand-in newline
    cache = LineCache()
    scan(m, "第3页 共12页\n", (0,), (9,), cache)
    later = "第3页 共12页\n" + _LONG.replace("正文", "正文内容")
    starts, _, stops = split_lines(later)
    pre = scan(m, later, starts, stops, cache)
    assert (_runnable(m, pre.hits, later), pre.flagged) == _plain(m, later)


def test_a_changed_line_after_an_unchanged_first_line_is_not_first() -> None:
    m = Cleaner().matcher
    cache = LineCache()
    first = "标题\n正文。\n3、第三条\n"
    for text in (first, "标题\n3、第三条\n"):  # the second pass lost line 2
        starts, _, stops = split_lines(text)
        pre = scan(m, text, starts, stops, cache)
        assert (_runnable(m, pre.hits, first), pre.flagged) == _plain(m, text, first)
    chunk = next(i for i, r in enumerate(m.rules) if r.id == "inline.chunk-counter")
    assert chunk in pre.hits[1]


@pytest.mark.parametrize(
    "sh",
    [
        "仅供学习\r第3页 共12页\r",  # regex ^ and $ do not see a lone CR's line
        "İstanbul 仅供学习\nQQ群 123\n",  # U+0130 lowers to two code points: to_key lowers by table
        "ΣΑΣ 仅供学习\nQQ群 123\n",  # Σ lowers by its neighbours
    ],
)
def test_texts_where_a_line_is_not_alone_take_the_plain_path(sh: str) -> None:
    m = Cleaner().matcher
    starts, _, stops = split_lines(sh)
    pre = scan(m, sh, starts, stops, LineCache())
    assert not pre.local
    assert (pre.hits, pre.flagged) == (prefilter(m, sh, starts, sh).hits, prefilter(m, sh, starts, sh).flagged)


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<=位置[^\n]*>)\n标题", r"(?=位置[^\n]*>)\n标题"),
        (r"(?<!\d)页(?<=[(?<=])", r"(?!\d)页(?=[(?<=])"),  # not inside a class
        (r"\(?<=x", r"\(?<=x"),  # an escaped parenthesis opens no group
        (r"[a[b]]c", None),  # VERSION1 reads a nested set
        (r"[\p{Han}--[一]]", None),
        (r"[]a]", None),
    ],
)
def test_lookbehinds_read_as_lookaheads(pattern: str, expected: str | None) -> None:
    assert _lookbehinds_ahead(pattern) == expected


def test_pattern_needs_sees_into_lookbehinds() -> None:
    needs = pattern_needs(r"^(?<=[>›][^\n]{0,64}\n)[^\S\n]*(?P<t>\S+)$", regex.VERSION1)
    assert {n.pattern for n in needs} == {"[>›]", "[\\\n]"}
    assert pattern_needs(r"(?i)qq群", regex.VERSION1 | regex.IGNORECASE) == (re.compile("[群]"),)
    assert pattern_needs(r"\p{Han}{16,}", regex.VERSION1) == ()  # the script's class is too large to be one


def test_pattern_needs_reads_a_script_escape_as_any_character() -> None:
    needs = pattern_needs(r"(?<=[\p{Han},])(?:靠|找)\p{Han}{0,3}我", regex.VERSION1)
    assert {n.pattern for n in needs} == {"[我]", "[找靠]"}
    assert pattern_needs(r"[^\p{Han}]我", regex.VERSION1) == ()  # widening a negated class would narrow it
    assert _scripts_widened(r"[^a\]]\p{Han}[\p{Han}x]") == r"[^a\]][\x00-\U0010ffff][\x00-\U0010ffffx]"


def test_every_rule_match_holds_what_its_pattern_needs() -> None:
    """Each built-in rule's examples, searched by the rule's own pattern: every match (lookbehinds
    included, so the whole line) holds a character of each class ``pattern_needs`` gives."""
    checked = 0
    for cr in Cleaner().pack.compiled():
        needs = pattern_needs(cr.pattern.pattern, cr.pattern.flags)
        for line in (x for ex in cr.rule.examples_match for x in ex.splitlines() if x.strip()):
            if needs and cr.pattern.search(line):
                assert all(n.search(line) for n in needs), (cr.id, line)
                checked += 1
    assert checked > 500


@pytest.mark.parametrize("text", _texts())
def test_rules_a_document_cannot_match_are_skipped_without_changing_anything(text: str) -> None:
    c = Cleaner()
    m = c.matcher
    sh = shadow(text)
    lines = split_lines(sh)
    pre = prefilter(m, sh, lines[0], sh)  # keywords only: run_rules scans every prefilter
    layout = segment(text, pre.flagged, c.limits, lines)
    plain = run_rules(m, text, layout, pre, c.limits)
    doc = LineCache()
    assert run_rules(m, text, layout, pre, c.limits, doc=doc) == plain
    assert any(doc.lacks.values())  # something was skipped


@pytest.mark.parametrize(
    ("pattern", "stays"),
    [
        (r"^[^\S\n]*第\d+页$", True),
        (r"(?<=\n)\d、", True),  # before a line that is not the first, the joined text has a newline too
        (r"(?<![a-z])qq", True),  # a lookbehind that cannot see past its line
        (r"[\p{Han}a-z]{4,}", True),  # script escapes hold no newline
        (r"(?<=>[^\n]*\n)标题", False),  # sees the line before
        (r"(?<=[^x])a", False),  # [^x] is a newline before a line start
        (r"a\sb", False),
        (r"a(?=\n)", False),
        (r"\Aa", False),
        (r"a\Z", False),
        (r"\P{Han}", False),
        (r"(?:abc){e<=1}", False),  # fuzzy matching
        (r"(?(DEFINE)(?<x>a))(?&x)", False),  # re cannot read it
        (r"[[a-z]--[b]]", False),
    ],
)
def test_stays_on_line(pattern: str, stays: bool) -> None:
    assert stays_on_line(pattern, regex.VERSION1 | regex.MULTILINE) is stays


_BREADCRUMB = "当前位置：首页 > 通知 > 关于开展检查的通知\n关于开展检查的通知\n" + "正文第一段。\n短行\n" * 4


@pytest.mark.parametrize(
    "text",
    [*_texts(), "a\n\n第3页\nx第3页\n第3页", "第1页\n" * 5, "第1页\r\n" * 5, _BREADCRUMB, "标题\n" + _BREADCRUMB * 3,
     _BREADCRUMB.replace("\n", "\r\n")],
)
def test_rules_checked_in_one_pass_find_what_one_search_per_line_finds(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Cleaner()
    m = c.matcher
    sh = shadow(text)
    lines = split_lines(sh)
    pre = prefilter(m, sh, lines[0], sh)
    layout = segment(text, pre.flagged, c.limits, lines)
    batched = run_rules(m, text, layout, pre, c.limits)
    monkeypatch.setattr(run, "BATCH_LINES", 10**9)
    assert run_rules(m, text, layout, pre, c.limits) == batched


@pytest.mark.parametrize(
    "text", [*_texts(), "第1页\n" * 5, "x第1页\n第1页\n" * 3, "第1页\n第1页", _BREADCRUMB, "标题\n" + _BREADCRUMB * 3]
)
def test_lines_known_from_an_earlier_pass_or_an_equal_line_find_what_each_search_finds(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Cleaner()
    m = c.matcher
    sh = shadow(text)
    lines = split_lines(sh)
    doc = LineCache()
    pre = scan(m, sh, lines[0], lines[2], doc)
    layout = segment(text, pre.flagged, c.limits, lines)
    first = run_rules(m, text, layout, pre, c.limits, doc=doc)
    again = run_rules(m, text, layout, pre, c.limits, doc=doc)  # a later pass reads the answers kept
    monkeypatch.setattr(run, "BATCH_LINES", 10**9)
    assert first == again == run_rules(m, text, layout, pre, c.limits, doc=LineCache())


_QUICK_TEXT = "第3页\n  第4页 共9页\nab>cd>ef\n\n3、条\nx3、条\n页码 12\nPAGE 2\n外汇\n——\n1、a——b\n第3页"


@pytest.mark.parametrize(
    "pattern",
    [
        r"^[^\S\n]*第\d页",
        r"(?<=\n)\d、",
        r"(?=[第共页])(?:第\d页|共\d页|页码)",
        r"(?:>|›)[^\n]*(?:>|›)",
        r"第[^\S\n]*\d[^\S\n]*页[^\S\n]*$|^[^\S\n]*共",
        r"(?i)^[^\S\n]*page",
        r"^(?<=\n)\d",  # a lookbehind after ^: no newline may be put in front
        r"外汇",
        r"\d、[^\n]*——",
    ],
)
def test_quick_forms_hit_the_lines_their_pattern_hits(pattern: str) -> None:
    p = re.compile(pattern, re.MULTILINE)
    assert is_line_local(p)
    starts, _, _ = split_lines(_QUICK_TEXT)
    want = {bisect_right(starts, h.start()) - 1 for h in p.finditer(_QUICK_TEXT)}
    quick = quick_form(p)
    if quick is None:
        assert pattern == r"^(?<=\n)\d"
        return
    q, in_front, shift = quick
    text = "\n" + _QUICK_TEXT if in_front else _QUICK_TEXT
    assert {bisect_right(starts, h.start() + shift) - 1 for h in q.finditer(text)} == want
    assert want or pattern == r"(?i)^[^\S\n]*page"


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?=[转章 ])(?:^[^\S\n]*章节|章节报错|转[/\s]?码)",  # a match may cross a line: 转\n码
        r"转\s?码|码\s转",  # matches that overlap, and one inside another's reach
        r"(?:本|章)[^\n]{0,3}\n?章",
    ],
)
def test_starts_forms_replay_finditer(pattern: str) -> None:
    p = re.compile(pattern, re.MULTILINE)
    fast = starts_form(p)
    assert fast is not None
    text = "转\n码转码\n章节报错 转 码\n码 转码\n  章节\n本ab\n章本章章\n转/码"
    for lo in range(len(text)):
        for hi in (lo, (lo + len(text)) // 2, len(text)):
            assert run._replayed(p, fast, text, lo, hi) == [h.start() for h in p.finditer(text, lo, hi)]


def test_no_starts_form_where_a_match_can_be_empty_or_start_anywhere() -> None:
    assert starts_form(re.compile(r"转?", re.MULTILINE)) is None
    assert starts_form(re.compile(r"[^\n]转", re.MULTILINE)) is None


def test_holds_answers_as_the_class_search_does() -> None:
    m = Cleaner().matcher
    needs = {n for ri, r in enumerate(m.rules) for n in (*m.needs[ri], *pattern_needs(r.pattern.pattern, r.pattern.flags))}
    texts = ["", "共3页", "关注公众号：abc", "Ｋ", "K", _QUICK_TEXT, *(e for r in m.rules[:40] for e in r.rule.examples_match)]
    for need in [*needs, re.compile("[a-z]"), re.compile("[Kk]", re.IGNORECASE), re.compile(r"\d")]:
        for text in texts:
            assert holds(text, need) == (need.search(text) is not None), (need.pattern, text)


def test_need_sets_hold_exactly_the_characters_of_their_class() -> None:
    m = Cleaner().matcher
    for ri, needs in enumerate(m.needs):
        sets = [class_set(n) for n in needs]
        assert m.need_sets[ri] == tuple(s for s in sets if s is not None)
        for need, got in zip(needs, sets, strict=True):
            if got is not None:
                assert got, need.pattern
                assert all(need.fullmatch(c) for c in got), need.pattern
                # a character outside the set is outside the class (the CJK block, ASCII, the full-width forms)
                others = (chr(c) for c in [*range(0x20, 0x7F), *range(0x3000, 0x3040), *range(0x4E00, 0x9FA6, 7)])
                assert not any(need.fullmatch(c) for c in others if c not in got), need.pattern
    assert class_set(re.compile("[Kk]", re.IGNORECASE)) is None
    assert class_set(re.compile(r"[\d]")) is None


def test_a_quick_form_starting_with_white_space_tries_no_newline() -> None:
    # ``[^\S\n]`` widens to white space, never to the newline, which the quick form's ``[^\n]`` refuses
    quick = quick_form(re.compile(r"第\d页$|^[^\S\n]*共", re.MULTILINE))
    assert quick is not None
    assert quick[0].search("\n\n") is None
    text = "".join(map(chr, range(0x110000)))  # every code point ``\s`` holds, but the newline
    spaces = re.compile("[" + _space_but_newline() + "]")
    assert re.findall(spaces, text) == re.findall(r"(?!\n)\s", text)


@pytest.mark.parametrize("text", _texts())
def test_the_scorers_keywords_ride_the_rules_automaton(text: str) -> None:
    c = Cleaner()
    sh = shadow(text)
    starts, _, stops = split_lines(sh)
    alone = scan(c.matcher, sh, starts, stops, LineCache())
    both = scan(c.matcher, sh, starts, stops, LineCache(), keys=c.keywords)
    assert (both.hits, both.flagged) == (alone.hits, alone.flagged)
    layout = segment(text, both.flagged, c.limits, split_lines(text))
    assert both.extra_hits is not None
    assert {i: set(v) for i, v in both.extra_hits.items()} == _keyed(sh, layout, c.scorer)


@pytest.mark.parametrize("extra", ["", "İSTANBUL 关注微信公众号获取更多资料，这是一段很长的正文内容。\n"])
def test_splice_looks_at_the_lines_one_lowering_per_line_would(extra: str) -> None:
    c = Cleaner()
    for text in [t + extra for t in _texts()]:
        sh = shadow(text)
        layout = segment(text, (), c.limits, split_lines(text))
        lines = list(range(len(layout)))
        want = [i for i in lines if layout.ends[i] - layout.starts[i] >= splice.MIN_LINE
                and splice._long_key(to_key(sh[layout.starts[i] : layout.ends[i]]), c.splicer)]
        assert splice._with_long_keys(sh, layout, lines, c.splicer) == want


@pytest.mark.parametrize("text", _texts())
def test_scan_marks_the_lines_splice_would_look_at(text: str) -> None:
    c = Cleaner()
    sh = shadow(text)
    starts, _, stops = split_lines(sh)
    pre = scan(c.matcher, sh, starts, stops, LineCache(), keys=c.keywords)
    assert pre.marked is not None
    layout = segment(text, pre.flagged, c.limits, split_lines(text))
    lines = list(range(len(layout)))
    want = splice._with_long_keys(sh, layout, lines, c.splicer)
    assert [i for i in lines if i in pre.marked and layout.ends[i] - layout.starts[i] >= splice.MIN_LINE] == want


@pytest.mark.parametrize(
    ("pattern", "seen"),
    [
        (r"^第\d页$", 0),
        (r"(?<=\n)\d、", 1),
        (r"^(?<=[>›][^\n]{0,64}\n(?:[^\S\n]*\n)?)标题$", 2),
        (r"(?<=(?P<t>a)\n)(?P=t)", 1),  # a back-reference reads as its group
        (r"(?<=x\s*)a", None),  # no bound on the lines it sees
        (r"a(?=\n)", None),  # sees the next line
        (r"a\sb", None),
    ],
)
def test_lines_seen(pattern: str, seen: int | None) -> None:
    assert lines_seen(pattern, regex.VERSION1 | regex.MULTILINE) == seen


def test_a_built_matcher_keeps_no_parsed_patterns_alive() -> None:
    # every full pass of the cyclic garbage collector walks what is kept: the built-in packs' parse
    # trees were ~100,000 objects, 8x the rest of what a cleaner keeps
    from re import _parser as sre_parse  # type: ignore[attr-defined]  # noqa: PLC0415

    Cleaner().prepare()
    gc.collect()
    assert sum(isinstance(o, sre_parse.SubPattern) for o in gc.get_objects()) < 1000


_SHADOW_ALPHABET = st.sampled_from(
    [*"ab,:。，：（）　１Ａ體漢說\r\n薴苧苎\u200b", "\ud800", "\U0001f600", *(chr(0xFF01 + k) for k in range(0, 94, 7))]
)


@given(st.lists(_SHADOW_ALPHABET, max_size=80).map("".join))
def test_the_shadow_is_the_translate_of_its_table(text: str) -> None:
    # the fast path (a few full-width forms replaced one by one) gives what the table gives
    want = text.translate(_lists()[0])
    want = re.sub(r"\r(?!\n)", "\n", want) if "\r" in want and want.count("\r") != want.count("\r\n") else want
    assert shadow(text) == want


def test_the_shadow_folds_many_full_width_forms_and_traditional_text() -> None:
    wide = "".join(chr(0xFF01 + k) for k in range(94))  # more distinct forms than FOLD_MAX
    assert shadow(wide) == "".join(chr(0x21 + k) for k in range(94))
    assert shadow("薴苧，體") == "苧苎,体"  # Traditional: one translate, each character changed once
