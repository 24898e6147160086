"""What the text itself says about the people of ``people.py``: gender, roles, and the
mentions the recogniser missed.

- ``learn_from_entity``: a first name or honorific ("Ms.") and gendered role nouns give a
  gender; titles before a name ("Immigration lawyer Ronalee Carey", "Justice Sean Dunphy")
  and appositives ("Ravi Shah, Minister of Transport,") give roles;
- ``add_unlabelled``: a capitalised subject with an appositive that the recogniser did not
  label ("Ines, a resident of Larsby, was watching ...") is a person;
- ``add_echoes``: a capitalised word outside any entity that is the surname of one person
  already named ("Niederreiter has four goals") is a mention of that person;
- ``add_pronoun_votes``: a person who is the subject of a clause, alone of the people named
  in the sentence, and a personal pronoun inside that clause ("Wang told reporters she
  believes ...") are evidence of that person's gender (and that a short "organisation" so
  spoken of is a person).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.nlp.attribution.names import (
    FEMALE,
    MALE,
    PERSON_NOUNS,
    TITLES,
    gender_of,
    name_key,
    strip_titles,
)
from desktop.nlp.attribution.people import (
    HONORIFIC_GENDER,
    PRONOUN_GENDER,
    Mention,
    Named,
    People,
    role_key,
)

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

TITLE_DEPS = ("compound", "amod", "nmod")


def learn_from_entity(people: People, rec: Named, ent: SpacySpan) -> None:
    """Gender and roles from the entity's own words, its title and its appositives."""
    doc = people.doc
    words = [t.lower_ for t in ent]
    person = rec.type == "PERSON"
    g = gender_of(strip_titles(ent.text).split()[:1]) if person else None
    if g:
        rec.votes[g] += 2
    titles: list[Token] = [
        t for t in ent if t.lower_.rstrip(".") in TITLES or t.lower_ in HONORIFIC_GENDER
    ]
    i = ent.start - 1
    while i >= 0 and doc[i].pos_ in ("NOUN", "PROPN", "ADJ") and doc[i].ent_type_ in ("", "PERSON"):
        if doc[i].dep_ not in TITLE_DEPS and doc[i].head.i < ent.start:
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
    learn_appositives(rec, ent.root, ent.start_char)
    if rec.type == "ORG" and len(ent) <= 3 and any(r in PERSON_NOUNS for r in rec.roles):
        rec.type = "PERSON"  # "Lee Ortiga, executive director of ...", labelled ORG


def learn_appositives(rec: Named, root: Token, at: int) -> None:
    """Roles (and gendered nouns) from "X, the coach," and "The coach, X,"."""
    apps = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":
        apps.append(root.head)
    for app in apps:
        if app.pos_ not in ("NOUN", "PROPN") or app.ent_type_ == "PERSON":
            continue
        for head in [app, *[c for c in app.children if c.dep_ == "conj"]]:
            rec.roles.setdefault(role_key(head.lemma_), at)
            low = head.lower_
            if rec.type == "PERSON" and (low in FEMALE or low in MALE):
                rec.votes["f" if low in FEMALE else "m"] += 3


def add_unlabelled(people: People, in_quote: list[int], para_of: object) -> None:
    """ "Ines, a resident of Larsby, was watching ...": a capitalised subject outside any
    entity, with a noun appositive, is a person the recogniser missed."""
    for tok in people.bare_names:
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        if tok.i in people.by_token or in_quote[tok.i] >= 0:
            continue
        apps = [c for c in tok.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if not apps or people.in_credit(tok.idx, tok.idx + len(tok.text)):
            continue
        lo = min([tok.i] + [c.i for c in tok.children if c.dep_ == "compound" and c.i < tok.i])
        name = people.doc[lo : tok.i + 1].text
        tokens = name_key(name)
        if not tokens:
            continue
        rec = people.find(tokens, "PERSON")
        if rec is None:
            rec = Named(len(people.named), name, "PERSON", tokens)
            people.named.append(rec)
        people.add_mention(rec, lo, tok.i + 1, tok, in_quote, para_of)
        learn_appositives(rec, tok, tok.idx)
    for rec in people.named:
        rec.mentions.sort(key=lambda m: m.start)


def add_echoes(people: People, in_quote: list[int], para_of: object) -> None:
    """Surnames the recogniser missed: "Niederreiter has four goals"."""
    surnames: dict[str, Named | None] = {}
    for rec in people.named:
        if rec.type == "PERSON":
            key = rec.tokens[-1]
            surnames[key] = None if key in surnames and surnames[key] is not rec else rec
    if not surnames:
        return
    for tok in people.bare_names:
        owner = surnames.get(tok.lower_)
        if owner is None or tok.i in people.by_token:
            continue
        if people.in_credit(tok.idx, tok.idx + len(tok.text)):
            continue
        people.add_mention(owner, tok.i, tok.i + 1, tok, in_quote, para_of)
    for rec in people.named:
        rec.mentions.sort(key=lambda m: m.start)


def add_pronoun_votes(people: People, in_quote: list[int]) -> None:
    """Gender from the pronouns of clauses whose subject is the only person named in the
    sentence ("Smith said his ..."), outside quotation marks and not as the verb's object."""
    doc = people.doc
    by_sent: dict[int, list[tuple[Named, Mention]]] = {}
    for rec in people.named:
        if rec.type == "PERSON" or (rec.type == "ORG" and len(rec.tokens) <= 3):
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
                    if in_quote[tok.i] >= 0 or _disjoint(tok, verb):
                        continue  # the speaker's own words; "he assured her": someone else
                    # in the subject's own clause ("said with a look on his face") a
                    # pronoun is surely theirs; in a reported clause ("said she had to be
                    # perfect") it may be someone else's: half the weight
                    rec.votes[PRONOUN_GENDER[tok.lower_]] += 1 if _reported(tok, verb) else 2
                    rec.type = "PERSON"  # "Morgan Smith said she ...", labelled ORG
                    break


def _reported(tok: Token, verb: Token) -> bool:
    """Whether ``tok`` sits in a clause ``verb`` governs (its complement or another clause)."""
    while tok.i != verb.i and tok.head.i != tok.i:
        if tok.dep_ in ("ccomp", "xcomp", "advcl", "relcl", "conj") and tok.pos_ in ("VERB", "AUX"):
            return True
        tok = tok.head
    return False


def _disjoint(pron: Token, verb: Token) -> bool:
    """A pronoun that cannot be the subject of ``verb``: a non-reflexive object of that
    verb or of a preposition on it ("Colton assured her", "he spoke to her")."""
    if pron.lower_.endswith(("self", "selves")):
        return False
    if pron.head.i == verb.i and pron.dep_ in ("dobj", "iobj", "dative"):
        return True
    return pron.dep_ == "pobj" and pron.head.head.i == verb.i
