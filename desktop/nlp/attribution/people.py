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
- **roles**: the nouns that describe it, from titles before the name ("Prime Minister Justin
  Trudeau", "coach Rod Smith") and appositives ("Navdeep Bains, Minister of Innovation,";
  "Yuni, a resident of Lampung"), so that "the prime minister" or "the resident" later (or
  earlier: "A judge ... Justice Sean Dunphy") finds them.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.nlp.attribution.credits import credit_spans, is_place_abbreviation
from desktop.nlp.attribution.names import (
    FEMALE,
    MALE,
    TITLES,
    gender_of,
    name_key,
    org_name,
    strip_titles,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

NOT_PERSON_WORDS = {
    "school",
    "hospital",
    "university",
    "college",
    "centre",
    "center",
    "street",
    "avenue",
    "road",
    "park",
    "church",
    "hall",
    "bridge",
    "airport",
    "station",
    "building",
    "tower",
    "arena",
    "stadium",
    "institute",
    "foundation",
    "inc",
    "ltd",
    "corp",
    "co",
    "group",
    "association",
    "society",
    "council",
    "court",
    "house",
    "office",
    "library",
    "museum",
}
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


def _own_name(ent: SpacySpan) -> str:
    """The entity's name without titles, a leading "the" or a possessive ending."""
    text = strip_titles(ent.text) if ent.label_ == "PERSON" else org_name(ent)
    for end in ("'s", "’s", "'", "’"):
        if text.endswith(end):
            text = text[: -len(end)]
    return text.strip()


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

    def __init__(
        self, doc: Doc, ents: list[SpacySpan], in_quote: list[int], para_of: object
    ) -> None:
        self.doc = doc
        text = doc.text
        self.credits = credit_spans(text)
        self._credit_starts = [a for a, _ in self.credits]
        self.sent_of: list[int] = [0] * len(doc)
        self.sent_starts: list[int] = []
        for si, sent in enumerate(doc.sents):
            self.sent_starts.append(sent.start_char)
            for i in range(sent.start, sent.end):
                self.sent_of[i] = si
        self.named: list[Named] = []
        self.by_token: dict[int, Named] = {}
        for ent in ents:
            if ent.label_ not in ("PERSON", "ORG") or self._junk(ent):
                continue
            name = _own_name(ent)
            tokens = name_key(name)
            if not tokens:
                continue
            rec = self._match(tokens, ent.label_)
            if rec is None:
                rec = Named(len(self.named), name, ent.label_, tokens)
                self.named.append(rec)
            elif len(tokens) > len(rec.tokens) and set(rec.tokens) <= set(tokens):
                rec.name, rec.tokens = name, tokens  # "Hemming" then "Brian Hemming"
            root = ent.root
            rec.mentions.append(
                Mention(
                    ent.start_char,
                    ent.end_char,
                    root.i,
                    para_of(ent.start_char),  # type: ignore[operator]
                    self.sent_of[root.i],
                    root.dep_ in SUBJECT_DEPS,
                    in_quote[ent.start] >= 0,
                )
            )
            for i in range(ent.start, ent.end):
                self.by_token[i] = rec
            self._learn(rec, ent)
        self._echoes(in_quote, para_of)
        self._pronoun_votes()

    # -- building ------------------------------------------------------------------
    def in_credit(self, start: int, end: int) -> bool:
        i = bisect_left(self._credit_starts, end)
        return any(a < end and start < b for a, b in self.credits[max(0, i - 3) : i])

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
            if len(ent) == 1 and is_place_abbreviation(self.doc.text, ent.start_char, ent.end_char):
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

    def _learn(self, rec: Named, ent: SpacySpan) -> None:
        """Gender and roles from the entity's own words, its title and its appositives."""
        doc = self.doc
        words = [t.lower_ for t in ent]
        person = rec.type == "PERSON"
        g = gender_of(strip_titles(ent.text).split()[:1]) if person else None
        if g:
            rec.votes[g] += 2
        i = ent.start - 1
        titles: list[Token] = [
            t for t in ent if t.lower_.rstrip(".") in TITLES or t.lower_ in HONORIFIC_GENDER
        ]
        while (
            i >= 0
            and doc[i].pos_ in ("NOUN", "PROPN", "ADJ")
            and doc[i].ent_type_ in ("", "PERSON")
        ):
            if doc[i].dep_ not in ("compound", "amod", "nmod") and doc[i].head.i < ent.start:
                break
            titles.append(doc[i])  # "Immigration lawyer Ronalee Carey", "Justice Sean Dunphy"
            i -= 1
        if i >= 0 and doc[i].lower_ in HONORIFIC_GENDER:
            titles.append(doc[i])
        for t in titles:
            low = t.lower_
            if low in HONORIFIC_GENDER:
                if person:
                    rec.votes[HONORIFIC_GENDER[low]] += 3
            elif t.pos_ in ("NOUN", "PROPN"):
                rec.roles.setdefault(role_key(t.lemma_), ent.start_char)
        if "prime" in words or (i + 1 < ent.start and doc[i + 1].lower_ == "prime"):
            rec.roles.setdefault("prime minister", ent.start_char)
        root = ent.root
        apps = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ == "appos" and root.head.pos_ == "NOUN":
            apps.append(root.head)  # "The coach, Rod Smith, said"
        for app in apps:
            if app.pos_ not in ("NOUN", "PROPN") or app.ent_type_ == "PERSON":
                continue
            for head in [app, *[c for c in app.children if c.dep_ == "conj"]]:
                rec.roles.setdefault(role_key(head.lemma_), ent.start_char)
                low = head.lower_
                if person and (low in FEMALE or low in MALE):
                    rec.votes["f" if low in FEMALE else "m"] += 3

    def _echoes(self, in_quote: list[int], para_of: object) -> None:
        """Surnames the recogniser missed: a capitalised word outside any entity that is the
        surname of one person already named ("Niederreiter has four goals")."""
        surnames: dict[str, Named | None] = {}
        for rec in self.named:
            if rec.type == "PERSON":
                key = rec.tokens[-1]
                surnames[key] = None if key in surnames and surnames[key] is not rec else rec
        if not surnames:
            return
        for tok in self.doc:
            if tok.ent_type_ or tok.pos_ != "PROPN" or not tok.text[:1].isupper():
                continue
            rec = surnames.get(tok.lower_)
            if rec is None or self.in_credit(tok.idx, tok.idx + len(tok.text)):
                continue
            rec.mentions.append(
                Mention(
                    tok.idx,
                    tok.idx + len(tok.text),
                    tok.i,
                    para_of(tok.idx),  # type: ignore[operator]
                    self.sent_of[tok.i],
                    tok.dep_ in SUBJECT_DEPS,
                    in_quote[tok.i] >= 0,
                )
            )
            self.by_token[tok.i] = rec
        for rec in self.named:
            rec.mentions.sort(key=lambda m: m.start)

    def find(self, tokens: tuple[str, ...], label: str) -> Named | None:
        """The record a name's words stand for (see ``_match``)."""
        return self._match(tokens, label) if tokens else None

    def _pronoun_votes(self) -> None:
        """A person who is the subject of a clause, alone of the people named in the
        sentence, and a personal pronoun inside that clause ("Wang told reporters she
        believes ...", "Smith said his ...") are evidence of that person's gender."""
        doc = self.doc
        by_sent: dict[int, list[tuple[Named, Mention]]] = {}
        for rec in self.named:
            if rec.type == "PERSON":
                for m in rec.mentions:
                    if not m.in_quote:
                        by_sent.setdefault(m.sent, []).append((rec, m))
        for pairs in by_sent.values():
            if len({rec.index for rec, _ in pairs}) != 1:
                continue
            for rec, m in pairs:
                if not m.subject:
                    continue
                verb = doc[m.token].head
                for tok in verb.subtree:
                    if tok.i > m.token and tok.lower_ in PRONOUN_GENDER:
                        rec.votes[PRONOUN_GENDER[tok.lower_]] += 1
                        break

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
