"""Never lose body text, never hang (issue 11): structure lines, big and odd inputs, memory.

No timed asserts here (speed is in benchmarks/): a test of a quadratic stage is a test that
finishes in seconds instead of minutes.
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pytest

import cleantext
from cleantext import Limits, cli, match
from cleantext.match import prefilter
from cleantext.segment import split_lines

from .test_rules import HOSTILE

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "seed_utf8.txt"

SHARED = [
    "第二十八条 违反本条例规定，构成犯罪的，依法追究刑事责任；尚不构成犯罪的，依法给予处分。",
    "第二十九条 本条例具体应用中的问题，由省人民政府有关主管部门负责解释。",
    "第三十条 本条例自公布之日起施行，此前发布的有关规定与本条例不一致的，以本条例为准。",
]


def regulation(name: str, topic: str) -> str:
    return (
        f"{name}\n\n"
        f"第一条 为了加强{topic}管理，保障公民、法人和其他组织的合法权益，根据有关法律，制定本条例。\n"
        f"第二条 本省行政区域内的{topic}及其监督管理活动，适用本条例。\n"
        + "\n".join(SHARED)
        + "\n"
    )


def test_a_compilation_of_regulations_keeps_the_shared_final_articles() -> None:
    doc = regulation("某省道路运输条例", "道路运输") + "\n" + regulation("某省水路运输条例", "水路运输")
    res = cleantext.clean(doc)
    assert res.text == doc
    assert res.report.removals == ()


def test_shared_closing_paragraphs_that_do_not_copy_the_opening_stay() -> None:
    """Unnumbered paragraphs too: a repeat of a document's middle or end is not a 文库 excerpt."""
    closing = [
        "请各单位结合实际，认真贯彻执行，执行中遇到的问题请及时向市政府办公室反映。",
        "本通知自印发之日起施行，有效期五年，此前印发的有关文件同时废止，不再执行。",
    ]
    one = "关于加强安全生产工作的通知\n各区人民政府：\n为进一步加强安全生产工作，现将有关事项通知如下。\n"
    two = "关于做好防汛工作的通知\n各区人民政府：\n为切实做好今年的防汛工作，现将有关事项通知如下。\n"
    doc = one + "\n".join(closing) + "\n\n" + two + "\n".join(closing) + "\n"
    assert cleantext.clean(doc).text == doc


def test_a_trailing_copy_of_the_opening_with_an_article_is_kept() -> None:
    """Structure lines are never taken by a resolve policy, even inside a copy of the opening."""
    body = "第一条 为了规范网络信息服务，促进互联网健康有序发展，制定本办法。\n本办法所称网络信息服务，是指通过互联网向用户提供信息的服务活动。\n"
    doc = "某某办法\n" + body + "某某办法\n" + body
    assert cleantext.clean(doc).text == doc


def test_one_paragraph_repeated_over_and_over_is_not_an_excerpt() -> None:
    line = "这是一段在文档中反复出现的正文内容，用来检验重复段落不会被当作摘录删除。\n"
    doc = line * 200
    assert cleantext.clean(doc).text == doc


