"""Who is named in an article: every person and organisation, its mentions, gender and roles.

The recogniser's PERSON and ORG entities are grouped into ``Named`` records by their words:
"Brian Hemming", "Mr. Hemming" and "Hemming" are one person, and so are "Jayme Closs" and
"Jayme"; a surname that two people share ("Closs") goes to the one named last.  Entities in
bylines, photo credits and datelines are left out, and so are the recogniser's usual
mistakes (a "person" with a digit, a school, a province abbreviation).

Each record learns from the text itself:
- **gender**: first names and honorifics ("Mr.", "Ms."), gendered role nouns in its
  appositives ("spokeswoman"), and the pronouns of sentences that name it alone ("Wang said
  she ...");
- **roles**: the nouns that describe it, from titles before the name ("Prime Minister Ana
  Ruiz", "coach Rod Smith") and appositives ("Ravi Shah, Minister of Transport,";
  "Ines, a resident of Larsby"), so that "the prime minister" or "the resident" later (or
  earlier: "A judge ... Justice Sean Dunphy") finds them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.nlp.attribution.credits import (
    caption_paragraphs,
    credit_spans,
    is_place_abbreviation,
)
from desktop.nlp.attribution.names import name_key, org_name, strip_titles

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

    from desktop.nlp.attribution.context import Context

# fmt: off
NOT_PERSON_WORDS = {
    "school", "hospital", "university", "college", "centre", "center", "street", "avenue",
    "road", "park", "church", "hall", "bridge", "airport", "station", "building", "tower",
    "arena", "stadium", "institute", "foundation", "inc", "ltd", "corp", "co", "group",
    "association", "society", "council", "court", "house", "office", "library", "museum",
}
# fmt: on
# Role nouns that name the same job: "the judge" is "Justice Sean Dunphy".
ROLE_SYNONYMS = {
    "justice": "judge",
    "pm": "minister",
    "premier": "premier",
    "spokeswoman": "spokesperson",
    "spokesman": "spokesperson",
    "chairwoman": "chair",
    "chairman": "chair",
    "ceo": "executive",
    "prosecutor": "prosecutor",
    "councillor": "councillor",
    "councilor": "councillor",
}
HONORIFIC_GENDER = {
    "mr": "m",
    "mr.": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "sir": "m",
    "madam": "f",
    "miss": "f",
}
PRONOUN_GENDER = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
SUBJECT_DEPS = ("nsubj", "nsubjpass")


def _appositive_of_subject(tok: Token) -> bool:
    """A name in apposition inside a subject ("Head of research at Northwind,
    Peter Walsh, agreed", however the parser hangs it): the subject too."""
    if tok.dep_ != "appos":
        return False
    for _ in range(6):
        tok = tok.head
        if tok.dep_ in SUBJECT_DEPS:
            return True
        if tok.dep_ not in ("appos", "pobj", "prep") or tok.head.i == tok.i:
            return False
    return False


def _own_name(ent: SpacySpan) -> str:
    """The entity's name without titles, a leading "the" or a possessive ending."""
    text = strip_titles(ent.text) if ent.label_ == "PERSON" else org_name(ent)
    for end in ("'s", "’s", "'", "’"):
        if text.endswith(end):
            text = text[: -len(end)]
    return text.strip()


def _line_pieces(ents: list[SpacySpan]) -> list[SpacySpan]:
    """The entities, those that run across a line break cut there ("The Canadian
    Press\nKaren Walker" is a byline's end and a name); a piece that opens with a known
    first name is a person, whatever the recogniser labelled the whole."""
    from spacy.tokens import Span

    from desktop.nlp.attribution.gender import first_name_gender

    out: list[SpacySpan] = []
    for ent in ents:
        if "\n" not in ent.text:
            out.append(ent)
            continue
        lo = ent.start
        doc = ent.doc
        for i in range(ent.start, ent.end + 1):
            if i == ent.end or "\n" in doc[i].text or "\n" in doc[i].whitespace_:
                hi = i if i == ent.end or "\n" in doc[i].text else i + 1
                if hi > lo:
                    label = ent.label_
                    if first_name_gender(doc[lo].text):
                        label = "PERSON"
                    out.append(Span(doc, lo, hi, label=label))
                lo = i + 1
    return out


def role_key(lemma: str) -> str:
    """The canonical form of a role noun: "justice" and "judge" are one role."""
    low = lemma.lower().strip(".")
    return ROLE_SYNONYMS.get(low, low)


@dataclass
class Mention:
    start: int  # characters
    end: int
    token: int  # the entity's root token
    para: int
    sent: int
    subject: bool  # the subject of its clause
    in_quote: bool  # inside quotation marks


@dataclass
class Named:
    """One person or organisation named in the article."""

    index: int
    name: str
    type: str  # PERSON or ORG
    tokens: tuple[str, ...]
    mentions: list[Mention] = field(default_factory=list)
    votes: Counter[str] = field(default_factory=Counter)
    roles: dict[str, int] = field(default_factory=dict)  # role -> first character it is seen

    @property
    def gender(self) -> str | None:
        m, f = self.votes["m"], self.votes["f"]
        if m > f:
            return "m"
        if f > m:
            return "f"
        return None

    def last_before(self, pos: int) -> Mention | None:
        best = None
        for m in self.mentions:
            if m.start >= pos:
                break
            best = m
        return best

    def first_after(self, pos: int) -> Mention | None:
        return next((m for m in self.mentions if m.start > pos), None)


class People:
    """The article's named people and organisations, built once per article."""

    def __init__(self, ctx: Context) -> None:
        from desktop.nlp.attribution import evidence  # it builds on the classes above

        doc, toks, in_quote, para_of = ctx.doc, ctx.tokens, ctx.in_quote, ctx.para_of
        self.doc = doc
        self.text = text = ctx.text
        self.credits = credit_spans(text)
        self._credit_starts = [a for a, _ in self.credits]
        self.captions = caption_paragraphs(text, ctx.paras, self.credits)
        self.sent_of: list[int] = [0] * len(toks)
        self.sent_starts: list[int] = [0]
        si = 0
        for t in toks:
            if t.i > 0 and t.is_sent_start:
                si += 1
                self.sent_starts.append(t.idx)
            self.sent_of[t.i] = si
        # capitalised proper nouns outside any entity: where missed names may be
        self.bare_names: list[Token] = [
            t for t in toks if t.text[:1].isupper() and t.pos_ == "PROPN" and not t.ent_type_
        ]
        self.named: list[Named] = []
        self.by_token: dict[int, Named] = {}
        for ent in _line_pieces(ctx.ents):
            if ent.label_ not in ("PERSON", "ORG") or self._junk(ent):
                continue
            if self._split_list(ent, in_quote, para_of):
                continue
            name = _own_name(ent)
            tokens = name_key(name)
            if not tokens:
                continue
            label = ent.label_
            if label == "ORG" and len(tokens) == 1 and self._match(tokens, "PERSON"):
                label = "PERSON"  # "Jayme" after "Jayme Closs", labelled ORG by the recogniser
            rec = self._match(tokens, label)
            if rec is None:
                rec = Named(len(self.named), name, label, tokens)
                self.named.append(rec)
            elif len(tokens) > len(rec.tokens) and set(rec.tokens) <= set(tokens):
                rec.name, rec.tokens = name, tokens  # "Hemming" then "Brian Hemming"
            self.add_mention(rec, ent.start, ent.end, ent.root, in_quote, para_of)
            evidence.learn_from_entity(self, rec, ent)
        evidence.add_unlabelled(self, in_quote, para_of)
        evidence.add_echoes(self, in_quote, para_of)
        evidence.add_pronoun_votes(self, in_quote)

    # -- building ------------------------------------------------------------------
    def add_mention(
        self, rec: Named, lo: int, hi: int, root: Token, in_quote: list[int], para_of: object
    ) -> None:
        """Record tokens ``[lo, hi)`` (headed by ``root``) as a mention of ``rec``."""
        doc = self.doc
        start, end = doc[lo].idx, doc[hi - 1].idx + len(doc[hi - 1].text)
        para = para_of(start)  # type: ignore[operator]
        subject = root.dep_ in SUBJECT_DEPS or _appositive_of_subject(root)
        rec.mentions.append(
            Mention(start, end, root.i, para, self.sent_of[root.i], subject, in_quote[lo] >= 0)
        )
        for i in range(lo, hi):
            self.by_token[i] = rec

    def in_credit(self, start: int, end: int) -> bool:
        i = bisect_left(self._credit_starts, end)
        return any(a < end and start < b for a, b in self.credits[max(0, i - 3) : i])

    def _split_list(self, ent: SpacySpan, in_quote: list[int], para_of: object) -> bool:
        """ "Smith and Brown" taken as one entity after "Mary Smith and Linda Brown": a
        mention of each person already named (True), not a new organisation."""
        cuts = [t.i for t in ent if t.lower_ == "and"]
        if not cuts or not self.named:
            return False
        bounds = [ent.start, *cuts, ent.end]
        parts: list[tuple[Named, int, int]] = []
        for lo, hi in zip(bounds, bounds[1:], strict=False):
            lo = lo + 1 if lo in cuts else lo
            words = name_key(self.doc[lo:hi].text) if hi > lo else ()
            rec = self._match(words, "PERSON") if words else None
            if rec is None:
                return False
            parts.append((rec, lo, hi))
        for rec, lo, hi in parts:
            self.add_mention(rec, lo, hi, self.doc[hi - 1], in_quote, para_of)
        return True

    def _junk(self, ent: SpacySpan) -> bool:
        text = ent.text
        if self.in_credit(ent.start_char, ent.end_char) or any(c.isdigit() for c in text):
            return True
        if "/" in text or "@" in text or not any(c.isupper() for c in text):
            return True
        if ent.label_ == "PERSON":
            words = name_key(text)
            if words and words[-1] in NOT_PERSON_WORDS:
                return True
            if len(ent) == 1 and is_place_abbreviation(self.text, ent.start_char, ent.end_char):
                return True
        return False

    def _match(self, tokens: tuple[str, ...], label: str) -> Named | None:
        """The record these words name: the same words, or a part of a longer name; a
        part that several records share ("Kim", "Closs") goes to the one mentioned most so
        far, the latest on a tie."""
        for rec in reversed(self.named):
            if rec.type == label and rec.tokens == tokens:
                return rec
        found: list[Named] = []
        for rec in reversed(self.named):
            if rec.type != label:
                continue
            if set(tokens) <= set(rec.tokens) or set(rec.tokens) <= set(tokens):
                if label == "PERSON" and len(tokens) == 1 and len(rec.tokens) > 1:
                    if tokens[0] not in (rec.tokens[0], rec.tokens[-1]):
                        continue  # a middle word is not a name of its own
                found.append(rec)
        if not found:
            return None
        return max(found, key=lambda r: (len(r.mentions), r.index))

    def find(self, tokens: tuple[str, ...], label: str) -> Named | None:
        """The record a name's words stand for (see ``_match``)."""
        return self._match(tokens, label) if tokens else None

    # -- questions -----------------------------------------------------------------
    def at(self, token: int) -> Named | None:
        """The record whose entity covers ``token``."""
        return self.by_token.get(token)

    def sentence_of_char(self, char: int) -> int:
        return max(0, bisect_left(self.sent_starts, char + 1) - 1)

    def with_role(
        self, role: str, pos: int, after_paras: int, para_of: object
    ) -> tuple[Named, bool] | None:
        """The person holding ``role`` named nearest before ``pos`` (else the first named
        after it, within ``after_paras`` paragraphs): the record and whether it was after."""
        key = role_key(role)
        before: tuple[int, Named] | None = None
        after: tuple[int, Named] | None = None
        for rec in self.named:
            if key not in rec.roles:
                continue
            last = rec.last_before(pos)
            if last is not None and (before is None or last.start > before[0]):
                before = (last.start, rec)
            nxt = rec.first_after(pos)
            if nxt is not None and (after is None or nxt.start < after[0]):
                after = (nxt.start, rec)
        if before is not None:
            return before[1], False
        if after is not None and para_of(after[0]) - para_of(pos) <= after_paras:  # type: ignore[operator]
            return after[1], True
        return None
