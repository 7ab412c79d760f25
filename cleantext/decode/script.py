"""Text that is not Chinese: kana or Hangul, and chardet's non-Chinese proposal accepted on the
evidence of the script (layer 3, ISO-2022, and ``chardet-non-chinese``)."""

from __future__ import annotations

import codecs
import collections
import functools
import itertools
import unicodedata

import chardet

from ..model import Decoded, Encoding, notice
from .assembly import _assemble_within, _result, newline_style
from .chardata import (
    _ASCII_BYTES,
    _ASCII_LETTER_RE,
    _FREQUENT_HANGUL_RE,
    _GLUED_SYMBOL_RE,
    _HANGUL_SYLLABLE_RE,
    _HIGH_RUN_RE,
    _ISOLATED_HIGH_RE,
    _KANA_OR_HANGUL_RE,
    _KANA_RE,
    _LATIN_PUNCT_RE,
    _LETTERS_RE,
)
from .scoring import _budget, _count, _family, _non_ascii
from .thresholds import (
    _ACCENT_SHARE,
    _CASE_FLIP_SHARE,
    _FREQUENT_HANGUL_SHARE,
    _HANGUL_SHARE,
    _ISOLATED_SHARE,
    _KANA_SHARE,
    _LETTER_SHARE,
    _SCRIPT_MIN,
    _SCRIPT_SAMPLE_CHARS,
    _SCRIPT_WORD_LETTERS,
    _SCRIPT_WORDS,
)


def non_chinese_script(text: str) -> str | None:
    """``Japanese`` or ``Korean`` when kana or frequent Hangul make up the text, else ``None``.

    Used on every decoded text (a UTF-8 Japanese file is no more Chinese than a Shift-JIS one)
    and by the engine on ``str`` input; only the first ``_SCRIPT_SAMPLE_CHARS`` are looked at.
    """
    text = text[:_SCRIPT_SAMPLE_CHARS]
    m = _non_ascii(text)
    if m < _SCRIPT_MIN or _count(_KANA_OR_HANGUL_RE, text) < _SCRIPT_MIN:
        return None
    kana = _count(_KANA_RE, text)
    if kana >= _SCRIPT_MIN and kana >= _KANA_SHARE * m:
        return "Japanese"
    hangul = _count(_HANGUL_SYLLABLE_RE, text)
    if (
        hangul >= _SCRIPT_MIN
        and hangul >= _HANGUL_SHARE * m
        and _count(_FREQUENT_HANGUL_RE, text) >= _FREQUENT_HANGUL_SHARE * hangul
    ):
        return "Korean"
    return None


@functools.cache
def _single_byte(codec: str) -> bool:
    """Whether ``codec`` is an ASCII-compatible single-byte code page (Latin-1, CP1251, KOI8-R)."""
    return len(bytes(range(256)).decode(codec, "replace")) == 256 and _ASCII_BYTES.decode(codec, "replace") == (
        _ASCII_BYTES.decode("ascii")
    )


def _script_label(text: str, raw: bytes, codec: str, invalid_as_chinese: bool) -> str | None:
    """What ``text`` (``raw`` read as the non-Chinese ``codec``) is, if its script says so.

    Kana and Hangul speak for themselves. A single-byte code page reads anything, so it must be
    ASCII-compatible (not EBCDIC) and its letters must form words: Latin accented letters in
    words of one case, other alphabets (Cyrillic, Greek...) in whole words of high bytes, and
    those only where the bytes are not even valid GB or Big5 (``invalid_as_chinese``).
    """
    script = non_chinese_script(text)
    if script is not None or not _single_byte(codec):
        return script
    letters = [ch for ch in text if ord(ch) > 0x7F and ch.isalpha()]
    if not letters:
        return None
    scripts = collections.Counter(unicodedata.name(ch, "?").split()[0] for ch in letters)
    name, count = scripts.most_common(1)[0]
    symbols = _non_ascii(text) - len(letters) - _count(_LATIN_PUNCT_RE, text)
    if name == "LATIN":
        return "Latin script" if _latin_words(text, len(letters), symbols, invalid_as_chinese) else None
    # GB/Big5 bytes read as CP1251/KOI8-R are letters too, but in CaSe-mixed "words" (the two
    # cases sit in separate byte rows), and French read as CP1251 is isolated letters.
    words = _HIGH_RUN_RE.findall(text)
    high = len(raw.translate(None, _ASCII_BYTES))
    isolated = len(_ISOLATED_HIGH_RE.findall(raw)) / max(1, high)
    if (
        invalid_as_chinese
        and len(letters) >= _SCRIPT_WORD_LETTERS
        and len(words) >= _SCRIPT_WORDS
        and isolated < 1 - _ISOLATED_SHARE
        and _case_flips(words) <= _CASE_FLIP_SHARE * len(letters)
        and symbols <= (1 - _LETTER_SHARE) * len(letters)
        and count >= _LETTER_SHARE * len(letters)
        and name not in {"CJK", "HANGUL", "HIRAGANA", "KATAKANA", "HALFWIDTH", "FULLWIDTH", "?"}
    ):
        return f"{name.title()} script"
    return None


