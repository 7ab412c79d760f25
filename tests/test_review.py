"""The review page (issue 13): ``cleantext review`` and ``cleantext explain --html``.

The contract under test: a dev-corpus run rendered in headless Chromium shows one ``data-rule``
element per removal of the report, every rule that fired, and ``data-removals`` equal to the
report's total; documents are hostile input and nothing in them runs or breaks the page; the
summary counts the whole report even when the page samples documents.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cleantext
from cleantext import cli
from cleantext.review import html as page_html
from cleantext.review import render, render_document, render_review
from cleantext.review.segments import segments, tokens

from .conftest import DEV

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (CI installs it)")
needs_dev = pytest.mark.skipif(not (DEV / "cases").is_dir(), reason="../shared/corpus/dev absent")

HOSTILE = (
    "仅供学习 禁止外传\n"
    "会员群：123456 <script>document.title='pwned'</script>\n"
    "正文第一段，</textarea></script><img src=x onerror=\"document.title='pwned'\">内容很长很长。\n"
    "正文第二段\u200b含有零宽字符，<!-- 注释 -->和 &amp; 实体。\n"
)


class _Dom(HTMLParser):
    """Collects what the tests look at: data-rule values, the summary's attributes, titles."""

    def __init__(self) -> None:
        super().__init__()
        self.rules: list[str] = []
        self.summary: dict[str, str] = {}
        self.body: dict[str, str] = {}
        self.scripts = 0
        self.imgs = 0
        self.classes: list[str] = []
        self._in_title = False
        self.title = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "data-rule" in a:
            self.rules.append(a["data-rule"])
            self.classes.append(a.get("class", ""))
        if a.get("id") == "summary":
            self.summary = a
        if tag == "body":
            self.body = a
        self.scripts += tag == "script"
        self.imgs += tag == "img"
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(html: str) -> _Dom:
    d = _Dom()
    d.feed(html)
    return d


def page_data(html: str) -> tuple[dict[str, Any], list[list[list[Any]]]]:
    """The page's JSON: the index (summary tables, one entry per document) and each document's segments."""
    index = json.loads(re.search(r'<script type="application/json" id="data">(.*?)</script>', html, re.S).group(1))
    chunks = re.findall(r'<script type="application/json" id="seg(\d+)">(.*?)</script>', html, re.S)
    assert [int(k) for k, _ in chunks] == list(range(len(chunks)))
    return index, [g for _, c in chunks for g in json.loads(c)]


def dump_dom(page: Path, *extra: str) -> str:
    """The DOM after the page's script ran, as headless Chromium serialises it."""
    assert CHROMIUM is not None
    out = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", *extra, "--dump-dom", page.as_uri()],
        capture_output=True, text=True, check=True, timeout=120,
    )
    return out.stdout


def report_total(path: Path) -> tuple[int, set[str]]:
    total, rules = 0, set()
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        for r in (d.get("report") or {}).get("removals", []):
            total += 1
            rules.add(r["rule"])
    return total, rules


def clean_folder(files: dict[str, str], tmp_path: Path) -> Path:
    src = tmp_path / "in"
    src.mkdir()
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(src), "-o", str(tmp_path / "out"), "--report", str(rep), "-q"]) == 0
    return rep


# --------------------------------------------------------------------------------------------
# the "done when": a dev-corpus run in a real browser


@needs_chromium
@needs_dev
def test_dev_corpus_page_in_chromium(tmp_path: Path) -> None:
    rep, page = tmp_path / "r.jsonl", tmp_path / "review.html"
    rc = cli.main(["clean", str(DEV / "cases"), "--glob", "*.in", "-o", str(tmp_path / "out"), "--report", str(rep),
                   "-q"])
    assert rc == 0
    assert cli.main(["review", str(rep), "-o", str(page), "-q"]) == 0
    total, fired = report_total(rep)
    assert 0 < total <= 5000  # the dev corpus fits on one page: every removal must be in the DOM
    static = parse(page.read_text(encoding="utf-8"))
    assert static.rules == []  # the documents are built by the page's script, not by Python
    dom = parse(dump_dom(page))
    assert len(dom.rules) == total
    assert set(dom.rules) == fired
    assert dom.summary["data-removals"] == str(total)
    assert dom.summary["data-documents"] == str(len(rep.read_text(encoding="utf-8").splitlines()))
    assert not any("dim" in c for c in dom.classes)


