"""Per-article lookup tables shared by the extraction steps: paragraphs, quotations, and
which quotation (if any) each token sits in."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import TYPE_CHECKING

from desktop.domain import QuoteKind
from desktop.nlp.attribution.lexicon import Lexicon
from desktop.nlp.attribution.marks import DOUBLE, Quotation, find_quotations, paragraphs

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

MARK_CHARS = set(DOUBLE) | {"‘", "’"}
# how the parser hangs a phrasal verb's particle on it ("went on", "shot back", "chimed in")
PARTICLE_DEPS = ("prt", "advmod", "prep")
# "as a memo put it": a verb whose fixed "it" object makes it a cue ("put_it" in the lexicon)
IT_OBJECT_DEPS = ("dobj",)


class Context:
    """One parsed article with its quotation marks paired."""

    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.doc = doc
        self.text = doc.text
        self.lex = lexicon
        self.paras = paragraphs(self.text)
        self._para_starts = [s for s, _ in self.paras]
        self.quotes: list[Quotation] = find_quotations(self.text)
        self.tokens: list[Token] = list(doc)  # spaCy builds a Token on every access
        self.lower = [t.lower_ for t in self.tokens]
        self.ents = list(doc.ents)
        self._phrase_starts = lexicon.phrase_starts
        self._phrasal_heads = {v.split("_")[0] for v in lexicon.verbs if "_" in v}
        self._tok_starts = [t.idx for t in self.tokens]
        self.in_quote = [-1] * len(doc)
        self.q_tokens: list[tuple[int, int]] = []
        self.q_words: list[int] = []
        for qi, q in enumerate(self.quotes):
            a = bisect_left(self._tok_starts, q.start)
            b = bisect_left(self._tok_starts, q.end)
            self.q_tokens.append((a, b))
            words = 0
            for i in range(a, b):
                if self.in_quote[i] == -1 or not q.single:
                    self.in_quote[i] = qi
                tok = self.tokens[i]
                if not (tok.is_punct or tok.is_space):
                    words += 1
            self.q_words.append(words)

    def para_of(self, char: int) -> int:
        """Index of the paragraph holding (or preceding) character ``char``."""
        return max(0, bisect_right(self._para_starts, char) - 1)

    def tok_at(self, char: int) -> int:
        """Index of the first token starting at or after ``char``."""
        return bisect_left(self._tok_starts, char)

    def is_mark(self, tok: Token) -> bool:
        return any(c in MARK_CHARS for c in tok.text) or tok.text in ("''", "``")

    def cue_lemma(self, tok: Token) -> str | None:
        """The token's lemma when it is a reporting verb of the lexicon."""
        if tok.pos_ not in ("VERB", "AUX") and not tok.tag_.startswith("VB"):
            return None
        lemma = tok.lemma_.lower()
        if lemma in self._phrasal_heads and tok.i + 1 < len(self.tokens):
            nxt = self.tokens[tok.i + 1]  # "she went on", "he shot back", "she chimed in"
            fixed_it = nxt.lower_ == "it" and nxt.dep_ in IT_OBJECT_DEPS
            if (
                nxt.head.i == tok.i
                and (nxt.dep_ in PARTICLE_DEPS or fixed_it)
                and not any(nxt.children)
            ):
                phrasal = f"{lemma}_{nxt.lower_}"
                if phrasal in self.lex.verbs:
                    return phrasal
        return lemma if lemma in self.lex.verbs else None

    def phrase_at(self, i: int) -> int:
        """Length in tokens of a source phrase of the lexicon ("according to", "in the words
        of") starting at token ``i``, else 0."""
        lower = self.lower
        if lower[i] not in self._phrase_starts:
            return 0
        for words in self.lex.phrases:
            n = len(words)
            if tuple(lower[i : i + n]) == words:
                return n
        return 0

    def long_quote(self, qi: int) -> bool:
        """A quotation long enough to be someone's words rather than a scare quote."""
        return qi >= 0 and self.q_words[qi] >= 4


class Found:
    """One attributed statement as the extractors find it (character offsets).

    ``follows_found`` is the earlier statement whose source this one shares (continuations);
    ``quote_index`` is the quotation it comes from, or -1.  ``rule`` names the extraction
    rule that found it (a short id such as "direct.cue_after", the key of its calibrated
    ``confidence``) and ``reason`` says it for a person; ``source_rule``, ``source_reason``
    and ``source_confidence`` do the same for the source resolution.
    """

    __slots__ = (
        "start",
        "end",
        "kind",
        "cue",
        "cue_tok",
        "speaker",
        "speaker_head",
        "follows_found",
        "quote_index",
        "source_key",
        "outer",
        "rule",
        "reason",
        "confidence",
        "source_rule",
        "source_reason",
        "source_confidence",
    )

    def __init__(
        self,
        start: int,
        end: int,
        kind: QuoteKind,
        cue: tuple[int, int] | None = None,
        cue_tok: int | None = None,
        speaker: tuple[int, int] | None = None,
        speaker_head: int | None = None,
        follows_found: Found | None = None,
        quote_index: int = -1,
    ) -> None:
        self.start = start
        self.end = end
        self.kind = kind
        self.cue = cue
        self.cue_tok = cue_tok
        self.speaker = speaker
        self.speaker_head = speaker_head
        self.follows_found = follows_found
        self.quote_index = quote_index
        self.source_key: str | None = None
        self.outer = False  # attributes its whole sentence, over any cue inside it
        self.rule = ""
        self.reason = ""
        self.confidence: float | None = None
        self.source_rule = ""
        self.source_reason = ""
        self.source_confidence: float | None = None

    def __repr__(self) -> str:
        return f"Found({self.start}, {self.end}, {self.kind}, speaker={self.speaker})"