def test_megabytes_of_one_repeated_line_are_cleaned_in_linear_time() -> None:
    """Was quadratic in resolve (the trailing-excerpt search): 200 KB took 16-29 s, 1.3 MB 248 s."""
    for line in ("这是一段重复的正文内容，用来测试性能。\n", "重复的短行\n", "\n"):
        doc = line * (1_000_000 // len(line))
        assert cleantext.clean(doc).text == doc


def test_blank_lines_around_one_removed_line_are_linear() -> None:
    """Orphaned blank lines found their removed neighbour by scanning: quadratic in blank lines."""
    doc = "\n" * 50_000 + "仅供学习 禁止外传\n" + "\n" * 50_000
    res = cleantext.clean(doc)
    assert res.text == ""
    assert cleantext.restore(res.text, res.report) == doc


def test_a_heading_above_an_advert_block_is_never_taken_as_a_title_copy() -> None:
    body = "第一章 总则\n第一条 为了规范网络信息服务，促进互联网健康有序发展，制定本办法。\n"
    res = cleantext.clean("第一章 总则\n仅供学习 禁止外传\n" + body)
    assert res.text == "第一章 总则\n" + body
    assert [r.rule for r in res.report.removals] == ["reseller_header.internal-only"]


def zero_width_lines(n: int) -> str:
    return "".join(f"这是正文\u200b的第{i}行内容，包含零宽字符。\n" for i in range(n))


def test_an_honest_rule_never_runs_out_of_time_on_a_big_document() -> None:
    """The budget was fixed per document: a zero-width mark on every line of a 3.9 MB file ran the
    rule out of time, and under load it removed fewer marks on each run. Here a 1 ms base budget
    stands in for a big file: it grows with every line the rule runs on."""
    cleaner = cleantext.Cleaner(limits=Limits(regex_timeout=0.001))
    doc = zero_width_lines(20_000)
    first = cleaner.clean_text(doc)
    assert "\u200b" not in first.text
    assert not [n for n in first.report.notices if n.startswith("rule-timeout")]
    assert cleaner.clean_text(doc) == first



def test_the_cli_says_a_rule_timeout_without_v_and_counts_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "hostile.toml"
    pack.write_text(HOSTILE, encoding="utf-8")
    src = tmp_path / "in"
    src.mkdir()
    (src / "slow.txt").write_text("a" * 40 + "!\n正文第一段。\n", encoding="utf-8")
    (src / "fine.txt").write_text("正文第一段。\n", encoding="utf-8")
    rc = cli.main(["clean", str(src), "-o", str(tmp_path / "out"), "--pack", str(pack)])
    err = capsys.readouterr().err
    assert rc == 0
    assert f"{src / 'slow.txt'}: warning: rule-timeout: promo.hostile line 1" in err
    assert "fine.txt: warning" not in err
    assert "1 with a rule timeout" in err.splitlines()[-1]


@pytest.mark.parametrize("newline", ["\r", "\r\n", "mixed"])
def test_cr_line_endings_remove_what_lf_removes(newline: str) -> None:
    """Old Mac exports end lines with CR only: most line rules did not fire (removed 0 where LF
    removes 8). Mixed files (CR, LF and CRLF lines pasted together) too; restore stays exact."""
    lf = SEED.read_text(encoding="utf-8")
    lines = lf.split("\n")
    if newline == "mixed":
        # a CR before an empty LF line would read as one CRLF: such lines end in LF
        ends = [("\r", "\n", "\r\n")[i % 3] if lines[i + 1] else "\n" for i in range(len(lines) - 1)]
        doc = "".join(line + end for line, end in zip(lines, ends, strict=False)) + lines[-1]
    else:
        doc = lf.replace("\n", newline)
    want = cleantext.clean(lf)
    got = cleantext.clean(doc)
    assert [(r.rule, r.line) for r in got.report.removals] == [(r.rule, r.line) for r in want.report.removals]
    assert got.text.replace("\r\n", "\n").replace("\r", "\n") == want.text
    assert cleantext.restore(got.text, got.report) == doc
    assert cleantext.clean(got.text).report.removals == ()


def test_keywords_are_found_across_chunk_borders(monkeypatch: pytest.MonkeyPatch) -> None:
    """The prefilter lowers and searches the shadow in chunks (memory): a keyword cut by a chunk
    border, or inside the overlap, is found exactly once, as on the whole text."""
    cleaner = cleantext.Cleaner()
    text = SEED.read_text(encoding="utf-8") * 3
    starts = split_lines(text)[0]
    whole = prefilter(cleaner.matcher, text, starts)
    for size in (7, 64, 1000):
        monkeypatch.setattr(match, "KEY_CHUNK", size)
        assert sorted(match._keyword_hits(cleaner.matcher, whole.shadow)) == sorted(
            (k, s) for k, s, _ in cleaner.matcher.automaton.find_matches_as_indexes(
                whole.shadow.lower(), overlapping=True)
        )
        chunked = prefilter(cleaner.matcher, text, starts)
        assert (chunked.hits, chunked.flagged) == (whole.hits, whole.flagged)


def test_the_prefilter_holds_no_big_copy_besides_the_shadow() -> None:
    """``str.lower`` of a whole Chinese text briefly takes 6x its size (a 50 MB file peaked at 21.7x
    in all): the keyword search lowers and reads the shadow in chunks. Whole-pipeline figures are
    in benchmarks/bench_memory.py."""
    matcher = cleantext.Cleaner().matcher  # compiled before tracing
    text = SEED.read_text(encoding="utf-8") * 300  # ~2 M characters, 2 bytes each
    starts = split_lines(text)[0]
    tracemalloc.start()
    try:
        prefilter(matcher, text, starts)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * sys.getsizeof(text)  # the shadow, and chunks
