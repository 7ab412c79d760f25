"""Packs as a new user meets them (issue 15): every problem listed, errors that name the file."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import cleantext
from cleantext import cli
from cleantext.errors import RulePackError, RuleSchemaError
from cleantext.rules.schema import pack_problems, parse_pack

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "inputs" / "seed_utf8.txt"

MANY_PROBLEMS = """\
[pack]
name = "bad"
disabled = ["page_furniture.nosuch"]

[[rules]]
id = "promo.a"
pattern = '^欢迎光临小店$'
bogus = 1
[rules.examples]
match = ["x"]

[[rules]]
id = "promo.b"
pattern = '^(欢迎'
[rules.examples]
match = ["欢迎"]

[[rules]]
id = "promo.c"
pattern = '^欢迎光临小店$'
[rules.examples]
match = ["欢迎光临小店，全场包邮"]
no_match = ["欢迎光临小店"]

[[rules]]
id = "promo.d"
zone = "nowhere"
pattern = 'x'
colour = "red"
[rules.examples]
match = ["x"]

[[rules]]
id = "promo.c"
pattern = 'y'
[rules.examples]
match = ["y"]

[[allow]]
pattern = '(('
"""


def test_check_pack_reports_every_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text(MANY_PROBLEMS, encoding="utf-8")
    assert cli.main(["check-pack", str(pack)]) == cli.EXIT_FAILED
    out = capsys.readouterr().out
    for fragment in (
        "rule 'promo.a': field 'bogus': unknown key",
        "rule 'promo.d': field 'zone': must be",
        "rule 'promo.d': field 'colour': unknown key",
        "rule 'promo.c': field 'id': duplicate id",
        "[pack] disabled names unknown rule 'page_furniture.nosuch'",
        "[[allow]][0]: pattern does not compile",
        "rule 'promo.b' field 'pattern': pattern does not compile",
        "promo.c::match[0]: pattern missed",
        "promo.a::match[0]: pattern missed",
        "promo.c::no_match[0]: pattern matched",
    ):
        assert f"{pack}: " in next((x for x in out.splitlines() if fragment in x), ""), fragment
    assert out.splitlines()[-1] == f"{pack}: 10 problems"


def test_clean_points_to_check_pack_with_the_pack_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text(MANY_PROBLEMS, encoding="utf-8")
    assert cli.main(["clean", "--pack", str(pack), str(SEED)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert f"(`cleantext check-pack {pack}` lists every problem)" in err
    # ... and running exactly that does list more than the one problem clean stopped at
    assert cli.main(["check-pack", str(pack)]) == cli.EXIT_FAILED
    assert capsys.readouterr().out.count(f"{pack}: ") > 2


def test_parse_pack_still_raises_the_first_problem() -> None:
    with pytest.raises(RuleSchemaError, match=r"rule 'promo\.a': field 'bogus'"):
        parse_pack(MANY_PROBLEMS, "bad.toml")
    pf, errors = pack_problems(MANY_PROBLEMS, "bad.toml")
    assert [r.id for r in pf.rules] == ["promo.a", "promo.b", "promo.c"]  # promo.a without its unknown key
    assert len(errors) == 4


PACK_WITH_DISABLED = """\
[pack]
name = "my-site"
disabled = ["page_furniture.page-counter"]

