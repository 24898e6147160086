"""What a verb cue reports: its clause complement, or what the verb's lexicon tags allow
(object, "to" clause, tagged prepositions, "as X noted" asides, parenthetical cues), as a
token range together with the name of the rule that found it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.nlp.attribution.context import Context

if TYPE_CHECKING:
    from spacy.tokens import Token

Rng = tuple[int, int]
# Nouns that stand for a proposition: "denied any wrongdoing" says "I did nothing wrong",
# "denied the request" does something.
# fmt: off
PROPOSITIONS = {"wrongdoing", "involvement", "responsibility", "guilt", "allegation",
                "accusation", "charge", "rumor", "rumour", "report", "story", "notion",
                "existence", "link", "connection", "possibility", "speculation", "wrong"}
# fmt: on
# fmt: off
OBJ_PRONOUNS = {"it", "this", "that", "so", "them", "him", "her", "what", "which", "nothing",
                "something", "anything", "everything", "one", "me", "us", "you", "himself",
                "herself", "themselves"}
# fmt: on
ADVERBIAL = {"when", "before", "after", "while", "until", "because", "since", "once", "if"}
FRAME_PREPS = {"for", "as", "of", "over"}
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


def clause_range(head: Token, minus: Token | None = None) -> tuple[int, int] | None:
    """Token range of ``head``'s subtree, without ``minus``'s subtree when it is inside."""
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    if minus is None:
        return lo, hi
    m_lo, m_hi = minus.left_edge.i, minus.right_edge.i + 1
    if m_lo <= head.i < m_hi:
        return None
    if lo < m_lo and m_hi < hi and m_lo < head.i:
        return lo, hi  # a parenthetical cue: "The launch, the ministry said, was its largest"
    if m_lo > head.i:
        hi = min(hi, m_lo)
    else:
        lo = max(lo, m_hi)
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
                    # "said he would order a review and warned against hackers"
                    or (
                        tok.dep_ == "conj"
                        and tok.tag_ in ("VBD", "VBZ", "VBP")
                        and any(
                            c.dep_ == "prep" and ctx.lex.verb_has(lemma, c.lower_)
                            for c in tok.children
                        )
                    )
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


def _clause_before(ctx: Context, cue: Token) -> Rng | None:
    """ "The coast was also badly hit, said X, a spokesman." / "..., officials said, as ...":
    a cue with no complement of its own closing its sentence after a comma; the content is
    what stands before that comma in the sentence (the parse hung it elsewhere)."""
    doc = ctx.doc
    subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
    if subj is None or not any(c.dep_ == "punct" and c.i > cue.i for c in cue.children):
        return None
    if any(c.dep_ in ("dobj", "ccomp", "xcomp", "dative") for c in cue.children):
        return None  # "After X was shuffled, she published a statement": the cue's own
    j = cue.i - 1
    if subj.i < cue.i:
        j = subj.left_edge.i - 1
    if j < 1 or doc[j].text != ",":
        return None
    lo = cue.sent.start if doc.has_annotation("SENT_START") else 0
    lo = max(lo, ctx.tok_at(ctx.paras[ctx.para_of(cue.idx)][0]))
    if j - lo < 4 or not any(t.pos_ in ("VERB", "AUX") for t in doc[lo:j]):
        return None
    if doc[lo].lower_ in ADVERBIAL | CONTINUING | {"as"}:
        return None  # a fronted time or condition clause, not a statement
    if any(ctx.cue_lemma(t) for t in doc[lo:j]):
        return None  # a cue of its own there: its statement, not this one's
    return lo, j


def _holds_clause(obj: Token) -> bool:
    """Whether an object is a misparsed clause ("said the attempt ... had failed"): a verb
    with a subject of its own under it that is not a relative clause of the object."""
    return any(
        t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ != "relcl" and t.head.i != obj.i
        for t in obj.subtree
    )


def complement(ctx: Context, cue: Token, lemma: str) -> tuple[Rng, str] | None:
    """The reported content of a verb cue, as a token range, and the rule that found it:
    its clause complement, or what the verb's tags allow (object, "to" clause, tagged
    prepositions)."""
    tags = ctx.lex.verbs[lemma]
    weak = "weak" in tags
    # a clause after the cue before one in front of it: in "More than a decade after his
    # career ended, X alleges he is ill" the fronted clause is an adverbial
    para = ctx.para_of(cue.idx)
    for child in sorted(cue.children, key=lambda c: c.i < cue.i):
        if child.dep_ == "ccomp" and child.i != cue.i and ctx.para_of(child.idx) == para:
            if any(c.dep_ == "mark" and c.lower_ in ADVERBIAL for c in child.children):
                continue  # "said before he died": a time clause, not what was said
            if weak and not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children):
                return None
            clause = [child]
            if child.i > cue.i:
                # clauses the parser gave the cue one by one: "says he drank too much, used
                # drugs and was homeless", "said she is unsure, but that ..."
                clause += [
                    c
                    for c in cue.children
                    if c.i > child.i
                    and c.dep_ in ("ccomp", "conj")
                    and c.pos_ in ("VERB", "AUX")
                    and ctx.cue_lemma(c) is None
                    and ctx.para_of(c.idx) == para
                    and not any(m.dep_ == "mark" and m.lower_ in ADVERBIAL for m in c.children)
                ]
            if child.i < cue.i:
                # "X was a bargain, Ms. Okafor said, until the price doubled"
                clause += [
                    c
                    for c in cue.children
                    if c.i > cue.i
                    and c.dep_ == "advcl"
                    and ctx.cue_lemma(c) is None
                    and any(m.dep_ == "mark" and m.lower_ in CONTINUING for m in c.children)
                ]
            return _span(ctx, clause), "clause"
    if (
        cue.dep_ == "advcl"
        and "aside" in tags
        and any(c.dep_ == "mark" and c.lower_ == "as" for c in cue.children)
        and not any(
            c.dep_ in ("dobj", "ccomp", "xcomp", "prep")
            and not (c.lower_ == "it" and "_it" in lemma)
            for c in cue.children
        )
    ):
        rng = clause_range(cue.head, minus=cue)  # "as the minister noted, ..."
        return (rng, "aside") if rng else None
    if not weak and (
        cue.dep_ == "parataxis"
        or (cue.dep_ == "advcl" and cue.i > cue.head.i and cue.nbor(-1).text == ",")
    ):
        if any(c.dep_ == "nsubj" for c in cue.children):
            rng = clause_range(cue.head, minus=cue)
            return (rng, "parenthetical") if rng else None
    parts: list[Token] = []
    right = [c for c in cue.children if c.i > cue.i]
    dobj = next((c for c in right if c.dep_ == "dobj"), None)
    xcomp = next((c for c in right if c.dep_ == "xcomp"), None) if "xcomp" in tags else None
    if xcomp is not None and xcomp.lemma_.lower() in ANONYMITY:
        return None  # "asked not to be named": the anonymity formula, not a statement
    if dobj is not None:
        if dobj.lower_ == "that" and dobj.pos_ == "SCONJ":
            return _span(ctx, [dobj]), "clause"  # a misparsed "said that ..."
        verbal = any(t.pos_ in ("VERB", "AUX") for t in dobj.subtree)
        pred = "pred" in tags and any(c.dep_ in ("oprd", "acomp") for c in right)
        if xcomp is not None or pred:
            parts.append(dobj)
        elif dobj.lower_ not in OBJ_PRONOUNS and (
            "obj" in tags or (verbal and not tags - {"aside"})
        ):
            parts.append(dobj)
    if xcomp is not None:
        parts.append(xcomp)
    framed = False
    if parts:
        # the frame's second part: "called X a fraud", "blasted X for ...", "cited X as ..."
        frame = [
            c
            for c in right
            if c.dep_ in ("oprd", "acomp") or (c.dep_ == "prep" and c.lower_ in FRAME_PREPS)
        ]
        framed = bool(frame)
        parts += frame
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
        before = _clause_before(ctx, cue)
        return (before, "clause_before") if before else None
    if dobj is not None and dobj in parts:
        if framed or "judge" in tags:
            rule = "judgement"
        elif (
            "prop" in tags
            or ("obj" in tags and dobj.lemma_.lower() in PROPOSITIONS | ctx.lex.nouns)
            or (_holds_clause(dobj) and not tags & {"obj", "xcomp"})
        ):
            rule = "proposition"  # "claimed progress"; "said the attempt had failed"
        else:
            rule = "object"
    elif xcomp is not None:
        rule = "to_clause"
    elif any(p.dep_ == "advcl" for p in parts):
        rule = "clause"
    else:
        rule = "preposition"
    return _span(ctx, parts), rule
