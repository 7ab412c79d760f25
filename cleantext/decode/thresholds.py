"""Thresholds of the decoder. Each says why it is what it is."""

from __future__ import annotations

from typing import Final

_MIN_BUDGET: Final = 8
"""Undecodable runs always allowed: a short document with one or two damaged characters (a cut
multibyte sequence at the end, a stray byte) is still text."""

_BUDGET_BYTES_PER_RUN: Final = 1000
"""Beyond ``_MIN_BUDGET``, one replaced run per 1000 bytes: real corruption is sparse, while a
wrong codec fails every few bytes."""

_VALID_PER_ERROR: Final = 2
"""Lenient UTF-8 needs at least this many valid non-ASCII characters per bad run: GBK read as
UTF-8 yields almost no valid multibyte sequences, real UTF-8 with damage yields hundreds."""

_CALLS_PER_RUN: Final = 3
"""Decoders report one bad character as up to three bad sequences (UTF-8 maximal subparts;
lead + damaged trail in GB/Big5): decodes stop after this many per budgeted run, and the
merged runs are then held to the budget itself."""

_MIXED_RUN_ALLOWANCE: Final = 256
"""Extra bad UTF-8 runs scanned for when looking for whole GBK/Big5 lines inside a UTF-8
document: room for a few advert lines of up to ~100 hanzi; more than that is not a UTF-8
document with a foreign line but a legacy document."""

_PLAUSIBLE_MIN: Final = 0.95
"""Share of plausible code points a UTF-16/32 reading needs (DESIGN §5): real text is almost
entirely CJK, ASCII and punctuation; a wrong byte order or a legacy codec read as UTF-16 lands
in Hangul, Yi, surrogates, private use and U+xx00 code points."""

_PLAUSIBLE_MARGIN: Final = 0.2
"""How far the chosen byte order must beat the other one (DESIGN §5): ASCII digits and spaces
read swapped still look like CJK punctuation. Inside the margin the frequent-hanzi share must
decide; without NULs a close call means neither order is right."""

_PLAUSIBLE_MIN_NUL: Final = 0.8
"""With NUL bytes UTF-16 is already likely (the alternative is binary, which scores far lower):
a short text with two U+xx00 hanzi (需 is U+9700) must still pass."""

_PLAUSIBLE_FLOOR_NUL: Final = 0.6
_CLEAR_MARGIN_NUL: Final = 0.3
"""With NUL bytes, a reading below ``_PLAUSIBLE_MIN_NUL`` still passes when it is at least this
plausible and beats the other byte order by this margin: random binary scores about the same
(~0.4) both ways."""

_TINY_CHARS: Final = 40
"""A few-character document (``\n开\n``: 开 is U+5F00, which looks like swapped ASCII) passes
when one byte order clearly beats the other, judged without the U+xx00 test."""

_WIDE_PREFILTER_BYTES: Final = 4096
"""BOM-less UTF-16 without NULs is first tried on this many bytes: legacy text read as UTF-16
is implausible from its first line, so the full sample is only read when the start looks right."""

_FREQUENT_MARGIN: Final = 0.5
"""A reading with this much higher a share of frequent hanzi than another is the real one: a
UTF-16 byte order inside the plausibility margin (swapped bytes of frequent hanzi give rare
ones, 也 → 彎), GB/Big5 against a short or damaged UTF-8 reading (谢谢 → лл)."""

_CONTROL_SHARE_MAX: Final = 0.05
"""Above this share of C0 control bytes (other than tab, newlines, form feed, ESC, SUB) the
input is binary: text has none or a handful, random or packed binary ~10 %."""

_CONTROL_MIN_COUNT: Final = 4
"""Fewer control bytes than this never make a document binary: one to three stray control
characters are damage in a text file, not a format."""

_SHORT_UTF8_NONASCII: Final = 48
"""Strict UTF-8 is double-checked against GB/Big5 only when it has at most this many UTF-8
continuation bytes: short GBK/Big5 strings are sometimes valid UTF-8 by accident (a C2-DF
lead + 80-BF trail is a common GBK pair), but the odds fall geometrically with length."""

_ALTERNATIVE_SHARE: Final = 0.5
"""Share of frequent hanzi a GB/Big5/UTF-16 reading needs before it may overrule a short or
damaged UTF-8 reading (by ``_FREQUENT_MARGIN``): real Chinese is 60-90 % frequent hanzi, a
misread one ~5 %."""

_SHORT_UTF16_BYTES: Final = 64
"""Strict UTF-8 is double-checked against UTF-16 only up to this size: UTF-16 text is valid
UTF-8 only when nearly every code unit has two ASCII-range bytes, which stops happening after a
few characters."""

_LEGACY_LINE_SHARE: Final = 0.3
"""A line of a mixed file is accepted in a foreign codec when at least this share of its
non-ASCII characters are frequent hanzi or CJK punctuation: real Chinese scores 0.6-0.9,
mojibake ~0.05."""

_VOTE_MARGIN: Final = 0.1
"""GB vs Big5: a frequent-hanzi share this much higher is clear evidence, enough to overrule
chardet (whose short-input Big5/GBK verdicts are close to coin flips)."""

_VOTE_ERROR_SHARE: Final = 0.01
"""GB vs Big5: one codec having more invalid sequences than the other by at least 3 and 1 % of
the non-ASCII characters settles the vote before frequencies are looked at (one damaged byte
can misalign a few characters, so two errors more prove nothing)."""

