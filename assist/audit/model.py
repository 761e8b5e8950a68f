"""What the audit reads: conversations of customer and agent messages, and the problems met on the way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ROLES = ("customer", "agent")


@dataclass(frozen=True, slots=True)
class Message:
    role: str  # "customer" or "agent"
    text: str
    time: datetime | None = None  # always timezone-aware (naive input is taken as UTC)
    agent: str | None = None  # who wrote an agent message, when the export says (never set on customer messages)


@dataclass(frozen=True, slots=True)
class Conversation:
    id: str
    messages: tuple[Message, ...]
    source: str = ""  # "file:line" where it starts, to find it again
    notes: tuple[str, ...] = field(default=())  # reader remarks about this conversation (no chat text)
    agent: str | None = None  # the conversation's assignee: stands in for agent messages without their own

    def agent_of(self, message: Message) -> str | None:
        """Who wrote an agent message: its own id, else the conversation's."""
        return message.agent or self.agent

    @property
    def customer_count(self) -> int:
        return sum(1 for m in self.messages if m.role == "customer")

    @property
    def agent_count(self) -> int:
        return sum(1 for m in self.messages if m.role == "agent")


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in the input that was skipped or guessed: where, and what (never the chat text)."""

    file: str
    line: int  # 1-based; 0 for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"

    def to_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "message": self.message}
