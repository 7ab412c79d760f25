"""Clean a column of an Arrow table: the one step every many-machines pipeline reuses.

``clean_table`` is a pure ``pa.Table -> pa.Table`` function, so Ray Data
(``map_batches(batch_format="pyarrow")``), Spark (``mapInArrow``), Dask (``map_partitions``) and
Hugging Face ``datasets`` (``map(batched=True)`` on the ``"arrow"`` format) all run the same code;
each engine only needs a few lines of glue (datatrove's "a step is a thin adapter over a pure
function").

Output columns, appended after the input columns (the input text column is dropped when
``keep_input=False``; every other column is always kept so rows stay identifiable):

``clean_text`` (``string``)
    The clean text; null when the row failed.
``report``
    ``report="struct"`` (default): one native ``struct`` per row whose value is exactly
    ``Report.to_dict()`` (see ``report_type()``): ``removals`` is a ``list<struct>`` queryable
    with Arrow compute / SQL / Parquet predicate pushdown, ``encoding`` a struct with the detector's
    evidence. Byte patches keep ``raw`` as base64 text, as in the JSON form, so that
    ``Report.from_dict(row)`` accepts the value unchanged.
    ``report="json"``: one ``string`` holding ``Report.to_json()``, for sinks that want flat
    schemas (CSV, JSONL, Spark/Dask recipes with a simple schema).
    Null when the row failed. ``reports(table)`` reads either form back into ``Report`` objects.
``error`` (``string``)
    Null when the row was cleaned, else ``"ErrorType: message"`` (``"BinaryInputError: ..."``).
    Errors are caught per row so one bad document never fails a block, and no row is ever
    dropped: a failed row keeps its input and says why.

The schema is fixed by the arguments alone, never by the data, so every block of a distributed
job (including empty and all-failed blocks) has the same schema and can be written to one Parquet
dataset. ``clean_table(table.slice(0, 0)).schema`` gives it to engines that want it up front.

pyarrow is imported lazily: ``import cleantext`` never needs it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

from .api import PackArg, get_cleaner
from .engine import Cleaner
from .errors import InputError
from .model import Mode, check_mode
from .report import Cleaned, Report

if TYPE_CHECKING:
    import pyarrow as pa

ReportFormat = Literal["struct", "json"]


def check_options(mode: object, report: object) -> None:
    """``ValueError`` for a ``mode`` or ``report`` typo, before a table (or a Ray pipeline) is built."""
    check_mode(mode)
    if report not in ("struct", "json"):
        raise ValueError(f"report must be 'struct' or 'json', not {report!r}")


CLEAN_TEXT = "clean_text"
"""Name of the clean-text output column."""
REPORT = "report"
"""Name of the report output column (struct or JSON string)."""
ERROR = "error"
"""Name of the per-row error column."""
OUTPUT_COLUMNS = (CLEAN_TEXT, REPORT, ERROR)

_INSTALL_HINT = "cleantext.arrow needs pyarrow: pip install 'cleantext-ads[arrow]'"


def _pyarrow() -> Any:
    """Import pyarrow on first use, with a message that names the extra to install."""
    try:
        import pyarrow  # noqa: PLC0415  # lazy: pyarrow is an optional extra
    except ImportError as e:
        raise ImportError(_INSTALL_HINT) from e
    return pyarrow


@cache
def report_type() -> pa.DataType:
    """The Arrow type of the ``report`` column in ``"struct"`` form: ``Report.to_dict()`` as a struct.

    Integers are ``int64`` because offsets into a 256 MiB document and line numbers exceed
    ``int32`` only in theory, while a narrower type would make every reader cast.
    """
    pa = _pyarrow()
    span = [("start", pa.int64()), ("end", pa.int64())]
    return pa.struct(
        [
            ("version", pa.int64()),
            ("mode", pa.string()),
            (
                "encoding",
                pa.struct(
                    [
                        ("name", pa.string()),
                        ("confidence", pa.float64()),
                        ("bom", pa.bool_()),
                        ("lossless", pa.bool_()),
                        ("replaced", pa.int64()),
                        ("detector", pa.string()),
                    ]
                ),
            ),
            ("newline", pa.string()),
            ("pack", pa.struct([("name", pa.string()), ("version", pa.string()), ("sha256", pa.string())])),
            (
                "removals",
                pa.list_(
                    pa.struct(
                        [
                            *span,
                            ("text", pa.string()),
                            ("rule", pa.string()),
                            ("category", pa.string()),
                            ("zone", pa.string()),
                            ("line", pa.int64()),
                            ("action", pa.string()),
                        ]
                    )
                ),
            ),
            ("notices", pa.list_(pa.string())),
            ("patches", pa.list_(pa.struct([*span, ("raw", pa.string())]))),
        ]
    )


def _check_input_type(typ: pa.DataType) -> None:
    """Accept text (``str`` rows) and binary (``bytes`` rows, decoded with detection) columns.

    Anything else (numbers, lists) is a caller's mistake that would fail every row alike, so it
    raises instead of filling the ``error`` column.
    """
    t = _pyarrow().types
    if t.is_dictionary(typ):
        _check_input_type(typ.value_type)
        return
    if t.is_string(typ) or t.is_large_string(typ) or t.is_null(typ) or _is_view(typ, "is_string_view"):
        return
    if t.is_binary(typ) or t.is_large_binary(typ) or t.is_fixed_size_binary(typ) or _is_view(typ, "is_binary_view"):
        return
    raise TypeError(f"column type {typ} is neither string nor binary; cast it first (pc.cast or Table.cast)")


def _is_view(typ: pa.DataType, predicate: str) -> bool:
    """``string_view`` / ``binary_view`` exist from pyarrow 16 on; the extra allows 15."""
    check = getattr(_pyarrow().types, predicate, None)
    return bool(check(typ)) if check is not None else False


def _format_error(exc: BaseException) -> str:
    """``"ErrorType: message"``: the type is stable for grouping, the message says what to do."""
    return f"{type(exc).__name__}: {exc}"


def _clean_values(values: Sequence[str | bytes | None], cleaner: Cleaner, mode: Mode) -> Iterator[Cleaned | str]:
    """Clean each value (``bytes`` with detection, ``str`` as text); yield the result, or the
    formatted error for a row that failed.

    ``Exception`` is caught, not just ``CleantextError``: the library promises only
    ``CleantextError`` on bad input, but if a bug slips through, failing one row with its error
    text is still better than losing a block of a job that has run for hours.
    """
    for v in values:
        if v is None:
            yield _format_error(InputError("value is null: nothing to clean"))
            continue
        try:
            yield cleaner.clean_bytes(v, mode) if isinstance(v, bytes) else cleaner.clean_text(v, mode)
        except Exception as e:  # see docstring: one row, never the block
            yield _format_error(e)


def clean_table(
    table: pa.Table,
    *,
    column: str = "text",
    pack: PackArg = None,
    mode: Mode = "remove",
    report: ReportFormat = "struct",
    keep_input: bool = True,
) -> pa.Table:
    """Clean ``table[column]`` row by row; add ``clean_text``, ``report`` and ``error`` columns.

    ``column`` may be ``string`` (cleaned as text, reports say ``utf-8``/``text``) or ``binary``
    (raw document bytes, decoded with encoding detection as ``cleantext.clean_bytes`` does, so
    ``restore_bytes`` gives the original bytes back). Rows that fail (null, binary data, too
    large, undecodable) get a null ``clean_text``/``report`` and an ``error`` value; the other rows
    are cleaned as if alone. The output has as many rows as the input, in the same order.

    ``pack`` is a ``RulePack`` (pickles as its TOML source, so closures shipping it to workers
    stay small), pack file path(s) that extend the built-ins, or ``None`` for the built-ins. The
    compiled pack is cached per process by its hash, so calling this once per batch is cheap.

    Argument mistakes (unknown column, non-text column type, bad ``mode``/``report``, a broken pack,
    output names already taken) raise at once: they would fail every row alike.

    >>> import pyarrow as pa
    >>> t = pa.table({"id": [1, 2], "text": ["仅供学习 禁止外传\\n第一条 为了规范管理，制定本办法。\\n", None]})
    >>> out = clean_table(t, report="json")
    >>> out.column_names
    ['id', 'text', 'clean_text', 'report', 'error']
    >>> out["clean_text"].to_pylist()
    ['第一条 为了规范管理，制定本办法。\\n', None]
    >>> out["error"].to_pylist()
    [None, 'InputError: value is null: nothing to clean']
    """
    pa = _pyarrow()
    check_options(mode, report)
    if column not in table.column_names:
        raise KeyError(f"column {column!r} not in table (columns: {table.column_names})")
    kept = [n for n in table.column_names if keep_input or n != column]
    taken = sorted(set(kept) & set(OUTPUT_COLUMNS))
    if taken:
        raise ValueError(
            f"table already has column(s) {taken}: drop or rename them first "
            f"(cleantext never overwrites a column silently)"
        )
    _check_input_type(table.schema.field(column).type)
    cleaner = get_cleaner(pack)
    rtype = report_type() if report == "struct" else pa.string()

    texts: list[Any] = []  # pa.Array chunks; pyarrow ships no type hints
    reps: list[Any] = []
    errors: list[Any] = []
    # Chunk by chunk: memory stays bounded by one input chunk, and each output chunk stays far
    # below the 2 GiB offset limit of ``string`` arrays.
    for chunk in table.column(column).chunks:
        out_text: list[str | None] = []
        out_rep: list[Mapping[str, Any] | str | None] = []
        out_err: list[str | None] = []
        for res in _clean_values(chunk.to_pylist(), cleaner, mode):
            if isinstance(res, str):
                out_text.append(None)
                out_rep.append(None)
                out_err.append(res)
            else:
                out_text.append(res.text)
                out_rep.append(res.report.to_dict() if report == "struct" else res.report.to_json())
                out_err.append(None)
        texts.extend(_chunks(pa.array(out_text, type=pa.string())))
        reps.extend(_chunks(pa.array(out_rep, type=rtype)))
        errors.extend(_chunks(pa.array(out_err, type=pa.string())))

    out = table.select(kept)
    out = out.append_column(pa.field(CLEAN_TEXT, pa.string()), pa.chunked_array(texts, type=pa.string()))
    out = out.append_column(pa.field(REPORT, rtype), pa.chunked_array(reps, type=rtype))
    return out.append_column(pa.field(ERROR, pa.string()), pa.chunked_array(errors, type=pa.string()))


def _chunks(arr: Any) -> list[Any]:
    """``pa.array`` returns a ``ChunkedArray`` instead of an ``Array`` past the 2 GiB offset limit."""
    return list(arr.chunks) if hasattr(arr, "chunks") else [arr]


def reports(table: pa.Table, column: str = REPORT) -> list[Report | None]:
    """The ``report`` column read back as ``Report`` objects (``None`` for failed rows).

    Accepts both forms: struct rows go through ``Report.from_dict``, JSON strings through
    ``Report.from_json``; both validate, so ``cleantext.restore(clean_text, rep)`` can be trusted.
    """
    out: list[Report | None] = []
    for v in table.column(column).to_pylist():
        if v is None:
            out.append(None)
        elif isinstance(v, str | bytes):
            out.append(Report.from_json(v))
        else:
            out.append(Report.from_dict(v))
    return out


__all__ = [
    "CLEAN_TEXT",
    "ERROR",
    "OUTPUT_COLUMNS",
    "REPORT",
    "ReportFormat",
    "check_options",
    "clean_table",
    "report_type",
    "reports",
]
