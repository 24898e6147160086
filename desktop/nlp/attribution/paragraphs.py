"""Quotation paragraphs with no cue of their own, after the whole extraction.

News gives a source's words in a paragraph that holds only a quotation, right after the
paragraph where the source spoke (directly or in reported speech) or was introduced
("I asked barber Robert McMillen, who ..."), and adds quoted sentences after a reported
statement in its own paragraph.  The direct step links quotations to the direct quotes they
follow; this step links the ones left over to any statement before them (sharing its source,
as a continuation), or to the person the previous paragraph introduced (that person's
mention becomes the speaker).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from desktop.domain import QuoteKind
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.direct import ends_sentence, opens_sentence, sentence_like, whose

if TYPE_CHECKING:
    from spacy.tokens import Span

INTRODUCED = ("PERSON",)
# "READ MORE: Minister says ...", "WATCH: ...": a link to another story, not this one's words
LINK_LINE = re.compile(
    r"[\"“]?(?:read more|read|watch|related|listen|video|photos?|more|see also|click here)\s*[:|]",
    re.IGNORECASE,
)

# a photo caption ends with its credit: "(Jane Roe/CBC)", "( Dreamstime )", "(Reuters)"
CAPTION_CREDIT = re.compile(
    r"\(\s*(?:[^()/\n]{1,40}/[^()\n]{1,40}|[A-Z][\w.]{2,}(?: [A-Z][\w.]*)?)\s*\)$"
)


def drop_link_lines(ctx: Context, found: list[Found]) -> list[Found]:
    """Statements outside the paragraphs that link to other stories and outside photo
    captions (which repeat the story's words under a picture)."""
    text = ctx.text
    links = {
        n
        for n, (lo, hi) in enumerate(ctx.paras)
        if LINK_LINE.match(text, lo, hi) or CAPTION_CREDIT.search(text, max(lo, hi - 90), hi)
    }
    if not links:
        return found
    return [f for f in found if ctx.para_of(f.start) not in links]


def _introduced(ctx: Context, para: int) -> Span | None:
    """The last person named outside quotation marks in paragraph ``para``."""
    lo, hi = ctx.paras[para]
    best = None
    for ent in ctx.ents:
        if ent.start_char >= hi:
            break
        if ent.start_char >= lo and ent.label_ in INTRODUCED and ctx.in_quote[ent.start] == -1:
            best = ent
    return best


def inside_marks(ctx: Context, found: list[Found]) -> list[Found]:
    """Direct quotes end at their closing mark: a direct statement that runs past the end of
    the quotation it starts in ('Lee: “We will win.” The crowd cheered') is cut there; one
    that starts in no quotation is mixed (words of the speaker's and of the article's)."""
    starts = [q.start for q in ctx.quotes]
    for f in found:
        if f.kind is not QuoteKind.DIRECT:
            continue
        i = bisect_right(starts, f.start) - 1
        holders = [q for q in ctx.quotes[max(0, i - 3) : i + 1] if q.start <= f.start < q.end]
        if not holders:
            f.kind = QuoteKind.MIXED
            continue
        q = max(holders, key=lambda q: q.end)  # the outermost of nested quotations
        if f.end > q.end:
            f.end = q.end
            while f.end > f.start and ctx.text[f.end - 1].isspace():
                f.end -= 1
    return found


def continuation_paragraphs(ctx: Context, found: list[Found]) -> list[Found]:
    """Statements for the sentence-like quotations that no statement covers yet."""
    out: list[Found] = []
    ordered = sorted(found, key=lambda f: f.start)
    for qi, q in enumerate(ctx.quotes):
        if ctx.q_words[qi] < 3 or any(f.start < q.end and q.start < f.end for f in ordered):
            continue
        if not (opens_sentence(ctx, qi) and ends_sentence(ctx, qi) and sentence_like(ctx, qi)):
            continue
        para_lo = ctx.paras[q.para][0]
        before = [f for f in ordered if f.end <= q.start and ctx.para_of(f.start) == q.para]
        opens_para = q.open_mark == para_lo
        if not before and opens_para and q.para > 0:
            before = [f for f in ordered if ctx.para_of(f.start) == q.para - 1]
        if before:
            link = before[-1]
            # the mention of the statement it continues, as PolNeAR annotates such quotes
            f = Found(
                q.start,
                q.end,
                QuoteKind.DIRECT,
                speaker=link.speaker,
                speaker_head=link.speaker_head,
                quote_index=qi,
            )
            f.follows_found = link
            f.rule = "paragraph.continuation"
            f.reason = f"continuation after {whose(ctx, link)} statement, no cue of its own"
        elif opens_para and q.para > 0 and (ent := _introduced(ctx, q.para - 1)) is not None:
            f = Found(
                q.start,
                q.end,
                QuoteKind.DIRECT,
                speaker=(ent.start_char, ent.end_char),
                speaker_head=ent.root.i,
                quote_index=qi,
            )
            name = ctx.text[ent.start_char : ent.end_char]
            f.rule = "paragraph.introduced"
            f.reason = f"quotation paragraph after the paragraph introducing {name}"
        else:
            continue
        out.append(f)
        ordered.append(f)
        ordered.sort(key=lambda g: g.start)
    return out
