"""The agent's personal phrase file: add, edit, remove, hide, favourite, without ever losing a change.

Every change is a small transaction under a file lock: re-read the file from disk, apply the one
change to what is there now, check the result, save atomically (with a backup). Two running
instances therefore merge their changes instead of overwriting each other's. A file that cannot
be read, or comes from a newer assist, is never written: the agent is told what to fix first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

from ..atomic import atomic_write, backup_path, keep_aside, lock_for
from .fileformat import SCHEMA_NAME, PhraseFile, check_document, dump, read_file
from .model import EntryError, Phrase, Problem, check_id, phrase_from_entry

FILE_NAME = "phrases.yaml"


class StoreError(RuntimeError):
    """A change that was not made; the message says why and what to do."""


def schema_reference() -> str | None:
    try:
        from ..resources import schema_dir

        return (schema_dir() / SCHEMA_NAME).as_uri()
    except (FileNotFoundError, ValueError):
        return None


def _stat_key(path: Path):
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())[:4]
    return "-".join(words)[:40] or "phrase"


class PersonalStore:
    def __init__(self, data_dir: Path, cache_dir: Path | None = None):
        self.path = Path(data_dir) / FILE_NAME
        self.cache_dir = cache_dir  # where a checked copy may be kept (faster start); None: none
        self.file: PhraseFile = PhraseFile(path=self.path)
        self.kept_aside: Path | None = None
        self.reload()

    # -- reading ------------------------------------------------------------------------------

    def reload(self) -> PhraseFile:
        self.file = read_file(self.path, "personal", self.cache_dir)
        if self.file.unreadable and self.path.exists():
            self.kept_aside = self._keep_aside_once()
            if self.kept_aside is not None:
                self.file.problems.append(Problem(
                    str(self.path), f"a copy of the file as it is was kept at {self.kept_aside}; "
                    "fix the file (or remove it to start again) and your phrases are back",
                    fatal=True))
        return self.file

    def _keep_aside_once(self) -> Path | None:
        """Copy a broken file aside, unless an identical copy is already there."""
        data = self.path.read_bytes()
        for existing in sorted(self.path.parent.glob(self.path.name + ".broken-*")):
            try:
                if existing.read_bytes() == data:
                    return existing
            except OSError:
                continue
        try:
            return keep_aside(self.path, "broken")
        except OSError:
            return None

    @property
    def phrases(self) -> list[Phrase]:
        return self.file.phrases

    @property
    def problems(self) -> list[Problem]:
        return self.file.problems

    @property
    def hidden(self) -> set[str]:
        return set(self.file.id_list("hidden"))

    @property
    def favourites(self) -> set[str]:
        return set(self.file.id_list("favourites"))

    def blocker(self, pf: PhraseFile | None = None) -> str | None:
        """Why the file cannot be changed now, or None."""
        pf = pf or self.file
        if pf.newer:
            return (f"{self.path} was written by a newer assist; it is left untouched. "
                    "Update assist to change your phrases.")
        if pf.unreadable:
            first = next((str(p) for p in pf.problems if p.fatal), str(self.path))
            return f"your phrase file cannot be read, so it is not changed: {first}"
        return None

    # -- changing -----------------------------------------------------------------------------

    def transaction(self, change: Callable[[dict, PhraseFile], object]):
        """Run `change(document, current)` on the file as it is on disk now, then save; its result is returned."""
        with lock_for(self.path):
            current = self._current()
            reason = self.blocker(current)
            if reason:
                self.file = current
                raise StoreError(reason)
            document = current.document
            document.setdefault("phrases", [])
            result = change(document, current)
            text = dump(document, schema_reference())
            self._clean_stale_temporaries()
            atomic_write(self.path, text)
            # What was just written is known: check it from memory instead of parsing it again.
            self.file = check_document(document, self.path, "personal", text)
            self._written = (_stat_key(self.path), document)
            if self.cache_dir is not None:
                from . import cache

                cache.store(self.cache_dir, self.path, "personal", self.file)
        return result

    def _current(self) -> PhraseFile:
        """The file as it is on disk now (called under the lock). When nobody changed it since this
        store wrote it, the document in memory is used (copied, so a failed change leaves no trace)
        instead of parsing a large file again."""
        written = getattr(self, "_written", None)
        if written is not None and written[0] is not None and written[0] == _stat_key(self.path):
            document = dict(written[1])
            document["phrases"] = list(document.get("phrases") or [])
            for key in ("hidden", "favourites"):
                if key in document:
                    document[key] = list(document[key] or [])
            return PhraseFile(path=self.path, document=document)
        return read_file(self.path, "personal")

    def _clean_stale_temporaries(self) -> None:
        # Under the lock nobody else is writing, so any temporary file left is from a writer that died.
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            stale.unlink(missing_ok=True)

    @staticmethod
    def _find(document: dict, phrase_id: str) -> int | None:
        for index, entry in enumerate(document["phrases"]):
            if isinstance(entry, dict) and entry.get("id") == phrase_id:
                return index
        return None

    def new_id(self, text: str, taken: Iterable[str] = ()) -> str:
        taken = set(taken) | {p.id for p in self.phrases}
        base = "my-" + _slug(text)
        candidate, counter = base, 2
        while candidate in taken:
            candidate = f"{base}-{counter}"
            counter += 1
        return candidate

    def add(self, entry: dict, *, taken: Iterable[str] = ()) -> Phrase:
        """Add a phrase (an id is made up from the text when none is given); EntryError when it is not valid."""
        entry = {k: v for k, v in entry.items() if k == "text" or v not in (None, "", [], ())}
        if "id" not in entry:
            entry["id"] = self.new_id(str(entry.get("text", "")), taken)
        phrase, _ = phrase_from_entry(entry, "personal")  # refuses bad entries before anything is written
        entry = phrase.to_entry()

        def change(document, current):
            if self._find(document, phrase.id) is not None:
                raise EntryError(f"you already have a phrase with id {phrase.id!r}; edit it instead")
            document["phrases"].append(entry)
            return phrase

        return self.transaction(change)

    def put(self, phrase: Phrase) -> Phrase:
        """Add or replace the personal phrase with this id (an override when the id is a shipped one)."""
        phrase_from_entry(phrase.to_entry(), "personal")
        entry = phrase.to_entry()

        def change(document, current):
            index = self._find(document, phrase.id)
            if index is None:
                document["phrases"].append(entry)
            else:
                # Favourite is set with set_favourite; an edit of the text does not undo it.
                if document["phrases"][index].get("favourite") is True:
                    entry["favourite"] = True
                document["phrases"][index] = entry
            return phrase.with_(source="personal")

        return self.transaction(change)

    def add_many(self, entries: list[dict]) -> list[Phrase]:
        """Add several checked entries in one save (import)."""
        phrases = [phrase_from_entry(e, "personal")[0] for e in entries]

        def change(document, current):
            taken = {e.get("id") for e in document["phrases"] if isinstance(e, dict)}
            added = []
            for phrase in phrases:
                if phrase.id in taken:
                    continue  # another instance added it meanwhile: theirs stays
                document["phrases"].append(phrase.to_entry())
                taken.add(phrase.id)
                added.append(phrase)
            return added

        return self.transaction(change)

    def remove(self, phrase_id: str) -> bool:
        def change(document, current):
            index = self._find(document, phrase_id)
            if index is None:
                return False
            del document["phrases"][index]
            for key in ("favourites",):
                if phrase_id in (document.get(key) or []):
                    document[key].remove(phrase_id)
            return True

        return self.transaction(change)

    def _set_in_list(self, key: str, phrase_id: str, on: bool) -> bool:
        check_id(phrase_id)

        def change(document, current):
            values = list(document.get(key) or [])
            before = phrase_id in values
            if on and not before:
                values.append(phrase_id)
            elif not on and before:
                values.remove(phrase_id)
            document[key] = values
            return before != on

        return self.transaction(change)

    def set_hidden(self, phrase_id: str, hidden: bool = True) -> bool:
        return self._set_in_list("hidden", phrase_id, hidden)

    def set_favourite(self, phrase_id: str, favourite: bool = True) -> bool:
        def change(document, current):
            index = self._find(document, phrase_id)
            changed = False
            if index is not None:
                entry = document["phrases"][index] = dict(document["phrases"][index])  # never edit in place
                changed = bool(entry.get("favourite")) != favourite
                if favourite:
                    entry["favourite"] = True
                else:
                    entry.pop("favourite", None)
            values = list(document.get("favourites") or [])
            if favourite and index is None and phrase_id not in values:
                values.append(phrase_id)
                changed = True
            if not favourite and phrase_id in values:
                values.remove(phrase_id)
                changed = True
            document["favourites"] = values
            return changed

        return self.transaction(change)

    def restore_backup(self) -> bool:
        """Put the previous version back (the current one becomes the backup)."""
        bak = backup_path(self.path)
        if not bak.exists():
            return False
        text = bak.read_text(encoding="utf-8")
        with lock_for(self.path):
            atomic_write(self.path, text)
        self.reload()
        return True