# --------------------------------------------------------------------------------------------
# hostile documents


def test_hostile_text_is_escaped_in_the_html(tmp_path: Path) -> None:
    res = cleantext.clean(HOSTILE, mode="annotate")
    assert res.report.removals
    html = render_document("<b>x</b>.txt", res.text, res.report)
    # only our own script elements: the index, one block of segments and the page's script
    assert re.findall(r"<script[^>]*>", html, re.IGNORECASE) == [
        '<script type="application/json" id="data">', '<script type="application/json" id="seg0">', "<script>"]
    assert len(re.findall(r"</script", html, re.IGNORECASE)) == 3
    assert "</textarea" not in html.lower()
    assert "<img" not in html.lower()
    assert "<b>x</b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;.txt" in html


@needs_chromium
def test_hostile_text_does_not_run_in_chromium(tmp_path: Path) -> None:
    res = cleantext.clean(HOSTILE, mode="annotate")
    page = tmp_path / "page.html"
    page.write_text(render_document("doc<script>document.title='pwned'</script>.txt", res.text, res.report),
                    encoding="utf-8")
    raw = dump_dom(page)
    dom = parse(raw)
    assert dom.title == "cleantext explain: doc<script>document.title='pwned'</script>.txt"
    assert dom.scripts == 3
    assert dom.imgs == 0
    assert len(dom.rules) == len(res.report.removals)
    # the hostile text is on the page, as text
    assert "&lt;/textarea&gt;&lt;/script&gt;&lt;img src=x" in raw
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in raw


# --------------------------------------------------------------------------------------------
# interaction: keyboard, filters, search, in a real browser

_PROBE = """<script>
(function () {
  var out = {};
  function key(k) { document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })); }
  key("j"); key("j");
  var cur = document.querySelectorAll(".rm.cur");
  var all = document.querySelectorAll(".rm");
  out.cur = cur.length; out.curIsSecond = cur.length === 1 && cur[0] === all[1];
  key("k"); out.backToFirst = document.querySelector(".rm.cur") === all[0];
  all[2].dispatchEvent(new MouseEvent("click", { bubbles: true }));
  out.clicked = document.querySelector(".rm.cur") === all[2];
  out.current = document.getElementById("current").textContent;
  var box = document.querySelector('[data-filter-rule="reseller_header.internal-only"]');
  box.checked = false; box.dispatchEvent(new Event("change"));
  out.docsWithoutRule = document.querySelectorAll("article.doc").length;
  out.dimmed = document.querySelectorAll('.rm.dim[data-rule="reseller_header.internal-only"]').length;
  out.undimmed = document.querySelectorAll('.rm:not(.dim)[data-rule="reseller_header.internal-only"]').length;
  box.checked = true; box.dispatchEvent(new Event("change"));
  var cat = document.querySelector('[data-filter-category="contact"]');
  cat.checked = false; cat.dispatchEvent(new Event("change"));
  out.docsWithoutContact = document.querySelectorAll("article.doc").length;
  out.contactDimmed = document.querySelectorAll('.rm.dim[data-category="contact"]').length;
  cat.checked = true; cat.dispatchEvent(new Event("change"));
  var q = document.getElementById("q");
  q.value = "b.txt"; q.dispatchEvent(new Event("input"));
  setTimeout(function () {
    out.searched = Array.prototype.map.call(document.querySelectorAll("article.doc h2"), function (h) {
      return h.firstChild.textContent; });
    document.body.setAttribute("data-probe", JSON.stringify(out));
  }, 400);
})();
</script></body>"""


