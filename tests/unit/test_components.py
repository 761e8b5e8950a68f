"""The rule components on real spaCy pipelines: cues, negation, sarcasm, topics, language, acknowledgment."""

import pytest
import spacy
from hypothesis import given, settings, strategies as st

from assist.core import acknowledgment, components, language, topics  # noqa: F401  (factories)
from assist.core.labels import CUE_KINDS, EMOTIONS, TOPICS
from assist.core.pipeline import build


@pytest.fixture(scope="module")
def rules():
    """Rules only (no classifier): what the components decide on their own."""
    return build(use_model=False).nlp


@pytest.fixture(scope="module")
def cue_nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_cues").load()
    return nlp


def cues(nlp, text):
    return {(c.text, c.kind, c.label) for c in nlp(text)._.assist_cues}


def kinds(nlp, text):
    return {c.kind for c in nlp(text)._.assist_cues}


def test_component_refuses_to_run_before_its_data_is_loaded():
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_cues")
    with pytest.raises(RuntimeError, match="load"):
        nlp("hello")


def test_repeat_contact_waiting_deadline_and_escalation(cue_nlp):
    found = cues(cue_nlp, "Third time asking. I've been waiting for two weeks and need it before Friday or I'll call my lawyer.")
    assert ("Third time", "repeat_contact", "frustration") in found
    assert ("two weeks", "waiting", "frustration") in found
    assert ("before Friday", "deadline", "urgency") in found
    assert ("lawyer", "escalation", "anger") in found


def test_bare_again_is_a_complaint_but_a_polite_request_is_not(cue_nlp):
    assert "repeat_contact" in kinds(cue_nlp, "It crashed again.")
    assert "repeat_contact" not in kinds(cue_nlp, "Could you send the link again?")


def test_today_is_a_deadline_only_when_something_is_needed(cue_nlp):
    assert "deadline" in kinds(cue_nlp, "I need it today.")
    assert "deadline" not in kinds(cue_nlp, "I ordered it today.")


def test_cancel_is_escalation_only_as_a_threat(cue_nlp):
    assert "escalation" in kinds(cue_nlp, "Fix it or I'll cancel my account.")
    assert "escalation" not in kinds(cue_nlp, "How do I cancel my subscription?")


def test_negated_positive_becomes_a_negative_cue(cue_nlp):
    found = cues(cue_nlp, "I'm not happy with the service.")
    assert ("not happy", "negation", "disappointment") in found
    assert not any(label == "positive" for _, _, label in found)


def test_negated_negative_is_shown_but_carries_no_emotion(cue_nlp):
    found = cues(cue_nlp, "I'm not angry, just confused.")
    assert ("not angry", "negation", "neutral") in found
    assert ("confused", "lexicon", "confusion") in found
    assert not any(label == "anger" for _, _, label in found)


def test_negation_does_not_cross_a_clause_or_an_intensified_comparison(cue_nlp):
    assert ("happier", "lexicon", "positive") in cues(cue_nlp, "I couldn't be happier.")
    assert ("angry", "lexicon", "anger") in cues(cue_nlp, "I've never been so angry.")
    assert ("furious", "lexicon", "anger") in cues(cue_nlp, "No. I am furious.")


def test_a_clock_running_down_is_a_deadline(cue_nlp):
    assert ("in 40 min", "deadline", "urgency") in cues(cue_nlp, "we have a client demo in 40 min!!")
    assert ("in an hour", "deadline", "urgency") in cues(cue_nlp, "The office closes in an hour.")
    assert "deadline" not in kinds(cue_nlp, "I read it in 40 pages.")


def test_a_negated_verb_before_the_feeling_keeps_it(cue_nlp):
    # "can't stop crying" says the customer is crying: the negation is about stopping.
    found = cues(cue_nlp, "They were the only copies. I can't stop crying.")
    assert ("crying", "lexicon", "sadness") in found
    assert not any(kind == "negation" for _, kind, _ in found)
    assert ("frustrated", "lexicon", "frustration") in cues(cue_nlp, "I can't help feeling frustrated.")


def test_phrase_with_its_own_negation_is_not_negated_again(cue_nlp):
    assert ("don't understand", "lexicon", "confusion") in cues(cue_nlp, "I don't understand this bill")


