"""Expected bodies: fixtures/inputs/* against fixtures/expected/*, and the per-pack cases under
fixtures/packs/<category>/ (``X.txt`` against ``X.expected.txt``), compared as the corpus scorer
compares (trailing spaces and blank-line runs do not count)."""

from __future__ import annotations

from pathlib import Path

import pytest

import cleantext

from .conftest import FIXTURES
from .test_pipeline import normalize

INPUTS = sorted(p for p in (FIXTURES / "expected").iterdir() if p.is_file())
PACK_CASES = sorted(
    p for p in (FIXTURES / "packs").glob("*/*.txt") if not p.name.endswith(".expected.txt")
)


def _name(p: Path) -> str:
    return f"{p.parent.name}/{p.name}"


@pytest.mark.parametrize("expected", INPUTS, ids=lambda p: p.name)
def test_fixture_input_gives_expected_body(expected: Path) -> None:
    res = cleantext.clean_file(FIXTURES / "inputs" / expected.name)
    assert normalize(res.text) == normalize(expected.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", PACK_CASES, ids=_name)
def test_pack_fixture_gives_expected_body(case: Path) -> None:
    expected = case.with_name(case.name.removesuffix(".txt") + ".expected.txt")
    res = cleantext.clean_file(case)
    assert normalize(res.text) == normalize(expected.read_text(encoding="utf-8")), [
        (r.line, r.rule, r.text) for r in res.report.removals
    ]
    assert cleantext.restore_bytes(res.text, res.report) == case.read_bytes()


def test_every_pack_fixture_has_its_expected_body() -> None:
    assert len(PACK_CASES) >= 8
    for case in PACK_CASES:
        assert case.with_name(case.name.removesuffix(".txt") + ".expected.txt").is_file(), case
