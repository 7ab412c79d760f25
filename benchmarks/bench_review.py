"""How fast a big review page opens: a 10,000-document report in headless Chromium.

The report is the dev corpus's own ``--report`` repeated under new source names (same outputs,
so every document is rebuilt and checked like a real one) until it has ``--docs`` lines. The page
records ``data-ready-ms`` (``performance.now()`` when its script has rendered the first page:
HTML parse, JSON parse and DOM build, from navigation start), read back with ``--dump-dom``.

    python benchmarks/bench_review.py [--docs 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleantext import cli
from cleantext.review import render_review

DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "dev" / "cases"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=10_000)
    a = ap.parse_args()
    chromium = shutil.which("chromium")
    if not DEV.is_dir() or chromium is None:
        print("needs ../shared/corpus/dev and chromium", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        cli.main(["clean", str(DEV), "--glob", "*.in", "-o", str(t / "out"), "--report", str(t / "r.jsonl"), "-q"])
        base = [json.loads(x) for x in (t / "r.jsonl").read_text(encoding="utf-8").splitlines()]
        records = [dict(d, source=f"copy{k}/{d['source']}") for k in range(a.docs // len(base) + 1) for d in base]
        records = records[: a.docs]
        t0 = time.perf_counter()
        page = render_review(records)
        t_render = time.perf_counter() - t0
        # when the first page is on screen: the frame after the page's script drew it
        probe = ("<script>requestAnimationFrame(function () { setTimeout(function () { document.body.setAttribute("
                 '"data-painted-ms", String(Math.round(performance.now()))); }); });</script>')
        main = page.index("<script>")
        cut = page.index("</script>", main) + len("</script>")
        (t / "review.html").write_text(page[:cut] + probe + page[cut:], encoding="utf-8")
        ms: list[int] = []
        painted: list[int] = []
        for _ in range(3):
            dom = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                                  (t / "review.html").as_uri()], capture_output=True, text=True, check=True).stdout
            m = re.search(r'data-ready-ms="(\d+)"', dom)
            p = re.search(r'data-painted-ms="(\d+)"', dom)
            ms.append(int(m.group(1)) if m else -1)
            painted.append(int(p.group(1)) if p else -1)
        n_rm = len(re.findall(r'data-rule="', dom))
        removals = re.search(r'data-removals="(\d+)"', dom)
    print(f"{len(records)} report lines, page {len(page.encode()) / 1e6:.1f} MB written in {t_render:.1f} s; "
          f"first page built in {min(ms)} ms (runs: {ms}), on screen in {min(painted)} ms (runs: {painted}); "
          f"{n_rm} removals on the first page of "
          f"{removals.group(1) if removals else '?'}; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
