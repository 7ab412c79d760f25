"""The exception tree: everything cleantext raises on bad input or bad rules.

::

    CleantextError
    ├── InputError (ValueError)
    │   ├── BinaryInputError        bytes that are not text (NULs, image/archive signatures)
    │   ├── DecodeError (UnicodeError) no encoding fits within the replacement budget
    │   └── InputTooLargeError      above ``Limits.max_bytes``
    ├── RulePackError (ValueError)
    │   ├── RuleSchemaError         unknown key, wrong type, duplicate id, missing field
    │   ├── RuleCompileError        a pattern that ``regex`` cannot compile
    │   └── RuleExampleError        a rule that fails its own examples
    ├── RuleTimeoutError (TimeoutError)  only when the caller asks for strictness
    └── ReportError (ValueError)    a report that does not describe a valid edit

Built-in bases let callers that already catch ``ValueError`` or ``UnicodeError`` keep working.
"""

from __future__ import annotations


class CleantextError(Exception):
    """Base of every error cleantext raises on bad input, bad rules or bad reports."""


class InputError(CleantextError, ValueError):
    """The input cannot be cleaned as text."""


class BinaryInputError(InputError):
    """The input looks like binary data (image, archive, executable), not a text document."""


class DecodeError(InputError, UnicodeError):
    """No supported encoding decodes the input within the replacement budget."""


class InputTooLargeError(InputError):
    """The input exceeds the configured size limit (``Limits.max_bytes``)."""


class RulePackError(CleantextError, ValueError):
    """A rule pack is invalid; the message names the file, the rule id and the field."""


class RuleSchemaError(RulePackError):
    """A rule pack does not follow the schema (unknown key, wrong type, duplicate id...)."""


class RuleCompileError(RulePackError):
    """A rule pattern does not compile under ``regex``."""


class RuleExampleError(RulePackError):
    """A rule does not behave as its own ``examples.match`` / ``examples.no_match`` say."""


class RuleTimeoutError(CleantextError, TimeoutError):
    """A rule pattern ran past its time budget and the caller asked for ``strict=True``."""


class ReportError(CleantextError, ValueError):
    """A report is inconsistent (unsorted, overlapping, out of range, text mismatch)."""


__all__ = [
    "BinaryInputError",
    "CleantextError",
    "DecodeError",
    "InputError",
    "InputTooLargeError",
    "ReportError",
    "RuleCompileError",
    "RuleExampleError",
    "RulePackError",
    "RuleSchemaError",
    "RuleTimeoutError",
]
