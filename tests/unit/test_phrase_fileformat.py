"""Reading phrase files never crashes, whatever is in them; problems name file, line and entry."""

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from assist.phrases.fileformat import SCHEMA_VERSION, parse_text, read_file
from assist.phrases.model import phrase_from_entry

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
entries = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=12), st.integers()), "text": st.one_of(st.text(max_size=40), values),
    "intent": st.one_of(st.sampled_from(["acknowledge", "apologize", "nonsense"]), values),
    "emotions": values, "topics": values, "favourite": values, "tone": values, "extra": values})


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_result_never_an_exception(text):
    result = parse_text(text, Path("x.yaml"), "personal")
    assert result.usable or result.problems


@settings(max_examples=300, deadline=None)
@given(st.one_of(values, st.fixed_dictionaries({"schema_version": st.one_of(st.just(SCHEMA_VERSION), values),
                                                "phrases": st.one_of(st.lists(entries, max_size=5), values)})))
def test_any_document_gives_phrases_or_problems_never_an_exception(document):
    text = yaml.safe_dump(document)
    result = parse_text(text, Path("x.yaml"), "personal")
    for problem in result.problems:
        assert problem.file == "x.yaml" and problem.message


def test_lenient_where_hand_written_files_are_ordinary():
    phrase, warnings = phrase_from_entry({"id": "a", "text": "Line one\r\nline two.", "intent": "acknowledge",
                                          "topics": None, "emotions": "anger"}, "personal")
    assert phrase.text == "Line one\nline two." and phrase.topics == () and phrase.emotions == ("anger",)
    assert warnings == []


def test_unknown_fields_are_reported_but_the_entry_is_used():
    text = "schema_version: 1\nphrases:\n  - id: a\n    text: Hi.\n    intent: acknowledge\n    colour: red\n"
    result = parse_text(text, Path("x.yaml"), "personal")
    assert [p.id for p in result.phrases] == ["a"]
    assert [(p.line, p.entry, p.message) for p in result.problems] == [(3, "a", "unknown field 'colour' ignored")]


def test_a_file_that_is_not_utf8_is_reported(tmp_path):
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"schema_version: 1\nphrases:\n  - id: a\n    text: Caf\xe9\n    intent: acknowledge\n")
    result = read_file(path, "personal")
    assert result.unreadable and "cannot be read" in result.problems[0].message


from assist.phrases.fileformat import _Loader, dump, fast_load  # noqa: E402

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
saved_entries = st.fixed_dictionaries(
    {"id": any_text, "text": any_text},
    optional={"intent": any_text, "emotions": st.lists(any_text, max_size=3), "favourite": st.booleans(),
              "note": any_text, "count": st.integers(-10**6, 10**6)})


@settings(max_examples=400, deadline=None)
@given(st.lists(saved_entries, max_size=5), st.lists(any_text, max_size=3), st.lists(any_text, max_size=3))
def test_the_one_line_layout_reads_back_the_same_with_yaml_and_with_the_fast_reader(entries, hidden, favourites):
    document = {"schema_version": SCHEMA_VERSION, "phrases": entries, "hidden": hidden, "favourites": favourites}
    text = dump(document, "file:///schema.json")
    expected = {k: v for k, v in document.items() if v or k in ("phrases", "schema_version")}
    assert yaml.load(text, Loader=_Loader) == expected
    assert fast_load(text) == expected


def test_the_fast_reader_leaves_anything_else_to_the_yaml_loader():
    assert fast_load("schema_version: 1\nphrases:\n  - id: a\n    text: Hi.\n") is None
    assert fast_load('schema_version: 1\nphrases:\n- {"id": "a"} # comment\n') is None
    assert fast_load('schema_version: 1\nphrases:\n- {"id": "a"}\nextra: 1\n') is None
    assert fast_load('phrases:\n- {"id": "a"}\n') is None  # unversioned: the migration decides
    assert fast_load('schema_version: 1\r\nphrases:\r\n- {"id": "a"}\r\n') == {"schema_version": 1,
                                                                            "phrases": [{"id": "a"}]}


def test_entries_yaml_cannot_express_as_json_are_written_as_block_yaml():
    import datetime

    document = {"schema_version": 1, "phrases": [{"id": "a", "text": "Hi.", "when": datetime.date(2024, 1, 2)}]}
    text = dump(document)
    assert fast_load(text) is None and yaml.load(text, Loader=_Loader) == document
