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
NON_SOURCES = {
    "it", "that", "this", "which", "what", "who", "there", "these", "those",
    "nothing", "something", "anything", "everything", "either", "whom", "whose",
}
TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
    "today", "yesterday", "tonight", "later", "earlier", "also", "then", "now", "again",
    "week", "month", "year", "morning", "evening", "afternoon", "night",
}


def subject_of(verb: Token) -> Token | None:
    """The verb's own subject, the agent of a passive, or None."""
    subj = None
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            if child.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                return verb.head  # "Smith, who said ..."
            return child
        if child.dep_ == "nsubjpass":
            subj = child
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    if subj is not None and subj.dep_ == "nsubjpass":
        return None  # "X was told" names the listener, not the speaker
    return subj


def inherited_subject(verb: Token, depth: int = 3) -> Token | None:
    """Subject of the verb, else of the verb it hangs from ("he said, adding that ...")."""
    tok = verb
    for _ in range(depth):
        subj = subject_of(tok)
        if subj is not None:
            return subj
        if tok.dep_ not in ("advcl", "conj", "xcomp", "ccomp", "dep", "pcomp") or tok.head is tok:
            return None
        if tok.dep_ == "ccomp" and tok.head.lemma_ not in ("go", "continue", "begin"):
            return None
        tok = tok.head
    return None


def is_source_head(tok: Token) -> bool:
    """Whether a subject token can name a source at all."""
    low = tok.lower_
    if low in NON_SOURCES or low in TIME_WORDS:
        return False
    if tok.pos_ in ("VERB", "AUX", "SCONJ", "PUNCT", "NUM", "ADV", "ADP"):
        return False
    if tok.pos_ == "DET":
        return low in ("many", "some", "others", "most")
    return tok.ent_type_ not in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "ORDINAL")


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
    while start < end and (doc[start].text in EDGE_JUNK or doc[start].lower_ in EDGE_JUNK):
        start += 1
    while end > start and (doc[end].text in EDGE_JUNK or doc[end].lower_ in EDGE_JUNK):
        end -= 1
    return start, end + 1


def char_bounds(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Character offsets of the token range ``[start, end)``."""
    last = doc[end - 1]
    return doc[start].idx, last.idx + len(last.text)
