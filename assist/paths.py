"""Where the agent's files live. Nothing happens at import time; nothing is created until asked.

Every user file goes under one of these folders. `--basedir DIR` puts them all under DIR (the
folder layout below it is fixed), `--temp-basedir` under a fresh temporary folder; otherwise
platformdirs picks the usual place of each operating system.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "assist"


@dataclass(frozen=True)
class Paths:
    data: Path  # personal phrase library, usage statistics
    config: Path  # settings
    state: Path  # window positions, shift statistics
    cache: Path
    log: Path

    @classmethod
    def for_basedir(cls, basedir: str | Path) -> "Paths":
        base = Path(basedir).expanduser().resolve()
        return cls(data=base / "data", config=base / "config", state=base / "state",
                   cache=base / "cache", log=base / "log")

    @classmethod
    def temporary(cls) -> "Paths":
        return cls.for_basedir(tempfile.mkdtemp(prefix="assist-"))

    @classmethod
    def default(cls) -> "Paths":
        import platformdirs

        dirs = platformdirs.PlatformDirs(APP_NAME, appauthor=False)
        return cls(data=Path(dirs.user_data_dir), config=Path(dirs.user_config_dir),
                   state=Path(dirs.user_state_dir), cache=Path(dirs.user_cache_dir),
                   log=Path(dirs.user_log_dir))

    @classmethod
    def from_args(cls, basedir: str | None = None, temp_basedir: bool = False) -> "Paths":
        if temp_basedir:
            return cls.temporary()
        if basedir:
            return cls.for_basedir(basedir)
        return cls.default()
