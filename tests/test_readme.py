"""README.md is checked, not trusted (issue 15): its facts and every command it shows.

Each ``$`` line of a fenced ``console`` block is one test, run with bash in a scratch folder that
all commands share, in README order (a restore uses what a clean above it wrote): the folder holds
``讲话稿.txt``, ``raw/`` (the fixture inputs and a PNG), ``corpus.jsonl``, ``shards/``,
``my.toml`` (a pack with one failing example), ``my_site.toml`` (the README's example pack) and
``planted/`` (the mining corpus of ``tests/test_mine.py``).
A command must exit 0, or the status that an ``echo $?`` right after it shows, print no
traceback, and print every output line the README shows under it (white space collapsed; numbers
and ``...`` match anything). ``<!-- readme-test: skip PREFIX: reason -->`` right before a block
skips its commands that start with PREFIX (the network, a cluster); keep those few. New console
blocks are picked up without touching this file; one that needs another input file needs it here.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import cleantext
from cleantext.rules import builtin_sources
from cleantext.rules.schema import parse_pack

from .test_mine import planted_corpus

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
TEXT = README.read_text(encoding="utf-8")
INPUTS = REPO / "fixtures" / "inputs"

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[^\S\n]*$", re.MULTILINE | re.DOTALL)
_SKIP = re.compile(r"<!--\s*readme-test:\s*skip\s+(.+?):\s*(.+?)\s*-->")
_TOOLS = ("jq", "less", "curl")
"""Programs besides cleantext that README commands pipe through; absent ones skip the command."""


@dataclass
class Command:
    line: int
    """Line of README.md the command is on."""
    cmd: str
    expected: list[str]
    status: int = 0
    skip: str | None = None

    @property
    def id(self) -> str:
        return f"README.md:{self.line}"


def console_commands(text: str) -> list[Command]:
    """The ``$`` commands of every ``console`` block, with the output lines shown under them."""
    commands: list[Command] = []
    for m in _FENCE.finditer(text):
        if m.group(1) != "console":
            continue
        skips: dict[str, str] = {}
        for above in reversed(text[: m.start()].rstrip("\n").split("\n")):
            hit = _SKIP.search(above)
            if hit is None:
                break
            skips[hit.group(1)] = hit.group(2)
        first = text.count("\n", 0, m.start(2)) + 1
        status_next = False
        current: Command | None = None
        for n, raw in enumerate(m.group(2).splitlines()):
            if raw.startswith("$ "):
                cmd = raw[2:].strip()
                if cmd == "echo $?":
                    status_next = current is not None
                    continue
                skip = next((f"{reason} ({prefix})" for prefix, reason in skips.items() if cmd.startswith(prefix)), None)
                current = Command(first + n, cmd, [], skip=skip)
                commands.append(current)
            elif not raw.strip() or raw.startswith("#"):
                current = None if not status_next else current
            elif status_next and current is not None:
                current.status = int(raw.strip())
                status_next = False
                current = None
            elif current is not None:
                current.expected.append(raw)
    return commands


COMMANDS = console_commands(TEXT)

MY_PACK = """\
[pack]
name = "my-shop"

[[rules]]
id = "promo.my-shop"
category = "promo"
keywords = ["小店"]
pattern = '''小店'''
[rules.examples]
match = ["欢迎光临小店"]
no_match = ["他的小店开在街角。"]
"""


def _example_pack() -> str:
    """The README's example user pack (the first ``toml`` block with ``[pack]``)."""
    return next(m.group(2) for m in _FENCE.finditer(TEXT) if m.group(1) == "toml" and "[pack]" in m.group(2))


def _make_workspace(root: Path) -> None:
    seed = (INPUTS / "seed_utf8.txt").read_text(encoding="utf-8")
    (root / "讲话稿.txt").write_bytes(seed.replace("\n", "\r\n").encode("gb18030"))
    raw = root / "raw"
    shutil.copytree(INPUTS, raw)
    (raw / "img").mkdir()
    (raw / "img" / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(16))
    docs = [seed, (INPUTS / "trap_gbk.txt").read_bytes().decode("gb18030"), "仅供学习 禁止外传\n正文第一段。\n"]
    lines = [json.dumps({"id": i, "text": d}, ensure_ascii=False) for i, d in enumerate(docs)]
    (root / "corpus.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "shards").mkdir()
    (root / "shards" / "a.jsonl").write_text(lines[0] + "\n", encoding="utf-8")
    (root / "shards" / "b.jsonl").write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    planted_corpus(root / "planted")
    (root / "my.toml").write_text(MY_PACK, encoding="utf-8")
    (root / "my_site.toml").write_text(_example_pack(), encoding="utf-8")
    bin_dir = root / ".bin"
    bin_dir.mkdir()
    shim = bin_dir / "cleantext"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cleantext "$@"\n', encoding="utf-8")
    shim.chmod(0o755)


@dataclass
class _Session:
    root: Path
    env: dict[str, str]
    ran: int = -1


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> _Session:
    root = tmp_path_factory.mktemp("readme")
    _make_workspace(root)
    env = dict(os.environ)
    env["PATH"] = f"{root / '.bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("NO_COLOR", None)
    return _Session(root, env)


def _run(s: _Session, c: Command) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", f"set -o pipefail\n{c.cmd}"], cwd=s.root, env=s.env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=300, check=False,
    )


