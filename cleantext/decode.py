"""Stage ①: bytes → :class:`~cleantext.model.Decoded`, the layered detector of DESIGN.md §5.

Layers, cheapest and surest first (``Encoding.detector`` names the one that decided):

1. ``bom``: a byte-order mark names the codec (UTF-8, UTF-16, UTF-32).
2. ``utf-32-nul`` / ``utf-16-nul``: NUL bytes mean UTF-16/32 (NUL is valid UTF-8, so this goes
   first); the byte order is chosen by how plausible the code points are, never by NUL parity
   alone (一 is ``00 4E`` in UTF-16-LE). NULs that are not UTF-16/32 mean binary.
3. ``iso-2022``: 7-bit Japanese/Korean (ESC sequences, SO/SI), when its text is kana/Hangul.
4. ``utf-8``: strict UTF-8 over everything, at codec speed (pure ASCII is ``utf-8`` too). A
   short string that is valid UTF-8 only by accident (GBK 谢谢 is UTF-8 лл) goes to the codec
   whose reading is clearly more Chinese.
5. ``gb-big5-frequency``, the fast path: the sample read as GB and as Big5 at codec speed; a
   reading with no invalid sequence, mostly frequent hanzi and a clear lead over the other
   family decides, without chardet (the vote of layer 9 would overrule chardet anyway).
6. ``utf-8-lenient``: UTF-8 with a few bad byte runs, replaced; whole lines in GBK/Big5 inside a
   UTF-8 document (mixed files) are decoded with their own codec (and UTF-8 lines inside a
   GB/Big5 document likewise, in layer 10), with a ``decode-mixed`` notice. Never above a clean
   GB/Big5 reading of the same bytes.
7. ``utf-16-heuristic``: BOM-less UTF-16 without NULs, by code-point plausibility.
8. ``chardet`` on a sample, candidates restricted to the Chinese set, and
9. ``gb-big5-vote``: GB vs Big5 by invalid-byte count, then by the share of frequent hanzi; it
   also overrules chardet when the evidence is clear (chardet confuses short GBK and Big5).
   ``chardet-non-chinese``: when even the better reading has few frequent hanzi, chardet,
   unrestricted, may name a non-Chinese codec (CP932, EUC-KR, CP1252, KOI8-R...), taken when
   the script agrees (kana, frequent Hangul, accented letters in Latin words, whole words).
10. Decode GB as ``gb18030``; Big5 as ``big5`` → ``cp950`` → ``big5hkscs``; strictly if possible,
    else with U+FFFD for undecodable runs within the replacement budget (``max(8, n/1000)``
    runs), resynchronising after a damaged lead byte so one character is lost, not a line.

Whatever decided, text that is mostly kana or Hangul gets ``Decoded.not_chinese`` set (as do
the non-Chinese codecs): the engine runs no Chinese rule pack on it.

Before any of it: above ``Limits.max_bytes`` → ``InputTooLargeError``; file signatures (PNG,
PDF, ZIP...), unexplained NULs or many control bytes → ``BinaryInputError``; nothing fitting
the budget → ``DecodeError``. Nothing else is raised, for any bytes.

Exactness: every span of the text that does not re-encode to its original bytes (a replaced
run, a line in a foreign codec, a Big5 duplicate code) is a :class:`BytePatch`, so
``encoding.encode(text, patches) == data`` for every input that does not raise.
"""

from __future__ import annotations

import codecs
import collections
import functools
import itertools
import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

import chardet

from .config import DEFAULT_LIMITS, Limits
from .errors import BinaryInputError, DecodeError, InputTooLargeError
from .model import BytePatch, Decoded, Encoding

__all__ = ["decode", "newline_style", "non_chinese_script"]

# ---------------------------------------------------------------------------------------------
# Thresholds. Each says why it is what it is.

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
_PLAUSIBLE_MIN_NUL: Final = 0.8
_PLAUSIBLE_FLOOR_NUL: Final = 0.6
_CLEAR_MARGIN_NUL: Final = 0.3
_TINY_CHARS: Final = 40
"""A few-character document (``\n开\n``: 开 is U+5F00, which looks like swapped ASCII) passes
when one byte order clearly beats the other; random binary scores about the same (~0.4) both ways."""
"""With NUL bytes UTF-16 is already likely (the alternative is binary, which scores far lower):
a short text with two U+xx00 hanzi (需 is U+9700) must still pass."""
"""How far the chosen byte order must beat the other one (DESIGN §5): ASCII digits and spaces
read swapped still look like CJK punctuation. Inside the margin the frequent-hanzi share must
decide; without NULs a close call means neither order is right."""

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

# ---------------------------------------------------------------------------------------------
# Frequent characters: the 1000 most frequent Simplified hanzi (modern corpus counts) and their
# Traditional forms (OpenCC s2t/s2tw/s2hk), with CJK punctuation. Real text has 60-90 % of its
# hanzi here; a wrong codec yields near-random hanzi, of which ~5 % are here.

_FREQUENT_SIMPLIFIED: Final = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
    "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实"
    "日军者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政"
    "美相见被利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员"
    "解水名真论处走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件"
    "计管期市直德资命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改"
    "收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调"
    "深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企"
    "八功吗包片史委乎查轻易早曾除农找装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列"
    "武红响虽推势参希古众构房半节土投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供"
    "效续施留讲型料终答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值"
    "仍男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股拿脑预谁益阳"
    "若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警获模充负云停木游龙树疑层冷"
    "洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛检差富灵协角占配征修皮挥胜降阶审沉坚善妈"
    "刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央"
    "户烈洋哥索胡款靠评版宝座释景顾弟登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括"
    "舰鱼杂误湾吉减编楚肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康"
    "虑幸均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓督毒油疗旅"
    "泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园谋宋避抓荣姑孙逃牙束跳顶"
)
_FREQUENT_TRADITIONAL: Final = (
    "這個們來爲國說時會對於過發後裏種經麼學現當沒動還進樣開從實軍無與長機關點業將兩間問並應戰頭體見產話內"
    "給門兒東聲員論處義幾認條氣題爾別變總電數報結務場計資許統區隊決馬書則聽卻達強難權設記類據邊張該規萬覺"
    "術領確傳師觀讓識帶導爭運飛風乾聯組濟車親極辦議證轉準遠臺單羅愛擊備連調質團價黨華級離況亞請際約覆線斷"
    "滿視須寫稱嗎輕農裝廣顯標談喫圖歷醫專費號盡較語僅隨選紅響雖勢參衆構節維劃敵陳態護興驗責營夠嚴續講終緊"
    "黃絕羣項圍織鬥雙紀採舉殺蘇訴細願錢網熱屬臉職樂剛狀獨彈創錯蘭試腦預誰陽繼驚傷藥適衛險陸習勞財環納歡獲"
    "負雲龍樹層衝範異漢簡擔靜積餘檢靈協佔徵揮勝階審堅媽劉讀壓銀買養懷執亂幫歲優鐵稅藝陣腳惡塊頓島戶評寶釋"
    "顧貨歐換聞壞討麗監臨艦魚雜誤灣減編測敗夢溫劍漸貴槍樓縣畫遺祕謝魯慮銷鍾詩趕劇損舊錄葉鄉禮婦歸飯額順輸"
    "搖脫補謂療澤滅筆鮮詞聖擇尋廠煙諾倫奧賣載宮陰園謀榮孫頂為裡眾説衞"
    "復複幹髮隻係製"
)
_CJK_PUNCTUATION: Final = "，。、；：？！“”‘’（）《》〈〉【】「」『』…—·"

