"""Direct tests of the stages' own promises: ``match.run_rules``, ``resolve.resolve`` (the order of
its policies), ``edit.merge_passes`` and the engine's ``max-passes`` bound.

The corpus and pipeline tests see these only through whole documents, where another policy can
hide a regression; here each test builds the stage's input by hand and checks one promise.
"""

from __future__ import annotations

from dataclasses import replace

import cleantext
from cleantext import edit, shapes
from cleantext import resolve as resolve_module
from cleantext.config import DEFAULT_LIMITS
from cleantext.lines import STRUCTURE, split_lines
from cleantext.match import matcher_of, prefilter, run_rules
from cleantext.model import Candidate, Layout, Removal, Scope, ZoneSpec
from cleantext.resolve import resolve
from cleantext.rules import RulePack
from cleantext.rules.compile import compile_rule
from cleantext.rules.schema import Rule
from cleantext.shapes import is_protected

# --------------------------------------------------------------------------------------------
# match.run_rules


def _layout(text: str, head_end: int, tail_start: int) -> Layout:
    starts, ends, stops = split_lines(text)
    return Layout(starts, ends, stops, head_end, tail_start)


def _run(text: str, layout: Layout, **rule: object) -> list[tuple[int, str]]:
    """(line, matched text) of every candidate of one rule (``rule``: ``Rule`` fields) on ``text``."""
    fields: dict[str, object] = {"id": "promo.t", "category": "promo", "pattern": "资料网", **rule}
    m = matcher_of((compile_rule(Rule(**fields)),))  # type: ignore[arg-type]
    candidates, notices = run_rules(m, text, layout, prefilter(m, text, layout.starts))
    assert notices == []
    return [(c.line, text[c.start : c.end]) for c in candidates]


THREE_ZONES = "好资料网\n好资料网\n好资料网\n"


def test_run_rules_fires_only_in_the_rules_zones() -> None:
    layout = _layout(THREE_ZONES, 1, 2)  # line 0 head, line 1 body, line 2 tail
    zones: tuple[ZoneSpec, ...]
    for zones, lines in ((("head",), [0]), (("body",), [1]), (("tail",), [2]), (("head", "tail"), [0, 2]),
                         (("any",), [0, 1, 2])):
        got = _run(THREE_ZONES, layout, keywords=("资料",), zone=zones)
        assert sorted(line for line, _ in got) == lines, zones


def test_run_rules_tries_the_pattern_only_on_lines_with_a_keyword() -> None:
    text = "好资料网\n好看的网\n"
    layout = _layout(text, 2, 2)
    # the pattern matches both lines; only the line with the keyword reaches it
    assert _run(text, layout, pattern="网$", keywords=("资料",)) == [(0, "好资料网\n")]
    # keywords are looked up in the shadow, lowered: full-width and upper case still hit
    text = "加ＱＱ群\n加微信群\n"
    assert _run(text, _layout(text, 2, 2), pattern="群$", keywords=("qq",)) == [(0, "加ＱＱ群\n")]
    # a rule without keywords or prefilter runs on every line of its zones
    assert [line for line, _ in _run(text, _layout(text, 2, 2), pattern="群$")] == [0, 1]


def test_run_rules_max_chars_skips_longer_lines_of_line_rules_only() -> None:
    text = "好资料网\n好资料网好资料网\n"
    layout = _layout(text, 2, 2)
    assert _run(text, layout, keywords=("资料",), max_chars=5) == [(0, "好资料网\n")]
    # counted on the stripped line: surrounding white space does not push a line over
    padded = "   好资料网   \n"
    assert _run(padded, _layout(padded, 1, 1), keywords=("资料",), max_chars=4) == [(0, padded)]
    # span rules take their matches whatever the line's length
    scope: Scope = "span"
    assert _run(text, layout, keywords=("资料",), max_chars=5, scope=scope) == [(0, "资料网"), (1, "资料网"), (1, "资料网")]


# --------------------------------------------------------------------------------------------
# resolve.resolve