def test_sarcasm_needs_a_contradicting_context(cue_nlp):
    assert "sarcasm" in kinds(cue_nlp, "Great, another delay.")
    assert "sarcasm" in kinds(cue_nlp, "Thanks for nothing.")
    assert "sarcasm" not in kinds(cue_nlp, "Great, thanks! It works now.")
    sarcastic = cues(cue_nlp, "Oh great, the parcel is lost again.")
    assert not any(label == "positive" for _, _, label in sarcastic)


def test_intensifier_takes_the_label_of_what_it_intensifies(cue_nlp):
    assert ("extremely", "intensifier", "frustration") in cues(cue_nlp, "I'm extremely frustrated.")
    assert "intensifier" not in kinds(cue_nlp, "I'm extremely tall.")


def test_shouting_ignores_acronyms_and_punctuation_runs(cue_nlp):
    assert "shouting" in kinds(cue_nlp, "WHERE IS MY ORDER")
    assert "shouting" not in kinds(cue_nlp, "Is my PIN sent by SMS via UPS?")
    assert ("!!!", "punctuation", "positive") in cues(cue_nlp, "Thank you so much!!!")
    assert "punctuation" not in kinds(cue_nlp, "Where is it?")


def test_emoji_and_emoticons(cue_nlp):
    assert ("😡", "emoji", "anger") in cues(cue_nlp, "late again 😡")
    assert (":(", "emoji", "sadness") in cues(cue_nlp, "it broke :(")
    assert "emoji" not in kinds(cue_nlp, "see https://example.com/a:(b")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
       | st.lists(st.sampled_from(["not", "happy", "again", "STILL", "!!!", "😡", "two", "weeks", "need", "today",
                                   "great", ",", "another", "delay", "really", "angry", "\x00", "\n", "I'll", "cancel"]),
                  max_size=40).map(" ".join))
def test_cue_offsets_always_point_at_the_cue_text(text):
    nlp = _shared_rules()
    doc = nlp(text)
    for cue in doc._.assist_cues:
        assert 0 <= cue.start < cue.end <= len(text)
        assert text[cue.start:cue.end] == cue.text
        assert cue.kind in CUE_KINDS and cue.label in EMOTIONS
    scores = doc._.assist_scores
    assert set(scores) == set(EMOTIONS)
    assert abs(sum(scores.values()) - 1) < 1e-3
    assert 0.0 <= doc._.assist_intensity <= 1.0
    assert doc._.assist_topics and set(doc._.assist_topics) <= set(TOPICS)


_RULES = []


def _shared_rules():
    if not _RULES:
        _RULES.append(build(use_model=False).nlp)
    return _RULES[0]


@pytest.mark.parametrize("text, expected", [
    ("My parcel hasn't arrived and the tracking is stuck", {"delivery"}),
    ("I was charged twice on my credit card", {"billing"}),
    ("I returned the item, where is my refund?", {"refund"}),
    ("I can't log in, the password reset link never comes", {"account"}),
    ("How do I connect the printer to wifi?", {"technical"}),
    ("The app crashes with an error when I open settings", {"technical", "bug_report"}),
    ("Please cancel my subscription", {"cancellation"}),
    ("Does this jacket come in a medium size?", {"product"}),
    ("What are your opening hours?", {"other"}),
])
def test_topics(rules, text, expected):
    assert set(rules(text)._.assist_topics) == expected


def test_several_topics_may_hold(rules):
    found = set(rules("I cancelled but you charged my card again, I want a refund")._.assist_topics)
    assert {"cancellation", "billing", "refund"} <= found


@pytest.mark.parametrize("text, lang", [
    ("Where is my parcel? It has been two weeks.", "en"),
    ("Refund please!!!", "en"),
    ("Meine Bestellung ist immer noch nicht angekommen, bitte helfen Sie mir.", "de"),
    ("Bonjour, je n'ai toujours pas reçu ma commande.", "fr"),
    ("Hola, mi pedido no ha llegado todavía y estoy muy molesto.", "es"),
    ("Мой заказ до сих пор не пришёл.", "ru"),
    ("注文した商品がまだ届いていません。", "ja"),
    ("😡😡", "unknown"),
])
def test_language_guess(text, lang):
    assert language.detect(text)[0] == lang


