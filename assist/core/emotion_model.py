"""The shipped emotion classifier: hashed n-gram features and a linear model, numpy only.

It predicts the seven `MODEL_GROUPS`. Features are hashed word uni/bi-grams and character
n-grams inside words, weighted TF-IDF style; scores are one matrix row gather and a sum per
class, so a message costs a fraction of a millisecond and loading is a few `np.load` calls.
The weights are trained by `python -m assist train emotion` (assist/training/, scikit-learn);
this module never needs scikit-learn.

spaCy use: ``comp = nlp.add_pipe("assist_emotion_model"); comp.load()`` then ``nlp(text).cats``.
Plain use: ``EmotionModel.load(dir).predict_proba(texts)``.
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from .labels import MODEL_GROUPS

# Bump when the way text becomes feature ids changes: a model trained under another version
# would silently read the wrong weights, so loading refuses it.
FEATURE_VERSION = 2

WEIGHTS_FILE = "weights.npy"
IDF_FILE = "idf.npy"
BIAS_FILE = "bias.npy"
META_FILE = "meta.json"
LEXICON_FILE = "lexicon.tsv"  # word<TAB>valence, from VADER's lexicon (MIT), see MODEL_CARD.md

# Words (with an inner apostrophe), runs of ! or ?, and any other single symbol (emoji included).
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[!?]+|[^\w\s]")
_SHOUT = re.compile(r"\b[A-Z]{2,}\b")
# A valence word right after one of these (within three words) counts with its sign flipped
# and damped, as VADER does ("not happy").
_NEGATORS = frozenset(
    "not no never nothing nobody none neither nor cannot without hardly barely dont cant wont isnt "
    "didnt doesnt wasnt arent couldnt shouldnt wouldnt havent hasnt".split()
)
_NEGATION_DAMPING = -0.74
# The lexicon's three values: positive strength, negative strength, balance; each x / sqrt(x^2 + 15).
LEXICON_SLOTS = 3
# The token cache stays bounded so a long-running overlay does not grow without limit.
_CACHE_LIMIT = 100_000


@dataclass(frozen=True)
class FeatureSettings:
    word_bits: int = 18  # hashed word uni/bi-gram space: 2**word_bits columns
    char_bits: int = 18  # hashed character n-gram space, placed after the word space
    char_min: int = 2
    char_max: int = 5
    max_chars: int = 5000  # only the first characters are read: bounded work on huge text
    lexicon: bool = True  # three valence features from a word lexicon, after the hashed blocks
    lexicon_scale: float = 1.0
    version: int = FEATURE_VERSION

    @property
    def n_features(self) -> int:
        return (1 << self.word_bits) + (1 << self.char_bits) + (LEXICON_SLOTS if self.lexicon else 0)

    @classmethod
    def from_dict(cls, data: dict) -> "FeatureSettings":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})

    def to_dict(self) -> dict:
        return asdict(self)


def _is_negator(token: str) -> bool:
    return token in _NEGATORS or token.endswith(("n't", "n’t"))


def read_lexicon(path: Path) -> dict[str, float]:
    lexicon = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition("\t")
        if word and value:
            lexicon[word] = float(value)
    return lexicon


def _hash(text: str) -> int:
    # crc32 is stable across runs and platforms (Python's hash() is salted per process).
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


class Featurizer:
    """Turns text into (feature ids, counts) in two blocks: words and characters."""

    def __init__(self, settings: FeatureSettings, lexicon: dict[str, float] | None = None):
        if settings.lexicon and lexicon is None:
            raise ValueError("these feature settings need a valence lexicon")
        self.settings = settings
        self.lexicon = lexicon or {}
        self._lexicon_offset = (1 << settings.word_bits) + (1 << settings.char_bits)
        self._word_mask = (1 << settings.word_bits) - 1
        self._char_mask = (1 << settings.char_bits) - 1
        self._char_offset = 1 << settings.word_bits
        self._cache: dict[str, tuple[int, np.ndarray]] = {}
        self._bigrams: dict[tuple[str, str], int] = {}  # crc32 of every word pair was a tenth of the model's time
        self._shout_id = _hash("w __shout__") & self._word_mask
        self._lexicon_slots = np.arange(self._lexicon_offset, self._lexicon_offset + LEXICON_SLOTS)

    @staticmethod
    def split(text: str) -> list[str]:
        return _TOKEN.findall(text.lower())

    def tokens(self, text: str) -> list[str]:
        return self.split(text[: self.settings.max_chars])

    def _token_features(self, token: str) -> tuple[int, np.ndarray]:
        hit = self._cache.get(token)
        if hit is not None:
            return hit
        word_id = _hash("w " + token) & self._word_mask
        s = self.settings
        padded = f"<{token}>"
        grams = {
            padded[i : i + n]
            for n in range(s.char_min, s.char_max + 1)
            for i in range(len(padded) - n + 1)
        } if token[0].isalnum() and len(token) > 1 else {padded}
        chars = np.fromiter(
            ((_hash(g) & self._char_mask) + self._char_offset for g in grams), dtype=np.int64, count=len(grams)
        )
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[token] = (word_id, chars)
        return word_id, chars

    def counts(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Sorted unique hashed feature ids of `text` and how often each occurs."""
        return self._counts(text[: self.settings.max_chars], self.tokens(text))

    def _counts(self, text: str, toks: list[str]) -> tuple[np.ndarray, np.ndarray]:
        all_ids = self.raw_ids(text, toks)
        if not len(all_ids):
            return np.empty(0, np.int64), np.empty(0, np.float32)
        uniq, cnt = np.unique(all_ids, return_counts=True)
        return uniq, cnt.astype(np.float32)

    def raw_ids(self, text: str, toks: list[str]) -> np.ndarray:
        """Every hashed feature id of `text` (cut to max_chars) as often as it occurs, unsorted."""
        ids: list[int] = []
        char_parts: list[np.ndarray] = []
        mask = self._word_mask
        cache = self._cache
        for tok in toks:
            hit = cache.get(tok)  # inlined: the call cost more than the lookup
            word_id, chars = hit if hit is not None else self._token_features(tok)
            ids.append(word_id)
            char_parts.append(chars)
        bigrams = self._bigrams
        if len(bigrams) >= _CACHE_LIMIT:
            bigrams.clear()
        for pair in zip(toks, toks[1:]):
            pair_id = bigrams.get(pair)
            if pair_id is None:
                pair_id = bigrams[pair] = _hash(f"b {pair[0]} {pair[1]}") & mask
            ids.append(pair_id)
        # Case is folded above, but SHOUTING carries emotion: one marker feature per shouted word.
        if not text.islower():  # cheaper than the regex on the common all-lowercase text
            ids.extend([self._shout_id] * len(_SHOUT.findall(text)))
        if not ids:
            return np.empty(0, np.int64)
        return np.concatenate([np.asarray(ids, dtype=np.int64), *char_parts])

    def weigh(self, ids: np.ndarray, counts: np.ndarray, idf: np.ndarray) -> np.ndarray:
        """Sub-linear TF times IDF, each block (words, characters) scaled to unit length."""
        vals = (1.0 + np.log(counts)) * idf[ids]
        # `ids` are sorted (np.unique): the word block comes first, then the characters.
        split = int(np.searchsorted(ids, self._char_offset))
        for block in (vals[:split], vals[split:]):
            norm = float(np.sqrt(np.dot(block, block)))
            if norm > 0:
                block /= norm
        return vals.astype(np.float32, copy=False)

    def valence(self, toks: list[str]) -> np.ndarray:
        """Positive strength, negative strength and their balance from the lexicon, each in [-1, 1]."""
        pos = neg = 0.0
        lexicon = self.lexicon
        for i, tok in enumerate(toks):
            value = lexicon.get(tok)
            if value is None:
                continue
            if any(_is_negator(t) for t in toks[max(0, i - 3) : i]):
                value *= _NEGATION_DAMPING
            if value > 0:
                pos += value
            else:
                neg -= value
        x = np.array([pos, neg, pos - neg])
        return x / np.sqrt(x * x + 15.0)

    def transform(self, text: str, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Feature ids and their values: the model's input."""
        toks = self.tokens(text)
        ids, counts = self._counts(text[: self.settings.max_chars], toks)
        vals = self.weigh(ids, counts, idf)
        if not self.settings.lexicon:
            return ids, vals
        extra = self.valence(toks) * self.settings.lexicon_scale
        return np.concatenate([ids, self._lexicon_slots]), np.concatenate([vals, extra.astype(np.float32)])


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


class EmotionModel:
    """Weights (n_features x 7), IDF, per-class bias; predicts probabilities over MODEL_GROUPS."""

    def __init__(self, settings: FeatureSettings, weights: np.ndarray, idf: np.ndarray, bias: np.ndarray,
                 meta: dict | None = None, lexicon: dict[str, float] | None = None):
        if weights.shape != (settings.n_features, len(MODEL_GROUPS)):
            raise ValueError(f"emotion model weights have shape {weights.shape}, expected "
                             f"({settings.n_features}, {len(MODEL_GROUPS)})")
        self.settings = settings
        self.lexicon = lexicon or {}
        self.featurizer = Featurizer(settings, self.lexicon if settings.lexicon else None)
        self.weights = weights
        self.idf = idf.astype(np.float32, copy=False)
        self.bias = bias.astype(np.float32, copy=False)
        self.meta = meta or {}
        self.labels = tuple(MODEL_GROUPS)

    @classmethod
    def load(cls, model_dir: str | Path | None = None) -> "EmotionModel":
        if model_dir is None:
            from ..resources import model_dir as shipped

            model_dir = shipped()
        model_dir = Path(model_dir)
        missing = [n for n in (META_FILE, WEIGHTS_FILE, IDF_FILE, BIAS_FILE) if not (model_dir / n).is_file()]
        if missing:
            raise FileNotFoundError(
                f"the emotion model is missing in {model_dir} (no {', '.join(missing)}); "
                "re-create it with `python -m assist train emotion`"
            )
        meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
        labels = tuple(meta.get("labels", ()))
        if labels != tuple(MODEL_GROUPS):
            raise ValueError(f"the emotion model in {model_dir} predicts {labels}, expected {MODEL_GROUPS}")
        settings = FeatureSettings.from_dict(meta.get("features", {}))
        if settings.version != FEATURE_VERSION:
            raise ValueError(
                f"the emotion model in {model_dir} uses feature version {settings.version}, this assist reads "
                f"{FEATURE_VERSION}; retrain it with `python -m assist train emotion`"
            )
        lexicon = None
        if settings.lexicon:
            if not (model_dir / LEXICON_FILE).is_file():
                raise FileNotFoundError(f"the emotion model in {model_dir} has no {LEXICON_FILE}; "
                                        "re-create it with `python -m assist train emotion`")
            lexicon = read_lexicon(model_dir / LEXICON_FILE)
        return cls(
            settings,
            np.load(model_dir / WEIGHTS_FILE),
            np.load(model_dir / IDF_FILE),
            np.load(model_dir / BIAS_FILE),
            meta,
            lexicon,
        )

    def save(self, model_dir: str | Path) -> None:
        model_dir = Path(model_dir)
        model_dir.mkdir(parents=True, exist_ok=True)
        np.save(model_dir / WEIGHTS_FILE, self.weights.astype(np.float16))
        np.save(model_dir / IDF_FILE, self.idf.astype(np.float16))
        np.save(model_dir / BIAS_FILE, self.bias.astype(np.float32))
        if self.settings.lexicon:
            lines = (f"{w}\t{v:g}\n" for w, v in sorted(self.lexicon.items()))
            (model_dir / LEXICON_FILE).write_text("".join(lines), encoding="utf-8")
        self.meta = dict(self.meta, labels=list(MODEL_GROUPS), features=self.settings.to_dict())
        (model_dir / META_FILE).write_text(json.dumps(self.meta, indent=2) + "\n", encoding="utf-8")

    def logits_one(self, text: str) -> np.ndarray:
        ids, vals = self.featurizer.transform(text, self.idf)
        return vals @ self.weights[ids] + self.bias

    def proba_one(self, text: str) -> np.ndarray:
        return softmax(self.logits_one(text).astype(np.float64))

    def predict_proba(self, texts: Iterable[str]) -> np.ndarray:
        """Probabilities, one row per text, columns in MODEL_GROUPS order."""
        texts = list(texts)
        # Slices of 64 keep the batch arrays small (peak memory) and lose little of the batch speed.
        parts = [self.logits_many(texts[i : i + 64]) for i in range(0, len(texts), 64)]
        logits = np.vstack(parts) if parts else self.logits_many([])
        return softmax(logits.astype(np.float64))

    def logits_many(self, texts: Sequence[str]) -> np.ndarray:
        """`logits_one` for a batch in a few numpy calls instead of a dozen per text: the same
        features and weights; only the order of the float32 sums differs (about 1e-6)."""
        n = len(texts)
        logits = np.empty((n, len(MODEL_GROUPS)), dtype=np.float32)
        if not n:
            return logits
        f = self.featurizer
        max_chars = f.settings.max_chars
        parts, lengths = [], np.empty(n, dtype=np.int64)
        lexicon = np.empty((n, LEXICON_SLOTS), dtype=np.float64) if f.settings.lexicon else None
        for row, text in enumerate(texts):
            toks = f.tokens(text)
            ids = f.raw_ids(text[:max_chars], toks)
            parts.append(ids)
            lengths[row] = len(ids)
            if lexicon is not None:
                lexicon[row] = f.valence(toks)
        # One sort for the whole batch: (row, feature id) packed into one integer.
        shift = max(1, int(f.settings.n_features).bit_length())
        keys = (np.repeat(np.arange(n, dtype=np.int64), lengths) << shift) | np.concatenate(parts)
        keys, counts = np.unique(keys, return_counts=True)
        rows, ids = keys >> shift, keys & ((1 << shift) - 1)
        vals = (1.0 + np.log(counts.astype(np.float32))) * self.idf[ids]
        # Each text's word block and character block scaled to unit length, as `Featurizer.weigh` does.
        block = rows * 2 + (ids >= f._char_offset)
        norms = np.sqrt(np.bincount(block, weights=vals.astype(np.float64) ** 2, minlength=2 * n))
        norms[norms == 0] = 1.0
        vals = (vals / norms[block].astype(np.float32)).astype(np.float32)
        contributions = vals[:, None] * self.weights[ids]
        starts = np.searchsorted(rows, np.arange(n))
        present = lengths > 0
        logits[:] = 0.0
        if present.any():
            logits[present] = np.add.reduceat(contributions, starts[present], axis=0)
        if lexicon is not None:
            extra = (lexicon * f.settings.lexicon_scale).astype(np.float32)
            logits += extra @ self.weights[f._lexicon_slots].astype(np.float32)
        return logits + self.bias

    def cats_one(self, text: str) -> dict[str, float]:
        return dict(zip(self.labels, map(float, self.proba_one(text))))


class EmotionClassifier:
    """spaCy component: sets `doc.cats` to a probability for each of the seven MODEL_GROUPS."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.model: EmotionModel | None = None
        self._lock = threading.Lock()

    def load(self, model_dir: str | Path | None = None) -> "EmotionClassifier":
        """Read the weights (default: the shipped model). Raises FileNotFoundError if they are missing."""
        model = EmotionModel.load(model_dir)
        with self._lock:
            self.model = model
        return self

    def _require(self) -> EmotionModel:
        if self.model is None:
            raise RuntimeError(f"the '{self.name}' component has no weights yet: call its load() first")
        return self.model

    def __call__(self, doc: Doc) -> Doc:
        doc.cats = self._require().cats_one(_text_of(doc))
        return doc

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 256) -> Iterator[Doc]:
        model = self._require()
        batch: list[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._set(model, batch)
                batch = []
        if batch:
            yield from self._set(model, batch)

    @staticmethod
    def _set(model: EmotionModel, docs: Sequence[Doc]) -> Iterator[Doc]:
        probs = model.predict_proba(_text_of(d) for d in docs)
        for doc, row in zip(docs, probs):
            doc.cats = dict(zip(model.labels, map(float, row)))
            yield doc


def _text_of(doc: Doc) -> str:
    """The text the pipeline was given: `Doc.text` rebuilds the string from every token on each call
    (a tenth of the batch time), so the copy kept by the analyzer or the language step is read instead."""
    text = doc._.assist_text if Doc.has_extension("assist_text") else None
    return text if text is not None else doc.text


@Language.factory("assist_emotion_model")
def make_emotion_model(nlp: Language, name: str) -> EmotionClassifier:
    return EmotionClassifier(nlp, name)


def predict_proba(texts: Sequence[str], model_dir: str | Path | None = None) -> np.ndarray:
    """Probabilities over MODEL_GROUPS for `texts`, using the shipped model unless told otherwise."""
    return _cached_model(None if model_dir is None else str(model_dir)).predict_proba(texts)


_models: dict[str | None, EmotionModel] = {}
_models_lock = threading.Lock()


def _cached_model(model_dir: str | None) -> EmotionModel:
    with _models_lock:
        if model_dir not in _models:
            _models[model_dir] = EmotionModel.load(model_dir)
        return _models[model_dir]
