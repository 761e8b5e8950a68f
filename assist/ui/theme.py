"""Colours and the style sheet: light or dark, following the system unless the agent chose one.

One palette per mode; every widget takes its colours from here so that a theme change is one
`apply()` call. Emotion colours are chosen to stay readable on both backgrounds (white text on the
badge; a lighter tint for highlighted words).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication

# Badge colour per emotion (labels.EMOTIONS): warm for anger-like, cool for worry, green for good.
EMOTION_COLORS = {
    "anger": "#D93025",
    "frustration": "#E8710A",
    "disappointment": "#A35200",
    "confusion": "#7B52C7",
    "anxiety": "#C78A00",
    "sadness": "#1A6FD6",
    "urgency": "#C2185B",
    "positive": "#1E8E3E",
    "neutral": "#6B7280",
}

EMOTION_TITLES = {
    "anger": "Angry",
    "frustration": "Frustrated",
    "disappointment": "Disappointed",
    "confusion": "Confused",
    "anxiety": "Anxious",
    "sadness": "Sad",
    "urgency": "Urgent",
    "positive": "Positive",
    "neutral": "Neutral",
}

TOPIC_TITLES = {
    "bug_report": "bug report",
}

CUE_KIND_TITLES = {
    "lexicon": "emotion word",
    "repeat_contact": "repeat contact",
    "waiting": "waiting",
    "deadline": "deadline",
    "escalation": "escalation",
    "sarcasm": "sarcasm",
    "negation": "negation",
    "intensifier": "intensifier",
    "shouting": "capitals",
    "punctuation": "punctuation",
    "emoji": "emoji",
}


def emotion_color(emotion: str) -> QColor:
    return QColor(EMOTION_COLORS.get(emotion, EMOTION_COLORS["neutral"]))


def emotion_title(emotion: str) -> str:
    return EMOTION_TITLES.get(emotion, emotion.replace("_", " ").title())


def topic_title(topic: str) -> str:
    return TOPIC_TITLES.get(topic, topic.replace("_", " "))


@dataclass(frozen=True)
class Palette:
    dark: bool
    window: str
    surface: str  # cards, buttons
    surface_hover: str
    border: str
    text: str
    muted: str
    accent: str
    warning_bg: str
    warning_border: str
    warning_text: str
    ok_bg: str
    ok_text: str
    error: str


LIGHT = Palette(
    dark=False, window="#F7F8FA", surface="#FFFFFF", surface_hover="#EEF3FD", border="#D9DDE3",
    text="#1F2328", muted="#656D76", accent="#2F6FEB",
    warning_bg="#FFF4E5", warning_border="#F0A23B", warning_text="#7A3E00",
    ok_bg="#E8F5EC", ok_text="#1A6B32", error="#C62828",
)

DARK = Palette(
    dark=True, window="#1E2126", surface="#272B31", surface_hover="#2F3A4C", border="#3A3F47",
    text="#E6E8EB", muted="#9AA1AB", accent="#6EA3FF",
    warning_bg="#3A2A12", warning_border="#C7832A", warning_text="#FFD59A",
    ok_bg="#16321F", ok_text="#8FD6A4", error="#FF6B6B",
)


def system_is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    scheme = app.styleHints().colorScheme()
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    # Unknown (many X11 desktops): judge by the window colour of the platform palette.
    return app.palette().window().color().lightness() < 128


def palette_for(choice: str) -> Palette:
    """choice: "system", "light" or "dark" (the overlay.theme option)."""
    if choice == "dark":
        return DARK
    if choice == "light":
        return LIGHT
    return DARK if system_is_dark() else LIGHT


def highlight_color(emotion: str, palette: Palette) -> QColor:
    """A tint of the emotion colour behind highlighted words, readable under the text colour."""
    color = emotion_color(emotion)
    color.setAlpha(90 if palette.dark else 60)
    return color


def style_sheet(p: Palette) -> str:
    """The overlay's and its dialogs' style sheet. Object names select the special widgets."""
    return f"""
    #overlay, #collapsed-badge {{ background: {p.window}; border: 1px solid {p.border}; border-radius: 10px; }}
    #overlay QLabel, #collapsed-badge QLabel {{ color: {p.text}; background: transparent; }}
    #overlay QLabel[muted="true"] {{ color: {p.muted}; }}
    #overlay-title {{ font-weight: 600; }}
    #section-title {{ color: {p.muted}; font-size: 8pt; font-weight: 700; letter-spacing: 1px; }}
    #customer-text {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: 8px;
                      padding: 6px 8px; }}
    QToolButton#header-button {{ border: none; border-radius: 6px; padding: 2px; color: {p.muted};
                                 background: transparent; }}
    QToolButton#header-button:hover {{ background: {p.surface_hover}; color: {p.text}; }}
    QToolButton#header-button:focus {{ border: 1px solid {p.accent}; }}
    #ack-warning {{ background: {p.warning_bg}; border: 1px solid {p.warning_border}; border-radius: 8px; }}
    #ack-warning QLabel {{ color: {p.warning_text}; }}
    QLabel#topic-chip {{ background: {p.surface}; color: {p.muted}; border: 1px solid {p.border};
                         border-radius: 9px; padding: 1px 8px; }}
    #ack-hint {{ background: {p.surface}; border: 1px dashed {p.warning_border}; border-radius: 8px; }}
    #ack-hint QLabel {{ color: {p.text}; }}
    #ack-ok {{ background: {p.ok_bg}; border-radius: 8px; }}
    #ack-ok QLabel {{ color: {p.ok_text}; }}
    #status-line {{ color: {p.muted}; }}
    #status-line[error="true"] {{ color: {p.error}; }}
    QPushButton[suggestion="true"] {{
        text-align: left; padding: 7px 9px; border-radius: 8px; color: {p.text};
        background: {p.surface}; border: 1px solid {p.border};
    }}
    QPushButton[suggestion="true"]:hover {{ background: {p.surface_hover}; border-color: {p.accent}; }}
    QPushButton[suggestion="true"]:pressed {{ background: {p.accent}; color: white; }}
    QPushButton[suggestion="true"]:focus {{ border: 2px solid {p.accent}; }}
    QPushButton[suggestion="true"][favourite="true"] {{ border-left: 3px solid #E3A008; }}
    #overlay QLineEdit, #overlay QPlainTextEdit {{
        background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; border-radius: 8px;
        padding: 5px 8px; selection-background-color: {p.accent};
    }}
    #overlay QLineEdit:focus, #overlay QPlainTextEdit:focus {{ border: 1px solid {p.accent}; }}
    #overlay QPushButton[flat-action="true"] {{
        background: transparent; color: {p.accent}; border: none; padding: 3px 6px; border-radius: 6px;
    }}
    #overlay QPushButton[flat-action="true"]:hover {{ background: {p.surface_hover}; }}
    #overlay QPushButton[primary="true"] {{
        background: {p.accent}; color: white; border: none; padding: 5px 12px; border-radius: 6px;
    }}
    QListWidget#search-results {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border};
                                  border-radius: 8px; outline: none; }}
    QListWidget#search-results::item {{ padding: 5px 6px; border-radius: 5px; }}
    QListWidget#search-results::item:selected, QListWidget#search-results::item:hover {{
        background: {p.surface_hover}; color: {p.text}; }}
    QToolTip {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; padding: 6px; }}
    """
