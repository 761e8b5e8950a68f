""""My shift": today's empathy numbers for the agent, and only for the agent.

Counts and timings only: how many upset customers the agent's next reply acknowledged, how long
that took, how many phrases were used (by intent). Never chat text, never phrase text, never who.
The numbers always live in memory for the session; they are written to disk only when the agent
turned on `general.record_shift` (off by default), and turning it off again deletes the file.
A new day starts a new shift; reset clears everything, on disk too.
"""

from __future__ import annotations

import json
import logging
import statistics
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from ..atomic import atomic_write
from ..core.labels import NEGATIVE_EMOTIONS, PHRASE_INTENTS

log = logging.getLogger(__name__)

FILE_NAME = "shift.json"
FORMAT_VERSION = 1
TIMINGS_KEPT = 500  # a long shift has far fewer upset customers; the cap only guards the file


@dataclass
class ShiftStats:
    day: str
    upset_customers: int = 0  # upset moments that got a reply (acknowledged or not)
    acknowledged: int = 0
    missed: int = 0
    ack_seconds: list[float] = field(default_factory=list)
    phrases_used: int = 0
    phrases_by_intent: dict[str, int] = field(default_factory=dict)

    @property
    def acknowledged_rate(self) -> float | None:
        return self.acknowledged / self.upset_customers if self.upset_customers else None

    @property
    def median_ack_seconds(self) -> float | None:
        return statistics.median(self.ack_seconds) if self.ack_seconds else None

    def to_dict(self) -> dict:
        return {"format": FORMAT_VERSION, "day": self.day, "upset_customers": self.upset_customers,
                "acknowledged": self.acknowledged, "missed": self.missed,
                "ack_seconds": [round(s, 1) for s in self.ack_seconds], "phrases_used": self.phrases_used,
                "phrases_by_intent": dict(self.phrases_by_intent)}

    @classmethod
    def from_dict(cls, data: dict) -> "ShiftStats":
        counts = {k: data.get(k, 0) for k in ("upset_customers", "acknowledged", "missed", "phrases_used")}
        if not isinstance(data.get("day"), str) or not all(isinstance(v, int) and v >= 0 for v in counts.values()):
            raise ValueError("unexpected values")
        seconds = [float(s) for s in data.get("ack_seconds", []) if isinstance(s, (int, float))]
        intents = {k: v for k, v in dict(data.get("phrases_by_intent", {})).items()
                   if k in PHRASE_INTENTS and isinstance(v, int) and v >= 0}
        return cls(day=data["day"], ack_seconds=seconds[-TIMINGS_KEPT:], phrases_by_intent=intents, **counts)


class ShiftRecorder:
    """Fed by the app: customer messages (their analysis), messages sent, phrases inserted."""

    def __init__(self, state_dir: str | Path | None, *, record: bool = False,
                 clock: Callable[[], float] = time.time, today: Callable[[], date] = date.today):
        self.path = Path(state_dir) / FILE_NAME if state_dir is not None else None
        self.record = record
        self._clock = clock
        self._today = today
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []
        self._waiting_since: float | None = None  # an upset customer waiting for the agent's reply
        self._stats = ShiftStats(day=today().isoformat())
        if record:
            self._load()

    @classmethod
    def from_settings(cls, paths, settings, **kwargs) -> "ShiftRecorder":
        return cls(paths.state, record=bool(settings.get("general.record_shift")), **kwargs)

    # -- events from the app ------------------------------------------------------------------

    def customer_message(self, analysis, at: float | None = None) -> None:
        upset = bool(getattr(analysis, "needs_acknowledgment", False)) and analysis.emotion in NEGATIVE_EMOTIONS
        with self._lock:
            self._roll_over()
            if upset and self._waiting_since is None:
                self._waiting_since = self._clock() if at is None else at  # from the first upset message

    def message_sent(self, acknowledged: bool | None, at: float | None = None) -> None:
        """The agent sent a reply; `acknowledged`: did it acknowledge the customer (Analysis.acknowledged)."""
        with self._lock:
            self._roll_over()
            if self._waiting_since is None:
                return
            now = self._clock() if at is None else at
            stats = self._stats
            stats.upset_customers += 1
            if acknowledged:
                stats.acknowledged += 1
                stats.ack_seconds = (stats.ack_seconds + [max(0.0, now - self._waiting_since)])[-TIMINGS_KEPT:]
            else:
                stats.missed += 1
            self._waiting_since = None
            self._changed()

    def phrase_used(self, intent: str) -> None:
        with self._lock:
            self._roll_over()
            stats = self._stats
            stats.phrases_used += 1
            if intent in PHRASE_INTENTS:
                stats.phrases_by_intent[intent] = stats.phrases_by_intent.get(intent, 0) + 1
            self._changed()

    # -- for the view ----------------------------------------------------------------------

    def snapshot(self) -> ShiftStats:
        with self._lock:
            self._roll_over()
            stats = self._stats
            return ShiftStats(stats.day, stats.upset_customers, stats.acknowledged, stats.missed,
                              list(stats.ack_seconds), stats.phrases_used, dict(stats.phrases_by_intent))

    def reset(self) -> None:
        with self._lock:
            self._stats = ShiftStats(day=self._today().isoformat())
            self._waiting_since = None
            if self.path is not None:
                self.path.unlink(missing_ok=True)
            self._notify()

    def set_recording(self, record: bool) -> None:
        """Follow general.record_shift: on writes today's numbers, off deletes the file."""
        with self._lock:
            self.record = record
            if record:
                self._save()
            elif self.path is not None:
                self.path.unlink(missing_ok=True)
            self._notify()

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Called (from whichever thread fed the event) after every change."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    # -- internals -------------------------------------------------------------------------

    def _roll_over(self) -> None:
        today = self._today().isoformat()
        if self._stats.day != today:
            self._stats = ShiftStats(day=today)
            self._waiting_since = None
            if self.record:
                self._save()
            self._notify()

    def _changed(self) -> None:
        if self.record:
            self._save()
        self._notify()

    def _notify(self) -> None:
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:  # a broken view must not break the recorder
                log.exception("shift listener failed")

    def _load(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format", FORMAT_VERSION) > FORMAT_VERSION:
                raise ValueError("not a shift file this version can read")
            stats = ShiftStats.from_dict(data)
        except (OSError, ValueError, TypeError) as exc:
            log.warning("shift statistics unreadable (%s); starting a new shift", exc)
            return
        if stats.day == self._stats.day:
            self._stats = stats

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            atomic_write(self.path, json.dumps(self._stats.to_dict()), backup=False)
        except OSError as exc:
            log.warning("could not save shift statistics: %s", exc)
