"""The phrases assist offers: model, files, the agent's personal store, team layer, import/export, usage."""

from .library import Library, load_library
from .model import EntryError, Phrase, Problem
from .store import PersonalStore, StoreError

__all__ = ["Library", "load_library", "EntryError", "Phrase", "Problem", "PersonalStore", "StoreError"]
