"""The decoder's shortcuts give what the slow computation they replace gives (issue 10).

Each shortcut is only allowed to skip work whose answer it already knows: counting characters by
runs must count as one match per character did, and the byte-level UTF-16 rejection must never
reject a reading that scores at or above the floor.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from cleantext.config import DEFAULT_LIMITS
from cleantext.decode import chardata, decode, wide
from cleantext.decode.legacy import _decode_family
from cleantext.decode.scoring import _count, _plausibility, _readings, _sample
from cleantext.decode.thresholds import _PLAUSIBLE_MARGIN, _PLAUSIBLE_MIN

FLOOR = _PLAUSIBLE_MIN - _PLAUSIBLE_MARGIN
RUN_PATTERNS = (
    chardata._FREQUENT_RE, chardata._PLAUSIBLE_RE, chardata._XX00_RE, chardata._HANGUL_RE, chardata._KANA_RE,
    chardata._HANGUL_SYLLABLE_RE, chardata._FREQUENT_HANGUL_RE, chardata._LATIN_PUNCT_RE, chardata._KANA_OR_HANGUL_RE,
)
MIXED = "的一是國語あアゝ한국\uac00\ud7a3\u3096ヺabc，。\u4f00\ufffd\U00020000\ue000"


def one_by_one(pattern: re.Pattern[str], text: str) -> int:
    """The count the run pattern replaces: its character class (``[c][c]*``) one character at a time."""
    src = pattern.pattern
    half = (len(src) - 1) // 2
    assert src.endswith("*")
    assert src[:half] == src[half:-1]
    return len(re.findall(src[:half], text))


@given(st.text(alphabet=st.sampled_from(MIXED), max_size=60) | st.text(max_size=60))
@example("的的的的一一")
@example("")
def test_run_counts_equal_one_by_one(text: str) -> None:
    for pattern in RUN_PATTERNS:
        assert _count(pattern, text) == one_by_one(pattern, text)
    either = _count(chardata._KANA_RE, text) + _count(chardata._HANGUL_SYLLABLE_RE, text)
    assert _count(chardata._KANA_OR_HANGUL_RE, text) == either


@given(st.binary(min_size=0, max_size=400) | st.builds(
    lambda t, codec, noise: t.encode(codec, "surrogatepass") + noise,
    st.text(alphabet=st.sampled_from(MIXED), max_size=120) | st.text(max_size=120),
    st.sampled_from(["utf-16-le", "utf-16-be"]),
    st.binary(max_size=40),
))
@example("第一条　为了规范市场秩序，保护消费者的合法权益。\n".encode("gbk"))
@example("第一條　為了規範市場秩序，保護消費者的合法權益。\n".encode("big5"))
@example("abc 第一条".encode("utf-16-le"))
def test_utf16_rejection_never_rejects_a_plausible_reading(data: bytes) -> None:
    head = data[: len(data) - len(data) % 2]
    if wide._surely_implausible(head, FLOOR):
        for codec in ("utf-16-le", "utf-16-be"):
            assert _plausibility(head.decode(codec, "replace")) < FLOOR


@pytest.mark.parametrize("text", [
    "第一条　为了规范市场秩序，保护消费者的合法权益，根据有关法律，制定本条例。\n",
    "本资料来源于网络，仅供学习交流使用。更多资料请关注公众号。\n" * 3,
    "2023年工作总结：全年完成销售额1200万元，同比增长15%。\n",
])
def test_gbk_text_is_rejected_without_reading_it(text: str) -> None:
    """Real GBK sentences are what the shortcut is for: it must fire on them (a few characters may
    not be enough: 第 is B5 DA, and DA is a surrogate's high byte, which the bound leaves out)."""
    data = text.encode("gbk")
    assert wide._surely_implausible(data[: len(data) - len(data) % 2], FLOOR)


@given(st.text(alphabet=st.sampled_from("第一条为了规范市场秩序，。abc 12\n\r"), min_size=1, max_size=300))
@example("abc\n第一条为了规范市场秩序。\n")
def test_fast_gb_result_is_layer_10s(text: str) -> None:
    """The fast path keeps the sample's reading as the text; layer 10 decoding again must agree."""
    data = text.encode("gbk")
    res = decode(data)
    if res.encoding.detector != "gb-big5-frequency":
        return
    sample = _sample(data, DEFAULT_LIMITS)
    readings = _readings(sample)
    again = _decode_family(data, "gb", detector=res.encoding.detector, confidence=res.encoding.confidence,
                           readings=readings, sample_len=len(sample))
    assert again == res
