"""Import and export: our YAML and CSV, Espanso, TextExpander and Text Blaze; what was taken, what skipped."""

import csv
import io
import textwrap

import pytest
import yaml

from assist.paths import Paths
from assist.phrases.interchange import InterchangeError, export_file, guess_intent, import_file, read_candidates
from assist.phrases.library import load_library
from assist.phrases.store import PersonalStore


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path / "base")


def run_import(paths, path, fmt=None):
    return import_file(path, load_library(paths), PersonalStore(paths.data), fmt)


def test_espanso_match_file(paths, tmp_path):
    path = tmp_path / "support.yml"
    path.write_text(textwrap.dedent("""\
        matches:
          - trigger: ":sry"
            replace: "I'm sorry about the delay with your parcel."
          - triggers: [":ty", ":thx"]
            replace: "Thanks for bearing with me!$|$"
          - trigger: ":date"
            replace: "{{mydate}}"
            vars:
              - name: mydate
                type: date
          - trigger: ":logo"
            image_path: "$CONFIG/images/logo.png"
          - regex: ":hi(?P<person>.*)"
            replace: "Hi there, good to hear from you."
        """))
    report = run_import(paths, path)
    assert report.format == "espanso"
    taken = dict(report.taken)
    assert len(taken) == 3
    skipped = dict(report.skipped)
    assert "Espanso variables" in skipped["match 3 (:date)"]
    assert "image_path" in skipped["match 4 (:logo)"]
    library = load_library(paths)
    by_abbrev = {p.abbreviation: p for p in library.phrases.values() if p.source == "personal"}
    assert by_abbrev[":sry"].intent == "apologize"
    assert by_abbrev[":ty"].text == "Thanks for bearing with me!"
    assert by_abbrev[":ty"].intent == "appreciate_patience"
    assert "intent guessed as apologize" in taken[by_abbrev[":sry"].id]


def test_textexpander_csv_export_without_header(paths, tmp_path):
    path = tmp_path / "Support Snippets.csv"
    path.write_text(
        ';apol,"I\'m sorry, that should not have happened.",Apology\r\n'
        ";sig,\"Best,\nSam\",Signature\r\n"
        ";clip,\"Here you go: %clipboard\",Paste\r\n"
        ";rich,\"<p>Hello <b>there</b></p>\",Rich\r\n"
        ';curly,"Use {braces} freely %| now",Curly\r\n', encoding="utf-8")
    report = run_import(paths, path)
    assert report.format == "textexpander"
    assert len(report.taken) == 3
    reasons = " | ".join(r for _, r in report.skipped)
    assert "TextExpander macro (%clipboard" in reasons and "rich text" in reasons
    mine = {p.abbreviation: p for p in PersonalStore(paths.data).phrases}
    assert mine[";sig"].text == "Best,\nSam" and mine[";sig"].note == "Signature"
    assert mine[";curly"].text == "Use {{braces}} freely  now"  # literal braces, not our placeholders
    from assist.phrases.template import fill
    assert fill(mine[";curly"].text) == "Use {braces} freely  now"


def test_text_blaze_csv(paths, tmp_path):
    path = tmp_path / "blaze.csv"
    path.write_text("name,shortcut,text\r\n"
                    "Patience,/pat,Thank you so much for your patience.\r\n"
                    "Form,/form,\"Hi {formtext: name=first}, thanks!\"\r\n"
                    "Cursor,/cur,\"Let me check that for you.{cursor}\"\r\n"
                    "Empty,/nothing,\r\n")
    report = run_import(paths, path)
    assert report.format == "textblaze"
    assert len(report.taken) == 2
    reasons = dict(report.skipped)
    assert "Text Blaze command {formtext}" in reasons["row 3 (/form)"]
    assert reasons["row 5 (/nothing)"] == "empty text"
    texts = {p.abbreviation: p.text for p in PersonalStore(paths.data).phrases}
    assert texts == {"/pat": "Thank you so much for your patience.", "/cur": "Let me check that for you."}


