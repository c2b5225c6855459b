"""Norwegian (bokmål) text processing behind one small interface.

>>> from workbench.nlp import get_pipeline
>>> nlp = get_pipeline()
>>> analysis = nlp.analyse("Brukerne sa det. Ja!")
>>> analysis.sentences
[(0, 16), (17, 20)]
>>> [t.lemma for t in analysis.tokens if t.is_word]
['bruker', 'si', 'den', 'ja']
>>> nlp.lemma("brukeren")
'bruker'

This package must not import textual or sqlalchemy; spaCy is imported when the first text is
processed (its tokenizer, :mod:`workbench.nlp.tokenizer`) or the stop words are first used,
not when the package loads.
"""

from workbench.nlp.lemmatizer import LEMMA_OVERRIDES, Lemmatizer
from workbench.nlp.pipeline import (
    ANALYSIS_VERSION,
    BLANK_NAME,
    MODEL_ENV_VAR,
    TRAINED_MODELS,
    Analysis,
    NorwegianPipeline,
    SimplePipeline,
    SpacyPipeline,
    Token,
    get_pipeline,
    installed_trained_model,
    load_pipeline,
)
from workbench.nlp.sentences import split_sentences
from workbench.nlp.stopwords import DISCOURSE_MARKERS, FILLER_WORDS, STOP_WORDS
from workbench.nlp.tokenizer import ABBREVIATIONS, blank_tokenizer, token_spans, tokenize

__all__ = [
    "ABBREVIATIONS",
    "ANALYSIS_VERSION",
    "BLANK_NAME",
    "DISCOURSE_MARKERS",
    "FILLER_WORDS",
    "LEMMA_OVERRIDES",
    "MODEL_ENV_VAR",
    "STOP_WORDS",
    "TRAINED_MODELS",
    "Analysis",
    "Lemmatizer",
    "NorwegianPipeline",
    "SimplePipeline",
    "SpacyPipeline",
    "Token",
    "get_pipeline",
    "installed_trained_model",
    "load_pipeline",
    "split_sentences",
    "blank_tokenizer",
    "token_spans",
    "tokenize",
]
