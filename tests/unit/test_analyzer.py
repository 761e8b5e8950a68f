"""The Analyzer on the real shipped pipeline: labels, intensity, acknowledgment, history, bad input."""

import threading

import pytest
from hypothesis import given, settings, strategies as st

from assist import Analyzer
from assist.core.analyzer import MAX_CHARS
from assist.core.labels import EMOTIONS, LEVELS, TOPICS, TRENDS


@pytest.fixture(scope="module")
def analyzer():
    return Analyzer().load()


def check_contract(analysis, text):
    assert set(analysis.scores) == set(EMOTIONS)
    assert abs(sum(analysis.scores.values()) - 1) < 1e-3
    assert analysis.emotion == max(analysis.scores, key=analysis.scores.get)
    assert 0 <= analysis.intensity <= 1 and analysis.level in LEVELS
    assert analysis.trend in TRENDS and set(analysis.topics) <= set(TOPICS) and analysis.topics
    for cue in analysis.cues:
        assert text[cue.start:cue.end] == cue.text


def test_loading_is_lazy_and_explicit():
    analyzer = Analyzer()
    assert not analyzer.ready and analyzer.warnings == []  # asking does not load
    assert not analyzer.ready
    analyzer.load()
    assert analyzer.ready and analyzer.has_model and analyzer.warnings == []


def test_concurrent_first_use_builds_one_pipeline(monkeypatch):
    from assist.core import pipeline

    builds = []
    real_build = pipeline.build

    def counting_build(*args, **kwargs):
        builds.append(threading.current_thread().name)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build", counting_build)
    analyzer = Analyzer()
    results, errors = [], []

    def work():
        try:
            results.append(analyzer.analyze("I'm furious, this is the third time!"))
        except Exception as exc:  # pragma: no cover - the assertion below reports it
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(results) == 4
    assert len({r.to_dict()["emotion"] for r in results}) == 1
    assert len(builds) == 1


def test_missing_model_degrades_to_rules_with_a_warning(tmp_path):
    analyzer = Analyzer(model_dir=tmp_path / "nothing-here")
    analysis = analyzer.analyze("Third time asking and still no refund!!!")
    assert not analyzer.has_model
    assert analyzer.warnings and "rules only" in analyzer.warnings[0]
    assert analysis.emotion == "frustration" and analysis.needs_acknowledgment


@pytest.mark.parametrize("text, emotion", [
    ("This is a scam, I want my money back or I'm calling my lawyer.", "anger"),
    ("Third time I'm asking, still no reply after two weeks.", "frustration"),
    ("I'm disappointed, the jacket looks nothing like the photos.", "disappointment"),
    ("I'm not angry, just confused about this invoice.", "confusion"),
    ("Someone logged into my account and I'm worried.", "anxiety"),
    ("The parcel had my late mum's letters. I'm heartbroken.", "sadness"),
    ("I need this before Friday, it's urgent.", "urgency"),
    ("Thank you so much, it works perfectly now!", "positive"),
    ("How do I change my delivery address?", "neutral"),
    ("Great, another delay.", "frustration"),
])
def test_primary_emotion(analyzer, text, emotion):
    analysis = analyzer.analyze(text)
    check_contract(analysis, text)
    assert analysis.emotion == emotion
    assert analysis.needs_acknowledgment == (emotion not in ("positive", "neutral"))


def test_intensity_grows_with_shouting_and_repetition(analyzer):
    calm = analyzer.analyze("I'm a bit annoyed that my parcel is late.")
    loud = analyzer.analyze("I'M SO ANNOYED, MY PARCEL IS LATE AGAIN!!!")
    assert loud.intensity > calm.intensity
    assert loud.level == "high" and calm.level in ("low", "medium")


def test_history_raises_intensity_and_reports_the_trend(analyzer):
    text = "Still no refund. This is ridiculous."
    alone = analyzer.analyze(text)
    after = analyzer.analyze(text, history=["Where is my refund?", "I asked yesterday and nobody replied, annoying."])
    assert after.intensity > alone.intensity
    assert alone.trend == "steady"
    assert after.trend == "rising"
    calmer = analyzer.analyze("Ok, thanks, that helps.", history=["This is ridiculous, I'm furious!!!"])
    assert calmer.trend == "falling"


