"""What one line looks like, alone: the shallow shape features the scores weigh (length, scripts,
punctuation, ``label：value``, 【tag】, separators, menus, dates…), the lines the scores never take
(structure, salutations, titles, citations, prose) and the shapes a line needs more signals for before
it is evidence by itself. Split from ``features.py``, which adds the signals, position and neighbours."""

from __future__ import annotations

import re
from functools import lru_cache

from .lines import STRUCTURE as _STRUCTURE
from .segment import SENTENCE_END

PUNCT = frozenset("，。、；：！？,.;:!?…“”「」（）()《》【】")
_SALUTATION = re.compile(r"^[^\s:：]{1,12}(?:们|代表|同事|同学|朋友|领导|来宾|女士|先生)[^\s:：]{0,6}[:：]$")
_LABEL_VALUE = re.compile(r"^[^\s:：]{1,8}\s*[:：]\s*\S")
_LABEL_ONLY = re.compile(r"^[^\s:：]{1,12}\s*[:：]$")
_TAG = re.compile(r"^[【\[〖][^】\]〗]{1,24}[】\]〗]")
_SEPARATORS = re.compile(r"[|¦>›»→/·•]|->|--")
_RULE_LINE = re.compile(r"^[\s=\-_*~—…#.·+<>]{5,}$")
_DATE = re.compile(r"\d{4}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}|\d{1,2}:\d{2}")
_BULLET = re.compile(r"^[•·●▪►◆◇★☆✓✔※→»\-*+]\s?|^[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_TITLE = re.compile(
    r"(?:报告|总结|讲话|发言|方案|通知|意见|办法|规定|条例|决定|计划|纲要|章程|规划|细则|制度|要点|公告|通报|批复|纪要"
    r"|主持词|致辞|讲稿|心得|体会|汇报|材料|法|草案\)|解释|指引|标准|守则|公约|协议|合同|说明书|范文|发言稿|演讲稿)$"
)
_CITATION = re.compile(r"^(?:——|—|--)?\s*(?:出自|选自|引自)\s*《[^》]{1,30}》\S{0,10}$")
_COUNT_PAREN = re.compile(r"[(（]\d{1,6}[)）]$")
_PINYIN = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}[)）]")
_CAPS = re.compile(r"[A-Z]{3,}\s+[A-Z]{3,}")
_CJK = re.compile(r"[\u3400-\u9fff]")
DIGIT = re.compile(r"\d")
_LATIN = re.compile(r"[a-zA-Z]")


def _bucket(n: int) -> str:
    if n <= 4:
        return "len.1-4"
    if n <= 12:
        return "len.5-12"
    if n <= 24:
        return "len.13-24"
    if n <= 50:
        return "len.25-50"
    if n <= 100:
        return "len.51-100"
    return "len.100+"


_LONG_PROSE_END = (*SENTENCE_END, *"；;：:～~")
"""A long line may also end at a clause, before a list (…具有下列情形之一的：) or with a tilde."""


def is_protected(s: str) -> bool:
    """Structure lines, salutations, document titles (ending in 报告, 总结, 办法…) and citations
    (出自《论语》) are body whatever fires on them."""
    return bool(_STRUCTURE.match(s) or _SALUTATION.match(s) or _TITLE.search(s) or _CITATION.match(s))


def reads_as_prose(s: str, max_prose_chars: int) -> bool:
    """A sentence: ends with a Chinese full stop, question or exclamation mark, or a closing quote
    (furniture rarely does, and the precise rules cover the boilerplate that does), or is long and
    ends like a sentence in any script."""
    if s.endswith(("。", "？", "！", "”", "」")):
        return True
    return len(s) >= max_prose_chars and s.endswith(_LONG_PROSE_END)


def shape_features(s: str) -> list[str]:
    """Features of one stripped line's shadow, alone."""
    out = [_bucket(len(s))]
    if s.endswith(SENTENCE_END):
        out.append("end.sentence")
    elif s.endswith((":", "：")):
        out.append("end.colon")
    elif s.endswith((",", "，", "、")):
        out.append("end.comma")
    if PUNCT.isdisjoint(s):
        out.append("punct.none")
    if s.count("。") >= 2:
        out.append("punct.fullstops")
    nonspace = len(s) - s.count(" ")
    if nonspace:
        cjk = len(_CJK.findall(s)) / nonspace
        out.append("cjk.low" if cjk < 0.3 else "cjk.high" if cjk > 0.8 else "cjk.mid")
        if len(DIGIT.findall(s)) / nonspace >= 0.3:
            out.append("digits.many")
        if len(_LATIN.findall(s)) / nonspace >= 0.4:
            out.append("latin.many")
    if _LABEL_VALUE.match(s):
        out.append("shape.label-value")
    if _LABEL_ONLY.match(s):
        out.append("shape.label-only")
    if _TAG.match(s):
        out.append("shape.tag")
    if len(_SEPARATORS.findall(s)) >= 2:
        out.append("shape.separators")
    if _RULE_LINE.match(s):
        out.append("shape.rule-line")
    if _DATE.search(s):
        out.append("shape.date")
    if _BULLET.match(s):
        out.append("shape.bullet")
    tokens = s.split()
    if len(tokens) >= 3 and all(len(t) <= 6 for t in tokens) and PUNCT.isdisjoint(s):
        out.append("shape.menu")
    if is_protected(s):
        out.append("shape.structure")
    if _TITLE.search(s):
        out.append("shape.title-word")
    if _COUNT_PAREN.search(s):
        out.append("shape.count-paren")
    if _PINYIN.search(s):
        out.append("shape.pinyin-gloss")
    if _CAPS.search(s):
        out.append("shape.caps-words")
    return out


@lru_cache(maxsize=1 << 14)
def shape_cached(s: str) -> tuple[str, ...]:
    """``shape_features``, remembered: each pass of a document scores mostly the same lines."""
    return tuple(shape_features(s))


_FACT = re.compile(
    r"^[^\s:：]{1,10}\s*[:：]\s*(?:第\s*)?\d[\d\s.,/\-]*[\u4e00-\u9fff%]{0,3}(?:[\s\u3000]|$)"
)
"""A label and a figure: a statistic (年访问量：120万人次), a phone number (咨询电话：0755-…), a page
reference (答案：第3页): a record of a fact, which a body has at least as often as a page does."""
_ASIDE = re.compile(r"^(?!.*\d)(?:[(（][^()（）]{1,30}[)）]|[【〖\[][^】〗\]]{1,12}[】〗\]])$")
"""A line that is one bracket of words: an editor's note (（此页无正文）, （续表）) or a section tag of a
textbook or a report (【知识链接】, 【案例分析】); reseller tags that are furniture carry the words rules
know, and a bracket with a number in it ((第2/3页)) is a counter."""


def signals_to_stand_alone(s: str) -> int:
    """How many signals a stripped shadow line needs to be evidence by itself, by its shape: a line
    that is a fact (:data:`_FACT`) or an aside (:data:`_ASIDE`) three (下载积分: 1500 内容提示: is
    furniture by its words alone, whatever its shape), any other line one. A body's own short first
    line earns some four points for its place alone: one weak word must not do the rest."""
    return 3 if _FACT.match(s) or _ASIDE.match(s) else 1


__all__ = [
    "DIGIT", "PUNCT", "is_protected", "reads_as_prose", "shape_cached", "shape_features", "signals_to_stand_alone",
]