@needs_chromium
def test_keyboard_filters_and_search_in_chromium(tmp_path: Path) -> None:
    rep = clean_folder({
        "a.txt": "仅供学习 禁止外传\n正文第一段的内容比较长，讲的是一件事情。\n",
        "b.txt": "仅供学习 禁止外传\n另一份文件的正文，同样很长很长。\n",
        "c.txt": "仅供学习 禁止外传\n联系微信：abc12345\n第三份文件的正文内容，也很长很长。\n",
    }, tmp_path)
    page = tmp_path / "review.html"
    assert cli.main(["review", str(rep), "-o", str(page), "-q"]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.count("</body>") == 1
    page.write_text(html.replace("</body>", _PROBE), encoding="utf-8")
    raw = dump_dom(page, "--virtual-time-budget=3000")
    probe: dict[str, Any] = json.loads(parse(raw).body["data-probe"])
    fired = {r["rule"] for r in json.loads(rep.read_text(encoding="utf-8").splitlines()[0])["report"]["removals"]}
    assert "reseller_header.internal-only" in fired
    assert probe["cur"] == 1
    assert probe["curIsSecond"] is True
    assert probe["backToFirst"] is True
    assert probe["clicked"] is True
    assert re.fullmatch(r"removal 3/\d+: [a-z_]+\.[a-z-]+ · [a-z_]+ · zone (head|body|tail) · line \d+ · \w+.*",
                        probe["current"])
    assert probe["docsWithoutRule"] == 1  # a.txt and b.txt had nothing else; c.txt stays for its contact line
    assert probe["dimmed"] == 1
    assert probe["undimmed"] == 0
    assert probe["docsWithoutContact"] == 3
    assert probe["contactDimmed"] == 1
    assert [Path(s).name for s in probe["searched"]] == ["b.txt"]


_PAGER_PROBE = """<script>
(function () {
  var out = {};
  function key(k) { document.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true })); }
  document.addEventListener("DOMContentLoaded", function () {
    var n = document.querySelectorAll(".rm").length;
    for (var i = 0; i <= n; i++) key("j");  // one past the last removal of page 1
    var rms = document.querySelectorAll(".rm");
    out.jNext = [document.getElementById("status").textContent.indexOf("page 2/5") >= 0,
                 document.querySelector(".rm.cur") === rms[0]];
    key("k");
    rms = document.querySelectorAll(".rm");
    out.kBack = [document.getElementById("status").textContent.indexOf("page 1/5") >= 0,
                 document.querySelector(".rm.cur") === rms[rms.length - 1]];
    key("]"); key("]"); key("]");
    out.fourth = Array.prototype.map.call(document.querySelectorAll("article.doc h2"), function (h) {
      return h.firstChild.textContent; });
    out.fourthRules = document.querySelectorAll("[data-rule]").length;
    key("[");
    out.third = document.querySelector("article.doc h2").firstChild.textContent;
    out.status = document.getElementById("status").textContent;
    document.body.setAttribute("data-probe", JSON.stringify(out));
  });
})();
</script>"""


@needs_chromium
def test_pages_and_late_blocks_in_chromium(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents beyond the first page live in JSON blocks after the page's script; paging reaches them."""
    monkeypatch.setattr(page_html, "PAGE_REMOVALS", 3)
    monkeypatch.setattr(page_html, "CHUNK_DOCS", 2)
    rep = clean_folder({f"d{i}.txt": "仅供学习 禁止外传\n联系微信：abc12345\n正文的内容比较长，讲的是一件事情。\n"
                        for i in range(5)}, tmp_path)
    lines = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    per_doc = [len(d["report"]["removals"]) for d in lines]
    assert all(n >= 2 for n in per_doc)  # so each page holds one document
    html = render.render_review(lines)
    main = html.index("<script>")
    assert html.index('id="seg0"') < main < html.index('id="seg1"') < html.index('id="seg2"')
    page = tmp_path / "review.html"
    page.write_text(html.replace("<script>", _PAGER_PROBE + "<script>", 1), encoding="utf-8")
    probe: dict[str, Any] = json.loads(parse(dump_dom(page, "--virtual-time-budget=3000")).body["data-probe"])
    names = [Path(str(d["source"])).name for d in lines]
    assert [Path(s).name for s in probe["fourth"]] == [names[3]]
    assert probe["fourthRules"] == per_doc[3]
    assert Path(probe["third"]).name == names[2]
    assert "page 3/5" in probe["status"]
    assert probe["jNext"] == [True, True]  # j past the page's last removal goes on to the next page
    assert probe["kBack"] == [True, True]


# --------------------------------------------------------------------------------------------
# the renderer without a browser


def test_tokens_make_invisible_characters_badges() -> None:
    assert tokens("a\u200bb\tc\n") == ["a", 0x200B, "b", 9, "c\n"]
    # removed text: line breaks, CR and trailing spaces are badges too
    assert tokens("会员群：  \r\n\n", removed=True) == ["会员群：", 32, 32, 13, 10, 10]
    assert tokens("", removed=True) == []


def _plain(segs: list[list[Any]]) -> str:
    return "".join(t if isinstance(t, str) else chr(t) for s in segs if s[0] in "kr" for t in s[-1])


@given(st.text(alphabet="ab\u200b\n\r \t广告", max_size=60), st.data())
def test_whole_document_segments_give_back_the_text(text: str, data: st.DataObject) -> None:
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=6)))
    removals = []
    for s, e in zip(cuts[::2], cuts[1::2], strict=False):
        if e > s:
            removals.append(cleantext.Removal(s, e, text[s:e], "promo.x", "promo", "body", 1, "span"))
    segs = segments(text, removals, context=None)
    assert _plain(segs) == text
    assert [s[1] for s in segs if s[0] == "r"] == list(range(len(removals)))


