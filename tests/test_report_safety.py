"""Reports that restore originals are never lost (issue 11, items 1-3).

- any file name, including one that is not valid UTF-8 (a GBK name from a zip archive), goes into
  a report and comes back out of it byte for byte;
- in place, a file's report line is on disk before the file is rewritten;
- a rerun on a subset, or ``--force`` over a cleaned folder, never shrinks or replaces the report
  that restores the originals: in place the report is a journal that restore follows back to the
  first original; out of place it is the map of one output folder;
- a cleaned JSONL record whose text was edited is refused, never half-restored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import cleantext
from cleantext import batch, cli
from cleantext.batch import files as batch_files

GBK_NAME = os.fsdecode(b"\xd6\xd0\xce\xc4.txt")  # 中文.txt in GBK: not valid UTF-8 on Linux
DOC_GBK = "仅供学习 禁止外传\n会员群：   免费QQ群：\n第一条 为了规范管理，制定本办法。\n".encode("gbk")
DOC_UTF8 = "仅供学习 禁止外传\n第二条 本办法适用于本市。\n".encode()


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_bytes().decode("utf-8").splitlines()]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / GBK_NAME).write_bytes(DOC_GBK)
    (src / "sub" / "b.txt").write_bytes(DOC_UTF8)
    return src


def snapshot(root: Path) -> dict[str, bytes]:
    return {os.fsencode(p.relative_to(root)).decode("latin-1"): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def restore_to(tmp_path: Path, tree: Path, rep: Path, name: str = "back") -> dict[str, bytes]:
    back = tmp_path / name
    assert cli.main(["restore", str(tree), "--report", str(rep), "-o", str(back), "-q"]) == 0
    return snapshot(back)


# --------------------------------------------------------------------------------------------
# 1. any file name


def test_non_utf8_name_in_report_and_restore(folder: Path, tmp_path: Path) -> None:
    originals = snapshot(folder)
    out, rep = tmp_path / "out", tmp_path / "r.jsonl"
    assert cli.main(["clean", str(folder), "-o", str(out), "--report", str(rep), "-q"]) == 0
    recs = {d["path"]: d for d in lines(rep)}
    gbk = recs["\ufffd\ufffd\ufffd\ufffd.txt"]  # readable, with U+FFFD for the odd bytes
    assert gbk["path_b64"] == "1tDOxC50eHQ="
    assert os.fsencode(batch.get_name(gbk, "source") or "").endswith(b"\xd6\xd0\xce\xc4.txt")
    assert "path_b64" not in recs["sub/b.txt"]
    assert (out / GBK_NAME).exists()
    assert restore_to(tmp_path, out, rep) == originals


def test_non_utf8_name_in_place(folder: Path, tmp_path: Path) -> None:
    originals = snapshot(folder)
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 0
    assert snapshot(folder) != originals
    assert restore_to(tmp_path, folder, rep) == originals


def test_file_result_name_roundtrip() -> None:
    res = batch.FileResult("x/" + GBK_NAME, GBK_NAME, "o/" + GBK_NAME, ok=False, error="E", error_type="E")
    rec = json.loads(batch.json_line(res.to_record()))
    assert batch.FileResult.from_record(rec) == res


def test_in_place_line_is_on_disk_before_the_file_is_rewritten(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rep = tmp_path / "r.jsonl"
    real = batch.write_atomic
    checked: list[str] = []

    def write_after_the_line(path: Any, data: bytes, **kw: Any) -> None:
        on_disk = [batch.get_name(d, "source") for d in lines(rep)] if rep.exists() else []
        assert str(path) in on_disk, f"{path} rewritten before its report line"
        checked.append(str(path))
        real(path, data, **kw)

    monkeypatch.setattr(batch_files, "write_atomic", write_after_the_line)
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q", "-j", "2"]) == 0
    assert len(checked) == 2


def test_in_place_write_that_fails_after_its_line_still_restores(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    originals = snapshot(folder)
    rep = tmp_path / "r.jsonl"
    real = batch.write_atomic

    def disk_full_for_b(path: Any, data: bytes, **kw: Any) -> None:
        if str(path).endswith("b.txt"):
            raise OSError(28, "No space left on device")
        real(path, data, **kw)

    monkeypatch.setattr(batch_files, "write_atomic", disk_full_for_b)
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 1
    assert [d["ok"] for d in lines(rep) if d["path"] == "sub/b.txt"] == [True, False]  # its line, then the failure
    assert (folder / "sub" / "b.txt").read_bytes() == DOC_UTF8
    monkeypatch.setattr(batch_files, "write_atomic", real)
    assert restore_to(tmp_path, folder, rep, "back1") == originals
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 0  # retried
    assert (folder / "sub" / "b.txt").read_bytes() != DOC_UTF8
    assert restore_to(tmp_path, folder, rep, "back2") == originals


def test_torn_last_line_of_a_journal_is_dropped(folder: Path, tmp_path: Path) -> None:
    originals = snapshot(folder)
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(folder / GBK_NAME), "--in-place", "--report", str(rep), "-q"]) == 0
    with rep.open("ab") as f:
        f.write(b'{"source": "in/sub/b.txt", "pa')  # killed while appending: b.txt was not touched
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 0
    assert len(lines(rep)) == 2
    assert restore_to(tmp_path, folder, rep) == originals


# --------------------------------------------------------------------------------------------
# 2. the report that restores originals is never shrunk or replaced


@pytest.mark.parametrize("again", [[], ["--force"]])
def test_in_place_again_on_one_file_restores_byte_exact(folder: Path, tmp_path: Path, again: list[str]) -> None:
    """The issue's check: a GBK-named file cleaned in place, then again alone with the same report."""
    originals = snapshot(folder)
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 0
    first = lines(rep)
    assert cli.main(["clean", str(folder / GBK_NAME), "--in-place", "--report", str(rep), "-q", *again]) == 0
    assert lines(rep)[: len(first)] == first  # appended to, never shrunk
    assert len(lines(rep)) == len(first) + bool(again)
    assert restore_to(tmp_path, folder, rep) == originals


