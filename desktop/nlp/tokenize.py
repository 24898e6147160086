"""Tokenizing without spaCy's worst case: long runs of text with no white space.

spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one at a time, which
takes time growing with the square of the run's length: 8,000 quotation marks in a row took
6 s, 50,000 hours, and one such article held up every article after it. Runs longer than
``LONG_RUN`` characters are tokenized in pieces of that length and the Docs joined, so the
Doc's text is still exactly the article's; news text (URLs included) has no such runs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LONG_RUN = 400
_LONG = re.compile(rf"\S{{{LONG_RUN + 1},}}")


def make_doc(nlp: Language, text: str) -> Doc:
    """``nlp.make_doc(text)``, in bounded time whatever the text holds."""
    if _LONG.search(text) is None:
        return nlp.make_doc(text)
    from spacy.tokens import Doc

    pieces: list[str] = []
    at = 0
    for run in _LONG.finditer(text):
        start, end = run.span()
        if start > at:
            pieces.append(text[at:start])
        pieces.extend(text[i : min(i + LONG_RUN, end)] for i in range(start, end, LONG_RUN))
        at = end
    if at < len(text):
        pieces.append(text[at:])
    return Doc.from_docs([nlp.make_doc(p) for p in pieces], ensure_whitespace=False)
