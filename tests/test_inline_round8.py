"""Round 8 of the in-sentence rules (issue 9): what goes is exactly the glued advert, never a body word."""

from __future__ import annotations

import pytest

import cleantext

LAW = "第一条 为了加强城市道路管理，制定本条例。{}第二条 本条例适用于城市道路的规划、建设、养护和管理。\n"
AT_START = "{}第二条 本条例适用于城市道路的规划、建设、养护和管理。\n"
DATED = "{}2017年3月1日国务院修订，自公布之日起施行。\n"


@pytest.mark.parametrize("advert", [
    "企业安全生产承诺书篇二",
    "教师心得体会（通用8篇）",
    "年会领导发言稿",
    "金博娱乐城",
    "鸿运国际娱乐官网",
    "高中物理学科网",
    "马上注册，享受更多会员特权！",
    "网站建设找我们",
])
def test_an_advert_glued_at_a_sentence_start_goes_and_the_sentence_is_joined(advert: str) -> None:
    for host in (LAW, AT_START):  # after a sentence end, and at the line's start
        text = host.format(advert)
        res = cleantext.clean(text)
        assert (res.text, [r.text for r in res.report.removals]) == (host.format(""), [advert])
        assert cleantext.restore(res.text, res.report) == text


@pytest.mark.parametrize("advert", ["国旗下讲话稿", "个人工作总结范文精选"])
def test_a_title_glued_before_a_date_leaves_the_year(advert: str) -> None:
    res = cleantext.clean(DATED.format(advert))
    assert "2017年3月1日国务院修订" in res.text


@pytest.mark.parametrize("text", [
    "大家好!按皇家赌场官方网站照会议流程进行。\n",  # a Han brand after the sentence's first word: 按 stays
    "大家好!按爱心捐款倡议书篇二照会议流程进行。\n",  # a free topic has no left edge: nothing goes
])
def test_a_splice_after_a_sentences_first_word_never_takes_that_word(text: str) -> None:
    out = cleantext.clean(text).text
    assert "按" in out
    assert "照会议流程进行。" in out


@pytest.mark.parametrize("text", [
    "会议到此结束。年度工作总结要实事求是。\n",
    "会议到此结束。公司年会发言稿由办公室起草。\n",
    "金沙娱乐城位于澳门半岛，是一家大型综合度假村。\n",
    "马德里国际注册申请应当通过商标局提交。\n",
    "请立即注册，下载培训资料。\n",
    "参会人员登录后即可下载全部资料。\n",
    "关于网站建设找我们信息中心的同志联系。\n",
    "本市建成覆盖城乡的优质教育资源网络，高中物理学科网络教学平台已经上线。\n",
])
def test_prose_with_the_same_words_is_untouched(text: str) -> None:
    assert cleantext.clean(text).text == text
