"""Files, folders and JSONL: the reusable half of the command line, usable without it.

A batch step is a thin adapter over ``Cleaner`` (datatrove's lesson): every function here turns
paths or lines into calls of the same ``Cleaner.clean_bytes`` / ``clean_text`` the library exposes,
so a batch output is byte for byte what ``cleantext.clean_bytes`` returns. What this package adds is
what a long run over someone else's files needs:

- **nothing dropped silently**: a bad input (binary, too large, unreadable, undecodable) becomes a
  ``FileResult`` with ``ok=False`` and a named error; the run goes on;
- **atomic writes**: a temporary file in the target folder, then ``os.replace``, so an interrupted
  run never leaves a half-written output under its real name;
- **reversible**: each result records what ``restore_record`` needs to give back the original bytes
  exactly (relative path, output encoding, SHA-256 of source and output);
- **a process pool** (``jobs > 1``) that receives the pack once per worker, as source text.

Modules: ``inputs`` (files and folders in, reading with the size limit), ``outputs`` (output
encoding, options, the run state of an output folder), ``records`` (``FileResult``: one report
line), ``files`` (one file → one result), ``jsonl`` (one record → one result, and back),
``restore`` (reports read back, originals restored), ``pool`` (many files or records, in order,
in a process pool), ``stats`` (the summary line); atomic writes are ``cleantext._fs``.

>>> import json
>>> from cleantext import Cleaner
>>> from cleantext.batch import clean_jsonl_line
>>> r = clean_jsonl_line('{"id": 1, "text": "仅供学习 禁止外传\\\\n正文。"}'.encode(), 1, Cleaner())
>>> rec = json.loads(r.output)
>>> rec["text"], rec["cleantext"]["ok"], [x["rule"] for x in rec["cleantext"]["report"]["removals"]]
('正文。', True, ['reseller_header.internal-only'])
"""

from __future__ import annotations

from .._fs import atomic_writer, read_input, write_atomic
from .files import clean_one, clean_stream, is_up_to_date
from .inputs import InputFile, iter_inputs, root_name
from .jsonl import RECORD_FIELD, RecordResult, clean_jsonl_line, restore_jsonl_bytes, restore_jsonl_line
from .outputs import (
    STATE_FILE,
    CleanOptions,
    OutputEncoding,
    check_writable,
    decode_output,
    encode_output,
    read_state,
    run_state,
    sha256,
    write_state,
)
from .pool import JSONL_CHUNK_LINES, clean_files, clean_jsonl, jsonl_pool, resolve_jobs
from .records import FileResult, describe_error, get_name, json_line, put_name
from .restore import (
    RestoreResult,
    previous_results,
    read_report,
    restore_file,
    restore_record,
    restore_report,
    safe_relpath,
)
from .stats import BatchStats

__all__ = [
    "JSONL_CHUNK_LINES",
    "RECORD_FIELD",
    "STATE_FILE",
    "BatchStats",
    "CleanOptions",
    "FileResult",
    "InputFile",
    "OutputEncoding",
    "RecordResult",
    "RestoreResult",
    "atomic_writer",
    "check_writable",
    "clean_files",
    "clean_jsonl",
    "clean_jsonl_line",
    "clean_one",
    "clean_stream",
    "decode_output",
    "describe_error",
    "encode_output",
    "get_name",
    "is_up_to_date",
    "iter_inputs",
    "json_line",
    "jsonl_pool",
    "previous_results",
    "put_name",
    "read_input",
    "read_report",
    "read_state",
    "resolve_jobs",
    "restore_file",
    "restore_jsonl_bytes",
    "restore_jsonl_line",
    "restore_record",
    "restore_report",
    "root_name",
    "run_state",
    "safe_relpath",
    "sha256",
    "write_atomic",
    "write_state",
]
