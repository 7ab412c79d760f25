"""Line templates: a short line's shadow with numbers, dates, domains and IDs abstracted, the
slot patterns they turn into, and the shapes that repeat across documents but are body."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import regex

DEFAULT_MAX_TEMPLATES = 50_000
"""Templates tracked at once. Most lines of a corpus are unique; each tracked template costs a few
hundred bytes, so the table stays in the tens of MB whatever the corpus size."""

MAX_LINE_CHARS = 100
"""Longer lines are prose, never furniture lines worth a rule; they are not counted."""

CHUNK_DOCS = 64
"""Documents per unit of work: big enough that pickling a chunk's counts costs little next to
cleaning it, small enough that the merged table is pruned often."""

MAX_SOURCES = 256
"""Distinct documents remembered per template (see ``_signature``); past this a template is
plainly cross-document and only its raw document count grows."""

MAX_EXAMPLES = 3
MAX_SLOT_VALUES = 8
BODY_SAMPLE = 200
"""Body lines kept as ``no_match`` material (the first ones met, so runs are reproducible)."""

SLOT_REGEX: Mapping[str, str] = {
    "DATE": r"\d{2,4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月(?:\d{1,2}日)?)(?:[^\S\n]*\d{1,2}:\d{2}(?::\d{2})?)?",
    "URL": (
        r"(?:[A-Za-z]{3,5}://)?(?:[A-Za-z0-9-]+\.)+"
        r"(?:com|cn|net|org|edu|gov|info|top|cc|io|me|tv|xyz|vip|club|site|wang|co|biz|ink|pub|ltd|tech"
        r"|online|shop|hk|tw)(?![A-Za-z0-9])(?:/[A-Za-z0-9_./?=&%#+~-]*)?"
    ),
    "NUM": r"\d+",
}
"""What each abstracted slot matches in a pattern: the same expression that found it (NUM's ``\\d``
is a superset of the ``[0-9]`` found), so a rule always matches the lines it was mined from."""

_TOKEN = regex.compile(
    rf"(?P<DATE>{SLOT_REGEX['DATE']})|(?P<URL>{SLOT_REGEX['URL']})|(?P<ALNUM>[A-Za-z0-9]+)|(?P<SPACE>[^\S\n]+)"
)
_SLOT = "\x00"
"""Marks a slot in a template's parts (``"\\x00NUM"``); shadows never contain NUL after strip."""

_TEXTY = regex.compile(r"[\p{Han}A-Za-z0-9]")
_WORDY = regex.compile(r"[\p{Han}A-Za-z]")
_PAGE_LINE = regex.compile(
    r"^[^\S\n]*(?:第[^\S\n]*\d+[^\S\n]*页.*|-[^\S\n]*\d+[^\S\n]*-|\d+[^\S\n]*/[^\S\n]*\d+)[^\S\n]*$"
)
"""A page counter or page number line: a page break sits there."""

# Shapes that repeat across documents and are body all the same (checked on a line's shadow,
# where ：！（ are folded to :!( ).
_BODY_SHAPES: tuple[tuple[str, regex.Pattern[str]], ...] = (
    ("an article number (第…条)", regex.compile(r"^第[\s\d一二三四五六七八九十百千零〇两]+[条款项]")),
    ("a heading", regex.compile(
        r"^(?:#{1,6}\s|第[\s\d一二三四五六七八九十百千零〇两]+[章节编部分篇卷回]|[一二三四五六七八九十百]+[、.]"
        r"|\(?[\d一二三四五六七八九十]+\)|\d{1,3}[、.)]|[-*+]\s|(?:总则|附则|目录|前言|序言|结语|引言)$)")),
    ("a closing (谢谢大家！)", regex.compile(
        r"^(?:谢谢|感谢|多谢|此致|敬礼|以上|再见|特此|祝(?:大家|各位|您|你们|全体))")),
    ("a legal or official formula", regex.compile(
        r"(?:自.{0,24}起施行|施行。?$|现予公布|现予发布|遵照执行|贯彻执行|贯彻落实|印发给你们|^附件|^根据《|^为了.{0,30},制定"
        r"|令第[\d一二三四五六七八九十百千零〇]+号|^\d{2,4}年.{0,60}(?:通过|公布|发布|施行|批准|修订|修正|废止)"
        r"|(?:会议|委员会).{0,30}(?:通过|批准|修订|修正)|[〔\[]\d{4}[〕\]][^\S\n]*\d+[^\S\n]*号)")),
    ("a title", regex.compile(
        r"(?:讲话|致辞|发言|通知|通报|公告|决定|决议|办法|意见|报告|方案|条例|规定|细则|纲要|计划|规划|总结|批复"
        r"|倡议书|说明|公报)(?:\(.{0,24}\)|\s*)$")),
    ("a dateline (时间：2026-02-02)", regex.compile(
        r"^(?:时间|日期|发布时间|发布日期|成文日期|发文日期|印发日期)[^\S\n]*:?[^\S\n]*\d{2,4}[-/.年]")),
    ("a salutation (同志们：)", regex.compile(
        r"^(?:[^:]{0,16}(?:同志|领导|各位|尊敬|朋友|大家|代表|来宾|老师|同学|女士|先生|亲爱|你们|您好)[^:]{0,8}"
        r"|[\p{Han}、 ]{1,12}):$")),
)

Position = Literal["head", "body", "tail", "edge", "near_break", "near_removed", "among_body", "prose", "signal",
                   "placed", "removed"]
_POS: tuple[Position, ...] = ("head", "body", "tail", "edge", "near_break", "near_removed", "among_body", "prose",
                              "signal", "placed", "removed")
_P: dict[str, int] = {name: i for i, name in enumerate(_POS)}


def template_parts(sh: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Parts of a stripped line shadow (literals, ``" "`` for in-line space, ``"\\x00KIND"`` for
    slots) and the slot values, in order.

    >>> template_parts("阅读次数:1234 来源 www.abc.com")
    (('阅读次数:', '\\x00NUM', ' ', '来源', ' ', '\\x00URL'), ('1234', 'www.abc.com'))
    >>> template_parts("QQ群 ab12cd34ef")[0]
    ('QQ', '群', ' ', '\\x00ID')
    """
    parts: list[str] = []
    values: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(sh):
        if m.start() > pos:
            parts.append(sh[pos : m.start()])
        kind = m.lastgroup
        tok = m.group()
        if kind == "SPACE":
            parts.append(" ")
        elif kind == "ALNUM":
            if tok.isdigit():
                parts.append(_SLOT + "NUM")
                values.append(tok)
            elif len(tok) >= 5 and not tok.isalpha():
                parts.append(_SLOT + "ID")
                values.append(tok)
            else:
                parts.append(tok)
        else:
            parts.append(_SLOT + str(kind))
            values.append(tok)
        pos = m.end()
    if pos < len(sh):
        parts.append(sh[pos:])
    return tuple(parts), tuple(values)


def render_template(parts: Sequence[str]) -> str:
    return "".join(f"<{p[1:]}>" if p.startswith(_SLOT) else p for p in parts)
