"""Label attributions: a paragraph (or a quoted transcript line) that opens with a short
name and a colon, as headlines and interview transcripts do: ``Pence: Flowers won't be at
the debate`` / ``"WALLACE: Let's start with ..."``.  The name is the speaker, the colon the
cue and the rest of the paragraph the statement."""

from __future__ import annotations

import re
from collections import Counter

from desktop.domain import QuoteKind
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.speakers import char_bounds

_LABEL = re.compile(r"([^:\n]{2,50}?):[ \t\u00a0]+(?=\S)")
# fmt: off
NOT_LABELS = {
    "note", "editor's note", "editor’s note", "update", "updated", "correction", "photo",
    "video", "watch", "related", "read more", "read", "source", "sources", "abstract",
    "warning", "q", "a", "question", "answer", "by", "credit", "image", "caption", "tags",
    "listen", "subscribe", "see also", "also", "more", "disclosure", "advertisement",
    "clarification", "transcript", "summary", "background", "context", "example", "why",
    "how", "what", "when", "where", "who", "bottom line", "the bottom line", "location",
    "date", "time", "topic", "subject", "title", "headline", "contact", "email", "phone",
}
# fmt: on
MAX_LABEL_WORDS = 6
QUOTES = "\"“”'‘"


def _label_ok(ctx: Context, start: int, end: int) -> bool:
    label = ctx.text[start:end].strip(" \"“”'‘’")
    if not label or label.lower() in NOT_LABELS or any(c.isdigit() for c in label):
        return False
    words = label.split()
    if len(words) > MAX_LABEL_WORDS or not words[0][:1].isupper():
        return False
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or any(ctx.cue_lemma(t) for t in span):
        return False  # "He said:" is the direct step's business
    if any(t.tag_.startswith("VB") or t.pos_ in ("VERB", "AUX") for t in span):
        return False  # a headline clause ("The Gap Goes On:"), not a name
    if len(words) == 1:
        return words[0][:1].isupper() and (not label.isupper() or _names_someone(ctx, label))
    if label.isupper():
        return _names_someone(ctx, label)
    named = sum(1 for t in span if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"))
    return named * 2 >= len(span)  # mostly a name: "Elizabeth Warren", not a header


def _capital_labels(ctx: Context) -> Counter[str]:
    """How many paragraphs each all-capitals label opens."""
    out: Counter[str] = Counter()
    for lo, hi in ctx.paras:
        m = _LABEL.match(ctx.text, lo, hi)
        if m and m.group(1).strip(QUOTES).isupper():
            out[m.group(1).strip(QUOTES)] += 1
    return out


def _names_someone(ctx: Context, label: str) -> bool:
    """An all-capitals label is a speaker in a transcript (some label opens more than one
    paragraph: "HOST: ... MORALES: ... HOST: ...") or when its last word is a person named
    elsewhere in the article; else it is a section heading ("ENERGY:", "U.S.-CHINA
    RELATIONS:")."""
    if max(_capital_labels(ctx).values(), default=0) > 1:
        return True
    last = label.split()[-1].title()
    return any(e.label_ == "PERSON" and last in e.text.split() for e in ctx.ents)


def label_statements(ctx: Context, taken: list[Found]) -> list[Found]:
    """Statements introduced by a "Name:" label at the start of a paragraph."""
    out: list[Found] = []
    text = ctx.text
    for lo, hi in ctx.paras:
        head = lo
        while head < hi and text[head] in "\"“”'‘":
            head += 1
        m = _LABEL.match(text, head, hi)
        if m is None or not _label_ok(ctx, m.start(1), m.end(1)):
            continue
        start, end = m.end(), hi
        while start < end and text[start] in "\"“”'‘":
            start += 1
        while end > start and text[end - 1] in "\"“”'’":
            end -= 1
        if len(text[start:end].split()) < 3:
            continue
        label = ctx.doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if label is None:
            continue
        s_lo, s_hi = label.start, label.end
        inside = [qi for qi in set(ctx.in_quote[ctx.tok_at(start) : ctx.tok_at(end)]) if qi >= 0]
        kind = (
            QuoteKind.DIRECT
            if text[m.end() : m.end() + 1] in "\"“'‘" or (head > lo and inside)
            else QuoteKind.INDIRECT
        )
        f = Found(
            start,
            end,
            kind,
            (m.end(1), m.end(1) + 1),
            None,
            char_bounds(ctx.doc, s_lo, s_hi),
            label.root.i,
        )
        f.rule = "label.name_colon"
        f.reason = f"{kind}: paragraph opens with the label '{ctx.text[m.start(1) : m.end(1)]}:'"
        out.append(f)
    keep = []
    for f in out:
        clash = [o for o in taken if min(o.end, f.end) - max(o.start, f.start) > 0]
        if all(o.cue is None or o.follows_found is not None for o in clash):
            for o in clash:
                taken.remove(o)
            keep.append(f)
    return keep
