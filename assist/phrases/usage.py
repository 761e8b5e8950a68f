"""Which phrase was inserted, and when: counts and times only, never chat text. Kept in the data folder.

Ranking uses them (an agent's habits count); `phrases stats reset` forgets them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from ..atomic import atomic_write, keep_aside, lock_for

FILE_NAME = "usage.json"
FORMAT_VERSION = 1
RECENT_LIMIT = 20  # timestamps kept per phrase


@dataclass(frozen=True, slots=True)
class PhraseUsage:
    count: int = 0
    last: float = 0.0  # seconds since the epoch


class UsageStats:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / FILE_NAME
        self.problems: list[str] = []
        self.read_only = False
        self._data: dict = {}
        self.reload()

    def reload(self) -> None:
        self._data = self._read()

    def _read(self) -> dict:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(raw, dict) or not isinstance(raw.get("phrases", {}), dict):
                raise ValueError("not a usage file")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            kept = keep_aside(self.path, "broken")
            self.path.unlink(missing_ok=True)  # the copy keeps it; counting starts again beside it
            self.problems.append(f"{self.path}: unreadable ({exc}); kept aside as {kept.name}, counting anew")
            return {}
        if isinstance(raw.get("_version"), int) and raw["_version"] > FORMAT_VERSION:
            self.read_only = True
            self.problems.append(f"{self.path} is from a newer assist; usage is not recorded until you update")
        phrases = {}
        for phrase_id, item in raw.get("phrases", {}).items():
            if isinstance(item, dict) and isinstance(item.get("count"), int):
                phrases[phrase_id] = item
        return phrases

    def get(self, phrase_id: str) -> PhraseUsage:
        item = self._data.get(phrase_id)
        if not item:
            return PhraseUsage()
        return PhraseUsage(item.get("count", 0), float(item.get("last", 0.0)))

    def all(self) -> dict[str, PhraseUsage]:
        return {phrase_id: self.get(phrase_id) for phrase_id in self._data}

    def record(self, phrase_id: str, when: float | None = None) -> None:
        """Count one insertion of a phrase (merged with other instances' counts under a lock)."""
        if self.read_only:
            return
        when = time.time() if when is None else when
        with lock_for(self.path):
            self._data = self._read()
            item = self._data.setdefault(phrase_id, {"count": 0, "last": 0.0, "recent": []})
            item["count"] += 1
            item["last"] = when
            item["recent"] = (list(item.get("recent") or []) + [when])[-RECENT_LIMIT:]
            self._write()

    def reset(self) -> None:
        if self.read_only:
            return
        with lock_for(self.path):
            self._data = {}
            self._write()

    def _write(self) -> None:
        payload = {"_version": FORMAT_VERSION, "phrases": self._data}
        atomic_write(self.path, json.dumps(payload, indent=1, sort_keys=True), backup=False)
