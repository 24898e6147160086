"""Reported speech: a cue and the clause it reports, from the dependency parse.

Patterns: ``X said (that) ...`` and ``X told reporters that ...`` (the cue's clausal
complement), ``..., X said`` and ``..., X said, until ...`` (the complement before the cue,
or the clause a parenthetical cue hangs from), ``as X noted, ...`` (verbs tagged ``aside``),
``according to X, ...`` / ``..., according to X`` (source phrases of the lexicon: the rest of
the sentence), ``X denied the report`` / ``X vowed to fight`` / ``X called for ...`` (object,
"to" clause or tagged preposition, as the verb's tags allow), ``X's claim that ...`` (cue
nouns), and chained cues (``he said, adding that ...``: the second cue borrows the first
one's subject).  A reported clause holding a quoted fragment is ``mixed``; one that is all
quotation is ``direct``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.domain import QuoteKind
from desktop.nlp.attribution.complements import clause_range, complement
from desktop.nlp.attribution.conjuncts import run_on, semicolon_cut
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.speakers import (
    char_bounds,
    inherited_subject,
    is_source_head,
    mention_bounds,
    subject_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

LEAD_TRIM = {"that", ",", ":", ";", "—", "–", "--", "-"}
# a leading "that" the statement needs: a subject or determiner ("said that was the end")
OWN_WORD_DEPS = ("nsubj", "nsubjpass", "det")
TAIL_TRIM = {",", ".", ":", ";", "—", "–", "--", "-", "!", "?"}
MIN_CONTENT_WORDS = 2
# What a cue's object, "to" clause or prepositional object holds is an act, a topic or an
# intention ("denied the request", "refused to comment", "talked about the trip"), not the
# words somebody said: measured on the Gender Gap Tracker's dev half, 8 in 9 such
# attributions are not quotes.  A judgement ("called the plan a disaster") still counts.
NOT_STATEMENTS = frozenset({"object", "to_clause", "preposition"})
RULE_REASONS = {
    "request": 'the "to" clause of a request',
    "quoted_object": "the object of the cue, with words in quotation marks",
    "quoted_to_clause": 'the "to" clause of the cue, with words in quotation marks',
    "quoted_preposition": "the object of the cue's preposition, with words in quotation marks",
    "clause": "the clause the cue reports",
    "object": "the object of the cue",
    "judgement": "what the cue calls its object",
    "proposition": "the claim the cue's object stands for",
    "to_clause": 'the "to" clause of the cue',
    "preposition": "the object of the cue's preposition",
    "aside": 'the sentence an "as X said" aside attributes',
    "parenthetical": "the sentence around a parenthetical cue",
    "source_phrase": "the sentence of a source phrase",
    "noun": 'the "that" clause of a statement noun',
    "clause_before": "the clause before the cue that closes its sentence",
}
# "LONDON (Reuters) - ", "WASHINGTON, Sept. 12 (AP) — ": a dateline opening the first paragraph
DATELINE = re.compile(r"[A-Z][A-Z .'’-]{1,40}(?:,[^()\n]{1,30})?\s*\([^()\n]{1,40}\)\s*[-—–]+\s*")


def _request(ctx: Context, cue: Token, lemma: str) -> Token | None:
    """The "to" clause of a directive (``directive`` in the lexicon: urge, ask, implore,
    call on): "urged X to act", "asked X to stop", "called on X to resign" report a request
    made in words.  Without the "to" clause ("asked questions") it reports no statement."""
    if not ctx.lex.verb_has(lemma, "directive"):
        return None
    heads = [cue] + [c for c in cue.children if c.dep_ == "prep"]
    heads += [g for h in heads[1:] for g in h.children if g.dep_ == "pobj"]
    for h in heads:
        for c in h.children:
            if c.dep_ in ("xcomp", "advcl", "acl") and c.pos_ in ("VERB", "AUX") and c.i > cue.i:
                if any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    return c
    return None


def _quotes_words(ctx: Context, lo: int, hi: int) -> bool:
    """Whether tokens ``[lo, hi)`` hold a whole quotation of two words or more: an act or
    topic with somebody's own words in it ('promised "jobs, jobs, jobs"') reports them."""
    a, b = ctx.doc[lo].idx, ctx.doc[hi - 1].idx + len(ctx.doc[hi - 1].text)
    return any(
        a <= q.start and q.end <= b and ctx.q_words[qi] >= 2 for qi, q in enumerate(ctx.quotes)
    )