def test_force_over_a_cleaned_folder_chains_back_to_the_first_original(folder: Path, tmp_path: Path) -> None:
    originals = snapshot(folder)
    rep = tmp_path / "r.jsonl"
    for _ in range(3):
        assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q", "--force"]) == 0
    assert len(lines(rep)) == 6
    assert restore_to(tmp_path, folder, rep) == originals


def test_edited_between_two_in_place_cleanings_restores_the_edit_and_says_so(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rep = tmp_path / "r.jsonl"
    b = folder / "sub" / "b.txt"
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 0
    edited = b.read_bytes() + "欢迎光临小店，全场包邮\n".encode()
    b.write_bytes(edited)
    assert cli.main(["clean", str(folder), "--in-place", "--report", str(rep), "-q"]) == 0
    capsys.readouterr()
    assert cli.main(["restore", str(folder), "--report", str(rep), "-o", str(tmp_path / "back"), "-q"]) == 0
    assert (tmp_path / "back" / "sub" / "b.txt").read_bytes() == edited
    assert "edited by hand between two cleanings" in capsys.readouterr().err


def test_out_of_place_subset_rerun_keeps_the_other_lines(folder: Path, tmp_path: Path) -> None:
    originals = snapshot(folder)
    out, rep = tmp_path / "out", tmp_path / "r.jsonl"
    assert cli.main(["clean", str(folder), "-o", str(out), "--report", str(rep), "-q"]) == 0
    assert cli.main(["clean", str(folder), "-o", str(out), "--report", str(rep), "-q", "--glob", "b.txt",
                     "--force"]) == 0
    assert sorted(d["path"] for d in lines(rep)) == ["sub/b.txt", "\ufffd\ufffd\ufffd\ufffd.txt"]
    assert restore_to(tmp_path, out, rep) == originals


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (["--in-place"], ["-o", "{tmp}/out"], "cleaned in place"),
        (["-o", "{tmp}/out"], ["-o", "{tmp}/other"], "one report per output folder"),
        (["-o", "{tmp}/out"], ["--in-place"], "out-of-place run"),
        (["-o", "{tmp}/out"], ["single"], "choose another --report"),
        (["--in-place"], ["jsonl"], "choose another --report"),
    ],
)
def test_a_run_that_would_replace_a_restoring_report_is_refused(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], first: list[str], second: list[str],
    message: str,
) -> None:
    rep = tmp_path / "r.jsonl"
    fill = [x.format(tmp=tmp_path) for x in first]
    assert cli.main(["clean", str(folder), *fill, "--report", str(rep), "-q"]) == 0
    before = rep.read_bytes()
    state = snapshot(folder)
    if second == ["single"]:
        argv = ["clean", str(folder / "sub" / "b.txt")]
    elif second == ["jsonl"]:
        (tmp_path / "d.jsonl").write_text('{"text": "正文"}\n', encoding="utf-8")
        argv = ["clean", str(tmp_path / "d.jsonl"), "--jsonl", "-o", str(tmp_path / "j")]
    else:
        argv = ["clean", str(folder), *(x.format(tmp=tmp_path) for x in second)]
    capsys.readouterr()
    assert cli.main([*argv, "--report", str(rep), "-q"]) == 2
    assert message in capsys.readouterr().err
    assert rep.read_bytes() == before
    assert snapshot(folder) == state


