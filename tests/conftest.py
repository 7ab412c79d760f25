"""Shared test setup: Hypothesis profiles, paths, and what a fresh clone without extras skips.

A fresh clone with ``pip install -e '.[test]'`` runs the default suite: tests that need an
optional extra (pyarrow, Ray) or the shared corpora beside the clone (``../shared``) skip with the
reason. CI (``CI=true``, set by ``.ci/run``) has all of them, so there any skip fails the run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
SHARED = REPO.parent / "shared"
SEED = FIXTURES / "inputs" / "seed_utf8.txt"  # the same bytes as ../shared/seeds/000_e4d3791afcba8e2d.txt
SEED_EXPECTED = FIXTURES / "expected" / "seed_utf8.txt"
DEV = SHARED / "corpus" / "dev"

DEAD_BUILTIN_EXAMPLES: dict[str, str] = {}
"""Built-in examples that pass the pattern but not the real matching path (cleantext/check.py): the
rule cannot remove them in real use. Fixing them means editing the pack TOML files, which the pack
rewrite owns; until then these tests expect the failure (strict), so a fix shows up as XPASS and the
entry must go."""

NO_SHARED = f"needs the shared corpora at {DEV} (beside the clone); not part of the repository"


def needs_shared() -> None:
    """Skip the calling test (or module, at import) when the shared dev corpus is absent."""
    if not (DEV / "manifest.jsonl").is_file():
        pytest.skip(NO_SHARED, allow_module_level=True)


def needs_extra(module: str, extra: str) -> None:
    """Skip the calling module when an optional extra is not installed (``importorskip`` with why)."""
    pytest.importorskip(module, reason=f"needs {module}: pip install 'cleantext-ads[{extra}]'")


def has_module(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def pytest_configure(config: pytest.Config) -> None:
    """Keep the ``fast`` extra's database cache (``multiscan.cache_dir``) out of the user's home:
    one folder per run, unless the caller chose one."""
    if "CLEANTEXT_CACHE_DIR" not in os.environ:
        os.environ["CLEANTEXT_CACHE_DIR"] = _OWN_CACHE[0] = tempfile.mkdtemp(prefix="cleantext-cache-")


_OWN_CACHE = [""]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _OWN_CACHE[0]:
        shutil.rmtree(_OWN_CACHE[0], ignore_errors=True)
        os.environ.pop("CLEANTEXT_CACHE_DIR", None)