def _case_flips(words: list[str]) -> int:
    """Lowercase letters directly followed by an uppercase one, inside words."""
    return sum(a.islower() and b.isupper() for w in words for a, b in itertools.pairwise(w))


def _latin_words(text: str, letters: int, symbols: int, invalid_as_chinese: bool) -> bool:
    """Accented letters that sit in words of one case with ASCII letters (``dünya``, ``Zażółć``),
    as Latin text has them. GB/Big5 bytes read as a Latin code page give symbols from the A0-BF
    row, whole "words" of accented letters of random case, and Big5 trail bytes ``@[\\]^_`{|}~``
    glued to them (``th√ÉX``)."""
    words = [w for w in _LETTERS_RE.findall(text) if not w.isascii()]
    glued = len(_GLUED_SYMBOL_RE.findall(text))
    # "à" and "è" are words of their own; longer ones have ASCII letters too
    in_words = sum(_non_ascii(w) for w in words if len(w) == 1 or _ASCII_LETTER_RE.search(w))
    return (
        letters >= (1 if invalid_as_chinese else _SCRIPT_MIN)
        and in_words >= _LETTER_SHARE * letters
        and letters <= _ACCENT_SHARE * sum(map(len, words))
        and symbols <= (1 - _LETTER_SHARE) * letters
        and glued <= (1 - _LETTER_SHARE) * letters
        and _case_flips(words) <= (1 - _LETTER_SHARE) * letters
    )


def _decode_iso2022(data: bytes, sample: bytes) -> Decoded | None:
    """7-bit Japanese or Korean (ISO-2022-JP/KR: ASCII bytes with ESC sequences), by its script."""
    if b"\x1b$" not in sample or not data.isascii():
        return None
    for codec in ("iso2022_jp_2", "iso2022_kr"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        label = non_chinese_script(text)
        if label is not None and text.encode(codec) == data:
            said = notice("decode-not-chinese", f"{codec} escape sequences, and the text reads as {label}")
            return Decoded(
                text, Encoding(codec, 1.0, False, True, 0, "iso-2022"), newline_style(text), (), (said,), label
            )
    return None


def _decode_non_chinese(data: bytes, sample: bytes, invalid_as_chinese: bool) -> Decoded | None:
    """chardet, unrestricted, on a sample that reads badly as Chinese: a non-Chinese codec it
    names is taken when the sample decodes within budget and its script confirms it."""
    try:
        res = chardet.detect(sample, max_bytes=max(1, len(sample)))
    except Exception:  # a detector bug must not escape as a non-cleantext error
        return None
    name = res.get("encoding")
    try:
        codec = codecs.lookup(name).name if isinstance(name, str) else None
    except LookupError:
        codec = None
    if codec is None or _family(name) or _family(codec) or codec.startswith("utf") or codec == "ascii":
        return None
    # The sample may end inside a character: an incremental decoder holds it back.
    text = codecs.getincrementaldecoder(codec)("replace").decode(sample, False)
    if text.count("\ufffd") > _budget(len(sample)):
        return None
    label = _script_label(text, sample, codec, invalid_as_chinese)
    if label is None:
        return None
    asm = _assemble_within(data, codec, _budget(len(data)))
    if asm is None:
        return None
    conf = res.get("confidence")
    confidence = float(conf) if isinstance(conf, int | float) else 0.5
    said = notice("decode-not-chinese", f"chardet names {codec} and the text reads as {label}")
    return _result(
        asm, codec, confidence=confidence, detector="chardet-non-chinese", notices=[said], not_chinese=label
    )
