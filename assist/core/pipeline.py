"""The one place that builds assist's spaCy pipeline.

    tokenizer -> assist_language -> assist_emotion_model -> assist_cues -> assist_topics -> assist_emotion
                                                          (assist_acknowledgment: drafts only, disabled here)

`spacy.blank("en")` gives the tokenizer; every component is ours. The classifier's weights and the
rule data are loaded in explicit steps after `add_pipe` (never through spaCy's config), so building
needs no file but the model's. Without a model the pipeline still works on rules alone and says so
in `warnings`: the overlay shows it, the batch command prints it once on standard error.
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

    @property
    def acknowledgment(self) -> acknowledgment.AcknowledgmentFinder:
        return self.nlp.get_pipe(ACK_PIPE)


def build(model_dir: str | Path | None = None, *, use_model: bool = True,
          lexicon: CueLexicon = CUE_LEXICON) -> Pipeline:
    """A ready pipeline. `model_dir=None` is the shipped model; a missing model degrades to rules."""
    nlp = spacy.blank("en")
    nlp.add_pipe("assist_language")
    warnings: list[str] = []
    has_model = False
    if use_model:
        try:
            from . import emotion_model  # noqa: F401  (registers assist_emotion_model)

            classifier = nlp.add_pipe(MODEL_PIPE)
            classifier.load(model_dir)
            has_model = True
        except (FileNotFoundError, ImportError, ValueError) as exc:
            if MODEL_PIPE in nlp.pipe_names:
                nlp.remove_pipe(MODEL_PIPE)
            log.info("%s (%s)", MODEL_MISSING, type(exc).__name__)  # callers show `warnings` themselves
            warnings.append(f"{MODEL_MISSING} ({exc})")
    nlp.add_pipe("assist_cues").load(lexicon)
    nlp.add_pipe("assist_topics").load()
    nlp.add_pipe("assist_emotion")
    nlp.add_pipe(ACK_PIPE).load()
    nlp.disable_pipe(ACK_PIPE)  # customer messages never need it; drafts call it directly
    return Pipeline(nlp, has_model, warnings)
