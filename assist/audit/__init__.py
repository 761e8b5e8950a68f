"""The empathy audit: read exported conversations, find the emotional moments and whether the agent
acknowledged them, and report across thousands of chats. Also the "my shift" statistics store.

Qt-free. `run_audit` is the whole pipeline; the modules are one step each: readers (files ->
conversations), turns + engine (conversations -> analyses, on every core), findings (one
conversation), aggregate (all of them, bounded memory) with by_agent (per-agent rows; agents says
who answered) and days (calendar days in the team's zone), writers/html_report (the report files)
with details (which moments keep their cue words, so report.json stays bounded).
"""

from .model import Conversation, Message, Problem
from .readers import read_conversations
from .runner import AuditResult, run_audit

__all__ = ["AuditResult", "Conversation", "Message", "Problem", "read_conversations", "run_audit"]
