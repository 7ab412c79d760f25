"""What the command line says (issue 15): usage and help, annotate wording, the rule listing."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from cleantext import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"
SEED = FIXTURES / "seed_utf8.txt"


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


@pytest.mark.parametrize("command", ["clean", "restore", "explain", "check-pack"])
def test_an_unknown_option_prints_the_subcommands_usage(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main([command, "x", "--bogus"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"usage: cleantext {command} " in err
    assert f"cleantext {command}: error: unrecognized arguments: --bogus" in err


def test_an_unknown_option_without_a_command_is_the_top_level_usage(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--bogus"]) == cli.EXIT_USAGE
    assert "cleantext: error: unrecognized arguments: --bogus" in capsys.readouterr().err


def test_every_option_of_every_subcommand_has_help() -> None:
    for name, sub in _subparsers(cli.build_parser()).items():
        undocumented = [a.option_strings or a.dest for a in sub._actions if not a.help]
        assert not undocumented, f"cleantext {name}: options without help: {undocumented}"


@pytest.mark.parametrize("argv", [["--help"], ["clean", "--help"], ["restore", "--help"]])
def test_help_lists_every_exit_status(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == cli.EXIT_OK
    out = " ".join(capsys.readouterr().out.split())
    for code in ("0 ", "1 ", "2 usage error", "130 interrupted"):
        assert code in out, (code, out)


def test_annotate_says_found_not_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["clean", "--mode", "annotate", str(SEED)]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "found 8 (+7 blank line(s)): reseller_header 8" in err
    assert "removed" not in err
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    assert cli.main(["clean", "--mode", "annotate", str(src), "-o", str(tmp_path / "out")]) == cli.EXIT_OK
    err = capsys.readouterr().err
    assert "1 file, " in err
    assert ", found 8 (reseller_header 8)" in err
    assert "removed" not in err


def test_remove_mode_still_says_removed(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["clean", str(SEED)]) == cli.EXIT_OK
    assert "removed 8 (+7 blank line(s)): reseller_header 8" in capsys.readouterr().err