_FREQUENT_RE: Final = re.compile("[" + re.escape(_FREQUENT_SIMPLIFIED + _FREQUENT_TRADITIONAL + _CJK_PUNCTUATION) + "]")
_GLUED_LETTER_RE: Final = re.compile("(?:^|(?<=[^\x00-\x7f]))[A-Za-z](?=[^\x00-\x7f])")

# Code points a UTF-16/32 reading of real (Chinese) text is made of. Deliberately absent: Hangul
# and Yi (where GBK/Big5 bytes read as UTF-16-BE land), CJK extension A and U+2Exx (where ASCII
# read with the wrong byte order lands), private use, controls, surrogates.
_PLAUSIBLE_RE: Final = re.compile(
    "[\t\n\r\x0c\x20-\x7e\xa0-\u024f\u0370-\u04ff\u2000-\u206f\u2100-\u23ff\u2460-\u27bf"
    "\u3000-\u312f\u3200-\u33ff\u4e00-\u9fff\ufe30-\ufe4f\ufeff\uff00-\uffef"
    "\U0001f000-\U0001faff\U00020000-\U0003134f\ufe00-\ufe0f\U000e0000-\U000e007f]"
)  # the last two: variation selectors and TAG characters (emoji flags, watermark payloads)
# U+xx00 inside the CJK block: ASCII letters read with the wrong byte order (``A\0`` → U+4100).
# One in 256 real hanzi has such a code point; 一 (U+4E00) is too frequent to exclude.
_XX00_RE: Final = re.compile("[" + "".join(chr(h << 8) for h in range(0x4F, 0xA0)) + "]")
# Hangul counts as plausible only when NUL bytes already rule out GBK/Big5 (Korean UTF-16).
_HANGUL_RE: Final = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")

_KANA_RE: Final = re.compile("[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fd\u30fe]")
_HANGUL_SYLLABLE_RE: Final = re.compile("[\uac00-\ud7a3]")
_FREQUENT_HANGUL_RE: Final = re.compile(
    "["
    "이다는의에하고을가지기로한서도자사리대어를나인시수정아게일으만전들부해국적장있보상제과주요것라성우구"
    "비니여소그원경신내화동위공세문연마면오방와조개무선거생진치유미중계습했된음할입또더학회실결명운말관발"
    "물분각모당반단행식영통년월날때안없않같되및까님저점교민법권력터온은던린히며려러르든데두드목뿐예용재처"
    "체최출특표품필합현형호활후간감강건견금김남노능달등디레료름립매바배번변병복본산새석설속손송심약양업역"
    "열왜외응임작잘종좋준즉증직질집차참책천청초추친크타태토트파판편평포프함향확환효희"
    "]"
)
_ISOLATED_HIGH_RE: Final = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")
_HIGH_RUN_RE: Final = re.compile("[^\x00-\x7f]{2,}")
_LETTERS_RE: Final = re.compile(r"[^\W\d_]+")
_ASCII_LETTER_RE: Final = re.compile("[A-Za-z]")
_GLUED_SYMBOL_RE: Final = re.compile(r"(?<=[^\x00-\x7f])[@\[\\\]^_`{|}~]|[@\[\\\]^_`{|}~](?=[^\x00-\x7f])")
# Punctuation of Latin-script text in code pages: typographic quotes and dashes, « » ¡ ¿ ° € NBSP.
_LATIN_PUNCT_RE: Final = re.compile("[\u2010-\u205f\u00a0\u00ab\u00bb\u00a1\u00bf\u00b0\u20ac\u00b7]")

_MARKERS_RE: Final = re.compile(r"[\udc00-\udcff]+")
"""Escaped bytes: the decode error handler maps each undecodable byte ``b`` to ``U+DC00 + b``
(lone low surrogates never come out of a strict decode of any codec used here)."""

_CONTROL_BYTES: Final = bytes([*range(0x09), *range(0x0E, 0x1A), *range(0x1C, 0x20), 0x7F])
_ASCII_BYTES: Final = bytes(range(0x80))

# Byte classes for finding UTF-8 CJK runs inside legacy text with one C-speed translate + find.
_UTF8_CLASS_TABLE: Final = bytes(0x4C if 0xE2 <= b <= 0xEF else 0x43 if 0x80 <= b <= 0xBF else 0x2E for b in range(256))
_UTF8_RUN: Final = b"LCCLCCLCC"  # three 3-byte UTF-8 characters in a row

_NON_ASCII_BYTE_RE: Final = re.compile(rb"[\x80-\xff]")

