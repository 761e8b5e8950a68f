"""The audit from files to report: read, analyse on every core, aggregate, write."""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

from .. import __version__
from . import engine, html_report
from .aggregate import Summary
from .days import Days
from .model import Conversation, Problem
from .readers import read_conversations
from .writers import ReportWriter


@dataclass
class AuditResult:
    summary: dict
    reports: dict[str, Path]
    seconds: float
    warnings: list[str]


class _Inputs:
    """All conversations of all files in order, with byte progress across the files."""

    def __init__(self, files: list[Path], report: Callable[[Problem], None]):
        self.files = files
        self.report = report
        self.total_bytes = sum(f.stat().st_size for f in files if f.is_file())
        self.done_bytes = 0
        self._current = 0
        # Bytes read when each conversation in flight was handed out: progress follows the analysis,
        # not the reader (which runs a few chunks ahead).
        self.handed_out: deque[int] = deque()

    def _on_bytes(self, count: int) -> None:
        self._current = count

    def __iter__(self) -> Iterator[Conversation]:
        for path in self.files:
            self._current = 0
            for conversation in read_conversations(path, self.report, on_bytes=self._on_bytes):
                self.handed_out.append(self.bytes_read)
                yield conversation
            self.done_bytes += path.stat().st_size if path.is_file() else 0
            self._current = 0

    @property
    def bytes_read(self) -> int:
        return self.done_bytes + self._current


def run_audit(files, out_dir, *, workers: int | None = None, progress_stream=None,
              analyzer_factory: Callable = engine.default_analyzer, show_progress: bool = True,
              chunk_seconds: list | None = None, timezone_name: str | None = None) -> AuditResult:
    """Audit `files` into `out_dir` (report.json, report.csv, report.html). `chunk_seconds`: see engine.run.

    `timezone_name` decides which calendar day a conversation belongs to (days.Days: None is this
    computer's zone); an unknown name raises days.UnknownZone before anything is read.
    """
    started = time.monotonic()
    files = [Path(f) for f in files]
    days = Days(timezone_name)
    summary = Summary(days)
    inputs = _Inputs(files, summary.add_problem)
    writer = ReportWriter(out_dir)
    progress = None
    if show_progress:
        from .progress import Progress

        progress = Progress(inputs.total_bytes, progress_stream)
    messages = 0
    warnings: list[str] = []
    try:
        for findings, extras in engine.run(inputs, workers=workers, analyzer_factory=analyzer_factory,
                                            chunk_seconds=chunk_seconds, warnings=warnings):
            summary.add(findings, extras)
            writer.add(findings, extras.sentences.keys())
            messages += findings["messages"]
            done_bytes = inputs.handed_out.popleft() if inputs.handed_out else inputs.bytes_read
            if progress:
                progress.update(done_bytes, messages, summary.conversations)
    except BaseException:
        writer.abandon()
        raise
    finally:
        if progress:
            progress.close()
    result = summary.to_dict()
    day_names = [row["day"] for row in result["by_day"]]
    meta = {
        "assist_version": __version__,
        "generated": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        "files": [str(f) for f in files],
        "workers": workers or engine.default_workers(),
        "period": {"first": day_names[0], "last": day_names[-1]} if day_names else None,
        "timezone": days.name,
        "analyzer_warnings": warnings,
    }
    reports = writer.finish(result, meta)
    reports["html"] = html_report.write(Path(out_dir) / "report.html", result, meta)
    return AuditResult(result, reports, time.monotonic() - started, warnings)
