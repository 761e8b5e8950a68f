"""The customer's message with the words that carried the emotion highlighted (the analyzer's cues).

Agents trust a label when they see why: each cue is tinted in its emotion's colour and the line
below names the strongest few with their kind ("third time: repeat contact").
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from . import theme

# Long messages are cut around the cues so the overlay stays small.
MAX_SHOWN_CHARS = 260
MAX_REASONS = 3


def _visible_window(text: str, cues) -> tuple[int, int]:
    """The part of `text` to show: the start, or a window that begins just before the first cue."""
    if len(text) <= MAX_SHOWN_CHARS:
        return 0, len(text)
    first = min((cue.start for cue in cues), default=0)
    start = 0 if first < MAX_SHOWN_CHARS * 0.6 else max(0, first - 60)
    # Start on a word boundary so the window does not begin mid-word.
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 else start
    return start, min(len(text), start + MAX_SHOWN_CHARS)


def highlighted_html(text: str, cues, palette: theme.Palette) -> str:
    """HTML of `text` (escaped) with every cue wrapped in a tinted span; overlapping cues merge."""
    start, end = _visible_window(text, cues)
    spans = sorted((max(c.start, start), min(c.end, end), c) for c in cues if c.end > start and c.start < end)
    out, pos = [], start
    for cue_start, cue_end, cue in spans:
        if cue_start < pos:  # overlaps the previous cue: already highlighted
            cue_start = pos
        if cue_start >= cue_end:
            continue
        out.append(html.escape(text[pos:cue_start]))
        tint = theme.highlight_color(cue.label, palette)
        rgba = f"rgba({tint.red()},{tint.green()},{tint.blue()},{tint.alpha()})"
        underline = theme.emotion_color(cue.label).name()
        out.append(
            f'<span style="background-color:{rgba}; font-weight:600; '
            f'text-decoration: underline; text-decoration-color:{underline};">'
            f"{html.escape(text[cue_start:cue_end])}</span>"
        )
        pos = cue_end
    out.append(html.escape(text[pos:end]))
    body = "".join(out).replace("\n", "<br>")
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return f"{prefix}{body}{suffix}"


def reasons_text(cues) -> str:
    """'“third time” repeat contact · “ASAP” deadline': the strongest few cues, each once."""
    seen, parts, taken = set(), [], []
    # Where cues overlap ("THIRD" in capitals inside "THIRD time", a repeat contact), the longer
    # one says more; each stretch of text is named once.
    for cue in sorted(cues, key=lambda c: (c.start, -(c.end - c.start))):
        key = cue.text.lower()
        if key in seen or any(cue.start < end and start < cue.end for start, end in taken):
            continue
        seen.add(key)
        taken.append((cue.start, cue.end))
        words = cue.text if len(cue.text) <= 24 else cue.text[:23] + "…"
        parts.append(f"“{words}” {theme.CUE_KIND_TITLES.get(cue.kind, cue.kind)}")
        if len(parts) == MAX_REASONS:
            break
    return " · ".join(parts)


class CueView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._palette = theme.LIGHT
        self._text = ""
        self._cues = ()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.message = QLabel(self)
        self.message.setObjectName("customer-text")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.RichText)
        self.message.setTextInteractionFlags(Qt.NoTextInteraction)
        self.message.setAccessibleName("Customer message with emotion cues highlighted")
        self.reasons = QLabel(self)
        self.reasons.setObjectName("cue-reasons")
        self.reasons.setProperty("muted", True)
        self.reasons.setWordWrap(True)
        self.reasons.setAccessibleName("Why: the words that carried the emotion")
        layout.addWidget(self.message)
        layout.addWidget(self.reasons)
        self.clear()

    def set_palette(self, palette: theme.Palette) -> None:
        self._palette = palette
        if self._text:
            self.set_message(self._text, self._cues, force=True)

    def clear(self) -> None:
        self._text, self._cues = "", ()
        self.message.setText(
            '<span style="opacity:0.7">Select the customer\'s message (Ctrl+Alt+A) or paste it below.</span>')
        self.message.setProperty("muted", True)
        self.reasons.hide()

    def set_message(self, text: str, cues, force: bool = False) -> None:
        if (text, tuple(cues)) == (self._text, self._cues) and not force:
            return
        self._text, self._cues = text, tuple(cues)
        self.message.setProperty("muted", False)
        self.message.setText(highlighted_html(text, self._cues, self._palette))
        reasons = reasons_text(self._cues)
        self.reasons.setText(f"<b>Why:</b> {html.escape(reasons)}" if reasons else "")
        self.reasons.setVisible(bool(reasons))
        self.message.setAccessibleDescription(reasons)
