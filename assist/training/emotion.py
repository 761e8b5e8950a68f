"""Train the shipped emotion model on GoEmotions (plus a team's own labelled lines).

Recipe, every choice tuned on GoEmotions dev and reported once on test:
1. Text -> hashed word uni/bi-gram and character n-gram counts (the runtime Featurizer, so
   training and the app can never disagree), IDF fitted on the training rows.
2. Linear models from scikit-learn on the same features (see `MEMBERS`), class weights
   (n / (k * count)) ** power to lift the small groups. Each member's scores are divided by their
   spread on dev and averaged: an average of linear models is one linear model, so the app still
   does a single gather-and-sum per message whatever the number of members.
3. A temperature fitted on dev (log-likelihood) so `doc.cats` reads as probabilities, then one
   offset per group fitted on dev for macro-F1 (the small groups are otherwise under-predicted).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

import numpy as np
import scipy.sparse as sp

from ..core.emotion_model import EmotionModel, FeatureSettings, Featurizer, softmax
from ..core.labels import MODEL_GROUPS
from .data import NEGATIVE_GROUPS, Problem, Split, load_extra, load_goemotions
from .metrics import f1_per_class, macro_f1, tune_bias

MODEL_VERSION = "1"
NEG_INDEX = np.array([g in NEGATIVE_GROUPS for g in MODEL_GROUPS])


@dataclass(frozen=True)
class Member:
    """One linear model of the average."""

    kind: str  # "svm" (LinearSVC, squared hinge) or "logreg" (SGD, log loss)
    strength: float  # C for "svm", alpha (L2 penalty) for "logreg"
    class_weight_power: float


MEMBERS = (
    Member("svm", 0.1, 1.0),
    Member("logreg", 1e-5, 1.0),
)
# The same two kinds trained on the yes/no "needs acknowledgment" question (negative groups vs the
# rest): it also learns from rows that span several groups of one polarity, and its score is added
# to the negative groups' logits and taken from the others', weighted by BINARY_WEIGHT.
BINARY_MEMBERS = (
    Member("svm", 0.1, 1.0),
    Member("logreg", 1e-5, 1.0),
)
BINARY_WEIGHT = 0.5


def own_examples_file() -> Path:
    """assist's own labelled support-chat messages (resources/training/): written for this project,
    so the Reddit-trained model also learns how customers write to support."""
    from ..resources import resources_dir

    return resources_dir() / "training" / "support_chat_examples.jsonl"


# Our own examples count this many times a GoEmotions row: chosen on our second support-chat holdout
# (tests/data/support_chat_holdout2.jsonl) against GoEmotions dev (1.0 and 3.0 tried).
OWN_EXAMPLES_WEIGHT = 2.0


@dataclass
class TrainConfig:
    data_dir: Path
    out_dir: Path
    extra: list[Path] = field(default_factory=list)
    extra_weight: float = 3.0  # a team's own lines count this many times a GoEmotions row
    own_examples: Path | None = field(default_factory=own_examples_file)  # None: GoEmotions (and extra) only
    own_weight: float = OWN_EXAMPLES_WEIGHT
    seed: int = 0
    features: FeatureSettings = FeatureSettings()
    members: tuple[Member, ...] = MEMBERS
    binary_members: tuple[Member, ...] = BINARY_MEMBERS
    binary_weight: float = BINARY_WEIGHT
    use_mixed_rows: bool = True  # rows in several groups train each group at weight 1/k
    refit_with_dev: bool = True  # after tuning on dev, fit the weights again on train + dev
    write_card: bool = True


@dataclass
class TrainResult:
    model: EmotionModel
    scores: dict
    problems: list[Problem]
    seconds: float


def _counts(featurizer: Featurizer, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
    return [featurizer.counts(t) for t in texts]


def _fit_idf(counts, n_features: int) -> np.ndarray:
    df = np.zeros(n_features, dtype=np.float64)
    for ids, _ in counts:
        df[ids] += 1
    # Smooth IDF as scikit-learn's TfidfVectorizer computes it.
    return (np.log((1 + len(counts)) / (1 + df)) + 1).astype(np.float32)


def _matrix(featurizer: Featurizer, texts: list[str], idf: np.ndarray) -> sp.csr_matrix:
    """The model's input for `texts`, computed by the runtime code."""
    rows = [featurizer.transform(t, idf) for t in texts]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(ids) for ids, _ in rows])
    idx = np.concatenate([ids for ids, _ in rows]) if rows else np.empty(0, np.int64)
    vals = np.concatenate([v for _, v in rows]) if rows else np.empty(0, np.float32)
    return sp.csr_matrix((vals, idx, indptr), shape=(len(rows), featurizer.settings.n_features))


