"""The process pool of ``cleantext.batch``: the pack is compiled once, in the parent, before a fork."""

from __future__ import annotations

import multiprocessing

import pytest

from cleantext import Cleaner
from cleantext.batch import pool
from cleantext.batch.outputs import CleanOptions


def _compiled_in_worker(_: int) -> bool:
    """Whether the worker's cleaner had its pack compiled before this worker ran anything."""
    job = pool._WORKER_JOB
    assert job is not None
    c = job.cleaner
    return all(part is not None for part in (c._matcher, c._scorer, c._splicer, c._keywords))


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork", reason="only forked workers inherit the pack")
def test_forked_workers_inherit_the_compiled_pack() -> None:
    cleaner = Cleaner()
    assert cleaner._matcher is None  # lazily compiled: nothing yet
    with pool._pool(2, pool._Job(cleaner, CleanOptions(), need_record=False)) as ex:
        assert cleaner._matcher is not None  # compiled in the parent, before any worker started
        assert all(ex.map(_compiled_in_worker, range(4)))
