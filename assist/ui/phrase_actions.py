"""The overlay's and the phrase editor's one door to the phrase library (Qt-free).

Storage, validation and merging live in `assist.phrases`; this only keeps the loaded Library
current after a change and answers the questions the widgets ask (search, favourites, fill).
Every change reloads the library, so the suggester and the search see it at once.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from ..phrases import EntryError, Phrase, PersonalStore, StoreError, load_library
from ..phrases import interchange, template
from ..phrases.interchange import InterchangeError
from ..phrases.usage import UsageStats
from .search import PhraseHit

log = logging.getLogger(__name__)

__all__ = ["PhraseActions", "EntryError", "InterchangeError", "StoreError"]


class PhraseActions:
    def __init__(self, paths, shipped_dir: Path | None = None):
        self.paths = paths
        self._shipped_dir = shipped_dir
        self._lock = threading.Lock()
        self.store = PersonalStore(paths.data)
        self.usage = UsageStats(paths.data)
        self.library = self._load()

    def _load(self):
        return load_library(self.paths, shipped_dir=self._shipped_dir, store=self.store)

    def reload(self) -> None:
        with self._lock:
            self.store.reload()
            self.library = self._load()  # one assignment: readers on other threads see old or new

    @property
    def problems(self) -> list:
        return list(self.library.problems)

    # -- reading ----------------------------------------------------------------------------------
    def all(self) -> list[Phrase]:
        return sorted(self.library.phrases.values(), key=lambda p: (not p.favourite, p.source, p.id))

    def get(self, phrase_id: str) -> Phrase | None:
        return self.library.get(phrase_id)

    def favourite_ids(self) -> set[str]:
        return {p.id for p in self.library.phrases.values() if p.favourite}

    def search(self, query: str) -> list[PhraseHit]:
        """Visible phrases matching `query` (abbreviation first), favourites before the rest."""
        found = [p for p in self.library.search(query) if not p.hidden]
        exact = [p for p in found if p.abbreviation and p.abbreviation.lower() == query.strip().lower()]
        rest = sorted((p for p in found if p not in exact), key=lambda p: not p.favourite)
        return [PhraseHit(p.id, p.abbreviation or p.intent.replace("_", " "), p.text, self.fill(p.text))
                for p in exact + rest]

    def fill(self, text: str, placeholders: dict | None = None) -> str:
        values = {"agent_name": self.library.agent_name, **(placeholders or {})}
        return template.fill(text, values)

    # -- changing (each reloads the library) ----------------------------------------------------------
    def _changed(self, result):
        self.reload()
        return result

    def set_favourite(self, phrase_id: str, favourite: bool) -> bool:
        return self._changed(self.store.set_favourite(phrase_id, favourite))

    def set_hidden(self, phrase_id: str, hidden: bool) -> bool:
        return self._changed(self.store.set_hidden(phrase_id, hidden))

    def add(self, entry: dict) -> Phrase:
        return self._changed(self.store.add(entry, taken=self.library.phrases.keys()))

    def save(self, phrase: Phrase) -> Phrase:
        """Save an edit; editing a shipped or team phrase makes the agent's own version of it."""
        return self._changed(self.store.put(phrase.with_(source="personal")))

    def remove(self, phrase_id: str) -> bool:
        return self._changed(self.store.remove(phrase_id))

    def record_use(self, phrase_id: str) -> None:
        try:
            self.usage.record(phrase_id)
            # Ranking favours what the agent uses: let the next suggestions see it now, not after a reload.
            self.library.set_usage(self.usage.all())
        except OSError as exc:  # statistics are a nicety: never fail an insertion over them
            log.warning("usage statistics not saved: %s", exc)

    # -- import / export (formats and checks live in assist.phrases.interchange) ----------------------
    def import_file(self, path: Path):
        """Add the phrases of a file (YAML, CSV, Espanso, TextExpander, Text Blaze): an ImportReport.
        InterchangeError when the file as a whole cannot be used."""
        report = interchange.import_file(Path(path), self.library, self.store)
        self.reload()
        return report

    def export_file(self, path: Path, ids=None) -> int:
        """Write the given phrases (default: the agent's own) in the format the file name says."""
        if ids is None:
            chosen = [p for p in self.library.phrases.values() if p.source == "personal"]
        else:
            chosen = [self.library.phrases[i] for i in ids if i in self.library.phrases]
        interchange.export_file(chosen, Path(path), values={"agent_name": self.library.agent_name})
        return len(chosen)
