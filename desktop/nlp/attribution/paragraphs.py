"""Quotation paragraphs with no cue of their own, after the whole extraction.

News gives a source's words in a paragraph that holds only a quotation, right after the
paragraph where the source spoke (directly or in reported speech) or was introduced
("I asked baker Rosa Lind, who ..."), and adds quoted sentences after a reported
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
from desktop.nlp.attribution.direct import (
    continuing,
    ends_sentence,
    opens_sentence,
    sentence_like,
    whose,
)

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


def _chrome(ctx: Context) -> set[int]:
    """Paragraphs that are page furniture: links to other stories and photo captions."""
    text = ctx.text
    return {
        n
        for n, (lo, hi) in enumerate(ctx.paras)
        if LINK_LINE.match(text, lo, hi) or CAPTION_CREDIT.search(text, max(lo, hi - 90), hi)
    }


def drop_link_lines(ctx: Context, found: list[Found]) -> list[Found]:
    """Statements outside the paragraphs that link to other stories and outside photo
    captions (which repeat the story's words under a picture)."""
    links = _chrome(ctx)
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


# "... a major problem. https://t.co/x — Jane Roe (@janeroe) December 18, 2018": an embedded post
EMBED_SIGNATURE = re.compile(
    r"\s*(?:https?://\S+\s*)?[—–-]+\s*(?P<name>[^()@\n]{3,60}?)\s*\(@\w{1,30}\)\s*"
    r"(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*$"
)


def signed_paragraphs(ctx: Context, found: list[Found]) -> list[Found]:
    """Paragraphs signed by a person: an embedded post ("... — Jane Roe (@janeroe) Dec. 18,
    2018") or a pull quote that ends with its speaker's name alone ("... an emergency. Jane
    Roe").  The words before the signature are the person's own, with no marks (indirect)."""
    out: list[Found] = []
    text = ctx.text
    chrome = _chrome(ctx)
    for n, (lo, hi) in enumerate(ctx.paras):
        if n in chrome or any(lo <= f.start < hi for f in found):
            continue
        m = EMBED_SIGNATURE.search(text, lo, hi)
        if m is not None:
            name_lo, name_hi = m.start("name"), m.end("name")
            end, rule, why = m.start(), "paragraph.embedded_post", "a post signed by"
        else:
            ent = next((e for e in reversed(ctx.ents) if lo <= e.start_char < hi), None)
            if ent is None or ent.label_ != "PERSON" or ent.end_char != hi:
                continue
            before = text[lo : ent.start_char].rstrip()
            if len(ent) < 2 or not before or before[-1] not in '.!?)"”':
                continue
            name_lo, name_hi = ent.start_char, ent.end_char
            end, rule, why = len(before) + lo, "paragraph.pull_quote", "a pull quote signed by"
        while end > lo and text[end - 1] in " .\t":
            end -= 1
        start = lo
        if len(text[start:end].split()) < 6:
            continue
        span = ctx.doc.char_span(name_lo, name_hi, alignment_mode="expand")
        if span is None:
            continue
        f = Found(start, end, QuoteKind.INDIRECT, speaker=(name_lo, name_hi),
                  speaker_head=span.root.i)  # fmt: skip
        f.rule, f.reason = rule, f"indirect: {why} {text[name_lo:name_hi]}"
        out.append(f)
    return out


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
            f = continuing(
                ctx,
                qi,
                link,
                "paragraph.continuation",
                f"continuation after {whose(ctx, link)} statement, no cue of its own",
            )
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
