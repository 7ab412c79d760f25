"""Invisible fingerprints are decoded into notices when they carry a known encoding."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleantext.model import Removal
from cleantext.watermark import payload_notices


def _rm(chars: str, category: str = "invisible") -> Removal:
    return Removal(0, len(chars), chars, "invisible.zero-width", category, "body", 1, "span")


def _bits(msg: str, zero: str = "\u200c", one: str = "\u200d") -> str:
    return "".join(zero if b == "0" else one for byte in msg.encode() for b in f"{byte:08b}")


@given(st.text(alphabet="abcXYZ012 用户编号", min_size=2, max_size=20))
def test_zero_width_bits_decode(msg: str) -> None:
    notes = payload_notices([_rm(_bits(msg))])
    assert any(msg in n and n.startswith("invisible-payload: zero-width bits") for n in notes)


def test_tag_characters_spell_ascii() -> None:
    tags = "".join(chr(0xE0000 + ord(c)) for c in "user-42")
    assert payload_notices([_rm(tags)]) == ["invisible-payload: TAG characters spell 'user-42'"]


def test_random_fingerprints_and_other_categories_say_nothing() -> None:
    assert payload_notices([_rm("\u200b\u200c\u200b")]) == []
    assert payload_notices([_rm(_bits("hello"), category="inline")]) == []
    assert payload_notices([]) == []
