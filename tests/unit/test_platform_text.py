"""Text handling shared by every platform: key combos, phrase fitting, profiles."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from assist.platform.base import WindowInfo
from assist.platform.combos import ComboError, parse_combo
from assist.platform.profiles import AppProfile, ProfileBook, ProfileError, parse_profile_line
from assist.platform.textfit import fit_phrase


@pytest.mark.parametrize("text, mods, key", [
    ("ctrl+alt+1", {"ctrl", "alt"}, "1"),
    ("Ctrl+Shift+V", {"ctrl", "shift"}, "v"),
    ("shift+enter", {"shift"}, "Return"),
    ("cmd+space", {"super"}, "space"),
    ("ctrl++", {"ctrl"}, "plus"),
    ("f5", set(), "F5"),
])
def test_parse_combo(text, mods, key):
    combo = parse_combo(text)
    assert combo.modifiers == mods and combo.key == key


@pytest.mark.parametrize("text, message", [
    ("", "empty"), ("ctrl+", "empty part"), ("hyper+x", "not a modifier"), ("ctrl+alt", "a key is missing"),
])
def test_bad_combo_says_why(text, message):
    with pytest.raises(ComboError, match=message):
        parse_combo(text)


@pytest.mark.parametrize("before, after, phrase, expected", [
    ("", "", "i understand.", "I understand."),
    ("Thanks. ", "", "i understand.", "I understand."),
    ("Thanks.", "", "I understand.", " I understand."),
    ("thanks for that", "", "I understand.", " I understand."),
    ("thanks, and", "", "Sorry about that", " sorry about that"),
    ("thanks, and ", "", "Sorry about that", "sorry about that"),
    ("Hello", "", ", glad to help", ", glad to help"),
    ("Hello ", "world", "dear", "dear "),
    ("see, ", "", "NASA said", "NASA said"),
    ("line one\n", "", "sorry", "Sorry"),
])
def test_fit_phrase(before, after, phrase, expected):
    assert fit_phrase(phrase, before, after) == expected


@given(st.text(min_size=1, max_size=40))
def test_fit_without_context_keeps_the_phrase(phrase):
    assert fit_phrase(phrase, None) == phrase


@given(st.text(max_size=30), st.text(min_size=1, max_size=40))
def test_fit_only_touches_spaces_and_one_letter_case(before, phrase):
    fitted = fit_phrase(phrase, before)
    assert fitted.strip(" \t").casefold() == phrase.strip(" \t").casefold()
    assert len(fitted) - len(fitted.lstrip(" ")) <= max(1, len(phrase) - len(phrase.lstrip(" ")))


def test_profile_line_parsing_and_errors():
    profile = parse_profile_line("Slack: newline=shift+enter, paste_delay_ms=50, paste_key=ctrl+shift+v")
    assert profile.match == ("slack",) and profile.newline == "shift+enter" and profile.paste_delay_ms == 50
    for bad, message in [("slack", "expected"), ("slack: speed=3", "not a profile setting"),
                         ("slack: paste_delay_ms=-1", "milliseconds"), ("slack: method=fax", "method"),
                         ("slack: paste_key=hyper+v", "not a modifier"), (": method=type", "empty")]:
        with pytest.raises(ProfileError, match=message):
            parse_profile_line(bad)


class Settings:
    def __init__(self, **values):
        self.values = values

    def get(self, key):
        if key not in self.values:
            raise KeyError(key)
        return self.values[key]


def test_profile_book_order_and_global_settings():
    book = ProfileBook.from_settings(Settings(**{
        "inserting.method": "auto", "inserting.newline": "auto", "inserting.paste_delay_ms": 30,
        "inserting.app_profiles": ["teams: method=type", "broken line"]}))
    assert book.problems and "broken line" in book.problems[0]
    teams = book.for_window(WindowInfo(1, app_name="teams", wm_class="Microsoft Teams"))
    assert teams.method == "type"
    term = book.for_window(WindowInfo(2, app_name="gnome-terminal-server", wm_class="Gnome-terminal"))
    assert term.paste_key == "ctrl+shift+v" and term.paste_delay_ms == 30
    other = book.for_window(WindowInfo(3, app_name="zendesk-agent"))
    assert other == AppProfile(paste_delay_ms=30)
    assert AppProfile().newline_for("paste") == "paste" and AppProfile().newline_for("type") == "shift+enter"
