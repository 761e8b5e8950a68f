"""How a phrase is delivered to a given application: paste key, line breaks, delays, method.

Built-in profiles cover the usual chat clients and terminals; the settings can change the defaults
for every application (inserting.*) and add per-application lines in `inserting.app_profiles`:
    "slack: newline=shift+enter, paste_delay_ms=50"
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from assist.platform.base import WindowInfo
from assist.platform.combos import ComboError, parse_combo

METHODS = ("auto", "paste", "type", "atspi")
NEWLINES = ("auto", "shift+enter", "paste")


@dataclass(frozen=True, slots=True)
class AppProfile:
    name: str = "default"
    match: tuple = ()  # substrings of the window's class or application name, lower case
    method: str = "auto"  # auto = paste, with AT-SPI or typing when paste is not possible
    paste_key: str = "ctrl+v"
    newline: str = "auto"  # auto: one paste block when pasting, Shift+Enter when typing
    paste_timeout_ms: int = 1000  # longest wait for the application to take the clipboard
    paste_delay_ms: int = 0  # extra wait after it took it, before the clipboard is restored
    type_delay_ms: int = 6

    def newline_for(self, method: str) -> str:
        if self.newline != "auto":
            return self.newline
        return "paste" if method == "paste" else "shift+enter"


TERMINALS = ("xterm", "gnome-terminal", "konsole", "alacritty", "kitty", "terminator", "tilix",
             "xfce4-terminal", "urxvt", "wezterm", "foot", "lxterminal", "qterminal")

BUILTIN_PROFILES: tuple[AppProfile, ...] = (
    AppProfile("terminal", TERMINALS, paste_key="ctrl+shift+v", newline="shift+enter"),
    # Chat clients where Enter sends: a multi-line phrase is one paste block, never a bare Enter.
    AppProfile("slack", ("slack",), newline="paste"),
    AppProfile("teams", ("teams",), newline="paste", paste_delay_ms=50),
    AppProfile("discord", ("discord",), newline="paste"),
    AppProfile("browser", ("chromium", "chrome", "firefox", "msedge", "brave", "vivaldi", "opera"),
               newline="paste"),
)

INT_FIELDS = {"paste_timeout_ms", "paste_delay_ms", "type_delay_ms"}


class ProfileError(ValueError):
    pass


def parse_profile_line(line: str) -> AppProfile:
    """"slack: newline=shift+enter, paste_key=ctrl+v" -> AppProfile; ProfileError says what is wrong."""
    if ":" not in line:
        raise ProfileError(f"{line!r}: expected 'application: key=value, ...'")
    app, _, rest = line.partition(":")
    app = app.strip().lower()
    if not app:
        raise ProfileError(f"{line!r}: the application name is empty")
    values: dict = {}
    known = {f.name for f in fields(AppProfile)} - {"name", "match"}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, sep, value = (s.strip() for s in item.partition("="))
        if not sep or key not in known:
            raise ProfileError(f"{line!r}: {key!r} is not a profile setting ({', '.join(sorted(known))})")
        values[key] = _convert(line, key, value)
    return AppProfile(name=app, match=(app,), **values)


def _convert(line: str, key: str, value: str):
    if key in INT_FIELDS:
        if not value.isdigit() or int(value) > 10_000:
            raise ProfileError(f"{line!r}: {key} must be a number of milliseconds (0-10000)")
        return int(value)
    if key == "method" and value not in METHODS:
        raise ProfileError(f"{line!r}: method must be one of {', '.join(METHODS)}")
    if key == "newline" and value not in NEWLINES:
        raise ProfileError(f"{line!r}: newline must be one of {', '.join(NEWLINES)}")
    if key == "paste_key":
        try:
            parse_combo(value)
        except ComboError as exc:
            raise ProfileError(f"{line!r}: {exc}") from None
    return value


class ProfileBook:
    """Finds the profile for a window: the agent's lines first, then the built-ins, then the default
    (itself adjusted by the global inserting.* settings)."""

    def __init__(self, custom: tuple[AppProfile, ...] = (), default: AppProfile = AppProfile(),
                 builtins: tuple[AppProfile, ...] = BUILTIN_PROFILES):
        self.custom = tuple(custom)
        self.default = default
        self.builtins = builtins
        self.problems: list[str] = []

    @classmethod
    def from_settings(cls, settings, paste_key: str = "ctrl+v") -> "ProfileBook":
        """`paste_key`: the platform's usual one (Cmd+V on macOS), for every built-in profile."""
        get = settings.get
        overrides = {"paste_key": paste_key}
        for key, field_name in (("inserting.method", "method"), ("inserting.newline", "newline"),
                                ("inserting.paste_delay_ms", "paste_delay_ms")):
            try:
                overrides[field_name] = get(key)
            except KeyError:
                pass
        default = AppProfile(**overrides)
        custom, problems = [], []
        try:
            lines = get("inserting.app_profiles") or []
        except KeyError:
            lines = []
        for line in lines:
            try:
                custom.append(parse_profile_line(line))
            except ProfileError as exc:
                problems.append(str(exc))
        book = cls(tuple(custom), default)
        book.problems = problems
        return book

    def for_window(self, window: WindowInfo | None) -> AppProfile:
        if window is None:
            return self.default
        haystack = f"{window.app_name} {window.wm_class}".lower()
        for profile in self.custom:
            if any(m in haystack for m in profile.match):
                return profile
        for profile in self.builtins:
            if any(m in haystack for m in profile.match):
                # the agent's global choices still apply where the built-in has no opinion
                changes = {}
                if self.default.method != "auto":
                    changes["method"] = self.default.method
                if self.default.newline != "auto":
                    changes["newline"] = self.default.newline
                if self.default.paste_delay_ms > profile.paste_delay_ms:
                    changes["paste_delay_ms"] = self.default.paste_delay_ms
                if self.default.paste_key != "ctrl+v":  # macOS: Cmd+V everywhere, terminals included
                    changes["paste_key"] = self.default.paste_key
                return replace(profile, **changes)
        return self.default
