"""A digest of every report the cleaner gives on the corpora and fixtures: speed work must not move it.

Run: ``.venv/bin/python benchmarks/report_digest.py OUT.tsv`` from the repository root, before and after
a change, then ``diff`` the two files (one line per document: name, then the SHA-256 of its
``Report.to_json()`` and clean text; the last line digests them all).

Documents: every ``cases/*.in`` of ``../shared/corpus/dev`` and ``dev2`` (``clean_bytes``), the raw
inputs and the pack fixtures under ``fixtures/``, each built-in rule's examples alone and inside
prose, the web-chrome probe lines one by one and per kind, the small GBK slices and a 2 MB document of
``bench_speed.py``, dev documents rewritten with CRLF and lone-CR line ends, and dev documents cleaned
with ``only=`` a few rules. ``--full DIR`` also writes each report's JSON and text, to see a difference.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_speed import big_document, small_gbk

from cleantext import Cleaner
from cleantext.errors import CleantextError
from cleantext.report import Cleaned

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
PROSE = "本规定自发布之日起施行，各有关单位应当认真遵照执行。"


def documents(cleaner: Cleaner) -> Iterator[tuple[str, bytes | str, frozenset[str] | None]]:
    """(name, input, ``only``): bytes go through ``clean_bytes``, text through ``clean_text``."""
    for corpus in ("dev", "dev2"):
        for p in sorted((CORPUS / corpus / "cases").glob("*.in")):
            yield f"{corpus}/{p.name}", p.read_bytes(), None
    for p in sorted((ROOT / "fixtures" / "inputs").iterdir()):
        yield f"inputs/{p.name}", p.read_bytes(), None
    for p in sorted((ROOT / "fixtures" / "packs").glob("*/*.txt")):
        if not p.name.endswith(".expected.txt"):
            yield f"packs/{p.parent.name}/{p.name}", p.read_bytes(), None
    for cr in cleaner.pack.compiled():
        r = cr.rule
        for kind, examples in (("match", r.examples_match), ("no_match", r.examples_no_match)):
            for k, ex in enumerate(examples):
                yield f"example/{r.id}/{kind}{k}", ex, None
                yield f"example/{r.id}/{kind}{k}/prose", f"{PROSE}\n{ex}\n{PROSE}\n", None
    probes: dict[str, list[str]] = {}
    for k, line in enumerate((ROOT / "benchmarks" / "chrome_probes.tsv").read_text(encoding="utf-8").splitlines()):
        if line.startswith("#") or not line.strip():
            continue
        zone, kind, text = line.split("\t", 2)
        yield f"probe/{k}", text, None
        probes.setdefault(kind, []).append(text if zone == "head" else "")
        probes[kind].append(PROSE)
        if zone == "tail":
            probes[kind].append(text)
    for kind, body in sorted(probes.items()):
        yield f"probes/{kind}", "\n".join(body) + "\n", None
    for k, data in enumerate(small_gbk(1000)):
        yield f"small/{k}", data, None
    yield "big/2MB", big_document(2_000_000).encode("gb18030"), None
    dev = sorted((CORPUS / "dev" / "cases").glob("*.in"))
    ids = sorted(cr.id for cr in cleaner.pack.compiled())
    for k, p in enumerate(dev[::5]):
        with contextlib.suppress(CleantextError):
            text = cleaner.clean_bytes(p.read_bytes(), "annotate").text
            yield f"crlf/{p.name}", text.replace("\n", "\r\n"), None
            yield f"cr/{p.name}", text.replace("\n", "\r"), None
            yield f"only/{p.name}", p.read_bytes(), frozenset(ids[k % 7 :: 7])


def run(cleaner: Cleaner, data: bytes | str, only: frozenset[str] | None) -> Cleaned:
    if isinstance(data, bytes):
        return cleaner.clean_bytes(data, only=only)
    return cleaner.clean_text(data, only=only)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("out", type=Path)
    ap.add_argument("--full", type=Path, help="also write each report and text here")
    a = ap.parse_args()
    cleaner = Cleaner()
    total = hashlib.sha256()
    lines: list[str] = []
    for name, data, only in documents(cleaner):
        try:
            res = run(cleaner, data, only)
            blob = res.report.to_json() + "\n" + res.text
        except CleantextError as e:
            blob = f"error: {type(e).__name__}: {e}"
        digest = hashlib.sha256(blob.encode("utf-8", "surrogatepass")).hexdigest()
        total.update(digest.encode())
        lines.append(f"{name}\t{digest}")
        if a.full:
            path = a.full / (name.replace("/", "__") + ".txt")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(blob, encoding="utf-8", errors="surrogatepass")
    lines.append(f"ALL {len(lines)}\t{total.hexdigest()}")
    a.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(lines[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
