"""``cleantext.fit``: line labels from corpus pairs, the fit, leave-sources-out CV, writing weights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleantext.engine import Cleaner
from cleantext.fit import _labels, cross_validate, examples, write_weights
from cleantext.rules import default_pack
from cleantext.rules.schema import parse_pack

BODY = [
    "在全区工作会议上的讲话",
    "同志们：",
    "今天召开这次会议，主要任务是总结去年工作，部署今年任务，动员全区上下进一步统一思想。",
    "过去一年，我们坚持稳中求进工作总基调，经济社会发展取得了新的成绩，人民群众获得感不断增强。",
]


def test_labels_come_from_the_alignment() -> None:
    lines = ["登录 | 注册", *BODY[:2], "今天召开这次\u200b会议，主要任务是总结去年工作。", "手机版 | 电脑版"]
    expected = [*BODY[:2], "今天召开这次会议，主要任务是总结去年工作。"]
    # deleted lines are furniture, equal lines body, a line that only lost an invisible mark is body too
    assert _labels(lines, expected) == [1, 0, 0, 0, 1]
    changed = ["今天召开这次会议，【公众号：某某】主要任务是总结去年工作。"]
    assert _labels(changed, ["今天召开这次会议，主要任务是总结去年工作。"]) == [None]  # inline removal: left out


def _corpus(root: Path) -> Path:
    (root / "cases").mkdir(parents=True)
    manifest = []
    tails = [["登录 | 注册 | 找回密码", "手机版 | 电脑版 | 客户端下载"], ["关注 | 收藏 | 分享到微博", "返回首页 | 网站地图"]]
    for k in range(12):
        tail = tails[k % 2]
        source = f"site-{k % 4}"
        doc = "\n".join([*BODY, "", *tail]) + "\n"
        (root / "cases" / f"c{k:02d}.in").write_bytes(doc.encode("utf-8"))
        (root / "cases" / f"c{k:02d}.expected.txt").write_text("\n".join(BODY) + "\n", encoding="utf-8")
        ads = [{"text": t, "family": "nav.toolbar_buttons", "source": source} for t in tail]
        manifest.append({"id": f"c{k:02d}", "encoding": "utf-8", "body_source": f"body-{k % 3}", "ads": ads})
    (root / "manifest.jsonl").write_text("\n".join(json.dumps(m, ensure_ascii=False) for m in manifest) + "\n",
                                         encoding="utf-8")
    return root


def test_examples_carry_features_labels_and_groups(tmp_path: Path) -> None:
    exs = list(examples(_corpus(tmp_path / "corpus"), Cleaner(default_pack())))
    ads = [e for e in exs if e.label]
    assert len(ads) == 24
    assert all(e.group.startswith("site-") and e.family == "nav.toolbar_buttons" for e in ads)
    assert all(e.group.startswith("body:") for e in exs if not e.label)
    assert any("signal.account" in e.names for e in ads)
    assert all(e.zone == "tail" for e in ads)


def test_fit_cross_validation_and_written_weights(tmp_path: Path) -> None:
    pytest.importorskip("sklearn", reason="the fit needs scikit-learn: pip install 'cleantext-ads[fit]'")
    from cleantext.fit import fit  # noqa: PLC0415 - after the skip

    exs = list(examples(_corpus(tmp_path / "corpus"), Cleaner(default_pack())))
    w = fit(exs)
    assert w["signal.account"] > 0  # login words lean furniture in this corpus
    table, scored = cross_validate(exs, Cleaner(default_pack()).scorer, folds=2)
    assert "ALL advert lines the rules miss" in table
    assert "body lines taken: 0 of" in table
    assert {e.case for e, _ in scored} == {f"c{k:02d}" for k in range(12)}
    pack = tmp_path / "signals.toml"
    pack.write_text('[pack]\nname = "s"\n\n[weights]\n"bias" = 1.0\n', encoding="utf-8")
    write_weights(pack, w)
    back = dict(parse_pack(pack.read_text(encoding="utf-8"), "s").weights)
    assert back["signal.account"] == pytest.approx(w["signal.account"], abs=1e-3)
    assert "bias" in back
