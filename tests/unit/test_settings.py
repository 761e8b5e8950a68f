import json

import pytest

from assist.config import OPTIONS, Settings, SettingsError
from assist.paths import Paths


@pytest.fixture
def paths(tmp_path):
    return Paths.for_basedir(tmp_path)


def test_defaults_come_from_the_declared_options(paths):
    settings = Settings.load(paths)
    for option in OPTIONS:
        assert settings.get(option.key) == option.default


def test_changed_values_survive_a_restart_and_only_they_are_written(paths):
    settings = Settings.load(paths)
    settings.set("overlay.suggestions", 5)
    settings.set("hotkeys.pause", "Ctrl+Alt+Q")
    settings.save()
    on_disk = json.loads((paths.config / "settings.json").read_text())
    assert on_disk == {"_version": 1, "hotkeys.pause": "ctrl+alt+q", "overlay.suggestions": 5}
    again = Settings.load(paths)
    assert again.get("overlay.suggestions") == 5
    assert again.get("hotkeys.pause") == "ctrl+alt+q"


@pytest.mark.parametrize("key,value", [("overlay.suggestions", 9), ("overlay.theme", "pink"),
                                       ("watching.enabled", "yes")])
def test_bad_values_are_refused_with_the_key_named(paths, key, value):
    with pytest.raises(SettingsError, match=key.replace(".", r"\.")):
        Settings.load(paths).set(key, value)


def test_a_corrupt_file_is_kept_aside_not_overwritten(paths):
    paths.config.mkdir(parents=True)
    (paths.config / "settings.json").write_text("{not json")
    settings = Settings.load(paths)
    assert settings.get("overlay.suggestions") == 4
    assert "kept aside" in settings.problems[0]
    kept = list(paths.config.glob("settings.json.corrupt-*"))
    assert len(kept) == 1 and kept[0].read_text() == "{not json"


def test_a_wrong_value_in_the_file_falls_back_to_the_default_with_a_message(paths):
    paths.config.mkdir(parents=True)
    (paths.config / "settings.json").write_text('{"overlay.suggestions": "many", "nope": 1}')
    settings = Settings.load(paths)
    assert settings.get("overlay.suggestions") == 4
    assert any("overlay.suggestions" in p for p in settings.problems)
    assert any("nope" in p for p in settings.problems)


def test_a_newer_file_is_refused_and_never_rewritten(paths):
    paths.config.mkdir(parents=True)
    newer = '{"_version": 99, "overlay.suggestions": 5}'
    (paths.config / "settings.json").write_text(newer)
    settings = Settings.load(paths)
    assert "newer" in settings.problems[0]
    settings.set("overlay.suggestions", 3)
    settings.save()
    assert (paths.config / "settings.json").read_text() == newer
