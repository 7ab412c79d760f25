"""Who a removed blank line and an absorbed line are credited to (issue 15)."""

from __future__ import annotations

import cleantext
from cleantext.check import pack_from_text

BODY = "在全区工作会议上的讲话\n同志们：\n今天我们召开会议，主要任务是总结工作，部署下一阶段的重点任务。\n" * 3


def test_blank_lines_before_a_tail_block_are_credited_to_the_tail_rule() -> None:
    text = "仅供学习 禁止外传\n\n" + BODY + "\n\n如有侵权请联系删除\n"
    removals = cleantext.clean(text).report.removals
    tail = [r for r in removals if r.zone == "tail"]
    assert [r.text for r in tail] == ["\n", "\n", "如有侵权请联系删除\n"]
    assert {r.rule for r in tail} == {"disclaimer.repost-takedown"}
    head = [r for r in removals if r.zone == "head"]
    assert {r.rule for r in head} == {"reseller_header.internal-only"}


def test_blank_lines_after_a_head_block_stay_with_the_head_rule() -> None:
    text = "\n如有侵权请联系删除\n\n" + BODY + "\n仅供学习 禁止外传\n\n"
    removals = cleantext.clean(text).report.removals
    assert [(r.line, r.rule) for r in removals if r.zone == "head"] == [
        (1, "disclaimer.repost-takedown"), (2, "disclaimer.repost-takedown"), (3, "disclaimer.repost-takedown"),
    ]
    assert {r.rule for r in removals if r.zone == "tail"} == {"reseller_header.internal-only"}


def _absorbed(head: str) -> list[str]:
    return [r.text for r in cleantext.clean(head + BODY).report.removals if r.action == "absorbed"]


def test_a_brand_line_between_two_anchor_lines_is_absorbed() -> None:
    assert _absorbed("仅供学习 禁止外传\n酷乐文行\n免费分享，倒卖必究\n") == ["酷乐文行\n"]


def test_a_brand_line_between_two_non_anchor_lines_stays() -> None:
    """README: contact and page-furniture lines stand alone on real pages; they anchor nothing."""
    assert _absorbed("微信：abc12345\n酷乐文行\nQQ：12345678\n") == []
    assert _absorbed("第2页 共21页\n酷乐文行\n第3页 共21页\n") == []


def test_a_user_rule_is_an_anchor_unless_it_says_otherwise() -> None:
    rule = """
[[rules]]
id = "promo.my-shop"
keywords = ["小店"]
pattern = '''^欢迎光临小店.{0,10}$'''
{anchor}
[rules.examples]
match = ["欢迎光临小店"]
"""
    doc = "欢迎光临小店\n酷乐文行\n欢迎光临小店二号\n" + BODY
    for anchor, absorbed in (("", ["酷乐文行\n"]), ("anchor = false", [])):
        pack = cleantext.pack_from_text(rule.replace("{anchor}", anchor), builtins=True)
        got = [r.text for r in cleantext.clean(doc, pack=pack).report.removals if r.action == "absorbed"]
        assert got == absorbed, anchor


def test_a_brand_name_right_above_the_slogan_that_repeats_it_goes_with_it() -> None:
    """A rule sees one line: the slogan rule takes 一起学习X, the policy takes X above it."""
    removals = cleantext.clean("冷门知识站\n一起探索冷门知识站\n\n" + BODY).report.removals
    assert [(r.text, r.action, r.rule) for r in removals if r.text.strip()] == [
        ("冷门知识站\n", "absorbed", "reseller_header.slogan-repeats-brand"),
        ("一起探索冷门知识站\n", "line", "reseller_header.slogan-repeats-brand"),
    ]


def test_a_line_above_a_slogan_that_does_not_repeat_it_stays() -> None:
    """Only the name the slogan repeats goes: a title above a header block is the document's."""
    text = "荷塘月色\n仅供学习 禁止外传\n\n" + BODY
    assert "荷塘月色" in cleantext.clean(text).text
    pack = pack_from_text('[pack]\nname = "off"\nversion = "1"\ndisabled = ["resolve.absorb"]\n', builtins=True)
    assert cleantext.clean("冷门知识站\n一起探索冷门知识站\n\n" + BODY, pack=pack).text.startswith("冷门知识站\n")
