"""Furniture spliced inside a prose line (stage ③c, ``cleantext/splice.py``)."""

from __future__ import annotations

import pytest

import cleantext
from cleantext.engine import Cleaner
from cleantext.splice import eligible

ARTICLE = "第十五条 出租方选定承租方后，出租方与承租方必须订立租赁{}经营合同，按照国家有关规定办理变更登记手续。\n"


@pytest.mark.parametrize(
    "piece",
    [
        "手机用户请浏览m.shuku88.com阅读，更优质的阅读体验。",
        "（本章未完，请点击下一页继续阅读）",
        "一秒记住本站网址，为您提供精彩阅读。",
    ],
)
def test_a_spliced_furniture_sentence_goes_and_the_sentence_is_joined(piece: str) -> None:
    text = ARTICLE.format(piece)
    res = cleantext.clean(text)
    assert res.text == ARTICLE.format("")
    (r,) = res.report.removals
    assert r.action == "span"
    assert r.text == piece
    assert cleantext.restore(res.text, res.report) == text
    assert cleantext.clean(res.text).text == res.text


def test_the_body_clause_after_a_phrase_without_its_own_end_stays() -> None:
    """The rule's pattern ends in a wildcard, so it would match up to the body's full stop: the piece
    ends at the first clause boundary where it matches, and a further clause joins only when it carries
    advert vocabulary of its own."""
    text = "出租方与承租方必须订立租赁合同，一秒记住本站，按照国家有关规定办理法人变更登记手续。\n"
    out = cleantext.clean(text).text
    assert "按照国家有关规定办理法人变更登记手续。" in out
    assert "出租方与承租方必须订立租赁合同，" in out


def test_a_tag_rule_never_reaches_over_the_body_sentence_after_the_tag() -> None:
    """A line rule for a tag + any title (【精品推荐】…) matched the tag plus the body sentence after it:
    the piece may not reach over a clause without advert words of its own. The tag alone goes."""
    text = "会议要求各部门加强协作。【精品推荐】大家结合实际提出了很多好的建议，我都赞成。\n"
    res = cleantext.clean(text)
    assert res.text == "会议要求各部门加强协作。大家结合实际提出了很多好的建议，我都赞成。\n"
    assert [r.text for r in res.report.removals] == ["【精品推荐】"]


@pytest.mark.parametrize(
    "line",
    [
        "推动平台特色化差异化发展，协同做好示范区资源导入和公共服务。",
        "第二十条 网站应当在首页显著位置公布下载规则，方便用户查阅。",
        "同志们要记住，本站所属的各单位必须按时报送材料，不得延误。",
        "请各单位登录网站下载附件，并于本周五前报送。",
    ],
)
def test_prose_with_furniture_words_is_untouched(line: str) -> None:
    text = "关于做好有关工作的通知\n\n" + line + "\n各单位要高度重视，认真组织实施。\n"
    assert cleantext.clean(text).text == text


def test_rules_that_look_beyond_their_line_are_not_spliced() -> None:
    rules = Cleaner().matcher.rules
    assert not any(eligible(cr) for cr in rules if cr.followed_by is not None or cr.block_end is not None)
    assert not any(eligible(cr) for cr in rules if cr.rule.scope == "span")
    assert any(eligible(cr) for cr in rules)


def test_weak_pieces_need_furniture_elsewhere_in_the_document() -> None:
    """One keyword in brackets is enough where the document has furniture lines, not in a clean one."""
    text = ARTICLE.format("（继续下一页）")
    assert cleantext.clean(text).text == text
    res = cleantext.clean("仅供学习 禁止外传\n" + text)
    assert res.text == ARTICLE.format("")


def test_a_piece_starts_at_the_advert_words_that_lead_its_keyword() -> None:
    """本书 is advert vocabulary touching 最新…章节: the piece starts there, not at the keyword."""
    text = ARTICLE.format("本书最新免费章节请访问。")
    res = cleantext.clean("仅供学习 禁止外传\n" + text)
    assert res.text == ARTICLE.format("")


def test_a_wildcard_tail_never_reaches_into_a_glued_body_sentence() -> None:
    """A pagination call glued to the next body sentence with no clause boundary between them: the
    rule's wildcard tail would match the body sentence too, but that run holds no advert word."""
    text = ("同志们，今天召开全区工作会议。\n\n也展现了大家的思想、担当和作为。本章尚未完结，请点击下一页继续阅读"
            "×同志就贯彻落实机关效能革命讲了很好的意见，我完全赞同。下面，我再强调几点。\n\n谢谢大家。\n")
    res = cleantext.clean(text)
    assert "×同志就贯彻落实机关效能革命讲了很好的意见，我完全赞同。" in res.text
