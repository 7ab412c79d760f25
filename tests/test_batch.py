"""``cleantext.batch``: the CLI-independent pieces library users call directly."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

import cleantext
from cleantext import batch
from cleantext.batch import CleanOptions, FileResult, InputFile

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "inputs"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
SEED = FIXTURES / "seed_utf8.txt"


def make_tree(root: Path) -> Path:
    (root / "a" / "deep").mkdir(parents=True)
    (root / ".git").mkdir()
    for rel in ("z.txt", "a/b.txt", "a/deep/c.md", ".hidden.txt", ".git/config", "a/deep/d.txt"):
        (root / rel).write_text("正文。\n", encoding="utf-8")
    return root


# --------------------------------------------------------------------------------------------
# inputs


def test_iter_inputs_walks_sorted_and_skips_hidden(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "in")
    got = [i.rel for i in batch.iter_inputs([root])]
    assert got == ["a/b.txt", "a/deep/c.md", "a/deep/d.txt", "z.txt"]
    assert all(i.path == root / i.rel for i in batch.iter_inputs([root]))


def test_iter_inputs_globs_and_exclude(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "in")
    assert [i.rel for i in batch.iter_inputs([root], globs=["*.md"])] == ["a/deep/c.md"]
    assert [i.rel for i in batch.iter_inputs([root], globs=["a/deep/*"])] == ["a/deep/c.md", "a/deep/d.txt"]
    assert [i.rel for i in batch.iter_inputs([root], globs=["**/b.txt"])] == ["a/b.txt"]
    assert [i.rel for i in batch.iter_inputs([root], exclude=[root / "a"])] == ["z.txt"]


def test_iter_inputs_explicit_files_always_taken(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "in")
    got = list(batch.iter_inputs([root / ".hidden.txt", tmp_path / "missing.txt"], globs=["*.md"]))
    assert got == [InputFile(root / ".hidden.txt", ".hidden.txt"), InputFile(tmp_path / "missing.txt", "missing.txt")]


def test_read_input_errors(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"x" * 100)
    assert batch.read_input(big, 100) == b"x" * 100
    with pytest.raises(cleantext.InputTooLargeError):
        batch.read_input(big, 99)
    with pytest.raises(cleantext.InputError, match="directory"):
        batch.read_input(tmp_path, 99)
    with pytest.raises(cleantext.InputError, match="cannot read"):
        batch.read_input(tmp_path / "missing", 99)


# --------------------------------------------------------------------------------------------
# outputs


def test_write_atomic_replaces_and_leaves_nothing_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "sub" / "out.txt"
    batch.write_atomic(target, b"old")
    assert target.read_bytes() == b"old"
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()

    def boom(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError, match="No space"):
        batch.write_atomic(target, b"new and longer")
    assert target.read_bytes() == b"old"
    assert os.listdir(target.parent) == ["out.txt"]


def test_atomic_writer_discards_on_error(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"

    def half_written() -> None:
        with batch.atomic_writer(target) as f:
            f.write(b"half")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        half_written()
    assert not target.exists()
    assert os.listdir(tmp_path) == []


def _umask() -> int:
    m = os.umask(0o022)
    os.umask(m)
    return m


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_encode_decode_output_roundtrip(name: str) -> None:
    try:
        res = cleantext.clean_bytes((FIXTURES / name).read_bytes())
    except cleantext.CleantextError:
        return  # the decoder refuses it; nothing is written, nothing to read back
    for enc in ("utf-8", "keep"):
        blob = batch.encode_output(res, enc)
        assert blob == (res.to_bytes() if enc == "keep" else res.text.encode("utf-8"))
        if res.report.encoding.lossless:
            assert batch.decode_output(blob, res.report, enc) == res.text


# --------------------------------------------------------------------------------------------
# one file


def test_clean_one_matches_library_and_records_hashes(tmp_path: Path) -> None:
    out = tmp_path / "out" / "seed.txt"
    res = batch.clean_one(InputFile(SEED, "seed.txt"), out, cleantext.Cleaner())
    want = cleantext.clean_bytes(SEED.read_bytes())
    assert res.ok
    assert out.read_bytes() == want.text.encode("utf-8")
    assert res.report == want.report
    assert res.source_sha256 == batch.sha256(SEED.read_bytes())
    assert res.output_sha256 == batch.sha256(out.read_bytes())


@pytest.mark.parametrize(
    ("make", "error_type"),
    [
        (lambda p: p.write_bytes(PNG), "BinaryInputError"),
        (lambda p: p.write_bytes(b"x" * 2048), "InputTooLargeError"),
        (lambda p: p.mkdir(), "InputError"),
        (lambda p: None, "InputError"),
    ],
)
def test_clean_one_never_raises(tmp_path: Path, make: object, error_type: str) -> None:
    src = tmp_path / "src"
    make(src)  # type: ignore[operator]
    cleaner = cleantext.Cleaner(limits=cleantext.Limits(max_bytes=1024))
    res = batch.clean_one(InputFile(src, "src"), tmp_path / "out" / "src", cleaner)
    assert not res.ok
    assert res.error_type == error_type
    assert res.error is not None
    assert res.error.startswith(error_type)
    assert not (tmp_path / "out" / "src").exists()


def test_clean_one_survives_a_library_bug(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cleaner = cleantext.Cleaner()

    def broken(data: bytes, mode: str = "remove") -> cleantext.Cleaned:
        raise RuntimeError("oops")

    monkeypatch.setattr(cleaner, "clean_bytes", broken)
    res = batch.clean_one(InputFile(SEED, "s"), tmp_path / "s", cleaner)
    assert not res.ok
    assert res.error_type == "InternalError"
    assert "RuntimeError: oops" in (res.error or "")


def test_clean_stream() -> None:
    res, blob = batch.clean_stream(SEED.read_bytes(), cleantext.Cleaner())
    assert blob == cleantext.clean_bytes(SEED.read_bytes()).text.encode("utf-8")
    assert res.ok
    assert res.path is None
    bad, none = batch.clean_stream(PNG, cleantext.Cleaner())
    assert none is None
    assert bad.error_type == "BinaryInputError"


def test_file_result_record_roundtrip(tmp_path: Path) -> None:
    res = batch.clean_one(InputFile(SEED, "seed.txt"), tmp_path / "seed.txt", cleantext.Cleaner())
    line = res.to_json()
    assert "\\u" not in line
    back = FileResult.from_record(json.loads(line))
    assert back == res.__class__(**{**{f: getattr(res, f) for f in res.__slots__}, "seconds": 0.0})  # type: ignore[attr-defined]
    with pytest.raises(cleantext.ReportError):
        FileResult.from_record({"source": "x"})
    with pytest.raises(cleantext.ReportError):
        FileResult.from_record({**json.loads(line), "output_encoding": "latin-1"})


# --------------------------------------------------------------------------------------------
# many files


def seeded_inputs(tmp_path: Path) -> list[InputFile]:
    src = tmp_path / "in"
    src.mkdir()
    for p in sorted(FIXTURES.glob("*.txt")):
        (src / p.name).write_bytes(p.read_bytes())
    (src / "x.png").write_bytes(PNG)
    return list(batch.iter_inputs([src]))


def test_clean_files_pool_equals_serial(tmp_path: Path) -> None:
    items = seeded_inputs(tmp_path)
    cleaner = cleantext.Cleaner()
    one = list(batch.clean_files(items, tmp_path / "o1", cleaner, jobs=1))
    two = list(batch.clean_files(items, tmp_path / "o2", cleaner, jobs=2))
    assert [r.source for r in one] == [str(i.path) for i in items]
    assert [(r.ok, r.error_type, r.report, r.output_sha256) for r in one] == [
        (r.ok, r.error_type, r.report, r.output_sha256) for r in two
    ]
    for i in items:
        if (tmp_path / "o1" / i.rel).exists():
            assert (tmp_path / "o1" / i.rel).read_bytes() == (tmp_path / "o2" / i.rel).read_bytes()


def test_clean_files_refuses_colliding_outputs(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "doc.txt", tmp_path / "b" / "doc.txt"
    for p, t in ((a, "甲。\n"), (b, "乙。\n")):
        p.parent.mkdir()
        p.write_text(t, encoding="utf-8")
    res = list(batch.clean_files(batch.iter_inputs([a, b]), tmp_path / "out"))
    assert [r.ok for r in res] == [True, False]
    assert "would overwrite" in (res[1].error or "")
    assert (tmp_path / "out" / "doc.txt").read_text(encoding="utf-8") == "甲。\n"


def test_clean_files_needs_a_target() -> None:
    with pytest.raises(ValueError, match="output folder"):
        list(batch.clean_files([], None))


def test_up_to_date_logic(tmp_path: Path) -> None:
    item = InputFile(SEED, "seed.txt")
    out = tmp_path / "seed.txt"
    cleaner = cleantext.Cleaner()
    first = batch.clean_one(item, out, cleaner, need_record=True)
    opts = CleanOptions()
    assert batch.is_up_to_date(item, out, cleaner, opts, first, need_record=True)
    assert not batch.is_up_to_date(item, out, cleaner, opts, None, need_record=True)
    assert batch.is_up_to_date(item, out, cleaner, opts, None, need_record=False)
    assert not batch.is_up_to_date(item, out, cleaner, CleanOptions(force=True), first, need_record=True)
    assert not batch.is_up_to_date(item, out, cleaner, CleanOptions(encoding="keep"), first, need_record=True)
    assert not batch.is_up_to_date(item, out, cleaner, CleanOptions(mode="annotate"), first, need_record=True)
    edited = out.read_bytes()
    out.write_bytes(b"edited by hand")
    assert not batch.is_up_to_date(item, out, cleaner, opts, first, need_record=True)
    out.write_bytes(edited)
    assert batch.is_up_to_date(item, out, cleaner, opts, first, need_record=True)
    os.utime(out, ns=(SEED.stat().st_mtime_ns, SEED.stat().st_mtime_ns))
    assert not batch.is_up_to_date(item, out, cleaner, opts, first, need_record=True)  # equal times: maybe stale
    skipped = batch.clean_one(item, out, cleaner, previous=first, need_record=True)
    assert not skipped.skipped  # re-cleaned after the time check failed
    again = batch.clean_one(item, out, cleaner, previous=skipped, need_record=True)
    assert again.skipped
    assert again.report == first.report


def test_cleaner_pickles_for_the_pool() -> None:
    pack = cleantext.load_pack()
    c = pickle.loads(pickle.dumps(cleantext.Cleaner(pack)))
    assert c.pack.ref == pack.ref
    assert c.clean_bytes(SEED.read_bytes()) == cleantext.Cleaner(pack).clean_bytes(SEED.read_bytes())


# --------------------------------------------------------------------------------------------
# restore


def cleaned_tree(tmp_path: Path, encoding: batch.OutputEncoding = "utf-8") -> tuple[Path, list[FileResult]]:
    items = seeded_inputs(tmp_path)
    out = tmp_path / "out"
    return out, list(batch.clean_files(items, out, options=CleanOptions(encoding=encoding)))


@pytest.mark.parametrize("encoding", ["utf-8", "keep"])
def test_restore_record_exact(tmp_path: Path, encoding: batch.OutputEncoding) -> None:
    out, results = cleaned_tree(tmp_path, encoding)
    restored = 0
    for r in results:
        rr = batch.restore_record(r.to_record(), out, tmp_path / "back")
        if not r.ok:
            assert rr.skipped
            continue
        original = Path(r.source).read_bytes()
        assert r.report is not None
        if cleantext.restore_bytes(cleantext.clean_bytes(original).text, r.report) == original:
            assert rr.ok, rr.error
            assert (tmp_path / "back" / str(r.path)).read_bytes() == original
            restored += 1
        else:
            assert not rr.ok
            assert not (tmp_path / "back" / str(r.path)).exists()
    assert restored >= 5


def test_restore_refuses_changed_output_and_unsafe_paths(tmp_path: Path) -> None:
    out, results = cleaned_tree(tmp_path)
    rec = next(r for r in results if r.ok).to_record()
    (out / rec["path"]).write_bytes(b"edited by hand")
    res = batch.restore_record(rec, out, tmp_path / "back")
    assert not res.ok
    assert "changed since it was cleaned" in (res.error or "")
    assert not (tmp_path / "back").exists()
    for evil in ("../escape.txt", "/etc/passwd", "a/../../x", "C:/x", "a\\..\\x", ""):
        bad = batch.restore_record({**rec, "path": evil}, out, tmp_path / "back")
        assert not bad.ok
        assert "unsafe path" in (bad.error or "")
    assert not (tmp_path / "escape.txt").exists()


def test_read_report_names_bad_line(tmp_path: Path) -> None:
    p = tmp_path / "r.jsonl"
    p.write_text('{"source": "a"}\n\nnot json\n', encoding="utf-8")
    with pytest.raises(cleantext.ReportError, match=r"r\.jsonl:3"):
        list(batch.read_report(p))
    assert batch.previous_results(p) == {}
    assert batch.previous_results(tmp_path / "missing.jsonl") == {}


# --------------------------------------------------------------------------------------------
# JSONL


def test_clean_jsonl_line_and_restore() -> None:
    text = "仅供学习 禁止外传\n第一条 为了规范管理，制定本办法。\n"
    raw = json.dumps({"id": 1, "text": text, "x": [1, 2]}, ensure_ascii=False).encode() + b"\r\n"
    res = batch.clean_jsonl_line(raw, 1, cleantext.Cleaner())
    rec = json.loads(res.output)
    assert list(rec) == ["id", "text", "x", "cleantext"]
    assert rec["text"] == cleantext.clean(text).text
    assert rec["cleantext"]["ok"] is True
    back = json.loads(batch.restore_jsonl_line(res.output, 1))
    assert back == {"id": 1, "text": text, "x": [1, 2]}


@pytest.mark.parametrize(
    ("line", "error"),
    [(b"[1, 2]", "not a JSON object"), (b'{"text": 3}', "not a string"), (b'{"body": ""}', "missing"),
     (b"{oops", "not a JSON line")],
)
def test_clean_jsonl_line_failures(line: bytes, error: str) -> None:
    res = batch.clean_jsonl_line(line, 7, cleantext.Cleaner())
    assert not res.ok
    assert error in (res.error or "")
    assert res.to_record("f.jsonl") == {"source": "f.jsonl", "line": 7, "ok": False, "error": res.error}


def test_clean_jsonl_bom_blank_and_surrogates() -> None:
    lines = [b'\xef\xbb\xbf{"text": "\\u6b63\\u6587"}\n', b"\n", b'{"text": "a\\ud800b"}\n']
    out = list(batch.clean_jsonl(lines))
    assert [r.ok for r in out[:2]] == [True, True]
    assert out[1].blank
    assert json.loads(out[0].output)["text"] == "正文"
    # A lone surrogate (legal in JSON, not in UTF-8) is cleaned or fails by name; either way the
    # line comes out as valid JSON with the record intact and the batch goes on.
    rec = json.loads(out[2].output)
    assert rec["text"] == "a\ud800b"
    assert rec["cleantext"]["ok"] is out[2].ok
    if not out[2].ok:
        assert rec["cleantext"]["error"]
    assert list(batch.clean_jsonl(lines, jobs=2)) == out


def test_jsonl_pool_is_shared_across_files() -> None:
    cleaner = cleantext.Cleaner()
    docs = [json.dumps({"text": f"仅供学习 禁止外传\n正文{i}。\n"}, ensure_ascii=False).encode() for i in range(150)]
    serial = list(batch.clean_jsonl(docs, cleaner))
    with batch.jsonl_pool(cleaner, 2) as pool:
        first = list(batch.clean_jsonl(docs, cleaner, jobs=2, executor=pool))
        second = list(batch.clean_jsonl(docs, cleaner, field="text", mode="annotate", executor=pool))
    assert first == serial
    assert [json.loads(r.output)["text"] for r in second] == [json.loads(d)["text"] for d in docs]


def test_batch_stats_summary() -> None:
    s = batch.BatchStats()
    res = cleantext.clean_bytes(SEED.read_bytes())
    s.add(True, res.report, 2_000_000)
    s.add(False, None, 10)
    s.add(True, res.report, 5, skipped=True)
    line = s.summary()
    assert line.startswith("3 files (1 up to date, skipped), 2.00 MB, removed ")
    assert f"reseller_header {sum(1 for r in res.report.removals if r.text.strip())}" in line
    assert "1 failed" in line