@given(st.lists(st.sampled_from(["正文。\n", "广告\n", "\n", "a\u200bb\n"]), max_size=30), st.integers(0, 3), st.data())
def test_folded_segments_keep_every_removal_and_count_every_line(lines: list[str], context: int,
                                                                  data: st.DataObject) -> None:
    text = "".join(lines)
    starts = [sum(map(len, lines[:i])) for i in range(len(lines))]
    picked = sorted(set(data.draw(st.lists(st.integers(0, max(0, len(lines) - 1)), max_size=5)))) if lines else []
    removals = [cleantext.Removal(starts[i], starts[i] + len(lines[i]), lines[i], "promo.x", "promo", "body", i + 1,
                                  "line") for i in picked]
    segs = segments(text, removals, context=context)
    assert [s[1] for s in segs if s[0] == "r"] == list(range(len(removals)))
    shown = _plain(segs)
    hidden = sum(s[1] for s in segs if s[0] == "g")
    assert shown.count("\n") + hidden == text.count("\n")
    if not removals:
        assert segs == ([["g", len(lines)]] if lines else [])


def test_context_folds_far_kept_lines_into_gaps() -> None:
    lines = [f"第{i}行正文。\n" for i in range(40)]
    text = "".join(lines)
    start = sum(map(len, lines[:20]))
    r = cleantext.Removal(start, start + len(lines[20]), lines[20], "promo.x", "promo", "body", 21, "line")
    segs = segments(text, [r], context=2)
    assert [s[0] for s in segs] == ["g", "k", "r", "k", "g"]
    assert segs[0][1] == 18
    assert segs[4][1] == 17
    assert _plain(segs) == "".join(lines[18:23])


