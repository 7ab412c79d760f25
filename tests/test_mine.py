"""Mining draft rules from a corpus (issue 12): ``cleantext.mine`` and ``cleantext mine``.

The contract: from documents that share a planted site banner at the head and a counter line with
varying numbers at the tail, plus body lines that repeat too (同志们：, 谢谢大家！, 一、总体要求),
``cleantext mine`` drafts a pack that ``check-pack`` accepts and that ``clean --pack`` turns into
exactly the bodies again; the body lines are reported as considered and left out.
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path

import pytest

import cleantext
from cleantext import cli
from cleantext.mine import Mined, render_template, template_parts
from cleantext.rules.shadow import shadow

DEV2_CASES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev2" / "cases"

BANNER = "本文由 晨曦书斋 www.chenxi.net 收录"
"""A banner the built-in rules and signals leave alone: new to the packs, as a new site is."""
TOPICS = ["基层党建", "乡村振兴", "安全生产", "营商环境", "生态保护", "教育改革", "医疗保障", "城市更新", "科技创新",
          "文化建设"]
PLACES = ["东城", "西城", "南山", "北湖", "江北", "河西", "青山", "白云"]


def _body(n: int, rnd: random.Random) -> str:
    """A speech whose content differs from document to document, with the body lines every
    speech shares: a salutation, a heading, a closing."""
    topic, place = TOPICS[n % len(TOPICS)], PLACES[n % len(PLACES)]
    return (
        f"在{place}区{topic}推进会上的讲话（{2000 + n}年）\n"
        "同志们：\n"
        f"今天我们在{place}召开{topic}推进会，总结第{n + 1}季度工作，部署下一阶段的{rnd.randint(3, 9)}项重点任务。\n"
        "一、总体要求\n"
        f"一年来，{place}区上下围绕{topic}目标，完成投资{rnd.randint(10, 900)}亿元，群众满意度达到{rnd.randint(80, 99)}%。\n"
        f"要把{topic}摆在更加突出的位置，第{n % 7 + 1}批试点单位要在{rnd.randint(1, 12)}月底前拿出实施方案。\n"
        "谢谢大家！\n"
    )


def planted_corpus(src: Path, n: int = 40) -> dict[str, bytes]:
    """``n`` documents in the new folder ``src`` (every fourth one GBK with CRLF), and the UTF-8
    body each must come back to. Also the ``planted/`` folder of the README's mining commands."""
    rnd = random.Random(12)
    src.mkdir(parents=True)
    bodies: dict[str, bytes] = {}
    for k in range(n):
        body = _body(k, rnd)
        counter = f"晨曦书斋 藏本 {rnd.randint(1, 99999)} 卷 {rnd.randint(1, 999)}"
        doc = f"{BANNER}\n\n{body}\n{counter}\n"
        name = f"doc{k:02d}.txt"
        if k % 4 == 3:
            doc, body = doc.replace("\n", "\r\n"), body.replace("\n", "\r\n")
            (src / name).write_bytes(doc.encode("gbk"))
        else:
            (src / name).write_bytes(doc.encode("utf-8"))
        bodies[name] = body.encode("utf-8")
    return bodies


def _corpus(root: Path, n: int = 40) -> tuple[Path, dict[str, bytes]]:
    src = root / "in"
    return src, planted_corpus(src, n)


