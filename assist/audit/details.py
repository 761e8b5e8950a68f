"""Which moments keep their details in report.json, so the report's size stays bounded.

Cue lists on every moment made most of a big report (about 290 MB for a million messages). A team
lead opens the missed moments, worst first; nobody reads the cues of the ten-thousandth one. So the
DETAILED_MISSED strongest missed moments keep their cues and what the reply did acknowledge; every
other moment keeps only its compact fields (emotion, intensity, who answered, acknowledged or not,
time to acknowledge...). Memory: DETAILED_MISSED keys, whatever the input's size.
"""

from __future__ import annotations

from .counting import TopN

DETAILED_MISSED = 1000
DETAIL_KEYS = ("cues", "acknowledgment")


class DetailBudget:
    def __init__(self, limit: int = DETAILED_MISSED):
        self.limit = limit
        self._worst = TopN(limit)
        self.offered = 0

    def offer(self, position: int, findings: dict) -> None:
        """Offer a conversation's missed moments; `position` is its place in the report (0-based)."""
        for moment in findings["moments"]:
            if "cues" in moment:  # findings.py gives details to missed moments only
                self.offered += 1
                self._worst.offer(moment["intensity"], (position, moment["message"]))

    def kept(self) -> set[tuple[int, int]]:
        """(position, message) of the moments that keep their details; ask once, after the last offer."""
        return set(self._worst.items())

    def describe(self, kept: int) -> dict:
        return {"missed_moments_with_details": kept, "missed_moments": self.offered, "limit": self.limit,
                "rule": "cues and acknowledgment kept for the strongest missed moments only"}


def compact(findings: dict, position: int, kept: set[tuple[int, int]]) -> dict:
    """The conversation's findings with details dropped from moments that did not make the cut."""
    for moment in findings["moments"]:
        if "cues" in moment and (position, moment["message"]) not in kept:
            for key in DETAIL_KEYS:
                moment.pop(key, None)
    return findings
