"""Direct quotations: a pair of marks with a reporting cue beside it.

Patterns: ``"...," X said`` / ``"...," said X`` (cue after the closing mark, in the same
sentence), ``X said: "..."`` / ``X said "..."`` / ``X told reporters that "..."`` (cue just
before the opening mark, or anywhere before a colon, also at the end of the previous
paragraph).  Quotations with no cue of their own continue an attributed quotation of the same
paragraph, or of the previous paragraph when they open their paragraph.  Short fragments with
no cue (scare quotes, titles, nicknames) are left for the reported-speech step, which keeps
them only inside a reported clause.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.domain import QuoteKind
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.speakers import (
    char_bounds,
    inherited_subject,
    is_source_head,
    mention_bounds,
    subject_of,
)
from desktop.nlp.attribution.subject_change import by_new_subject, new_subject, person_words

if TYPE_CHECKING:
    from spacy.tokens import Token

ENDS = {".", "!", "?", ";"}
DASHES = {"―", "—", "–", "--", "-"}
TRAILING_OK = set(",?!…—–-:")
TELLS = {"tell", "ask", "inform", "assure", "remind", "warn", "advise", "brief", "write", "urge"}
# fmt: off
GLUE_WORDS = {"that", "on", "in", "at", "during", "to", "with", "a", "an", "the", "this",
              "last", "earlier", "then", "also", "simply", "only", "later", "once", "again",
              "statement", "interview", "speech", "letter", "post", "tweet", "email"}
GLUE_PREPS = {"on", "in", "at", "during", "to", "with", "after", "before", "via", "by"}
# fmt: on
MAX_TRAIL = 24
PRONOUNS = {"he", "she", "they", "it", "i", "we", "you"}
NAMEISH = ("PROPN", "PRON", "NOUN")


def _speaker_near(ctx: Context, cue: Token, region: list[Token]) -> Token | None:
    """The cue's subject; failing that (a misparse), the name right before or after it."""
    subj = subject_of(cue)
    if region and subj is not None and subj.i < region[0].i:
        subj = None  # a heading before the quotation, not the cue's subject after it
    if subj is None and (cue.tag_ == "VBG" or cue.dep_ == "conj"):
        subj = inherited_subject(cue)  # 'X tweeted, saying "..."', 'X laughed and added, "..."'
    if subj is not None and ctx.in_quote[subj.i] == -1 and is_source_head(subj):
        return subj
    for tok in region:
        if (
            tok.i != cue.i
            and tok.head.i == cue.i
            and tok.dep_ in ("nsubj", "dobj", "npadvmod", "attr", "dep", "appos", "oprd")
            and tok.pos_ in ("PROPN", "PRON", "NOUN")
            and is_source_head(tok)
        ):
            return tok
    before = [t for t in region if t.i < cue.i]
    after = [t for t in region if t.i > cue.i]
    if before and before[-1].pos_ in NAMEISH and is_source_head(before[-1]):
        return before[-1]  # '"...," Police Chief Chuck Jordan said'
    run = []
    for tok in after:
        if tok.pos_ not in NAMEISH:
            break
        run.append(tok)
    if run and is_source_head(run[-1]):
        return run[-1]  # '"...," said Chuck Jordan'
    return None


def opens_sentence(ctx: Context, qi: int) -> bool:
    """Whether nothing but punctuation precedes the quotation in its sentence (else it is a
    fragment of a longer statement: mixed, not direct)."""
    q = ctx.quotes[qi]
    lo = ctx.paras[q.para][0]
    text = ctx.text
    i = q.open_mark - 1
    while i >= lo:
        ch = text[i]
        if ch in '.!?:”»"' or ch == "'" and text[i - 1 : i + 1] == "''":
            return True
        if ch.isalnum():
            return False
        i -= 1
    return True


def ends_sentence(ctx: Context, qi: int) -> bool:
    """Whether the quotation is followed by the end of its sentence, a comma or a dash (not
    by more of a sentence it is only a part of)."""
    q = ctx.quotes[qi]
    if not q.closed or ctx.text[q.start : q.end].rstrip()[-1:] in ENDS | {"…"}:
        return True  # '“... we all pay.” Berg, meanwhile, ...': it ended inside the marks
    hi = ctx.paras[q.para][1]
    i = q.end
    text = ctx.text
    while i < hi and (text[i] in "”»\"'" or text[i].isspace()):
        i += 1
    return i >= hi or not text[i].isalnum()


Hit = tuple["Token", "Token", "Token | None"]  # first and last cue token, speaker head


