"""The pytest plugin, tested as users meet it: a fresh project with only cleantext-ads installed
(the ``pytest11`` entry point, no conftest), run in-process by ``pytester``."""

from __future__ import annotations

import json
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleantext import default_pack
from cleantext.lines import line_texts
from cleantext.testing.diffs import removal_changes, text_diff
from cleantext.testing.golden import default_basename
from cleantext.testing.golden_files import VOLATILE_FIELDS, dump_report
from cleantext.visible import visible, visible_line

pytest_plugins = ["pytester"]

DOC = "会员群：   免费QQ群：\r\n第一条 为了规范管理，制定本办法。\r\n正文第二段，内容完整保留。\r\n"

GOLDEN_TEST = f"""
DOC = {DOC!r}

def test_doc(cleantext_golden):
    cleantext_golden.check(DOC)
"""

# A user pack without the built-ins, so these tests do not drift when the built-in rules improve.
USER_PACK = r"""
[pack]
name = "mine"
version = "1"

[[rules]]
id = "promo.shop"
category = "promo"
keywords = ["本店"]
pattern = '''^[^\S\n]*本店[^\S\n]*[:：][^\S\n]*\S{1,12}[^\S\n]*$'''
zone = ["any"]
[rules.examples]
match = ["本店：星光文库", "  本店: 小王书屋  "]
no_match = ["本店开业三年来一直坚持诚信经营，受到好评。"]

[[rules]]
id = "contact.wechat"
category = "contact"
keywords = ["微信"]
pattern = '''^[^\S\n]*微信[^\S\n]*[:：][^\S\n]*[A-Za-z0-9_-]{5,20}[^\S\n]*$'''
zone = ["any"]
[rules.examples]
match = ["微信：abc12345", "微信: shop_2024"]
no_match = ["他用微信：说了一句话，然后走了。"]
"""

# The same pack with three broken examples: a missed match (zero-width character in the example),
# a no_match that matches, and a rule whose pattern does not compile.
FAILING_PACK = (
    USER_PACK.replace('"微信: shop_2024"', '"微信\\u200b：abc12345"').replace(
        '"他用微信：说了一句话，然后走了。"', '"微信：notanadvert"'
    )
    + r"""
[[rules]]
id = "promo.broken"
category = "promo"
keywords = ["广告"]
pattern = '''(广告'''
[rules.examples]
match = ["广告"]
"""
)

SHOP_DOC = "本店：星光文库\n第一条 为了规范管理，制定本办法。\n微信：abc12345\n"


def golden_files(pytester: pytest.Pytester, name: str = "test_doc") -> tuple[Path, Path]:
    d = pytester.path / "golden"
    return d / f"{name}.txt", d / f"{name}.json"


# --- the "done when": regen fails and writes, then passes, then a zero-width char fails


def test_regen_writes_and_fails_then_passes_then_zero_width_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    txt, js = golden_files(pytester)

    first = pytester.runpytest("--cleantext-regen")
    first.assert_outcomes(failed=1)
    first.stdout.fnmatch_lines([
        "*cleantext golden files written by --cleantext-regen*never silently green*",
        "*golden/test_doc.txt*new",
        "*golden/test_doc.json*new",
    ])
    first.stdout.fnmatch_lines(["*- cleantext golden -*", "--cleantext-regen wrote 2 golden file(s): 2 new, 0 changed*"])
    assert txt.is_file()
    assert js.is_file()

    pytester.runpytest().assert_outcomes(passed=1)

    body = txt.read_bytes()
    txt.write_bytes(body.replace("第一条".encode(), "第\u200b一条".encode()))
    third = pytester.runpytest()
    third.assert_outcomes(failed=1)
    third.stdout.fnmatch_lines([
        "*clean text differs from golden/test_doc.txt*",
        "*-第⟨U+200B⟩一条 为了规范管理，制定本办法。⟨CR⟩⏎",
        "*+第一条 为了规范管理，制定本办法。⟨CR⟩⏎",
        "*obtained output written to: golden/test_doc.txt.obtained*",
        "*pytest --cleantext-regen*",
    ])
    third.stdout.fnmatch_lines(["1 golden check(s) failed, 1 .obtained file(s) written next to the golden files*"])
    # The sidecar holds exactly what the golden file should hold; the golden file is untouched.
    assert (txt.parent / "test_doc.txt.obtained").read_bytes() == body
    assert not (txt.parent / "test_doc.json.obtained").exists()
    assert "\u200b".encode() in txt.read_bytes()

    # Regenerating says what changed, and the next run is green and leaves no sidecar behind.
    again = pytester.runpytest("--cleantext-regen")
    again.assert_outcomes(failed=1)
    again.stdout.fnmatch_lines(["*golden/test_doc.txt*changed", "*golden/test_doc.json*unchanged"])
    assert txt.read_bytes() == body
    last = pytester.runpytest()
    last.assert_outcomes(passed=1)
    last.stdout.no_fnmatch_line("*cleantext golden*")
    assert not (txt.parent / "test_doc.txt.obtained").exists()


