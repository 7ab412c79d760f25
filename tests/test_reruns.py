"""Reruns and restore from the command line (issue 15, "Reruns and restore"): several input
folders, symbolic links, reruns after a change of settings, and every restore route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleantext
from cleantext import cli

DOC = "仅供学习 禁止外传\n第一条 为了规范管理，制定本办法。\n".encode("gbk")
CLEAN = cleantext.clean_bytes(DOC).text.encode("utf-8")


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


# --------------------------------------------------------------------------------------------
# several input folders


def test_two_input_folders_are_mirrored_under_their_own_names(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / "coll" / name / "sub").mkdir(parents=True)
        (tmp_path / "coll" / name / "sub" / "x.txt").write_bytes(DOC + name.encode())
    (tmp_path / "one.txt").write_bytes(DOC)
    out, rep = tmp_path / "out", tmp_path / "r.jsonl"
    argv = ["clean", str(tmp_path / "coll" / "a"), str(tmp_path / "coll" / "b"), str(tmp_path / "one.txt")]
    assert cli.main([*argv, "-o", str(out), "--report", str(rep), "-q"]) == 0
    assert sorted(files(out)) == ["a/sub/x.txt", "b/sub/x.txt", "one.txt"]
    assert cli.main(["restore", str(out), "--report", str(rep), "-o", str(tmp_path / "back"), "-q"]) == 0
    assert files(tmp_path / "back")["b/sub/x.txt"] == DOC + b"b"


def test_two_input_folders_with_one_name_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for parent in ("x", "y"):
        (tmp_path / parent / "data").mkdir(parents=True)
        (tmp_path / parent / "data" / "a.txt").write_bytes(DOC)
    rc = cli.main(["clean", str(tmp_path / "x" / "data"), str(tmp_path / "y" / "data"), "-o", str(tmp_path / "o")])
    assert rc == 2
    assert "several input folders are named 'data'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


# --------------------------------------------------------------------------------------------
# symbolic links


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """A tree with a link to a file outside it, a link to a folder outside it, a dangling link and
    a link back to its own root (a loop)."""
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "dir").mkdir(parents=True)
    (elsewhere / "file.txt").write_bytes(DOC)
    (elsewhere / "dir" / "inner.txt").write_bytes(DOC)
    src = tmp_path / "in"
    src.mkdir()
    (src / "real.txt").write_bytes(DOC)
    (src / "file-link.txt").symlink_to(elsewhere / "file.txt")
    (src / "dir-link").symlink_to(elsewhere / "dir")
    (src / "dangling.txt").symlink_to(tmp_path / "nowhere")
    (src / "loop").symlink_to(src)
    return src


def test_links_are_skipped_by_default_and_said(linked: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                               ) -> None:
    out = tmp_path / "out"
    assert cli.main(["clean", str(linked), "-o", str(out)]) == 0
    assert sorted(files(out)) == ["real.txt"]
    assert "skipped 4 symbolic link(s)" in capsys.readouterr().err


def test_follow_symlinks_follows_files_and_folders_once(linked: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert cli.main(["clean", str(linked), "-o", str(out), "--follow-symlinks"]) == 1  # the dangling link fails
    assert sorted(files(out)) == ["dir-link/inner.txt", "file-link.txt", "real.txt"]
    assert "dangling.txt" in capsys.readouterr().err


def test_in_place_through_a_link_cleans_the_file_and_keeps_the_link(linked: Path, tmp_path: Path) -> None:
    rep = tmp_path / "r.jsonl"
    link = linked / "file-link.txt"
    assert cli.main(["clean", str(link), "--in-place", "--report", str(rep), "-q"]) == 0
    assert link.is_symlink()
    assert (tmp_path / "elsewhere" / "file.txt").read_bytes() == CLEAN
    assert cli.main(["restore", str(linked), "--report", str(rep), "-o", str(tmp_path / "back"), "-q"]) == 0
    assert (tmp_path / "back" / "file-link.txt").read_bytes() == DOC
    assert [json.loads(x)["path"] for x in rep.read_text(encoding="utf-8").splitlines()] == ["file-link.txt"]


# --------------------------------------------------------------------------------------------
# restore routes


def jsonl(tmp_path: Path, name: str, n: int = 3) -> Path:
    p = tmp_path / name
    p.parent.mkdir(parents=True, exist_ok=True)
    text = DOC.decode("gbk")
    p.write_bytes(b"".join(json.dumps({"id": i, "text": text}).encode() + b"\n" for i in range(n)))
    return p


def test_restore_one_jsonl_file_to_a_file_name(tmp_path: Path) -> None:
    src = jsonl(tmp_path, "x.jsonl")
    assert cli.main(["clean", str(src), "--jsonl", "-o", str(tmp_path / "c"), "-q"]) == 0
    assert cli.main(["restore", str(tmp_path / "c" / "x.jsonl"), "--jsonl", "-o", str(tmp_path / "rs.jsonl"),
                     "-q"]) == 0
    assert (tmp_path / "rs.jsonl").is_file()
    assert (tmp_path / "rs.jsonl").read_bytes() == src.read_bytes()
    (tmp_path / "into").mkdir()  # an existing folder receives the file under its own name
    assert cli.main(["restore", str(tmp_path / "c" / "x.jsonl"), "--jsonl", "-o", str(tmp_path / "into"),
                     "-q"]) == 0
    assert (tmp_path / "into" / "x.jsonl").read_bytes() == src.read_bytes()


def test_restore_a_folder_of_jsonl_shards_in_one_command(tmp_path: Path) -> None:
    shards = [jsonl(tmp_path, f"shards/{n}", i + 1) for i, n in enumerate(["a.jsonl", "b.jsonl", "deep/c.jsonl"])]
    assert cli.main(["clean", str(tmp_path / "shards"), "--jsonl", "-o", str(tmp_path / "clean"), "-q"]) == 0
    assert cli.main(["restore", str(tmp_path / "clean"), "--jsonl", "-o", str(tmp_path / "back"), "-q"]) == 0
    for p in shards:
        assert (tmp_path / "back" / p.relative_to(tmp_path / "shards")).read_bytes() == p.read_bytes()


def test_restore_a_file_cleaned_to_stdout_with_a_report(tmp_path: Path,
                                                        capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    src, rep = tmp_path / "讲话稿.txt", tmp_path / "r.jsonl"
    src.write_bytes(DOC)
    capsysbinary.readouterr()
    assert cli.main(["clean", str(src), "--report", str(rep), "--encoding", "keep"]) == 0
    clean = tmp_path / "clean.txt"
    clean.write_bytes(capsysbinary.readouterr().out)
    assert cli.main(["restore", str(clean), "--report", str(rep), "-o", str(tmp_path / "original.txt"), "-q"]) == 0
    assert (tmp_path / "original.txt").read_bytes() == DOC
    (tmp_path / "back").mkdir()
    assert cli.main(["restore", str(clean), "--report", str(rep), "-o", str(tmp_path / "back"), "-q"]) == 0
    assert (tmp_path / "back" / "讲话稿.txt").read_bytes() == DOC  # its original name, from the report
    clean.write_bytes(clean.read_bytes() + b"x")
    assert cli.main(["restore", str(clean), "--report", str(rep), "-o", str(tmp_path / "o2.txt"), "-q"]) == 1
    assert not (tmp_path / "o2.txt").exists()


# --------------------------------------------------------------------------------------------
# reruns without a report


@pytest.mark.parametrize(
    ("change", "why"),
    [(["--mode", "annotate"], "another mode"), (["--encoding", "keep"], "another encoding"),
     (["--pack", "{pack}"], "another pack")],
)
def test_rerun_without_report_skips_only_what_the_same_settings_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: list[str], why: str
) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    (src / "a.txt").write_bytes(DOC)
    pack = tmp_path / "p.toml"
    pack.write_text('[pack]\nname = "p"\nversion = "1"\ndisabled = ["page_furniture.page-counter"]\n',
                    encoding="utf-8")
    assert cli.main(["clean", str(src), "-o", str(out)]) == 0
    assert (out / "a.txt").read_bytes() == CLEAN
    capsys.readouterr()
    assert cli.main(["clean", str(src), "-o", str(out)]) == 0
    assert "(1 up to date, skipped)" in capsys.readouterr().err
    assert cli.main(["clean", str(src), "-o", str(out), *(x.format(pack=pack) for x in change)]) == 0
    err = capsys.readouterr().err
    assert why in err
    assert "skipped" not in err
    want = {"annotate": DOC.decode("gbk").encode(), "keep": cleantext.clean_bytes(DOC).to_bytes()}
    assert (out / "a.txt").read_bytes() == want.get(change[1], CLEAN)
    assert cli.main(["clean", str(src), "-o", str(out), *(x.format(pack=pack) for x in change)]) == 0
    assert "(1 up to date, skipped)" in capsys.readouterr().err


def test_outputs_of_unknown_origin_are_cleaned_again(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    (src / "a.txt").write_bytes(DOC)
    (out / "a.txt").write_bytes(b"stale output from an older version")
    assert cli.main(["clean", str(src), "-o", str(out)]) == 0
    assert "no record of what wrote the files" in capsys.readouterr().err
    assert (out / "a.txt").read_bytes() == CLEAN


def test_jsonl_rerun_with_another_field_is_not_skipped(tmp_path: Path) -> None:
    src = tmp_path / "in" / "d.jsonl"
    src.parent.mkdir()
    src.write_text(json.dumps({"a": "仅供学习 禁止外传\n正文。", "b": "仅供学习 禁止外传\n正文。"}, ensure_ascii=False) + "\n",
                   encoding="utf-8")
    out = tmp_path / "out"
    assert cli.main(["clean", str(src.parent), "--jsonl", "--field", "a", "-o", str(out), "-q"]) == 0
    assert cli.main(["clean", str(src.parent), "--jsonl", "--field", "b", "-o", str(out), "-q"]) == 0
    rec = json.loads((out / "d.jsonl").read_text(encoding="utf-8"))
    assert rec["b"] == "正文。"


def test_two_files_cleaned_to_stdout_with_one_report_both_restore(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    rep = tmp_path / "r.jsonl"
    for name, extra in (("a.txt", b"a"), ("b.txt", b"b")):
        (tmp_path / name).write_bytes(DOC + extra)
        capsysbinary.readouterr()
        assert cli.main(["clean", str(tmp_path / name), "--report", str(rep)]) == 0
        (tmp_path / f"clean-{name}").write_bytes(capsysbinary.readouterr().out)
    for name, extra in (("a.txt", b"a"), ("b.txt", b"b")):
        assert cli.main(["restore", str(tmp_path / f"clean-{name}"), "--report", str(rep),
                         "-o", str(tmp_path / f"back-{name}"), "-q"]) == 0
        assert (tmp_path / f"back-{name}").read_bytes() == DOC + extra
