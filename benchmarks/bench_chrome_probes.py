"""How much typical web chrome the packs remove, and that the body around it stays (issue 9).

``benchmarks/chrome_probes.tsv`` holds ~180 lines of the page chrome Chinese sites leave in copied
text (WeChat, 头条/百家号, 知乎, 百度知道, CSDN, 博客园, forums, government and news footers, players,
shops …), written from general knowledge, not taken from a corpus, and ~50 *look-alikes* (zone
``keep``): body lines that use the same words (laws on 举报 / 网站 / 版权, reports on 公众号 / APP, an
event notice's 主办单位). Each line is put, alone, at the head, in the tail and between two
paragraphs of a plain body; a probe counts as removed when its line is gone and every body line is
still there, in order; a look-alike must never be removed. ``chrome_probes_heldout.tsv`` holds other
wordings of the same widgets, written after the rules and not used to tune them. Printed for the built-in packs with and
without ``web_chrome.toml``. Run: ``python benchmarks/bench_chrome_probes.py [--misses]``.
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path

from probe_kit import outcome as probe_outcome
from probe_kit import read_tsv

from cleantext.engine import Cleaner
from cleantext.rules import RulePack, builtin_sources

PROBES = Path(__file__).resolve().parent / "chrome_probes.tsv"
HELDOUT = Path(__file__).resolve().parent / "chrome_probes_heldout.tsv"
"""Other wordings of the same widgets, written after the rules as a check of how they generalize."""
TITLE = "关于进一步做好社区养老服务工作的通知"
PARAS = [
    "各街道办事处、区直有关部门：",
    "为落实市委、市政府关于健全养老服务体系的部署，进一步提升社区养老服务水平，现就有关事项通知如下。",
    "一、加强组织领导",
    "各街道要把社区养老服务纳入年度重点工作，明确分管负责人，定期研究解决场地、人员和经费等问题。",
    "二、完善服务设施",
    "新建住宅小区应当按照每百户不低于二十平方米的标准配建养老服务用房，已建成小区通过购置、置换、租赁等方式逐步补齐。",
    "三、强化监督检查",
    "区民政局会同有关部门每半年开展一次检查，检查结果在区政府网站公开，并作为年度考核的重要依据。",
    "特此通知。",
]
POSITIONS = ("head", "tail", "between")


def probes(path: Path = PROBES) -> list[tuple[str, str, str]]:
    return [(zone, kind, line) for zone, kind, line in read_tsv(path)]


def outcome(cleaner: Cleaner, line: str, where: str) -> tuple[bool, bool, str]:
    """(probe removed, body intact, the rules that took it)."""
    return probe_outcome(cleaner, line, [TITLE, *PARAS], where)


def run(pack: RulePack, rows: list[tuple[str, str, str]], misses: bool, label: str) -> None:
    cleaner = Cleaner(pack)
    got = collections.Counter[str]()
    lost = collections.Counter[str]()
    missed: list[tuple[str, str, str]] = []
    taken: list[tuple[str, str, str]] = []
    for zone, kind, line in rows:
        for where in POSITIONS:
            removed, intact, rules = outcome(cleaner, line, where)
            lost[where] += not intact
            if zone == "keep":
                if removed:
                    taken.append((where, kind, f"{line}  <- {rules}"))
                continue
            got[where] += removed
            if misses and not removed and where == "tail":
                missed.append((where, kind, line))
    n = sum(zone != "keep" for zone, _, _ in rows)
    keep = len(rows) - n
    figures = "  ".join(f"{w} {got[w]}/{n} ({got[w] / n:.2f})" for w in POSITIONS)
    print(f"{label:<20} {figures}  look-alikes taken: {len(taken)} of {keep} x 3  "
          f"body lines lost: {sum(lost.values())}")
    for where, kind, line in taken:
        print(f"    LOOK-ALIKE TAKEN ({where}) {kind:<9} {line}")
    for where, kind, line in missed:
        print(f"    missed ({where}) {kind:<9} {line}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--misses", action="store_true", help="list the probes left in the tail")
    args = ap.parse_args()
    sources = builtin_sources()
    without = tuple(s for s in sources if not s[0].endswith("web_chrome.toml"))
    for title, path in (("probes the rules were written from", PROBES), ("held-out wordings", HELDOUT)):
        rows = probes(path)
        print(f"{title} ({path.name}):")
        run(RulePack(without), rows, False, "without web_chrome")
        run(RulePack(sources), rows, args.misses, "with web_chrome")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
