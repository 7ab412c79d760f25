"""One word per idea (issue 14): what a removal's ``action`` says, the resolve policies named and
turned off like rules, the notice codes in one table, and reports of every version still read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import get_args

import pytest

import cleantext
from cleantext import Report, ReportError
from cleantext.check import check_pack_file
from cleantext.explain import render_explain
from cleantext.model import ACTIONS, NOTICES, POLICIES, NoticeCode
from cleantext.report import REPORT_VERSION

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "fixtures" / "reports"

BODY = "正文第一段内容完整而且足够长，应当作为正文保留下来。\n"
P1 = "同志们：这次动员大会，是市委、市政府在充分酝酿的基础上召开的一次十分重要的会议。"
P2 = "会议的主要任务是，动员全市上下进一步统一思想，明确任务，落实责任。"
P3 = "下面，我讲三点意见。"

POLICY_CASES = {
    # policy id: (document, the text only that policy removes)
    "resolve.absorb": ("仅供学习 禁止外传\n酷乐文行\n免费分享，倒卖必究\n" + BODY, "酷乐文行\n"),
    "resolve.duplicate-title": (
        "政务新媒体工作情况汇报\n\n仅供学习 禁止外传\n\n政务新媒体 工作情况汇报\n\n" + BODY, "政务新媒体工作情况汇报\n"),
    "page_furniture.repeated-excerpt": (f"讲话标题\n{P1}\n{P2}\n{P3}\n讲话标题\n{P1}\n{P2}\n{P3}\n", f"{P1}\n{P2}\n{P3}\n"),
    "resolve.blank-lines": ("仅供学习 禁止外传\n\n\n标题\n" + BODY, "\n\n"),
}


def _disabling(*ids: str) -> cleantext.RulePack:
    listed = ", ".join(f'"{i}"' for i in ids)
    return cleantext.pack_from_text(f'[pack]\nname = "off"\nversion = "1"\ndisabled = [{listed}]\n', builtins=True)


def test_every_policy_has_a_case() -> None:
    assert set(POLICY_CASES) == set(POLICIES)
    assert set(POLICIES.values()) <= set(ACTIONS)


@pytest.mark.parametrize("policy", sorted(POLICY_CASES))
def test_a_policy_says_what_it_did_and_can_be_turned_off(policy: str) -> None:
    doc, taken = POLICY_CASES[policy]
    action = POLICIES[policy]
    res = cleantext.clean(doc)
    mine = [r for r in res.report.removals if r.action == action]
    assert "".join(r.text for r in mine) == taken  # the report names the policy by its action
    if policy == "page_furniture.repeated-excerpt":
        assert {r.rule for r in mine} == {policy}  # ... and the excerpt by its id as well
    off = _disabling(policy)
    assert off.policies_off == {policy}
    assert off.ref.sha256 != cleantext.default_pack().ref.sha256
    kept = cleantext.clean(doc, pack=off)
    assert not [r for r in kept.report.removals if r.action == action]
    assert kept.text.count(taken) == res.text.count(taken) + 1  # what the policy took is back
    assert cleantext.restore(kept.text, kept.report) == doc
    # the rules and the other policies still run
    assert {r.action for r in kept.report.removals} == {r.action for r in res.report.removals} - {action}


def test_a_policy_id_is_not_a_typo_and_a_typo_still_is() -> None:
    assert _disabling(*POLICIES).policies_off == set(POLICIES)
    with pytest.raises(cleantext.RuleSchemaError, match=r"disabled names unknown rule 'resolve\.absorption'"):
        _disabling("resolve.absorption")


def test_actions_of_a_block_rule_and_of_a_score_keep_their_words() -> None:
    tail = "\n仅供学习 禁止外传\n登录 | 注册 | 找回密码\n手机版 | 电脑版 | 客户端下载\n"
    res = cleantext.clean_bytes((REPORTS / "v2_scored.in").read_bytes())
    words = {r.action for r in res.report.removals}
    assert {"line", "absorbed", "blank", "score"} <= words
    assert "block" not in words  # no block rule fires there: version 2 called the policies' lines "block"
    block = cleantext.pack_from_text(
        '[[rules]]\nid = "promo.my-block"\ncategory = "promo"\ndescription = "a block"\nkeywords = ["小店开张"]\n'
        "pattern = '^小店开张$'\nscope = \"block\"\nzone = [\"any\"]\n[rules.block]\nend = '^欢迎光临$'\n"
        '[rules.examples]\nmatch = ["小店开张"]\n', builtins=True)
    got = cleantext.clean("小店开张\n新品上架\n欢迎光临\n" + BODY + tail, pack=block).report.removals
    assert [r.action for r in got if r.rule == "promo.my-block"] == ["block"] * 3


@pytest.mark.parametrize("old", ["v1_gbk_corrupt", "v2_scored"])
def test_reports_of_earlier_versions_still_read_and_restore(old: str) -> None:
    """Reports written by versions 1 and 2 (kept as they were written): their ``block`` stays
    ``block``, and they restore the original bytes exactly."""
    raw = (REPORTS / f"{old}.in").read_bytes()
    report_json = (REPORTS / f"{old}.json").read_text(encoding="utf-8")
    version = json.loads(report_json)["version"]
    assert version == int(old[1]) < REPORT_VERSION
    rep = Report.from_json(report_json)
    now = cleantext.clean_bytes(raw)
    assert now.to_bytes() == (REPORTS / f"{old}.clean.txt").read_bytes()  # the clean text it was written with
    assert cleantext.restore_bytes(now.text, rep) == raw
    assert "block" in {r.action for r in rep.removals}
    # today's cleaner removes the same spans; only the words of the policies' lines changed
    assert [(r.start, r.end, r.rule) for r in now.report.removals] == [(r.start, r.end, r.rule) for r in rep.removals]
    assert [r.action for r in now.report.removals if r.action not in {"absorbed", "blank", "title-copy", "excerpt"}] \
        == [r.action for r in rep.removals if r.action != "block"]
    assert now.report.to_dict()["version"] == REPORT_VERSION == 3


def test_an_unknown_action_or_zone_is_a_malformed_report() -> None:
    d = cleantext.clean("仅供学习 禁止外传\n" + BODY).report.to_dict()
    for field, word in (("action", "absorbed-ish"), ("zone", "middle")):
        bad = json.loads(json.dumps(d))
        bad["removals"][0][field] = word
        with pytest.raises(ReportError, match=f"unknown {field} '{word}'"):
            Report.from_dict(bad)


def test_explain_says_what_each_policy_did() -> None:
    for policy, (doc, _) in POLICY_CASES.items():
        res = cleantext.clean(doc)
        shown = render_explain(doc, res.report.removals, color=False)
        assert f" ({POLICIES[policy]})}}" in shown, policy
        assert "(block)" not in shown


# -- notices ---------------------------------------------------------------------------------------------

_WRITTEN = re.compile(r'notice\(\s*"([a-z-]+)"|f?"([a-z]+(?:-[a-z]+)+): ')


def test_the_notice_table_is_the_notice_type() -> None:
    assert set(get_args(NoticeCode)) == set(NOTICES)


def test_every_notice_the_code_writes_has_a_code_in_the_table() -> None:
    written: set[str] = set()
    for path in (REPO / "cleantext").rglob("*.py"):
        for m in _WRITTEN.finditer(path.read_text(encoding="utf-8")):
            written.add(m.group(1) or m.group(2))
    assert written >= {"decode-replaced", "cap-document", "rule-timeout", "max-passes", "not-chinese"}
    assert written <= set(NOTICES), written - set(NOTICES)


def test_the_readme_lists_the_notice_codes_and_actions() -> None:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([a-z-]+)` \| ([^|]+?) \|$", text, re.MULTILINE))
    assert {k: listed.get(k) for k in NOTICES} == dict(NOTICES)
    actions = set(re.findall(r"^\| `([a-z-]+)` \| [^|]+ \| [^|]+ \|$", text, re.MULTILINE))
    assert set(ACTIONS) <= actions


@pytest.mark.parametrize("off", ["resolve.duplicate-title", "signal.web"])
def test_check_pack_accepts_what_loading_accepts_in_disabled(off: str, tmp_path: Path) -> None:
    """``check-pack`` and loading share one idea of a known id: rules, signals and the policies."""
    pack = tmp_path / "off.toml"
    pack.write_text(f'[pack]\nname = "off"\nversion = "1"\ndisabled = ["{off}"]\n', encoding="utf-8")
    cleantext.load_pack(pack)
    assert check_pack_file(str(pack)) == ([], 0, 0)
