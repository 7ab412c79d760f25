"""Each stage on its own, then the whole pipeline on the seed and on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleantext
from cleantext import BinaryInputError, InputTooLargeError, Limits, Removal, Report, ReportError
from cleantext.edit import apply, restore, shift_patches
from cleantext.model import BytePatch
from cleantext.segment import is_body_like, segment, split_lines

from .conftest import SEED, SEED_EXPECTED

SEED_HEADER = [
    "仅供学习 禁止外传",
    "酷乐文行",
    "自建平台、实时分享",
    "根据实际需求和形式任务不断迭代",
    "现在订阅立享前3年的所有权益和资料",
    "【打击倒卖活动】",
    "举报倒卖会员资料的人，举报成功免费赠送一年会员材料！",
    "会员群：                      免费QQ群：",
]


def normalize(text: str) -> str:
    """The corpus scorer's comparison: no BOM, LF, rstrip lines, blank runs collapsed."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


# ---------------------------------------------------------------- segment


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("", []),
        ("a", [("a", "")]),
        ("a\n", [("a", "\n")]),
        ("a\r\nb", [("a", "\r\n"), ("b", "")]),
        ("a\rb\r", [("a", "\r"), ("b", "\r")]),
        ("a\n\nb\n", [("a", "\n"), ("", "\n"), ("b", "\n")]),
        ("x\u2028y\x0cz\x85\n", [("x\u2028y\x0cz\x85", "\n")]),
        ("a\rb\nc", [("a", "\r"), ("b", "\n"), ("c", "")]),  # a lone CR ends a line in mixed files too
    ],
)
def test_split_lines_only_on_newline(text: str, lines: list[tuple[str, str]]) -> None:
    starts, ends, stops = split_lines(text)
    assert [(text[s:e], text[e:t]) for s, e, t in zip(starts, ends, stops, strict=True)] == lines
    assert "".join(text[s:t] for s, t in zip(starts, stops, strict=True)) == text


def test_zones_anchor_to_content() -> None:
    text = "仅供学习\n酷乐文行\n\n第一条 为了规范管理工作，根据有关法律制定本办法。\n短句。\n会员群：\n"
    lay = segment(text)
    # the tail starts after the last body-like line: the short 短句。 belongs to it
    assert [lay.zone(i) for i in range(len(lay))] == ["head", "head", "head", "body", "tail", "tail"]
    flagged = segment(text, flagged={3})
    assert flagged.zone(3) == "head"


def test_body_like() -> None:
    assert is_body_like("第一条 为了规范管理工作，根据有关法律制定本办法。")
    assert not is_body_like("举报成功免费赠送一年会员材料！")
    assert not is_body_like("酷乐文行")


# ---------------------------------------------------------------- edit


def _rm(text: str, start: int, end: int) -> Removal:
    return Removal(start, end, text[start:end], "r.x", "promo", "head", 1, "line")


def test_apply_and_restore_are_inverse() -> None:
    text = "abcdefghij"
    rms = [_rm(text, 0, 2), _rm(text, 4, 5), _rm(text, 9, 10)]
    clean = apply(text, rms)
    assert clean == "cdfghi"
    assert restore(clean, rms) == text


def test_restore_rejects_removals_that_do_not_fit() -> None:
    with pytest.raises(ReportError):
        restore("ab", [Removal(10, 12, "xy", "r.x", "promo", "head", 1, "line")])


def test_shift_patches_follows_removals() -> None:
    text = "0123456789"
    rms = [_rm(text, 1, 3), _rm(text, 6, 7)]
    patches = (BytePatch(0, 1, b"\xff"), BytePatch(2, 3, b"\xfe"), BytePatch(8, 9, b"\xfd"))
    assert shift_patches(patches, rms) == (BytePatch(0, 1, b"\xff"), BytePatch(5, 6, b"\xfd"))


# ---------------------------------------------------------------- the seed


def test_seed_comes_out_exactly_with_all_eight_header_lines() -> None:
    raw = SEED.read_bytes()
    res = cleantext.clean_bytes(raw)
    expected = SEED_EXPECTED.read_text(encoding="utf-8")
    assert normalize(res.text) == normalize(expected)
    removed = [r.text.strip() for r in res.report.removals if r.text.strip()]
    assert removed == SEED_HEADER
    assert {r.category for r in res.report.removals} == {"reseller_header"}
    assert cleantext.restore_bytes(res.text, res.report) == raw
    assert res.to_bytes() == res.text.encode("utf-8")


