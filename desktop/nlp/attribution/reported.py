"""Reported speech: a cue and the clause it reports, from the dependency parse.

Patterns: ``X said (that) ...`` and ``X told reporters that ...`` (the cue's clausal
complement), ``..., X said`` (the complement before the cue, or the clause the cue hangs from
as a parenthetical), ``according to X, ...`` / ``..., according to X`` (the clause the phrase
modifies), ``X denied the report`` (object of a verb tagged ``obj``), ``X's claim that ...``
(cue nouns), and chained cues (``he said, adding that ...``: the second cue borrows the
first one's subject).  A reported clause holding a quoted fragment is ``mixed``; one that is
all quotation is left to the direct step.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.domain import QuoteKind
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.speakers import (
    char_bounds,
    inherited_subject,
    is_source_head,
    mention_bounds,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

LEAD_TRIM = {"that", ",", ":", ";", "—", "–", "--", "-"}
TAIL_TRIM = {",", ".", ":", ";", "—", "–", "--", "-", "!", "?"}
# fmt: off
OBJ_PRONOUNS = {"it", "this", "that", "so", "them", "him", "her", "what", "which", "nothing",
                "something", "anything", "everything", "one", "me", "us", "you", "himself",
                "herself", "themselves"}
# fmt: on
MIN_CONTENT_WORDS = 2
# "LONDON (Reuters) - ", "WASHINGTON, Sept. 12 (AP) — ": a dateline opening the first paragraph
DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40}(?:,[^()\n]{1,30})?\s*\([^()\n]{1,40}\)\s*[-—–]+\s*")
CONTINUING = {
    "until",
    "because",
    "although",
    "though",
    "while",
    "since",
    "unless",
    "if",
    "before",
    "after",
    "whereas",
}
ANONYMITY = {"name", "identify", "authorize", "discuss", "speak"}


def _clause_range(head: Token, minus: Token | None = None) -> tuple[int, int] | None:
    """Token range of ``head``'s subtree, without ``minus``'s subtree when it is inside."""
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    if minus is None:
        return lo, hi
    m_lo, m_hi = minus.left_edge.i, minus.right_edge.i + 1
    if m_lo <= head.i < m_hi:
        return None
    if lo < m_lo and m_hi < hi and m_lo < head.i:
        return lo, hi  # a parenthetical cue: "The test, North Korea said, was its biggest"
    if m_lo > head.i:
        hi = min(hi, m_lo)
    else:
        lo = max(lo, m_hi)
    return lo, hi


def _trim(ctx: Context, lo: int, hi: int) -> tuple[int, int]:
    """Drop edge punctuation, a leading "that" and a dateline; keep a closing mark whose
    opening mark is inside the content ('... was likely "unstoppable"')."""
    doc = ctx.doc
    para_lo = ctx.paras[ctx.para_of(doc[lo].idx)][0] if lo < hi else 0
    if lo < hi and doc[lo].idx == para_lo:
        m = DATELINE.match(ctx.text, para_lo)
        if m:
            lo = max(lo, ctx.tok_at(m.end()))
    while lo < hi and (doc[lo].lower_ in LEAD_TRIM or doc[lo].is_space or ctx.is_mark(doc[lo])):
        lo += 1
    while hi > lo:
        last = doc[hi - 1]
        if ctx.is_mark(last) and hi - 2 >= lo:
            qi = ctx.in_quote[hi - 2]
            if qi >= 0 and ctx.quotes[qi].start > doc[lo].idx:
                break
        if not (last.text in TAIL_TRIM or last.is_space or ctx.is_mark(last)):
            break
        hi -= 1
    return lo, hi


def _cut_chained(ctx: Context, lo: int, hi: int, root: Token) -> int:
    """End of the content before a chained cue inside it ("..., adding that ...")."""
    doc = ctx.doc
    for i in range(max(lo, root.i + 1), hi):
        tok = doc[i]
        if tok.dep_ in ("conj", "advcl") and ctx.in_quote[i] == -1:
            lemma = ctx.cue_lemma(tok)
            chained = (
                lemma
                and not ctx.lex.verb_has(lemma, "weak")
                and (
                    any(c.dep_ == "ccomp" for c in tok.children)
                    or (tok.tag_ == "VBG" and ctx.lex.verb_has(lemma, "obj"))
                )
            )
            if chained:
                cut = tok.left_edge.i
                while cut > lo and doc[cut - 1].dep_ in ("cc", "punct"):
                    cut -= 1
                return cut if cut > root.i else hi
    return hi


def _span(ctx: Context, parts: list[Token]) -> tuple[int, int]:
    lo = min(p.left_edge.i for p in parts)
    hi = max(p.right_edge.i for p in parts) + 1
    return lo, _cut_chained(ctx, lo, hi, parts[0])


def _complement(ctx: Context, cue: Token, lemma: str) -> tuple[int, int] | None:
    """The reported content of a verb cue, as a token range: its clause complement, or
    what the verb's tags allow (object, "to" clause, tagged prepositions)."""
    tags = ctx.lex.verbs[lemma]
    weak = "weak" in tags
    for child in cue.children:
        if child.dep_ == "ccomp" and child.i != cue.i:
            if weak and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children):
                return None
            parts = [child]
            if child.i < cue.i:
                # "X was a juggernaut, Mr. Clarke said, until it went bankrupt"
                parts += [
                    c
                    for c in cue.children
                    if c.i > cue.i
                    and c.dep_ == "advcl"
                    and ctx.cue_lemma(c) is None
                    and any(m.dep_ == "mark" and m.lower_ in CONTINUING for m in c.children)
                ]
            return _span(ctx, parts)
    if not weak and (
        cue.dep_ == "parataxis"
        or (cue.dep_ == "advcl" and cue.i > cue.head.i and cue.nbor(-1).text == ",")
    ):
        if any(c.dep_ == "nsubj" for c in cue.children):
            return _clause_range(cue.head, minus=cue)
    parts: list[Token] = []
    right = [c for c in cue.children if c.i > cue.i]
    dobj = next((c for c in right if c.dep_ == "dobj"), None)
    xcomp = next((c for c in right if c.dep_ == "xcomp"), None) if "xcomp" in tags else None
    if xcomp is not None and xcomp.lemma_.lower() in ANONYMITY:
        return None  # "asked not to be named": the anonymity formula, not a statement
    if dobj is not None:
        if dobj.lower_ == "that" and dobj.pos_ == "SCONJ":
            return _span(ctx, [dobj])  # a misparsed "said that ..."
        clause = any(t.pos_ in ("VERB", "AUX") for t in dobj.subtree)
        pred = "pred" in tags and any(c.dep_ in ("oprd", "acomp") for c in right)
        if xcomp is not None or pred:
            parts.append(dobj)
        elif dobj.lower_ not in OBJ_PRONOUNS and ("obj" in tags or (clause and not tags)):
            parts.append(dobj)
    if xcomp is not None:
        parts.append(xcomp)
    if parts:
        parts += [c for c in right if c.dep_ in ("oprd", "acomp")]
    for child in right:
        if child.dep_ == "prep" and child.lower_ in tags:
            parts.extend(g for g in child.children if g.dep_ in ("pobj", "pcomp"))
    if not parts and not weak and not tags & {"obj", "xcomp", "pred"}:
        for child in right:
            if (
                child.dep_ == "advcl"
                and any(c.dep_ == "nsubj" for c in child.children)
                and not any(c.dep_ == "mark" and c.lower_ != "that" for c in child.children)
            ):
                parts.append(child)  # "said he would ..." parsed as an adverbial clause
                break
    if not parts:
        return None
    return _span(ctx, parts)


