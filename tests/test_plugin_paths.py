"""The pytest plugin's paths (issue 15): packs relative to the test file, one extension per golden file."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

PACK = r"""
[pack]
name = "shop"

[[rules]]
id = "promo.shop"
keywords = ["星光文库"]
pattern = '''^[^\S\n]*本店:星光文库[^\S\n]*$'''
[rules.examples]
match = ["本店：星光文库"]
"""

TEST = """
DOC = "本店：星光文库\\n第一条 为了规范管理，制定本办法。\\n正文第二段，内容完整保留。\\n"

def test_doc(cleantext_golden):
    res = cleantext_golden.check(DOC, pack=PACK)
    assert [r.rule for r in res.report.removals][:1] == ["promo.shop"]
"""


@pytest.mark.parametrize("pack", ['"mine.toml"', '["mine.toml"]'])
def test_pack_path_is_relative_to_the_test_file(pytester: pytest.Pytester, pack: str) -> None:
    sub = pytester.mkdir("suite")
    (sub / "mine.toml").write_text(PACK, encoding="utf-8")
    (sub / "test_shop.py").write_text(f"PACK = {pack}\n{TEST}", encoding="utf-8")
    # started from the project root, not from suite/: the pack is still found next to the test
    pytester.runpytest("suite", "--cleantext-regen").assert_outcomes(failed=1)
    assert (sub / "golden" / "test_doc.txt").is_file()
    pytester.runpytest("suite").assert_outcomes(passed=1)


def test_parametrize_ids_with_extensions_do_not_double_them(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_golden="""
        import pytest

        @pytest.mark.parametrize("name", ["a.txt", "b.md"])
        def test_x(cleantext_golden, name):
            cleantext_golden.check("正文第一段，内容完整保留。\\n")
        """
    )
    pytester.runpytest("--cleantext-regen").assert_outcomes(failed=2)
    names = sorted(p.name for p in (pytester.path / "golden").iterdir())
    assert names == ["test_x_a_txt.json", "test_x_a_txt.txt", "test_x_b_md.json", "test_x_b_md.txt"]
