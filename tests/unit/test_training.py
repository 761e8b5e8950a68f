"""Training the emotion model for real, on a tiny GoEmotions-shaped data set written to tmp_path."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy

pytest.importorskip("sklearn", reason="training needs scikit-learn (the `train` extra)")
pytest.importorskip("vaderSentiment", reason="training reads VADER's lexicon (the `train` extra)")

from assist.core.emotion_model import EmotionModel, FeatureSettings  # noqa: E402
from assist.core.labels import MODEL_GROUPS  # noqa: E402
from assist.training.data import load_extra, load_goemotions  # noqa: E402
from assist.training.emotion import TrainConfig, own_examples_file, train  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# GoEmotions' label file, in its order (ids in the TSV index this list).
NAMES = ("admiration amusement anger annoyance approval caring confusion curiosity desire disappointment "
         "disapproval disgust embarrassment excitement fear gratitude grief joy love nervousness optimism pride "
         "realization relief remorse sadness surprise neutral").split()
TEMPLATES = {
    "anger": ["I am furious about the {}", "this {} is infuriating and unacceptable", "I hate the {} so much"],
    "disappointment": ["the {} was a letdown", "I expected more from the {}, disappointing",
                       "sadly the {} did not live up to the hype"],
    "confusion": ["I don't understand the {}", "how does the {} even work??", "I'm confused by the {}"],
    "fear": ["I'm scared of the {}", "the {} terrifies me", "I'm afraid the {} will break"],
    "sadness": ["the {} makes me so sad", "I cried over the {}", "heartbroken about the {}"],
    "gratitude": ["thank you for the {}", "thanks so much for the {}!", "really grateful for the {}"],
    "neutral": ["the {} is on the table", "I saw the {} on Tuesday", "the {} has four parts"],
}
NOUNS = ["parcel", "invoice", "app", "update", "movie", "game", "meal", "ticket", "phone", "car", "book", "song"]
SMALL = FeatureSettings(word_bits=14, char_bits=14)


def write_goemotions(root: Path) -> Path:
    folder = root / "goemotions"
    folder.mkdir(parents=True)
    (folder / "emotions.txt").write_text("\n".join(NAMES) + "\n")
    splits = {"train": NOUNS[:8], "dev": NOUNS[8:10], "test": NOUNS[10:]}
    for split, nouns in splits.items():
        lines = []
        for label, templates in TEMPLATES.items():
            for noun in nouns:
                for template in templates:
                    lines.append(f"{template.format(noun)}\t{NAMES.index(label)}\tid{len(lines)}")
        # A grouped label beside an ungrouped one; only ungrouped labels; two groups.
        lines.append(f"I am furious and I disapprove\t{NAMES.index('anger')},{NAMES.index('disapproval')}\tm1")
        lines.append(f"I wonder what this is\t{NAMES.index('curiosity')}\tm2")
        lines.append(f"thanks but I'm sad\t{NAMES.index('gratitude')},{NAMES.index('sadness')}\tm3")
        (folder / f"{split}.tsv").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture
def data_dir(tmp_path):
    return write_goemotions(tmp_path / "data")


def test_grouping_keeps_single_group_rows_and_sets_mixed_ones_apart(data_dir):
    split = load_goemotions(data_dir, "train")
    index = dict(zip(split.texts, split.groups))
    assert MODEL_GROUPS[index["I am furious and I disapprove"]] == "anger_frustration"
    assert "I wonder what this is" not in index and split.skipped_unmapped == 1
    assert split.mixed == [("thanks but I'm sad", (MODEL_GROUPS.index("sadness"), MODEL_GROUPS.index("positive")))]
    assert len(split.texts) == 7 * 8 * 3 + 1


def test_tiny_training_run_writes_a_model_a_blank_pipeline_can_load(data_dir, tmp_path):
    out = tmp_path / "model"
    result = train(TrainConfig(data_dir=data_dir, out_dir=out, features=SMALL), log=lambda _: None)
    assert {p.name for p in out.iterdir()} >= {"weights.npy", "idf.npy", "bias.npy", "meta.json", "lexicon.tsv",
                                               "MODEL_CARD.md"}
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_emotion_model").load(out)
    cats = nlp("I am furious about the lamp").cats
    assert list(cats) == list(MODEL_GROUPS) and sum(cats.values()) == pytest.approx(1.0)
    assert max(cats, key=cats.get) == "anger_frustration"
    thanks = nlp("thanks so much for the lamp!").cats
    assert max(thanks, key=thanks.get) == "positive"
    meta = json.loads((out / "meta.json").read_text())
    assert meta["scores"] == result.scores and meta["scores"]["test"]["rows"] == 7 * 2 * 3 + 1
    own = own_examples_file().read_text(encoding="utf-8").splitlines()
    assert meta["training_rows"]["own_examples"] == len(own) > 1000  # assist's own support-chat examples
    assert "own support-chat examples" in (out / "MODEL_CARD.md").read_text()
    assert "Apache-2.0" in (out / "MODEL_CARD.md").read_text()


def test_same_seed_gives_identical_files(data_dir, tmp_path):
    for name in ("a", "b"):
        train(TrainConfig(data_dir=data_dir, out_dir=tmp_path / name, features=SMALL), log=lambda _: None)
    for f in ("weights.npy", "idf.npy", "bias.npy", "meta.json", "lexicon.tsv", "MODEL_CARD.md"):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_extra_lines_teach_the_model_a_new_word(data_dir, tmp_path):
    extra = tmp_path / "ours.jsonl"
    lines = [{"text": f"zorblax again with the {n}", "label": "frustration"} for n in NOUNS[:6]]
    extra.write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    plain = train(TrainConfig(data_dir=data_dir, out_dir=tmp_path / "plain", features=SMALL), log=lambda _: None)
    adapted = train(TrainConfig(data_dir=data_dir, out_dir=tmp_path / "adapted", features=SMALL, extra=[extra]),
                    log=lambda _: None)
    group = MODEL_GROUPS.index("anger_frustration")
    before = plain.model.predict_proba(["zorblax"])[0, group]
    after = adapted.model.predict_proba(["zorblax"])[0, group]
    assert after > before and after == max(adapted.model.predict_proba(["zorblax"])[0])
    assert json.loads((tmp_path / "adapted" / "meta.json").read_text())["training_rows"]["extra"] == 6
    assert "ours.jsonl" in (tmp_path / "adapted" / "MODEL_CARD.md").read_text()


def test_bad_extra_lines_are_reported_by_line_number(tmp_path):
    path = tmp_path / "ours.jsonl"
    path.write_bytes(
        b'{"text": "still waiting", "label": "frustration"}\n'
        b"not json\n"
        b"\n"
        b'{"text": "what?", "label": "bewildered"}\n'
        b'["a list"]\n'
        b'{"text": "", "label": "anger"}\n'
        b'{"text": "\xff\xfe", "label": "anger"}\n'
        b'{"text": "I need this today", "label": "urgency"}\n'
        b'{"text": "no idea how this works", "label": "confusion"}\n'
    )
    rows, problems = load_extra(path)
    assert [p.line for p in problems] == [2, 4, 5, 6, 7]
    assert "JSON" in problems[0].message and "label" in problems[1].message and "UTF-8" in problems[4].message
    assert [(t, MODEL_GROUPS[g]) for t, g in rows] == [
        ("still waiting", "anger_frustration"), ("I need this today", "anger_frustration"),
        ("no idea how this works", "confusion")]


def test_train_command_reports_bad_lines_and_still_writes_the_model(data_dir, tmp_path):
    extra = tmp_path / "ours.jsonl"
    extra.write_text('{"text": "third time I ask", "label": "frustration"}\n{"text": 5}\n')
    out = tmp_path / "model"
    proc = subprocess.run(
        [sys.executable, "-m", "assist", "train", "emotion", "--data", str(data_dir), "--out", str(out),
         "--extra", str(extra), "--seed", "3"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    assert f"{extra}:2:" in proc.stderr and "third time" not in proc.stderr
    model = EmotionModel.load(out)
    assert model.meta["seed"] == 3 and model.meta["training_rows"]["extra"] == 1
    assert model.meta["training_rows"]["own_examples"] > 1000
    assert np.isclose(model.predict_proba(["hello"]).sum(), 1.0)


def test_train_command_without_data_says_where_it_looked(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "assist", "train", "emotion", "--data", str(tmp_path / "nowhere"),
         "--out", str(tmp_path / "model")],
        capture_output=True, text=True, cwd=REPO, timeout=120,
    )
    assert proc.returncode == 2 and "nowhere" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "model").exists()


def test_train_command_can_leave_out_our_own_examples(data_dir, tmp_path):
    out = tmp_path / "model"
    proc = subprocess.run(
        [sys.executable, "-m", "assist", "train", "emotion", "--data", str(data_dir), "--out", str(out),
         "--no-own-examples"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    rows = EmotionModel.load(out).meta["training_rows"]
    assert rows["own_examples"] == 0 and rows["extra"] == 0
    assert "own support-chat examples" not in (out / "MODEL_CARD.md").read_text()


def test_our_own_examples_are_clean_and_labelled_with_assists_emotions():
    rows, problems = load_extra(own_examples_file())
    assert problems == [] and len(rows) > 1000
    texts = [json.loads(line)["text"].strip().lower() for line in own_examples_file().read_text().splitlines()]
    assert len(set(texts)) == len(texts)  # no duplicates