def _line(layout: Layout, i: int, rule: str = "promo.a", *, priority: int = 50, anchor: bool = True,
          category: str = "promo") -> Candidate:
    return Candidate(layout.starts[i], layout.stops[i], rule, category, i, layout.zone(i), "line", priority, anchor)


def _span(layout: Layout, i: int, a: int, b: int, rule: str, priority: int = 50) -> Candidate:
    s = layout.starts[i]
    return Candidate(s + a, s + b, rule, "inline", i, layout.zone(i), "span", priority)


LONG_PROSE = "这是一段很长的正文，" * 20 + "结束。"  # 201 characters, with punctuation


def test_resolve_refuses_long_prose_before_the_overlap() -> None:
    text = "标题\n" + LONG_PROSE + "\n"
    layout = _layout(text, 1, 2)  # the prose line is in the body
    line = _line(layout, 1, "promo.line", priority=90)
    span = _span(layout, 1, 0, 4, "inline.span", priority=10)
    removals, notices = resolve(text, layout, [line, span])
    # had overlap come first, the line would have beaten the span and then been refused: nothing
    assert [(r.rule, r.text) for r in removals] == [("inline.span", "这是一段")]
    assert notices == ["cap-body-line: line 2 is long prose; whole-line rules refused"]
    # the same line in the head is taken whole (the document cap lifted: it is most of the text)
    head = _layout(text, 2, 2)
    no_cap = replace(DEFAULT_LIMITS, cap_min_chars=10**9)
    removals, notices = resolve(text, head, [_line(head, 1, "promo.line", priority=90)], no_cap)
    assert [r.rule for r in removals] == ["promo.line"]
    assert notices == []


def test_resolve_overlap_goes_by_priority_then_length_then_id() -> None:
    text = "甲乙丙丁戊己\n"
    layout = _layout(text, 1, 1)

    def winner(*cs: Candidate) -> list[tuple[str, str]]:
        removals, _ = resolve(text, layout, list(cs))
        return [(r.rule, r.text) for r in removals]

    short_high, long_low = _span(layout, 0, 0, 2, "z.high", 60), _span(layout, 0, 0, 4, "a.low", 50)
    assert winner(long_low, short_high) == [("z.high", "甲乙")]  # priority over length and id
    short, long = _span(layout, 0, 1, 3, "a.short"), _span(layout, 0, 0, 4, "z.long")
    assert winner(short, long) == [("z.long", "甲乙丙丁")]  # then length over id
    b, a = _span(layout, 0, 1, 3, "b.same"), _span(layout, 0, 0, 2, "a.same")
    assert winner(b, a) == [("a.same", "甲乙")]  # then the rule id
    # spans that do not overlap are all kept, in text order
    assert winner(_span(layout, 0, 4, 6, "b"), _span(layout, 0, 0, 2, "a")) == [("a", "甲乙"), ("b", "戊己")]


def test_resolve_caps_a_rule_after_the_overlap_with_a_notice() -> None:
    text = "广告一\n广告二\n广告三\n广告四\n"
    layout = _layout(text, 0, 4)  # all body: no absorption
    cands = [_line(layout, i, "promo.capped") for i in range(4)]
    removals, notices = resolve(text, layout, cands, caps={"promo.capped": 2})
    assert [r.text for r in removals] == ["广告一\n", "广告二\n"]
    assert notices == ["cap-rule: promo.capped kept 2 removals, held back 2"]
    # a candidate that loses an overlap does not count against the cap
    winner = _line(layout, 0, "promo.other", priority=90)
    removals, notices = resolve(text, layout, [winner, *cands], caps={"promo.capped": 2})
    assert [(r.rule, r.text) for r in removals] == [
        ("promo.other", "广告一\n"), ("promo.capped", "广告二\n"), ("promo.capped", "广告三\n")]
    assert notices == ["cap-rule: promo.capped kept 2 removals, held back 1"]


SANDWICH = "会员群一\n好资料\n会员群二\n正文第一段内容完整而且足够长，应当作为正文保留下来。\n"


