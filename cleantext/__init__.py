"""cleantext: clean Chinese documents from reseller and 文库 sites, with an exact removal report.

>>> import cleantext
>>> res = cleantext.clean("会员群：   免费QQ群：\\n正文第一段，内容完整保留。\\n")
>>> res.text
'正文第一段，内容完整保留。\\n'
>>> cleantext.restore(res.text, res.report) == "会员群：   免费QQ群：\\n正文第一段，内容完整保留。\\n"
True
"""

from __future__ import annotations

import logging

from .api import clean, clean_bytes, clean_file, get_cleaner, restore, restore_bytes
from .config import DEFAULT_LIMITS, Limits
from .engine import Cleaner
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
from .model import BytePatch, Encoding, PackRef, Removal
from .report import Cleaned, Report
from .rules import RulePack, default_pack, load_pack, pack_from_text

__version__ = "0.1.0"

logging.getLogger("cleantext").addHandler(logging.NullHandler())

__all__ = [
    "DEFAULT_LIMITS",
    "BinaryInputError",
    "BytePatch",
    "Cleaned",
    "Cleaner",
    "CleantextError",
    "DecodeError",
    "Encoding",
    "InputError",
    "InputTooLargeError",
    "Limits",
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
    "pack_from_text",
    "restore",
    "restore_bytes",
]