def _according(ctx: Context, tok: Token) -> tuple[tuple[int, int] | None, Token | None]:
    """Content and source of "according to X": the rest of the sentence, whichever side of
    the phrase it stands on (the phrase runs from "according" to the next comma)."""
    doc = ctx.doc
    to = doc[tok.i + 1]
    sent = tok.sent
    end = to.i + 1
    while (
        end < sent.end
        and doc[end].text not in (",", ";", ".", "!", "?", "—", "--")
        and ctx.in_quote[end] == -1
        and "\n" not in doc[end].text
    ):
        end += 1
    phrase = doc[to.i + 1 : end]
    speaker = next((c for c in to.children if c.dep_ == "pobj"), None)
    if speaker is None and len(phrase):
        nouns = [t for t in phrase if t.pos_ in ("NOUN", "PROPN", "PRON")]
        speaker = nouns[-1] if nouns else None
    lo, hi = sent.start, sent.end
    para = ctx.paras[ctx.para_of(tok.idx)]
    while lo < tok.i and doc[lo].idx < para[0]:
        lo += 1
    while hi > end and doc[hi - 1].idx >= para[1]:
        hi -= 1
    before = tok.i - lo
    after = hi - end
    if before > 2 and after <= 2:
        return (lo, tok.i), speaker
    if after > 2 and before <= 2:
        return (end, hi), speaker
    if before > 2 and after > 2:
        return (lo, hi), speaker  # "X, according to Y, is Z": the phrase is parenthetical
    return None, speaker


