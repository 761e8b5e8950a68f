"""The vocabularies every part of assist agrees on: emotions, topics, levels, trends, cue kinds."""

EMOTIONS = (
    "anger",
    "frustration",
    "disappointment",
    "confusion",
    "anxiety",
    "sadness",
    "urgency",
    "positive",
    "neutral",
)
# Emotions that a reply should acknowledge before it does anything else.
NEGATIVE_EMOTIONS = frozenset(EMOTIONS) - {"positive", "neutral"}

TOPICS = (
    "delivery",
    "billing",
    "refund",
    "account",
    "technical",
    "bug_report",
    "cancellation",
    "product",
    "other",
)

LEVELS = ("low", "medium", "high")
TRENDS = ("rising", "steady", "falling")

# The seven groups the GoEmotions comparison uses (see shared/data/README.md); the shipped
# classifier predicts these, the rule components refine them into EMOTIONS.
MODEL_GROUPS = (
    "anger_frustration",
    "disappointment",
    "confusion",
    "anxiety",
    "sadness",
    "positive",
    "neutral",
)

# Why a span counts as a cue: the UI shows the kind next to the highlighted words.
CUE_KINDS = (
    "lexicon",          # an emotion word or phrase ("furious", "confused")
    "repeat_contact",   # "third time", "still", "again"
    "waiting",          # "two weeks", "no reply"
    "deadline",         # "today", "asap", "before Friday"
    "escalation",       # "cancel", "refund or", "manager", "review", "lawyer"
    "sarcasm",          # "great, another delay"
    "negation",         # "not happy", "not angry, just confused"
    "intensifier",      # "really", "extremely"
    "shouting",         # WORDS IN CAPITALS
    "punctuation",      # "!!!", "???"
    "emoji",            # 😡 🙏
)

# Which acknowledgment a draft offers: the span kinds of Acknowledgment.spans.
ACK_KINDS = ("empathy", "apology", "patience", "thanks", "ownership", "reassurance")

PHRASE_INTENTS = (
    "acknowledge",
    "apologize",
    "appreciate_patience",
    "thank_reporting",
    "take_ownership",
    "reassure_next_step",
    "check_back",
)
