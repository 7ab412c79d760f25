"""Ray Data: ``clean_dataset(ds)`` runs ``cleantext.arrow.clean_table`` over every block.

Why tasks and not an actor pool: an actor pool holds its CPUs for the whole job, and one that
claims every CPU of a small machine starves the read and write stages feeding it, so the job
hangs. Stateless tasks need no warm-up either: the compiled pack is cached per worker process by
its hash, and the pack itself travels by value (``RulePack`` pickles as its TOML source, a few KB),
so workers never read pack files that only exist on the driver.
"""

from __future__ import annotations

import inspect
from functools import cache
from typing import TYPE_CHECKING, Any

from ..api import PackArg, get_cleaner
from ..arrow import ReportFormat, check_options, clean_table
from ..model import Mode

if TYPE_CHECKING:
    import ray.data

DEFAULT_BATCH_SIZE = 256
"""Documents per ``clean_table`` call. Documents are 1-300 KB, so 256 keeps a batch in the tens of
MB (well inside Ray's 128 MiB target block size) while the per-batch cost (unpickling the pack,
building Arrow arrays) stays well under 1 % of the cleaning time."""

_INSTALL_HINT = "cleantext.integrations.ray needs Ray Data: pip install 'cleantext-ads[ray]'"


def _ray_data() -> Any:
    """Import ``ray.data`` on first use, with a message that names the extra to install."""
    try:
        import pyarrow  # noqa: F401, PLC0415  # clean_table needs it in every worker
        import ray.data  # noqa: PLC0415  # lazy: ray is an optional extra
    except ImportError as e:
        raise ImportError(_INSTALL_HINT) from e
    return ray.data


@cache
def _supports_row_count_hint(map_batches: Any) -> bool:
    """``udf_modifying_row_count`` arrived after Ray 2.40; older versions reject the keyword."""
    return "udf_modifying_row_count" in inspect.signature(map_batches).parameters


def clean_dataset(
    ds: ray.data.Dataset,
    *,
    column: str = "text",
    pack: PackArg = None,
    mode: Mode = "remove",
    report: ReportFormat = "struct",
    keep_input: bool = True,
    batch_size: int = DEFAULT_BATCH_SIZE,
    **map_batches_kwargs: Any,
) -> ray.data.Dataset:
    """Add ``clean_text``, ``report`` and ``error`` columns to ``ds`` (lazily, as Ray Data does).

    The columns, per-row error handling and options are those of ``cleantext.arrow.clean_table``:
    a bad document fills its ``error`` cell and never fails a block; no row is dropped.
    ``pack`` is resolved and validated here, on the driver, so a broken pack or a missing file
    fails at once instead of in every task. ``map_batches_kwargs`` go to ``Dataset.map_batches``
    (``num_cpus``, ``compute=ray.data.TaskPoolStrategy(size=n)``, ``memory``...). Example::

        import ray
        ds = ray.data.read_parquet("s3://bucket/docs/")
        clean_dataset(ds, column="raw").write_parquet("s3://bucket/clean/")
    """
    rd = _ray_data()
    if not isinstance(ds, rd.Dataset):
        raise TypeError(f"clean_dataset needs a ray.data.Dataset, not {type(ds).__name__}")
    check_options(mode, report)
    rule_pack = get_cleaner(pack).pack
    if _supports_row_count_hint(type(ds).map_batches):
        # clean_table keeps every row: lets Ray push a later ``limit`` below this step.
        map_batches_kwargs.setdefault("udf_modifying_row_count", False)
    out: ray.data.Dataset = ds.map_batches(
        clean_table,
        batch_format="pyarrow",
        batch_size=batch_size,
        fn_kwargs={"column": column, "pack": rule_pack, "mode": mode, "report": report, "keep_input": keep_input},
        **map_batches_kwargs,
    )
    return out


__all__ = ["DEFAULT_BATCH_SIZE", "clean_dataset"]