def test_our_csv_round_trip_through_a_spreadsheet(paths, tmp_path):
    store = PersonalStore(paths.data)
    store.add({"id": "mine.one", "text": "=Sorry, {customer_name|friend}!", "intent": "apologize",
               "emotions": ["anger", "frustration"], "topics": ["billing"], "abbreviation": "sry",
               "favourite": True})
    store.add({"id": "mine.two", "text": "Thanks for waiting.", "intent": "appreciate_patience"})
    out = tmp_path / "mine.csv"
    library = load_library(paths)
    export_file([library.get("mine.one"), library.get("mine.two")], out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # spreadsheets on Windows read UTF-8 with a BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0])[:7] == ["id", "text", "intent", "emotions", "topics", "abbreviation", "favourite"]
    assert rows[0]["text"] == "'=Sorry, {customer_name|friend}!"  # guarded against formula injection
    assert rows[0]["emotions"] == "anger; frustration" and rows[0]["favourite"] == "yes"

    other = Paths.for_basedir(tmp_path / "colleague")
    report = run_import(other, out)
    assert report.format == "csv" and [i for i, _ in report.taken] == ["mine.one", "mine.two"]
    theirs = load_library(other).get("mine.one")
    assert (theirs.text, theirs.emotions, theirs.topics, theirs.favourite, theirs.abbreviation) == (
        "=Sorry, {customer_name|friend}!", ("anger", "frustration"), ("billing",), True, "sry")
    # Importing again takes nothing twice.
    again = run_import(other, out)
    assert again.taken == [] and all("already" in r for _, r in again.skipped)


def test_csv_rows_with_bad_entries_are_skipped_with_the_reason(paths, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("id,text,intent,emotions,topics,abbreviation,favourite\n"
                    "a,Fine text.,acknowledge,anger,,,\n"
                    "b,,acknowledge,,,,\n"
                    "c,Hi {firstname},acknowledge,,,,\n"
                    "d,Fine.,acknowledge,rage,,,\n"
                    f"e,{'x' * 100_000},acknowledge,,,,\n"
                    "f,Another fine text.,,,,,\n")
    report = run_import(paths, path)
    assert [i for i, _ in report.taken] == ["a", "f"]
    reasons = dict(report.skipped)
    assert reasons["row 3"] == "text is empty"
    assert "unknown placeholder {firstname}" in reasons["row 4"]
    assert "unknown 'rage'" in reasons["row 5"]
    assert "100,000 characters" in reasons["row 6"]


def test_our_yaml_export_and_import_keep_everything(paths, tmp_path):
    store = PersonalStore(paths.data)
    store.add({"id": "mine.x", "text": "[{customer_name}, ]I've got this.", "intent": "take_ownership",
               "emotions": ["anxiety"], "tone": "friendly", "length": "short", "group": "own.mine"})
    out = tmp_path / "export.yaml"
    export_file([load_library(paths).get("mine.x")], out)
    assert yaml.safe_load(out.read_text())["schema_version"] == 1
    other = Paths.for_basedir(tmp_path / "other")
    run_import(other, out)
    assert load_library(other).get("mine.x") == load_library(paths).get("mine.x")


def test_yaml_import_can_replace_a_shipped_phrase_and_says_so(paths, tmp_path):
    path = tmp_path / "team.yaml"
    path.write_text("schema_version: 1\nphrases:\n  - id: ack.anger.friendly-short\n"
                    "    text: I can see you're really angry, and I get why.\n    intent: acknowledge\n")
    report = run_import(paths, path)
    assert "replaces the shipped phrase" in report.taken[0][1]
    assert load_library(paths).get("ack.anger.friendly-short").source == "personal"


def test_foreign_exports_never_carry_raw_placeholders(paths, tmp_path):
    phrases = [p for p in load_library(paths).phrases.values() if "{" in p.text]
    for fmt, name in (("espanso", "out.yml"), ("textexpander", "te.csv"), ("textblaze", "tb.csv")):
        out = tmp_path / name
        export_file(phrases, out, fmt, {"agent_name": "Sam"})
        text = out.read_text(encoding="utf-8")
        assert "{" not in text.replace("{{", "") and "customer_name" not in text
    rows = list(csv.reader(io.StringIO((tmp_path / "te.csv").read_text())))
    assert len(rows) == len(phrases) and all(len(r) == 3 for r in rows)  # abbreviation, content, label
    matches = yaml.safe_load((tmp_path / "out.yml").read_text())["matches"]
    assert all(m["trigger"].startswith(":") and m["replace"] for m in matches)
    # And they come back in: each tool's export is one of its import formats.
    for name in ("out.yml", "te.csv", "tb.csv"):
        fmt, candidates, skipped = read_candidates(tmp_path / name)
        assert len(candidates) == len(phrases) and skipped == []


@pytest.mark.parametrize("content,name,message", [
    ("matches: [", "broken.yml", "not valid YAML"),
    ("schema_version: 7\nphrases: []\n", "new.yaml", "newer assist"),
    ("hello", "notes.docx", "cannot tell the format"),
])
def test_whole_file_problems_are_clear(paths, tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InterchangeError, match=message):
        run_import(paths, path)
    assert not (paths.data / "phrases.yaml").exists()


@pytest.mark.parametrize("text,intent", [
    ("I'm so sorry about that.", "apologize"),
    ("Thank you for your patience.", "appreciate_patience"),
    ("Thanks for letting us know!", "thank_reporting"),
    ("Is there anything else I can help with?", "check_back"),
    ("Leave this with me.", "take_ownership"),
    ("I understand how annoying this is.", "acknowledge"),
    ("Your parcel ships on Monday.", "reassure_next_step"),
])
def test_guess_intent(text, intent):
    assert guess_intent(text) == intent
