"""Bounded counting: the audit streams a million messages, so no table may grow with the input."""

from __future__ import annotations

import heapq
import random


class BoundedCounter:
    """Counts keys, keeping at most `capacity` of them.

    When full it forgets the least counted half (approximate heavy hitters): a sentence that appears
    in many conversations keeps climbing and stays; one-offs come and go. Counts of kept keys can be
    low by at most the largest count ever forgotten, reported as `error_bound`.
    """

    def __init__(self, capacity: int = 20000):
        self.capacity = capacity
        self.counts: dict[str, list] = {}  # key -> [count, *payload]
        self.error_bound = 0

    def add(self, key: str, payload: tuple = (), *, amount: int = 1) -> list:
        """Count `key`; `payload` seeds the entry's other fields the first time. Returns the entry."""
        entry = self.counts.get(key)
        if entry is None:
            if len(self.counts) >= self.capacity:
                self._prune()
            entry = self.counts[key] = [0, *payload]
        entry[0] += amount
        return entry

    def _prune(self) -> None:
        keep = heapq.nlargest(self.capacity // 2, self.counts.items(), key=lambda item: item[1][0])
        forgotten = min((entry[0] for _, entry in keep), default=0)
        self.error_bound = max(self.error_bound, forgotten)
        self.counts = dict(keep)

    def most_common(self, n: int | None = None, *, minimum: int = 1):
        items = [(k, v) for k, v in self.counts.items() if v[0] >= minimum]
        items.sort(key=lambda item: (-item[1][0], item[0]))
        return items if n is None else items[:n]


class TopN:
    """The n largest items by score, in bounded memory."""

    def __init__(self, n: int):
        self.n = n
        self._heap: list = []
        self._tie = 0

    def offer(self, score: float, item) -> None:
        self._tie += 1  # equal scores: the earlier item wins, and items never get compared
        entry = (score, -self._tie, item)
        if len(self._heap) < self.n:
            heapq.heappush(self._heap, entry)
        elif entry > self._heap[0]:
            heapq.heapreplace(self._heap, entry)

    def items(self) -> list:
        return [item for _, _, item in sorted(self._heap, reverse=True)]


class Reservoir:
    """A uniform sample of at most `size` values, for medians and percentiles of unbounded streams."""

    def __init__(self, size: int = 10000, seed: int = 7):
        self.size = size
        self.count = 0
        self.values: list[float] = []
        self._random = random.Random(seed)

    def add(self, value: float) -> None:
        self.count += 1
        if len(self.values) < self.size:
            self.values.append(value)
        else:
            slot = self._random.randrange(self.count)
            if slot < self.size:
                self.values[slot] = value

    def percentile(self, fraction: float) -> float | None:
        if not self.values:
            return None
        ordered = sorted(self.values)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]
