"""``cleantext.arrow.clean_table``: the row-wise step every pipeline engine reuses.

Each cleaned row must equal ``cleantext.clean`` / ``clean_bytes`` on that value alone, failed rows
must carry their error without disturbing the others, and the report column (struct or JSON) must
read back into a ``Report`` that restores the original exactly.
"""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="needs pyarrow: pip install 'cleantext-ads[arrow]'")

import pyarrow as pa

import cleantext
from cleantext import BytePatch, Report
from cleantext.arrow import OUTPUT_COLUMNS, ReportFormat, clean_table, report_type, reports

from .conftest import DEV, needs_shared

SEED_TEXT = (
    "仅供学习 禁止外传\n酷乐文行\n【打击倒卖活动】\n举报倒卖会员资料的人，举报成功免费赠送一年会员材料！\n"
    "会员群：                      免费QQ群：\n"
    "第一条 为了规范管理工作，根据有关法律、法规，制定本办法。\n第二条 本办法适用于本市行政区域内的建筑节能活动。\n"
)
TEXTS = [
    SEED_TEXT,
    "会员群：   免费QQ群：\r\n正文第一段，内容完整保留。\r\n",
    "第一条 为了规范管理，制定本办法。\n",
    "",
]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def dev_inputs(n: int = 24) -> list[bytes]:
    """Raw dev-corpus inputs in their native encodings (GBK, GB18030, Big5, UTF-16, BOMs...)."""
    needs_shared()
    return [p.read_bytes() for p in sorted((DEV / "cases").glob("*.in"))[:n]]


def expected(value: str | bytes | None) -> cleantext.Cleaned | str:
    """What clean_table must give for one value: the library's result, or its error text."""
    if value is None:
        return "InputError: value is null: nothing to clean"
    try:
        return cleantext.clean_bytes(value) if isinstance(value, bytes) else cleantext.clean(value)
    except cleantext.CleantextError as e:
        return f"{type(e).__name__}: {e}"


def assert_rows_match(out: pa.Table, values: list[str | bytes | None]) -> None:
    """Every row equals the library on that value alone; failed rows have null text and report."""
    assert out.num_rows == len(values)
    texts = out["clean_text"].to_pylist()
    errors = out["error"].to_pylist()
    reps = reports(out)
    for i, v in enumerate(values):
        want = expected(v)
        if isinstance(want, str):
            assert (texts[i], reps[i], errors[i]) == (None, None, want), i
            continue
        assert errors[i] is None, (i, errors[i])
        assert texts[i] == want.text, i
        assert reps[i] == want.report, i
        rep = reps[i]
        assert rep is not None
        if isinstance(v, bytes):
            # as reversible as the library itself (exact always, once the decoder keeps patches)
            restored = cleantext.restore_bytes(texts[i], rep)
            assert restored == cleantext.restore_bytes(want.text, want.report), i
            if rep.encoding.lossless:
                assert restored == v, i
        else:
            assert cleantext.restore(texts[i], rep) == v, i


# ---------------------------------------------------------------- string and binary input


@pytest.mark.parametrize("form", ["struct", "json"])
@pytest.mark.parametrize("typ", [pa.string(), pa.large_string()])
def test_string_column_matches_clean(form: ReportFormat, typ: pa.DataType) -> None:
    values: list[str | bytes | None] = [*TEXTS, None]
    table = pa.table({"id": range(len(values)), "text": pa.array(values, typ)})
    out = clean_table(table, report=form)
    assert out.column_names == ["id", "text", "clean_text", "report", "error"]
    assert out["id"].to_pylist() == list(range(len(values)))
    assert out["text"].equals(table["text"])
    assert out.schema.field("report").type == (report_type() if form == "struct" else pa.string())
    assert_rows_match(out, values)
    assert out["clean_text"][0].as_py().startswith("第一条")