def test_topic_follows_the_conversation_when_the_message_names_none(analyzer):
    assert analyzer.analyze("Still nothing.", history=["Where is my parcel?"]).topics == ("delivery",)


def test_acknowledgment_of_the_draft(analyzer):
    customer = "I've been waiting two weeks for my parcel and nobody replies."
    none = analyzer.analyze(customer)
    assert none.acknowledged is None
    info = analyzer.analyze(customer, draft="Your parcel is with the courier.")
    assert info.acknowledged is False and info.acknowledgment.spans == ()
    good = analyzer.analyze(customer, draft="I'm sorry for the wait, thanks for your patience.")
    assert good.acknowledged and good.acknowledgment.apology and good.acknowledgment.matches_customer
    assert "frustration" in good.acknowledgment.covers
    for span in good.acknowledgment.spans:
        assert "I'm sorry for the wait, thanks for your patience."[span.start:span.end] == span.text


def test_thanks_for_your_patience_does_not_answer_anger_or_grief(analyzer):
    angry = analyzer.analyze("You liars stole my money, this is a scam.", draft="Thanks for your patience.")
    assert angry.emotion == "anger" and not angry.acknowledgment.matches_customer
    sad = analyzer.analyze("The gift for my dad arrived after his funeral. I'm heartbroken.",
                           draft="Thank you for your patience.")
    assert sad.acknowledged is False


def test_waiting_on_us_is_support_chat_without_a_topic_but_a_bare_duration_is_not(analyzer):
    # No order, bill or account named: "on hold ... again" still reads as support chat, so its cues count.
    held = analyzer.analyze("been on hold 47 mins then got cut off. again.")
    assert held.emotion == "frustration" and held.needs_acknowledgment
    story = analyzer.analyze("I painted this 10 years ago and today I finally framed it!")
    assert story.emotion == "positive" and not story.needs_acknowledgment


def test_an_apology_acknowledges_at_all_even_when_it_names_another_feeling(analyzer):
    angry = analyzer.analyze("You liars stole my money, this is a scam.",
                             draft="We apologise for any inconvenience caused.")
    assert angry.emotion == "anger" and angry.acknowledged is True and angry.acknowledgment.apology
    assert not angry.acknowledgment.matches_customer  # "inconvenience" is not what an angry customer feels
    refused = analyzer.analyze("You liars stole my money, this is a scam.", draft="I'm sorry you feel that way.")
    assert refused.acknowledged is False  # a non-apology is still none


def test_generic_empathy_covers_the_customers_feeling(analyzer):
    analysis = analyzer.analyze("I'm so worried my card was stolen.", draft="I hear you, let's look at it together.")
    assert analysis.acknowledged and analysis.acknowledgment.matches_customer
    assert "anxiety" in analysis.acknowledgment.covers


def test_changed_draft_reuses_the_customer_side(analyzer):
    customer = "I'm furious, my order is late again!"
    first = analyzer.analyze(customer, draft="I")
    second = analyzer.analyze(customer, draft="I'm so sorry")
    assert first.scores is second.scores  # the cached customer analysis, not a recomputation
    assert second.acknowledgment.apology and not first.acknowledgment.apology


def test_analyze_many_matches_analyze_and_keeps_order(analyzer):
    items = [
        {"customer": "Third time asking!!!", "draft": "Sorry for the delay."},
        {"draft": "Hello"},
        {"customer": "Thanks, all good now 😊"},
        {"customer": "Still nothing.", "history": ["Where is my parcel?"]},
        {"customer": ""},
    ]
    batch = list(analyzer.analyze_many(items, batch_size=2))
    single = [analyzer.analyze(i.get("customer", ""), i.get("draft", ""), i.get("history", ())) for i in items]
    assert [a.to_dict() for a in batch] == [a.to_dict() for a in single]


@pytest.mark.parametrize("text", ["", "   \n\t ", "\x00\x01\x02 hello \x7f", "😡😡😡", "🙏", "?!?!?!"])
def test_odd_input_never_crashes(analyzer, text):
    analysis = analyzer.analyze(text, draft=text)
    check_contract(analysis, text)