def _trailing(ctx: Context, qi: int) -> Hit | None:
    """A cue in the same sentence after the closing mark: ``"...," X said``."""
    q = ctx.quotes[qi]
    if not q.closed or not opens_sentence(ctx, qi):
        return None
    doc = ctx.doc
    para_end = ctx.paras[q.para][1]
    region: list[Token] = []
    j = ctx.tok_at(q.end)
    ended = False
    while j < len(doc) and len(region) < MAX_TRAIL:
        tok = doc[j]
        if tok.idx >= para_end or ctx.in_quote[j] != -1:
            ended = True
            break
        j += 1
        if tok.is_space:
            continue
        if ctx.is_mark(tok):
            if tok.idx <= q.end + 1 and not region:
                continue  # the closing mark itself
            ended = True
            break
        if tok.text in ENDS:
            ended = True
            break
        region.append(tok)
    if j >= len(doc):
        ended = True
    if not region:
        return None
    after = ctx.text[q.end : region[0].idx + len(region[0].text)].lstrip("”»\"' ")
    if after[:1] in "―—–-" and len(region) <= 8 and ended:
        # a byline-style attribution: "..." ― Jane Doe
        names = [t for t in region if t.idx > q.end and t.text.strip("―—–-")]
        if names and any(t.pos_ == "PROPN" for t in names):
            dash = region[0]
            return dash, dash, doc[names[0].i : names[-1].i + 1].root
    last_char = ctx.text[q.end - 1] if q.end > q.start else ""
    joined = last_char in TRAILING_OK or region[0].text in (",", "—", "–", "--")
    if not joined and not (ended and len(region) <= 6):
        return None
    for tok in region:
        n = ctx.phrase_at(tok.i)
        if n:  # '"...," according to X'
            last = doc[tok.i + n - 1]
            return tok, last, next((c for c in last.children if c.dep_ == "pobj"), None)
        lemma = ctx.cue_lemma(tok) or _mistagged_cue(ctx, tok, region, ended)
        if lemma and not ctx.lex.verb_has(lemma, "weak"):
            return tok, tok, _speaker_near(ctx, tok, region)
    return None


def _mistagged_cue(ctx: Context, tok: Token, region: list[Token], ended: bool) -> str | None:
    """A speech verb the tagger took for a noun in '"...," Sinclair states.': the last
    word of a short attribution right after a name."""
    if not ended or tok is not region[-1] or len(region) > 6 or tok.i == region[0].i:
        return None
    before = ctx.doc[tok.i - 1]
    if tok.tag_ not in ("NNS", "NN") or not (
        before.pos_ in ("PROPN", "PRON", "NOUN") or before.is_title
    ):
        return None  # '"...," Sinclair states.' / '"...," the post read.'
    lemma = tok.lemma_.lower()
    return lemma if lemma in ctx.lex.verbs else None


def _glue(tok: Token, first: bool) -> bool:
    """Words allowed between a cue and the opening mark: "told AFP on Monday that".  Right
    before the mark only a comma, colon, dash, "that" or a listener may stand: a quotation
    after a preposition or article is a title or a phrase ("said on 'Fox and Friends'")."""
    if tok.text in (",", ":", "—", "–", "--") or tok.lower_ == "that":
        return True
    if first:
        return tok.dep_ in ("dative", "dobj") and tok.head.lemma_.lower() in TELLS
    if tok.lower_ in GLUE_WORDS:
        return True
    if tok.ent_type_ in ("DATE", "TIME"):
        return True
    head = tok
    for _ in range(3):
        if head.dep_ in ("dative", "dobj") and head.head.lemma_.lower() in TELLS:
            return True
        if head.dep_ == "pobj" and head.head.lower_ in GLUE_PREPS:
            return True
        if head.dep_ not in ("det", "amod", "compound", "poss", "case", "nummod", "prep"):
            return False
        head = head.head
    return False


def _leading(ctx: Context, qi: int) -> Hit | None:
    """A cue right before the opening mark (``X said "..."``) or before a colon."""
    q = ctx.quotes[qi]
    doc = ctx.doc
    if not ends_sentence(ctx, qi):
        return None
    lo = ctx.paras[q.para][0]
    j = ctx.tok_at(q.open_mark) - 1
    while j >= 0 and doc[j].is_space:
        j -= 1
    if j < 0 or doc[j].idx < lo:
        if q.para == 0:
            return None
        prev_lo, prev_hi = ctx.paras[q.para - 1]
        if ctx.text[prev_hi - 1] != ":":
            return None
        lo = prev_lo
    if j < 0:
        return None
    colon = doc[j].text == ":"
    steps = 0
    while j >= 0 and doc[j].idx >= lo and steps < (30 if colon else 8):
        tok = doc[j]
        if ctx.in_quote[j] != -1 or ctx.is_mark(tok) or tok.text in ENDS:
            return None
        lemma = ctx.cue_lemma(tok)
        if lemma and not ctx.lex.verb_has(lemma, "weak"):
            return tok, tok, _speaker_near(ctx, tok, [])
        if not colon and not _glue(tok, steps == 0):
            return None
        j -= 1
        steps += 1
    return None


