"""cleantext: clean Chinese documents from reseller and 文库 sites, with an exact removal report.

>>> import cleantext
>>> res = cleantext.clean("会员群：   免费QQ群：\\n正文第一段，内容完整保留。\\n")
>>> res.text
'正文第一段，内容完整保留。\\n'
>>> cleantext.restore(res.text, res.report) == "会员群：   免费QQ群：\\n正文第一段，内容完整保留。\\n"
True
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING, Any

from .config import __version__
from .errors import (
    BinaryInputError,
    CleantextError,
    DecodeError,
    InputError,
    InputTooLargeError,
    ReportError,
    RuleCompileError,
    RuleExampleError,
    RulePackError,
    RuleSchemaError,
    RuleTimeoutError,
)

if TYPE_CHECKING:
    from .api import clean, clean_bytes, clean_file, get_cleaner, restore, restore_bytes
    from .check import load_pack, pack_from_text
    from .config import DEFAULT_LIMITS, Limits
    from .engine import Cleaner
    from .mine import Finding, Mined, mine
    from .model import BytePatch, Encoding, PackRef, Removal
    from .report import Cleaned, Report
    from .rules import RulePack, default_pack


logging.getLogger("cleantext").addHandler(logging.NullHandler())

# Public names resolve on first use (PEP 562): the pytest11 plugin makes pytest import this
# package in every project that has it installed, and regex, chardet and the engine cost ~80 ms.
_LAZY: dict[str, str] = {
    "clean": "api", "clean_bytes": "api", "clean_file": "api", "get_cleaner": "api", "restore": "api",
    "restore_bytes": "api", "DEFAULT_LIMITS": "config", "Limits": "config", "Cleaner": "engine",
    "BytePatch": "model", "Encoding": "model", "PackRef": "model", "Removal": "model", "Cleaned": "report",
    "Report": "report", "RulePack": "rules", "default_pack": "rules", "load_pack": "check",
    "pack_from_text": "check", "mine": "mine", "Mined": "mine", "Finding": "mine",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'cleantext' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DEFAULT_LIMITS",
    "BinaryInputError",
    "BytePatch",
    "Cleaned",
    "Cleaner",
    "CleantextError",
    "DecodeError",
    "Encoding",
    "Finding",
    "InputError",
    "InputTooLargeError",
    "Limits",
    "Mined",
    "PackRef",
    "Removal",
    "Report",
    "ReportError",
    "RuleCompileError",
    "RuleExampleError",
    "RulePack",
    "RulePackError",
    "RuleSchemaError",
    "RuleTimeoutError",
    "__version__",
    "clean",
    "clean_bytes",
    "clean_file",
    "default_pack",
    "get_cleaner",
    "load_pack",
    "mine",
    "pack_from_text",
    "restore",
    "restore_bytes",
]
