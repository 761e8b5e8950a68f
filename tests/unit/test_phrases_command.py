"""`python -m assist phrases ...` as an agent runs it: a real subprocess under --basedir."""

import json
import subprocess
import sys

import pytest
import yaml

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def assist(basedir, *args, check=True):
    result = subprocess.run([sys.executable, "-m", "assist", "--basedir", str(basedir), "phrases", *args],
                            capture_output=True, text=True, cwd=ROOT, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def base(tmp_path):
    return tmp_path / "agent"


def listed(base):
    return {p["id"]: p for p in json.loads(assist(base, "list", "--json").stdout)}


def test_list_json_has_every_field_the_contract_promises(base):
    phrases = listed(base)
    assert len(phrases) >= 150
    for item in phrases.values():
        assert {"id", "text", "source", "emotions", "topics", "intent", "hidden", "favourite"} <= set(item)
        assert item["source"] == "shipped"


def test_add_edit_hide_favourite_remove(base):
    out = assist(base, "add", "--text", "Thanks for your patience, {customer_name}!", "--emotion", "frustration",
                 "--emotion", "anxiety", "--topic", "delivery", "--intent", "appreciate_patience",
                 "--abbrev", "typ").stdout
    new_id = out.split()[1]
    phrases = listed(base)
    assert (phrases[new_id]["source"], phrases[new_id]["emotions"], phrases[new_id]["topics"]) == (
        "personal", ["frustration", "anxiety"], ["delivery"])

    assist(base, "edit", new_id, "--text", "Thank you for waiting, {customer_name}.")
    assist(base, "edit", "chk.anger.formal-short", "--text", "Is this sorted for you now?")
    assist(base, "hide", "ack.anger.friendly-short")
    assist(base, "favourite", "apo.anger.formal-short")
    phrases = listed(base)
    assert phrases[new_id]["text"] == "Thank you for waiting, {customer_name}."
    assert phrases["chk.anger.formal-short"]["source"] == "personal"
    assert phrases["ack.anger.friendly-short"]["hidden"] is True
    assert phrases["apo.anger.formal-short"]["favourite"] is True

    result = assist(base, "remove", "ack.anger.friendly-short", check=False)
    assert result.returncode == 1 and "phrases hide" in result.stderr
    assert "shipped phrase with this id is offered again" in assist(base, "remove", "chk.anger.formal-short").stdout
    assist(base, "unhide", "ack.anger.friendly-short")
    assist(base, "remove", new_id)
    phrases = listed(base)
    assert new_id not in phrases and phrases["chk.anger.formal-short"]["source"] == "shipped"
    assert phrases["ack.anger.friendly-short"]["hidden"] is False


@pytest.mark.parametrize("text,message", [
    ("", "text is empty"),
    ("x" * 100_000, "100,000 characters long"),
    ("Hi\x07", "control character U+0007"),
    ("Dear {first_name}", "unknown placeholder {first_name}"),
])
def test_bad_entries_get_a_clear_message_and_exit_1(base, text, message):
    result = assist(base, "add", "--text", text, "--intent", "acknowledge", check=False)
    assert result.returncode == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert not (base / "data" / "phrases.yaml").exists()


def test_duplicate_id_is_refused(base):
    assist(base, "add", "--id", "mine", "--text", "One.", "--intent", "acknowledge")
    result = assist(base, "add", "--id", "mine", "--text", "Two.", "--intent", "acknowledge", check=False)
    assert result.returncode == 1 and "already have a phrase with id 'mine'" in result.stderr
    result = assist(base, "add", "--id", "ack.anger.formal-short", "--text", "X.", "--intent", "acknowledge",
                    check=False)
    assert result.returncode == 1 and "phrases edit" in result.stderr


def test_validate_is_0_when_sound_and_1_with_file_line_entry(base):
    assert "no problems" in assist(base, "validate").stdout
    (base / "data").mkdir(parents=True)
    (base / "data" / "phrases.yaml").write_text(
        "schema_version: 1\nphrases:\n  - id: ok\n    text: Fine.\n    intent: acknowledge\n"
        "  - id: broken\n    text: ''\n    intent: acknowledge\n")
    result = assist(base, "validate", check=False)
    assert result.returncode == 1
    assert "phrases.yaml:6 [broken]: text is empty" in result.stdout
    report = json.loads(assist(base, "validate", "--json", check=False).stdout)
    assert report["ok"] is False and report["problems"][0]["line"] == 6


def test_import_export_round_trip_and_report(base, tmp_path):
    espanso = tmp_path / "base.yml"
    espanso.write_text("matches:\n  - trigger: ':sry'\n    replace: Sorry for the wait!\n"
                       "  - trigger: ':d'\n    replace: '{{date}}'\n")
    out = assist(base, "import", str(espanso)).stdout
    assert "imported 1 phrase(s)" in out and "skipped match 2 (:d): uses Espanso variables" in out
    export = tmp_path / "mine.csv"
    assist(base, "export", str(export))
    assert "Sorry for the wait!" in export.read_text(encoding="utf-8-sig")
    yaml_out = tmp_path / "all.yaml"
    assist(base, "export", str(yaml_out), "--all")
    assert len(yaml.safe_load(yaml_out.read_text())["phrases"]) >= 151
    te = tmp_path / "te.txt"
    assist(base, "export", str(te), "--format", "textexpander")
    assert te.read_text().startswith(":sry,Sorry for the wait!")
    report = json.loads(assist(tmp_path / "other", "import", str(export), "--json").stdout)
    assert report["format"] == "csv" and len(report["taken"]) == 1


def test_stats_show_and_reset(base):
    from assist.phrases.usage import UsageStats

    UsageStats(base / "data").record("ack.anger.formal-short")
    assert "ack.anger.formal-short" in assist(base, "stats").stdout
    assist(base, "stats", "reset")
    assert "no phrase used yet" in assist(base, "stats").stdout


def test_a_newer_personal_file_is_refused_clearly(base):
    (base / "data").mkdir(parents=True)
    path = base / "data" / "phrases.yaml"
    path.write_text("schema_version: 5\nphrases: []\n")
    result = assist(base, "hide", "ack.anger.formal-short", check=False)
    assert result.returncode == 1 and "newer assist" in result.stderr
    assert path.read_text() == "schema_version: 5\nphrases: []\n"