_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document (extract its text first)"),
    (b"PK\x03\x04", "a ZIP archive (also .docx/.xlsx/.epub: extract the text first)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"PK\x07\x08", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data (decompress first)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\x7fELF", "an ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE2 file (.doc/.xls: extract the text first)"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O file"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O executable"),
    (b"\xce\xfa\xed\xfe", "a Mach-O executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"OggS\x00", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"\x00asm", "a WebAssembly module"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)


# ---------------------------------------------------------------------------------------------
# Codec error handlers: linear-time replacement that remembers the original bytes.


class _BudgetExceededError(Exception):
    """Raised from inside a decode to stop it once the error budget is spent."""


class _HandlerState(threading.local):
    """Per-thread error counter for the escape handler (handlers are global, decodes are not)."""

    count: int = 0
    cap: int | None = None
    resync: bool = False


_STATE: Final = _HandlerState()


def _resync_skips_next(data: bytes, pos: int, codec: str) -> bool:
    """After a bad byte at ``pos - 1`` in a double-byte codec: is it a damaged lead byte?

    If the byte was a lead whose value got damaged, its intact trail byte now reads as a lead
    and every following character is misread until an ASCII byte realigns the stream. Reading
    the next ``_RESYNC_WINDOW`` bytes from ``pos`` and from ``pos + 1`` and keeping the reading
    with more frequent hanzi (and fewer errors) loses one character instead of a whole line.
    """
    if pos >= len(data) or data[pos] < 0x40 or data[pos] == 0x7F:
        return False
    # Incremental decoders with final=False hold back a character cut by the window's end
    # instead of counting it as an error.
    factory = codecs.getincrementaldecoder(codec)
    here = factory("replace").decode(data[pos : pos + _RESYNC_WINDOW], False)
    skip = factory("replace").decode(data[pos + 1 : pos + 1 + _RESYNC_WINDOW], False)
    return _resync_score(skip) > _resync_score(here)


def _resync_score(text: str) -> int:
    """Frequent hanzi, minus errors, minus lone Latin letters glued to hanzi (a Big5 trail byte
    in 40-7E read on its own: 設置筒Y、 instead of 設置�坡、)."""
    return _frequent(text) - 2 * text.count("\ufffd") - len(_GLUED_LETTER_RE.findall(text))


def _escape_handler(exc: UnicodeError) -> tuple[str, int]:
    """Decode error handler: each bad byte ``b`` becomes ``U+DC00 + b``.

    For 8-bit codecs only the bytes up to the first ASCII byte are consumed (``81 30 0A`` is
    reported as one bad sequence by gb18030), so that ASCII, and above all ``\\n``, always
    decodes as itself and lines stay aligned between bytes and text.
    """
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _STATE.count += 1
    if _STATE.cap is not None and _STATE.count > _STATE.cap:
        raise _BudgetExceededError
    end = exc.end
    if "16" not in exc.encoding and "32" not in exc.encoding:
        end = exc.start + 1
        while end < exc.end and exc.object[end] >= 0x80:
            end += 1
        if _STATE.resync and end == exc.start + 1 and _resync_skips_next(exc.object, end, exc.encoding):
            end += 1
    return "".join(chr(0xDC00 + b) for b in exc.object[exc.start : end]), end


def _unescape_handler(exc: UnicodeError) -> tuple[bytes, int]:
    """Encode error handler: the inverse of :func:`_escape_handler`; anything else fails."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    if not all(0xDC00 <= ord(c) <= 0xDCFF for c in chunk):
        raise exc
    return bytes(ord(c) - 0xDC00 for c in chunk), exc.end


_ESCAPE: Final = "cleantext.decode.escape"
_UNESCAPE: Final = "cleantext.decode.unescape"
codecs.register_error(_ESCAPE, _escape_handler)
codecs.register_error(_UNESCAPE, _unescape_handler)


def _decode_escaped(data: bytes, codec: str, cap: int | None = None, resync: bool = False) -> tuple[str, int] | None:
    """Decode with bad bytes escaped; return the text and the number of handler calls.

    ``None`` when more than ``cap`` bad sequences were met (the decode stops right there, so a
    wrong codec costs a few handler calls, not one per byte of a 10 MB file). ``resync`` turns
    on damaged-lead recovery (:func:`_resync_skips_next`), for the final decode only.
    """
    _STATE.count, _STATE.cap, _STATE.resync = 0, cap, resync
    try:
        text = data.decode(codec, _ESCAPE)
    except _BudgetExceededError:
        return None
    finally:
        count, _STATE.count, _STATE.cap, _STATE.resync = _STATE.count, 0, None, False
    return text, count


# ---------------------------------------------------------------------------------------------
# Scoring helpers.


def _budget(n: int) -> int:
    """Replaced runs allowed in ``n`` bytes: ``max(8, n / 1000)`` (DESIGN §5)."""
    return max(_MIN_BUDGET, n // _BUDGET_BYTES_PER_RUN)


def _non_ascii(text: str) -> int:
    # The ASCII encoder drops the rest at C speed (100x a regex over a large text).
    return len(text) - len(text.encode("ascii", "ignore"))


def _frequent(text: str) -> int:
    return len(text) - len(_FREQUENT_RE.sub("", text))


def _frequent_share(text: str) -> float:
    """Share of the non-ASCII characters that are frequent hanzi or CJK punctuation."""
    m = _non_ascii(text)
    return _frequent(text) / m if m else 0.0


def _plausibility(text: str, hangul: bool = False, xx00: bool = True) -> float:
    """Share of code points that real text read with the right UTF-16/32 byte order has."""
    if not text:
        return 0.0
    implausible = len(_PLAUSIBLE_RE.sub("", text)) + (len(_XX00_RE.findall(text)) if xx00 else 0)
    if hangul:
        implausible -= len(_HANGUL_RE.findall(text))
    return 1.0 - implausible / len(text)


def _control_count(sample: bytes) -> int:
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES))


def _family(name: object) -> str | None:
    """``gb`` / ``big5`` for a chardet answer in those families, else ``None``."""
    if not isinstance(name, str):
        return None
    key = name.lower().replace("_", "-")
    if key in {"gb2312", "gbk", "gb18030", "hz-gb-2312", "hz", "cp936", "euc-cn"}:
        return "gb"
    if key in {"big5", "big5hkscs", "big5-hkscs", "cp950"}:
        return "big5"
    return None


# ---------------------------------------------------------------------------------------------
# Assembly: escaped text → final text + patches.


@dataclass(slots=True)
class _Assembly:
    """Text pieces and patches being built; ``replaced`` counts U+FFFD runs."""

    pieces: list[str]
    patches: list[BytePatch]
    length: int = 0
    replaced: int = 0
    foreign_lines: int = 0
    odd_lines: int = 0

    def add_text(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text)

    def add_patch(self, text: str, raw: bytes) -> None:
        self.patches.append(BytePatch(self.length, self.length + len(text), raw))
        self.add_text(text)

    def add_escaped(self, escaped: str) -> None:
        """Append text whose marker runs become U+FFFD, each patched with its original bytes."""
        pos = 0
        for m in _MARKERS_RE.finditer(escaped):
            self.add_text(escaped[pos : m.start()])
            self.add_patch("\ufffd", bytes(ord(c) - 0xDC00 for c in m.group()))
            self.replaced += 1
            pos = m.end()
        self.add_text(escaped[pos:])


def _add_lines_checked(asm: _Assembly, escaped: str, raw: bytes, codec: str) -> None:
    """Append ``escaped`` line by line, patching whole lines that do not re-encode to ``raw``.

    Only used when a duplicate code (Big5, CP932...) was seen; lines are aligned because the escape handler
    never swallows ASCII and no multibyte character of these codecs contains ``0A``.
    """
    text_lines = escaped.split("\n")
    raw_lines = raw.split(b"\n")
    if len(text_lines) != len(raw_lines):  # cannot happen (see above); stay exact regardless
        asm.add_patch(_MARKERS_RE.sub("\ufffd", escaped), raw)
        asm.odd_lines += 1
        return
    last = len(text_lines) - 1
    for i, (tline, bline) in enumerate(zip(text_lines, raw_lines, strict=True)):
        try:
            same = tline.encode(codec, _UNESCAPE) == bline
        except UnicodeEncodeError:
            same = False
        if same:
            asm.add_escaped(tline)
        else:
            shown = _MARKERS_RE.sub("\ufffd", tline)
            asm.replaced += len(_MARKERS_RE.findall(tline))
            asm.add_patch(shown, bline)
            asm.odd_lines += 1
        if i != last:
            asm.add_text("\n")


def _reencodes(escaped: str, raw: bytes, codec: str) -> bool:
    try:
        return escaped.encode(codec, _UNESCAPE) == raw
    except UnicodeEncodeError:
        return False


def _assemble(
    data: bytes,
    codec: str,
    foreign: Sequence[tuple[int, int, str]] = (),
    cap: int | None = None,
) -> _Assembly | None:
    """Decode ``data`` with ``codec`` except the ``foreign`` byte ranges (already decoded).

    Returns ``None`` when more than ``cap`` bad sequences occur outside the foreign ranges.
    """
    asm = _Assembly([], [])
    pos = 0
    spent = 0
    for start, end, text in [*foreign, (len(data), len(data), "")]:
        if start > pos:
            chunk = data if (pos == 0 and start == len(data)) else data[pos:start]
            got = _decode_escaped(chunk, codec, None if cap is None else cap - spent, resync=codec in _RESYNC_CODECS)
            if got is None:
                return None
            escaped, count = got
            spent += count
            # Big5 codecs decode some duplicate codes (A2CC and A451 are both 十) to a character
            # that re-encodes to the other code (CP932 and CP949 have such codes too); gb18030
            # and the UTFs are bijective on what they decode (tested over every sequence), so
            # only the others pay for this re-encode check.
            if codec not in _BIJECTIVE_CODECS and not _reencodes(escaped, chunk, codec):
                _add_lines_checked(asm, escaped, chunk, codec)
            elif count:
                asm.add_escaped(escaped)
            else:
                asm.add_text(escaped)
        if end > start:
            asm.add_patch(text, data[start:end])
            asm.foreign_lines += 1
        pos = end
    return asm


def _assemble_within(
    data: bytes, codec: str, budget: int, foreign: Sequence[tuple[int, int, str]] = ()
) -> _Assembly | None:
    """:func:`_assemble` held to ``budget`` replaced runs (``None`` past it)."""
    asm = _assemble(data, codec, foreign, cap=_CALLS_PER_RUN * budget)
    return asm if asm is not None and asm.replaced <= budget else None


def _line_bounds(data: bytes, start: int, end: int) -> tuple[int, int]:
    """Byte range of the line(s) holding ``[start, end)``, without ``\\r\\n`` / ``\\n``."""
    lo = data.rfind(b"\n", 0, start) + 1
    hi = data.find(b"\n", end)
    if hi < 0:
        hi = len(data)
    if hi > lo and data[hi - 1] == 0x0D:
        hi -= 1
    return lo, max(hi, end)


# ---------------------------------------------------------------------------------------------
# Result building.


def newline_style(text: str) -> str:
    """``lf``, ``crlf``, ``cr``, ``mixed`` or ``none``: how the document ends its lines."""
    if "\r" not in text:  # the common case: one scan instead of three counts
        return "lf" if "\n" in text else "none"
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    kinds = [k for k, n in (("crlf", crlf), ("lf", lf), ("cr", cr)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


def _result(
    asm: _Assembly,
    name: str,
    *,
    confidence: float,
    detector: str,
    bom: bool = False,
    notices: Sequence[str] = (),
    not_chinese: str | None = None,
) -> Decoded:
    text = "".join(asm.pieces)
    out = list(notices)
    if asm.replaced:
        out.append(f"decode-replaced: {asm.replaced} undecodable byte run(s) replaced with U+FFFD ({name})")
    if asm.odd_lines:
        out.append(
            f"decode-nonroundtrip: {asm.odd_lines} line(s) do not re-encode to their bytes in {name}; "
            "byte patches keep them exact"
        )
    enc = Encoding(name, round(confidence, 4), bom, not asm.patches, asm.replaced, detector)
    return Decoded(text, enc, newline_style(text), tuple(asm.patches), tuple(out), not_chinese)


def _plain(text: str, name: str, confidence: float, detector: str, bom: bool = False) -> Decoded:
    return Decoded(text, Encoding(name, confidence, bom, True, 0, detector), newline_style(text))


# ---------------------------------------------------------------------------------------------
# Layers.


_SIGNATURE_FIRST_BYTES: Final = frozenset(magic[0] for magic, _ in _SIGNATURES)


def _reject_signature(data: bytes) -> None:
    if data[0] in _SIGNATURE_FIRST_BYTES:  # one set lookup for nearly every text
        for magic, what in _SIGNATURES:
            if data.startswith(magic):
                raise BinaryInputError(f"input looks like {what} (signature {magic[:8].hex(' ')}), not text")
    if data.startswith(b"MZ") and b"\x00" in data[:64]:
        raise BinaryInputError("input looks like a Windows/DOS executable (MZ header), not text")
    if data.startswith(b"RIFF") and data[8:12] in {b"WAVE", b"AVI ", b"WEBP"}:
        raise BinaryInputError(f"input looks like a RIFF {data[8:12].decode('ascii').strip()} file, not text")
    if data[4:8] == b"ftyp":
        raise BinaryInputError("input looks like an MP4/MOV/HEIC media file (ftyp box), not text")


def _decode_bom(data: bytes) -> Decoded | None:
    """Layer 1: a byte-order mark names the codec; the payload still decodes within budget."""
    if data.startswith(codecs.BOM_UTF8):
        name, codec, size = "utf-8-sig", "utf-8", 3
    elif data.startswith(codecs.BOM_UTF32_LE) and len(data) % 4 == 0 and _utf32_ok(data[4:], "utf-32-le"):
        name, codec, size = "utf-32-le", "utf-32-le", 4
    elif data.startswith(codecs.BOM_UTF32_BE) and len(data) % 4 == 0 and _utf32_ok(data[4:], "utf-32-be"):
        name, codec, size = "utf-32-be", "utf-32-be", 4
    elif data.startswith(codecs.BOM_UTF16_LE):
        name, codec, size = "utf-16-le", "utf-16-le", 2
    elif data.startswith(codecs.BOM_UTF16_BE):
        name, codec, size = "utf-16-be", "utf-16-be", 2
    else:
        return None
    payload = data[size:]
    asm = _assemble_within(payload, codec, _budget(len(payload)))
    if asm is None:
        raise DecodeError(
            f"input starts with a {name} byte-order mark but more than {_budget(len(payload))} "
            f"byte runs do not decode as {codec}: the file is damaged or not {codec}"
        )
    return _result(asm, name, confidence=1.0, detector="bom", bom=True)


def _utf32_ok(payload: bytes, codec: str) -> bool:
    try:
        payload[:4096].decode(codec)
    except UnicodeDecodeError:
        return False
    return True


def _utf16_reading(data: bytes, codec: str, size: int, hangul: bool = False) -> tuple[float, str]:
    """Plausibility of the first ``size`` bytes read as ``codec`` (bad units count as implausible)."""
    unit = 4 if "32" in codec else 2
    size = min(len(data), size)
    text = data[: size - size % unit].decode(codec, "replace")
    return _plausibility(text, hangul), text


def _maybe_utf16(data: bytes) -> bool:
    """Whether BOM-less UTF-16 without NULs is worth trying (layer 7's own first check): an even
    length and a plausible start in one byte order (legacy text read as UTF-16 is not)."""
    return not len(data) % 2 and max(
        _utf16_reading(data, "utf-16-le", _WIDE_PREFILTER_BYTES)[0],
        _utf16_reading(data, "utf-16-be", _WIDE_PREFILTER_BYTES)[0],
    ) >= (_PLAUSIBLE_MIN - _PLAUSIBLE_MARGIN)


def _decode_wide(data: bytes, limits: Limits, with_nul: bool) -> Decoded | None:
    """Layers 2 and 7: BOM-less UTF-32/16, byte order by code-point plausibility."""
    n = len(data)
    if with_nul and n % 4 == 0:
        for codec in ("utf-32-le", "utf-32-be"):
            score, _ = _utf16_reading(data, codec, limits.sample_bytes, hangul=True)
            if score >= _PLAUSIBLE_MIN:
                asm = _assemble_within(data, codec, _budget(n))
                if asm is not None:
                    return _result(asm, codec, confidence=score, detector="utf-32-nul")
    if n < 2 or (not with_nul and not _maybe_utf16(data)):
        return None  # without NULs or a BOM, an odd length speaks against UTF-16
    le, le_text = _utf16_reading(data, "utf-16-le", limits.sample_bytes, hangul=with_nul)
    be, be_text = _utf16_reading(data, "utf-16-be", limits.sample_bytes, hangul=with_nul)
    le_share, be_share = _frequent_share(le_text), _frequent_share(be_text)
    if abs(le - be) >= _PLAUSIBLE_MARGIN:
        big_endian = be > le
        confidence = max(le, be)
    elif abs(le_share - be_share) >= _FREQUENT_MARGIN:
        big_endian = be_share > le_share
        confidence = max(le, be)
    elif with_nul:
        # NULs say UTF-16 but both orders look alike (short or degenerate text: 　一 reads as
        # "0N" swapped): more frequent hanzi, then plausibility, then the commoner little-endian.
        big_endian = (_frequent(be_text), be) > (_frequent(le_text), le)
        confidence = max(le, be) / 2
    else:
        return None
    score, codec, text = (be, "utf-16-be", be_text) if big_endian else (le, "utf-16-le", le_text)
    clear_winner = with_nul and score >= _PLAUSIBLE_FLOOR_NUL and abs(le - be) >= _CLEAR_MARGIN_NUL
    if with_nul and not clear_winner and len(text) <= _TINY_CHARS:
        # a few characters: one 开 (U+5F00) weighs too much in the swapped-ASCII test; without it
        # the right order reads as all plausible and the wrong one does not
        other = be_text if codec == "utf-16-le" else le_text
        plain, plain_other = _plausibility(text, True, xx00=False), _plausibility(other, True, xx00=False)
        clear_winner = plain >= _PLAUSIBLE_MIN and plain - plain_other >= _CLEAR_MARGIN_NUL
    if score < (_PLAUSIBLE_MIN_NUL if with_nul else _PLAUSIBLE_MIN) and not clear_winner:
        return None
    if not with_nul:
        # Short Big5 pairs read as UTF-16-LE can land in the CJK block; real hanzi are frequent.
        share = _frequent_share(text)
        sample = data[: limits.sample_bytes]
        for legacy in ("gb18030", "big5"):
            try:
                other = sample.decode(legacy)
            except UnicodeDecodeError:
                continue
            if _frequent_share(other) > share:
                return None
    asm = _assemble_within(data, codec, _budget(n))
    if asm is None:
        return None
    return _result(asm, codec, confidence=confidence, detector="utf-16-nul" if with_nul else "utf-16-heuristic")


def _legacy_reading(raw: bytes) -> tuple[str, str, float] | None:
    """The best strict GB/Big5 reading of a short byte string: (codec, text, frequent share)."""
    best: tuple[str, str, float] | None = None
    for codec in ("gb18030", "big5"):
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        share = _frequent_share(text)
        if best is None or share > best[2]:
            best = (codec, text, share)
    return best


def _better_than_utf8(data: bytes, utf8_text: str) -> tuple[str, str, float, str] | None:
    """A strict GB/Big5 or (short, even) UTF-16 reading that clearly beats the UTF-8 one.

    Returns (codec, text, frequent share, detector). Short GBK/Big5/UTF-16 strings are sometimes
    valid UTF-8 (谢谢 is ``D0 BB D0 BB``, лл) or damaged UTF-8 with very few bad bytes.
    """
    best: tuple[str, str, float, str] | None = None
    legacy = _legacy_reading(data)
    if legacy is not None:
        best = (*legacy, "gb-big5-vote")
    if len(data) % 2 == 0 and len(data) <= _SHORT_UTF16_BYTES:
        for codec in ("utf-16-le", "utf-16-be"):
            score, wide = _utf16_reading(data, codec, len(data))
            share = _frequent_share(wide)
            if score >= _PLAUSIBLE_MIN and (best is None or share > best[2]):
                best = (codec, wide, share, "utf-16-heuristic")
    return best if best is not None and _beats_utf8(best[1], best[2], utf8_text) else None


def _short_utf8_alternative(data: bytes, text: str, limits: Limits) -> Decoded | None:
    """Layer 4 guard: a short string that is valid UTF-8 but clearly GB/Big5/UTF-16 text."""
    if len(data) > limits.sample_bytes or len(data) - len(text) > _SHORT_UTF8_NONASCII:
        return None
    best = _better_than_utf8(data, text)
    if best is None:
        return None
    codec, _, share, detector = best
    asm = _assemble(data, codec)
    if asm is None:  # pragma: no cover - no cap given
        return None
    return _result(asm, codec, confidence=min(0.9, share), detector=detector)


def _beats_utf8(other: str, other_share: float, utf8_text: str) -> bool:
    """Whether another reading of short or damaged UTF-8 is clearly the real text."""
    return (
        _non_ascii(other) >= 2
        and other_share >= _ALTERNATIVE_SHARE
        and other_share - _frequent_share(utf8_text) >= _FREQUENT_MARGIN
    )


def _decode_utf8_lenient(data: bytes, first_bad: int, limits: Limits) -> Decoded | None:
    """Layer 6: UTF-8 with a few bad runs, or with whole GBK/Big5 lines (mixed files)."""
    n = len(data)
    budget = _budget(n)
    window_start = data.rfind(b"\n", 0, first_bad) + 1
    if n - window_start > limits.sample_bytes:
        window = data[window_start : window_start + limits.sample_bytes]
        if _utf8_runs(window, _CALLS_PER_RUN * (_budget(len(window)) + _MIXED_RUN_ALLOWANCE)) is None:
            return None
    scanned = _utf8_runs(data, _CALLS_PER_RUN * (budget + _MIXED_RUN_ALLOWANCE))
    if scanned is None:
        return None
    runs, valid = scanned
    foreign: list[tuple[int, int, str]] = []
    codecs_used: set[str] = set()
    replaced_runs = 0
    foreign_chars = 0
    i = 0
    while i < len(runs):
        lo, hi = _line_bounds(data, runs[i][0], runs[i][1])
        j = i
        while j < len(runs) and runs[j][0] < hi:
            j += 1
        line = data[lo:hi]
        bad_bytes = sum(end - start for start, end in runs[i:j])
        # GBK/Big5 read as UTF-8 fails on nearly every non-ASCII byte; damage to a UTF-8 line
        # touches a few. Only the former is worth trying as a foreign line.
        legacy = _legacy_reading(line) if 2 * bad_bytes >= len(line.translate(None, _ASCII_BYTES)) else None
        if (
            legacy is not None
            and legacy[2] >= _LEGACY_LINE_SHARE
            and legacy[2] > _frequent_share(line.decode("utf-8", "replace"))
        ):
            foreign.append((lo, hi, legacy[1]))
            codecs_used.add(legacy[0])
            foreign_chars += _non_ascii(legacy[1])
        else:
            replaced_runs += j - i
        i = j
    if replaced_runs > budget or valid < _VALID_PER_ERROR * replaced_runs or valid < foreign_chars:
        return None
    probe = data if n <= limits.sample_bytes else _sample(data, limits)
    # damaged UTF-8, or GB/Big5/UTF-16 with only a few invalid UTF-8 bytes?
    if not foreign and _better_than_utf8(probe, probe.decode("utf-8", "replace")) is not None:
        return None
    asm = _assemble(data, "utf-8", foreign)
    if asm is None:  # pragma: no cover - no cap given
        return None
    # Never above a clean legacy reading of the same bytes (issue 11 item 6): short GBK can read
    # as UTF-8 with a few bad runs plus a "foreign" GBK line, while all of it is strict GBK.
    legacy = _legacy_reading(probe)
    if legacy is not None and legacy[2] >= _ALTERNATIVE_SHARE:
        lenient = "".join(asm.pieces) if probe is data else probe.decode("utf-8", "replace")
        if legacy[2] > _frequent_share(lenient):
            return None
    notices = []
    if foreign:
        notices.append(
            f"decode-mixed: {len(foreign)} line(s) decoded as {'/'.join(sorted(codecs_used))} inside a "
            "utf-8 document; byte patches keep them exact"
        )
    confidence = max(0.5, 1.0 - (replaced_runs + len(foreign)) / max(1, valid))
    return _result(asm, "utf-8", confidence=confidence, detector="utf-8-lenient", notices=notices)


def _utf8_runs(data: bytes, cap: int) -> tuple[list[tuple[int, int]], int] | None:
    """Bad UTF-8 byte ranges (adjacent ones merged) and the number of valid non-ASCII characters.

    ``None`` past ``cap`` bad sequences.
    """
    # Count first in C (one U+FFFD per bad sequence, as the handler would be called): legacy
    # text read as UTF-8 would otherwise cost ``cap`` Python handler calls before giving up.
    if data.decode("utf-8", "replace").count("\ufffd") - data.count(b"\xef\xbf\xbd") > cap:
        return None
    got = _decode_escaped(data, "utf-8", cap)
    if got is None:
        return None
    escaped, _ = got
    runs: list[tuple[int, int]] = []
    marker_chars = 0
    # Map text offsets back to bytes: the text before a marker run is valid UTF-8.
    pos_t = 0
    pos_b = 0
    for m in _MARKERS_RE.finditer(escaped):
        pos_b += len(escaped[pos_t : m.start()].encode("utf-8"))
        width = m.end() - m.start()
        runs.append((pos_b, pos_b + width))
        marker_chars += width
        pos_b += width
        pos_t = m.end()
    return runs, _non_ascii(escaped) - marker_chars


def _sample(data: bytes, limits: Limits) -> bytes:
    """``sample_bytes`` from the first non-ASCII byte, cut at the last newline in it."""
    m = _NON_ASCII_BYTE_RE.search(data)
    start = m.start() if m else 0
    end = start + limits.sample_bytes
    if end >= len(data):
        return data[start:]
    cut = data.rfind(b"\n", start, end)
    return data[start : cut + 1] if cut > start + limits.sample_bytes // 2 else data[start:end]


def _chardet_family(sample: bytes) -> tuple[str | None, float]:
    """chardet's verdict on the sample, reduced to ``gb`` / ``big5`` / ``None``."""
    try:
        res = chardet.detect(
            sample,
            max_bytes=max(1, len(sample)),
            include_encodings=_CHARDET_SET,
            no_match_encoding="ascii",
        )
    except Exception:  # a detector bug must not escape as a non-cleantext error
        return None, 0.0
    conf = res.get("confidence")
    return _family(res.get("encoding")), float(conf) if isinstance(conf, int | float) else 0.0


@dataclass(frozen=True, slots=True)
class _Reading:
    errors: int
    share: float
    chars: int


def _read_as(sample: bytes, codec: str) -> _Reading:
    # errors="replace" runs in C; the escape handler costs a Python call per bad byte, and a
    # GBK sample read as Big5 has thousands. One U+FFFD per bad sequence is the same count.
    cap = max(64, len(sample) // 4)
    text = sample.decode(codec, "replace")
    errors = text.count("\ufffd")
    if errors > cap:
        return _Reading(cap + 1, 0.0, 1)
    m = _non_ascii(text)
    return _Reading(errors, _frequent(text) / m if m else 0.0, m)


def _readings(sample: bytes) -> dict[str, _Reading]:
    """The sample read as GB and as Big5 (big5hkscs stands for the whole Big5 chain)."""
    return {"gb": _read_as(sample, "gb18030"), "big5": _read_as(sample, "big5hkscs")}


def _clear_family(readings: dict[str, _Reading]) -> str | None:
    """GB or Big5 when the readings tell them apart: by invalid sequences, then frequent hanzi."""
    gb, b5 = readings["gb"], readings["big5"]
    m = max(gb.chars, b5.chars, 1)
    slack = max(3, int(m * _VOTE_ERROR_SHARE))
    if b5.errors >= gb.errors + slack:
        return "gb"
    if gb.errors >= b5.errors + slack:
        return "big5"
    if gb.share >= b5.share + _VOTE_MARGIN:
        return "gb"
    if b5.share >= gb.share + _VOTE_MARGIN:
        return "big5"
    return None


def _vote(readings: dict[str, _Reading], chardet_family: str | None) -> tuple[str, str, float]:
    """Layers 8-9: (family, detector, confidence) for a legacy sample."""
    clear = _clear_family(readings)
    margin = abs(readings["gb"].share - readings["big5"].share)
    if chardet_family is not None and clear in (None, chardet_family):
        return chardet_family, "chardet", max(0.5, min(1.0, 0.5 + margin))
    if clear is not None:
        return clear, "gb-big5-vote", min(1.0, 0.5 + margin)
    # Nothing tells them apart (no frequent hanzi, no invalid bytes): mainland text is the
    # more common case by far.
    return "gb", "gb-big5-vote", 0.3


def _utf8_lines(data: bytes, family_codec: str) -> list[tuple[int, int, str]]:
    """Whole UTF-8 lines inside a legacy document (mixed files), as (start, end, text)."""
    n = len(data)
    spans = [(0, n)] if n <= _MIXED_SCAN_BYTES else [(0, _MIXED_EDGE_BYTES), (n - _MIXED_EDGE_BYTES, n)]
    found: list[tuple[int, int, str]] = []
    for lo_span, hi_span in spans:
        classes = data[lo_span:hi_span].translate(_UTF8_CLASS_TABLE)
        pos = classes.find(_UTF8_RUN)
        while pos >= 0:
            lo, hi = _line_bounds(data, lo_span + pos, lo_span + pos + len(_UTF8_RUN))
            if found and lo < found[-1][1]:
                pos = classes.find(_UTF8_RUN, hi - lo_span)
                continue
            line = data[lo:hi]
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            if text:
                legacy_share = _frequent_share(line.decode(family_codec, "replace"))
                share = _frequent_share(text)
                if share >= _LEGACY_LINE_SHARE and share > legacy_share:
                    found.append((lo, hi, text))
            pos = classes.find(_UTF8_RUN, hi - lo_span) if hi - lo_span < len(classes) else -1
    return found


def _decode_legacy(data: bytes, limits: Limits) -> Decoded:
    """Layers 8-10, the fallback: chardet + vote pick GB or Big5, or chardet a non-Chinese codec."""
    sample = _sample(data, limits)
    readings = _readings(sample)
    fam_c, conf_c = _chardet_family(sample)
    family, detector, confidence = _vote(readings, fam_c)
    if detector == "chardet":
        confidence = max(confidence, conf_c)
    if readings[family].share < _CHINESE_FIT:
        # chardet gets the context before the first non-ASCII byte too (``Les élèves``, not
        # ``élèves``: a bare high byte is as Cyrillic as it is Latin).
        m = _NON_ASCII_BYTE_RE.search(data)
        first = m.start() if m else 0
        invalid = min(r.errors for r in readings.values()) >= max(
            _SINGLE_BYTE_ERRORS, _SINGLE_BYTE_ERROR_SHARE * readings[family].chars
        )
        got = _decode_non_chinese(data, data[max(0, first - _CONTEXT_BYTES) : first + len(sample)], invalid)
        if got is not None:
            return got
    return _decode_family(
        data, family, detector=detector, confidence=confidence, readings=readings, sample_len=len(sample)
    )


def _decode_family(
    data: bytes, family: str, *, detector: str, confidence: float, readings: dict[str, _Reading], sample_len: int
) -> Decoded:
    """Layer 10: decode as ``family`` (else the other family), strictly or within the budget."""
    budget = _budget(len(data))
    sample_cap = _CALLS_PER_RUN * _budget(sample_len)
    order = [family, "big5" if family == "gb" else "gb"]
    for k, fam in enumerate(order):
        if readings[fam].errors > sample_cap:
            continue  # the sample alone spends the budget (big5hkscs stands for all of Big5)
        chain = _GB_CHAIN if fam == "gb" else _BIG5_CHAIN
        foreign = _utf8_lines(data, chain[0])
        best: tuple[_Assembly, str] | None = None
        for codec in chain:
            asm = _assemble_within(data, codec, budget if best is None else best[0].replaced - 1, foreign)
            if asm is None:
                continue
            best = (asm, codec)
            if asm.replaced == 0:
                break
        if best is None:
            continue
        asm, codec = best
        notices = []
        if k:
            notices.append(
                f"decode-fallback: detected {order[0]} but it exceeds the replacement budget; decoded as {codec}"
            )
            detector, confidence = "fallback", 0.2
        if foreign:
            notices.append(
                f"decode-mixed: {len(foreign)} line(s) decoded as utf-8 inside a {codec} document; "
                "byte patches keep them exact"
            )
        return _result(asm, codec, confidence=confidence, detector=detector, notices=notices)
    raise DecodeError(
        f"no supported encoding decodes the input within the replacement budget of {budget} "
        f"byte runs (tried utf-8, utf-16, gb18030, big5, cp950, big5hkscs)"
    )


# ---------------------------------------------------------------------------------------------
# Fast path: GB vs Big5 by a frequency score on the sample, without chardet.


def _decode_fast_legacy(data: bytes, sample: bytes) -> Decoded | None:
    """Legacy Chinese decided at codec speed, before the lenient UTF-8 and chardet layers.

    Two C-speed decodes of the sample (errors counted as U+FFFD) and a regex count of frequent
    hanzi: when one family reads the sample without an invalid sequence and as clearly Chinese
    (``_FAST_SHARE``), and beats the other family by the vote's own rule, the vote would overrule
    chardet anyway, so chardet is not asked. A clean Chinese reading also beats lenient UTF-8
    (issue 11 item 6). Everything else (damaged, mixed, possibly UTF-16, short or ambiguous input,
    text that is not Chinese) takes the full path.
    """
    readings = _readings(sample)
    family = _clear_family(readings)
    if family is None:
        return None
    win = readings[family]
    if win.errors or win.share < _FAST_SHARE or win.chars < _FAST_MIN_CHARS:
        return None
    # UTF-8 hanzi runs (a mixed file: the lenient layer may read it as UTF-8 with GB lines) or
    # possible UTF-16: the layers in between decide, as they did before the fast path existed.
    if _UTF8_RUN in sample.translate(_UTF8_CLASS_TABLE) or _maybe_utf16(data):
        return None
    confidence = min(1.0, 0.5 + abs(readings["gb"].share - readings["big5"].share))
    return _decode_family(
        data, family, detector="gb-big5-frequency", confidence=confidence, readings=readings, sample_len=len(sample)
    )


# ---------------------------------------------------------------------------------------------
# Text that is not Chinese: chardet's proposal, accepted on the evidence of the script.


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(text) - len(pattern.sub("", text))


def non_chinese_script(text: str) -> str | None:
    """``Japanese`` or ``Korean`` when kana or frequent Hangul make up the text, else ``None``.

    Used on every decoded text (a UTF-8 Japanese file is no more Chinese than a Shift-JIS one)
    and by the engine on ``str`` input; only the first ``_SCRIPT_SAMPLE_CHARS`` are looked at.
    """
    text = text[:_SCRIPT_SAMPLE_CHARS]
    m = _non_ascii(text)
    if m < _SCRIPT_MIN:
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
            notice = f"decode-not-chinese: {codec} escape sequences, and the text reads as {label}"
            return Decoded(
                text, Encoding(codec, 1.0, False, True, 0, "iso-2022"), newline_style(text), (), (notice,), label
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
    notice = f"decode-not-chinese: chardet names {codec} and the text reads as {label}"
    return _result(
        asm, codec, confidence=confidence, detector="chardet-non-chinese", notices=[notice], not_chinese=label
    )


def decode(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Decoded:
    r"""Decode one document's bytes; see the module docstring for the layers.

    Raises ``InputTooLargeError`` above ``limits.max_bytes``, ``BinaryInputError`` for binary
    data and ``DecodeError`` when nothing decodes within the replacement budget; nothing else.

    >>> res = decode("第一条　总则\r\n".encode("gbk"))
    >>> res.text, res.encoding.name, res.newline, res.encoding.lossless
    ('第一条\u3000总则\r\n', 'gb18030', 'crlf', True)
    >>> res = decode(b"\xef\xbb\xbf\xe6\xad\xa3\xe6\x96\x87\xff")
    >>> res.text, res.encoding.name, res.encoding.replaced, res.patches[0].raw
    ('正文\ufffd', 'utf-8-sig', 1, b'\xff')
    >>> res.encoding.encode(res.text, res.patches) == b"\xef\xbb\xbf\xe6\xad\xa3\xe6\x96\x87\xff"
    True
    """
    n = len(data)
    if n > limits.max_bytes:
        raise InputTooLargeError(
            f"input is {n} bytes, above the limit of {limits.max_bytes}; raise Limits.max_bytes or split the document"
        )
    res = _detect(data, limits)
    if res.not_chinese is not None or res.text.isascii():
        return res
    script = non_chinese_script(res.text)
    return res if script is None else replace(res, not_chinese=script)


def _detect(data: bytes, limits: Limits) -> Decoded:
    """The layers in order; the first that decides returns."""
    n = len(data)
    if not n:
        return _plain("", "utf-8", 1.0, "empty")
    _reject_signature(data)
    got = _decode_bom(data)
    if got is not None:
        return got
    nul = data.find(b"\x00")
    if nul >= 0:
        got = _decode_wide(data, limits, with_nul=True)
        if got is not None:
            return got
        count = data.count(b"\x00", 0, limits.sample_bytes)
        raise BinaryInputError(
            f"input has NUL bytes (first at offset {nul}, {count} in the first "
            f"{min(n, limits.sample_bytes)} bytes) and does not read as UTF-16/32 text: binary data?"
        )
    sample = data[: limits.sample_bytes]
    got = _decode_iso2022(data, sample)  # before the control bytes: ISO-2022-KR shifts with SO/SI
    if got is not None:
        return got
    controls = _control_count(sample)
    if controls:
        # Control bytes are rare in text but common in BOM-less UTF-16 (low bytes 01-1F).
        got = _decode_wide(data, limits, with_nul=False)
        if got is not None:
            return got
        if controls >= _CONTROL_MIN_COUNT and controls > _CONTROL_SHARE_MAX * len(sample):
            raise BinaryInputError(
                f"input has {controls} control bytes in its first {len(sample)} bytes "
                f"(more than {_CONTROL_SHARE_MAX:.0%}): binary data, not text"
            )
    if data.isascii():
        return _plain(data.decode("ascii"), "utf-8", 1.0, "utf-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        return _short_utf8_alternative(data, text, limits) or _plain(text, "utf-8", 1.0, "utf-8")
    got = _decode_fast_legacy(data, _sample(data, limits))
    if got is not None:
        return got
    got = _decode_utf8_lenient(data, first_bad, limits)
    if got is not None:
        return got
    got = _decode_wide(data, limits, with_nul=False)
    if got is not None:
        return got
    return _decode_legacy(data, limits)