@pytest.fixture(scope="module")
def ack():
    nlp = spacy.blank("en")
    finder = nlp.add_pipe("assist_acknowledgment").load()
    return lambda text: finder.find(nlp.make_doc(text))


def test_patience_covers_frustration_not_anger(ack):
    (match,) = ack("Thanks for your patience while I check.")
    assert match.kind == "patience" and match.covers == ("frustration",)


def test_apology_covers_what_it_apologises_for(ack):
    (match,) = ack("I'm so sorry for the confusion.")
    assert match.kind == "apology" and match.covers == ("confusion",)
    assert ack("I'm really sorry about this.")[0].covers == acknowledgment.APOLOGY_DEFAULT


def test_empathy_with_a_feeling_word_covers_that_feeling(ack):
    (match,) = ack("That sounds really stressful.")
    assert match.kind == "empathy" and match.covers == ("anxiety",)
    assert ack("I hear you.")[0].covers is None  # follows the customer


@pytest.mark.parametrize("draft", [
    "I can't say I understand why you want this.",
    "I'm not sorry, the price was clearly stated.",
    "I'm sorry you feel that way.",
    "Sorry, could you send me your order number?",
    "I understand you want a refund. Please fill in the form.",
    "Your order will arrive on Friday.",
    "What is your order number?",
])
def test_no_acknowledgment(ack, draft):
    assert [m for m in ack(draft) if m.kind != "thanks"] == []


def test_thanks_for_reaching_out_is_politeness_not_acknowledgment(ack):
    (match,) = ack("Thanks for reaching out!")
    assert match.kind == "thanks" and match.covers == ()


def test_scoring_splits_the_models_anger_frustration_by_the_cues():
    from assist.core import scoring
    from assist.core.types import Cue

    cats = {"anger_frustration": 0.8, "neutral": 0.2}
    plain = scoring.combine(cats, [])
    assert plain.scores["frustration"] > plain.scores["anger"]  # support chat leans to frustration
    threat = scoring.combine(cats, [(Cue(0, 6, "lawyer", "anger", "escalation"), 1.0)])
    assert threat.primary == "anger"
    assert plain.scores["urgency"] == 0.0
    deadline = scoring.combine(cats, [(Cue(0, 4, "asap", "urgency", "deadline"), 1.0),
                                      (Cue(5, 10, "today", "urgency", "deadline"), 0.8)])
    assert deadline.primary == "urgency"
    for result in (plain, threat, deadline):
        assert abs(sum(result.scores.values()) - 1) < 1e-3


def test_scoring_without_text_or_in_another_language():
    from assist.core import scoring

    empty = scoring.combine(None, [], has_text=False)
    assert empty.primary == "neutral" and empty.confidence == 0.0
    foreign = scoring.combine({"anger_frustration": 0.9, "neutral": 0.1}, [], lang="de", lang_confidence=0.8)
    assert foreign.primary == "neutral" and foreign.confidence <= scoring.FOREIGN_CONFIDENCE


def test_scoring_outside_support_context_lets_the_model_lead():
    from assist.core import scoring
    from assist.core.types import Cue

    cats = {"positive": 0.7, "neutral": 0.2, "anger_frustration": 0.1}
    wait = [(Cue(0, 9, "two weeks", "frustration", "waiting"), 0.8)]
    support = scoring.combine(cats, wait, model_weight=1.5)
    general = scoring.combine(cats, wait, model_weight=1.5, support_context=False)
    assert support.primary == "frustration" and support.needs_acknowledgment
    assert general.primary == "positive" and not general.needs_acknowledgment
    # A strong word still tips a close call, and the rules-only fallback never drops its cues.
    close = {"neutral": 0.45, "anger_frustration": 0.4, "positive": 0.15}
    strong = [(Cue(0, 7, "furious", "anger", "lexicon"), 1.0)]
    assert scoring.combine(close, strong, support_context=False).primary == "anger"
    assert scoring.combine(None, wait, support_context=False).primary == "frustration"
