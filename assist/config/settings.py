"""The settings file: only values that differ from the declared defaults, as JSON.

A file that cannot be read is moved aside (never overwritten) and the defaults are used, with the
problem reported; a value of the wrong type is ignored with a message naming the key.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from ..atomic import atomic_write
from .options import BY_KEY, Option

FILE_NAME = "settings.json"
FORMAT_VERSION = 1


class SettingsError(ValueError):
    pass


def validate(option: Option, value: Any) -> Any:
    """The value in the option's type, or SettingsError saying what is wrong."""
    kind = option.type
    if kind == "bool":
        if isinstance(value, bool):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            if option.minimum is not None and value < option.minimum:
                raise SettingsError(f"{option.key}: {value} is below the minimum {option.minimum}")
            if option.maximum is not None and value > option.maximum:
                raise SettingsError(f"{option.key}: {value} is above the maximum {option.maximum}")
            return value
    elif kind in ("str", "path", "hotkey"):
        if isinstance(value, str):
            return value.strip().lower() if kind == "hotkey" else value
    elif kind == "choice":
        if value in option.choices:
            return value
        raise SettingsError(f"{option.key}: {value!r} is not one of {', '.join(option.choices)}")
    elif kind == "list":
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
    raise SettingsError(f"{option.key}: expected {kind}, got {type(value).__name__} {value!r}")


class Settings:
    def __init__(self, path: Path | None = None, values: dict | None = None):
        self.path = path
        self._values: dict[str, Any] = dict(values or {})
        self.problems: list[str] = []

    @classmethod
    def load(cls, paths) -> "Settings":
        settings = cls(Path(paths.config) / FILE_NAME)
        settings._read()
        return settings

    def _read(self) -> None:
        if self.path is None or not self.path.exists():
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError("the file does not hold a JSON object")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            kept = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            os.replace(self.path, kept)
            self.problems.append(f"{self.path}: unreadable ({exc}); kept aside as {kept.name}, using defaults")
            return
        version = data.pop("_version", FORMAT_VERSION)
        if isinstance(version, int) and version > FORMAT_VERSION:
            self.path = None  # never rewrite a newer version's file
            self.problems.append(f"settings file is from a newer assist (format {version}); using defaults")
            return
        for key, value in data.items():
            option = BY_KEY.get(key)
            if option is None:
                self.problems.append(f"{self.path}: unknown option {key!r} ignored")
                continue
            try:
                self._values[key] = validate(option, value)
            except SettingsError as exc:
                self.problems.append(f"{self.path}: {exc}; using the default")

    def get(self, key: str) -> Any:
        if key in self._values:
            return self._values[key]
        return BY_KEY[key].default

    def set(self, key: str, value: Any) -> None:
        option = BY_KEY.get(key)
        if option is None:
            raise SettingsError(f"unknown option {key!r}")
        value = validate(option, value)
        if value == option.default:
            self._values.pop(key, None)
        else:
            self._values[key] = value

    def save(self) -> None:
        """Atomic, with the previous file kept as settings.json.bak."""
        if self.path is None:
            return
        payload = {"_version": FORMAT_VERSION, **dict(sorted(self._values.items()))}
        atomic_write(self.path, json.dumps(payload, indent=2))
