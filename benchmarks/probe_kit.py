"""Shared machinery of the probe benchmarks (issue 9): put a hand-written line into a body, clean
it, and say whether the line went and the body stayed.

``bench_chrome_probes.py`` (web chrome around a plain notice) and ``bench_family_probes.py``
(advert families around real dev bodies) both read a TSV of probes and use :func:`outcome` for a
probe put alone on its own line and :func:`splice_outcome` for a span glued into a body sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cleantext.engine import Cleaner

LINE_BREAK = "⏎"
"""Marks a line break inside one probe (a block of lines with no blank line between them)."""


def read_tsv(path: Path, columns: int = 3) -> list[tuple[str, ...]]:
    """Rows of a probe file: tab-separated, ``#`` comments and blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [tuple(raw.split("\t", columns - 1)) for raw in lines if raw.strip() and not raw.startswith("#")]


def document(probe: str, body: Sequence[str], where: str) -> str:
    """The body's paragraphs with the probe as a paragraph of its own at the head, in the tail or
    between the body's fourth and fifth paragraph."""
    block = probe.replace(LINE_BREAK, "\n")
    if where == "head":
        lines = [block, *body]
    elif where == "tail":
        lines = [*body, block]
    else:
        lines = [*body[:4], block, *body[4:]]
    return "\n\n".join(lines) + "\n"


def _intact(text: str, body: Sequence[str]) -> bool:
    """Every body paragraph is still there, verbatim and in order."""
    out = [x.strip() for x in text.splitlines() if x.strip()]
    it = iter(out)
    return all(any(b.strip() == o for o in it) for b in body)


def outcome(cleaner: Cleaner, probe: str, body: Sequence[str], where: str) -> tuple[bool, bool, str]:
    """(every line of the probe removed, body intact, the rules that took probe lines)."""
    res = cleaner.clean_text(document(probe, body, where))
    out = {x.strip() for x in res.text.splitlines()}
    parts = [p.strip() for p in probe.split(LINE_BREAK) if p.strip()]
    rules = ",".join(sorted({r.rule for r in res.report.removals if r.text.strip() in parts}))
    return not any(p in out for p in parts), _intact(res.text, body), rules


def _cut(para: str, where: str) -> int:
    """Where a span goes inside a paragraph: ``front`` (glued to its first word), ``sentence``
    (glued to the first word of its second sentence), ``comma`` (right before its first comma) or
    ``cjk`` (between two Han characters in the middle of its first clause)."""
    if where == "front":
        return 0
    if where == "sentence":
        return next((k + 1 for k, ch in enumerate(para[:-1]) if ch in "。！？"), 0)
    comma = next((k for k, ch in enumerate(para) if ch in "，,；;" and k > 4), len(para) // 2)
    if where == "comma":
        return comma
    k = comma // 2
    while k < comma and not ("\u4e00" <= para[k - 1] <= "\u9fff" and "\u4e00" <= para[k] <= "\u9fff"):
        k += 1
    return k


def splice_document(span: str, body: Sequence[str], where: str) -> tuple[str, int]:
    """The body with the span put into its fourth paragraph (see :func:`_cut` for ``where``);
    returns the text and the paragraph's index."""
    i = min(3, len(body) - 1)
    para = body[i]
    cut = _cut(para, where)
    lines = [*body[:i], para[:cut] + span + para[cut:], *body[i + 1:]]
    return "\n\n".join(lines) + "\n", i


def cut_into(cleaner: Cleaner, span: str, body: Sequence[str], where: str) -> bool:
    """Whether cleaning the spliced document took characters of the body sentence the span was put
    into (an over-cut: worse than leaving the span, which only leaves junk)."""
    text, i = splice_document(span, body, where)
    out = [x for x in cleaner.clean_text(text).text.splitlines() if x.strip()]
    rest = iter(out[i] if i < len(out) else "")
    return not all(ch in rest for ch in body[i])


def splice_outcome(cleaner: Cleaner, span: str, body: Sequence[str], where: str) -> tuple[bool, bool, str]:
    """(the span removed and the sentence joined again byte-identical, the other paragraphs intact,
    the rules that removed something)."""
    text, i = splice_document(span, body, where)
    res = cleaner.clean_text(text)
    out = [x.strip() for x in res.text.splitlines() if x.strip()]
    rules = ",".join(sorted({r.rule for r in res.report.removals}))
    others = [b for k, b in enumerate(body) if k != i]
    return body[i].strip() in out, _intact(res.text, others), rules


LINE_WHERE = ("head", "tail", "between")
SPLICE_WHERE = ("front", "sentence", "comma", "cjk")
ALL_WHERE = LINE_WHERE + SPLICE_WHERE
"""Every position a probe can be put at: on a line of its own (:func:`document`) or glued into a body
sentence (:func:`splice_document`)."""


def _subsequence(needle: str, hay: str) -> bool:
    rest = iter(hay)
    return all(ch in rest for ch in needle)


def body_lost(cleaner: Cleaner, probe: str, body: Sequence[str], where: str) -> list[str]:
    """The rules that took body text when ``probe`` was put at ``where`` (any of :data:`ALL_WHERE`),
    empty when every body character is still there in order. A rule is named when one of its removals
    is not a piece of the probe (it reached past the advert into the body); ``?`` when none is."""
    if where in LINE_WHERE:
        text = document(probe, body, where)
    else:
        text = splice_document(probe.replace(LINE_BREAK, "\n"), body, where)[0]
    res = cleaner.clean_text(text)
    squeeze = "".join
    if _subsequence(squeeze("".join(body).split()), squeeze(res.text.split())):
        return []
    block = probe.replace(LINE_BREAK, "\n")
    rules = sorted({r.rule for r in res.report.removals if r.text.strip() and r.text.strip() not in block})
    return rules or ["?"]