def _trim(ctx: Context, lo: int, hi: int) -> tuple[int, int]:
    """Drop edge punctuation, a leading "that" (the conjunction) and a dateline; keep a
    closing mark whose opening mark is inside the content ('... was likely "unstoppable"')."""
    doc = ctx.doc
    para_lo = ctx.paras[ctx.para_of(doc[lo].idx)][0] if lo < hi else 0
    if lo < hi and doc[lo].idx == para_lo:
        m = DATELINE.match(ctx.text, para_lo)
        if m:
            lo = max(lo, ctx.tok_at(m.end()))
    while lo < hi and (
        (doc[lo].lower_ in LEAD_TRIM and doc[lo].dep_ not in OWN_WORD_DEPS)
        or doc[lo].is_space
        or ctx.is_mark(doc[lo])
    ):
        lo += 1
    if lo < hi and (qi := ctx.in_quote[hi - 1]) >= 0 and ctx.quotes[qi].start > doc[lo].idx:
        # the content stops inside a quoted fragment: run on to its closing mark
        while hi < len(doc) and doc[hi].idx <= ctx.quotes[qi].end and ctx.quotes[qi].closed:
            hi += 1
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


def _in_paragraph(ctx: Context, cue: Token, rng: tuple[int, int]) -> tuple[int, int]:
    """Clip a token range to the cue's paragraph: a parse can run a headline into the next
    line, a statement never does."""
    p_lo, p_hi = ctx.paras[ctx.para_of(cue.idx)]
    return max(rng[0], ctx.tok_at(p_lo)), min(rng[1], ctx.tok_at(p_hi))


def _passive_participle(tok: Token) -> bool:
    """ "Asked whether ..., Smith said": a bare past participle reports what someone else
    said to the subject, not the subject's statement."""
    if any(c.dep_ in ("aux", "nsubj", "nsubjpass") for c in tok.children):
        return False
    if tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl", "amod"):
        return True
    # "Asked what he would tell the mayor, Brooks says: ..." tagged as a finite verb
    first = tok.i == 0 or tok.nbor(-1).is_space or tok.nbor(-1).text in '.!?"“”'
    return first and tok.tag_ in ("VBN", "VBD") and tok.text[:1].isupper()


NP_TAGS = {"NOUN", "PROPN", "DET", "ADJ", "ADP", "PUNCT", "CCONJ", "NUM", "PART", "PRON"}


def paragraph_subject(ctx: Context, cue: Token) -> Token | None:
    """The noun phrase that opens the cue's paragraph and runs up to it, when the parser
    hung it on the previous paragraph ("A spokeswoman for the mayor said ..." parsed as an
    appositive of the paragraph before): the subject a reader sees."""
    doc = ctx.doc
    lo = ctx.tok_at(ctx.paras[ctx.para_of(cue.idx)][0])
    if not 0 < cue.i - lo <= 12:
        return None
    words = doc[lo : cue.i]
    if any(t.pos_ not in NP_TAGS or ctx.in_quote[t.i] != -1 for t in words):
        return None
    heads = [t for t in words if t.pos_ in ("NOUN", "PROPN", "PRON") and not lo <= t.head.i < cue.i]
    return heads[0] if heads and is_source_head(heads[0]) else None


def _outer_speaker(ctx: Context, cue: Token) -> Token | None:
    """ "X argued that the move hurt his group, noting that ...": an "-ing" cue the parser
    hung on the reported clause belongs to whoever reported that clause."""
    head = cue.head
    if cue.tag_ != "VBG" or cue.dep_ not in ("advcl", "conj") or head.dep_ != "ccomp":
        return None
    if ctx.cue_lemma(head.head) is None:
        return None
    subj = subject_of(head.head)
    return subj if subj is not None and is_source_head(subj) else None


def _negated(tok: Token) -> bool:
    """ "Singh won't say what he'll do", "did not say whether": a statement not made."""
    return any(c.dep_ == "neg" for c in tok.children)


