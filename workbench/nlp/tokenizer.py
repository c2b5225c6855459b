"""The tokenizer for Norwegian bokmål transcripts: spaCy's ``blank("nb")`` tokenizer, run
per turn (one line of the transcript) with ``Tokenizer.pipe``.

Measured per turn, spaCy's tokenizer keeps well above the import target (about 460 000
words/s here, against 40 000 for one ``make_doc`` over a whole 15 000-word document), so
there is no second tokenizer. spaCy is imported on first use, not when this module loads.

Three adjustments to spaCy's rules, so that search finds the words people typed:

* the abbreviations are ours (below), in lowercase, Capitalised and UPPERCASE (``Osv.``,
  ``F.eks.``); spaCy's other exceptions that end in a full stop are dropped, so ``min.``
  at the end of a sentence ("mamma min.") is the word ``min`` and a full stop;
* a slash glued to a word is split off (``//ja`` → ``/ / ja``, the overlap mark);
* a full stop after digits is split off (``2019.`` → ``2019 .``, ``3. mai`` → ``3 . mai``).

Whitespace never becomes a token. Every token is a ``(start, end)`` span of code points
into the string given, so offsets are exact for æøå and emoji alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokenizer import Tokenizer

# Abbreviations that never end a sentence: something always follows them
# ("f.eks. at ...", "kl. 14", "ca. 50", "dr. Hansen").
NON_TERMINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "f.eks.", "bl.a.", "dvs.", "ca.", "nr.", "kl.", "jf.", "jfr.", "evt.", "ev.",
        "pga.", "iht.", "ifm.", "ift.", "mht.", "vha.", "inkl.", "ekskl.", "m.a.o.",
        "dr.", "st.", "hr.", "fr.", "prof.", "ref.", "tlf.", "pkt.", "kap.", "f.o.m.",
        "t.o.m.", "eks.", "hhv.", "vs.", "ang.", "vedr.", "istf.", "ifb.", "avd.", "adm.",
    }
)

# Abbreviations that may end a sentence ("... mat, klær osv. Så ...").
TERMINAL_ABBREVIATIONS: frozenset[str] = frozenset(
    {
        "osv.", "mv.", "m.v.", "m.m.", "etc.", "o.l.", "m.fl.", "mfl.", "e.l.",
        # units that often close a sentence ("det kostet 50 kr.")
        "kr.", "mnd.", "sek.",
    }
)

ABBREVIATIONS: frozenset[str] = NON_TERMINAL_ABBREVIATIONS | TERMINAL_ABBREVIATIONS



def _case_variants(abbreviation: str) -> set[str]:
    return {abbreviation, abbreviation[:1].upper() + abbreviation[1:], abbreviation.upper()}


@cache
def blank_tokenizer() -> Tokenizer:
    """spaCy's bokmål tokenizer with the adjustments in the module docstring (cached)."""
    import spacy
    from spacy.symbols import ORTH
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("nb")
    tokenizer = nlp.tokenizer
    ours = {v for a in ABBREVIATIONS for v in _case_variants(a)}
    tokenizer.rules = {k: v for k, v in tokenizer.rules.items() if "." not in k or k in ours}
    for abbreviation in sorted(ours):
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    tokenizer.prefix_search = compile_prefix_regex([*nlp.Defaults.prefixes, "/"]).search
    tokenizer.suffix_search = compile_suffix_regex(
        [*nlp.Defaults.suffixes, "/", r"(?<=\d)\."]
    ).search
    tokenizer.infix_finditer = compile_infix_regex([*nlp.Defaults.infixes, r"(?<=\w)/+(?=\w)"]).finditer
    return tokenizer


def token_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield each token's ``[start, end)`` code-point span in ``text``, line by line."""
    tokenizer = blank_tokenizer()
    lines = text.split("\n")
    offset = 0
    for line, doc in zip(lines, tokenizer.pipe(lines, batch_size=1000), strict=True):
        for tok in doc:
            if not tok.is_space:
                yield offset + tok.idx, offset + tok.idx + len(tok.text)
        offset += len(line) + 1


def tokenize(text: str) -> list[str]:
    """The token strings of ``text`` (convenience for tests and debugging)."""
    return [text[a:b] for a, b in token_spans(text)]
