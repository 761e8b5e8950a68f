"""Who answered: agent ids as exports give them, and which agent an upset moment is charged to.

The rule, for fairness when a reply holds messages from two agents (a hand-over): a moment that was
acknowledged is credited to the agent whose message carried the acknowledgment; a moment that was
missed is charged to the agent who replied first, who had the customer's message in front of them.
Either way each moment counts for exactly one agent, so the per-agent rows add up to the totals.
"""

from __future__ import annotations

from .model import Conversation
from .turns import Turn, message_at

UNKNOWN = "(unknown)"  # agent messages without an id, in the input or the conversation
MAX_LENGTH = 100  # longer is not an id: most likely chat text in a shifted CSV column

# Keys that name the agent, the first one present wins: ids before names, so two agents called
# "Sam" stay apart when the export has both.
MESSAGE_KEYS = ("agent", "agent_id", "agent_name")
CONVERSATION_KEYS = ("agent", "agent_id", "agent_name", "assignee", "assignee_id")
OBJECT_KEYS = ("id", "name", "email")  # {"assignee": {"id": 7, "name": "Ana"}}


def agent_id(value) -> str | None:
    """An agent id from an export's value; None when empty; ValueError (without the value) when unusable."""
    if value is None:
        return None
    if isinstance(value, dict):
        value = next((value[k] for k in OBJECT_KEYS if value.get(k) not in (None, "")), None)
        if value is None or isinstance(value, dict):
            raise ValueError("agent object without an id, name or email")
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise ValueError(f"agent of type {type(value).__name__} is not an agent id")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("agent number is not an agent id")
        value = int(value)
    text = " ".join(str(value).split())  # one line: ids go into a table row
    if not text:
        return None
    if len(text) > MAX_LENGTH or text == UNKNOWN:
        raise ValueError(f"agent ({len(text)} characters, not shown) is not an agent id")
    return text


def first_agent(record: dict, keys: tuple[str, ...]) -> str | None:
    """The first usable agent id under `keys` of a JSON object; ValueError (the first key's) when
    some were given and none was usable: a bad "agent" must not hide a good "assignee"."""
    error = None
    for key in keys:
        if record.get(key) is None:
            continue
        try:
            found = agent_id(record[key])
        except ValueError as exc:
            error = error or exc
            continue
        if found is not None:
            return found
    if error is not None:
        raise error
    return None


def reply_agent(conversation: Conversation, turn: Turn, analysis) -> str | None:
    """The agent a turn's moment belongs to (see the module's rule); None when nobody replied or the
    reply has no id (a null on every moment of an export without ids is cheaper than "(unknown)")."""
    if not turn.reply:
        return None
    index = turn.reply[0]
    spans = analysis.acknowledgment.spans if analysis.acknowledged else ()
    if spans:
        index = message_at(turn.reply, conversation, min(span.start for span in spans))
    return conversation.agent_of(conversation.messages[index])


def conversation_agents(conversation: Conversation) -> list[str]:
    """Every agent who wrote in the conversation, in order of first message; UNKNOWN for messages without."""
    seen: dict[str, None] = {}
    for message in conversation.messages:
        if message.role == "agent":
            seen.setdefault(conversation.agent_of(message) or UNKNOWN)
    return list(seen)
