"""``python -m cleantext``: the same command line as the ``cleantext`` console script.

Useful where the script is not on ``PATH`` (a venv that is not activated, ``sys.executable`` in
tests and subprocess pipelines).
"""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