def _source_phrase(ctx: Context, tok: Token, n: int) -> tuple[tuple[int, int] | None, Token | None]:
    """Content and source of "according to X" (any ``n``-word source phrase of the lexicon):
    the rest of the sentence, whichever side of the phrase it stands on (the phrase runs from
    its first word to the next comma)."""
    doc = ctx.doc
    to = doc[tok.i + n - 1]
    para = ctx.paras[ctx.para_of(tok.idx)]
    if doc.has_annotation("SENT_START"):
        sent = tok.sent
        sent_lo, sent_hi = sent.start, sent.end
    else:  # no parser or sentencizer: the paragraph stands in for the sentence
        sent_lo, sent_hi = ctx.tok_at(para[0]), ctx.tok_at(para[1])
    end = to.i + 1
    while (
        end < sent_hi
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
    lo, hi = sent_lo, sent_hi
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
        if doc.has_annotation("DEP") and _tail_of_source(doc, lo, tok.i, end, hi):
            return (lo, tok.i), speaker
        return (lo, hi), speaker  # "X, according to Y, is Z": the phrase is parenthetical
    return None, speaker


def _tail_of_source(doc: Doc, lo: int, phrase: int, end: int, hi: int) -> bool:
    """ "X rose 9%, according to Y, more than last year": the sentence's verb comes before
    the source phrase and nothing after the phrase continues it with a verb of its own
    ("..., according to Y, and will reopen", "X said that, according to Y, Z was ...")."""
    root = doc[phrase].sent.root
    if not lo <= root.i < phrase:
        return False
    tail = [t for t in doc[end:hi] if not (t.is_punct or t.is_space)]
    if not tail or tail[0].pos_ in ("CCONJ", "SCONJ"):
        return False
    return not any(
        t.pos_ in ("VERB", "AUX")
        and t.head.i < phrase
        and (
            t.dep_ in ("conj", "ccomp")
            or (t.dep_ == "advcl" and any(c.dep_ == "mark" for c in t.children))
        )
        for t in tail
    )


def _noun_cue(ctx: Context, tok: Token) -> tuple[tuple[int, int] | None, Token | None]:
    """ "X's claim that ...": a cue noun with an owner and a that-clause."""
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)
    if owner is None or owner.lower_ in ("its", "their", "his", "her", "my", "our", "your"):
        return None, None
    for child in tok.children:
        if child.dep_ in ("acl", "ccomp") and any(
            c.lower_ == "that" and c.dep_ == "mark" for c in child.children
        ):
            return clause_range(child), owner
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
    # source phrases first: "according to X" attributes its whole sentence, over any cue in it
    phrase_len = {i: n for i in range(len(doc)) if (n := ctx.phrase_at(i))}
    tokens = ctx.tokens
    ordered = [tokens[i] for i in phrase_len] + [t for t in tokens if t.i not in phrase_len]
    for tok in ordered:
        if tok.i in used:
            continue
        qi = ctx.in_quote[tok.i]
        if qi >= 0 and ctx.long_quote(qi):
            continue  # the speaker's own words, not an attribution in the article's voice
        cue_end = tok
        speaker: Token | None = None
        rng = None
        lemma = None
        if tok.i in phrase_len:
            rng, speaker = _source_phrase(ctx, tok, phrase_len[tok.i])
            cue_end = doc[tok.i + phrase_len[tok.i] - 1]
            rule = "source_phrase"
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in ctx.lex.nouns:
            rng, speaker = _noun_cue(ctx, tok)
            rule = "noun"
        else:
            lemma = ctx.cue_lemma(tok)
            if lemma is None or _passive_participle(tok) or _negated(tok):
                continue
            hit = complement(ctx, tok, lemma)
            if hit is not None and hit[1] in NOT_STATEMENTS and _quotes_words(ctx, *hit[0]):
                hit = hit[0], "quoted_" + hit[1]  # 'vowed to punish "those who leak"'
            elif hit is not None and hit[1] in NOT_STATEMENTS:
                act = _request(ctx, tok, lemma)  # "urged supporters to monitor polling places"
                if act is not None:
                    hit = (hit[0][0], max(hit[0][1], act.right_edge.i + 1)), "request"
            if hit is not None and hit[1] not in NOT_STATEMENTS:
                rng, rule = hit
                speaker = _outer_speaker(ctx, tok) or inherited_subject(tok)
                if speaker is None or ctx.para_of(speaker.idx) != ctx.para_of(tok.idx):
                    speaker = paragraph_subject(ctx, tok) or speaker
        if rng is None or speaker is None or not is_source_head(speaker):
            continue
        if ctx.para_of(speaker.idx) != ctx.para_of(tok.idx):
            continue
        lo, hi = _trim(ctx, *_in_paragraph(ctx, tok, rng))
        if rule == "clause":
            hi = run_on(ctx, lo, hi, tok.i)
        hi = semicolon_cut(ctx, lo, hi)
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
        found.outer = tok.i in phrase_len  # a source phrase attributes its whole sentence
        cue_text = ctx.text[tok.idx : cue_end.idx + len(cue_end.text)]
        found.rule = f"reported.{rule}"
        found.reason = f"{kind}: {RULE_REASONS[rule]}, cue '{cue_text}'"
        out.append(found)
        taken.append((start, end))
    out.sort(key=lambda f: f.start)
    return out