[[rules]]
id = "promo.my-brand"
pattern = '^好资料网$'
[rules.examples]
match = ["好资料网"]
"""


def test_disabled_builtin_without_builtins_is_an_error_naming_the_file(tmp_path: Path) -> None:
    pack = tmp_path / "my_site.toml"
    pack.write_text(PACK_WITH_DISABLED, encoding="utf-8")
    assert "page_furniture.page-counter" not in {r.id for r in cleantext.load_pack(pack).rules}
    with pytest.raises(RuleSchemaError) as e:
        cleantext.load_pack(pack, builtins=False)
    msg = str(e.value)
    assert msg.startswith(f"{pack}: [pack] disabled names unknown rule 'page_furniture.page-counter'")
    assert "a built-in rule, but the built-in packs are not loaded" in msg


def test_disabled_unknown_id_names_the_file(tmp_path: Path) -> None:
    pack = tmp_path / "typo.toml"
    pack.write_text(PACK_WITH_DISABLED.replace("page-counter", "page-countr"), encoding="utf-8")
    with pytest.raises(RuleSchemaError, match=r"typo\.toml: \[pack\] disabled names unknown rule") as e:
        cleantext.load_pack(pack)
    assert "built-in packs are not loaded" not in str(e.value)


ALLOW_ARTICLES = """\
[[allow]]
pattern = '''^第[一二三四五六七八九十百]+条'''
"""


def test_pack_allow_protects_lines_from_line_rules_not_from_invisible_marks() -> None:
    pack = cleantext.pack_from_text(ALLOW_ARTICLES, builtins=True)
    text = "正文开始了，这是一份很长的文件。\n第一条 本办法\u200b适用于全体人员。\n第二条 仅供学习 禁止外传\n"
    res = cleantext.clean(text, pack=pack)
    assert [(r.rule, r.text) for r in res.report.removals] == [("invisible.zero-width", "\u200b")]
    assert "第二条 仅供学习 禁止外传" in res.text


def test_a_pickled_cleaner_is_small_and_equal() -> None:
    cleaner = cleantext.Cleaner()
    blob = pickle.dumps(cleaner)
    assert len(blob) < 4096  # README: "a few KB" (the built-in rule text alone is ~260 KB)
    again = pickle.loads(blob)
    assert again.pack.ref == cleaner.pack.ref
    doc = "仅供学习 禁止外传\n正文第一段，内容完整保留。\n"
    assert again.clean_text(doc) == cleaner.clean_text(doc)


def test_a_pickled_user_pack_travels_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "my_site.toml"
    path.write_text(PACK_WITH_DISABLED, encoding="utf-8")
    pack = cleantext.load_pack(path)
    blob = pickle.dumps(pack)
    path.unlink()  # workers never need the file
    again = pickle.loads(blob)
    assert again.ref == pack.ref
    assert "promo.my-brand" in {r.id for r in again.rules}


def test_unpickling_refuses_different_builtin_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    import cleantext.rules as rules_mod  # noqa: PLC0415

    blob = pickle.dumps(cleantext.load_pack())
    extra = '\n[[rules]]\nid = "contact.zz-extra"\npattern = "zz"\n[rules.examples]\nmatch = ["zz"]\n'
    changed = tuple((n, t + extra if i == 0 else t) for i, (n, t) in enumerate(rules_mod.builtin_sources()))
    monkeypatch.setattr(rules_mod, "builtin_sources", lambda: changed)
    with pytest.raises(RulePackError, match="differ from those of the process that pickled it"):
        pickle.loads(blob)


FRAGMENTS = """\
[fragments]
colon = '[^\\S\\n]*:[^\\S\\n]*'
contact = '微信|QQ|邮箱'
label = '(?:联系|客服)?{contact}'

[[rules]]
id = "contact.frag"
pattern = '^[^\\S\\n]*{label}{colon}[\\w@.]{4,30}[^\\S\\n]*$'
allow = ['{contact}{colon}公众号']
[rules.examples]
match = ["客服微信：abc123", "联系QQ:12345678"]
no_match = ["微信公众号已开通。"]
"""


def test_fragments_expand_in_patterns_and_allow_and_keep_quantifiers_and_properties() -> None:
    pf = parse_pack(FRAGMENTS.replace("[\\w@.]{4,30}", "[\\p{Han}\\w@.]{4,30}"))
    (rule,) = pf.rules
    assert "{label}" not in rule.pattern
    assert "{colon}" not in rule.pattern
    assert "(?:(?:联系|客服)?(?:微信|QQ|邮箱))" in rule.pattern
    assert "{4,30}" in rule.pattern
    assert "\\p{Han}" in rule.pattern
    assert rule.allow == ("(?:微信|QQ|邮箱)(?:[^\\S\\n]*:[^\\S\\n]*)公众号",)
    res = cleantext.clean("客服微信：abc123\n\n正文第一句写得很完整，说明情况。\n", pack=cleantext.pack_from_text(FRAGMENTS))
    assert [(r.rule, r.text) for r in res.report.removals if r.text.strip()] == [("contact.frag", "客服微信：abc123\n")]
    assert res.text.strip() == "正文第一句写得很完整，说明情况。"


def test_fragments_are_part_of_the_pack_hash() -> None:
    a = cleantext.pack_from_text(FRAGMENTS)
    b = cleantext.pack_from_text(FRAGMENTS.replace("微信|QQ|邮箱", "微信|QQ|邮箱|电话"))
    assert a.ref.sha256 != b.ref.sha256


def test_an_unknown_fragment_is_an_error_naming_rule_and_field() -> None:
    with pytest.raises(RuleSchemaError, match=r"rule 'contact.frag': field 'pattern': unknown fragment \{lable\}"):
        parse_pack(FRAGMENTS.replace("{label}{colon}[", "{lable}{colon}["))
    with pytest.raises(RuleSchemaError, match=r"fragments.Bad"):
        parse_pack(FRAGMENTS.replace("colon =", "Bad ="))
