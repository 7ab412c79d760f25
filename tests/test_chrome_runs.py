"""The gap policy of ``cleantext/runs.py`` (part of ``resolve.absorb``): the counters, buttons and
card fields of a web-chrome block go with the lines rules took around them, and body lines of the
same size stay (a title between a breadcrumb and a metadata line, a line set apart by blank lines,
a ``- `` list item, the lines of a document no rule fired on)."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleantext
from cleantext.engine import Cleaner
from cleantext.runs import kind, value_of

ROOT = Path(__file__).resolve().parents[1]
BODY = [x for x in (ROOT / "fixtures" / "expected" / "seed_utf8.txt").read_text("utf-8").splitlines() if x.strip()][:6]


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner(cleantext.default_pack())


def _left(cleaner: Cleaner, block: str, where: str) -> list[str]:
    """The lines of ``block`` still in the output, once it is put at the head or in the tail."""
    doc = "\n\n".join([block, *BODY] if where == "head" else [*BODY, block]) + "\n"
    res = cleaner.clean_text(doc)
    out = {x.strip() for x in res.text.splitlines()}
    assert all(b.strip() in out for b in BODY)
    return [x.strip() for x in block.splitlines() if x.strip() and x.strip() in out]


@pytest.mark.parametrize("where", ["head", "tail"])
@pytest.mark.parametrize(
    "block",
    [
        "博客統計\n  • 访问量: 7,310\n  • 博主等级: 中校\n  • 文章数: 58\n  • 所在地: 成都\n  • 积分: 2,200",
        "写下你的评论\n\n300\n发表评论\n全部评论(4)",
        "粉丝\n842\n获赞\n1,306",
        "打印\n字号\n大\n小\n关闭窗口",
    ],
)
def test_the_rest_of_a_chrome_block_goes(cleaner: Cleaner, block: str, where: str) -> None:
    assert _left(cleaner, block, where) == []


@pytest.mark.parametrize("where", ["head", "tail"])
@pytest.mark.parametrize(
    ("block", "kept"),
    [
        ("当前位置：首页 > 诗词\n春晓\n来源：本站", ["春晓"]),  # a title between a breadcrumb and a metadata line
        ("收藏\n\n春晓\n\n分享", ["春晓"]),  # set apart by blank lines: the document's own line
        ("• 阅读量：3201\n- 第一项工作\n• 评论: 12", ["- 第一项工作"]),  # a list item is structure
        ("会议时间：2023年6月8日\n会议地点：区行政中心\n参会人员：各街道负责人", None),  # no rule fired
        ("年份 产值\n2021 240\n2022 265", None),
    ],
)
def test_body_lines_of_the_same_size_stay(cleaner: Cleaner, block: str, kept: list[str] | None, where: str) -> None:
    expected = kept if kept is not None else [x for x in block.splitlines() if x.strip()]
    assert set(expected) <= set(_left(cleaner, block, where))


def test_kinds() -> None:
    assert [kind(s) for s in ("240", "0/500", "35%", "(12)", "×")] == ["counter"] * 5
    assert [kind(s) for s in ("新版", "提交", "夜间")] == ["button"] * 3
    assert kind("• 用 户 组: 普通用户") == "field•"
    assert kind("博客等级：大校") == "field"
    assert [kind(s) for s in ("一、总则", "- 第一项", "好的。", "这是一句很长的正文，不是按钮")] == [None] * 4
    assert value_of("积分", "5320")
    assert not value_of("第2页", "5320")
    assert not value_of("来源：本站", "12")


PAGE = [BODY[2], BODY[3], BODY[5]]
"""A page's worth of the speech (three long paragraphs)."""


def _pages(*numbers: str, sep: str = "\n\n") -> str:
    """The speech's title, then a page of it before each number and one after the last."""
    parts = [BODY[0]]
    for n in numbers:
        parts += [*PAGE, n]
    return sep.join([*parts, *PAGE]) + "\n"


@pytest.mark.parametrize(
    ("numbers", "sep"),
    [(("1", "2", "3"), "\n\n"), (("7", "- 8 -", "9", "10"), "\n\n"), (("3", "4", "5"), "\n")],
)
def test_recurring_lone_page_numbers_go(cleaner: Cleaner, numbers: tuple[str, ...], sep: str) -> None:
    doc = _pages(*numbers, sep=sep)
    res = cleaner.clean_text(doc)
    assert {x.strip() for x in res.text.splitlines()}.isdisjoint(numbers)
    assert all(p in res.text for p in [BODY[0], *PAGE])
    assert {r.rule for r in res.report.removals} == {"page_furniture.page-counter"}


@pytest.mark.parametrize(
    "doc",
    [
        _pages("1", "2"),  # two are not a run
        _pages("1", "3", "5"),  # not numbered one up
        "\n\n".join([BODY[0], "1", *PAGE, "2", *PAGE, "3", *PAGE]) + "\n",  # section numbers open their sections
        "\n".join([BODY[0], BODY[1], "1", "2", "3", BODY[2]]) + "\n",  # a column of a table
        "\n\n".join([BODY[0], *PAGE, "1", BODY[4], "2", *PAGE, "3", *PAGE]) + "\n",  # one heading is no page
    ],
)
def test_lone_numbers_that_are_not_page_numbers_stay(cleaner: Cleaner, doc: str) -> None:
    assert cleaner.clean_text(doc).text == doc
