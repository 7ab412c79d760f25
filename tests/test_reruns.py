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
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


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
