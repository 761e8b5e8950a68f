"""A conversation as the analyzer sees it: one item per customer turn.

A customer turn is the customer's messages since the agent last wrote; the agent's reply is every
agent message up to the customer's next one. "Did the agent acknowledge" is then
analyze(customer=turn, draft=reply, history=earlier customer messages).acknowledged.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Conversation

# Enough context for the analyzer's escalation cues ("still", "third time") without making long
# chats quadratic to analyse.
HISTORY_LIMIT = 6
JOIN = "\n"


@dataclass(frozen=True, slots=True)
class Turn:
    customer: tuple[int, ...]  # indices into conversation.messages
    reply: tuple[int, ...]  # the agent messages that answer it (empty: the customer got no reply)
    history: tuple[int, ...]  # earlier customer messages given as context

    def item(self, conversation: Conversation) -> dict:
        messages = conversation.messages
        return {
            "customer": JOIN.join(messages[i].text for i in self.customer),
            "draft": JOIN.join(messages[i].text for i in self.reply),
            "history": tuple(messages[i].text for i in self.history),
        }


def build_turns(conversation: Conversation, history_limit: int = HISTORY_LIMIT) -> list[Turn]:
    turns: list[Turn] = []
    earlier: list[int] = []
    customer: list[int] = []
    reply: list[int] = []
    for index, message in enumerate(conversation.messages):
        if message.role == "customer":
            if reply:  # the customer speaks again: the previous turn is complete
                turns.append(Turn(tuple(customer), tuple(reply), tuple(earlier[-history_limit:])))
                earlier.extend(customer)
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
