"""Golden regression tests over every raw input in fixtures/inputs/, through the project's own plugin.

The golden files live in fixtures/golden/<input stem>.txt|.json. After a change to the built-in packs,
the decoder or the resolver, regenerate and review them:

    .venv/bin/python -m pytest tests/test_fixtures.py --cleantext-regen   # fails on purpose
    git diff fixtures/golden/                                             # review every change
    .venv/bin/python -m pytest tests/test_fixtures.py                     # green again
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cleantext
from cleantext.testing import GoldenChecker
from cleantext.testing.golden_files import report_from_golden

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
INPUTS = sorted(p for p in (FIXTURES / "inputs").iterdir() if p.is_file())
GOLDEN = FIXTURES / "golden"


def test_inputs_exist() -> None:
    assert len(INPUTS) >= 9, INPUTS


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden(cleantext_golden: GoldenChecker, path: Path) -> None:
    cleantext_golden.check(path, path.stem, golden_dir=GOLDEN)


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_restore_bytes_exact(path: Path) -> None:
    data = path.read_bytes()
    res = cleantext.clean_bytes(data)
    assert cleantext.restore_bytes(res.text, res.report) == data
    # ... and the same from the report as it travels: JSON and back.
    report = cleantext.Report.from_json(res.report.to_json())
    assert cleantext.restore_bytes(res.text, report) == data


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden_files_restore_the_input(path: Path) -> None:
    """The committed golden pair alone gives back the input bytes: the .txt is the clean text
    (UTF-8, newlines kept, no BOM) and the .json keeps everything ``restore_bytes`` needs."""
    text_bytes = (GOLDEN / f"{path.stem}.txt").read_bytes()
    report = report_from_golden(json.loads((GOLDEN / f"{path.stem}.json").read_bytes()))
    assert not text_bytes.startswith(b"\xef\xbb\xbf"), "a source BOM is recorded in the .json, not the .txt"
    assert cleantext.restore_bytes(text_bytes.decode("utf-8"), report) == path.read_bytes()