def vader_lexicon() -> dict[str, float]:
    """VADER's word valences (MIT licence, C.J. Hutto), kept to entries our tokenizer sees as one token."""
    from importlib.resources import files

    text = files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    lexicon = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        word = parts[0].strip().lower()
        if word and Featurizer.split(word) == [word]:
            lexicon[word] = round(float(parts[1]), 2)
    return lexicon


def _fit_member(member: Member, X, y, sample_weight, seed: int, n_classes: int = len(MODEL_GROUPS)):
    """(coef, intercept) of one linear model; for two classes, the single direction towards class 1."""
    from sklearn.linear_model import SGDClassifier
    from sklearn.svm import LinearSVC

    counts = np.bincount(y, weights=sample_weight, minlength=n_classes)
    weights = {k: (counts.sum() / (n_classes * max(c, 1e-9))) ** member.class_weight_power
               for k, c in enumerate(counts)}
    if member.kind == "svm":
        model = LinearSVC(C=member.strength, class_weight=weights, random_state=seed, max_iter=5000)
    elif member.kind == "logreg":
        model = SGDClassifier(loss="log_loss", alpha=member.strength, class_weight=weights, max_iter=30,
                              tol=None, random_state=seed)
    else:
        raise ValueError(f"unknown member kind {member.kind!r}")
    model.fit(X, y, sample_weight=sample_weight)
    if n_classes == 2:
        return model.coef_[0], float(model.intercept_[0])
    coef = np.zeros((len(MODEL_GROUPS), X.shape[1]))
    intercept = np.zeros(len(MODEL_GROUPS))
    # A tiny run may miss a group entirely: its scores stay at zero (plus the bias tuned later).
    coef[model.classes_] = model.coef_
    intercept[model.classes_] = model.intercept_
    return coef, intercept


def _fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    best_t, best_nll = 1.0, np.inf
    for t in np.exp(np.linspace(np.log(0.05), np.log(20), 80)):
        p = softmax(logits / t)
        nll = -np.mean(np.log(p[np.arange(len(y)), y] + 1e-12))
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def evaluate(proba: np.ndarray, y: np.ndarray) -> dict:
    """7-group macro-F1 and per-group F1, and the binary needs-acknowledgment macro-F1."""
    pred = proba.argmax(1)
    per = f1_per_class(y, pred, len(MODEL_GROUPS))
    return {
        "rows": int(len(y)),
        "macro_f1": round(float(per.mean()), 4),
        "per_group_f1": {g: round(float(s), 4) for g, s in zip(MODEL_GROUPS, per)},
        "needs_ack_macro_f1": round(macro_f1(NEG_INDEX[y].astype(int), NEG_INDEX[pred].astype(int), 2), 4),
    }


