"""A change of subject between a cue-less quotation and the statement before it.

'"A," says Vale. Orrin needed no persuading. "B."': B is not Vale's but Orrin's,
the person the sentence between is about.  The direct step asks ``new_subject`` before it
links a quotation with no cue of its own to the quotation before it.
"""

from __future__ import annotations

from desktop.domain import QuoteKind
from desktop.nlp.attribution.context import Context, Found

PRONOUNS = {"he", "she", "they", "it", "i", "we", "you"}


def person_words(ctx: Context) -> set[str]:
    """The words of the article's PERSON entities ("Jeanine", "Durning")."""
    return {t.text for e in ctx.ents if e.label_ == "PERSON" for t in e}


def new_subject(
    ctx: Context, lo: int, hi: int, link: Found, people: set[str]
) -> tuple[int, int, int] | None:
    """The person a sentence between characters ``lo`` and ``hi`` is about, when it is not
    ``link``'s speaker: '"A," says House. Durning did not need coaxing. "B."' makes B
    Durning's.  The sentence lies wholly between, outside quotation marks, with a named
    person (a word of the article's PERSON entities, ``people``; one person, not a list) as
    the subject of its main verb, and that verb is no cue.  The name's characters and its
    head token."""
    found = None
    for i in range(ctx.tok_at(lo), ctx.tok_at(hi)):
        tok = ctx.tokens[i]
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.pos_ != "PROPN":
            continue
        if tok.ent_type_ != "PERSON" and tok.text not in people:
            continue
        if any(c.dep_ == "conj" for c in tok.children):
            continue  # "Marsh and Ekdahl have also won": background, not a speaker
        verb = tok.head
        if verb.dep_ != "ROOT" or ctx.in_quote[i] != -1 or ctx.cue_lemma(verb) is not None:
            continue
        sent = tok.sent
        if sent.start_char < lo or sent.end_char > hi + 1:
            continue
        first = min((c.i for c in tok.children if c.dep_ == "compound" and c.i < i), default=i)
        found = (ctx.tokens[first].idx, tok.idx + len(tok.text), i)
    if found is None or link.speaker is None:
        return None
    said = ctx.text[link.speaker[0] : link.speaker[1]].lower()
    if said in PRONOUNS or ctx.tokens[found[2]].lower_ in said:
        return None  # the same person (or one a pronoun may stand for): still theirs
    return found


def by_new_subject(ctx: Context, qi: int, who: tuple[int, int, int]) -> Found:
    """Quotation ``qi`` as the direct statement of the person ``new_subject`` found."""
    q = ctx.quotes[qi]
    f = Found(q.start, q.end, QuoteKind.DIRECT, speaker=who[:2], speaker_head=who[2],
              quote_index=qi)  # fmt: skip
    name = ctx.text[who[0] : who[1]]
    f.rule = "direct.new_subject"
    f.reason = f"direct: a quotation after a sentence about {name}, no cue of its own"
    return f
