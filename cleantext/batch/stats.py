"""Running totals of a batch, for its one-line summary."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from ..report import Report
from .jsonl import RecordResult


@dataclass(slots=True)
class BatchStats:
    """Running totals for the one-line summary a batch prints at the end."""

    files: int = 0
    failed: int = 0
    skipped: int = 0
    records: int = 0
    bytes_in: int = 0
    removals: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    timeouts: int = 0
    """Documents on which a rule ran out of time (their cleaning is partial)."""

    def add(self, ok: bool, report: Report | None, size: int, *, skipped: bool = False) -> None:
        """Count one file (or, in JSONL mode, one file's bytes with ``ok`` for unreadable files)."""
        self.files += 1
        self.failed += not ok
        self.skipped += skipped
        if not skipped:
            self.bytes_in += size
        if report is not None and not skipped:
            self.removals.update(r.category for r in report.removals if r.text.strip())
            self.timeouts += bool(report.timeouts)

    def add_record(self, res: RecordResult) -> None:
        """Count one JSONL record; blank lines are not records."""
        if res.blank:
            return
        self.records += 1
        self.failed += not res.ok
        self.skipped += res.skipped
        if res.report is not None:
            self.removals.update(r.category for r in res.report.removals if r.text.strip())
            self.timeouts += bool(res.report.timeouts)

    def summary(self) -> str:
        """``250 files, 4.01 MB, removed 812 (contact 40, promo 12), 1 failed, 2.31 s``."""
        n = sum(self.removals.values())
        cats = ", ".join(f"{k} {v}" for k, v in sorted(self.removals.items(), key=lambda kv: (-kv[1], kv[0])))
        parts = [f"{self.files} file{'' if self.files == 1 else 's'}"]
        if self.records:
            parts.append(f"{self.records} record{'' if self.records == 1 else 's'}")
        if self.skipped:
            what = "already cleaned" if self.records else "up to date"
            parts[-1] += f" ({self.skipped} {what}, skipped)"
        parts.append(f"{self.bytes_in / 1e6:.2f} MB")
        parts.append(f"removed {n}" + (f" ({cats})" if cats else ""))
        parts.append(f"{self.failed} failed")
        if self.timeouts:
            parts.append(f"{self.timeouts} with a rule timeout (partly cleaned)")
        parts.append(f"{time.perf_counter() - self.started:.2f} s")
        return ", ".join(parts)
