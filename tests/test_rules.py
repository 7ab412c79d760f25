"""Rule packs: every built-in rule's examples, the strict schema, extend / override / disable."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import cleantext
from cleantext import RuleCompileError, RuleExampleError, RuleSchemaError
from cleantext.check import check_pack, example_results, load_pack, pack_from_text, run_examples
from cleantext.rules import RulePack, builtin_sources
from cleantext.rules.compile import compile_rule
from cleantext.rules.examples import ExampleResult
from cleantext.rules.schema import parse_pack
from cleantext.rules.shadow import shadow
from cleantext.testing import collect
from cleantext.visible import visible

from .conftest import DEAD_BUILTIN_EXAMPLES

BUILTIN = cleantext.default_pack()
RESULTS = example_results(BUILTIN)


@pytest.mark.parametrize(
    "res",
    [
        pytest.param(r, marks=pytest.mark.xfail(reason=DEAD_BUILTIN_EXAMPLES[r.name], strict=True))
        if r.name in DEAD_BUILTIN_EXAMPLES else r
        for r in RESULTS
    ],
    ids=[r.name for r in RESULTS],
)
def test_builtin_rule_example(res: ExampleResult) -> None:
    assert res.ok, res.message


@pytest.mark.parametrize("rule", BUILTIN.rules, ids=[r.id for r in BUILTIN.rules])
def test_builtin_rule_has_both_kinds_of_examples_and_a_description(rule: cleantext.rules.Rule) -> None:
    assert rule.examples_match, f"{rule.id}: no match example"
    assert rule.examples_no_match, f"{rule.id}: no no_match example"
    assert rule.description, f"{rule.id}: no description"
    assert rule.id.split(".", 1)[0] == rule.category or rule.category in rule.id


def test_builtin_packs_one_per_category() -> None:
    names = [name for name, _ in builtin_sources()]
    assert all(n.startswith("builtin:") and n.endswith(".toml") for n in names)
    cats = {r.category for r in BUILTIN.rules}
    assert cats == {"reseller_header", "contact", "promo", "disclaimer", "page_furniture", "web_chrome", "inline",
                    "invisible"}
    # each rule file holds the rules of one category and is named after it (signals.toml: no rules)
    per_file = {name: {r.category for r in parse_pack(text, name).rules} for name, text in builtin_sources()}
    with_rules = {name.removeprefix("builtin:").removesuffix(".toml"): c for name, c in per_file.items() if c}
    assert with_rules == {cat: {cat} for cat in cats}


GOOD = """
[pack]
name = "mine"
version = "1"

