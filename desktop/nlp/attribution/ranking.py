"""Mention ranking for pronouns and anaphoric descriptions: who "she" or "the coach" is.

Every person named before the pronoun (outside quotations, bylines and credits) and every
unnamed source already quoted is a candidate.  A candidate of the other gender or number is
out; the rest are scored, and the best one wins:

- distance: one point off per sentence since its last mention;
- who spoke last: +3 when it is the source of the statement just before (news writes
  "X said ... . '...,' she said."), +0.5 only when someone else compatible has been the
  subject of a clause since ("Ines, a resident, was watching ... '...,' she said");
- grammatical role: +1 when its last mention was the subject of its clause, -2 when it is
  a mere object earlier in the pronoun's own sentence ("Asked what he would tell Mayor John
  Tory, he said");
- gender: +1.5 when its known gender matches the pronoun's;
- embedding: -1 when its last mention only qualifies another noun, as a possessor or the
  object of a preposition, or as a modifier ("urged the public not to guess at King
  Olav's plans. He said ...": the one urging, not the king; "the Ford government").

The explanation names the winning reason ("spoke last", "last female person named") and
how far back the mention is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

    from desktop.nlp.attribution.people import Named, People

SPOKE_LAST = 3.0
SPOKE_LAST_INTERRUPTED = 0.5
SUBJECT = 1.0
OBJECT_HERE = 2.0
GENDER = 1.5
EMBEDDED = 1.0
GENDER_WORDS = {"f": "female", "m": "male"}


@dataclass
class Candidate:
    """A person a pronoun may stand for: a named record or an unnamed source's key."""

    named: Named | None
    source_key: str | None
    gender: str | None
    last_char: int
    subject: bool
    embedded: bool = False  # its last mention qualifies a noun ("on Ali's abdication")


@dataclass
class Ranked:
    candidate: Candidate
    score: float
    spoke_last: bool
    sentences: int


def rank(
    people: People,
    candidates: list[Candidate],
    pos: int,
    gender: str | None,
    last_speaker: Candidate | None,
) -> Ranked | None:
    """The best candidate for a pronoun (or description) of ``gender`` at character
    ``pos``, or None when none is compatible."""
    here = people.sentence_of_char(pos)
    best: Ranked | None = None
    fit = [
        c
        for c in candidates
        if c.last_char < pos and not (gender and c.gender and c.gender != gender)
    ]
    spoken = (
        None if last_speaker is None else next((c for c in fit if _same(c, last_speaker)), None)
    )
    # interrupted: someone else compatible was a subject since the last speaker *spoke*
    # (a later mention of the speaker as a mere modifier, "the Ford government", is no turn)
    spoke_at = last_speaker.last_char if last_speaker is not None else -1
    interrupted = spoken is not None and any(
        c.subject and c.last_char > spoke_at and not _same(c, spoken) for c in fit
    )
    for cand in fit:
        d = max(0, here - people.sentence_of_char(cand.last_char))
        spoke = cand is spoken
        score = -float(d)
        if spoke:
            score += SPOKE_LAST_INTERRUPTED if interrupted else SPOKE_LAST
        if cand.subject:
            score += SUBJECT
        elif d == 0:
            score -= OBJECT_HERE
        score += GENDER if gender and cand.gender == gender else 0.0
        score -= EMBEDDED if cand.embedded else 0.0
        if best is None or score > best.score:
            best = Ranked(cand, score, spoke and not interrupted, d)
    return best


def embedded_in_noun(tok: Token) -> bool:
    """A mention that only qualifies another noun: its possessor ("Ali's abdication"), the
    object of a preposition hanging on a noun ("the wife of John Smith"), or a name used as
    a modifier ("the Ford government")."""
    if tok.dep_ == "poss":
        return tok.head.pos_ in ("NOUN", "PROPN") and tok.head.dep_ not in ("nsubj", "nsubjpass")
    if tok.dep_ == "pobj":
        return tok.head.head.pos_ in ("NOUN", "PROPN")
    return tok.dep_ == "compound" and tok.head.pos_ == "NOUN"  # "the Ford government"


def _same(a: Candidate, b: Candidate) -> bool:
    if a.named is not None and b.named is not None:
        return a.named is b.named
    return a.source_key is not None and a.source_key == b.source_key


def why(ranked: Ranked, gender: str | None, paragraphs: int) -> str:
    """The reason a ranked candidate won, for a person: "spoke last, 1 paragraph before"."""
    if ranked.spoke_last:
        reason = "spoke last"
    else:
        word = GENDER_WORDS.get(gender or "", "")
        if word and ranked.candidate.gender == gender:
            reason = f"last {word} person named"
        else:
            reason = "last person named"
    return f"{reason}, {where(paragraphs)}"


def where(paragraphs: int) -> str:
    """ "in this paragraph", "1 paragraph before", "3 paragraphs after" (negative: after)."""
    if paragraphs == 0:
        return "in this paragraph"
    n = abs(paragraphs)
    side = "before" if paragraphs > 0 else "after"
    return f"{n} paragraph{'s' if n > 1 else ''} {side}"
