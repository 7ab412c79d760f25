"""The repository's collection rules (``conftest.py`` at the root, issue 11 item 11): a fresh
clone without extras runs the suite, every skip says why, nothing is collected twice, and under
``CI=true`` a skip fails the session (CI has every extra and the corpora)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT_CONFTEST = (Path(__file__).resolve().parents[1] / "conftest.py").read_text(encoding="utf-8")


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest(ROOT_CONFTEST)
    pytester.makeini("[pytest]\naddopts = --doctest-modules -rs\n")
    (pytester.path / "tests").mkdir()  # no __init__.py: this process already has a ``tests`` package
    return pytester


def test_a_skip_fails_the_session_only_under_ci(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    (project.path / "tests" / "test_x.py").write_text(
        "import pytest\n\ndef test_a():\n    pass\n\ndef test_b():\n    pytest.skip('no corpus')\n", encoding="utf-8"
    )
    monkeypatch.delenv("CI", raising=False)
    assert project.runpytest("tests").ret == pytest.ExitCode.OK
    monkeypatch.setenv("CI", "true")
    res = project.runpytest("tests")
    assert res.ret == pytest.ExitCode.TESTS_FAILED
    res.stdout.fnmatch_lines(["*SKIPPED*no corpus*"])
    res.stdout.fnmatch_lines(["CI=true: 1 test(s) skipped*"])


def test_test_modules_are_not_collected_twice(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    (project.path / "tests" / "test_broken.py").write_text("import not_a_module_anywhere\n", encoding="utf-8")
    (project.path / "mod.py").write_text('def f():\n    """\n    >>> 1 + 1\n    2\n    """\n', encoding="utf-8")
    res = project.runpytest()
    assert "\n".join(res.outlines).count("ModuleNotFoundError: No module named 'not_a_module_anywhere'") == 1
    res.assert_outcomes(errors=1)  # once, as a test module; not again as a doctest module


def test_doctest_of_an_optional_extra_skips_with_the_reason(project: pytest.Pytester,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    project.makeconftest(ROOT_CONFTEST.replace('"cleantext.arrow"', '"pkgx.arrow"'))  # this process has cleantext
    pkg = project.path / "pkgx"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "arrow.py").write_text('def f():\n    """\n    >>> 1 + 1\n    2\n    """\n', encoding="utf-8")
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, package=None: None if name == "pyarrow" else real(
        name, package))
    res = project.runpytest("pkgx")
    res.assert_outcomes(skipped=1)
    assert "SKIPPED [1] pkgx/arrow.py: needs pyarrow: pip install 'cleantext-ads[arrow]'" in res.outlines