def test_resolve_absorbs_a_short_line_between_two_anchors_after_the_caps() -> None:
    layout = _layout(SANDWICH, 3, 4)
    top, bottom = _line(layout, 0, "promo.a"), _line(layout, 2, "promo.a")
    removals, _ = resolve(SANDWICH, layout, [top, bottom])
    assert [(r.text, r.rule, r.action) for r in removals] == [
        ("会员群一\n", "promo.a", "line"), ("好资料\n", "promo.a", "absorbed"), ("会员群二\n", "promo.a", "line")]
    # non-anchor rules do not sandwich
    loose = [replace(top, anchor=False), replace(bottom, anchor=False)]
    assert [r.text for r in resolve(SANDWICH, layout, loose)[0]] == ["会员群一\n", "会员群二\n"]
    # an anchor held back by its rule's cap anchors nothing: absorption comes after the caps
    removals, notices = resolve(SANDWICH, layout, [top, bottom], caps={"promo.a": 1})
    assert [r.text for r in removals] == ["会员群一\n"]
    assert notices == ["cap-rule: promo.a kept 1 removals, held back 1"]
    # in the body, only reseller-header anchors sandwich
    body = _layout(SANDWICH, 0, 4)
    assert len(resolve(SANDWICH, body, [_line(body, 0), _line(body, 2)])[0]) == 2
    rh = [_line(body, i, "reseller_header.a", category="reseller_header") for i in (0, 2)]
    assert [r.action for r in resolve(SANDWICH, body, rh)[0]] == ["line", "absorbed", "line"]


def test_resolve_document_cap_takes_back_every_line_removal_or_none() -> None:
    lines = [f"第{i}行广告文字重复出现在这里的内容共二十五个字符长短" for i in range(10)]
    text = "".join(line + "\n" for line in lines)
    layout = _layout(text, 0, 10)
    span = _span(layout, 9, 0, 2, "inline.s")
    total = sum(len(line) for line in lines)
    assert total >= DEFAULT_LIMITS.cap_min_chars

    def run(n: int) -> tuple[list[Removal], list[str]]:
        return resolve(text, layout, [*(_line(layout, i) for i in range(n)), span])

    removals, notices = run(7)  # 7 of 10 lines: under 80 %
    assert [r.action for r in removals] == ["line"] * 7 + ["span"]
    assert notices == []
    removals, notices = run(9)  # 9 of 10: over, so none of the 9 goes; the span stays
    assert [(r.rule, r.action) for r in removals] == [("inline.s", "span")]
    assert len(notices) == 1
    assert notices[0].startswith("cap-document: line removals would take 9")
    assert notices[0].endswith("(limit 80%); 9 line removal(s) kept back")
    # a short document is exempt: three lines of which two are adverts lose both
    short = "广告一\n广告二\n正文。\n"
    sl = _layout(short, 0, 3)
    assert len(resolve(short, sl, [_line(sl, 0), _line(sl, 1)])[0]) == 2


# --------------------------------------------------------------------------------------------
# edit.merge_passes


def _rm(text: str, s: int, e: int, rule: str) -> Removal:
    return Removal(s, e, text[s:e], rule, "inline", "body", 1, "span")


def test_merge_passes_maps_late_removals_to_the_original_offsets() -> None:
    text = "正\u200b文XY尾\n"
    early = [_rm(text, 1, 2, "invisible.zw")]
    inner = edit.apply(text, early)
    assert inner == "正文XY尾\n"
    late = [_rm(inner, 2, 4, "inline.xy")]
    merged = edit.merge_passes(text, split_lines(text)[0], early, late)
    assert [(r.start, r.end, r.text, r.rule) for r in merged] == [(1, 2, "\u200b", "invisible.zw"), (3, 5, "XY", "inline.xy")]
    assert edit.apply(text, merged) == edit.apply(inner, late)
    assert edit.restore(edit.apply(text, merged), merged) == text


def test_merge_passes_folds_an_early_removal_inside_a_late_one() -> None:
    text = "正文\n广\u200b告\n尾\n"
    starts = split_lines(text)[0]
    early = [_rm(text, 4, 5, "invisible.zw")]
    inner = edit.apply(text, early)
    late = [Removal(3, 6, inner[3:6], "promo.ad", "promo", "body", 2, "line")]
    merged = edit.merge_passes(text, starts, early, late)
    assert [(r.start, r.end, r.text, r.rule, r.line) for r in merged] == [(3, 7, "广\u200b告\n", "promo.ad", 2)]