def train(config: TrainConfig, log: Callable[[str], None] = print) -> TrainResult:
    started = time.perf_counter()
    rng_seed = int(config.seed)
    np.random.seed(rng_seed)
    train_split = load_goemotions(config.data_dir, "train")
    dev = load_goemotions(config.data_dir, "dev")
    test = load_goemotions(config.data_dir, "test")
    log(f"GoEmotions: {len(train_split.texts)} train rows in one group, {len(train_split.mixed)} in several, "
        f"{len(dev.texts)} dev, {len(test.texts)} test")

    texts, groups, weights = _training_rows(train_split, config.use_mixed_rows)
    n_goemotions = len(texts)
    problems: list[Problem] = []
    sources = [(path, config.extra_weight) for path in config.extra]
    if config.own_examples is not None:
        sources.append((Path(config.own_examples), config.own_weight))
    counts = {}
    for path, weight in sources:
        rows, bad = load_extra(path)
        problems += bad
        for p in bad:
            log(f"skipped {p}")
        texts += [t for t, _ in rows]
        groups += [g for _, g in rows]
        weights += [weight] * len(rows)
        counts[path] = len(rows)
        log(f"{path}: {len(rows)} extra rows, {len(bad)} skipped")
    n_extra = sum(counts[p] for p in config.extra)
    n_own = counts.get(Path(config.own_examples), 0) if config.own_examples is not None else 0

    lexicon = vader_lexicon() if config.features.lexicon else None
    featurizer = Featurizer(config.features, lexicon)
    idf = _fit_idf(_counts(featurizer, texts), config.features.n_features)
    X = _matrix(featurizer, texts, idf)
    X_dev = _matrix(featurizer, dev.texts, idf)
    y, y_dev, y_test = np.asarray(groups), np.asarray(dev.groups), np.asarray(test.groups)
    w = np.asarray(weights, dtype=np.float64)

    if config.binary_members and config.binary_weight:
        b_texts, b_y, b_w = _binary_rows(train_split, texts[n_goemotions:], groups[n_goemotions:],
                                         weights[n_goemotions:])
        X_bin = _matrix(featurizer, b_texts, idf)
    else:
        X_bin, b_y, b_w = None, None, None
    coef, intercept, spreads = _fit_all(config, X, y, w, X_bin, b_y, b_w, X_dev=X_dev, log=log)

    dev_logits = X_dev @ coef.T + intercept
    temperature = _fit_temperature(dev_logits, y_dev)
    dev_logits /= temperature
    # Offsets chosen for the 7-group and the needs-acknowledgment macro-F1 together.
    bias = tune_bias(dev_logits, y_dev, also=NEG_INDEX)

    dev_scores = evaluate(softmax(dev_logits + bias), y_dev)
    dev_texts: list[str] = []
    if config.refit_with_dev:
        # Everything above was chosen on dev; now let dev's rows teach the weights too, keeping each
        # member's scale, the temperature and the offsets. Dev scores below are the train-only model's.
        dev_texts, dev_groups, dev_w = _training_rows(dev, config.use_mixed_rows)
        X_all = sp.vstack([X, _matrix(featurizer, dev_texts, idf)]).tocsr()
        y_all = np.concatenate([y, dev_groups])
        w_all = np.concatenate([w, dev_w])
        if X_bin is not None:
            d_texts, d_y, d_w = _binary_rows(dev, [], [], [])
            X_bin = sp.vstack([X_bin, _matrix(featurizer, d_texts, idf)]).tocsr()
            b_y, b_w = np.concatenate([b_y, d_y]), np.concatenate([b_w, d_w])
        log(f"refitting on train + dev ({X_all.shape[0]} rows)")
        coef, intercept, _ = _fit_all(config, X_all, y_all, w_all, X_bin, b_y, b_w, spreads=spreads, log=log)

    weights_matrix = (coef.T / temperature).astype(np.float16)
    model = EmotionModel(config.features, weights_matrix, idf.astype(np.float16).astype(np.float32),
                         intercept / temperature + bias, lexicon=lexicon)
    # Score the model as shipped (float16 weights, runtime code path) rather than the float64 fit.
    scores = {
        "dev": dev_scores if config.refit_with_dev else evaluate(model.predict_proba(dev.texts), y_dev),
        "test": evaluate(model.predict_proba(test.texts), y_test),
    }
    seconds = time.perf_counter() - started
    # Only what the training data and settings decide goes into meta.json: retraining the same
    # data with the same seed gives byte-identical files.
    model.meta = {
        "version": MODEL_VERSION,
        "seed": rng_seed,
        "members": [vars(m) for m in config.members],
        "binary_members": [vars(m) for m in config.binary_members],
        "binary_weight": config.binary_weight,
        "temperature": round(temperature, 4),
        "group_offsets": [round(float(b), 4) for b in bias],
        "refit_with_dev": config.refit_with_dev,
        "training_rows": {"goemotions": n_goemotions, "extra": n_extra, "own_examples": n_own,
                          "own_weight": config.own_weight if n_own else 0,
                          "goemotions_dev": len(dev_texts) if config.refit_with_dev else 0,
                          "extra_weight": config.extra_weight, "mixed_rows_used": config.use_mixed_rows},
        "extra_files": [Path(p).name for p in config.extra],
        "scores": scores,
    }
    model.save(config.out_dir)
    if config.write_card:
        from .model_card import write_model_card

        write_model_card(config.out_dir, model.meta)
    log(f"dev macro-F1 {scores['dev']['macro_f1']:.3f}, test macro-F1 {scores['test']['macro_f1']:.3f}, "
        f"test needs-ack macro-F1 {scores['test']['needs_ack_macro_f1']:.3f} ({seconds:.0f} s)")
    return TrainResult(model, scores, problems, seconds)