@pytest.mark.parametrize("typ", [pa.binary(), pa.large_binary()])
def test_binary_column_detects_encoding_and_keeps_bad_rows(typ: pa.DataType) -> None:
    gbk = SEED_TEXT.encode("gbk")
    values: list[str | bytes | None] = [
        gbk,
        PNG,
        None,
        b"\xef\xbb\xbf" + TEXTS[1].encode("utf-8"),
        TEXTS[2].encode("utf-8"),
        b"",
    ]
    out = clean_table(pa.table({"raw": pa.array(values, typ)}), column="raw")
    assert_rows_match(out, values)
    errors = out["error"].to_pylist()
    assert errors[1] is not None
    assert errors[1].startswith("BinaryInputError: ")
    assert errors[2] == "InputError: value is null: nothing to clean"
    reps = reports(out)
    assert reps[0] is not None
    assert reps[0].encoding.name in ("gb18030", "gbk")
    assert out["clean_text"][0].as_py().startswith("第一条")
    assert reps[3] is not None
    assert reps[3].encoding.bom


def test_dev_corpus_inputs_match_clean_bytes() -> None:
    """Real inputs in every encoding of the corpus, as one multi-chunk binary column."""
    values: list[str | bytes | None] = list(dev_inputs())
    half = len(values) // 2
    column = pa.chunked_array([pa.array(values[:half], pa.binary()), pa.array(values[half:], pa.binary())])
    out = clean_table(pa.table({"text": column}), report="json")
    assert_rows_match(out, values)


def test_other_column_types() -> None:
    dict_col = pa.array(TEXTS).dictionary_encode()
    assert_rows_match(clean_table(pa.table({"text": dict_col})), list(TEXTS))
    nulls = pa.table({"text": pa.nulls(2)})
    out = clean_table(nulls)
    assert out["error"].to_pylist() == ["InputError: value is null: nothing to clean"] * 2
    with pytest.raises(TypeError, match="neither string nor binary"):
        clean_table(pa.table({"text": [1, 2]}))


# ---------------------------------------------------------------- the report column


def test_struct_report_is_report_to_dict() -> None:
    out = clean_table(pa.table({"text": [SEED_TEXT]}))
    row = out["report"][0].as_py()
    res = cleantext.clean(SEED_TEXT)
    assert row == res.report.to_dict()
    assert Report.from_dict(row) == res.report
    removals = out["report"].combine_chunks().field("removals")
    assert removals.type == report_type().field("removals").type
    assert len(removals[0]) == len(res.report.removals) > 0


def test_json_report_is_report_to_json() -> None:
    out = clean_table(pa.table({"text": [SEED_TEXT]}), report="json")
    s = out["report"][0].as_py()
    assert s == cleantext.clean(SEED_TEXT).report.to_json()
    rep = Report.from_json(s)
    assert cleantext.restore(out["clean_text"][0].as_py(), rep) == SEED_TEXT
    assert "仅供学习" in s  # Chinese written as UTF-8, never \\uXXXX


def test_byte_patches_survive_the_struct_form() -> None:
    """Original bytes of undecodable spans (base64 ``raw``) round-trip through the struct type."""
    res = cleantext.clean(SEED_TEXT)
    rep = Report(
        res.report.encoding,
        res.report.pack,
        res.report.removals,
        ("replaced-bytes: 1",),
        "lf",
        (BytePatch(200, 201, b"\xff"), BytePatch(210, 212, b"\x81\x30")),
    )
    arr = pa.array([rep.to_dict()], type=report_type())
    assert Report.from_dict(arr[0].as_py()) == rep
    # and through a real lossy document, whatever the decoder makes of it: same as the library
    data = SEED_TEXT.encode("gbk") + b"\xff" + "第三条 其他事项另行规定。\n".encode("gbk")
    assert_rows_match(clean_table(pa.table({"text": [data]})), [data])


def test_annotate_mode_keeps_text_and_reports() -> None:
    out = clean_table(pa.table({"text": [SEED_TEXT]}), mode="annotate")
    assert out["clean_text"][0].as_py() == SEED_TEXT
    (rep,) = reports(out)
    assert rep is not None
    assert rep.mode == "annotate"
    assert rep.removals == cleantext.clean(SEED_TEXT).report.removals


# ---------------------------------------------------------------- schema, options, errors


