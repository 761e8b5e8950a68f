"""The merged library: shipped phrases, then the team folder, then the agent's own (same id wins upward).

Loading never raises: every file that cannot be used, and every entry skipped, becomes a Problem
with file, line and entry, and the rest loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .fileformat import read_file
from .model import Phrase, Problem
from .store import PersonalStore
from .usage import PhraseUsage, UsageStats

PHRASE_SUFFIXES = (".yaml", ".yml")


def phrase_files(folder: Path) -> list[Path]:
    if not folder or not Path(folder).is_dir():
        return []
    return sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in PHRASE_SUFFIXES and p.is_file())


def read_layer(folder: Path, source: str, cache_dir: Path | None = None) -> tuple[dict[str, Phrase], list[Problem]]:
    phrases: dict[str, Phrase] = {}
    problems: list[Problem] = []
    where: dict[str, Path] = {}
    for path in phrase_files(folder):
        pf = read_file(path, source, cache_dir)
        problems.extend(pf.problems)
        for phrase in pf.phrases:
            if phrase.id in phrases:
                problems.append(Problem(str(path), f"duplicate id, already in {where[phrase.id].name}; "
                                        "this entry was skipped", entry=phrase.id))
                continue
            phrases[phrase.id] = phrase
            where[phrase.id] = path
    return phrases, problems


@dataclass
class Library:
    """Every phrase the agent can use, with its source, hidden and favourite flags set."""

    phrases: dict[str, Phrase] = field(default_factory=dict)  # id -> effective phrase (hidden included)
    problems: list[Problem] = field(default_factory=list)
    usage: dict[str, PhraseUsage] = field(default_factory=dict)
    agent_name: str = ""
    tone: str = "friendly"  # which variant suggestions prefer: friendly, formal or any
    layers: dict[str, dict[str, Phrase]] = field(default_factory=dict)  # source -> its own phrases
    _index: object = None  # built by assist.core.suggest on first use

    @classmethod
    def from_layers(cls, shipped: dict, team: dict, personal: dict, *, hidden=(), favourites=(),
                    usage=None, agent_name: str = "", tone: str = "friendly", problems=()) -> "Library":
        merged: dict[str, Phrase] = {}
        merged.update(shipped)
        merged.update(team)
        merged.update(personal)
        hidden, favourites = set(hidden), set(favourites)
        for phrase_id, phrase in merged.items():
            is_hidden = phrase_id in hidden
            is_favourite = phrase.favourite or phrase_id in favourites
            if is_hidden != phrase.hidden or is_favourite != phrase.favourite:
                merged[phrase_id] = phrase.with_(hidden=is_hidden, favourite=is_favourite)
        return cls(phrases=merged, problems=list(problems), usage=dict(usage or {}), agent_name=agent_name,
                   tone=tone, layers={"shipped": shipped, "team": team, "personal": personal})

    def set_usage(self, usage: dict) -> None:
        """New usage statistics (after an insertion): the ranking index is rebuilt on next use."""
        self.usage = dict(usage)
        self._index = None

    def get(self, phrase_id: str) -> Phrase | None:
        return self.phrases.get(phrase_id)

    def visible(self) -> list[Phrase]:
        return [p for p in self.phrases.values() if not p.hidden]

    def overrides(self, phrase_id: str) -> list[str]:
        """The lower layers this phrase id also exists in (what the agent's version replaces)."""
        return [source for source in ("shipped", "team") if phrase_id in self.layers.get(source, {})]

    def search(self, query: str) -> list[Phrase]:
        query = query.strip().lower()
        exact = [p for p in self.phrases.values() if p.abbreviation and p.abbreviation.lower() == query]
        rest = [p for p in self.phrases.values() if p not in exact and
                (query in p.text.lower() or query in p.id.lower() or query in p.abbreviation.lower())]
        return exact + rest


def phrase_settings(paths) -> dict:
    """team_folder, agent_name and tone from the settings (defaults if the settings cannot be read)."""
    values = {"team_folder": None, "agent_name": "", "tone": "friendly"}
    try:
        from ..config import Settings

        settings = Settings.load(paths)
        folder = settings.get("phrases.team_folder")
        values["team_folder"] = Path(folder).expanduser() if folder else None
        values["agent_name"] = settings.get("phrases.agent_name") or ""
        values["tone"] = settings.get("phrases.tone")
    except Exception:  # a settings problem must not cost the agent their phrases
        pass
    return values


def load_library(paths=None, *, shipped_dir: Path | None = None, team_dir: Path | None = None,
                 store: PersonalStore | None = None) -> Library:
    """Shipped + team + personal phrases for these paths (paths None: shipped only)."""
    if shipped_dir is None:
        from ..resources import phrasebank_dir

        shipped_dir = phrasebank_dir()
    cache_dir = Path(paths.cache) / "phrases" if paths is not None else None
    shipped, problems = read_layer(shipped_dir, "shipped", cache_dir)
    team: dict[str, Phrase] = {}
    personal: dict[str, Phrase] = {}
    hidden: set[str] = set()
    favourites: set[str] = set()
    usage: dict = {}
    agent_name, tone = "", "friendly"
    if paths is not None:
        settings = phrase_settings(paths)
        agent_name, tone = settings["agent_name"], settings["tone"]
        team_dir = team_dir if team_dir is not None else settings["team_folder"]
        if team_dir is not None:
            if Path(team_dir).is_dir():
                team, team_problems = read_layer(team_dir, "team", cache_dir)
                problems += team_problems
            else:
                problems.append(Problem(str(team_dir), "the team folder is not reachable; team phrases are "
                                        "left out until it is back"))
        if store is None:
            store = PersonalStore(paths.data, cache_dir)
        elif store.cache_dir is None:
            store.cache_dir = cache_dir  # its next reload and saves use the checked copy too
        problems += store.problems
        personal = {p.id: p for p in store.phrases}
        hidden, favourites = store.hidden, store.favourites
        stats = UsageStats(paths.data)
        usage = stats.all()
        problems += [Problem(str(stats.path), message) for message in stats.problems]
    return Library.from_layers(shipped, team, personal, hidden=hidden, favourites=favourites, usage=usage,
                               agent_name=agent_name, tone=tone, problems=problems)