def _fit_all(config: TrainConfig, X, y, w, X_bin, b_y, b_w, *, X_dev=None, spreads=None, log=print):
    """Fit every member and fold them into one (coef, intercept). Each member is divided by the spread of
    its scores on dev (measured when `spreads` is None, else reused) so that none dominates the average."""
    coef = np.zeros((len(MODEL_GROUPS), config.features.n_features))
    intercept = np.zeros(len(MODEL_GROUPS))
    measured = []
    for i, member in enumerate(config.members):
        c, b = _fit_member(member, X, y, w, config.seed)
        spread = spreads[i] if spreads is not None else (float(np.std(X_dev @ c.T + b)) or 1.0)
        measured.append(spread)
        coef += c / spread / len(config.members)
        intercept += b / spread / len(config.members)
        log(f"fitted {member.kind} ({member.strength}, class weight power {member.class_weight_power})")
    if X_bin is not None:
        direction = np.where(NEG_INDEX, 0.5, -0.5)
        for j, member in enumerate(config.binary_members):
            c, b = _fit_member(member, X_bin, b_y, b_w, config.seed, n_classes=2)
            k = len(config.members) + j
            spread = spreads[k] if spreads is not None else (float(np.std(X_dev @ c + b)) or 1.0)
            measured.append(spread)
            share = config.binary_weight / len(config.binary_members) / spread
            coef += np.outer(direction, c) * share
            intercept += direction * b * share
            log(f"fitted needs-acknowledgment {member.kind} ({member.strength})")
    return coef, intercept, measured


def _training_rows(split: Split, use_mixed: bool) -> tuple[list[str], list[int], list[float]]:
    texts, groups, weights = list(split.texts), list(split.groups), [1.0] * len(split.texts)
    if use_mixed:
        for text, gs in split.mixed:
            for g in gs:
                texts.append(text)
                groups.append(g)
                weights.append(1.0 / len(gs))
    return texts, groups, weights


def _binary_rows(split: Split, extra_texts, extra_groups, extra_weights):
    """Rows for the needs-acknowledgment member: 1 = a negative group. Multi-group rows count when all
    their groups share one polarity."""
    texts = list(split.texts)
    y = [int(NEG_INDEX[g]) for g in split.groups]
    w = [1.0] * len(texts)
    for text, gs in split.mixed:
        polarity = {int(NEG_INDEX[g]) for g in gs}
        if len(polarity) == 1:
            texts.append(text)
            y.append(polarity.pop())
            w.append(1.0)
    texts += list(extra_texts)
    y += [int(NEG_INDEX[g]) for g in extra_groups]
    w += list(extra_weights)
    return texts, np.asarray(y), np.asarray(w)


def with_features(config: TrainConfig, **changes) -> TrainConfig:
    return replace(config, features=replace(config.features, **changes))
