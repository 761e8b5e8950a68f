"""Calendar days in the team's time zone: which day a conversation (and its moments) belongs to.

A team in Berlin reads "Monday" as their Monday: a chat at 23:30 UTC on Sunday is theirs on Monday.
A conversation belongs to the day it started; its moments go with it, so a chat across midnight is
counted once, on one day. Zones come from zoneinfo (the system's database, or the tzdata package
where there is none, as on Windows). The default is this machine's own zone, taken from the C
library for each moment, so daylight saving time is right without knowing the zone's name.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone, tzinfo
from pathlib import Path

LOCAL = "local"


class UnknownZone(ValueError):
    """A time zone name zoneinfo does not know; the message says what to write instead."""


def _zone(name: str) -> tzinfo:
    if name.upper() in ("UTC", "Z", "ETC/UTC"):
        return timezone.utc  # needs no database, so it works everywhere
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # unknown, malformed ("../x"), a folder ("Europe")
        raise UnknownZone(f"unknown time zone {name!r}: use a name like Europe/Berlin or "
                          f"America/New_York, or UTC") from None


def _local_name() -> str:
    """This machine's zone, named as well as we can (for the report's header, not for the arithmetic)."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:  # Linux and macOS: /etc/localtime links into the zone database
            target = str(Path("/etc/localtime").resolve())
            name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else ""
        except OSError:
            name = ""
    return name or "/".join(dict.fromkeys(time.tzname)) or "local time"


class Days:
    """Day of a moment in one zone. `name` None or "local": this machine's zone."""

    def __init__(self, name: str | None = None):
        if name is None or name.strip().lower() == LOCAL:
            self._zone = None
            self.name = f"{_local_name()} (this computer's zone)"
        else:
            name = name.strip()
            if not name:
                raise UnknownZone("empty time zone: use a name like Europe/Berlin, or UTC")
            self._zone = _zone(name)
            self.name = "UTC" if self._zone is timezone.utc else name

    def day(self, moment: datetime | None) -> str | None:
        """The calendar day (YYYY-MM-DD) of an aware moment; None for None."""
        if moment is None:
            return None
        if self._zone is not None:
            return moment.astimezone(self._zone).date().isoformat()
        try:
            return datetime.fromtimestamp(moment.timestamp()).date().isoformat()  # local, with its DST
        except (OverflowError, OSError, ValueError):  # before 1970 on Windows, or out of range
            return moment.astimezone(timezone.utc).date().isoformat()
