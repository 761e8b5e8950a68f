"""Every shipped phrase file is sound: schema, ids, templates, coverage. Agents say these to customers."""

import itertools
import json
import re

import jsonschema
import pytest
import yaml

from assist.core.labels import EMOTIONS, PHRASE_INTENTS, TOPICS
from assist.phrases.fileformat import SCHEMA_VERSION, read_file
from assist.phrases.library import load_library, phrase_files
from assist.phrases.template import KNOWN_PLACEHOLDERS, fill, placeholders
from assist.resources import phrasebank_dir, schema_dir

FILES = phrase_files(phrasebank_dir())
ALL_VALUES = {"customer_name": "Anna", "agent_name": "Sam", "order_id": "A-1042", "product": "coffee grinder",
              "company": "Northwind", "ticket_id": "T-77"}


@pytest.fixture(scope="module")
def schema():
    return json.loads((schema_dir() / "phrasebank.schema.json").read_text())


@pytest.fixture(scope="module")
def library():
    return load_library(None)


def test_there_are_phrase_files():
    assert len(FILES) >= 7


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_matches_the_json_schema_it_references(path, schema):
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == "# yaml-language-server: $schema=../resources/schemas/phrasebank.schema.json"
    assert (path.parent / "../resources/schemas/phrasebank.schema.json").resolve().is_file()
    document = yaml.safe_load(text)
    assert document["schema_version"] == SCHEMA_VERSION
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft202012Validator(schema).iter_errors(document)]
    assert errors == []


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_file_loads_without_a_single_problem(path):
    loaded = read_file(path, "shipped")
    assert [str(p) for p in loaded.problems] == []
    assert loaded.phrases


def test_ids_are_unique_across_all_files(library):
    ids = []
    for path in FILES:
        ids += [entry["id"] for entry in yaml.safe_load(path.read_text())["phrases"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert duplicates == []
    assert library.problems == []
    assert len(library.phrases) == len(ids)


def test_at_least_150_phrases(library):
    assert len(library.phrases) >= 150


def test_every_emotion_has_a_phrase_in_every_intent(library):
    missing = [(emotion, intent) for emotion, intent in itertools.product(EMOTIONS, PHRASE_INTENTS)
               if emotion != "neutral" and not any(emotion in p.emotions and p.intent == intent
                                                   for p in library.phrases.values())]
    assert missing == []


def test_every_topic_is_covered(library):
    covered = {t for p in library.phrases.values() for t in p.topics}
    assert set(TOPICS) - covered == set()


def test_friendly_and_formal_short_and_full_forms_exist(library):
    phrases = list(library.phrases.values())
    for tone, length in itertools.product(("friendly", "formal"), ("short", "full")):
        assert sum(1 for p in phrases if p.tone == tone and p.length == length) >= 5, (tone, length)
    # Variants of one idea share a group, so a chat never gets two of them.
    groups = {}
    for p in phrases:
        groups.setdefault(p.group, set()).add(p.tone)
    assert sum(1 for tones in groups.values() if tones >= {"friendly", "formal"}) >= 30


def _reads_well(text):
    problems = []
    if re.search(r"[{}]", text):
        problems.append("raw brace")
    if re.search(r"\s[,.!?;:]", text) or re.search(r",[,.!?]", text) or "  " in text:
        problems.append("broken punctuation")
    if not text[:1].isupper():
        problems.append("does not start with a capital")
    if text[-1:] not in ".!?":
        problems.append("does not end a sentence")
    if "[" in text or "]" in text:
        problems.append("leftover bracket")
    return problems


def test_every_template_reads_well_with_all_without_any_and_with_each_single_value(library):
    bad = []
    for phrase in library.phrases.values():
        used = placeholders(phrase.text)
        assert used <= set(KNOWN_PLACEHOLDERS)
        cases = [{}, ALL_VALUES] + [{name: ALL_VALUES[name]} for name in used]
        for values in cases:
            text = fill(phrase.text, values)
            for problem in _reads_well(text):
                bad.append(f"{phrase.id} with {sorted(values)}: {problem}: {text!r}")
            for name in used:
                if name in values:
                    assert ALL_VALUES[name] in text, (phrase.id, name)
    assert bad == []


def test_texts_are_unique_and_chat_sized(library):
    texts = [p.text.lower() for p in library.phrases.values()]
    assert len(set(texts)) == len(texts)
    assert max(len(t) for t in texts) <= 220  # a chat reply, not an email
