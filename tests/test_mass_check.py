"""benchmarks/mass_check.py: hits per rule on advert, body and mixed lines of a labelled corpus."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

import cleantext
from cleantext.check import pack_from_text

from .conftest import REPO

PACK = """
[[rules]]
id = "promo.shop"
description = "our shop's banner"
keywords = ["小店"]
pattern = '^小店开张$'
zone = ["any"]
[rules.examples]
match = ["小店开张"]
no_match = ["小店开张了吗"]

[[rules]]
id = "promo.never"
description = "a wording no case has"
keywords = ["从未出现"]
pattern = '^从未出现$'
zone = ["head"]
[rules.examples]
match = ["从未出现"]
no_match = ["出现"]

[[rules]]
id = "inline.zwsp"
description = "zero-width space"
category = "invisible"
keywords = ["\\u200b"]
pattern = '\\u200b'
scope = "span"
zone = ["any"]
[rules.examples]
match = ["甲\\u200b乙"]
no_match = ["甲乙"]
"""


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mass_check", REPO / "benchmarks" / "mass_check.py")
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["mass_check"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def _corpus(root: Path) -> Path:
    (root / "cases").mkdir(parents=True)
    body = "第一条 为了规范管理，制定本办法。\n第二条 本办法自公布之日起施行。\n"
    docs = {
        "a": ("小店开张\n" + body, body),
        "b": (body.replace("规范", "规\u200b范") + "小店开张\n", body),
    }
    for name, (text, expected) in docs.items():
        (root / "cases" / f"{name}.in").write_bytes(text.encode("utf-8"))
        (root / "cases" / f"{name}.expected.txt").write_text(expected, encoding="utf-8")
    rows = [json.dumps({"id": n, "encoding": "utf-8"}) for n in docs]
    (root / "manifest.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def test_hits_are_counted_by_line_label_and_silent_rules_flagged(tmp_path: Path) -> None:
    mc = _module()
    cleaner = cleantext.Cleaner(pack_from_text(PACK))
    table = mc.mass_check(cleaner, [_corpus(tmp_path / "tiny")])
    shop, never, zwsp = (table["tiny"][i] for i in ("promo.shop", "promo.never", "inline.zwsp"))
    assert (shop.fires, shop.removes) == ({"advert": 2, "body": 0, "mixed": 0}, 2)
    assert zwsp.fires == {"advert": 0, "body": 0, "mixed": 1}  # a body line with a mark inside it
    assert never.fired == 0
    assert mc.silent(table) == ["promo.never"]
    out = mc.render(table, ["promo.never"], {"promo.never"})
    assert "| `promo.never` | 0 | 0 | 0 | 0 | 0 |" in out


def test_main_without_a_corpus_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _module().main([str(tmp_path / "missing")]) == 2
    assert "no corpus at" in capsys.readouterr().err
