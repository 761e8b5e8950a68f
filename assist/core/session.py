"""One conversation's state: what the customer said so far, the agent's draft, what was inserted.

Lives in memory only: chat content is never written to disk.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

HISTORY_LIMIT = 10


@dataclass
class Session:
    history: deque = field(default_factory=lambda: deque(maxlen=HISTORY_LIMIT))  # earlier customer messages
    customer: str = ""  # the latest customer message
    draft: str = ""  # what the agent is typing now
    used_phrase_ids: list = field(default_factory=list)  # inserted in this chat, oldest first
    # Values known for template placeholders ({customer_name}, {agent_name}, {order_id}, {product}, ...).
    placeholders: dict = field(default_factory=dict)

    def add_customer_message(self, text: str) -> None:
        if self.customer and self.customer != text:
            self.history.append(self.customer)
        self.customer = text

    def mark_used(self, phrase_id: str) -> None:
        self.used_phrase_ids.append(phrase_id)

    def reset(self) -> None:
        """A new chat: forget everything about the previous one."""
        self.history.clear()
        self.customer = ""
        self.draft = ""
        self.used_phrase_ids.clear()
        self.placeholders.clear()