def test_missing_golden_fails_with_the_regen_hint(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*golden file(s) missing: golden/test_doc.txt, golden/test_doc.json",
        "*obtained output written to: golden/test_doc.txt.obtained, golden/test_doc.json.obtained",
        "*To create them: run `pytest --cleantext-regen`*",
    ])
    txt, js = golden_files(pytester)
    assert not txt.exists()
    assert not js.exists()


def test_only_the_json_missing(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    pytester.runpytest("--cleantext-regen")
    _, js = golden_files(pytester)
    js.unlink()
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*golden file(s) missing: golden/test_doc.json"])
    result.stdout.no_fnmatch_line("*clean text differs*")


# --- golden file format


def test_golden_bytes_keep_crlf_add_no_bom_and_omit_volatile_fields(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden=f"""
        DOC = {DOC!r}

        def test_doc(cleantext_golden):
            cleantext_golden.check(b"\\xef\\xbb\\xbf" + DOC.encode("utf-8"))
        """
    )
    pytester.runpytest("--cleantext-regen").assert_outcomes(failed=1)
    txt, js = golden_files(pytester)
    body = txt.read_bytes()
    assert not body.startswith(b"\xef\xbb\xbf"), "the BOM belongs to the encoding, recorded in the .json"
    assert b"\r\n" in body
    assert body.count(b"\r\n") == body.count(b"\n")
    assert "第一条 为了规范管理，制定本办法。\r\n".encode() in body
    report = json.loads(js.read_bytes())
    assert report["encoding"]["bom"] is True
    assert report["newline"] == "crlf"
    assert report["pack"] == {"name": "builtin"}
    for table, key in VOLATILE_FIELDS:
        assert key not in report[table]
    assert report["removals"], "the QQ-group line is removed"
    assert all(r["text"].endswith("\r\n") for r in report["removals"] if r["action"] == "line")
    raw_json = js.read_bytes()
    assert raw_json.endswith(b"}\n")
    assert b"\r" not in raw_json
    assert "会员群".encode() in raw_json, "Chinese is written as is, not as \\u escapes"
    assert b'  "encoding": {' in raw_json, "sorted keys, two-space indent"


def test_reindented_golden_json_still_passes(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    pytester.runpytest("--cleantext-regen")
    _, js = golden_files(pytester)
    js.write_text(json.dumps(json.loads(js.read_bytes()), ensure_ascii=True), encoding="utf-8")
    pytester.runpytest().assert_outcomes(passed=1)


def test_removals_that_appear_and_disappear_are_named_by_rule_id(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", mine=USER_PACK)
    pytester.makepyfile(
        test_golden=f"""
        from pathlib import Path
        import cleantext

        DOC = {SHOP_DOC!r}
        PACK = cleantext.pack_from_text((Path(__file__).parent / "mine.toml").read_text("utf-8"))

        def test_doc(cleantext_golden):
            cleantext_golden.check(DOC, pack=PACK)
        """
    )
    pytester.runpytest("--cleantext-regen").assert_outcomes(failed=1)
    _, js = golden_files(pytester)
    report = json.loads(js.read_bytes())
    assert [r["rule"] for r in report["removals"]] == ["promo.shop", "contact.wechat"]
    assert report["pack"] == {"name": "mine"}
    # Pretend the golden run removed a different line and no wechat line.
    report["removals"] = [dict(report["removals"][0], rule="promo.other")]
    js.write_bytes(dump_report(report))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "*report differs from golden/test_doc.json:",
        "*removals differ: 1 disappeared, 2 appeared; by rule id (golden → obtained):",
        "*contact.wechat: 0 → 1 (+1)",
        "*promo.other: 1 → 0 (-1)",
        "*promo.shop: 0 → 1 (+1)",
        "*- disappeared: promo.other line 1 [[]0, 8) head/line '本店：星光文库⏎'",
        "*+ appeared: promo.shop line 1 [[]0, 8) head/line '本店：星光文库⏎'",
        "*+ appeared: contact.wechat line 3*'微信：abc12345⏎'",
    ])
    result.stdout.no_fnmatch_line("*clean text differs*")


def test_other_report_fields_are_diffed(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    pytester.runpytest("--cleantext-regen")
    _, js = golden_files(pytester)
    report = json.loads(js.read_bytes())
    report["newline"] = "lf"
    js.write_bytes(dump_report(report))
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(['*other report fields differ:', '*-  "newline": "lf",', '*+  "newline": "crlf",'])
    result.stdout.no_fnmatch_line("*removals differ*")


def test_unreadable_golden_json_fails_clearly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_golden=GOLDEN_TEST)
    pytester.runpytest("--cleantext-regen")
    _, js = golden_files(pytester)
    js.write_bytes(b"{not json")
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the golden file cannot be read: JSONDecodeError*"])


# --- naming, directories, inputs


def test_parametrized_ids_become_safe_basenames(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden=f"""
        import pytest
        DOC = {DOC!r}

        @pytest.mark.parametrize("enc", ["utf-8", "gb18030", "a/b c"])
        def test_doc(cleantext_golden, enc):
            cleantext_golden.check(DOC.encode("utf-8" if enc == "a/b c" else enc))
        """
    )
    pytester.runpytest("--cleantext-regen").assert_outcomes(failed=3)
    names = sorted(p.name for p in (pytester.path / "golden").iterdir())
    assert names == [
        "test_doc_a_b_c.json", "test_doc_a_b_c.txt",
        "test_doc_gb18030.json", "test_doc_gb18030.txt",
        "test_doc_utf-8.json", "test_doc_utf-8.txt",
    ]
    pytester.runpytest().assert_outcomes(passed=3)
    # Same clean text whatever the source encoding; the report says which one it was.
    golden = pytester.path / "golden"
    assert (golden / "test_doc_gb18030.txt").read_bytes() == (golden / "test_doc_utf-8.txt").read_bytes()
    assert json.loads((golden / "test_doc_gb18030.json").read_bytes())["encoding"]["name"] == "gb18030"


def test_basename_golden_dir_and_path_input(pytester: pytest.Pytester) -> None:
    doc = pytester.path / "docs" / "one.txt"
    doc.parent.mkdir()
    doc.write_bytes(DOC.encode("gb18030"))
    pytester.makepyfile(
        test_golden="""
        from pathlib import Path

        HERE = Path(__file__).parent

        def test_doc(cleantext_golden):
            res = cleantext_golden.check(HERE / "docs" / "one.txt", "one", golden_dir="expected")
            assert res.report.encoding.name == "gb18030"
        """
    )
    pytester.runpytest("--cleantext-regen").assert_outcomes(failed=1)
    assert sorted(p.name for p in (pytester.path / "expected").iterdir()) == ["one.json", "one.txt"]
    assert not (pytester.path / "golden").exists()
    pytester.runpytest().assert_outcomes(passed=1)


def test_ini_golden_dir(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\ncleantext_golden_dir = fixtures/golden\n")
    sub = pytester.mkpydir("sub")
    (sub / "test_golden.py").write_text(GOLDEN_TEST, encoding="utf-8")
    pytester.runpytest("--cleantext-regen").assert_outcomes(failed=1)
    assert (pytester.path / "fixtures" / "golden" / "test_doc.txt").is_file()
    assert not (sub / "golden").exists()
    pytester.runpytest().assert_outcomes(passed=1)


def test_several_checks_in_one_test_regenerate_in_one_run(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden=f"""
        DOC = {DOC!r}

        def test_doc(cleantext_golden):
            cleantext_golden.check(DOC, "a")
            cleantext_golden.check(DOC.encode("gb18030"), "b")
        """
    )
    result = pytester.runpytest("--cleantext-regen")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*golden/a.txt*new", "*golden/a.json*new", "*golden/b.txt*new", "*golden/b.json*new"])
    pytester.runpytest().assert_outcomes(passed=1)


def test_basename_collisions_are_refused(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden=f"""
        DOC = {DOC!r}

        def test_twice(cleantext_golden):
            cleantext_golden.check(DOC, "same")
            cleantext_golden.check(DOC, "same")

        def test_other(cleantext_golden):
            cleantext_golden.check(DOC, "same")

        def test_bad_name(cleantext_golden):
            cleantext_golden.check(DOC, "../escape")
        """
    )
    result = pytester.runpytest("--cleantext-regen")
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines_random([
        "*basename 'same' is used twice in this test*",
        "*golden/same.txt is already used by test_golden.py::test_twice*",
        "*basename '../escape' must be a plain file name*",
    ])


def test_regen_keeps_the_tests_own_failure(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden=f"""
        DOC = {DOC!r}

        def test_doc(cleantext_golden):
            res = cleantext_golden.check(DOC)
            assert res.text == "something else"
        """
    )
    result = pytester.runpytest("--cleantext-regen")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*assert *== 'something else'*"])
    assert golden_files(pytester)[0].is_file()


def test_wrong_input_type_is_a_clear_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden="""
        def test_doc(cleantext_golden):
            cleantext_golden.check(42)
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*TypeError: cleantext_golden.check: raw must be bytes, str (text) or a path*"])


# --- rule-pack examples as test items


def test_pack_examples_are_collected_as_items(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", mine=USER_PACK)
    result = pytester.runpytest("--cleantext-packs", "mine.toml", "--collect-only", "-q")
    result.stdout.fnmatch_lines([
        "mine.toml::load",
        "mine.toml::promo.shop::match[[]0]",
        "mine.toml::promo.shop::match[[]1]",
        "mine.toml::promo.shop::no_match[[]0]",
        "mine.toml::contact.wechat::match[[]0]",
        "mine.toml::contact.wechat::match[[]1]",
        "mine.toml::contact.wechat::no_match[[]0]",
    ])
    run = pytester.runpytest("--cleantext-packs", "mine.toml", "-v")
    run.assert_outcomes(passed=7)
    # Verbose lines keep the real node ids (dots in rule ids are not turned into "::").
    run.stdout.fnmatch_lines(["mine.toml::promo.shop::match[[]0] PASSED*"])


def test_failing_pack_examples_show_pattern_and_escaped_example(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", mine=FAILING_PACK)
    result = pytester.runpytest("--cleantext-packs", "mine.toml")
    # promo.broken's pattern does not compile: its example fails, and so does mine.toml::load
    result.assert_outcomes(passed=4, failed=4)
    result.stdout.fnmatch_lines_random([
        "*rule 'contact.wechat' (mine.toml), example match[[]1] failed:",
        "*the pattern misses this `match` example*",
        "*example:  微信⟨U+200B⟩：abc12345",
        "*pattern:  ^[[]^\\S\\n]*微信*",
        "*rule 'contact.wechat' (mine.toml), example no_match[[]0] failed:",
        "*the pattern matches this `no_match` example, so the rule would remove it",
        "*matched:  微信:notanadvert at 0-14",
        "*mine.toml: rule 'promo.broken' field 'pattern': pattern does not compile*",
        "FAILED mine.toml::contact.wechat::match[[]1]*",
        "FAILED mine.toml::load*",
    ])


def test_pack_that_does_not_parse_is_one_failing_item(pytester: pytest.Pytester) -> None:
    pytester.makefile(".toml", broken='[pack]\nname = "x"\n[[rules]]\nid = "promo.a"\nbogus = 1\n')
    pytester.makefile(".toml", notoml="[pack\n")
    pytester.makepyfile(test_other="def test_ok():\n    pass\n")
    result = pytester.runpytest("--cleantext-packs", "broken.toml", "--cleantext-packs", "notoml.toml")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines_random([
        "*rule pack does not load:*",
        "*broken.toml: rule 'promo.a': field 'bogus': unknown key*",
        "*notoml.toml: not valid TOML*",
        "FAILED broken.toml::load*",
        "FAILED notoml.toml::load*",
    ])


def test_pack_without_enabled_rules_is_its_load_item(pytester: pytest.Pytester) -> None:
    off = USER_PACK.replace('category = "promo"', 'category = "promo"\nenabled = false')
    pytester.makefile(".toml", off=off)
    result = pytester.runpytest("--cleantext-packs", "off.toml", "--collect-only", "-q")
    result.stdout.fnmatch_lines(["off.toml::load", "off.toml::contact.wechat::match[[]0]"])
    result.stdout.no_fnmatch_line("*promo.shop*")


def test_pack_directory_rerun_by_node_id_and_missing_pack(pytester: pytest.Pytester) -> None:
    packs = pytester.mkdir("packs")
    (packs / "mine.toml").write_text(FAILING_PACK, encoding="utf-8")
    (packs / "notes.txt").write_text("not a pack", encoding="utf-8")
    pytester.runpytest("--cleantext-packs", "packs").assert_outcomes(passed=4, failed=4)
    one = pytester.runpytest("--cleantext-packs", "packs", "packs/mine.toml::contact.wechat::match[1]")
    one.assert_outcomes(failed=1)
    missing = pytester.runpytest("--cleantext-packs", "nothere.toml")
    assert missing.ret == pytest.ExitCode.USAGE_ERROR
    missing.stderr.fnmatch_lines(["*--cleantext-packs: nothere.toml: no such file or directory*"])


def test_pack_override_of_a_builtin_rule_is_collected(pytester: pytest.Pytester) -> None:
    """A user pack is read on top of the built-ins: it may override and disable built-in rules."""
    first, second = (r.id for r in default_pack().rules[:2])
    pytester.makefile(
        ".toml",
        mine=f"""
        [pack]
        name = "mine"
        disabled = ["{second}"]

        [[rules]]
        id = "{first}"
        category = "promo"
        keywords = ["外传"]
        pattern = '''^禁止外传$'''
        [rules.examples]
        match = ["禁止外传"]
        """,
    )
    result = pytester.runpytest("--cleantext-packs", "mine.toml", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(["mine.toml::load PASSED*", f"mine.toml::{first}::match[[]0] PASSED*"])


# --- plumbing


def test_entry_point_is_registered() -> None:
    eps = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert eps.get("cleantext") == "cleantext.testing.plugin"


def test_plugin_import_does_not_import_the_golden_machinery(pytester: pytest.Pytester) -> None:
    code = (
        "import sys, cleantext.testing.plugin, cleantext.testing;"
        "eager = [m for m in ('golden', 'golden_files', 'diffs', 'collect') if 'cleantext.testing.' + m in sys.modules];"
        "assert not eager, f'imported eagerly: {eager}';"
        "print('lazy-ok')"
    )
    result = pytester.run(sys.executable, "-c", code)
    assert result.ret == 0, result.stderr.str()
    result.stdout.fnmatch_lines(["lazy-ok"])


def test_help_lists_the_options(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--help")
    result.stdout.fnmatch_lines(["*--cleantext-regen*", "*--cleantext-packs=PACK.toml*", "*cleantext_golden_dir*"])


# --- the pieces, directly


def test_visible_line_marks_invisibles_tabs_trailing_spaces_and_cr() -> None:
    assert visible_line("a\u200bb\tc  \r\n") == "a⟨U+200B⟩b⟨TAB⟩c⟨SP⟩⟨SP⟩⟨CR⟩⏎"
    assert visible_line("\ufeff正文\u3000\u00a0x") == "⟨U+FEFF⟩正文⟨U+3000⟩⟨U+00A0⟩x"
    assert visible_line("a b") == "a b", "inner spaces stay as they are"
    assert visible_line("\ufffd\u2028\U000e0041") == "⟨U+FFFD⟩⟨U+2028⟩⟨U+E0041⟩"


def test_visible_is_unambiguous() -> None:
    # The markers themselves are escaped when literal, so these renderings all differ.
    samples = ["a\u200b", "a⟨U+200B⟩", "a\t", "a⟨TAB⟩", "a\n", "a⏎", "a ", "a⟨SP⟩", "a\r\n", "a\n\r"]
    rendered = [visible(s) for s in samples]
    assert len(set(rendered)) == len(samples), rendered


def test_line_texts_cut_where_the_cleaner_cuts() -> None:
    assert line_texts("a\u2028b\x0cc\r\nd") == ["a\u2028b\x0cc\r\n", "d"]
    assert line_texts("a\rb\r") == ["a\r", "b\r"]
    assert line_texts("a\rb\nc") == ["a\r", "b\n", "c"]  # a lone CR ends a line in a mixed file too
    assert line_texts("") == []


def test_text_diff_names_the_column_of_long_lines() -> None:
    old = "甲" * 50 + "乙\n"
    new = "甲" * 50 + "\u200b乙\n"
    out = text_diff(old, new, "golden", "obtained")
    assert out[:3] == ["--- golden", "+++ obtained", "@@ -1 +1 @@"]
    assert "line 1, column 51: golden 乙 (U+4E59 CJK UNIFIED IDEOGRAPH-4E59), obtained ⟨U+200B⟩ (U+200B ZERO WIDTH SPACE);" in "\n".join(out)


def test_text_diff_tells_confusables_apart() -> None:
    out = "\n".join(text_diff("第一条\n", "第ー条\n", "golden", "obtained"))
    assert "golden 一 (U+4E00 CJK UNIFIED IDEOGRAPH-4E00), obtained ー (U+30FC KATAKANA-HIRAGANA PROLONGED SOUND MARK)" in out
    out = "\n".join(text_diff("a\n", "a  \n", "golden", "obtained"))
    assert "+a⟨SP⟩⟨SP⟩⏎" in out
    assert "golden ⏎ (U+000A LINE FEED), obtained ⟨SP⟩ (U+0020 SPACE)" in out


def test_text_diff_spots_line_ending_conversion() -> None:
    out = text_diff("甲\r\n乙\r\n", "甲\n乙\n", "golden", "obtained")
    assert out[0].startswith("the texts differ only in line endings (CRLF vs LF)")
    assert "-甲⟨CR⟩⏎" in out
    assert "+甲⏎" in out


def test_removal_changes_empty_when_equal() -> None:
    r = {"start": 0, "end": 2, "text": "ab", "rule": "x.y", "category": "x", "zone": "head", "line": 1, "action": "line"}
    assert removal_changes([r], [dict(r)]) == []
    assert removal_changes([r], [])[:2] == [
        "removals differ: 1 disappeared, 0 appeared; by rule id (golden → obtained):",
        "  x.y: 1 → 0 (-1)",
    ]


def test_default_basename() -> None:
    assert default_basename("test_doc[seed_utf8.txt]") == "test_doc_seed_utf8_txt"  # not …txt.txt
    assert default_basename("test_x[中文-1]") == "test_x_中文-1"
    assert default_basename("test_x[a/b\\c:d]") == "test_x_a_b_c_d"
    long_a, long_b = default_basename("t[" + "a" * 200 + "1]"), default_basename("t[" + "a" * 200 + "2]")
    assert len(long_a) == 100
    assert long_a != long_b


def test_dump_report_escapes_invisibles_and_round_trips() -> None:
    d = {"removals": [{"text": "x\u200b\u3000中\ufeff\t\U000e0041"}], "notices": []}
    raw = dump_report(d)
    assert b"\\u200b" in raw
    assert b"\\u3000" in raw
    assert "中".encode() in raw
    assert json.loads(raw) == d


# Text made of what golden diffs must tell apart: hanzi, confusables, invisibles, our own markers.
_TRICKY = st.lists(
    st.sampled_from([*"一ー—－：: \t\r\n\u3000\u00a0\u200b\ufeff⟨⟩⏎UTSPCR+0", "\U000e0041", "⟨SP⟩", "⟨U+200B⟩"]),
    max_size=12,
).map("".join)


@given(_TRICKY, _TRICKY)
def test_visible_never_renders_two_texts_alike(a: str, b: str) -> None:
    if a != b:
        assert visible(a) != visible(b)


@given(st.dictionaries(st.text(max_size=5), st.text(max_size=20) | st.integers() | st.booleans(), max_size=6))
def test_dump_report_round_trips_any_text(d: dict[str, object]) -> None:
    raw = dump_report(d)
    assert json.loads(raw.decode("utf-8")) == d


def test_pack_example_items_run_the_real_matching_path(pytester: pytest.Pytester) -> None:
    """The pattern matches the example, but the rule's keyword never occurs in it: the rule can never
    remove that line, and the item says so (the same runner as loading and check-pack)."""
    pytester.makefile(".toml", mine=USER_PACK.replace('keywords = ["本店"]', 'keywords = ["小店"]'))
    result = pytester.runpytest("--cleantext-packs", "mine.toml")
    result.assert_outcomes(passed=5, failed=2)
    result.stdout.fnmatch_lines_random([
        "*rule 'promo.shop' (mine.toml), example match[[]0] failed:",
        "*none of the rule's keywords (小店) occurs in this `match` example, so the keyword prefilter never*",
        "*keywords: 小店",
        "FAILED mine.toml::promo.shop::match[[]1]*",
    ])