def test_summary_counts_the_whole_report_when_documents_are_sampled(tmp_path: Path) -> None:
    rep = clean_folder({f"d{i}.txt": "仅供学习 禁止外传\n正文的内容比较长，讲的是一件事情。\n" for i in range(5)}, tmp_path)
    lines = [json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()]
    lines.append({"source": "bad.png", "path": None, "output": None, "ok": False, "bytes": 10,
                  "error": "BinaryInputError: <png>", "error_type": "BinaryInputError"})
    html = render_review(lines, max_documents=2)
    total, _ = report_total(rep)
    dom = parse(html)
    assert dom.summary["data-removals"] == str(total)
    assert dom.summary["data-documents"] == "6"
    assert dom.summary["data-failed"] == "1"
    assert "Sampled: 2 of the 5 documents with removals" in html
    assert "BinaryInputError: &lt;png&gt;" in html
    index, segs = page_data(html)
    assert len(index["docs"]) == len(segs) == 2


def test_missing_or_changed_output_shows_removed_text_only(tmp_path: Path) -> None:
    rep = clean_folder({"a.txt": "仅供学习 禁止外传\n正文。\n", "b.txt": "仅供学习 禁止外传\n正文二。\n"}, tmp_path)
    (tmp_path / "out" / "a.txt").unlink()
    (tmp_path / "out" / "b.txt").write_text("edited", encoding="utf-8")
    html = render_review(json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines())
    assert "output not readable (InputError)" in html or "output not readable (FileNotFoundError)" in html
    assert "changed since cleaning: removed text only" in html


def test_output_is_found_and_original_rebuilt(tmp_path: Path) -> None:
    text = "仅供学习 禁止外传\n正文的内容比较长，讲的是一件事情。\n"
    rep = clean_folder({"a.txt": text}, tmp_path)
    # found through --outdir too, after the folder moved
    (tmp_path / "out").rename(tmp_path / "moved")
    html = render_review((json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines()),
                         outdir=tmp_path / "moved")
    _, segs = page_data(html)
    assert _plain(segs[0]) == text


# --------------------------------------------------------------------------------------------
# the command line


def test_cli_review_and_explain_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rep = clean_folder({"a.txt": HOSTILE}, tmp_path)
    page = tmp_path / "review.html"
    assert cli.main(["review", str(rep), "-o", str(page)]) == 0
    assert "review page of" in capsys.readouterr().err
    assert parse(page.read_text(encoding="utf-8")).summary["data-removals"] == str(report_total(rep)[0])
    doc = tmp_path / "doc.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    one = tmp_path / "one.html"
    assert cli.main(["explain", str(doc), "--html", "-o", str(one)]) == 0
    assert parse(one.read_text(encoding="utf-8")).summary["data-removals"] == str(
        len(cleantext.clean(HOSTILE).report.removals))
    assert cli.main(["explain", str(doc), "-o", str(one)]) == 2  # -o is for --html pages
    assert cli.main(["review", str(rep), "-o", str(page), "--context", "-1"]) == 2
    assert cli.main(["review", str(rep), "-o", str(page), "--context", "0", "--max-documents", "1", "-q"]) == 0
    assert cli.main(["review", str(tmp_path / "missing.jsonl"), "-o", str(page)]) == 2
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    assert cli.main(["review", str(tmp_path / "bad.jsonl"), "-o", str(page)]) == 2


def test_jsonl_mode_report_shows_removed_text(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "仅供学习 禁止外传\n正文的内容比较长，讲的是一件事情。\n"}, ensure_ascii=False)
                   + "\nnot json\n", encoding="utf-8")
    rep = tmp_path / "r.jsonl"
    assert cli.main(["clean", str(src), "--jsonl", "-o", str(tmp_path / "out"), "--report", str(rep), "-q"]) == 1
    html = render_review(json.loads(x) for x in rep.read_text(encoding="utf-8").splitlines())
    index, segs = page_data(html)
    assert index["docs"][0][0].endswith("in.jsonl:1")
    assert index["docs"][0][2] == "JSONL record: removed text only"
    assert "仅供学习 禁止外传" in _plain(segs[0])
    assert parse(html).summary["data-failed"] == "1"
