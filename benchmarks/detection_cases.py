"""Hard inputs for the decoder's detection-accuracy benchmark (``bench_decode.py``).

Every case is text that plain ``chardet.detect`` is known to get wrong often (DESIGN.md §5):
documents of a few characters, BOM-less UTF-16, Big5, GBK that is mostly English, Chinese after
a long ASCII preamble. The Chinese comes from the dev corpus' expected files; Big5 text is
converted to Traditional with OpenCC, skipping strings Big5 cannot encode. Generation is seeded,
so the suite is the same on every run.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import opencc

CORPUS_DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev"

_HANZI_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_PROSE_LINE = re.compile(r"^[\u4e00-\u9fff，。、；：？！“”（）《》0-9]{12,80}$")


@dataclass(frozen=True, slots=True)
class Case:
    """One input: its kind, the bytes, the text they must decode to, and the true codec."""

    kind: str
    data: bytes
    text: str
    codec: str


def _corpus_lines(corpus: Path) -> list[str]:
    lines: list[str] = []
    for path in sorted((corpus / "cases").glob("*.expected.txt")):
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").split("\n"))
    return [line for line in lines if line]


def _encodes(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def build_cases(corpus: Path = CORPUS_DEV, seed: int = 20260101) -> list[Case]:
    """About 140 seeded hard cases across the kinds listed in the module docstring."""
    rng = random.Random(seed)
    lines = _corpus_lines(corpus)
    runs = sorted({m.group() for line in lines for m in _HANZI_RUN.finditer(line)})
    prose = sorted({line for line in lines if _PROSE_LINE.match(line)})
    s2t = opencc.OpenCC("s2t")
    cases: list[Case] = []

    def short(k: int) -> str:
        while True:
            run = rng.choice(runs)
            if len(run) >= k:
                start = rng.randrange(len(run) - k + 1)
                return run[start : start + k]

    def add(kind: str, text: str, codec: str) -> bool:
        if not _encodes(text, codec):
            return False
        cases.append(Case(kind, text.encode(codec), text, codec))
        return True

    for _ in range(25):
        add("short-gbk", short(rng.randint(2, 12)), "gbk")
    made = 0
    while made < 25:
        made += add("short-big5", s2t.convert(short(rng.randint(2, 12))), "big5")
    for _ in range(15):
        add("short-utf8", short(rng.randint(2, 12)), "utf-8")
    for codec in ("utf-16-le", "utf-16-be"):
        for _ in range(10):
            add(f"utf16-nobom-{codec[-2:]}", "\n".join(rng.sample(prose, rng.randint(1, 4))), codec)
        for _ in range(5):
            add(f"utf16-nobom-short-{codec[-2:]}", short(rng.randint(2, 12)), codec)
    made = 0
    while made < 15:
        made += add("big5-text", s2t.convert("\n".join(rng.sample(prose, rng.randint(2, 8)))), "big5")
    english = (
        "This report was prepared for the annual meeting. All figures are preliminary and subject "
        "to revision. Contact the office for the full tables and the methodology appendix.\n"
    )
    for _ in range(15):
        body = english * rng.randint(3, 30)
        cut = rng.randrange(len(body))
        add("gbk-mostly-english", body[:cut] + short(rng.randint(2, 6)) + body[cut:], "gbk")
    preamble = "".join(f"# line {i}: ascii preamble, config = value_{i}\n" for i in range(2000))
    for _ in range(10):
        add(
            "ascii-preamble-gbk",
            preamble[: rng.randint(60_000, 80_000)] + "\n".join(rng.sample(prose, 3)),
            rng.choice(["gbk", "gb18030"]),
        )
    return cases


def corrupt(case: Case, rng: random.Random) -> bytes:
    """The case's bytes with one byte replaced by an invalid one (``0xFF``) in its middle."""
    data = bytearray(case.data)
    data[rng.randrange(len(data) // 4, max(len(data) // 4 + 1, 3 * len(data) // 4))] = 0xFF
    return bytes(data)


__all__ = ["CORPUS_DEV", "Case", "build_cases", "corrupt"]
