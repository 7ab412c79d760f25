"""Mining throughput and memory: ``cleantext.mine`` over many small synthetic documents.

    .venv/bin/python benchmarks/bench_mine.py                       # 100,000 documents, -j 2
    .venv/bin/python benchmarks/bench_mine.py --docs 20000 --jobs 1 2
    .venv/bin/python benchmarks/bench_mine.py --files               # one file per document

Documents are ~0.9 KB speeches whose sentences carry made-up names (so body lines rarely repeat
and the counter table fills as with real text), half of them under the furniture of one of eight
synthetic sites (a banner with a URL at the head that the built-in packs leave alone, a counter
at the tail), a tenth with a built-in advert line. They go into
one JSONL file (``--jsonl --field text``) or, with ``--files``, a folder of files. Reported:
wall time, documents/s, the rules proposed, and the peak RSS of the process, which shows the
table bound at work (``--max-templates``).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import cleantext
from cleantext.mine import DEFAULT_MAX_TEMPLATES

SUBJECTS = ["全市", "全区", "各部门", "各乡镇", "机关单位", "基层组织", "重点企业", "各级干部", "社区网格", "窗口单位"]
VERBS = ["围绕", "聚焦", "紧扣", "立足", "坚持", "突出", "强化", "深化", "统筹", "推动"]
OBJECTS = ["高质量发展", "营商环境", "乡村振兴", "安全生产", "生态保护", "民生保障", "科技创新", "作风建设", "数字政府",
           "城市更新", "教育改革", "医疗服务"]
ENDS = ["取得了明显成效", "完成了年度目标", "形成了一批经验", "解决了一批难题", "群众满意度持续提升",
        "工作基础更加扎实"]


HANZI = ("安邦长春达德东方凤高广国海和宏华辉建江金锦军俊凯康莉林龙美敏明宁鹏平"
         "琪强庆秋荣瑞森山胜世淑顺泰天婷伟文霞祥晓欣新兴秀雪燕阳一英勇永玉元云泽志中忠子")


def name(rnd: random.Random) -> str:
    """A made-up place or person: what makes real body lines unique, and fills the counter table."""
    return "".join(rnd.choice(HANZI) for _ in range(3))


def document(rnd: random.Random, n: int) -> str:
    lines = [f"在{name(rnd)}{rnd.choice(OBJECTS)}工作会议上的讲话（第{n}号）", "同志们："]
    lines.extend(
        f"{name(rnd)}{rnd.choice(SUBJECTS)}{rnd.choice(VERBS)}{rnd.choice(OBJECTS)}，"
        f"完成投资{rnd.randint(1, 9999)}万元，{rnd.choice(ENDS)}，"
        f"第{rnd.randint(1, 99)}批项目{rnd.randint(1, 12)}月底前开工。"
        for _ in range(rnd.randint(4, 8))
    )
    lines.append("谢谢大家！")
    site = n % 16
    if site < 8:
        lines.insert(0, f"本文由 资料站{site}号 www.site{site}.com 收录")
        lines.append(f"本文阅读次数：{rnd.randint(1, 99999)} 次  收藏：{rnd.randint(1, 999)} 次")
    if n % 10 == 0:
        lines.insert(0, "仅供学习 禁止外传")
    return "\n".join(lines) + "\n"


def _cpu() -> float:
    """CPU seconds of this process and its reaped workers: on a shared machine the wall time
    says how busy the others were, the CPU time what mining costs."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[2])
    ap.add_argument("--files", action="store_true", help="one file per document instead of one JSONL file")
    ap.add_argument("--max-templates", type=int, default=DEFAULT_MAX_TEMPLATES)
    args = ap.parse_args()
    rnd = random.Random(12)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        size = 0
        if args.files:
            for n in range(args.docs):
                data = document(rnd, n).encode("utf-8")
                (root / f"{n:07d}.txt").write_bytes(data)
                size += len(data)
            inputs, field = [root], None
        else:
            with (root / "corpus.jsonl").open("w", encoding="utf-8") as f:
                for n in range(args.docs):
                    text = document(rnd, n)
                    size += len(text.encode("utf-8"))
                    f.write(json.dumps({"id": n, "text": text}, ensure_ascii=False) + "\n")
            inputs, field = [root / "corpus.jsonl"], "text"
        print(f"{args.docs} documents, {size / 1e6:.1f} MB of text, {'files' if args.files else 'one JSONL file'}")
        for jobs in args.jobs:
            cpu0 = _cpu()
            t0 = time.perf_counter()
            found = cleantext.mine(inputs, jsonl_field=field, jobs=jobs, max_templates=args.max_templates)
            dt = time.perf_counter() - t0
            cpu = _cpu() - cpu0
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
            print(f"-j {jobs}: {dt:.1f} s wall, {found.documents / dt:.0f} docs/s; {cpu:.1f} s CPU "
                  f"(main + workers, {1000 * cpu / max(1, found.documents):.2f} ms/doc); {found.summary()}")
            print(f"    table {found.templates} templates, {found.pruned} pruned (floor {found.prune_floor}); "
                  f"peak RSS of the main process {peak:.0f} MiB")
            for f in found.findings[:20]:
                print(f"    {f.docs:>6} docs  {f.score:.2f}  {f.rule_id:<18} {f.template}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
