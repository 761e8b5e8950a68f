"""The one place that builds assist's spaCy pipeline.

    tokenizer -> assist_language -> assist_emotion_model -> assist_cues -> assist_topics -> assist_emotion
                                                          (assist_acknowledgment: drafts only, disabled here)

`spacy.blank("en")` gives the tokenizer; every component is ours. The classifier's weights and the
rule data are loaded in explicit steps after `add_pipe` (never through spaCy's config), so building
needs no file but the model's. Without a model the pipeline still works on rules alone and says so
in `warnings`: the overlay shows it, the batch command prints it once on standard error.

`rebuild(pipeline)` makes the same pipeline again on a fresh blank vocab, reusing the loaded model
(weights, lexicon, its bounded token cache) and the rule data: spaCy's StringStore keeps every new
string for the life of a vocab, so a long batch recycles its pipeline instead (see the Analyzer).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from . import acknowledgment, components, language, topics  # noqa: F401  (registers the factories)
from .lexicons import CUE_LEXICON, CueLexicon

log = logging.getLogger(__name__)

MODEL_PIPE = "assist_emotion_model"
ACK_PIPE = "assist_acknowledgment"
CUSTOMER_PIPES = ("assist_language", MODEL_PIPE, "assist_cues", "assist_topics", "assist_emotion")
MODEL_MISSING = "emotion model not found: labels come from rules only and are less accurate"


@dataclass
class Pipeline:
    nlp: Language
    has_model: bool
    warnings: list = field(default_factory=list)
    model: object = None  # the loaded EmotionModel (None without one), reused by `rebuild`
    lexicon: CueLexicon = CUE_LEXICON
    base_strings: int = 0  # strings in the vocab once built: what the pipeline knows before any text

    @property
    def acknowledgment(self) -> acknowledgment.AcknowledgmentFinder:
        return self.nlp.get_pipe(ACK_PIPE)

    @property
    def learned_strings(self) -> int:
        """Strings the vocab took from the text read since it was built (spaCy never forgets them)."""
        return len(self.nlp.vocab.strings) - self.base_strings


def build(model_dir: str | Path | None = None, *, use_model: bool = True,
          lexicon: CueLexicon = CUE_LEXICON) -> Pipeline:
    """A ready pipeline. `model_dir=None` is the shipped model; a missing model degrades to rules."""
    warnings: list[str] = []
    model = None
    if use_model:
        try:
            from .emotion_model import EmotionModel

            model = EmotionModel.load(model_dir)
        except (FileNotFoundError, ImportError, ValueError) as exc:
            log.info("%s (%s)", MODEL_MISSING, type(exc).__name__)  # callers show `warnings` themselves
            warnings.append(f"{MODEL_MISSING} ({exc})")
    return _assemble(model, lexicon, warnings)


def rebuild(pipeline: Pipeline) -> Pipeline:
    """The same pipeline on a fresh blank vocab: the same model object (nothing read from disk), the
    same rule data and warnings. Only the strings learned from text are gone; results are unchanged."""
    return _assemble(pipeline.model, pipeline.lexicon, list(pipeline.warnings))


def _assemble(model, lexicon: CueLexicon, warnings: list[str]) -> Pipeline:
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_language")
    if model is not None:
        from . import emotion_model  # noqa: F401  (registers assist_emotion_model)

        nlp.add_pipe(MODEL_PIPE).model = model  # what its load() sets, without reading the files again
    nlp.add_pipe("assist_cues").load(lexicon)
    nlp.add_pipe("assist_topics").load()
    nlp.add_pipe("assist_emotion")
    nlp.add_pipe(ACK_PIPE).load()
    nlp.disable_pipe(ACK_PIPE)  # customer messages never need it; drafts call it directly
    return Pipeline(nlp, model is not None, warnings, model, lexicon, len(nlp.vocab.strings))
