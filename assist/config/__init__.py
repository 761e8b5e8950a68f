"""Declared options (options.py) and the settings file that follows from them (settings.py). Qt-free."""

from .options import OPTIONS, Option
from .settings import Settings, SettingsError

__all__ = ["OPTIONS", "Option", "Settings", "SettingsError"]
