"""Key combinations written as text ("ctrl+alt+1", "shift+Return"), parsed once for every backend."""

from __future__ import annotations

from dataclasses import dataclass

MODIFIER_NAMES = {
    "ctrl": "ctrl", "control": "ctrl", "primary": "ctrl",
    "alt": "alt", "option": "alt", "mod1": "alt",
    "shift": "shift",
    "super": "super", "win": "super", "cmd": "super", "command": "super", "meta": "super",
}

# Friendly key names -> X11 keysym names (other platforms translate from these).
KEY_ALIASES = {
    "enter": "Return", "return": "Return", "esc": "Escape", "escape": "Escape", "space": "space",
    "tab": "Tab", "backspace": "BackSpace", "delete": "Delete", "del": "Delete", "insert": "Insert",
    "ins": "Insert", "home": "Home", "end": "End", "pageup": "Prior", "pagedown": "Next",
    "left": "Left", "right": "Right", "up": "Up", "down": "Down",
}


class ComboError(ValueError):
    """A key combination that cannot be understood; the message says why."""


@dataclass(frozen=True, slots=True)
class Combo:
    modifiers: frozenset  # subset of {"ctrl", "alt", "shift", "super"}
    key: str  # X11 keysym name: "v", "1", "Return", "F5"

    def __str__(self) -> str:
        order = [m for m in ("ctrl", "alt", "shift", "super") if m in self.modifiers]
        return "+".join(order + [self.key])


def parse_combo(text: str) -> Combo:
    """"ctrl+alt+1" -> Combo({"ctrl", "alt"}, "1"). Raises ComboError with a clear message."""
    if not isinstance(text, str) or not text.strip():
        raise ComboError("empty key combination")
    parts = [p.strip() for p in text.strip().split("+")]
    if text.strip().endswith("++"):  # "ctrl++" means the plus key
        parts = parts[:-2] + ["plus"]
    if any(not p for p in parts):
        raise ComboError(f"{text!r}: empty part between '+' signs")
    *mods, key = parts
    modifiers = set()
    for mod in mods:
        name = MODIFIER_NAMES.get(mod.lower())
        if name is None:
            raise ComboError(f"{text!r}: {mod!r} is not a modifier (ctrl, alt, shift, super)")
        modifiers.add(name)
    if key.lower() in MODIFIER_NAMES:
        raise ComboError(f"{text!r}: ends with a modifier, a key is missing")
    if len(key) == 1:
        key = key.lower()
    else:
        key = KEY_ALIASES.get(key.lower(), key)
        if key[0] in "fF" and key[1:].isdigit():
            key = "F" + key[1:]
    return Combo(frozenset(modifiers), key)
