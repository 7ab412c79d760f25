"""``cleantext.integrations.ray.clean_dataset`` on a local two-CPU Ray cluster.

One cluster for the module (starting Ray costs ~3 s). It runs tasks only, with a watchdog: if Ray
ever hangs (a full object store, a worker that never starts) the run is killed with a traceback
instead of eating CI's time budget.
"""

from __future__ import annotations

import faulthandler
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("pyarrow", reason="needs pyarrow: pip install 'cleantext-ads[ray]'")
pytest.importorskip("ray", reason="needs Ray: pip install 'cleantext-ads[ray]'")

import pyarrow as pa
import pyarrow.parquet as pq
import ray
import ray.data

import cleantext
from cleantext.arrow import OUTPUT_COLUMNS, reports
from cleantext.integrations.ray import clean_dataset

from .test_arrow import PACK, PNG, SEED_TEXT, TEXTS, assert_rows_match, dev_inputs

pytestmark = pytest.mark.filterwarnings(
    # Ray 2.60's own DataContext() warns about its own default settings (use_push_based_shuffle);
    # only Ray-internal deprecations are ignored, ours still fail the run.
    r"ignore::DeprecationWarning:ray\..*",
)

WATCHDOG_S = 240
"""The whole module normally takes 5-15 s; four minutes means Ray is stuck, not slow."""


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """A private local cluster: 2 CPUs, no dashboard, no usage stats, a small object store."""
    env = {
        "RAY_DISABLE_USAGE_STATS": "1",  # no network call home
        "RAY_USAGE_STATS_ENABLED": "0",
        "RAY_AUTH_MODE": "disabled",  # a throwaway local cluster needs no token file in ~/.ray
    }
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    faulthandler.dump_traceback_later(WATCHDOG_S, exit=True)
    if ray.is_initialized():  # pragma: no cover - someone else's cluster: do not touch it
        ray.shutdown()
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        object_store_memory=128 * 1024 * 1024,
    )
    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    try:
        yield
    finally:
        ray.shutdown()
        faulthandler.cancel_dump_traceback_later()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def collect(ds: ray.data.Dataset) -> pa.Table:
    """Run the dataset and return one table in ``id`` order (Ray does not keep order by default)."""
    table = pa.concat_tables(ray.get(ds.to_arrow_refs()))
    return table.sort_by("id")


@pytest.mark.usefixtures("ray_cluster")
def test_binary_documents_match_clean_bytes() -> None:
    """Several blocks and tasks; bad rows (PNG, null) fail alone; every other row equals clean_bytes."""
    values: list[str | bytes | None] = [*dev_inputs(12), PNG, None, SEED_TEXT.encode("gbk"), b""]
    blocks = [
        pa.table(
            {
                "id": pa.array(range(i, min(i + 5, len(values))), pa.int64()),
                "raw": pa.array(values[i : i + 5], pa.binary()),
            }
        )
        for i in range(0, len(values), 5)
    ]
    out = collect(clean_dataset(ray.data.from_arrow(blocks), column="raw", batch_size=3))
    assert out.column_names == ["id", "raw", *OUTPUT_COLUMNS]
    assert_rows_match(out, values)
    errors = out["error"].to_pylist()
    assert errors[12] is not None
    assert errors[12].startswith("BinaryInputError: ")
    assert errors[13] == "InputError: value is null: nothing to clean"


@pytest.mark.usefixtures("ray_cluster")
def test_text_json_report_and_pack_by_value() -> None:
    """A pack built in memory on the driver exists nowhere else: workers must receive it by value."""
    pack = cleantext.pack_from_text(PACK, name="test-extra.toml", builtins=True)
    values = ["测试横幅 欢迎光临\n" + SEED_TEXT, *TEXTS]
    ds = ray.data.from_arrow(pa.table({"id": range(len(values)), "text": values}))
    out = collect(clean_dataset(ds, pack=pack, report="json", keep_input=False, batch_size=2))
    assert out.column_names == ["id", *OUTPUT_COLUMNS]
    assert out["error"].to_pylist() == [None] * len(values)
    for v, text, rep in zip(values, out["clean_text"].to_pylist(), reports(out), strict=True):
        want = cleantext.clean(v, pack=pack)
        assert (text, rep) == (want.text, want.report)
    first = reports(out)[0]
    assert first is not None
    assert "promo.test-banner" in {r.rule for r in first.removals}


@pytest.mark.usefixtures("ray_cluster")
def test_parquet_to_parquet_round_trip(tmp_path: Path) -> None:
    """The pipeline users run: Parquet in, clean, Parquet out, then restore from the files alone."""
    values = [SEED_TEXT, *TEXTS]
    pq.write_table(pa.table({"id": range(len(values)), "text": values}), tmp_path / "in.parquet")
    clean_dataset(ray.data.read_parquet(str(tmp_path / "in.parquet"))).write_parquet(str(tmp_path / "out"))
    out = pq.read_table(tmp_path / "out").sort_by("id")
    for v, text, rep in zip(values, out["clean_text"].to_pylist(), reports(out), strict=True):
        assert rep is not None
        assert cleantext.restore(text, rep) == v
        assert text == cleantext.clean(v).text


@pytest.mark.usefixtures("ray_cluster")
def test_mistakes_fail_on_the_driver(tmp_path: Path) -> None:
    """Ray is lazy: without checks up front a broken pack would only fail inside the first task."""
    ds = ray.data.from_arrow(pa.table({"id": [0], "text": ["正文。\n"]}))
    with pytest.raises(cleantext.RulePackError, match="nope"):
        clean_dataset(ds, pack=tmp_path / "nope.toml")
    with pytest.raises(ValueError, match="mode"):
        clean_dataset(ds, mode="delete")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="report"):
        clean_dataset(ds, report="xml")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"ray\.data\.Dataset"):
        clean_dataset(pa.table({"text": ["x"]}))


def test_missing_ray_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray.data", None)
    with pytest.raises(ImportError, match=r"cleantext-ads\[ray\]"):
        clean_dataset(None)  # type: ignore[arg-type]
