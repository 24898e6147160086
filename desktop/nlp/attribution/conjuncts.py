"""A reported clause that goes on past a misparsed conjunction.

"... who said they had doubts about the ferry plan, but could not bear to insult the
mayor": the parser hung "could not bear" on a verb before the cue, so the content stopped at
the comma; it is the same speaker's second predicate (no subject of its own), so the
statement runs on to the end of the sentence.  ``run_on`` finds that end.
"""

from __future__ import annotations

from desktop.nlp.attribution.context import Context

JOINERS = {"and", "but", "or", "yet"}


def run_on(ctx: Context, lo: int, hi: int, cue: int) -> int:
    """The end of content ``[lo, hi)`` extended over ", and/but PREDICATE" up to its
    sentence's end, when that predicate has no subject of its own, hangs outside the
    content, holds no cue and no quotation mark; else ``hi``."""
    doc = ctx.doc
    i = hi
    while i < len(doc) and doc[i].text == ",":
        i += 1
    if i >= len(doc) or doc[i].lower_ not in JOINERS or i + 1 >= len(doc):
        return hi
    pred = doc[i + 1 : doc[i].sent.end]
    heads = [t for t in pred if not t.is_punct and not pred.start <= t.head.i < pred.end]
    if len(heads) != 1:
        return hi
    head = heads[0]
    if lo <= head.head.i < hi or head.head.i == cue:
        return hi  # attached inside the content or to the cue: the parse already knew
    if head.pos_ not in ("VERB", "AUX") or head.dep_ != "conj":
        return hi
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in head.children):
        return hi  # a clause with a subject of its own: maybe the writer's
    if any(ctx.cue_lemma(t) or ctx.in_quote[t.i] >= 0 or ctx.is_mark(t) for t in pred):
        return hi
    end = pred.end
    while end > hi and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return end


def semicolon_cut(ctx: Context, lo: int, hi: int) -> int:
    """Where content ``[lo, hi)`` meets a semicolon outside quotation marks, else ``hi``:
    "The board said the delay was not deliberate; it only heard of it on Tuesday"
    reports the first clause; after the semicolon the article goes on in its own voice."""
    doc = ctx.doc
    for i in range(lo + 3, hi - 1):
        if doc[i].text == ";" and ctx.in_quote[i] < 0:
            return i
    return hi
