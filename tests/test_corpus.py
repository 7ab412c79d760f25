"""The shared development corpus: every case decodes to the right family, restores exactly, and
the trap documents (legitimate text that looks like adverts) come out unchanged."""

from __future__ import annotations

import codecs
import json

import pytest

import cleantext

from .conftest import DEV, needs_shared
from .test_pipeline import normalize

needs_shared()

CASES = [json.loads(line) for line in (DEV / "manifest.jsonl").read_text(encoding="utf-8").splitlines() if line]
FAMILY = {"gbk": "gb18030", "gb18030": "gb18030", "big5": "big5", "utf-8": "utf-8", "utf-8-sig": "utf-8",
          "utf-16": "utf-16"}


def _family(name: str) -> str:
    n = codecs.lookup(name).name
    if n.startswith("utf-16"):
        return "utf-16"
    if n in ("utf-8", "utf-8-sig"):
        return "utf-8"
    if n in ("big5", "cp950", "big5hkscs"):
        return "big5"
    return n


def _raw(case: dict[str, str]) -> bytes:
    return (DEV / "cases" / f"{case['id']}.in").read_bytes()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case_decodes_and_restores_exactly(case: dict[str, str]) -> None:
    raw = _raw(case)
    res = cleantext.clean_bytes(raw)
    assert _family(res.report.encoding.name) == FAMILY[case["encoding"]]
    truth = raw.decode(case["encoding"]).removeprefix("\ufeff")
    assert cleantext.restore(res.text, res.report) == truth
    assert cleantext.restore_bytes(res.text, res.report) == raw


TRAPS = [c for c in CASES if c["kind"] in ("trap", "clean")]


@pytest.mark.parametrize("case", TRAPS, ids=[c["id"] for c in TRAPS])
def test_legitimate_documents_come_out_unchanged(case: dict[str, str]) -> None:
    res = cleantext.clean_bytes(_raw(case))
    expected = (DEV / "cases" / f"{case['id']}.expected.txt").read_text(encoding="utf-8")
    assert normalize(res.text) == normalize(expected), [(r.rule, r.text) for r in res.report.removals]
