"""Testing helpers: the pytest plugin (``plugin``, entry point ``pytest11: cleantext``) and the
logic behind it: ``golden`` (the ``cleantext_golden`` fixture object), ``golden_files`` (what a
golden file holds), ``diffs`` (what a failed check shows), ``collect`` (rule-pack examples as items).

``from cleantext.testing import GoldenChecker`` gives the type of the ``cleantext_golden`` fixture,
for annotations. It is loaded on first access, so pytest importing the plugin stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .golden import GoldenChecker


def __getattr__(name: str) -> Any:
    if name == "GoldenChecker":
        from .golden import GoldenChecker  # noqa: PLC0415 - lazy: keeps importing the plugin cheap

        return GoldenChecker
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["GoldenChecker"]
