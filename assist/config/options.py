"""Every option assist has, declared once: key, type, default, description.

The settings file, its validation and the settings dialog all follow from this list, so adding an
option is one entry here and no UI code. Keys are "section.name"; the section is the dialog's tab.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Applications where assist watches the chat by itself (matched against the window's class and
# application name, case-insensitively, as substrings). Explicit actions work everywhere.
DEFAULT_ALLOWED_APPS = [
    "chromium", "chrome", "firefox", "msedge", "edge", "brave", "opera", "vivaldi", "safari",
    "slack", "teams", "discord", "zendesk", "freshdesk", "intercom", "front", "helpscout",
    "livechat", "zoho", "hubspot", "gorgias", "kustomer", "tidio", "crisp", "whatsapp",
    "telegram", "signal", "mattermost", "rocket.chat", "element", "skype", "mousepad", "gedit",
]


@dataclass(frozen=True)
class Option:
    key: str
    type: str  # "bool", "int", "str", "choice", "path", "list", "hotkey"
    default: Any
    description: str
    choices: tuple = ()
    minimum: int | None = None
    maximum: int | None = None

    @property
    def section(self) -> str:
        return self.key.split(".", 1)[0]


OPTIONS: tuple[Option, ...] = (
    # Watching
    Option("watching.enabled", "bool", True, "Watch the chat and the draft in allowed applications"),
    Option("watching.allowed_apps", "list", DEFAULT_ALLOWED_APPS,
           "Applications where assist watches by itself (names or window classes)"),
    Option("watching.selection_is_customer", "bool", True,
           "Selecting text (X11) analyses it as the customer's message"),
    Option("watching.watch_clipboard", "bool", False,
           "Analyse copied text as the customer's message"),
    # Inserting
    Option("inserting.method", "choice", "auto", "How a phrase reaches the chat box",
           choices=("auto", "paste", "type", "atspi")),
    Option("inserting.paste_delay_ms", "int", 0,
           "Extra wait before restoring the clipboard after a paste (slow applications)",
           minimum=0, maximum=2000),
    Option("inserting.newline", "choice", "auto", "What a line break in a phrase becomes",
           choices=("auto", "shift+enter", "paste")),
    Option("inserting.app_profiles", "list", [],
           "Per-application insertion, one line each: 'slack: newline=shift+enter, paste_delay_ms=50'"),
    Option("watching.draft_source", "choice", "auto",
           "How the draft is read: accessibility, else the keystroke buffer",
           choices=("auto", "atspi", "keystrokes", "off")),
    # Overlay
    Option("overlay.dock", "choice", "right", "Where the overlay sits: a screen edge, beside the chat window you work in, or where you drop it",
           choices=("right", "left", "beside_window", "free")),
    Option("overlay.theme", "choice", "system", "Colours", choices=("system", "light", "dark")),
    Option("overlay.suggestions", "int", 4, "How many suggestions to show", minimum=3, maximum=5),
    Option("overlay.debounce_ms", "int", 120, "Wait this long after typing stops before analysing",
           minimum=0, maximum=1000),
    # Hotkeys
    Option("hotkeys.insert_1", "hotkey", "ctrl+alt+1", "Insert suggestion 1"),
    Option("hotkeys.insert_2", "hotkey", "ctrl+alt+2", "Insert suggestion 2"),
    Option("hotkeys.insert_3", "hotkey", "ctrl+alt+3", "Insert suggestion 3"),
    Option("hotkeys.insert_4", "hotkey", "ctrl+alt+4", "Insert suggestion 4"),
    Option("hotkeys.insert_5", "hotkey", "ctrl+alt+5", "Insert suggestion 5"),
    Option("hotkeys.analyse_selection", "hotkey", "ctrl+alt+a",
           "Analyse the selection (or clipboard) as the customer's message"),
    Option("hotkeys.toggle_overlay", "hotkey", "ctrl+alt+space", "Show or hide the overlay"),
    Option("hotkeys.pause", "hotkey", "ctrl+alt+p", "Pause or resume watching"),
    Option("hotkeys.search", "hotkey", "ctrl+alt+f",
           "Search your phrases from the keyboard (Enter inserts, Esc goes back to the chat)"),
    # Phrases
    Option("phrases.team_folder", "path", "", "A shared folder with the team's phrases (read-only)"),
    Option("phrases.agent_name", "str", "", "Your name, for {agent_name} in phrases"),
    Option("phrases.tone", "choice", "friendly", "Which variant of a phrase comes first",
           choices=("friendly", "formal", "any")),
    # General
    Option("general.start_with_session", "bool", False, "Start assist when you log in"),
    Option("general.record_shift", "bool", False,
           "Keep today's statistics (counts only, never chat text) for the My shift view"),
)

BY_KEY = {option.key: option for option in OPTIONS}
