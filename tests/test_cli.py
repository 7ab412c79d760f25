"""The ``cleantext`` command line, in-process through ``cli.main`` and as ``python -m cleantext``.

The contract under test (issue 5): a folder of dev-corpus files plus a binary and an empty file is
cleaned in one run that exits 1 and names the binary file; every output equals what the library
returns; stdin → stdout works; ``cleantext restore`` gives back every original byte.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

import cleantext
from cleantext import cli
from cleantext.batch import STATE_FILE
from cleantext.cli import clean as cli_clean
from cleantext.explain import render_explain

from .conftest import DEAD_BUILTIN_EXAMPLES, needs_shared

HERE = Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "inputs"
DEV_CASES = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "cases"
MANIFEST = DEV_CASES.parent / "manifest.jsonl"

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"

GOOD_PACK = """\
[pack]
name = "shop"
version = "1"

[[rules]]
id = "promo.my-shop"
category = "promo"
keywords = ["小店"]
pattern = '''^[^\\S\\n]*欢迎光临小店[^\\n]{0,20}$'''
[rules.examples]
match = ["欢迎光临小店，全场包邮"]
no_match = ["他的小店开在街角，生意一直很好。"]
"""

BAD_PACK = """\
[[rules]]
id = "promo.too-strict"
category = "promo"
keywords = ["小店"]
pattern = '''^欢迎光临小店$'''
[rules.examples]
match = ["欢迎光临小店，全场包邮", "小\\u200b店"]
no_match = ["欢迎光临小店"]

[[rules]]
id = "promo.broken"
category = "promo"
keywords = ["x"]
pattern = '''(unclosed'''
[rules.examples]
match = ["x"]
no_match = ["y"]
"""


def dev_selection(per_encoding: int = 3) -> list[Path]:
    """A few dev cases of every encoding in the manifest (first ids, so the choice is stable); the
    repository's own fixtures when the shared corpus is not beside the clone."""
    if not MANIFEST.is_file():
        return sorted(p for p in FIXTURES.iterdir() if p.is_file())
    chosen: dict[str, list[Path]] = {}
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        got = chosen.setdefault(d["encoding"], [])
        if len(got) < per_encoding:
            got.append(DEV_CASES / f"{d['id']}.in")
    return [p for paths in chosen.values() for p in paths]


def library(data: bytes, **kw: Any) -> cleantext.Cleaned | cleantext.CleantextError:
    try:
        return cleantext.clean_bytes(data, **kw)
    except cleantext.CleantextError as e:
        return e