def test_an_existing_file_that_is_not_a_report_is_not_replaced(
    folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rep = tmp_path / "notes.txt"
    rep.write_text("my notes\n", encoding="utf-8")
    assert cli.main(["clean", str(folder), "-o", str(tmp_path / "o"), "--report", str(rep), "-q"]) == 2
    assert "is not a cleantext report" in capsys.readouterr().err
    assert rep.read_text(encoding="utf-8") == "my notes\n"


# --------------------------------------------------------------------------------------------
# 3. JSONL: an edited record is refused; restore gives back the line byte for byte

TEXT = "仅供学习 禁止外传\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于本市。\n"


def test_edited_jsonl_record_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "d.jsonl"
    src.write_bytes(b"".join(json.dumps({"id": i, "text": TEXT}, ensure_ascii=False).encode() + b"\n"
                             for i in range(3)))
    assert cli.main(["clean", str(src), "--jsonl", "-o", str(tmp_path / "c"), "-q"]) == 0
    cleaned = (tmp_path / "c" / "d.jsonl").read_bytes().splitlines(keepends=True)
    rec = json.loads(cleaned[1])
    rec["text"] = rec["text"].replace("为了规范管理", "为了规范")  # someone edited the clean text
    cleaned[1] = json.dumps(rec, ensure_ascii=False).encode() + b"\n"
    (tmp_path / "edited.jsonl").write_bytes(b"".join(cleaned))
    capsys.readouterr()
    assert cli.main(["restore", str(tmp_path / "edited.jsonl"), "--jsonl", "-o", str(tmp_path / "back")]) == 1
    err = capsys.readouterr().err
    assert "edited.jsonl:line 2: the clean text changed since it was cleaned" in err
    back = (tmp_path / "back" / "edited.jsonl").read_bytes().splitlines(keepends=True)
    original = src.read_bytes().splitlines(keepends=True)
    assert (back[0], back[2]) == (original[0], original[2])
    assert back[1] == cleaned[1]  # refused: left as it was, lines stay aligned


@pytest.mark.parametrize(
    "lines",
    [
        [b'\xef\xbb\xbf{"id": 1, "text": "%s"}\r\n', b'{"id": 2, "text": "%s"}\r\n'],  # BOM, CRLF
        [b'{"id":1,"text":"%s"}\n', b'{"id":2,"text":"%s"}'],  # compact, no final newline
        [b'{ "text" : "%s" ,\t"id": 1 }\n', b"not json\r\n", b"\n", b'{"a": 1}\n'],  # odd spacing, failures
        [b'{"text": "%s", "url": "http:\\/\\/x.cn\\/a", "k": "\\u6587"}\n'],  # escapes kept as they were
    ],
)
@pytest.mark.parametrize("escape", [False, True])
def test_jsonl_restore_is_byte_exact(tmp_path: Path, lines: list[bytes], escape: bool) -> None:
    token = json.dumps(TEXT, ensure_ascii=escape)[1:-1].encode()
    src = tmp_path / "d.jsonl"
    data = b"".join(x.replace(b"%s", token) for x in lines)
    src.write_bytes(data)
    cli.main(["clean", str(src), "--jsonl", "-o", str(tmp_path / "c"), "-q"])
    recs = [json.loads(x) for x in (tmp_path / "c" / "d.jsonl").read_bytes().splitlines() if x.startswith(b"{")]
    assert [r["text"] for r in recs if "text" in r] == [cleantext.clean(TEXT).text] * sum(b"%s" in x for x in lines)
    assert cli.main(["restore", str(tmp_path / "c" / "d.jsonl"), "--jsonl", "-o", str(tmp_path / "back"), "-q"]) == 0
    assert (tmp_path / "back" / "d.jsonl").read_bytes() == data


def test_restore_verify_opt_in() -> None:
    res = cleantext.clean(TEXT)
    assert cleantext.restore(res.text, res.report) == TEXT  # unchanged signature and behaviour
    with pytest.raises(cleantext.ReportError, match="carries none"):
        cleantext.restore(res.text, res.report, verify=True)
    sealed = res.report.with_text_sha256(res.text)
    assert cleantext.Report.from_json(sealed.to_json()) == sealed
    assert cleantext.restore(res.text, sealed, verify=True) == TEXT
    assert cleantext.restore_bytes(res.text, sealed, verify=True) == TEXT.encode()
    edited = res.text.replace("规范管理", "规范")
    assert cleantext.restore(edited, sealed) != TEXT  # what an unchecked restore does
    with pytest.raises(cleantext.ReportError, match="changed since it was cleaned"):
        cleantext.restore(edited, sealed, verify=True)
    with pytest.raises(cleantext.ReportError, match="changed since it was cleaned"):
        cleantext.restore_bytes(edited, sealed, verify=True)
    assert "text_sha256" not in res.report.to_dict()  # reports only carry it when sealed


def test_jsonl_force_over_cleaned_records_restores_the_first_original(tmp_path: Path) -> None:
    src = tmp_path / "d.jsonl"
    data = b"".join(json.dumps({"id": i, "text": "现在订阅立享前3年的所有权益和资料\n" + TEXT}).encode() + b"\r\n"
                    for i in range(3)) + b"not json\n"
    src.write_bytes(data)
    assert cli.main(["clean", str(src), "--jsonl", "--in-place", "-q"]) == 1  # the line that is not JSON
    once = src.read_bytes()
    assert cli.main(["clean", str(src), "--jsonl", "--in-place", "-q"]) == 1
    assert src.read_bytes() == once  # already cleaned: passed through
    assert cli.main(["clean", str(src), "--jsonl", "--in-place", "-q", "--force"]) == 1
    assert b'"previous"' in src.read_bytes()
    assert cli.main(["restore", str(src), "--jsonl", "-o", str(tmp_path / "back.jsonl"), "-q"]) == 0
    assert (tmp_path / "back.jsonl").read_bytes() == data