def test_draft_pack_brings_every_document_back_to_its_body(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, bodies = _corpus(tmp_path)
    draft, report, out = tmp_path / "draft.toml", tmp_path / "mine.jsonl", tmp_path / "out"

    assert cli.main(["mine", str(src), "-o", str(draft), "--report", str(report)]) == 0
    assert "2 rules proposed" in capsys.readouterr().err

    assert cli.main(["check-pack", str(draft)]) == 0
    assert f"{draft}: ok (2 rules" in capsys.readouterr().out

    assert cli.main(["clean", str(src), "--pack", str(draft), "-o", str(out)]) == 0
    for name, body in bodies.items():
        assert (out / name).read_bytes() == body, name

    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    proposed = [r for r in records if r["proposed"]]
    assert {r["template"] for r in proposed} == {"本文由 晨曦书斋 <URL> 收录", "晨曦书斋 藏本 <NUM> 卷 <NUM>"}
    assert all(r["docs"] == 40 for r in proposed)
    assert {tuple(r["zones"]) for r in proposed} == {("head",), ("tail",)}
    left = {r["template"]: r["reason"] for r in records if not r["proposed"]}
    assert left["同志们:"].startswith("body text: a salutation")
    assert left["谢谢大家!"].startswith("body text: a closing")
    assert left["一、总体要求"].startswith("body text: a heading")


@pytest.mark.parametrize(("line", "shape"), [
    ("同志们：", "a salutation"), ("各位代表：", "a salutation"), ("谢谢大家！", "a closing"),
    ("一、总体要求", "a heading"), ("第三章 法律责任", "a heading"), ("第十二条", "an article number"),
    ("本办法自2024年1月1日起施行。", "a legal or official formula"), ("国务院令第588号", "a legal or official formula"),
    ("法释〔2020〕17号", "a legal or official formula"), ("关于加强安全生产的通知", "a title"),
    ("时间：2026-02-02", "a dateline"),
])
def test_body_shapes_are_never_proposed(line: str, shape: str) -> None:
    """Body lines that repeat across documents at the head or tail, where furniture sits."""
    rnd = random.Random(8)
    found = cleantext.mine([f"{line}\n{_body(k, rnd)}\n{line}\n" for k in range(8)])
    assert all(f.template != _template(line) for f in found)
    (left,) = (f for f in found.left_out if f.template == _template(line))
    assert left.reason.startswith(f"body text: {shape}")


def test_lines_without_words_are_left_out() -> None:
    """``^\\d+$`` would take every number on a line of its own: table cells, page numbers."""
    rnd = random.Random(2)
    found = cleantext.mine([f"{_body(k, rnd)}\n{rnd.randint(1, 99)}%\n" for k in range(8)])
    assert len(found) == 0
    (left,) = (f for f in found.left_out if f.template == "<NUM>%")
    assert left.reason.startswith("no words of its own")


def _template(line: str) -> str:
    return render_template(template_parts(shadow(line))[0])


def test_explain_shows_what_the_draft_removes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, _ = _corpus(tmp_path, 12)
    draft = tmp_path / "draft.toml"
    assert cli.main(["mine", str(src), "-o", str(draft), "-q"]) == 0
    assert cli.main(["explain", str(src / "doc00.txt"), "--pack", str(draft), "--color", "never"]) == 0
    shown = capsys.readouterr().out
    assert f"[-{BANNER}-]{{mined.head-001 mined head}}" in shown
    assert "{mined.tail-002 mined tail}" in shown


def test_draft_rules_carry_corpus_examples_and_descriptions(tmp_path: Path) -> None:
    src, _ = _corpus(tmp_path)
    found = cleantext.mine([src])
    assert isinstance(found, Mined)
    assert len(found) == 2
    banner, counter = sorted(found, key=lambda f: f.rule_id)
    assert banner.examples == (BANNER,)
    assert banner.pattern == r"^[^\S\n]*本文由[^\S\n]+晨曦书斋[^\S\n]+www\.chenxi\.net[^\S\n]+收录[^\S\n]*$"
    assert banner.description.startswith("in 40 of 40 documents (100 %), at the head")
    assert len(counter.examples) == 3
    assert len(set(counter.examples)) == 3
    assert r"\d+" in counter.pattern
    # no_match examples are the corpus's own body lines
    corpus_lines = {ln.strip() for p in src.iterdir() for ln in cleantext.clean_file(p, mode="annotate").text.splitlines()}
    for f in found:
        assert f.no_match
        assert set(f.no_match) <= corpus_lines
    with pytest.raises(dataclasses.FrozenInstanceError):
        banner.docs = 1  # type: ignore[misc]
    toml = found.draft_pack()
    assert toml.count("[[rules]]") == 2
    assert 'category = "mined"' in toml


def test_lines_the_packs_already_remove_are_left_out(tmp_path: Path) -> None:
    rnd = random.Random(3)
    docs = [f"仅供学习 禁止外传\n{_body(k, rnd)}" for k in range(10)]
    found = cleantext.mine(docs)
    assert len(found) == 0
    reasons = {f.template: f.reason for f in found.left_out}
    assert reasons["仅供学习 禁止外传"].startswith("already removed by the packs: reseller_header.")


def test_copies_of_one_document_count_once(tmp_path: Path) -> None:
    """A line repeated only because the corpus holds one document five times is not furniture."""
    rnd = random.Random(5)
    doc = "某某市人民政府办公室\n" + _body(1, rnd)
    found = cleantext.mine([doc] * 5, min_docs=3)
    assert len(found) == 0
    assert all(f.template != "某某市人民政府办公室" for f in found.left_out)


def test_lines_that_cannot_be_written_are_left_out() -> None:
    """A ``str`` document can hold a lone surrogate; no UTF-8 pack can carry it as an example."""
    rnd = random.Random(4)
    found = cleantext.mine([f"本站\ud800资料 www.x.com\n{_body(k, rnd)}" for k in range(6)])
    assert len(found) == 0
    assert any(f.reason.startswith("no line of it can be written") for f in found.left_out)
    found.draft_pack().encode("utf-8")


def test_templates_abstract_numbers_dates_domains_and_ids() -> None:
    assert template_parts("更新于2024-05-06 12:30")[0] == ("更新于", "\x00DATE")
    assert template_parts("2019年1月31日通过")[0] == ("\x00DATE", "通过")
    assert template_parts("访问 https://www.abc.com/x?id=3")[1] == ("https://www.abc.com/x?id=3",)
    assert template_parts("订单号AB12345CD")[0] == ("订单号", "\x00ID")
    assert template_parts("第12页 共30页")[0] == ("第", "\x00NUM", "页", " ", "共", "\x00NUM", "页")
    assert template_parts("QQ登录")[0] == ("QQ", "登录")  # a word, not an ID


def test_one_valued_slots_stay_literal_and_varying_ones_generalise(tmp_path: Path) -> None:
    rnd = random.Random(9)
    docs = [f"{_body(k, rnd)}\n第{k + 1}期 来源：www.example.com\n" for k in range(12)]
    (finding,) = cleantext.mine(docs)
    assert finding.template == "第<NUM>期 来源:<URL>"
    assert r"www\.example\.com" in finding.pattern
    assert r"第\d+期" in finding.pattern


def test_bounded_table_still_finds_the_furniture(tmp_path: Path) -> None:
    src, _ = _corpus(tmp_path)
    found = cleantext.mine([src], max_templates=16)
    assert found.templates <= 16
    assert found.pruned > 0
    assert {f.template for f in found} == {"本文由 晨曦书斋 <URL> 收录", "晨曦书斋 藏本 <NUM> 卷 <NUM>"}


def test_jsonl_and_process_pool_give_the_same_draft(tmp_path: Path) -> None:
    src, _ = _corpus(tmp_path)
    serial = cleantext.mine([src])
    shards = tmp_path / "shards"
    shards.mkdir()
    _jsonl(src, shards / "a.jsonl")
    pooled = cleantext.mine([shards], jsonl_field="content", jobs=2)
    assert pooled.documents == serial.documents == 40
    assert pooled.findings == serial.findings
    assert pooled.draft_pack() == serial.draft_pack()


def _jsonl(src: Path, out: Path) -> None:
    """The documents under ``src``, decoded, as JSONL records with the text under ``content``."""
    with out.open("w", encoding="utf-8") as f:
        for p in sorted(src.iterdir()):
            text = cleantext.clean_file(p, mode="annotate").text
            f.write(json.dumps({"id": p.name, "content": text}, ensure_ascii=False) + "\n")


def test_cli_reads_one_field_of_jsonl_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, _ = _corpus(tmp_path, 12)
    _jsonl(src, tmp_path / "corpus.jsonl")
    draft = tmp_path / "draft.toml"
    argv = ["mine", str(tmp_path / "corpus.jsonl"), "--jsonl", "--field", "content", "-o", str(draft)]
    assert cli.main(argv) == 0
    assert "mined 12 documents (0 failed), 2 rules proposed" in capsys.readouterr().err
    assert cli.main([*argv[:3], "-o", str(draft)]) == 1  # the default field "text" is missing: every record fails
    assert "field 'text' is missing or not a string" in capsys.readouterr().err


def test_module_and_function_are_both_callable(tmp_path: Path) -> None:
    """``import cleantext.mine`` rebinds the package attribute to the module; calls still work."""
    import cleantext.mine as module  # noqa: PLC0415

    rnd = random.Random(1)
    docs = [f"{BANNER}\n{_body(k, rnd)}" for k in range(6)]
    assert [f.template for f in module(docs)] == [f.template for f in cleantext.mine(docs)]


def test_failed_inputs_are_named_and_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, _ = _corpus(tmp_path, 8)
    (src / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    assert cli.main(["mine", str(src), "-o", str(tmp_path / "d.toml")]) == 1
    err = capsys.readouterr().err
    assert "cover.png: BinaryInputError" in err
    assert "8 documents (1 failed)" in err


def test_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["mine", str(tmp_path), "-o", str(tmp_path / "d.toml"), "--field", "x"]) == 2
    assert "--field needs --jsonl" in capsys.readouterr().err
    assert cli.main(["mine", str(tmp_path)]) == 2  # -o is required


@pytest.mark.skipif(not DEV2_CASES.is_dir(), reason="the shared dev2 corpus is not beside this checkout")
def test_dev_corpus_draft_is_accepted_as_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    draft = tmp_path / "dev2.toml"
    assert cli.main(["mine", str(DEV2_CASES), "--glob", "*.in", "-o", str(draft)]) == 0
    capsys.readouterr()
    assert cli.main(["check-pack", str(draft)]) == 0
    assert ": ok (" in capsys.readouterr().out
    # a real draft, not an empty one: the fewer of dev2's lines the packs leave, the fewer to mine
    assert draft.read_text(encoding="utf-8").count("[[rules]]") >= 5
