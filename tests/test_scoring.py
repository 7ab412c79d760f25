"""Scored removals: signals + shape + context, fitted weights, body-safety gates, explainable reports."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleantext
from cleantext import Report, cli
from cleantext.check import pack_from_text
from cleantext.rules.examples import signal_fires
from cleantext.shapes import is_protected, reads_as_prose

BODY = (
    "在全区工作会议上的讲话\n\n"
    "同志们：\n"
    "今天召开这次会议，主要任务是总结去年工作，部署今年任务，动员全区上下进一步统一思想。\n"
    "过去一年，我们坚持稳中求进工作总基调，经济社会发展取得了新的成绩，人民群众获得感不断增强。\n"
    "今年要突出抓好项目建设，着力优化营商环境，切实保障和改善民生，推动各项工作再上新台阶。\n"
)

# A tail block of a site no rule was written for: the rules know 仅供学习 (a precise rule fires),
# the rest is vocabulary and shape only.
TAIL = "\n仅供学习 禁止外传\n登录 | 注册 | 找回密码\n手机版 | 电脑版 | 客户端下载\n"


def test_unseen_furniture_goes_by_score_and_says_why() -> None:
    res = cleantext.clean(BODY + TAIL)
    scored = [r for r in res.report.removals if r.action == "score"]
    assert {r.text.strip() for r in scored} >= {"登录 | 注册 | 找回密码", "手机版 | 电脑版 | 客户端下载"}
    for r in scored:
        assert r.score is not None
        assert r.rule.startswith("signal.")
        assert any(name == r.rule for name, _ in r.signals)  # the strongest signal names the removal
        assert r.score >= cleantext.default_pack().scoring["tail"]
    assert res.text == BODY


def test_scored_report_round_trips_and_restores() -> None:
    text = BODY + TAIL
    res = cleantext.clean(text)
    back = Report.from_json(res.report.to_json())
    assert back == res.report
    assert cleantext.restore(res.text, back) == text
    assert res.report.to_dict()["version"] == 3


def test_version_1_reports_still_read() -> None:
    res = cleantext.clean("仅供学习 禁止外传\n" + BODY)
    d = res.report.to_dict()
    d["version"] = 1
    assert cleantext.restore(res.text, Report.from_dict(d)) == "仅供学习 禁止外传\n" + BODY


def test_look_alike_document_is_untouched() -> None:
    """No precise rule fires on an official notice: weak evidence never removes its contact lines."""
    text = BODY + "\n联系人：张三　联系电话：0371-65432100\n联系邮箱：office@example.gov.cn\n"
    assert cleantext.clean(text).text == text


@pytest.mark.parametrize(
    "line",
    ["一、加强组织领导", "第十二条 本办法自发布之日起施行。", "- 实现对软件包的下载", "同志们：", "## 相关推荐"],
)
def test_structure_is_protected(line: str) -> None:
    assert is_protected(line)


def test_prose_guard() -> None:
    assert reads_as_prose("正文内容完整保留下来，没有任何改动。", 60)
    assert not reads_as_prose("本文禁止任何商业性转载", 60)


def test_a_long_clause_before_a_list_reads_as_prose_even_first_in_a_document() -> None:
    clause = "以营利为目的，未经著作权人许可，复制发行其文字作品、音乐、电影、电视、录像作品、计算机软件及其他作品，具有下列情形之一的："
    assert reads_as_prose(clause, 60)
    assert not reads_as_prose(clause[:30] + "：", 60)
    assert clause in cleantext.clean(clause + "\n\n" + BODY).text


def test_signals_alone_never_remove_prose() -> None:
    tail = "\n仅供学习 禁止外传\n欢迎登录本站，注册会员即可免费下载全部资料，点击收藏分享给好友。\n"
    res = cleantext.clean(BODY + tail)
    assert "欢迎登录本站" in res.text


def test_user_pack_overrides_threshold_and_weights() -> None:
    strict = pack_from_text("[scoring]\nhead = 99.0\ntail = 99.0\nbody = 99.0\n", builtins=True)
    res = cleantext.clean(BODY + TAIL, pack=strict)
    assert not [r for r in res.report.removals if r.action == "score"]
    zero = pack_from_text('[weights]\n"signal.account" = -50.0\n"signal.web" = -50.0\n', builtins=True)
    res = cleantext.clean(BODY + TAIL, pack=zero)
    assert not [r for r in res.report.removals if r.action == "score"]
    assert strict.ref.sha256 != cleantext.default_pack().ref.sha256  # scores are part of the pack hash


def test_disabled_signal_does_not_fire() -> None:
    pack = pack_from_text('[pack]\ndisabled = ["signal.account", "signal.web"]\n', builtins=True)
    assert "signal.account" not in {g.id for g in pack.signals}
    res = cleantext.clean(BODY + TAIL, pack=pack)
    assert all(r.rule not in {"signal.account", "signal.web"} for r in res.report.removals)


def test_signal_examples_run_through_keywords_and_pattern() -> None:
    by_id = {g.id: g for g in cleantext.default_pack().signals}
    assert signal_fires(by_id["signal.page-count"], "第3页")
    assert not signal_fires(by_id["signal.page-count"], "页面")  # keyword 页 alone is not the shape
    assert signal_fires(by_id["signal.download"], "下載客戶端")  # Traditional folds to Simplified


def test_bad_user_signal_is_named(tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_text('[[signals]]\nid = "signal.x"\nkeywords = ["广告"]\n[signals.examples]\nmatch = ["没有"]\n',
                 encoding="utf-8")
    with pytest.raises(cleantext.RuleExampleError, match=r"signal\.x"):
        cleantext.load_pack(p)
    p.write_text('[[signals]]\nid = "signal.x"\nkeywords = []\n[signals.examples]\nmatch = ["x"]\n', encoding="utf-8")
    with pytest.raises(cleantext.RuleSchemaError, match="keywords"):
        cleantext.load_pack(p)


def test_cleaning_scored_output_again_changes_nothing() -> None:
    once = cleantext.clean(BODY + TAIL).text
    assert cleantext.clean(once).text == once


def test_explain_shows_the_sum_against_the_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(BODY + TAIL, encoding="utf-8")
    assert cli.main(["explain", str(doc), "--color", "never"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "找回密码" in x)
    assert "score " in line  # the sum...
    tail = cleantext.default_pack().scoring["tail"]
    assert f" ≥ {tail:.2f}: " in line  # ...against the tail threshold, then the heaviest features
    assert "signal." in line.split("score", 1)[0]  # the strongest signal names the removal
    assert cli.main(["explain", str(doc), "--rule", "signal.account", "--color", "never"]) == 0
    only = capsys.readouterr().out
    assert "{signal.account " in only
    assert "reseller_header.internal-only" not in only


# A reseller header of a brand no rule knows: the first and last lines are anchors, the brand name
# has no vocabulary at all, the slogan between them goes by score only.
HEADER = "个人学习专用 请勿传播\n墨香文苑\n优质范文 天天上新\n加入年度会员 往期资料任意下载\n\n"


def test_brand_in_a_block_that_a_scored_line_interrupts_joins_the_block() -> None:
    res = cleantext.clean(HEADER + BODY)
    assert res.text == BODY
    brand = next(r for r in res.report.removals if r.text.strip() == "墨香文苑")
    assert not brand.rule.startswith("signal.")  # named after the precise rule at the block's edge
    assert cleantext.restore(res.text, res.report) == HEADER + BODY


def test_two_scored_lines_never_absorb_what_lies_between() -> None:
    """A sandwich needs anchors at both ends: scores are weaker evidence of a block."""
    text = BODY + "\n仅供学习 禁止外传\n\n登录 | 注册 | 找回密码\n山水之间\n手机版 | 电脑版 | 客户端下载\n"
    res = cleantext.clean(text)
    assert {r.action for r in res.report.removals if r.text.strip().startswith(("登录", "手机版"))} == {"score"}
    assert "山水之间" in res.text


def test_title_between_an_anchor_and_a_standalone_line_stays() -> None:
    """A toolbar line under the title is removed, but it is no anchor: the title is not sandwiched."""
    text = "仅供学习 禁止外传\n\n我的家乡\n下载 | 收藏 | 分享\n\n" + BODY
    res = cleantext.clean(text)
    assert {r.text.strip() for r in res.report.removals} >= {"仅供学习 禁止外传", "下载 | 收藏 | 分享"}
    assert "我的家乡" in res.text


@pytest.mark.parametrize("line", ["全年接待量：86万人次", "值班电话：0591-87001234　地址：东街 5 号", "解析：第5页",
                                  "【拓展阅读】", "（以下无正文）"])
def test_a_fact_or_an_aside_is_no_evidence_alone_at_a_document_head(line: str) -> None:
    """A label with a figure and a one-bracket line are a body's own short lines as often as a page's:
    their place at the top of a document where no rule fired must not carry them out on one weak signal."""
    text = f"{line}\n\n{BODY}"
    assert cleantext.clean(text).text == text


def test_the_same_shapes_still_go_next_to_furniture() -> None:
    """The guard only withholds evidence: beside lines a rule removed, the shapes are scored as before."""
    line = "下载积分: 1500 内容提示:"  # three signals: furniture by its words, whatever its shape
    res = cleantext.clean(f"{line}\n\n{BODY}")
    assert line not in res.text