def test_report_json_is_chinese_sorted_and_validated() -> None:
    res = cleantext.clean_bytes(SEED.read_bytes())
    js = res.report.to_json()
    assert "仅供学习" in js  # ensure_ascii=False
    d = json.loads(js)
    assert list(d) == sorted(d)
    assert Report.from_json(js) == res.report
    bad = json.loads(js)
    bad["removals"][0]["text"] += "x"
    with pytest.raises(ReportError):
        Report.from_dict(bad)
    bad = json.loads(js)
    bad["removals"].reverse()
    with pytest.raises(ReportError):
        Report.from_dict(bad)
    with pytest.raises(ReportError):
        Report.from_json("[1, 2]")
    with pytest.raises(ReportError):
        Report.from_json("{not json")
    with pytest.raises(ReportError):
        Report.from_dict({"encoding": {}})


def test_annotate_mode_keeps_text_and_fills_report() -> None:
    text = SEED.read_text(encoding="utf-8")
    res = cleantext.clean(text, mode="annotate")
    assert res.text == text
    assert len([r for r in res.report.removals if r.text.strip()]) == 8
    assert cleantext.restore(res.text, res.report) == text
    with pytest.raises(ValueError, match="mode"):
        cleantext.clean(text, mode="explode")  # type: ignore[arg-type]


def test_to_bytes_keeps_encoding_bom_and_crlf() -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    for enc in ("utf-8-sig", "gb18030", "utf-16"):
        data = text.encode(enc)
        res = cleantext.clean_bytes(data)
        assert res.report.newline == "crlf"
        out = res.to_bytes()
        assert out.decode(enc) == res.text
        assert "\r\n" in res.text
        assert "\n" not in res.text.replace("\r\n", "")
        assert cleantext.restore_bytes(res.text, res.report) == data


def test_clean_file_and_summary(tmp_path: Path) -> None:
    p = tmp_path / "doc.txt"
    p.write_bytes(SEED.read_bytes())
    res = cleantext.clean_file(p)
    assert "removed 8 (+7 blank line(s)): reseller_header 8" in res.report.summary()
    with pytest.raises(cleantext.InputError, match="cannot read"):
        cleantext.clean_file(tmp_path / "missing.txt")


# ---------------------------------------------------------------- bad input


def test_empty_input_gives_empty_text_and_report() -> None:
    res = cleantext.clean_bytes(b"")
    assert res.text == ""
    assert res.report.removals == ()
    assert cleantext.restore_bytes(res.text, res.report) == b""


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + bytes(200), b"PK\x03\x04" + bytes(100), b"\x7fELF\x02\x01\x01" + bytes(64)],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError):
        cleantext.clean_bytes(data)


JAPANESE = (
    "吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。\n"
    "何でも薄暗いじめじめした所でニャーニャー泣いていた事だけは記憶している。\n"
    "吾輩はここで始めて人間というものを見た。\n"
    "しかもあとで聞くとそれは書生という人間中で一番獰悪な種族であったそうだ。\n"
)


@pytest.mark.parametrize("codec", ["shift_jis", "utf-8"])
def test_text_that_is_not_chinese_loses_no_line(codec: str) -> None:
    # Issue 11 item 5: Shift-JIS Japanese lost 4 of its 5 lines as hidden-character lines. With
    # a reseller line and a zero-width mark the Chinese packs would take, nothing goes either.
    text = "仅供学习 禁止外传\n" + JAPANESE.replace("名前", "名\u200b前") if codec == "utf-8" else JAPANESE
    data = text.encode(codec)
    res = cleantext.clean_bytes(data)
    assert res.text == text
    assert res.report.removals == ()
    assert [n for n in res.report.notices if n.startswith("not-chinese: ")] == [
        "not-chinese: the text reads as Japanese; the Chinese rule packs were not run and nothing was removed"
    ]
    assert cleantext.restore_bytes(res.text, res.report) == data
    assert cleantext.clean(text).report.removals == ()


def test_too_large_input_is_refused() -> None:
    cleaner = cleantext.Cleaner(limits=Limits(max_bytes=10))
    with pytest.raises(InputTooLargeError):
        cleaner.clean_bytes("仅供学习 禁止外传".encode())


def test_body_line_is_never_removed_whole() -> None:
    long_line = "会员群：" + "这是一段很长的正文，" * 20 + "。"
    doc = "标题\n" + "正文第一段内容完整而且足够长，应当作为正文保留下来。\n" + long_line + "\n" + "结尾正文也要足够长，才会被当作正文的最后一行。\n"
    assert cleantext.clean(doc).text == doc