def read_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def run_module(*args: str, stdin: bytes = b"", cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "cleantext", *args], input=stdin, capture_output=True, cwd=cwd, env=env,
        check=False, timeout=300,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Dev-corpus files (some in a subfolder), one binary file and one empty file."""
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    for i, p in enumerate(dev_selection()):
        shutil.copyfile(p, (src / "sub" if i % 2 else src) / p.name)
    (src / "image.png").write_bytes(PNG)
    (src / "empty.txt").write_bytes(b"")
    return src


# --------------------------------------------------------------------------------------------
# the "done when"


def test_folder_with_binary_and_empty_file(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, rep = tmp_path / "out", tmp_path / "report.jsonl"
    rc = cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep)])
    err = capsys.readouterr().err
    assert rc == 1
    inputs = sorted(p for p in tree.rglob("*") if p.is_file())
    lines = read_lines(rep)
    assert [d["source"] for d in lines] == sorted((str(p) for p in inputs), key=lambda s: Path(s).relative_to(tree).as_posix())
    by_source = {d["source"]: d for d in lines}
    png = by_source[str(tree / "image.png")]
    assert png["ok"] is False
    assert png["error_type"] == "BinaryInputError"
    assert "image.png" in err
    assert "BinaryInputError" in err
    assert not (out / "image.png").exists()
    assert by_source[str(tree / "empty.txt")]["ok"] is True
    assert (out / "empty.txt").read_bytes() == b""
    n_ok = 0
    for p in inputs:
        rec = by_source[str(p)]
        rel = p.relative_to(tree).as_posix()
        want = library(p.read_bytes())
        if isinstance(want, cleantext.CleantextError):
            assert rec["ok"] is False
            assert rec["error_type"] == type(want).__name__
            continue
        n_ok += 1
        assert rec["ok"] is True
        assert rec["path"] == rel
        assert (out / rel).read_bytes() == want.text.encode("utf-8")
        assert cleantext.Report.from_dict(rec["report"]) == want.report
    assert n_ok >= len(inputs) - 3
    summary = err.strip().splitlines()[-1]
    assert f"{len(inputs)} files" in summary
    assert "failed" in summary
    assert " s" in summary


def test_restore_gives_back_every_byte(tree: Path, tmp_path: Path) -> None:
    needs_shared()
    out, rep, back = tmp_path / "out", tmp_path / "report.jsonl", tmp_path / "back"
    assert cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep), "-q"]) == 1
    rc = cli.main(["restore", str(out), "--report", str(rep), "-o", str(back), "-q"])
    exact = 0
    for d in read_lines(rep):
        if not d["ok"]:
            assert not (back / d["path"]).exists()
            continue
        original = Path(d["source"]).read_bytes()
        res = cleantext.clean_bytes(original)
        if cleantext.restore_bytes(res.text, res.report) == original:
            assert (back / d["path"]).read_bytes() == original
            exact += 1
        else:  # the library cannot round-trip it (yet): restore must refuse, never write other bytes
            assert not (back / d["path"]).exists()
            assert rc == 1
    assert exact >= 10


@pytest.mark.parametrize("encoding", ["utf-8", "keep"])
def test_restore_fixtures_both_output_encodings(tmp_path: Path, encoding: str) -> None:
    out, rep, back = tmp_path / "out", tmp_path / "r.jsonl", tmp_path / "back"
    rc = cli.main(["clean", str(FIXTURES), "-o", str(out), "--report", str(rep), "--encoding", encoding, "-q",
                   "--glob", "*.txt"])
    assert rc in (0, 1)
    for d in read_lines(rep):
        if d["ok"]:
            data = Path(d["source"]).read_bytes()
            res = cleantext.clean_bytes(data)
            want = res.to_bytes() if encoding == "keep" else res.text.encode("utf-8")
            assert (out / d["path"]).read_bytes() == want
            assert d["output_encoding"] == encoding
    cli.main(["restore", str(out), "--report", str(rep), "-o", str(back), "-q"])
    for d in read_lines(rep):
        if not d["ok"]:
            continue
        original = Path(d["source"]).read_bytes()
        res = cleantext.clean_bytes(original)
        if cleantext.restore_bytes(res.text, res.report) == original:
            assert (back / d["path"]).read_bytes() == original


def test_stdin_to_stdout_subprocess() -> None:
    data = (FIXTURES / "seed_utf8.txt").read_bytes()
    proc = run_module("clean", "-", stdin=data)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == cleantext.clean_bytes(data).text.encode("utf-8")
    assert b"removed" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_stdin_keep_encoding_in_process(monkeypatch: pytest.MonkeyPatch, capsysbinary: pytest.CaptureFixture[bytes]
                                        ) -> None:
    data = (FIXTURES / "real_gbk_crlf.txt").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert cli.main(["clean", "-", "--encoding", "keep"]) == 0
    assert capsysbinary.readouterr().out == cleantext.clean_bytes(data).to_bytes()


def test_single_file_to_stdout_with_report(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src, rep = FIXTURES / "seed_utf8.txt", tmp_path / "r.jsonl"
    assert cli.main(["clean", str(src), "--report", str(rep)]) == 0
    cap = capsysbinary.readouterr()
    want = cleantext.clean_bytes(src.read_bytes())
    assert cap.out == want.text.encode("utf-8")
    assert want.report.summary().encode() in cap.err
    [line] = read_lines(rep)
    assert line["source"] == str(src)
    assert line["output"] is None
    assert cleantext.Report.from_dict(line["report"]) == want.report


def test_report_is_utf8_not_escaped(tree: Path, tmp_path: Path) -> None:
    rep = tmp_path / "r.jsonl"
    cli.main(["clean", str(tree), "-o", str(tmp_path / "o"), "--report", str(rep), "-q"])
    raw = rep.read_text(encoding="utf-8")
    assert "\\u" not in raw
    assert any("\u4e00" <= c <= "\u9fff" for c in raw)


def test_binary_file_alone_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.png").write_bytes(PNG)
    assert cli.main(["clean", str(tmp_path / "x.png")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "x.png" in captured.err
    assert "BinaryInputError" in captured.err


def test_missing_and_too_large_inputs_are_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "big.txt").write_text("正文。" * 1000, encoding="utf-8")
    (src / "small.txt").write_text("正文。\n", encoding="utf-8")
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere")
    rep = tmp_path / "r.jsonl"
    # a missing PATH is a usage error before any work (issue 15), not an input failure
    assert cli.main(["clean", str(src), str(tmp_path / "missing.txt"), "-o", str(tmp_path / "out"),
                     "--report", str(rep)]) == 2
    assert "no such file or folder: " + str(tmp_path / "missing.txt") in capsys.readouterr().err
    assert not rep.exists()
    assert not (tmp_path / "out").exists()
    rc = cli.main(["clean", str(src), "-o", str(tmp_path / "out"), "--report", str(rep), "--max-bytes", "1K",
                   "--follow-symlinks"])
    err = capsys.readouterr().err
    assert rc == 1
    recs = {Path(d["source"]).name: d for d in read_lines(rep)}
    assert recs["big.txt"]["error_type"] == "InputTooLargeError"
    assert recs["dangling.txt"]["ok"] is False  # followed on request: a link to nothing fails by name
    assert recs["small.txt"]["ok"] is True
    for name in ("big.txt", "dangling.txt"):
        assert name in err


def test_read_only_output_folder_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    import tempfile  # noqa: PLC0415

    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"{i}.txt").write_text("正文。\n", encoding="utf-8")
    out = tmp_path / "ro"
    out.mkdir()
    real = tempfile.mkstemp

    def read_only(*args: Any, **kw: Any) -> Any:  # what a read-only mount does (chmod does not stop root)
        if Path(kw["dir"]) == out:
            raise PermissionError(13, "Permission denied")
        return real(*args, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert cli.main(["clean", str(src), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"cleantext clean: error: -o {out}: cannot write in the folder {out}: Permission denied"]


# --------------------------------------------------------------------------------------------
# reruns, atomicity, in-place


def test_rerun_skips_up_to_date_unless_force(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs_shared()  # edits a dev case (*.in)
    out, rep = tmp_path / "out", tmp_path / "r.jsonl"
    cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep), "-q"])
    first = read_lines(rep)
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != STATE_FILE}
    capsys.readouterr()
    assert cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep)]) == 1
    assert "up to date, skipped" in capsys.readouterr().err
    second = read_lines(rep)
    assert [d["source"] for d in second] == [d["source"] for d in first]
    for a, b in zip(first, second, strict=True):
        assert b.get("skipped", False) is a["ok"]  # the binary file is retried, never "up to date"
        assert a.get("report") == b.get("report")
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.name != STATE_FILE} == mtimes
    # an edited input is cleaned again, the others are not
    edited = next(p for p in sorted(tree.rglob("*.in")))
    edited.write_bytes(edited.read_bytes() + "\n欢迎光临小店，全场包邮\n".encode(cleantext.clean_bytes(edited.read_bytes()).report.encoding.payload_codec))
    cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep), "-q"])
    third = {d["source"]: d for d in read_lines(rep)}
    assert not third[str(edited)].get("skipped")
    assert sum(bool(d.get("skipped")) for d in third.values()) == len(mtimes) - 1
    # another pack: its hash is in the report, so nothing is up to date
    pack = tmp_path / "shop.toml"
    pack.write_text(GOOD_PACK, encoding="utf-8")
    cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep), "-q", "--pack", str(pack)])
    fourth = read_lines(rep)
    assert not any(d.get("skipped") for d in fourth)
    assert (out / edited.relative_to(tree)).read_text(encoding="utf-8").count("欢迎光临小店") == 0
    # --force cleans everything again
    cli.main(["clean", str(tree), "-o", str(out), "--report", str(rep), "-q", "--pack", str(pack), "--force"])
    assert not any(d.get("skipped") for d in read_lines(rep))


def test_no_temporary_files_left(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cli.main(["clean", str(tree), "-o", str(out), "--report", str(tmp_path / "r.jsonl"), "-q"])
    assert not [p for p in tmp_path.rglob(".*") if p.is_file() and p.name != STATE_FILE]


def test_in_place_keeps_report_and_restores(tree: Path, tmp_path: Path) -> None:
    originals = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(tree), "--in-place", "--report", str(rep), "-q"]) == 1
    changed = [p for p, b in originals.items() if p.read_bytes() != b]
    assert changed, "in-place cleaning changed nothing"
    for p, b in originals.items():
        want = library(b)
        if not isinstance(want, cleantext.CleantextError):
            assert p.read_bytes() == want.text.encode("utf-8")
    # a second in-place run must not clean clean files and lose the way back: the report is a
    # journal, the first lines stay and only the retried failure is added
    first = read_lines(rep)
    assert cli.main(["clean", str(tree), "--in-place", "--report", str(rep), "-q"]) == 1
    second = read_lines(rep)
    assert second[: len(first)] == first
    assert [d["ok"] for d in second[len(first) :]] == [False]
    cli.main(["restore", str(tree), "--report", str(rep), "-o", str(tree), "-q"])
    for p, b in originals.items():
        res = library(b)
        if isinstance(res, cleantext.CleantextError) or cleantext.restore_bytes(res.text, res.report) == b:
            assert p.read_bytes() == b


def test_jobs_2_equals_jobs_1(tree: Path, tmp_path: Path) -> None:
    for j in ("1", "2"):
        cli.main(["clean", str(tree), "-o", str(tmp_path / j), "--report", str(tmp_path / f"{j}.jsonl"), "-q",
                  "-j", j])
    files1 = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*") if p.is_file()}
    files2 = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*") if p.is_file()}
    assert files1 == files2
    strip = [{k: v for k, v in d.items() if k != "output"} for d in read_lines(tmp_path / "1.jsonl")]
    assert strip == [{k: v for k, v in d.items() if k != "output"} for d in read_lines(tmp_path / "2.jsonl")]


def test_glob_filters_walked_files(tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs_shared()  # globs the dev cases (*.in)
    out = tmp_path / "out"
    assert cli.main(["clean", str(tree), "-o", str(out), "--glob", "*.txt", "-q"]) == 0
    assert sorted(p.name for p in out.rglob("*") if p.is_file() and p.name != STATE_FILE) == ["empty.txt"]
    capsys.readouterr()
    assert cli.main(["clean", str(tree), "-o", str(out), "--glob", "*.docx"]) == 0  # nothing failed...
    assert "no input files found matching *.docx" in capsys.readouterr().err  # ...but it is said


def test_annotate_mode_keeps_text(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = FIXTURES / "seed_utf8.txt"
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(src), "--mode", "annotate", "--report", str(rep)]) == 0
    assert capsysbinary.readouterr().out == src.read_bytes()
    [d] = read_lines(rep)
    assert d["report"]["mode"] == "annotate"
    assert d["report"]["removals"]


# --------------------------------------------------------------------------------------------
# usage errors: exit 2, nothing written


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["clean"],
        ["clean", "{tree}"],
        ["clean", "{tree}", "-o", "{tree}/out"],
        ["clean", "{tree}", "-o", "{tmp}"],
        ["clean", "{tree}/empty.txt", "{tree}/image.png", "-o", "{tree}"],
        ["clean", "{tree}", "-o", "{tmp}/o", "--report", "-", "--in-place"],
        ["clean", "{tree}/empty.txt", "--report", "-"],
        ["clean", "{tree}/empty.txt", "--field", "body"],
        ["clean", "{tree}/empty.txt", "--jsonl", "--encoding", "keep"],
        ["clean", "{tree}", "--in-place"],
        ["clean", "{tree}", "--in-place", "-o", "{tmp}/o", "--report", "{tmp}/r.jsonl"],
        ["clean", "-", "{tree}"],
        ["clean", "{tree}", "-o", "{tmp}/o", "--pack", "{tmp}/missing.toml"],
        ["clean", "{tree}", "-o", "{tmp}/o", "--mode", "shout"],
        ["clean", "{tree}", "-o", "{tmp}/o", "-j", "-3"],
        ["clean", "{tree}", "-o", "{tmp}/o", "--report", "{tree}/r.jsonl"],
        ["restore", "{tmp}"],
        ["explain", "{tree}/empty.txt", "--rule", "no.such-rule"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], tree: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(tree.rglob("*"))
    args = [a.format(tree=tree, tmp=tmp_path) for a in argv]
    assert cli.main(args) == 2
    assert capsys.readouterr().err
    assert sorted(tree.rglob("*")) == before
    assert not (tmp_path / "o").exists()


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--help"]) == 0
    assert "clean" in capsys.readouterr().out
    assert cli.main(["--version"]) == 0
    assert cleantext.__version__ in capsys.readouterr().out


# --------------------------------------------------------------------------------------------
# JSONL


def jsonl_input(tmp_path: Path) -> tuple[Path, list[str]]:
    texts = [
        (FIXTURES / "seed_utf8.txt").read_text(encoding="utf-8"),
        "仅供学习 禁止外传\n第一条 为了规范管理，制定本办法。\n",
        "正文，没有广告。\n",
    ]
    lines = [json.dumps({"id": i, "text": t, "meta": {"来源": "测试"}}, ensure_ascii=False) for i, t in enumerate(texts)]
    lines.insert(2, "this is not json")
    lines.insert(3, json.dumps({"id": 9, "body": "no text field"}))
    p = tmp_path / "docs.jsonl"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p, texts


def test_jsonl_in_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, texts = jsonl_input(tmp_path)
    out, rep = tmp_path / "out", tmp_path / "r.jsonl"
    assert cli.main(["clean", str(src), "--jsonl", "--field", "text", "-o", str(out), "--report", str(rep)]) == 1
    err = capsys.readouterr().err
    assert f"{src}:3:" in err
    assert f"{src}:4:" in err
    lines = (out / "docs.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5
    assert lines[2] == "this is not json"
    recs = [json.loads(x) for x in lines if x.startswith("{")]
    cleaned = [r for r in recs if "text" in r]
    assert [r["text"] for r in cleaned] == [cleantext.clean(t).text for t in texts]
    for r, t in zip(cleaned, texts, strict=True):
        assert r["meta"] == {"来源": "测试"}
        assert r["cleantext"]["ok"] is True
        assert cleantext.restore(r["text"], cleantext.Report.from_dict(r["cleantext"]["report"])) == t
    bad = next(r for r in recs if r["id"] == 9)
    assert bad["cleantext"]["ok"] is False
    assert "text" in bad["cleantext"]["error"]
    report = read_lines(rep)
    assert [(d["line"], d["ok"]) for d in report] == [(1, True), (2, True), (3, False), (4, False), (5, True)]


def test_jsonl_stdin_stdout_subprocess_and_restore(tmp_path: Path) -> None:
    src, _ = jsonl_input(tmp_path)
    proc = run_module("clean", "-", "--jsonl", "-j", "2", stdin=src.read_bytes())
    assert proc.returncode == 1
    one = run_module("clean", "-", "--jsonl", stdin=src.read_bytes())
    assert proc.stdout == one.stdout
    cleaned = tmp_path / "clean.jsonl"
    cleaned.write_bytes(proc.stdout)
    back = run_module("restore", str(cleaned), "--jsonl")
    assert back.returncode == 0, back.stderr
    orig = src.read_text(encoding="utf-8").splitlines()
    got = back.stdout.decode("utf-8").splitlines()
    assert len(got) == len(orig)
    for a, b in zip(orig, got, strict=True):
        if a.startswith("{"):
            assert json.loads(a) == json.loads(b)
        else:
            assert a == b


def test_jsonl_folder_one_pool_same_output(tmp_path: Path) -> None:
    src, _ = jsonl_input(tmp_path)
    shards = tmp_path / "shards"
    (shards / "deeper").mkdir(parents=True)
    for i in range(3):
        shutil.copyfile(src, shards / ("deeper" if i else ".") / f"part-{i}.jsonl")
    (shards / "notes.txt").write_text("not a shard", encoding="utf-8")
    for j in ("1", "2"):
        assert cli.main(["clean", str(shards), "--jsonl", "-o", str(tmp_path / f"o{j}"), "-j", j, "-q"]) == 1
    got1 = sorted(p.relative_to(tmp_path / "o1").as_posix() for p in (tmp_path / "o1").rglob("*")
                  if p.is_file() and p.name != STATE_FILE)
    assert got1 == ["deeper/part-1.jsonl", "deeper/part-2.jsonl", "part-0.jsonl"]
    for rel in got1:
        assert (tmp_path / "o1" / rel).read_bytes() == (tmp_path / "o2" / rel).read_bytes()


def test_jsonl_in_place_rerun_keeps_reports(tmp_path: Path) -> None:
    src, _ = jsonl_input(tmp_path)
    original = src.read_bytes()
    assert cli.main(["clean", str(src), "--jsonl", "--in-place", "-q"]) == 1  # two bad lines
    once = src.read_bytes()
    assert once != original
    assert cli.main(["clean", str(src), "--jsonl", "--in-place", "-q"]) == 1
    assert src.read_bytes() == once  # cleaned records pass through: their reports survive
    back = tmp_path / "back"
    assert cli.main(["restore", str(src), "--jsonl", "-o", str(back), "-q"]) == 0
    got = (back / src.name).read_text(encoding="utf-8").splitlines()
    for a, b in zip(original.decode().splitlines(), got, strict=True):
        assert (json.loads(a) if a.startswith("{") else a) == (json.loads(b) if b.startswith("{") else b)


def test_report_to_stdout(tree: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert cli.main(["clean", str(tree), "-o", str(tmp_path / "o"), "--report", "-", "-q"]) == 1
    lines = [json.loads(x) for x in capsysbinary.readouterr().out.splitlines()]
    assert len(lines) == len([p for p in tree.rglob("*") if p.is_file()])


# --------------------------------------------------------------------------------------------
# explain


def test_explain_plain_when_piped() -> None:
    src = FIXTURES / "seed_utf8.txt"
    proc = run_module("explain", str(src))
    assert proc.returncode == 0
    text = proc.stdout.decode("utf-8")
    assert "\x1b[" not in text
    res = cleantext.clean_bytes(src.read_bytes())
    assert text.count("[-") == len(res.report.removals) > 0
    first = res.report.removals[0]
    assert f"{{{first.rule} {first.category} {first.zone}" in text
    # every kept line is there, in order
    kept = [ln for ln in res.text.splitlines() if ln.strip()]
    pos = 0
    for ln in kept:
        pos = text.index(ln, pos) + len(ln)


def test_explain_one_rule_and_colour(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src = FIXTURES / "seed_utf8.txt"
    rule = cleantext.clean_bytes(src.read_bytes()).report.removals[0].rule
    assert cli.main(["explain", str(src), "--rule", rule, "--color", "always"]) == 0
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert "\x1b[" in out
    tags = [seg.split("}")[0] for seg in out.split("{")[1:]]
    assert tags
    assert all(t.startswith(rule) for t in tags)


def test_explain_binary_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x.png").write_bytes(PNG)
    assert cli.main(["explain", str(tmp_path / "x.png")]) == 1
    assert "BinaryInputError" in capsys.readouterr().err


def test_explain_shows_invisible_characters() -> None:
    text = render_explain("正文\u200b。\n", [cleantext.Removal(2, 3, "\u200b", "invisible.zero-width",
                                                                   "invisible", "body", 1, "span")], color=False)
    assert text == "正文[-⟨U+200B⟩-]{invisible.zero-width invisible body}。\n"


# --------------------------------------------------------------------------------------------
# check-pack


def test_check_pack_good(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    p = tmp_path / "good.toml"
    p.write_text(GOOD_PACK, encoding="utf-8")
    assert cli.main(["check-pack", str(p)]) == 0
    assert "ok (1 rules, 2 examples)" in capsys.readouterr().out


def test_check_pack_bad_names_file_and_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad, good = tmp_path / "bad.toml", tmp_path / "good.toml"
    bad.write_text(BAD_PACK, encoding="utf-8")
    good.write_text(GOOD_PACK, encoding="utf-8")
    assert cli.main(["check-pack", str(bad), str(good)]) == 1
    out = capsys.readouterr().out
    problems = [ln for ln in out.splitlines() if ln.startswith(f"{bad}: promo")]
    assert len([ln for ln in problems if "promo.too-strict" in ln]) == 3
    assert any("promo.broken" in ln and "compile" in ln for ln in out.splitlines())
    assert "⟨U+200B⟩" in out  # the invisible character in an example is spelled out
    assert f"{good}: ok" in out


def test_check_pack_unreadable_and_invalid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["check-pack", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    broken.write_text("[[rules]\n", encoding="utf-8")
    assert cli.main(["check-pack", str(broken)]) == 1
    assert "broken.toml" in capsys.readouterr().out
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(GOOD_PACK.replace('category = "promo"', 'category = "promo"\ncolour = "red"'),
                       encoding="utf-8")
    assert cli.main(["check-pack", str(unknown)]) == 1
    assert "colour" in capsys.readouterr().out


def test_check_pack_builtins(capsys: pytest.CaptureFixture[str]) -> None:
    """Every built-in pack is ok but for the examples known to be dead in real use (conftest)."""
    status = cli.main(["check-pack", "--builtins"])
    out = capsys.readouterr().out
    problems = {line.split(": ", 2)[1] for line in out.splitlines() if "::" in line}
    assert problems == set(DEAD_BUILTIN_EXAMPLES)
    assert status == (1 if DEAD_BUILTIN_EXAMPLES else 0)
    dead_packs = {r.split(".", 1)[0] for r in DEAD_BUILTIN_EXAMPLES}
    for name, _ in cleantext.rules.builtin_sources():
        if name.removeprefix("builtin:").removesuffix(".toml") not in dead_packs:
            assert f"{name}: ok" in out
    assert cli.main(["check-pack"]) == 2


def test_clean_with_a_failing_pack_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD_PACK, encoding="utf-8")
    assert cli.main(["clean", str(FIXTURES / "seed_utf8.txt"), "--pack", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err
    assert "promo." in err
    assert "check-pack" in err


def test_check_pack_subprocess_exit_codes(tmp_path: Path) -> None:
    good = tmp_path / "good.toml"
    good.write_text(GOOD_PACK, encoding="utf-8")
    assert run_module("check-pack", str(good)).returncode == 0
    assert run_module("check-pack", str(tmp_path / "nope.toml")).returncode == 2


def test_user_pack_is_applied(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    pack = tmp_path / "shop.toml"
    pack.write_text(GOOD_PACK, encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("欢迎光临小店，全场包邮\n第一条 为了规范管理，制定本办法。\n", encoding="utf-8")
    assert cli.main(["clean", str(doc), "--pack", str(pack), "-q"]) == 0
    assert capsysbinary.readouterr().out.decode() == cleantext.clean_bytes(doc.read_bytes(), pack=pack).text
    assert "欢迎" not in cleantext.clean_bytes(doc.read_bytes(), pack=pack).text


def test_console_script_declared() -> None:
    [ep] = [e for e in entry_points(group="console_scripts") if e.name == "cleantext"]
    assert ep.value == "cleantext.cli:main"


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_first_ctrl_c_finishes_files_in_progress_and_keeps_report(
    jobs: str, tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real = cli_clean.clean_files

    def interrupted_after_three(*args: Any, **kwargs: Any) -> Any:
        for n, res in enumerate(real(*args, **kwargs), 1):
            yield res
            if n == 3:
                signal.raise_signal(signal.SIGINT)  # what the terminal sends on Ctrl-C

    monkeypatch.setattr(cli_clean, "clean_files", interrupted_after_three)
    rep = tmp_path / "r.jsonl"
    originals = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    rc = cli.main(["clean", str(tree), "--in-place", "--report", str(rep), "-j", jobs])
    assert rc == 130
    assert "interrupted" in capsys.readouterr().err
    lines = {d["source"]: d for d in read_lines(rep)}
    assert 3 <= len(lines) <= len(originals)
    if jobs == "1":
        assert len(lines) == 3  # serial: stops right after the file in progress
    for p, b in originals.items():  # every file that changed has its report line
        if p.read_bytes() != b:
            assert lines[str(p)]["ok"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not [p for p in tmp_path.rglob(".*") if p.is_file() and p.name != STATE_FILE]


def test_progress_bar_only_on_a_tty(tree: Path, tmp_path: Path) -> None:
    import fcntl  # noqa: PLC0415 - POSIX only, like the pty this test needs
    import pty  # noqa: PLC0415
    import struct  # noqa: PLC0415
    import termios  # noqa: PLC0415

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    cmd = [sys.executable, "-m", "cleantext", "clean", str(tree), "-o", str(tmp_path / "o")]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=300)
    os.close(master)
    on_tty = b"".join(chunks).decode("utf-8", errors="replace")
    assert "file/s" in on_tty or "?file" in on_tty
    assert "files" in on_tty.splitlines()[-1]
    piped = run_module("clean", str(tree), "-o", str(tmp_path / "p")).stderr.decode()
    assert "\r" not in piped
    assert "file/s" not in piped
    quiet = run_module("clean", str(tree), "-o", str(tmp_path / "q"), "-q").stderr.decode()
    assert "files," not in quiet
    assert "BinaryInputError" in quiet  # -q silences progress and summary, never failures
