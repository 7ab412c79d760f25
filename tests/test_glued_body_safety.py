"""Body safety of line rules when an advert is glued in front of body text (issue 9).

``bench_family_probes.py --all-positions`` puts every advert row at every position: on a line of its
own and glued to a sentence's front, to its second sentence, before a comma, between Han characters.
A line rule whose tail ran on to the line's end (``[^\\n。]{0,60}``) took the whole body line the advert
was glued to, a law's dated line or a short dialogue line; the rules below now end where the advert
ends. This runs the same sweep over a deterministic sample of their families' rows (every third) in
bodies with such short lines at the splice paragraph and asserts that no body character is lost."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import cleantext
from cleantext.engine import Cleaner

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from probe_kit import ALL_WHERE, body_lost, read_tsv  # noqa: E402

FIXED = {
    "disclaimer.sourced-from-web": "disclaimer.repost_takedown",
    "page_furniture.novel-unfinished-page": "novel.page_continue",
    "page_furniture.novel-reader-tip": "novel.reader_tip",
}
"""The rules fixed and the probe family whose rows exercise each."""
SPEECH = [x for x in (ROOT / "fixtures" / "expected" / "seed_utf8.txt").read_text("utf-8").splitlines() if x.strip()][:8]
SHORT_LINES = ("2021年6月10日 省人民代表大会常务委员会第二十三次会议通过",
               "“你先回去吧，明天再说。”", "第五章 附则")
"""Short body lines with no sentence end inside (a dated line, a line of dialogue, a heading): what a
line rule's open tail could swallow whole. Written for this test, not taken from a corpus."""
BODIES = [SPEECH, *([*SPEECH[:3], line, *SPEECH[4:]] for line in SHORT_LINES)]
"""The speech, and the speech with each short line as the paragraph probes are glued into."""
ROWS = [row for name in ("family_probes.tsv", "family_probes_heldout.tsv")
        for row in read_tsv(ROOT / "benchmarks" / name)
        if row[0] in FIXED.values() and row[1] in {"advert", "splice"}][::3]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(cleantext.default_pack())


def test_the_sample_exercises_every_fixed_family() -> None:
    assert {row[0] for row in ROWS} == set(FIXED.values())


@pytest.mark.parametrize("where", ALL_WHERE)
def test_no_fixed_rule_takes_body_text_at_any_position(cleaner: Cleaner, where: str) -> None:
    lost = [(text, i, rules) for _, _, text in ROWS for i, body in enumerate(BODIES)
            if set(rules := body_lost(cleaner, text, body, where)) & FIXED.keys()]
    assert lost == []


@pytest.mark.parametrize("advert", [
    "本章未完，请点击下一页继续阅读精彩内容！", "部分图片来自网络，侵删",
    "提示：本站已开启防转码，建议使用浏览器阅读", "温馨提示：按 回车[Enter]键 返回书目，按 ←键 返回上一页",
])
def test_the_advert_alone_on_its_line_still_goes(cleaner: Cleaner, advert: str) -> None:
    res = cleaner.clean_text("\n\n".join([*SPEECH[:4], advert, *SPEECH[4:]]) + "\n")
    assert res.text == "\n\n".join(SPEECH) + "\n"