def test_document_cap_keeps_everything_when_rules_would_take_most_of_it() -> None:
    doc = "正文第一段内容完整而且足够长，应当作为正文保留下来。\n" + "会员群：123456789\n" * 30
    res = cleantext.Cleaner(limits=Limits(cap_min_chars=10)).clean_text(doc)
    assert res.text == doc
    assert any(n.startswith("cap-document") for n in res.report.notices)


# ---------------------------------------------------------------- resolve policies


BODY = "正文第一段内容完整而且足够长，应当作为正文保留下来。\n"


def test_duplicated_title_above_an_advert_block_goes_with_it() -> None:
    doc = "政务新媒体工作情况汇报\n\n仅供学习 禁止外传\n\n政务新媒体 工作情况汇报\n\n" + BODY
    res = cleantext.clean(doc)
    assert res.text == "政务新媒体 工作情况汇报\n\n" + BODY
    assert res.report.removals[0].action == "title-copy"


def test_title_without_a_copy_below_the_block_stays() -> None:
    doc = "政务新媒体工作情况汇报\n仅供学习 禁止外传\n\n" + BODY
    assert cleantext.clean(doc).text == "政务新媒体工作情况汇报\n\n" + BODY


def test_absorption_needs_anchor_lines_on_both_sides() -> None:
    doc = "仅供学习 禁止外传\n酷乐文行\n会员群：\n" + BODY + "酷乐文行\n"
    res = cleantext.clean(doc)
    assert res.text == BODY + "酷乐文行\n"
    # the head copy goes as the page's copy of the line repeated below the block, not by absorption
    # (会员群： is a contact line, which anchors nothing): the report says which (version 2 said "block")
    assert [r.action for r in res.report.removals] == ["line", "title-copy", "line"]
    sentence = "仅供学习 禁止外传\n本文共分三个部分。\n会员群：\n" + BODY
    assert "本文共分三个部分。\n" in cleantext.clean(sentence).text


P1 = "同志们：这次动员大会，是市委、市政府在充分酝酿的基础上召开的一次十分重要的会议。"
P2 = "会议的主要任务是，动员全市上下进一步统一思想，明确任务，落实责任。"
P3 = "下面，我讲三点意见。"


def test_trailing_copy_of_opening_paragraphs_is_an_excerpt() -> None:
    doc = f"讲话标题\n{P1}\n{P2}\n{P3}\n讲话标题\n{P1}\n{P2}\n{P3}\n"
    res = cleantext.clean(doc)
    assert res.text == f"讲话标题\n{P1}\n{P2}\n{P3}\n讲话标题\n"
    assert {r.rule for r in res.report.removals} == {"page_furniture.repeated-excerpt"}
    assert {r.action for r in res.report.removals} == {"excerpt"}


def test_one_repeated_paragraph_or_a_repeat_in_the_middle_stays() -> None:
    once = f"标题\n{P1}\n{P2}\n{P1}\n"
    assert cleantext.clean(once).text == once
    middle = f"标题\n{P1}\n{P2}\n{P1}\n{P2}\n第三段是新的内容，和前面的段落都不一样，必须保留下来。\n"
    assert cleantext.clean(middle).text == middle


def test_a_title_set_apart_by_blank_lines_is_not_absorbed() -> None:
    doc = "仅供学习 禁止外传\n\n2026年某省政府工作报告\n\n免费分享，倒卖必究\n\n" + BODY
    assert "2026年某省政府工作报告\n" in cleantext.clean(doc).text
    block = "仅供学习 禁止外传\n酷乐文行\n\n免费分享，倒卖必究\n\n" + BODY
    assert "酷乐文行" not in cleantext.clean(block).text


def test_blank_lines_left_by_removed_lines_go_with_them() -> None:
    doc = "仅供学习 禁止外传\n\n\n标题\n" + BODY + "\n第2页 共21页\n\n" + BODY + "\n会员群：\n\n"
    res = cleantext.clean(doc)
    assert res.text == "标题\n" + BODY + "\n" + BODY
    assert cleantext.restore(res.text, res.report) == doc
    assert {r.action for r in res.report.removals if not r.text.strip()} == {"blank"}


def test_reseller_block_between_pages_is_absorbed_whole() -> None:
    block = "本资料仅供内部学习 严禁外传\n学霸资料库\n考研人的资料宝库\n\n【反盗卖专项行动】\n发现倒卖本站资料者，举报核实后奖励一年会员\n"
    doc = P1 + "\n\n" + block + "\n" + P2 + "\n" + P1 + "\n"
    res = cleantext.clean(doc)
    assert res.text == P1 + "\n\n" + P2 + "\n" + P1 + "\n"
