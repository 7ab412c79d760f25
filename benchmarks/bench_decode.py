"""Decoder benchmark: detection accuracy on hard inputs, then throughput on 10 MB documents.

Run: ``.venv/bin/python benchmarks/bench_decode.py`` (from the repository root). Prints
(a) exact-text accuracy of ``cleantext.decode.decode`` vs plain ``chardet.detect`` on the seeded
hard cases of ``detection_cases.py``, per kind, plus how often one-byte-corrupted copies still
decode to a usable, exactly restorable text; (b) MB/s for 10 MB UTF-8, GBK, Big5 and UTF-16-LE,
next to the bare codec; (c) µs per call on 0.5-1.5 KB GBK and Big5 documents (dev-corpus slices)
for ``decode()``, ``Cleaner.clean_bytes`` and plain ``chardet.detect``, measured in the same run,
with the detector that decided (``gb-big5-frequency`` is the fast path, which never calls chardet);
(d) how many short Japanese, Korean and European legacy-codec texts decode exactly and are flagged
``not_chinese``.
"""

from __future__ import annotations

import collections
import random
import re
import time
from collections.abc import Callable

import chardet
import opencc
from detection_cases import CORPUS_DEV, Case, build_cases, corrupt

from cleantext import Cleaner
from cleantext.decode import decode
from cleantext.errors import CleantextError

TEN_MB = 10 * 1024 * 1024
_FFFD_RUNS = re.compile("\ufffd+")


def ours(data: bytes) -> str | None:
    try:
        return decode(data).text
    except CleantextError:
        return None


def chardet_alone(data: bytes) -> str | None:
    """Plain ``chardet.detect`` then decode, generously: bad bytes replaced, runs of U+FFFD as one."""
    name = chardet.detect(data)["encoding"]
    if name is None:
        return None
    try:
        return _FFFD_RUNS.sub("\ufffd", data.decode(name, "replace"))
    except LookupError:
        return None


def accuracy(cases: list[Case]) -> None:
    per_kind: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])
    misses: list[str] = []
    for case in cases:
        row = per_kind[case.kind]
        row[0] += 1
        got = ours(case.data)
        row[1] += got == case.text
        row[2] += chardet_alone(case.data) == case.text
        if got != case.text:
            misses.append(f"  miss {case.kind} {case.codec}: {case.text[:24]!r} -> {(got or '')[:24]!r}")
    total = [sum(r[i] for r in per_kind.values()) for i in range(3)]
    print(f"(a) detection, exact text, {total[0]} hard cases")
    print(f"    {'kind':<24} {'n':>4} {'ours':>6} {'chardet':>8}")
    for kind, (n, a, b) in sorted(per_kind.items()):
        print(f"    {kind:<24} {n:>4} {a:>6} {b:>8}")
    print(
        f"    {'TOTAL':<24} {total[0]:>4} {total[1]:>6} {total[2]:>8}"
        f"   ours {total[1] / total[0]:.1%}, chardet alone {total[2] / total[0]:.1%}"
    )
    for line in misses:
        print(line)

    rng = random.Random(7)
    usable = exact = n = 0
    for case in cases:
        if len(case.data) < 8 or case.codec.startswith("utf-16") or case.kind.startswith("damaged"):
            continue
        data = corrupt(case, rng)
        n += 1
        try:
            res = decode(data)
        except CleantextError:
            continue
        exact += res.encoding.encode(res.text, res.patches) == data
        # usable: at most one character of the original text lost or damaged
        usable += len(res.text) >= len(case.text) - 1 and _shared(res.text, case.text) >= len(case.text) - 2
    print(f"    one corrupted byte: {usable}/{n} usable, {exact}/{n} restore byte-exact")


def _shared(a: str, b: str) -> int:
    """Characters common to ``a`` and ``b`` at the start plus at the end (a cheap alignment)."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head + tail


def _big_text() -> str:
    parts: list[str] = []
    size = 0
    for path in sorted((CORPUS_DEV / "cases").glob("*.expected.txt")):
        text = path.read_text(encoding="utf-8")
        parts.append(text)
        size += len(text.encode("utf-8"))
        if size > TEN_MB:
            break
    return "".join(parts)


def _fit(text: str, codec: str) -> bytes:
    """``text`` encoded, lines the codec cannot encode dropped, repeated to ~10 MB."""
    lines: list[bytes] = []
    for line in text.split("\n"):
        try:
            lines.append(line.encode(codec) + "\n".encode(codec))
        except UnicodeEncodeError:
            continue
    block = b"".join(lines)
    return (block * (TEN_MB // len(block) + 1))[:TEN_MB].rsplit("\n".encode(codec), 1)[0]


def _best(fn: Callable[[], object], repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def throughput() -> None:
    text = _big_text()
    trad = opencc.OpenCC("s2t").convert(text[: len(text) // 2])
    inputs = {
        "utf-8": (_fit(text, "utf-8"), "utf-8"),
        "gbk": (_fit(text, "gbk"), "gb18030"),
        "big5": (_fit(trad, "big5"), "big5"),
        "utf-16-le": (_fit(text, "utf-16-le"), "utf-16-le"),
    }
    print("(b) throughput, best of 5")
    print(f"    {'input':<10} {'MB':>6} {'decode()':>10} {'bare codec':>11} {'ratio':>6}  detector / codec")
    for label, (data, codec) in inputs.items():
        res = decode(data)
        assert res.encoding.encode(res.text, res.patches) == data
        ours_s = _best(lambda data=data: decode(data))
        bare_s = _best(lambda data=data, codec=codec: data.decode(codec))
        mb = len(data) / 1e6
        print(
            f"    {label:<10} {mb:>6.1f} {mb / ours_s:>7.0f} MB/s {mb / bare_s:>7.0f} MB/s "
            f"{ours_s / bare_s:>5.2f}x  {res.encoding.detector} / {res.encoding.name}"
        )
    small = [case.data for case in build_cases()[:50]]
    per_call = _best(lambda: [decode(d) for d in small]) / len(small)
    print(f"    short legacy/UTF inputs: {per_call * 1e6:.0f} µs per call (50 hard cases)")


def _small_documents(codec: str, count: int = 300, seed: int = 10) -> list[bytes]:
    """``count`` slices of dev-corpus documents, 0.5-1.5 KB once encoded (Big5: OpenCC s2t)."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in sorted((CORPUS_DEV / "cases").glob("*.expected.txt"))]
    s2t = opencc.OpenCC("s2t") if codec == "big5" else None
    docs: list[bytes] = []
    while len(docs) < count:
        text = rng.choice(texts)
        size = rng.randint(250, 750)  # characters: ~2 bytes each in GBK/Big5
        if len(text) < size:
            continue
        start = rng.randrange(len(text) - size + 1)
        piece = text[start : start + size]
        try:
            data = (s2t.convert(piece) if s2t else piece).encode(codec)
        except UnicodeEncodeError:
            continue
        if 500 <= len(data) <= 1500:
            docs.append(data)
    return docs


