"""pytest plugin, registered as entry point ``pytest11: cleantext``: installing cleantext-ads is enough.

- fixture ``cleantext_golden``: ``cleantext_golden.check(raw, basename=None, *, pack=None,
  golden_dir=None)`` compares the clean text and report with ``golden/<basename>.txt|.json``;
- ``--cleantext-regen``: rewrite golden files, failing each test that wrote some;
- ``--cleantext-packs PACK.toml``: one test item per rule example, ``PACK.toml::rule-id::match[0]``;
- ini ``cleantext_golden_dir``: one golden directory for all tests, relative to the rootdir.

Only hooks, options and the fixture live here; the work is in ``cleantext.testing.golden`` (the
fixture object, over ``golden_files`` and ``diffs``) and ``collect`` (pack examples as items), imported
on first use (a test asking for the fixture, a pack being collected). This module imports nothing of
cleantext's; what pytest pays at startup is the import of the parent package ``cleantext`` itself.
Disable the plugin with ``-p no:cleantext``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Generator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from .golden import GoldenChecker

_CHECKER = pytest.StashKey["GoldenChecker"]()
_CLAIMED = pytest.StashKey[dict[Path, str]]()
_TALLY = pytest.StashKey[Counter[str]]()
_PACKS = pytest.StashKey[tuple[frozenset[Path], frozenset[Path]]]()
"""(pack files, pack directories) named by ``--cleantext-packs``, resolved."""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("cleantext", "cleantext: golden files and rule-pack examples")
    group.addoption(
        "--cleantext-regen",
        action="store_true",
        dest="cleantext_regen",
        help="write or rewrite the golden files of cleantext_golden checks; those tests fail, saying what was written",
    )
    group.addoption(
        "--cleantext-packs",
        action="append",
        default=[],
        dest="cleantext_packs",
        metavar="PACK.toml",
        help="collect one test item per rule example of this rule pack (a file, or a directory of *.toml); "
        "repeatable",
    )
    parser.addini(
        "cleantext_golden_dir",
        type="string",
        default="",
        help="directory for cleantext_golden files, relative to the rootdir (default: golden/ next to each test file)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_CLAIMED] = {}
    config.stash[_TALLY] = Counter()
    names: list[str] = config.getoption("cleantext_packs") or []
    if not names:
        return
    here = config.invocation_params.dir
    files: set[Path] = set()
    dirs: set[Path] = set()
    for name in names:
        path = (here / name).resolve()
        if not path.exists():
            raise pytest.UsageError(f"--cleantext-packs: {name}: no such file or directory")
        (dirs if path.is_dir() else files).add(path)
    config.stash[_PACKS] = (frozenset(files), frozenset(dirs))
    # Collect the packs even when they lie outside the test paths, unless an argument already
    # covers them or picks something inside them (`pytest --cleantext-packs p.toml
    # "p.toml::rule-id::match[0]"` runs just that example).
    args = [(here / a.split("::", 1)[0]).resolve() for a in config.args]
    for path in sorted(files | dirs):
        if not any(a == path or a in path.parents or path in a.parents for a in args):
            config.args.append(str(path))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    packs = parent.config.stash.get(_PACKS, None)
    if packs is None or file_path.suffix != ".toml":
        return None
    files, dirs = packs
    path = file_path.resolve()
    if path in files or not dirs.isdisjoint(path.parents):
        from .collect import RulePackFile  # noqa: PLC0415 - lazy: only when a pack is collected

        return RulePackFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def cleantext_golden(request: pytest.FixtureRequest) -> GoldenChecker:
    """Golden-file checks of cleaned documents: ``cleantext_golden.check(raw, basename=None, *,
    pack=None, golden_dir=None)``. See ``cleantext.testing.golden``."""
    from .golden import GoldenChecker  # noqa: PLC0415 - lazy: only tests that use the fixture pay

    config = request.config
    test_dir = request.path.parent
    ini_dir: str = config.getini("cleantext_golden_dir")
    checker = GoldenChecker(
        test_dir=test_dir,
        test_name=request.node.name,
        nodeid=request.node.nodeid,
        regen=bool(config.getoption("cleantext_regen")),
        golden_dir=(config.rootpath / ini_dir) if ini_dir else test_dir / "golden",
        rootpath=config.rootpath,
        claimed=config.stash.setdefault(_CLAIMED, {}),
        tally=config.stash.setdefault(_TALLY, Counter()),
    )
    request.node.stash[_CHECKER] = checker
    return checker


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Under ``--cleantext-regen``, fail a test that wrote golden files once its body has run, so that
    every check of the test is regenerated in one run (a test that fails anyway keeps its own error)."""
    yield
    checker = item.stash.get(_CHECKER, None)
    if checker is not None and checker.written:
        pytest.fail(checker.regen_message(), pytrace=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    tally = config.stash.get(_TALLY, None)
    if not tally:
        return
    from .golden import summary_line  # noqa: PLC0415 - lazy; only reached after golden checks ran

    terminalreporter.write_sep("-", "cleantext golden")
    terminalreporter.write_line(summary_line(tally))
