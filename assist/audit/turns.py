"""A conversation as the analyzer sees it: one item per customer turn.

A customer turn is the customer's messages since the agent last wrote; the agent's reply is every
agent message up to the customer's next one. "Did the agent acknowledge" is then
analyze(customer=turn, draft=reply, history=earlier customer messages).acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Conversation

# Enough context for the analyzer's escalation cues ("still", "third time") without making long
# chats quadratic to analyse (the analyzer itself uses the last five).
HISTORY_LIMIT = 5
JOIN = "\n"


@dataclass(frozen=True, slots=True)
class Turn:
    customer: tuple[int, ...]  # indices into conversation.messages
    reply: tuple[int, ...]  # the agent messages that answer it (empty: the customer got no reply)
    history: tuple[tuple[int, ...], ...]  # earlier customer turns given as context

    def item(self, conversation: Conversation) -> dict:
        messages = conversation.messages

        def joined(indices):
            return JOIN.join(messages[i].text for i in indices)

        # History entries are earlier turns joined exactly as their own "customer" was, so the
        # analyzer meets the same strings again and analyses each only once per batch.
        return {"customer": joined(self.customer), "draft": joined(self.reply),
                "history": tuple(joined(turn) for turn in self.history)}


def build_turns(conversation: Conversation, history_limit: int = HISTORY_LIMIT) -> list[Turn]:
    turns: list[Turn] = []
    earlier: list[tuple[int, ...]] = []
    customer: list[int] = []
    reply: list[int] = []
    for index, message in enumerate(conversation.messages):
        if message.role == "customer":
            if reply:  # the customer speaks again: the previous turn is complete
                turns.append(Turn(tuple(customer), tuple(reply), tuple(earlier[-history_limit:])))
                earlier.append(tuple(customer))
                customer, reply = [], []
            customer.append(index)
        elif customer:  # agent messages before the customer's first one (a greeting) answer nothing
            reply.append(index)
    if customer:
        turns.append(Turn(tuple(customer), tuple(reply), tuple(earlier[-history_limit:])))
    return turns


def message_at(indices: tuple[int, ...], conversation: Conversation, offset: int) -> int:
    """Which of the joined messages holds character `offset` of their joined text."""
    position = 0
    for index in indices:
        length = len(conversation.messages[index].text)
        if offset < position + length + len(JOIN):
            return index
        position += length + len(JOIN)
    return indices[-1]