def _missing_tool(cmd: str) -> str | None:
    for tool in _TOOLS:
        if re.search(rf"(?:^|\|)\s*{tool}\b", cmd) and shutil.which(tool) is None:
            return tool
    return None


def _line_pattern(expected: str) -> re.Pattern[str]:
    parts = re.split(r"(\.\.\.|…|\d+(?:\.\d+)?)", " ".join(expected.split()))
    return re.compile("".join(
        ".*" if p in ("...", "…") else r"\d+(?:\.\d+)?" if p[:1].isdigit() else re.escape(p) for p in parts
    ))


def test_the_readme_has_console_commands() -> None:
    assert len(COMMANDS) >= 10
    assert any(c.status == 1 for c in COMMANDS)  # the `echo $?` convention is read


@pytest.mark.parametrize("index", range(len(COMMANDS)), ids=[c.id for c in COMMANDS])
def test_readme_command(session: _Session, index: int) -> None:
    # Commands before this one prepare what it uses (run once per session, in order).
    for earlier in COMMANDS[session.ran + 1 : index]:
        if earlier.skip is None and _missing_tool(earlier.cmd) is None:
            _run(session, earlier)
    session.ran = max(session.ran, index)
    c = COMMANDS[index]
    if c.skip is not None:
        pytest.skip(f"{c.id}: {c.skip}")
    tool = _missing_tool(c.cmd)
    if tool is not None:
        pytest.skip(f"{c.id}: {tool} is not installed")
    res = _run(session, c)
    where = f"{c.id}: $ {c.cmd}\n--- stdout\n{res.stdout[-3000:]}\n--- stderr\n{res.stderr[-3000:]}"
    assert "Traceback" not in res.stderr, where
    assert res.returncode == c.status, where
    actual = [" ".join(line.split()) for line in (res.stdout + "\n" + res.stderr).splitlines()]
    for shown in c.expected:
        pat = _line_pattern(shown)
        assert any(pat.fullmatch(a) for a in actual), f"README line not printed: {shown!r}\n{where}"


# --------------------------------------------------------------------------------------------
# README facts


def test_rules_per_builtin_pack_table() -> None:
    table = dict(re.findall(r"^\| `(\w+)` \| (\d+) \|", TEXT, re.MULTILINE))
    actual = {name.removeprefix("builtin:").removesuffix(".toml"): len(parse_pack(text, name).rules)
              for name, text in builtin_sources()}
    # packs without rules (signals.toml: scoring vocabulary) are not rule packs of the table
    assert {k: int(v) for k, v in table.items()} == {k: n for k, n in actual.items() if n}


def test_pickled_cleaner_size_claim() -> None:
    assert "pickles small for worker processes (under 1 KB with the built-ins\nalone" in TEXT
    assert len(pickle.dumps(cleantext.Cleaner())) < 1024


def test_absorption_anchor_claim() -> None:
    """The README names the built-in anchors; the packs must say the same."""
    assert "reseller-header rules except `licence-stamp`, `copyright-keep`, `member-group`, `group-word-number`, " \
           "`group-via-admin` and\n`doubled-brand`, plus the three\n" \
           "`page_furniture.upload-card-*` rules" in TEXT
    rules = [r for name, text in builtin_sources() for r in parse_pack(text, name).rules if r.scope != "span"]
    anchors = {r.id for r in rules if r.anchor}
    expected = {r.id for r in rules if r.category == "reseller_header"} - {
        "reseller_header.licence-stamp", "reseller_header.copyright-keep", "reseller_header.member-group",
        "reseller_header.group-word-number", "reseller_header.group-via-admin", "reseller_header.doubled-brand"}
    expected |= {r.id for r in rules if r.id.startswith("page_furniture.upload-card-")}
    assert anchors == expected
    assert len([r for r in expected if r.startswith("page_furniture.upload-card-")]) == 3


def test_the_readme_example_pack_loads() -> None:
    pack = cleantext.pack_from_text(_example_pack(), name="my_site.toml", builtins=True)
    assert "promo.my-brand" in {r.id for r in pack.rules}
    assert "page_furniture.page-counter" not in {r.id for r in pack.rules}
