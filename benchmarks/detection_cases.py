"""Hard inputs for the decoder's detection-accuracy benchmark (``bench_decode.py``).

Every case is text that plain ``chardet.detect`` is known to get wrong often (DESIGN.md §5):
documents of a few characters, advert header snippets, BOM-less UTF-16, Big5, GBK that is mostly
English, Chinese after a long ASCII preamble, and GBK/Big5/UTF-8 with one damaged character. The
Chinese comes from the dev corpus (expected files, advert texts of the manifest); Big5 text is
converted to Traditional with OpenCC, skipping strings Big5 cannot encode. Generation is seeded,
so the suite is the same on every run.
"""

from __future__ import annotations

import json
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
    """One input: its kind, the bytes, the text they must decode to, and the true codec.

    For damaged inputs the text is the original with the damaged character as one U+FFFD.
    """

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


def _advert_texts(corpus: Path) -> list[str]:
    texts: set[str] = set()
    for line in (corpus / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        for ad in json.loads(line)["ads"]:
            text = ad["text"].strip()
            if _HANZI_RUN.search(text) and "\n" not in text:
                texts.add(text)
    return sorted(texts)


def _damaged(text: str, codec: str, rng: random.Random) -> tuple[bytes, str]:
    """``text`` encoded with the first byte of one of its middle hanzi replaced by ``0xFF``."""
    spots = [i for i, ch in enumerate(text) if "\u4e00" <= ch <= "\u9fff"]
    spot = spots[len(spots) // 4 + rng.randrange(max(1, len(spots) // 2))]
    head = text[:spot].encode(codec)
    data = head + b"\xff" + text[spot:].encode(codec)[1:]
    return data, text[:spot] + "\ufffd" + text[spot + 1 :]


def build_cases(corpus: Path = CORPUS_DEV, seed: int = 20260101) -> list[Case]:
    """About 200 seeded hard cases across the kinds listed in the module docstring."""
    rng = random.Random(seed)
    lines = _corpus_lines(corpus)
    adverts = _advert_texts(corpus)
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
    for _ in range(15):
        add("short-gbk-2-3", short(rng.randint(2, 3)), "gbk")
    made = 0
    while made < 15:
        made += add("short-big5-2-3", s2t.convert(short(rng.randint(2, 3))), "big5")
    for advert in rng.sample(adverts, 15):
        add("advert-gbk", advert, "gbk")
    made = 0
    for advert in rng.sample(adverts, len(adverts)):
        made += add("advert-big5", s2t.convert(advert), "big5")
        if made == 15:
            break
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
    for codec in ("utf-8", "gbk", "big5"):
        made = 0
        while made < 10:
            text = "\n".join(rng.sample(prose, rng.randint(1, 6)))
            text = s2t.convert(text) if codec == "big5" else text
            if _encodes(text, codec):
                data, damaged = _damaged(text, codec, rng)
                cases.append(Case(f"damaged-{codec}", data, damaged, codec))
                made += 1
    return cases


def corrupt(case: Case, rng: random.Random) -> bytes:
    """The case's bytes with one byte replaced by an invalid one (``0xFF``) in its middle."""
    data = bytearray(case.data)
    data[rng.randrange(len(data) // 4, max(len(data) // 4 + 1, 3 * len(data) // 4))] = 0xFF
    return bytes(data)


__all__ = ["CORPUS_DEV", "Case", "build_cases", "corrupt"]
