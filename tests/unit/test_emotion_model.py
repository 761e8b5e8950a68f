"""The shipped emotion model, loaded into a real blank spaCy pipeline."""

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest
import spacy

from assist.core import emotion_model
from assist.core.emotion_model import EmotionModel, FeatureSettings, Featurizer, predict_proba
from assist.core.labels import MODEL_GROUPS
from assist.resources import model_dir


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_emotion_model").load()
    return nlp


@pytest.mark.parametrize(
    "text, group",
    [
        ("I am so angry, this is unacceptable", "anger_frustration"),
        ("thank you so much, you're amazing", "positive"),
        ("I don't understand how this works", "confusion"),
        ("I'm really scared and nervous about what will happen", "anxiety"),
        ("My grandmother passed away and I miss her so much", "sadness"),
    ],
)
def test_clear_examples_land_in_their_group(nlp, text, group):
    cats = nlp(text).cats
    assert max(cats, key=cats.get) == group, cats


@pytest.mark.parametrize(
    "text",
    ["", "   \n\t", "😡😡😡", "🙏", "\x00\x07 control \x1b[31m", "Das ist wirklich nicht gut!", "?!?!?!", "WHY"],
)
def test_every_text_gets_seven_probabilities_summing_to_one(nlp, text):
    cats = nlp(text).cats
    assert list(cats) == list(MODEL_GROUPS)
    assert all(0.0 <= p <= 1.0 for p in cats.values())
    assert sum(cats.values()) == pytest.approx(1.0, abs=1e-6)


def test_huge_text_is_read_only_up_to_the_limit(nlp):
    component = nlp.get_pipe("assist_emotion_model")
    limit = component.model.settings.max_chars
    head = "I am so angry about this order. " * (limit // 30 + 1)
    # 1 MB, spaCy's own ceiling for one text: the analyzer truncates anything longer before the pipeline.
    huge = (head + "thank you, you are wonderful! " * (1_000_000 // 30))[:1_000_000]
    assert component.model.cats_one(huge) == component.model.cats_one(huge[:limit])
    cats = nlp(huge).cats
    assert max(cats, key=cats.get) == "anger_frustration"
    assert sum(cats.values()) == pytest.approx(1.0)


def test_pipe_gives_the_same_results_as_single_calls(nlp):
    texts = ["I am so angry", "", "thanks!!", "what does this mean?", "😡", "ok", "I'm worried"] * 5
    component = nlp.get_pipe("assist_emotion_model")
    piped = [d.cats for d in component.pipe((nlp.make_doc(t) for t in texts), batch_size=4)]
    single = [nlp(t).cats for t in texts]
    for a, b in zip(piped, single):
        assert a.keys() == b.keys()
        # The batch path sums float32 features in another order: equal to about 1e-7.
        assert np.allclose(list(a.values()), list(b.values()), atol=1e-6)
    assert [d.cats for d in nlp.pipe(texts)] == piped


def test_batch_logits_equal_one_text_at_a_time():
    model = EmotionModel.load()
    texts = ["I am SO ANGRY!!!", "", " ", "not happy at all", "Ünïcödé TEXT 😡", "ok", "x" * 6000,
             "what does error 0x8004 mean? I have asked three times already"] * 3
    one = np.vstack([model.logits_one(t) for t in texts])
    many = model.logits_many(texts)
    assert many.shape == one.shape
    assert np.abs(one - many).max() < 1e-4
    assert (one.argmax(1) == many.argmax(1)).all()
    assert model.logits_many([]).shape == (0, len(MODEL_GROUPS))


def test_plain_function_agrees_with_the_component(nlp):
    texts = ["I don't understand how this works", "great job"]
    probs = predict_proba(texts)
    assert probs.shape == (2, len(MODEL_GROUPS))
    for text, row in zip(texts, probs):
        assert np.allclose(row, list(nlp(text).cats.values()))


def test_missing_model_is_a_clear_file_not_found(tmp_path):
    component = spacy.blank("en").add_pipe("assist_emotion_model")
    with pytest.raises(FileNotFoundError, match="train emotion"):
        component.load(tmp_path)


def test_using_the_component_before_loading_says_so():
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_emotion_model")
    with pytest.raises(RuntimeError, match="load"):
        nlp("hello")


def test_a_model_with_other_features_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy)
    meta = json.loads((copy / "meta.json").read_text())
    meta["features"]["version"] = emotion_model.FEATURE_VERSION + 1
    (copy / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ValueError, match="feature version"):
        EmotionModel.load(copy)


def test_shipped_model_is_small_and_documented():
    files = list(model_dir().iterdir())
    assert sum(f.stat().st_size for f in files) < 15 * 1024 * 1024
    card = (model_dir() / "MODEL_CARD.md").read_text()
    assert "Apache-2.0" in card and "Demszky" in card and "python -m assist train emotion" in card
    meta = json.loads((model_dir() / "meta.json").read_text())
    assert meta["labels"] == list(MODEL_GROUPS)
    assert meta["scores"]["test"]["macro_f1"] == pytest.approx(
        float(card.split("**macro-F1 (7 groups)** | **")[1].split("**")[2].strip(" |*")), abs=1e-3)


def test_token_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(emotion_model, "_CACHE_LIMIT", 50)
    featurizer = Featurizer(FeatureSettings(lexicon=False))
    featurizer.counts(" ".join(f"word{i}" for i in range(500)))
    assert len(featurizer._cache) <= 50
    # Same features whether the cache was warm or not.
    ids, counts = featurizer.counts("word1 word2 word3")
    fresh = Featurizer(FeatureSettings(lexicon=False)).counts("word1 word2 word3")
    assert np.array_equal(ids, fresh[0]) and np.array_equal(counts, fresh[1])


def test_negated_positive_word_counts_as_negative_valence():
    featurizer = Featurizer(FeatureSettings(), {"happy": 2.7})
    pos, neg, _ = featurizer.valence(featurizer.tokens("I am happy"))
    assert pos > 0 and neg == 0
    pos, neg, _ = featurizer.valence(featurizer.tokens("I am not happy"))
    assert pos == 0 and neg > 0


def test_runtime_needs_neither_scikit_learn_nor_vader():
    code = (
        "import sys\n"
        "import spacy\n"
        "import assist.core.emotion_model\n"
        "nlp = spacy.blank('en')\n"
        "nlp.add_pipe('assist_emotion_model').load()\n"
        "nlp('hello there')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'vaderSentiment', 'scipy')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
