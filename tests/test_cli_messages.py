"""What the command line says (issue 15): usage and help, annotate wording, the rule listing."""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import pytest

from cleantext import cli
from cleantext.model import POLICIES
from cleantext.rules import default_pack

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


# --------------------------------------------------------------------------------------------
# `cleantext rules` and `explain --rule` suggestions


def test_rules_lists_every_rule_with_category_scope_zones_and_description(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["rules"]) == cli.EXIT_OK
    out = capsys.readouterr().out
    for r in default_pack().rules:
        line = next(x for x in out.splitlines() if x.split()[:1] == [r.id])
        assert r.scope in line.split()
        assert ",".join(r.zone) in line.split()
        assert r.description[:20] in line
    n = sum(r.category == "contact" for r in default_pack().rules)
    assert f"contact ({n} rules)" in out.splitlines()


def test_rules_selects_by_category_prefix_and_anchor(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["rules", "reseller_header.member-group", "contact.im"]) == cli.EXIT_OK
    ids = [x.split()[0] for x in capsys.readouterr().out.splitlines() if x.startswith("  ")]
    rules = sorted(r.id for r in default_pack().rules)
    assert ids == [i for i in rules if i.startswith("contact.im")] + ["reseller_header.member-group"]
    assert {"contact.im-blank", "contact.im-handle"} <= set(ids)
    assert cli.main(["rules", "--anchors"]) == cli.EXIT_OK
    lines = [x for x in capsys.readouterr().out.splitlines() if x.startswith("  ")]
    assert lines
    assert all(x.split()[3] == "anchor" for x in lines)
    assert cli.main(["rules", "nosuch"]) == cli.EXIT_USAGE
    assert "no rule matches nosuch" in capsys.readouterr().err


def test_rules_lists_the_resolve_policies_and_whether_they_are_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["rules"]) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    for pid, action in POLICIES.items():
        assert any(x.split() == [pid, "on", f"action={action}"] for x in out), pid
    pack = tmp_path / "off.toml"
    pack.write_text('[pack]\ndisabled = ["resolve.duplicate-title"]\n', encoding="utf-8")
    assert cli.main(["rules", "--pack", str(pack), "resolve."]) == cli.EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert [x.split()[:2] for x in out if x.startswith("  ")] == [
        ["resolve.absorb", "on"], ["resolve.blank-lines", "on"], ["resolve.duplicate-title", "off"]]


def test_rules_includes_a_user_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "my.toml"
    pack.write_text(
        '[[rules]]\nid = "promo.my-shop"\ndescription = "our shop line"\npattern = "^欢迎光临小店$"\n'
        '[rules.examples]\nmatch = ["欢迎光临小店"]\n',
        encoding="utf-8",
    )
    assert cli.main(["rules", "--pack", str(pack), "promo.my"]) == cli.EXIT_OK
    assert "promo.my-shop" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("wanted", "suggested"),
    [
        ("contact.qq-group", "did you mean reseller_header.member-group?"),
        ("member-grup", "did you mean reseller_header.member-group?"),
        ("contcat.qr-scan", "did you mean contact.qr-scan"),
        ("contact.zzz", "rules of contact: contact.author-card, "),
        ("zzz", "no rule is close; categories: contact ("),
    ],
)
def test_explain_unknown_rule_suggests_near_ids_by_category(
    wanted: str, suggested: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["explain", str(SEED), "--rule", wanted]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"unknown rule id {wanted!r}; " in err
    assert suggested in err