def fast_path() -> None:
    """Per-call cost of small legacy documents against ``chardet.detect`` in the same run."""
    cleaner = Cleaner()
    print("(c) fast path, small documents (0.5-1.5 KB), best of 3, µs per call")
    head = f"{'input':<10} {'n':>4} {'decode()':>9} {'clean_bytes':>12} {'chardet':>8} {'decode/chardet':>15}"
    print(f"    {head}  detectors")
    for codec in ("gbk", "big5"):
        docs = _small_documents(codec)
        detectors = collections.Counter(decode(d).encoding.detector for d in docs)
        ours_s = _best(lambda docs=docs: [decode(d) for d in docs], 3) / len(docs)
        clean_s = _best(lambda docs=docs: [cleaner.clean_bytes(d) for d in docs], 3) / len(docs)
        chardet_s = _best(lambda docs=docs: [chardet.detect(d) for d in docs], 3) / len(docs)
        shown = ", ".join(f"{k} {v}" for k, v in detectors.most_common())
        print(
            f"    {codec:<10} {len(docs):>4} {ours_s * 1e6:>9.0f} {clean_s * 1e6:>12.0f} {chardet_s * 1e6:>8.0f} "
            f"{ours_s / chardet_s:>14.2f}x  {shown}"
        )


_NOT_CHINESE: tuple[tuple[str, str], ...] = (
    ("吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。\n", "shift_jis"),
    ("東京都は、新型ウイルスの感染者が増えていると発表しました。\n", "euc_jp"),
    ("東京都は、新型ウイルスの感染者が増えていると発表しました。\n", "iso2022_jp"),
    ("오늘은 날씨가 아주 좋습니다. 우리는 공원에 가서 산책을 했어요.\n", "euc_kr"),
    ("Die Größe des Gebäudes überraschte uns. „Schön“, sagte er – und ging.\n", "cp1252"),
    ("Les élèves étudient à l'école. Très bien, café crème.\n", "latin-1"),
    ("Zażółć gęślą jaźń. Pchnąć w tę łódź jeża lub ośm skrzyń fig.\n", "cp1250"),
    ("Merhaba dünya, bu Türkçe bir deneme metnidir. Güzel şeyler.\n", "cp1254"),
    ("Съешь же ещё этих мягких французских булок, да выпей чаю.\n", "koi8_r"),
    ("Καλημέρα σας, αυτό είναι ένα δοκιμαστικό κείμενο στα ελληνικά.\n", "cp1253"),
    ("שלום עולם, זהו טקסט לדוגמה בעברית עם כמה מילים.\n", "cp1255"),
    ("Ciao, è già ora di andare. Perché no?\n", "latin-1"),  # chardet names MacCyrillic
    ("สวัสดีครับ นี่คือข้อความภาษาไทยสำหรับทดสอบ\n", "cp874"),  # no script check for Thai yet
)


def not_chinese() -> None:
    """Short texts in non-Chinese legacy codecs: decoded exactly and flagged (rules skipped)?"""
    exact = flagged = 0
    misses = []
    for text, codec in _NOT_CHINESE:
        res = decode(text.encode(codec))
        exact += res.text == text
        flagged += res.not_chinese is not None
        if res.text != text:
            misses.append(f"  miss {codec}: {text[:16]!r} -> {res.encoding.name} {res.text[:16]!r}")
    print(f"(d) text that is not Chinese, {len(_NOT_CHINESE)} short legacy texts: {exact} exact, {flagged} flagged")
    for line in misses:
        print(line)


def main() -> None:
    decode("预热".encode("gbk"))  # chardet loads its models on the first call
    accuracy(build_cases())
    throughput()
    fast_path()
    not_chinese()


if __name__ == "__main__":
    main()