def test_empty_text_is_neutral_with_no_confidence(analyzer):
    analysis = analyzer.analyze("   ")
    assert analysis.emotion == "neutral" and analysis.confidence == 0 and not analysis.needs_acknowledgment


def test_emoji_only_message_reads_the_emoji(analyzer):
    analysis = analyzer.analyze("😡😡😡")
    assert analysis.emotion == "anger" and analysis.lang == "unknown" and analysis.confidence <= 0.6


def test_control_characters_keep_offsets_true(analyzer):
    text = "third\x00time about my refund and I'm \x07furious"
    analysis = analyzer.analyze(text)
    # "third time" (frustration) and "furious" (anger) pull both ways: either is a fair primary label.
    assert analysis.emotion in ("anger", "frustration") and "refund" in analysis.topics
    assert {c.kind for c in analysis.cues} >= {"repeat_contact", "lexicon"}
    for cue in analysis.cues:
        assert text[cue.start:cue.end] == cue.text


def test_megabyte_is_truncated_not_hung(analyzer):
    text = ("I am really angry about this order. " * 30000)[:1_000_000]
    analysis = analyzer.analyze(text)
    assert analysis.truncated
    assert all(cue.end <= MAX_CHARS for cue in analysis.cues)
    assert not analyzer.analyze("short").truncated


@pytest.mark.parametrize("text, lang", [
    ("Meine Bestellung ist immer noch nicht angekommen, das ist eine Frechheit!", "de"),
    ("Je suis très en colère, ma commande n'est toujours pas arrivée.", "fr"),
    ("Estoy muy enfadado, mi pedido no ha llegado todavía.", "es"),
])
def test_other_languages_say_so_with_low_confidence(analyzer, text, lang):
    analysis = analyzer.analyze(text)
    assert analysis.lang == lang
    assert analysis.confidence <= 0.2
    assert analysis.emotion == "neutral" and not analysis.needs_acknowledgment


@settings(max_examples=80, deadline=None)
@given(customer=st.text(max_size=200), draft=st.text(max_size=120))
def test_any_text_gives_a_valid_analysis(customer, draft):
    analysis = _ANALYZER.analyze(customer, draft)
    check_contract(analysis, customer)
    for span in analysis.acknowledgment.spans:
        assert draft[span.start:span.end] == span.text
    if not draft.strip():
        assert analysis.acknowledged is None


_ANALYZER = Analyzer()


def test_outside_support_context_the_classifier_leads(analyzer):
    """No support topic: "two weeks" is not a wait and a single word does not outvote the model
    (scoring.GENERAL); the same words about an order are read as support chat."""
    for text in ("I've watched it three times already, best show ever.",
                 "You need to see this today, it's hilarious",
                 "We waited two hours in line and it was worth every minute."):
        chat = analyzer.analyze(text)
        assert chat.topics == ("other",) and chat.cues  # the cues are still shown as the why...
        assert chat.emotion in ("positive", "neutral") and not chat.needs_acknowledgment, text  # ...not the label
    support = analyzer.analyze("My order has been stuck for two weeks.")
    assert support.topics != ("other",)
    assert support.emotion == "frustration" and support.needs_acknowledgment


def test_span_and_suggestion_dicts_name_every_field_in_order():
    # to_dict is spelled out for speed; this keeps it in step with the fields when one is added.
    from dataclasses import asdict

    from assist.core.types import AckSpan, Cue, Suggestion

    for value in (Cue(0, 4, "late", "frustration", "waiting"), AckSpan(0, 5, "Sorry", "apology", "apology"),
                  Suggestion("ack.1", "I'm sorry.", "apologize", "customer is upset")):
        assert list(value.to_dict().items()) == list(asdict(value).items())


def test_deadline_cues_claim_their_part_of_the_models_anger_frustration_group():
    from assist.core.scoring import base_from_model

    cats = {"anger_frustration": 0.6, "neutral": 0.4}
    plain = base_from_model(cats, 0.0, 0.0)
    assert plain["urgency"] == 0.0 and plain["anger"] + plain["frustration"] == pytest.approx(0.6)
    urgent = base_from_model(cats, 0.0, 0.0, urgency_evidence=2.0)
    assert urgent["urgency"] == pytest.approx(0.4)
    assert urgent["anger"] + urgent["frustration"] + urgent["urgency"] == pytest.approx(0.6)
