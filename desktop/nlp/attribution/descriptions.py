"""Speaker mentions that describe instead of naming: roles, organisations, documents.

In order, for a description like "the prime minister", "a Vancouver hockey coach",
"the company", "the paper" or "the complaint":
- a document ("the report", "her statement", "the RCMP statement", "a study by X") speaks
  for its author: the possessor, the name inside it, the agent of "by", or the subject that
  filed, released or published the same document earlier ("Prosecutors filed a complaint");
- a role noun the text gave someone ("Prime Minister Ana Ruiz", "Ines, a resident of
  Larsby") names that person: the nearest before, or, for a description that introduces
  someone ("A Superior Court judge chastised ... Justice Sean Dunphy"), the first one named
  within two paragraphs after (cataphora);
- "the paper" takes the latest news organisation, "the company" the latest organisation;
- a definite description of a person ("the 26-year-old right wing") takes the person the
  text is about, ranked as a pronoun would be, within a few sentences.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from desktop.nlp.attribution.names import (
    ORG_NOUNS,
    PARTY_WORDS,
    PERSON_NOUNS,
    TITLE_FORMS,
    MentionInfo,
)
from desktop.nlp.attribution.paragraphs import LINK_LINE
from desktop.nlp.attribution.ranking import where

if TYPE_CHECKING:
    from spacy.tokens import Token

    from desktop.nlp.attribution.resolve import Decision, Resolver, _Source

# fmt: off
MEDIA_NOUNS = {"paper", "newspaper", "daily", "outlet", "magazine", "network", "broadcaster",
               "tabloid", "publication", "agency", "channel", "site", "website", "weekly"}
MEDIA_HINT = re.compile(
    r"\b(times|post|journal|news|herald|tribune|guardian|telegraph|gazette|reuters|ap|afp|cnn|"
    r"bbc|nbc|abc|cbs|fox|msnbc|npr|politico|bloomberg|economist|magazine|daily|press|"
    r"associated|agence|axios|breitbart|hill|atlantic|insider|mail|express|sun|star|mirror|"
    r"yonhap|kcna|tass|xinhua|ria|globe|observer|examiner|chronicle|courier|review|standard|"
    r"independent|inquirer|monitor|wire|radio|tv|television|ledger|register|record)\b",
    re.I,
)
DOCUMENT_NOUNS = {
    "statement", "report", "study", "complaint", "lawsuit", "suit", "claim", "document",
    "release", "letter", "filing", "survey", "findings", "post", "tweet", "email", "e-mail",
    "memo", "ruling", "decision", "poll", "analysis", "review", "affidavit", "indictment",
    "notice", "judgment", "submission", "blog", "paper", "research", "data", "records",
    "record", "documents", "transcript", "petition", "motion", "application", "brief",
    "summary", "audit", "assessment", "video", "message", "website", "bulletin", "advisory",
    "book", "memoir", "article", "column", "essay", "editorial", "op-ed", "newsletter",
}
BUSINESS_NOUNS = {"company", "firm", "carmaker", "automaker", "bank", "lender", "insurer",
                  "airline", "retailer", "manufacturer", "producer", "maker", "startup",
                  "conglomerate", "operator", "utility", "railway", "railroad", "chain",
                  "developer", "brand", "business", "corporation", "giant", "club", "team"}
# nouns any kind of organisation goes by ("the agency", "the group"), unlike "the campaign",
# "the party" or "the government", which name one kind
ANY_ORG = {"agency", "organization", "organisation", "group", "union", "department", "ministry",
           "office", "institute", "foundation", "charity", "association", "federation",
           "coalition", "alliance", "council", "board", "commission", "committee", "watchdog",
           "regulator"}
PLACE_NOUNS = {"city", "province", "country", "state", "town", "municipality", "village"}
PLACES_POSTED = {"website", "site", "page", "account", "feed", "blog", "channel"}
POSTED_ON = ("on", "in", "at")
MAKING_VERBS = {"file", "release", "publish", "issue", "launch", "submit", "write", "send",
                "post", "produce", "commission", "conduct", "prepare", "lodge", "bring"}
# fmt: on
DEFINITE = ("the ", "that ", "this ")
INDEFINITE = ("a ", "an ", "one ", "another ")
MAX_DEFINITE_SENTENCES = 6
DEFINITE_AFTER_PARAS = 5  # "the WHL commissioner said ..." then "commissioner Ron Robison"


def describe_source(r: Resolver, info: MentionInfo, head: Token, pos: int) -> Decision | None:
    """The source a description stands for, or None (then it is a source of its own)."""
    low = info.text.lower()
    named_words = any(w[:1].isupper() for w in info.text.split()[1:])
    if named_words and (info.head in ORG_NOUNS or info.head in MEDIA_NOUNS):
        if not low.startswith(INDEFINITE):
            return None  # a name of its own: "The United Auto Workers union"
    if info.head in DOCUMENT_NOUNS and not (info.head == "paper" and _media_paper(head)):
        return _document(r, info, head, pos)
    roles = _role_words(head)
    if low.startswith(INDEFINITE):
        return _introduced(r, info, roles, pos)
    if not low.startswith(DEFINITE) and not any(c.dep_ == "poss" for c in head.children):
        return None
    return (
        _same_description(r, info)
        or _title(r, info, roles, pos)
        or _organisation(r, info, pos)
        or _definite_person(r, info, head, pos)
    )


def described_anew(r: Resolver, info: MentionInfo, pos: int) -> Decision:
    """A description no rule links: a source already named by its words, else a new one
    (a common noun, "police", is no part of a longer name, "... Police Review")."""
    capitalised = any(w[:1].isupper() for w in info.text.split()[1:] or [""])
    src = r.by_name(info, capitalised) if info.name_tokens else None
    if src is not None:
        return r.decide(src, "name", f"“{info.text}” → {src.name}: same words")
    why = f"“{info.text}”: not named in the article"
    return r.decide(r.new_source(info, pos), "description.new", why)


def _media_paper(head: Token) -> bool:
    return not any(
        c.lower_ in ("white", "research", "position", "discussion") for c in head.children
    )


def _role_words(head: Token) -> list[str]:
    """The role nouns of a description, most specific first: "prime minister", "minister"."""
    words = [head.lemma_.lower()]
    mods = [c for c in head.children if c.dep_ in ("compound", "amod") and c.i < head.i]
    if any(m.lower_ == "prime" for m in mods) and words[0] == "minister":
        words.insert(0, "prime minister")
    return words


def _document(r: Resolver, info: MentionInfo, head: Token, pos: int) -> Decision | None:
    owner = _owner(r, head, pos)
    if owner is None:
        for tok in reversed(r.doc[: head.i]):
            if tok.lemma_.lower() == head.lemma_.lower() and tok.pos_ == "NOUN":
                owner = _maker(r, tok) or _owner(r, tok, tok.idx)  # who spoke in it first
                if owner is not None:
                    break
    if owner is not None:
        src, who = owner
        return r.decide(src, "document", f"{info.text} → {src.name}: {who}")
    last = r.last_document
    if last is not None and r.ctx.para_of(pos) - r.ctx.para_of(last.last_pos) <= 3:
        return r.decide(
            last, "document.last", f"{info.text} → {last.name}: the document quoted last is theirs"
        )
    return None


def _owner(r: Resolver, doc_tok: Token, pos: int) -> tuple[_Source, str] | None:
    """The author a document names itself: "her statement", "the RCMP statement",
    "a study by Civic Action"."""
    for child in doc_tok.children:
        if child.dep_ == "poss":
            src = mention_source(r, child, pos)
            if src is not None:
                return src, f"{child.text} {doc_tok.text}"
        if child.dep_ in ("compound", "nmod") and child.ent_type_ in (
            "ORG",
            "PERSON",
            "GPE",
            "NORP",
        ):
            src = mention_source(r, child, pos)
            if src is not None:
                return src, f"the {doc_tok.text} is theirs"
    for child in doc_tok.children:
        if child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    src = mention_source(r, pobj, pos)
                    if src is not None:
                        return src, f"the {doc_tok.text} {child.lower_} them"
        if child.dep_ == "acl":  # "a study released Monday by Open Streets"
            for agent in child.children:
                if agent.dep_ == "agent" or (agent.dep_ == "prep" and agent.lower_ == "by"):
                    for pobj in agent.children:
                        if pobj.dep_ == "pobj":
                            src = mention_source(r, pobj, pos)
                            if src is not None:
                                return src, f"the {doc_tok.text} by them"
    return _posted_by(r, doc_tok, pos)


def _posted_by(r: Resolver, doc_tok: Token, pos: int) -> tuple[_Source, str] | None:
    """ "a note titled Cold Tracks on Northern Plains Rail's website": the owner of
    the website, page or account the document is posted on (anywhere in its phrase)."""
    for tok in doc_tok.subtree:
        if tok.dep_ == "pobj" and tok.lower_ in PLACES_POSTED and tok.head.lower_ in POSTED_ON:
            owner = next((c for c in tok.children if c.dep_ == "poss"), None)
            src = None if owner is None else mention_source(r, owner, pos)
            if src is not None:
                return src, f"the {doc_tok.text} on their {tok.text}"
    return None


def _maker(r: Resolver, doc_tok: Token) -> tuple[_Source, str] | None:
    """The subject that filed, released or published the document ("Prosecutors filed a
    criminal complaint"), or that spoke in it ("X said in a statement")."""
    verb = doc_tok.head
    if doc_tok.dep_ == "pobj" and verb.lower_ in ("in", "through", "via"):
        verb = verb.head
        if r.ctx.cue_lemma(verb) is None:
            return None
    elif doc_tok.dep_ != "dobj" or verb.lemma_.lower() not in MAKING_VERBS:
        return None
    for child in verb.children:
        if child.dep_ == "nsubj":
            src = mention_source(r, child, child.idx)
            if src is not None:
                between = "" if doc_tok.head.i == verb.i else f"{doc_tok.head.text} "
                return src, f"{src.name} {verb.text} {between}the {doc_tok.text}"
    return None


def _introduced(r: Resolver, info: MentionInfo, roles: list[str], pos: int) -> Decision | None:
    """ "A Superior Court judge said ..." then "Justice Sean Dunphy": the person with that
    role named first after the description, when the text has not named them before."""
    if not _person_like(r, info):
        return None
    for role in roles:
        found = r.people.with_role(role, pos, 2, r.ctx.para_of)
        if found is not None and found[1]:
            rec = found[0]
            first = rec.mentions[0].start
            gap = r.ctx.para_of(pos) - r.ctx.para_of(first)
            return r.decide(
                r.for_named(rec, first),
                "role.after",
                f"{info.text} → {rec.name}: a {role} named {where(gap)}",
            )
    return None


def _same_description(r: Resolver, info: MentionInfo) -> Decision | None:
    for src in sorted(r.sources, key=lambda s: -s.last_pos):
        if src.head == info.head and src.form == "description":
            return r.decide(src, "description.same", f"{info.text} → {src.name}: same description")
    return None


def _title(r: Resolver, info: MentionInfo, roles: list[str], pos: int) -> Decision | None:
    """ "the prime minister" -> the person the text called prime minister."""
    for role in roles:
        found = r.people.with_role(role, pos, DEFINITE_AFTER_PARAS, r.ctx.para_of)
        if found is None or (found[1] and found[0].type != "PERSON"):
            continue  # "the company" names a company named before it, not after
        rec, after = found
        m = rec.last_before(pos) if not after else rec.first_after(pos)
        gap = r.ctx.para_of(pos) - r.ctx.para_of(m.start if m else pos)
        return r.decide(
            r.for_named(rec, m.start if m else pos),
            "role.after" if after else "role",
            f"{info.text} → {rec.name}: called {role} {where(gap)}",
        )
    head = info.head
    for src in sorted(r.sources, key=lambda s: -s.last_pos):
        if src.type == "PERSON" and head in PERSON_NOUNS and src.description:
            words = src.description.lower().replace(",", " ").split()
            if any(form in words for form in TITLE_FORMS.get(head, (head,))):
                return r.decide(src, "role", f"{info.text} → {src.name}: described as {head}")
    return None


def _organisation(r: Resolver, info: MentionInfo, pos: int) -> Decision | None:
    head = info.head
    srcs = sorted(r.sources, key=lambda s: -s.last_pos)
    for src in srcs:
        if src.type == "ORG" and head in src.tokens:
            return r.decide(src, "organisation", f"{info.text} → {src.name}: its name says {head}")
        if head in MEDIA_NOUNS and src.type == "ORG" and MEDIA_HINT.search(src.name):
            return r.decide(
                src, "organisation", f"{info.text} → {src.name}: news organisation quoted last"
            )
    if head in MEDIA_NOUNS:
        for rec in reversed([n for n in r.people.named if n.type == "ORG"]):
            m = rec.last_before(pos)
            if (
                m is not None
                and MEDIA_HINT.search(rec.name)
                and not r.people.in_credit(m.start, m.end)
                and not _link_line(r, m.start)
            ):
                why = f"{info.text} → {rec.name}: news organisation named last"
                return r.decide(r.for_named(rec, m.start), "organisation", why)
    if head in ORG_NOUNS or head in BUSINESS_NOUNS or not (info.plural or head in PERSON_NOUNS):
        # "the railway" after "Northern Plains Railway", "the diocese" after "the Roman
        # Catholic Diocese of Ellisford": an organisation whose name holds the noun
        for rec in reversed([n for n in r.people.named if n.type == "ORG" and head in n.tokens]):
            m = rec.last_before(pos)
            if m is not None:  # "the railway" after "Canadian Pacific Railway"
                return r.decide(
                    r.for_named(rec, m.start),
                    "organisation",
                    f"{info.text} → {rec.name}: its name says {head}",
                )
    if head in ORG_NOUNS and head not in BUSINESS_NOUNS:
        last = r.last  # "The State Department expressed concern. '...,' the agency said."
        if last is not None and last.type == "ORG" and last.form == "name" and head in ANY_ORG:
            if r.ctx.para_of(pos) - r.ctx.para_of(last.last_pos) <= 1:
                why = f"{info.text} → {last.name}: the organisation that spoke just before"
                return r.decide(last, "organisation.spoke_last", why)
        return None  # "the commission" that the text never named stays itself
    if head in BUSINESS_NOUNS or head in MEDIA_NOUNS or head in PLACE_NOUNS:
        kind = "GPE" if head in PLACE_NOUNS else "ORG"
        best = r.latest_of_type(kind, pos)
        if best is not None:
            return r.decide(
                best, "organisation", f"{info.text} → {best.name}: {kind.lower()} named last"
            )
    return None


def _link_line(r: Resolver, char: int) -> bool:
    """Whether ``char`` is in a "READ MORE: ..." line, a link to another story."""
    lo, hi = r.ctx.paras[r.ctx.para_of(char)]
    return LINK_LINE.match(r.ctx.text, lo, hi) is not None


def _definite_person(r: Resolver, info: MentionInfo, head: Token, pos: int) -> Decision | None:
    """ "the 24-year-old winger said" after "Halvorsen has three goals": the person the
    paragraph is about; with nobody before it ("The most criticised coach in the league said
    'enough.'" opening the story), the person named next."""
    if info.head in ORG_NOUNS or info.head in MEDIA_NOUNS or info.plural:
        return None
    if not _person_like(r, info):
        return None
    if any(c.dep_ == "prep" and c.lower_ in ("for", "at", "with", "from") for c in head.children):
        return None  # "the lawyer for the family" is someone of their own
    ranked = r.rank_people(pos, info.gender)
    if ranked is None:
        return _named_next(r, info, pos)
    if ranked.sentences > MAX_DEFINITE_SENTENCES:
        return None
    return r.decide_ranked(ranked, info.text, info.gender, "definite", pos)


def _named_next(r: Resolver, info: MentionInfo, pos: int) -> Decision | None:
    """The person first named, as the subject, in the sentence after the description's
    ("One former director said ... . Ivo Marek told the paper ...")."""
    people = r.people
    here = people.sentence_of_char(pos)
    best = None
    for rec in people.named:
        if rec.type != "PERSON" or not rec.mentions or rec.mentions[0].start <= pos:
            continue
        first = rec.mentions[0]
        if first.subject and first.sent == here + 1 and not first.in_quote:
            if best is None or first.start < best.mentions[0].start:
                best = rec
    if best is None or (info.gender and best.gender and best.gender != info.gender):
        return None
    why = f"{info.text} → {best.name}: named in the next sentence"
    return r.decide(r.for_named(best, best.mentions[0].start), "role.next", why)


AGENT_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent", "ee")


def _person_like(r: Resolver, info: MentionInfo) -> bool:
    """Whether a description's head names a person: a person noun, a role the text gave
    someone, a party member ("the Kentucky Republican"), an agent noun ("the brawler") or an
    age ("the 26-year-old")."""
    head = info.head
    if info.type == "PERSON" or head in PERSON_NOUNS or head in PARTY_WORDS:
        return True
    if any(head in rec.roles for rec in r.people.named if rec.type == "PERSON"):
        return True
    if "year-old" in info.text:
        return True
    return head.endswith(AGENT_ENDINGS) and head not in DOCUMENT_NOUNS and len(head) > 4


def mention_source(r: Resolver, tok: Token, pos: int) -> _Source | None:
    """The source a single token stands for, when it names someone or is a personal
    pronoun (used for the authors of documents)."""
    rec = r.people.at(tok.i)
    if rec is not None:
        return r.for_named(rec, pos)
    low = tok.lower_
    if tok.pos_ == "PRON" and low in ("his", "her", "he", "she", "its", "their", "they", "it"):
        gender = {"his": "m", "he": "m", "her": "f", "she": "f"}.get(low)
        if low in ("its", "it"):
            return r.latest_of_type("ORG", pos)
        if low in ("their", "they"):
            return None
        ranked = r.rank_people(pos, gender)
        return None if ranked is None else r.source_of(ranked.candidate, pos)
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in ("company", "firm", "railway", "group"):
        # "the railway company": an organisation whose name holds one of its words, else
        # the organisation named last
        words = {tok.lemma_.lower()} | {c.lower_ for c in tok.children if c.dep_ == "compound"}
        for rec in reversed([n for n in r.people.named if n.type == "ORG"]):
            m = rec.last_before(pos)
            if m is not None and words & set(rec.tokens):
                return r.for_named(rec, m.start)
        return r.latest_of_type("ORG", pos)
    return None