[[rules]]
id = "promo.my-brand"
description = "our own brand line"
keywords = ["好资料"]
pattern = '^好资料网$'
zone = ["any"]
[rules.examples]
match = ["好资料网"]
no_match = ["这是好资料网推荐的文章，内容很长。"]
"""


def _pack(tmp_path: Path, text: str, name: str = "p.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_user_pack_extends_builtins(tmp_path: Path) -> None:
    pack = load_pack(_pack(tmp_path, GOOD))
    assert "promo.my-brand" in {r.id for r in pack.rules}
    assert "reseller_header.member-group" in {r.id for r in pack.rules}
    assert pack.ref.name == "builtin+mine"
    res = cleantext.clean("好资料网\n正文内容完整保留下来，没有任何改动。\n", pack=pack)
    assert res.text == "正文内容完整保留下来，没有任何改动。\n"
    assert res.report.pack == pack.ref


def test_same_id_overrides_and_disabled_turns_off(tmp_path: Path) -> None:
    override = GOOD.replace("promo.my-brand", "reseller_header.member-group")
    pack = load_pack(_pack(tmp_path, override))
    rule = next(r for r in pack.rules if r.id == "reseller_header.member-group")
    assert rule.pattern == "^好资料网$"
    off = load_pack(_pack(tmp_path, '[pack]\nname = "off"\ndisabled = ["reseller_header.member-group"]\n', "off.toml"))
    assert "reseller_header.member-group" not in {r.id for r in off.rules}
    doc = "好资料网\n正文内容完整保留下来，没有任何改动。\n"
    mine = _pack(tmp_path, GOOD, "mine.toml")
    assert cleantext.clean(doc, pack=load_pack(mine)).text != doc
    mine_off = _pack(tmp_path, '[pack]\nname = "off2"\ndisabled = ["promo.my-brand"]\n', "off2.toml")
    # the rule is off (the brand line may still go by score: 资料网 is site vocabulary)
    assert all(r.rule != "promo.my-brand" for r in cleantext.clean(doc, pack=load_pack(mine, mine_off)).report.removals)
    enabled_false = GOOD.replace('id = "promo.my-brand"', 'id = "reseller_header.member-group"\nenabled = false')
    pack2 = load_pack(_pack(tmp_path, enabled_false, "e.toml"))
    assert "reseller_header.member-group" not in {r.id for r in pack2.rules}


def test_pack_hash_pins_rule_text(tmp_path: Path) -> None:
    a = load_pack(_pack(tmp_path, GOOD))
    b = load_pack(_pack(tmp_path, GOOD.replace("好资料网$", "好资料网站?$").replace('["好资料网"]', '["好资料网站"]'), "b.toml"))
    assert a.ref.sha256 != b.ref.sha256
    assert load_pack(_pack(tmp_path, GOOD, "c.toml")).ref.sha256 == a.ref.sha256


@pytest.mark.parametrize(
    ("change", "error", "words"),
    [
        (lambda t: t.replace('version = "1"', 'version = "1"\ncolour = "red"'), RuleSchemaError, "colour"),
        (lambda t: t.replace("keywords = [\"好资料\"]", "keywords = [\"好资料\"]\nspeed = 3"), RuleSchemaError, "speed"),
        (lambda t: t + t[t.index("[[rules]]"):], RuleSchemaError, "duplicate"),
        (lambda t: t.replace('["好资料"]', '[""]'), RuleSchemaError, "keywords"),
        (lambda t: t.replace('zone = ["any"]', 'zone = ["any"]\nscope = "block"'), RuleSchemaError, "block"),
        (lambda t: t.replace('match = ["好资料网"]', "match = []"), RuleSchemaError, "examples.match"),
        (lambda t: t.replace("'^好资料网$'", "'^(好资料网$'"), RuleCompileError, "pattern"),
        (lambda t: t.replace('match = ["好资料网"]', 'match = ["坏资料网"]'), RuleExampleError, "match[0]"),
        (lambda t: t.replace('zone = ["any"]', 'zone = ["middle"]'), RuleSchemaError, "zone"),
        (lambda t: t.replace('id = "promo.my-brand"', 'id = "My Brand"'), RuleSchemaError, "id"),
        (lambda t: "[[rules]\n" + t, RuleSchemaError, "TOML"),
    ],
)
def test_strict_loading_names_file_rule_and_field(
    tmp_path: Path, change: object, error: type[Exception], words: str
) -> None:
    path = _pack(tmp_path, change(GOOD))  # type: ignore[operator]
    with pytest.raises(error) as info:
        load_pack(path, builtins=False)
    msg = str(info.value)
    assert words in msg
    assert str(path) in msg


def test_unreadable_pack_is_a_schema_error(tmp_path: Path) -> None:
    with pytest.raises(RuleSchemaError, match="cannot read"):
        load_pack(tmp_path / "missing.toml")


def test_pack_pickles_as_source_and_hash() -> None:
    pack = pack_from_text(GOOD)
    blob = pickle.dumps(pack)
    assert len(blob) < 4000  # no compiled patterns or automaton
    assert "好资料网".encode() in blob  # the user pack's own text travels
    back = pickle.loads(blob)
    assert isinstance(back, RulePack)
    assert back.sources == pack.sources
    assert back.ref == pack.ref
    # built-in packs travel as their names and the hash: the receiver has the same files
    builtin = pickle.dumps(BUILTIN)
    assert len(builtin) < 1000
    assert "好资料网".encode() not in builtin
    assert pickle.loads(builtin).ref == BUILTIN.ref
    cleaner = pickle.loads(pickle.dumps(cleantext.Cleaner(pack)))
    assert cleaner.clean_text("好资料网\n").text == ""


HOSTILE = """
[[rules]]
id = "promo.hostile"
description = "catastrophic backtracking on long runs of a"
keywords = ["a"]
pattern = '^(a|aa)+$'
zone = ["any"]
[rules.examples]
match = ["aaaa"]
no_match = ["b"]
"""


def test_hostile_pattern_times_out_with_a_notice() -> None:
    pack = pack_from_text(HOSTILE)
    cleaner = cleantext.Cleaner(pack, cleantext.Limits(regex_timeout=0.05))
    doc = "a" * 40 + "!\n" + "aaaa\n"
    res = cleaner.clean_text(doc)
    assert res.text == doc  # the rule was skipped, nothing lost
    assert any(n.startswith("rule-timeout: promo.hostile") for n in res.report.notices)
    strict = cleantext.Cleaner(pack, cleantext.Limits(regex_timeout=0.05), strict=True)
    with pytest.raises(cleantext.RuleTimeoutError):
        strict.clean_text(doc)


def test_visible_shows_what_cannot_be_seen() -> None:
    assert visible("a\u200bb\tc\r") == "a⟨U+200B⟩b⟨TAB⟩c⟨CR⟩"
    assert visible("x ⟨U+200B⟩") == "x ⟨U+27E8⟩U+200B⟩"  # our own marker is escaped too


FOLLOWED = """
[[rules]]
id = "page_furniture.foreign-title"
description = "a suffixed title followed by the document's own Markdown title"
keywords = ["全文"]
pattern = '^[^\\n]{2,40}\\(全文\\d+字\\)[^\\S\\n]*$'
followed_by = '^#{1,6}[^\\S\\n]'
zone = ["head"]
[rules.examples]
match = ["党课：在做好办公室工作中书写人生华章（全文13438字）\\n# 中华人民共和国国际海运条例"]
no_match = ["党课：在做好办公室工作中书写人生华章（全文13438字）\\n正文第一段。", "党课（全文3字）"]
"""


def test_followed_by_looks_at_the_next_non_blank_line() -> None:
    pack = pack_from_text(FOLLOWED)
    foreign = "党课：在做好办公室工作中书写人生华章（全文13438字）\n\n# 中华人民共和国国际海运条例\n\n第一条 为了规范国际海运活动，制定本条例。\n"
    assert cleantext.clean(foreign, pack=pack).text.startswith("# 中华人民共和国国际海运条例")
    own = "党课：在做好办公室工作中书写人生华章（全文13438字）\n\n第一条 为了规范国际海运活动，制定本条例。\n"
    assert cleantext.clean(own, pack=pack).text == own
    with pytest.raises(RuleSchemaError, match="followed_by"):
        pack_from_text(FOLLOWED.replace('zone = ["head"]', 'zone = ["head"]\nscope = "span"'))


# Examples run through the real matching path (cleantext/check.py): the pattern alone hitting the
# example is not enough. Each pack below has a pattern that matches its `match` example, so the
# old pattern-only runner passed all of them, while the rule could never remove that line.


def _dead(t: str) -> str:
    return GOOD.replace('keywords = ["好资料"]', t)


@pytest.mark.parametrize(
    ("pack", "why"),
    [
        (_dead('keywords = ["资料站"]'), "none of the rule's keywords (资料站) occurs"),
        (_dead('keywords = ["好资料"]\nmax_chars = 3'), "over the rule's max_chars = 3"),
        (_dead('keywords = ["好资料"]\nallow = ["网$"]'), "the allow pattern '网$' vetoes it"),
        (GOOD + '\n[[allow]]\npattern = "^好资料"\n', "the pack's [[allow]] pattern '^好资料' protects it"),
        (_dead('keywords = []\nprefilter = "^坏"'), "the rule's prefilter '^坏' does not hit"),
    ],
    ids=["keyword-absent", "max-chars", "rule-allow", "pack-allow", "prefilter"],
)
def test_match_example_the_rule_cannot_remove_fails_loading(pack: str, why: str) -> None:
    (rule,) = parse_pack(pack).rules
    assert compile_rule(rule).pattern.search(shadow(rule.examples_match[0]))  # the pattern alone matches
    with pytest.raises(RuleExampleError) as info:
        pack_from_text(pack)
    msg = str(info.value)
    assert "promo.my-brand" in msg
    assert "match[0]" in msg
    assert why in msg


LONG_PROSE = "好资料网" + "，这是一段很长的正文" * 20 + "。"


def test_match_example_refused_as_long_prose_fails_only_in_the_body_zone() -> None:
    body_only = GOOD.replace("'^好资料网$'", "'^好资料网'").replace('zone = ["any"]', 'zone = ["body"]')
    body_only = body_only.replace('match = ["好资料网"]', f'match = ["{LONG_PROSE}"]').replace(
        'no_match = ["这是好资料网推荐的文章，内容很长。"]', 'no_match = ["好的"]')
    with pytest.raises(RuleExampleError, match="long prose"):
        pack_from_text(body_only)
    # in the head, resolve keeps whole-line removals of long lines: the same example passes there
    pack_from_text(body_only.replace('zone = ["body"]', 'zone = ["head", "body"]'))


def test_no_match_example_is_checked_in_every_zone_of_the_rule() -> None:
    """A no_match example the rule removes in any of its zones fails, named as a pattern match."""
    text = GOOD.replace('no_match = ["这是好资料网推荐的文章，内容很长。"]', 'no_match = ["好资料网"]')
    with pytest.raises(RuleExampleError, match=r"no_match\[0\]: pattern matched the example '好资料网'"):
        pack_from_text(text)
    # long prose survives in the body but goes in the tail: the tail, checked second, fails it
    prose = GOOD.replace("'^好资料网$'", "'^好资料网'").replace(
        'no_match = ["这是好资料网推荐的文章，内容很长。"]', f'no_match = ["{LONG_PROSE}"]')
    pack_from_text(prose.replace('zone = ["any"]', 'zone = ["body"]'))
    with pytest.raises(RuleExampleError, match=r"no_match\[0\]"):
        pack_from_text(prose.replace('zone = ["any"]', 'zone = ["body", "tail"]'))


def test_block_rule_example_needs_its_end_line() -> None:
    """A ``require_end`` block removes nothing without its end line, so its example must carry it."""
    block = GOOD.replace('zone = ["any"]', 'zone = ["any"]\nscope = "block"\n[rules.block]\nend = "^关注我们$"\n'
                         'require_end = true')
    with pytest.raises(RuleExampleError, match="removes nothing"):
        pack_from_text(block)
    pack_from_text(block.replace('match = ["好资料网"]', 'match = ["好资料网\\n关注我们"]'))


def test_check_pack_and_the_pytest_items_use_the_same_runner() -> None:
    dead = _dead('keywords = ["资料站"]')
    problems, _, _ = check_pack("p.toml", dead)
    assert problems == [
        "p.toml: promo.my-brand::match[0]: none of the rule's keywords (资料站) occurs in this `match` example, "
        "so the keyword prefilter never hands the line to the pattern (example '好资料网')"
    ]
    # the pytest items (cleantext.testing.collect.RuleNode) report what run_examples finds: the same words
    assert vars(collect)["run_examples"] is run_examples
    (rule,) = parse_pack(dead, "p.toml").rules
    failed = [res for res in run_examples(compile_rule(rule)) if not res.ok]
    assert [f"p.toml: {res.name}: {res.message}" for res in failed] == problems