def sentence_like(ctx: Context, qi: int, least: int = 3) -> bool:
    """Long enough, or a capitalised sentence of at least ``least`` words."""
    q = ctx.quotes[qi]
    words = ctx.q_words[qi]
    if words >= 6:
        return True
    body = ctx.text[q.start : q.end].strip()
    return words >= least and body[:1].isupper() and body[-1:] in ".?!,"


def _found(ctx: Context, qi: int, hit: Hit) -> Found:
    q = ctx.quotes[qi]
    cue_first, cue_last, spk = hit
    cue = (cue_first.idx, cue_last.idx + len(cue_last.text))
    speaker = None
    if spk is not None:
        speaker = char_bounds(ctx.doc, *mention_bounds(spk))
    return Found(
        q.start,
        q.end,
        QuoteKind.DIRECT,
        cue,
        cue_first.i,
        speaker,
        spk.i if spk is not None else None,
        quote_index=qi,
    )


def continuing(ctx: Context, qi: int, link: Found, rule: str, reason: str) -> Found:
    """Quotation ``qi`` as a direct statement with no cue of its own that continues
    ``link``: its mention (as PolNeAR annotates such quotes) and, through it, its source."""
    q = ctx.quotes[qi]
    f = Found(
        q.start,
        q.end,
        QuoteKind.DIRECT,
        speaker=link.speaker,
        speaker_head=link.speaker_head,
        quote_index=qi,
    )
    f.follows_found = link
    f.rule = rule
    f.reason = reason
    return f


def whose(ctx: Context, f: Found) -> str:
    """ "Watson's" for the reason of a quotation that continues ``f``."""
    while f.speaker is None and f.follows_found is not None:
        f = f.follows_found
    if f.speaker is None:
        return "the previous"
    name = ctx.text[f.speaker[0] : f.speaker[1]]
    if name.lower() in PRONOUNS:
        return f"the previous ({name})"
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def direct_quotes(ctx: Context) -> list[Found]:
    """Direct quotations with their cue and speaker, plus their continuations."""
    by_quote: dict[int, Found] = {}
    for qi in range(len(ctx.quotes)):
        if ctx.q_words[qi] == 0:
            continue
        hit = _trailing(ctx, qi)
        rule = "cue_after"
        if hit is None:
            hit, rule = _leading(ctx, qi), "cue_before"
        if hit is not None:
            f = by_quote[qi] = _found(ctx, qi, hit)
            cue = ctx.text[hit[0].idx : hit[1].idx + len(hit[1].text)]
            if cue in DASHES:
                f.rule, f.reason = "direct.dash", "direct: quotation signed after a dash"
            else:
                where = "after" if rule == "cue_after" else "before"
                f.rule = f"direct.{rule}"
                f.reason = f"direct: inside quotation marks, cue '{cue}' {where} it"
    last_direct: Found | None = None
    people = person_words(ctx)
    for qi, q in enumerate(ctx.quotes):
        if qi in by_quote:
            last_direct = by_quote[qi]
            continue
        if not (opens_sentence(ctx, qi) and ends_sentence(ctx, qi)):
            continue
        same_para = [by_quote[k] for k in by_quote if ctx.quotes[k].para == q.para]
        if not sentence_like(ctx, qi, 2 if same_para else 3):
            continue
        before = [f for f in same_para if f.start < q.start]
        link = before[-1] if before else (same_para[0] if same_para else None)
        since = link if link is not None and link.end <= q.start else None
        if since is None and link is None and last_direct is not None:
            if ctx.quotes[last_direct.quote_index].para == q.para - 1:
                since = last_direct if q.open_mark == ctx.paras[q.para][0] else None
        other = None if since is None else new_subject(ctx, since.end, q.start, since, people)
        if other is not None:
            f = by_new_subject(ctx, qi, other)
        elif link is not None:
            f = Found(
                q.start,
                q.end,
                QuoteKind.DIRECT,
                link.cue,
                link.cue_tok,
                link.speaker,
                link.speaker_head,
                quote_index=qi,
            )
            f.follows_found = link
            f.rule = "direct.same_paragraph"
            f.reason = (
                "direct: a quotation of the paragraph of an attributed one, cue "
                f"'{ctx.text[link.cue[0] : link.cue[1]] if link.cue else ''}'"
            )
        elif (
            last_direct is not None
            and ctx.quotes[last_direct.quote_index].para == q.para - 1
            and q.open_mark == ctx.paras[q.para][0]
        ):
            # no cue of its own: the continued quote's source, and its mention (as PolNeAR
            # annotates such quotes), so the sidebar can show who is speaking
            f = continuing(
                ctx,
                qi,
                last_direct,
                "direct.continuation",
                f"continuation paragraph after {whose(ctx, last_direct)} quote",
            )
        else:
            continue
        by_quote[qi] = f
        last_direct = f
    return [by_quote[k] for k in sorted(by_quote)]