def test_merge_passes_keeps_a_mark_just_before_a_late_span_separate() -> None:
    text = "\u200bXY\n"
    early = [_rm(text, 0, 1, "invisible.zw")]
    late = [_rm(edit.apply(text, early), 0, 2, "inline.xy")]
    merged = edit.merge_passes(text, split_lines(text)[0], early, late)
    assert [(r.start, r.end, r.rule) for r in merged] == [(0, 1, "invisible.zw"), (1, 3, "inline.xy")]


# --------------------------------------------------------------------------------------------
# the engine's pass bound

PEELING = """
[pack]
name = "peel"
version = "1"

[[rules]]
id = "inline.peel"
category = "inline"
description = "an X right before Y: each pass uncovers the next one"
pattern = 'X(?=Y)'
scope = "span"
zone = ["any"]
[rules.examples]
match = ["XY"]
no_match = ["YX"]
"""


def test_engine_stops_after_max_passes_with_a_notice() -> None:
    pack = RulePack((("peel.toml", PEELING),))
    doc = "XXXXXXY\n"
    bounded = cleantext.Cleaner(pack, replace(DEFAULT_LIMITS, max_passes=2)).clean_text(doc)
    # pass 1 and two further passes each take one X; the bound stops the rest
    assert bounded.text == "XXXY\n"
    assert "max-passes: still finding removals after 2 passes" in bounded.report.notices
    assert edit.restore(bounded.text, bounded.report.removals) == doc
    settled = cleantext.Cleaner(pack, replace(DEFAULT_LIMITS, max_passes=10)).clean_text(doc)
    assert settled.text == "Y\n"
    assert not any(n.startswith("max-passes") for n in settled.report.notices)


def test_one_character_keywords_never_stretch_the_head_zone() -> None:
    """A line rule keyed on 文 would mark almost every line advert-like; such keys pick candidate
    lines but never keep a prose line from starting the body."""
    byline = Rule(id="page_furniture.byline", category="page_furniture", pattern=r"^文\s*[|丨]\s*\S{2,4}$",
                  keywords=("文",), zone=("head", "tail"), examples_match=("文 | 张三",))
    m = matcher_of((compile_rule(byline),))
    text = "文 | 张三\n要把文化建设摆在更加突出的位置，第一批试点单位要在年底前拿出实施方案。\n"
    starts, _, _ = split_lines(text)
    assert prefilter(m, text, starts).flagged == frozenset()
    assert 0 in prefilter(m, text, starts).hits  # still a candidate line for its rule


def test_one_definition_of_a_structure_line_for_the_scores_and_the_policies() -> None:
    """``shapes`` (no score removes structure) and ``resolve`` (no policy takes it) share
    ``lines.STRUCTURE``: they used to differ on decimals (``3.5万``), which resolve took for items."""
    assert shapes._STRUCTURE is resolve_module.STRUCTURE is STRUCTURE
    for line in ("一、加强组织领导", "第十二条 本办法自发布之日起施行", "1. 总则", "2）工作要求", "（三）保障措施", "## 相关", "- 条目",
                 "附件2：项目申报汇总表（共3张）", "附件 一：申请表"):
        assert STRUCTURE.match(line), line
        assert is_protected(line), line
    for line in ("3.5万次阅读", "2026年工作要点汇编", "附件: 您需要登录才可以下载或查看附件", "附件下载（共3个）"):
        assert not STRUCTURE.match(line), line
    # and resolve acts on the same definition: an item between two anchors stays, a counter goes
    for middle, absorbed in (("1、好资料", False), ("3.5万次阅读", True)):
        text = f"会员群一\n{middle}\n会员群二\n正文第一段内容完整而且足够长，应当作为正文保留下来。\n"
        layout = _layout(text, 3, 4)
        removals, _ = resolve(text, layout, [_line(layout, 0, "promo.a"), _line(layout, 2, "promo.a")])
        assert (f"{middle}\n" in [r.text for r in removals]) is absorbed, middle
