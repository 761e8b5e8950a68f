"""The merged library: shipped, team folder (from settings), personal; usage statistics."""

import json

import pytest
import yaml

from assist.config import Settings
from assist.core.session import Session
from assist.core.suggest import load_library as core_load_library
from assist.core.suggest import suggest
from assist.core.types import Analysis
from assist.paths import Paths
from assist.phrases.library import load_library
from assist.phrases.store import PersonalStore
from assist.phrases.usage import UsageStats


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path / "base")


def team_folder(paths, tmp_path, body):
    folder = tmp_path / "shared-drive" / "team-phrases"
    folder.mkdir(parents=True)
    (folder / "team.yaml").write_text(body)
    settings = Settings.load(paths)
    settings.set("phrases.team_folder", str(folder))
    settings.set("phrases.agent_name", "Sam")
    settings.save()
    return folder


TEAM = """\
schema_version: 1
phrases:
  - id: team.welcome
    text: "[I'm {agent_name} from the billing team, and ]I'll look after this."
    intent: take_ownership
    emotions: [anger]
    topics: [billing]
  - id: ack.anger.friendly-short
    text: I can see why you're angry, and I'm on your side.
    intent: acknowledge
    emotions: [anger]
"""


def test_personal_wins_over_team_and_team_over_shipped(paths, tmp_path):
    folder = team_folder(paths, tmp_path, TEAM)
    library = load_library(paths)
    assert library.problems == []
    assert library.get("team.welcome").source == "team"
    assert library.get("ack.anger.friendly-short").text == "I can see why you're angry, and I'm on your side."
    PersonalStore(paths.data).put(library.get("ack.anger.friendly-short").with_(text="My own words.",
                                                                               source="personal"))
    library = load_library(paths)
    assert library.get("ack.anger.friendly-short").text == "My own words."
    assert library.overrides("ack.anger.friendly-short") == ["shipped", "team"]
    assert (folder / "team.yaml").read_text() == TEAM  # read-only: never written


def test_the_agent_name_setting_fills_team_phrases(paths, tmp_path):
    team_folder(paths, tmp_path, TEAM)
    library = core_load_library(paths)
    analysis = Analysis(emotion="anger", scores={"anger": 0.9}, level="medium", topics=("billing",))
    texts = {s.id: s.text for s in suggest(analysis, Session(), library, limit=7)}
    assert texts["team.welcome"] == "I'm Sam from the billing team, and I'll look after this."


def test_a_broken_team_file_is_reported_and_left_alone(paths, tmp_path):
    folder = team_folder(paths, tmp_path, "schema_version: 1\nphrases:\n  - id: t1\n    text: Hi {nme}\n"
                                          "    intent: acknowledge\n")
    library = load_library(paths)
    assert [(p.entry, p.line) for p in library.problems] == [("t1", 3)]
    assert "unknown placeholder {nme}" in library.problems[0].message
    assert len(library.phrases) >= 150
    assert sorted(x.name for x in folder.iterdir()) == ["team.yaml"]


def test_an_unreachable_team_folder_is_said_and_the_rest_loads(paths, tmp_path):
    settings = Settings.load(paths)
    settings.set("phrases.team_folder", str(tmp_path / "unmounted"))
    settings.save()
    library = load_library(paths)
    assert "not reachable" in library.problems[0].message
    assert len(library.phrases) >= 150


def test_usage_is_counted_locally_without_chat_text_and_can_be_reset(paths):
    stats = UsageStats(paths.data)
    stats.record("ack.anger.friendly-short", when=1000.0)
    stats.record("ack.anger.friendly-short", when=2000.0)
    UsageStats(paths.data).record("apo.anger.formal-short", when=1500.0)  # another window
    raw = json.loads((paths.data / "usage.json").read_text())
    assert set(raw["phrases"]) == {"ack.anger.friendly-short", "apo.anger.formal-short"}
    assert set(raw["phrases"]["ack.anger.friendly-short"]) == {"count", "last", "recent"}
    library = load_library(paths)
    assert library.usage["ack.anger.friendly-short"].count == 2
    assert library.usage["ack.anger.friendly-short"].last == 2000.0
    UsageStats(paths.data).reset()
    assert load_library(paths).usage == {}


def test_a_broken_usage_file_is_kept_aside_and_said(paths):
    paths.data.mkdir(parents=True)
    (paths.data / "usage.json").write_text("{not json")
    library = load_library(paths)
    assert any("usage.json" in p.file and "kept aside" in p.message for p in library.problems)
    assert list(paths.data.glob("usage.json.broken-*"))[0].read_text() == "{not json"


def test_the_checked_copy_in_the_cache_follows_every_change_and_a_broken_one_is_ignored(paths):
    store = PersonalStore(paths.data)
    store.add({"id": "mine.a", "text": "First wording.", "intent": "acknowledge"})
    assert load_library(paths).get("mine.a").text == "First wording."
    cached = list((paths.cache / "phrases").glob("phrases-*.json"))
    assert cached  # the next start reads the checked copy
    assert load_library(paths).get("mine.a").text == "First wording."
    # A hand edit (same size, even) is seen at once.
    path = paths.data / "phrases.yaml"
    path.write_text(path.read_text().replace("First wording.", "Other wording."))
    assert load_library(paths).get("mine.a").text == "Other wording."
    for copy in (paths.cache / "phrases").glob("phrases-*.json"):
        copy.write_text("{broken")
    library = load_library(paths)
    assert library.get("mine.a").text == "Other wording." and library.problems == []
    # Problems are remembered with the copy: still reported on every start.
    document = yaml.safe_load(path.read_text())
    document["phrases"][0]["text"] = ""
    path.write_text(yaml.safe_dump(document))  # hand-edited into block style, and broken
    for _ in range(2):
        assert [p.entry for p in load_library(paths).problems] == ["mine.a"]
