"""The personal library never loses anything: atomic saves, backups, locks, broken and newer files."""

import os
import random
import re
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import yaml
from pathlib import Path

from assist.paths import Paths
from assist.atomic import backup_path
from assist.phrases.fileformat import read_file
from assist.phrases.library import load_library
from assist.phrases.model import MAX_TEXT, EntryError
from assist.phrases.store import PersonalStore, StoreError


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path)


def entry(text, **extra):
    return {"text": text, "intent": "acknowledge", **extra}


def test_add_edit_hide_favourite_remove_survive_a_restart(paths):
    store = PersonalStore(paths.data)
    added = store.add(entry("I hear you, {customer_name|and I'm here}.", emotions=["anger"], abbreviation="hy"))
    assert added.id.startswith("my-i-hear-you")
    store.set_hidden("ack.anger.friendly-short")
    store.set_favourite(added.id)
    store.set_favourite("apo.anger.formal-short")
    store.put(added.with_(text="I hear you."))

    library = load_library(paths)
    mine = library.get(added.id)
    assert (mine.text, mine.source, mine.favourite, mine.abbreviation) == ("I hear you.", "personal", True, "hy")
    assert library.get("ack.anger.friendly-short").hidden
    assert library.get("apo.anger.formal-short").favourite
    assert PersonalStore(paths.data).remove(added.id)
    assert load_library(paths).get(added.id) is None


def test_every_save_keeps_the_previous_version_as_a_backup(paths):
    store = PersonalStore(paths.data)
    first = store.add(entry("First phrase."))
    store.add(entry("Second phrase."))
    backup = read_file(backup_path(store.path), "personal")
    assert [p.id for p in backup.phrases] == [first.id]
    assert store.restore_backup()
    assert [p.id for p in PersonalStore(paths.data).phrases] == [first.id]


@pytest.mark.parametrize("bad,message", [
    (entry(""), "text is empty"),
    (entry("   \n "), "text is empty"),
    (entry("x" * 100_000), "100,000 characters long; the limit is 2,000"),
    (entry("Sorry\x1b[31m!"), "control character U+001B at position 6"),
    (entry("Hi {first_name}!"), "unknown placeholder {first_name}"),
    (entry("Fine.", intent="grovel"), "intent is 'grovel'"),
    (entry("Fine.", emotions=["rage"]), "unknown 'rage'"),
    (entry("Fine.", abbreviation="two words"), "abbreviation cannot contain spaces"),
    (entry("Fine.", id="bad id!"), "must be 1-80 letters"),
])
def test_bad_entries_are_refused_at_the_point_of_entry_and_nothing_is_written(paths, bad, message):
    store = PersonalStore(paths.data)
    with pytest.raises(EntryError, match=re.escape(message)):
        store.add(bad)
    assert not store.path.exists()
    assert MAX_TEXT == 2000


def test_a_duplicate_id_is_refused(paths):
    store = PersonalStore(paths.data)
    store.add(entry("One.", id="mine"))
    with pytest.raises(EntryError, match="already have a phrase with id 'mine'"):
        store.add(entry("Two.", id="mine"))
    assert [p.text for p in PersonalStore(paths.data).phrases] == ["One."]


def test_two_instances_merge_their_changes_instead_of_overwriting(paths):
    first, second = PersonalStore(paths.data), PersonalStore(paths.data)
    a = first.add(entry("From window one."))
    b = second.add(entry("From window two."))  # second never re-loaded by hand: it merges under the lock
    second.set_hidden("chk.anger.formal-short")
    first.set_favourite(a.id)
    ids = {p.id for p in PersonalStore(paths.data).phrases}
    assert ids == {a.id, b.id}
    again = PersonalStore(paths.data)
    assert again.hidden == {"chk.anger.formal-short"}
    assert next(p for p in again.phrases if p.id == a.id).favourite


def test_processes_adding_at_the_same_time_lose_nothing(paths):
    code = textwrap.dedent(f"""
        import sys
        from assist.phrases.store import PersonalStore
        store = PersonalStore({str(paths.data)!r})
        for n in range(15):
            store.add({{"id": f"p{{sys.argv[1]}}-{{n}}", "text": f"Phrase {{sys.argv[1]}} {{n}}.", "intent": "acknowledge"}})
    """)
    procs = [subprocess.Popen([sys.executable, "-c", code, str(k)]) for k in range(3)]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    ids = {p.id for p in PersonalStore(paths.data).phrases}
    assert ids == {f"p{k}-{n}" for k in range(3) for n in range(15)}


WRITER = textwrap.dedent("""
    import sys
    from assist.phrases.store import PersonalStore
    store = PersonalStore(sys.argv[1])
    start = len(store.phrases)
    sys.stdout.write("ready\\n"); sys.stdout.flush()
    for n in range(start, start + 10_000):
        # Long entries make each save large, so a kill often lands in the middle of writing.
        store.add({"id": f"p-{n:05d}", "text": f"Phrase number {n}. " + "I understand. " * 40,
                   "intent": "acknowledge", "note": "x" * 300})
""")


