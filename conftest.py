"""Collection rules for the whole repository (``tests/`` and the doctests in ``cleantext/``).

- ``--doctest-modules`` collects doctests from ``cleantext/`` only: test modules hold no
  doctests, and importing them a second time as doctest modules printed every collection problem
  twice.
- Doctests that need an optional extra skip with the reason when it is absent.
- Under ``CI=true`` (``.ci/run``) every extra and the shared corpora are there: a skip means a
  test silently did not run, so it fails the session.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Generator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
TESTS = ROOT / "tests"
Collected = list[pytest.Collector]
DOCTEST_EXTRAS = {"cleantext.arrow": ("pyarrow", "arrow"), "cleantext.integrations.ray": ("ray", "ray")}


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> Generator[None, Collected, Collected]:
    collected = yield
    if TESTS in file_path.parents:
        return [c for c in collected if type(c).__name__ != "DoctestModule"]
    return collected


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if type(item).__name__ != "DoctestItem":
            continue
        for module, (dep, extra) in DOCTEST_EXTRAS.items():
            if (item.name == module or item.name.startswith(module + ".")) and importlib.util.find_spec(dep) is None:
                item.add_marker(pytest.mark.skip(reason=f"needs {dep}: pip install 'cleantext-ads[{extra}]'"))


def _ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _ci() and reporter is not None and reporter.stats.get("skipped"):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if _ci() and skipped:
        terminalreporter.write_line(f"CI=true: {len(skipped)} test(s) skipped; CI has every extra and the shared "
                                    "corpora, so nothing may skip (reasons: the SKIPPED lines)", red=True)