_MIXED_SCAN_BYTES: Final = 4 * 1024 * 1024
"""Legacy documents up to this size are scanned whole for UTF-8 lines (≈ 1.5 ms per MB); larger
ones only in their first and last ``_MIXED_EDGE_BYTES``, where reseller adverts sit."""

_MIXED_EDGE_BYTES: Final = 1024 * 1024

_FAST_SHARE: Final = 0.5
"""The fast path (GB vs Big5 without chardet) decides only when the winning reading of the
sample has no invalid sequence and at least this share of frequent hanzi: real Chinese scores
0.6-0.9; Japanese, Korean or UTF-8 bytes read as GB/Big5 score under 0.3 (Shift-JIS ~0.01)."""

_FAST_MIN_CHARS: Final = 2
"""Non-ASCII characters the fast path needs: one character proves nothing about a codec."""

_CHINESE_FIT: Final = 0.45
"""Below this frequent-hanzi share the GB/Big5 reading fits badly, and chardet, unrestricted,
may propose a non-Chinese codec (Shift-JIS read as GB scores 0.01, EUC-KR 0.13, EUC-JP as Big5
0.3, Latin-1 0 with invalid bytes; real Chinese 0.6-0.9). The proposal still needs the script's
own evidence (``_script_label``), so a low bar costs only a chardet call."""

_CONTEXT_BYTES: Final = 1024
"""ASCII context kept before the sample when chardet looks for a non-Chinese codec."""

_SCRIPT_MIN: Final = 4
"""Characters of a script (kana, Hangul, non-ASCII letters) needed before it may say that a
text is not Chinese: two or three rare hanzi read in another codec land anywhere."""

_SCRIPT_SAMPLE_CHARS: Final = 64 * 1024
"""Characters looked at to tell Japanese or Korean text: a sample, as for the codec itself."""

_KANA_SHARE: Final = 0.25
"""Japanese: kana are 35-70 % of the characters of real text (25 % in kanji-dense headlines);
Chinese has none but a stray の, and GBK read as Shift-JIS yields half-width katakana, not kana."""

_HANGUL_SHARE: Final = 0.5

_FREQUENT_HANGUL_SHARE: Final = 0.35
"""Korean: Hangul syllables are most of the text, and ~75 % of them are among the 250 most
frequent. GBK hanzi read as EUC-KR/CP949 are Hangul too (the B0-C8 rows), but at random, ~10 %
frequent."""

_ISOLATED_SHARE: Final = 0.6
"""Other alphabets (Cyrillic, Greek...) write whole words in high bytes: fewer than 1 - this
share of their high bytes stand alone (the one-letter words в, с, и); French read as CP1251 is
mostly lone high bytes (``café``)."""

_SINGLE_BYTE_ERRORS: Final = 2

_SINGLE_BYTE_ERROR_SHARE: Final = 0.1
"""A single-byte code page is only proposed for bytes that are not even valid GB or Big5: this
many invalid sequences, and this share of the characters, in both readings. Latin or Cyrillic
text has them wherever a word of odd length ends (``é `` is an invalid GB pair); any run of GB
or Big5 hanzi, however rare, has none, and one ASCII trail byte (Big5 ``A4 40``) makes a
lone high byte look like an accented letter."""

_ACCENT_SHARE: Final = 0.6
"""Latin words carry at most this share of accented letters (Polish, the densest, ~0.45; French
~0.2); Big5 read as CP1252 alternates lead bytes and ASCII trails (``Ìqåoðç``, 0.67)."""

_SCRIPT_WORD_LETTERS: Final = 8

_SCRIPT_WORDS: Final = 2
"""Other alphabets (Cyrillic, Greek...) need this many letters in this many words: four rare
hanzi (覃隗鞠邝, one 8-byte run) read as CP1251 are one Cyrillic-looking word."""

_CASE_FLIP_SHARE: Final = 0.05
"""A lowercase letter followed by an uppercase one inside a word is rare in real text; in GB/Big5
bytes read as CP1251 or KOI8-R (cases in separate byte rows) it is every fourth pair."""

_LETTER_SHARE: Final = 0.9
"""Single-byte code pages: the non-ASCII characters are letters (of one script, in words), with
at most 1 - this share of symbols, glued Big5 trail bytes or case flips; GBK read as CP1251 is
~85 % letters mixed with symbols from the A0-BF row."""

_CHARDET_SET: Final = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gb18030", "big5", "ascii")
"""Candidates chardet may answer (DESIGN §5): left unrestricted, it turns damaged GBK into a
single-byte code page and mostly-ASCII GBK into Latin."""

_BIG5_CHAIN: Final = ("big5", "cp950", "big5hkscs")

_GB_CHAIN: Final = ("gb18030",)

_RESYNC_CODECS: Final = frozenset(_BIG5_CHAIN + _GB_CHAIN)

_BIJECTIVE_CODECS: Final = frozenset(
    {"gb18030", "utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "latin-1", "iso8859-1"}
)

_RESYNC_WINDOW: Final = 24
"""Bytes read both ways after a bad byte to decide whether it was a damaged lead byte: a dozen
hanzi tell a real reading from a misaligned one, and it stays cheap per error."""