def test_killing_a_writer_at_random_moments_always_leaves_the_old_or_the_new_library(paths):
    rng = random.Random(1234)
    previous = 0
    torn_writes = 0  # kills that landed while a save was being written
    for round_ in range(15):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(paths.data)], stdout=subprocess.PIPE)
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        torn_writes += bool(list(paths.data.glob(".phrases.yaml.*.tmp")))
        loaded = read_file(paths.data / "phrases.yaml", "personal")
        assert loaded.problems == [], f"round {round_}: {loaded.problems}"
        ids = [p.id for p in loaded.phrases]
        # Saves only ever add the next phrase: what is there is a whole prefix, never a torn file.
        assert ids == [f"p-{n:05d}" for n in range(len(ids))]
        assert len(ids) >= previous
        previous = len(ids)
        bak = backup_path(paths.data / "phrases.yaml")
        if bak.exists():
            assert read_file(bak, "personal").problems == []
    assert previous > 0
    assert torn_writes >= 1, "no kill landed during a save; the test proved nothing"


def test_a_hand_broken_file_is_kept_aside_and_the_agent_is_told_where(paths):
    paths.data.mkdir(parents=True)
    path = paths.data / "phrases.yaml"
    broken = ("schema_version: 1\nphrases:\n  - id: ok\n    text: Fine.\n    intent: acknowledge\n"
              "  - id: colon-trouble\n    text: Note: this breaks\n    intent: acknowledge\n")
    path.write_text(broken)
    library = load_library(paths)
    fatal = [p for p in library.problems if p.fatal]
    assert fatal and fatal[0].file == str(path)
    assert (fatal[0].line, fatal[0].entry) == (7, "colon-trouble")
    assert "not valid YAML (mapping values are not allowed" in fatal[0].message
    assert len(library.phrases) >= 150  # shipped phrases still load
    kept = list(paths.data.glob("phrases.yaml.broken-*"))
    assert len(kept) == 1 and kept[0].read_text() == broken
    assert path.read_text() == broken  # untouched
    with pytest.raises(StoreError, match="cannot be read"):
        PersonalStore(paths.data).add(entry("New."))
    assert path.read_text() == broken
    load_library(paths)
    assert len(list(paths.data.glob("phrases.yaml.broken-*"))) == 1  # one copy, not one per start


def test_a_bad_entry_is_reported_with_line_and_id_and_the_rest_loads_and_survives_saves(paths):
    paths.data.mkdir(parents=True)
    path = paths.data / "phrases.yaml"
    path.write_text(textwrap.dedent("""\
        schema_version: 1
        phrases:
          - id: good-one
            text: Fine.
            intent: acknowledge
          - id: bad-one
            text: "Hi {first_name}"
            intent: acknowledge
          - id: good-one
            text: Again.
            intent: acknowledge
        """))
    library = load_library(paths)
    messages = {(p.entry, p.line): p.message for p in library.problems}
    assert "unknown placeholder {first_name}" in messages[("bad-one", 6)]
    assert "duplicate id" in messages[("good-one", 9)]
    assert library.get("good-one").text == "Fine."
    PersonalStore(paths.data).add(entry("Another."))
    raw = yaml.safe_load(path.read_text())
    assert [e["id"] for e in raw["phrases"]][:3] == ["good-one", "bad-one", "good-one"]  # kept for fixing


def test_a_file_from_a_newer_version_is_refused_and_never_rewritten(paths):
    paths.data.mkdir(parents=True)
    path = paths.data / "phrases.yaml"
    newer = "schema_version: 99\nphrases:\n  - id: x\n    text: Hi.\n    intent: acknowledge\n    mood: 3\n"
    path.write_text(newer)
    library = load_library(paths)
    assert any(p.fatal and "newer assist" in p.message for p in library.problems)
    assert library.get("x") is None
    with pytest.raises(StoreError, match="newer assist"):
        PersonalStore(paths.data).set_hidden("ack.anger.friendly-short")
    assert path.read_text() == newer
    assert [p.name for p in paths.data.glob("phrases.yaml*") if p.suffix != ".lock"] == ["phrases.yaml"]


def test_an_old_unversioned_file_is_migrated_when_saved(paths):
    paths.data.mkdir(parents=True)
    path = paths.data / "phrases.yaml"
    path.write_text("- id: old\n  text: Old phrase.\n  intent: acknowledge\n  favorite: true\n")
    store = PersonalStore(paths.data)
    assert store.phrases[0].favourite and store.problems == []
    store.add(entry("New phrase."))
    raw = yaml.safe_load(path.read_text())
    assert raw["schema_version"] == 1 and raw["phrases"][0]["favourite"] is True
    assert path.read_text().startswith("# yaml-language-server: $schema=")


def test_the_saved_file_matches_the_json_schema_it_references(paths):
    import json
    from urllib.parse import urlparse
    from urllib.request import url2pathname

    import jsonschema

    store = PersonalStore(paths.data)
    store.add(entry("Grüße, {customer_name|friend} 😀", emotions=["positive"], topics=["other"], abbreviation="gr",
                    favourite=True, tone="friendly", length="short", group="mine", note="for regulars"))
    store.set_hidden("ack.anger.friendly-short")
    store.set_favourite("apo.anger.formal-short")
    text = store.path.read_text(encoding="utf-8")
    reference = text.splitlines()[0].split("$schema=", 1)[1]
    schema = json.loads(Path(url2pathname(urlparse(reference).path)).read_text())
    jsonschema.Draft202012Validator(schema).validate(yaml.safe_load(text))