def _noun_cue(ctx: Context, tok: Token) -> tuple[tuple[int, int] | None, Token | None]:
    """ "X's claim that ...": a cue noun with an owner and a that-clause."""
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None or owner.lower_ in ("its", "their", "his", "her", "my", "our", "your"):
        return None, None
    for child in tok.children:
        if child.dep_ in ("acl", "ccomp") and any(
            c.lower_ == "that" and c.dep_ == "mark" for c in child.children
        ):
            return _clause_range(child), owner
    return None, None


def _kind(ctx: Context, lo: int, hi: int) -> tuple[QuoteKind, int]:
    """``mixed`` when the content holds a quotation; ``direct`` (with its index) when it is
    essentially one quotation."""
    inside = [qi for qi in set(ctx.in_quote[lo:hi]) if qi >= 0]
    if not inside:
        return QuoteKind.INDIRECT, -1
    words = sum(1 for t in ctx.doc[lo:hi] if not (t.is_punct or t.is_space))
    quoted = sum(
        1
        for i in range(lo, hi)
        if ctx.in_quote[i] >= 0 and not (ctx.doc[i].is_punct or ctx.doc[i].is_space)
    )
    if len(inside) == 1 and words and quoted >= 0.85 * words:
        return QuoteKind.DIRECT, inside[0]
    return QuoteKind.MIXED, -1


def reported_speech(ctx: Context, direct: list[Found]) -> list[Found]:
    """Indirect and mixed statements, skipping cues already used by direct quotations."""
    doc = ctx.doc
    used = {f.cue_tok for f in direct if f.cue_tok is not None}
    taken = [(f.start, f.end) for f in direct]
    out: list[Found] = []
    # "according to" first: it attributes its whole sentence, over any cue inside it
    ordered = sorted(doc, key=lambda t: t.lower_ != "according")
    for tok in ordered:
        if tok.i in used:
            continue
        qi = ctx.in_quote[tok.i]
        if qi >= 0 and ctx.long_quote(qi):
            continue  # the speaker's own words, not an attribution in the article's voice
        cue_end = tok
        speaker: Token | None = None
        rng = None
        low = tok.lower_
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            rng, speaker = _according(ctx, tok)
            cue_end = doc[tok.i + 1]
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in ctx.lex.nouns:
            rng, speaker = _noun_cue(ctx, tok)
        else:
            lemma = ctx.cue_lemma(tok)
            if lemma is None:
                continue
            rng = _complement(ctx, tok, lemma)
            if rng is not None:
                speaker = inherited_subject(tok)
        if rng is None or speaker is None or not is_source_head(speaker):
            continue
        lo, hi = _trim(ctx, *rng)
        parenthetical = lo < tok.i < hi - 1 and doc[tok.i - 1].i >= lo
        if hi - lo < MIN_CONTENT_WORDS or (lo <= speaker.i < hi and not parenthetical):
            continue
        kind, qi = _kind(ctx, lo, hi)
        start, end = char_bounds(doc, lo, hi)
        if kind is QuoteKind.DIRECT:
            start, end = ctx.quotes[qi].start, ctx.quotes[qi].end
        if any(min(end, b) - max(start, a) > 0.5 * min(end - start, b - a) for a, b in taken):
            continue
        s_lo, s_hi = mention_bounds(speaker)
        found = Found(
            start,
            end,
            kind,
            (tok.idx, cue_end.idx + len(cue_end.text)),
            tok.i,
            char_bounds(doc, s_lo, s_hi),
            speaker.i,
            quote_index=qi,
        )
        found.outer = low == "according"  # "according to" attributes its whole sentence
        out.append(found)
        taken.append((start, end))
    out.sort(key=lambda f: f.start)
    return out
