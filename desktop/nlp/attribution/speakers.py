"""Speaker mentions: the noun phrase a cue attributes a statement to.

The mention is the subject's subtree without what only describes it at length (appositives,
relative clauses, parentheses), so "Park Won-gon, a professor at X, said" gives
"Park Won-gon" and "An official at Seoul's unification ministry, which ..., said" keeps its
prepositional phrase.  ``speaker_token`` finds that subject for a cue token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
DETACHED = {"appos", "relcl", "advcl", "parataxis"}
EDGE_JUNK = set(",;:—–-()[]\"“”‘’'") | {"and", "or", "but", "--"}
# Words that head a subject but never name a source.
# fmt: off
NON_SOURCES = {
    "that", "this", "which", "what", "who", "there", "these", "those",
    "nothing", "something", "anything", "everything", "either", "whom", "whose",
}
TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tonight", "later", "earlier", "also", "then", "now", "again",
    "week", "month", "year", "morning", "evening", "afternoon", "night",
}# fmt: on



def subject_of(verb: Token) -> Token | None:
    """The verb's own subject (the first that can name a source), the agent of a passive,
    or None."""
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            if is_relative(child):
                return child  # "Smith, who said ...": resolved to "Smith" later
            if is_source_head(child):
                return child
        elif child.dep_ == "nsubjpass" and verb.lemma_.lower() in ("quote", "cite"):
            return child  # "X was quoted as saying ...": the passive subject is the speaker
        elif child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None  # "X was told" names the listener, not the speaker


CLIMB = ("advcl", "conj", "xcomp", "pcomp", "prep", "acomp", "dep")


def inherited_subject(verb: Token, depth: int = 4) -> Token | None:
    """Subject of the verb, else of the verb it hangs from: "he said, adding that ...",
    "by saying that ...", "was able to tout ..."."""
    tok = verb
    for _ in range(depth):
        if tok.pos_ in ("VERB", "AUX"):
            subj = subject_of(tok)
            if subj is not None:
                return subj
            if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in tok.children):
                return None  # a subject that cannot name a source
        if tok.dep_ not in CLIMB or tok.head is tok:
            return None
        tok = tok.head
    return None


def is_relative(tok: Token) -> bool:
    """A relative pronoun subject: "who" in "Smith, who said ..."."""
    return tok.lower_ in ("who", "that", "which") and tok.head.dep_ == "relcl"


def antecedent(tok: Token) -> Token:
    """The noun a relative pronoun stands for, else the token itself."""
    return tok.head.head if is_relative(tok) else tok


def is_source_head(tok: Token) -> bool:
    """Whether a subject token can name a source at all."""
    low = tok.lower_
    if is_relative(tok):
        return is_source_head(tok.head.head)
    if low in NON_SOURCES or low in TIME_WORDS:
        return low in ("those", "some") and any(c.dep_ in ("amod", "relcl", "acl", "prep")
                                                for c in tok.children)
    if tok.pos_ in ("VERB", "AUX", "SCONJ", "PUNCT", "ADV", "ADP"):
        return False
    if tok.pos_ == "DET":
        return low in ("many", "some", "others", "most", "all", "both")
    if tok.ent_type_ in ("PERCENT",) or low in ("percent", "%"):
        return True  # "73 percent said ..." (poll respondents)
    if tok.pos_ == "NUM":  # "one of his advisers", not "2016"
        return any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
    return tok.ent_type_ not in ("DATE", "TIME", "MONEY", "ORDINAL") and (
        tok.ent_type_ != "CARDINAL" or tok.lower_ == "one"
    )


def mention_bounds(head: Token, blocked: set[int] | None = None) -> tuple[int, int]:
    """Token range ``[start, end)`` of the mention headed by ``head``: its subtree without
    appositives, relative clauses and anything across a line break."""
    excluded: set[int] = set()
    for tok in head.subtree:
        if tok.i != head.i and tok.dep_ in DETACHED and tok.i not in excluded:
            before = tok.left_edge.i - 1
            if tok.dep_ != "appos" or (before >= 0 and tok.doc[before].text in ",—–-"):
                excluded.update(t.i for t in tok.subtree)
        if "\n" in tok.text or "\n" in tok.whitespace_:
            if tok.i < head.i:
                excluded.update(range(head.left_edge.i, tok.i + 1))
            elif tok.i >= head.i:
                excluded.update(range(tok.i + 1, head.right_edge.i + 1))
                if "\n" in tok.text:
                    excluded.add(tok.i)
    blocked = blocked or set()
    members = {t.i for t in head.subtree} - excluded - blocked
    start = end = head.i
    while start - 1 in members:
        start -= 1
    while end + 1 in members:
        end += 1
    doc = head.doc
    while start < end and _edge_junk(doc[start]):
        start += 1
    while end > start and _edge_junk(doc[end]):
        end -= 1
    return start, end + 1


def _edge_junk(tok: Token) -> bool:
    return tok.lower_ in EDGE_JUNK or not any(c.isalnum() for c in tok.text)


def char_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the token range ``[start, end)``."""
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)