def test_schema_does_not_depend_on_data() -> None:
    """Empty and all-failed blocks have the same schema as good ones, so blocks concatenate."""
    for form in ("struct", "json"):
        good = clean_table(pa.table({"text": TEXTS}), report=form)
        empty = clean_table(pa.table({"text": pa.array([], pa.string())}), report=form)
        failed = clean_table(pa.table({"text": pa.array([None], pa.string())}), report=form)
        assert good.schema == empty.schema == failed.schema
        assert pa.concat_tables([good, empty, failed]).num_rows == len(TEXTS) + 1


def test_keep_input_false_drops_only_the_text_column() -> None:
    table = pa.table({"id": [7], "text": [SEED_TEXT], "source": ["a.txt"]})
    out = clean_table(table, keep_input=False)
    assert out.column_names == ["id", "source", *OUTPUT_COLUMNS]
    (rep,) = reports(out)
    assert rep is not None
    assert cleantext.restore(out["clean_text"][0].as_py(), rep) == SEED_TEXT


def test_argument_mistakes_raise_at_once() -> None:
    table = pa.table({"text": TEXTS})
    with pytest.raises(KeyError, match="body"):
        clean_table(table, column="body")
    with pytest.raises(ValueError, match="mode"):
        clean_table(table, mode="delete")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="report"):
        clean_table(table, report="xml")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="error"):
        clean_table(table.append_column("error", pa.array([None] * len(TEXTS), pa.string())))
    # cleaning a previous output again is fine once the old outputs are out of the way
    once = clean_table(table, keep_input=False)
    again = clean_table(once.select(["clean_text"]), column="clean_text", keep_input=False)
    assert again["clean_text"].to_pylist() == once["clean_text"].to_pylist()


def test_unexpected_exceptions_fail_only_their_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library bug on one document must not take the block (hours of a job) down with it."""
    real = cleantext.Cleaner.clean_text

    def flaky(self: cleantext.Cleaner, text: str, *args: object, **kwargs: object) -> cleantext.Cleaned:
        if "boom" in text:
            raise RuntimeError("boom")
        return real(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cleantext.Cleaner, "clean_text", flaky)
    out = clean_table(pa.table({"text": ["boom\n", TEXTS[2]]}))
    assert out["error"].to_pylist() == ["RuntimeError: boom", None]
    assert out["clean_text"].to_pylist() == [None, TEXTS[2]]


PACK = """
[pack]
name = "test-extra"
version = "1"

[[rules]]
id = "promo.test-banner"
version = 1
category = "promo"
description = "a banner only this test knows"
keywords = ["测试横幅"]
pattern = '''^测试横幅[^\\n]*$'''
scope = "line"
zone = ["any"]
priority = 50
[rules.examples]
match = ["测试横幅 欢迎光临"]
no_match = ["这不是测试"]
"""


def test_pack_passes_by_value(tmp_path: Path) -> None:
    """A pickled RulePack (what Ray/Spark ship to workers) cleans exactly like the original."""
    pack = cleantext.pack_from_text(PACK, name="test-extra.toml", builtins=True)
    shipped = pickle.loads(pickle.dumps(pack))
    # it travels as its TOML text, not as compiled patterns or parsed rules
    source_bytes = sum(len(text.encode("utf-8")) for _, text in pack.sources)
    assert len(pickle.dumps(pack)) < source_bytes + 4096
    doc = "测试横幅 欢迎光临\n" + SEED_TEXT
    table = pa.table({"text": [doc]})
    a, b = clean_table(table, pack=pack), clean_table(table, pack=shipped)
    assert a.equals(b)
    (rep,) = reports(a)
    assert rep is not None
    assert rep.pack == pack.ref
    assert "promo.test-banner" in {r.rule for r in rep.removals}
    path = tmp_path / "extra.toml"
    path.write_text(PACK, encoding="utf-8")
    assert clean_table(table, pack=path).equals(a)


def test_missing_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(ImportError, match=r"cleantext-ads\[arrow\]"):
        cleantext.arrow._pyarrow()
