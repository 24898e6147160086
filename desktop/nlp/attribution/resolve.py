"""Grouping speaker mentions into sources, within one article, with a reason for each.

Rules, in order, for each speaker mention (article order); each decision records its rule
(the key of its calibrated confidence, ``confidence.py``) and a reason for a person:
- a continuation (no cue of its own) takes the source of the quotation it continues;
- a relative pronoun ("Smith, who said ...") stands for its antecedent;
- a name is the person or organisation of ``people.py`` it names, under the longest form of
  that name in the article ("Jayme" -> "Jayme Closs", "Mr. Hemming" -> "Brian Hemming"); a
  country's capital stands for the country when that country is already a source;
- he/she and "the 26-year-old right wing" are ranked over the people named before them
  (``ranking.py``: gender, distance, who spoke last, grammatical role); it takes the latest
  organisation, they the latest group; I/we/you stay unresolved;
- a list of names ("Kim and Clark Moran") is one source named by the whole list, as the
  Gender Gap Tracker annotates it;
- other descriptions (roles, documents, "the company", "the paper"): ``descriptions.py``;
- anything else is a new source, unnamed ones included ("An official at ... ministry").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.domain import Source, Span
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.descriptions import describe_source, described_anew
from desktop.nlp.attribution.groups import group_decision, listed_people, titled_person
from desktop.nlp.attribution.names import MentionInfo, describe, gender_of, name_key
from desktop.nlp.attribution.people import Named, People
from desktop.nlp.attribution.places import CAPITALS, canon, is_place
from desktop.nlp.attribution.ranking import Candidate, Ranked, embedded_in_noun, rank, where, why
from desktop.nlp.attribution.speakers import antecedent, char_bounds, mention_bounds

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

UNRESOLVED = ("i", "me", "you", "we", "us")


@dataclass
class _Source:
    key: str
    name: str
    type: str
    description: str
    form: str
    head: str
    gender: str | None
    plural: bool
    tokens: tuple[str, ...]
    last_pos: int
    named: Named | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Decision:
    """The source of one speaker mention, the rule that chose it and why."""

    src: _Source
    rule: str
    reason: str


def _subset(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return bool(short) and set(short) <= set(long)


class Resolver:
    """Builds the article's sources as speaker mentions come in, in article order."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.people = People(ctx)
        self.sources: list[_Source] = []
        self.last: _Source | None = None  # the source of the statement just before
        self.last_document: _Source | None = None  # the author of the document quoted last

    # -- building blocks used by the rule modules ----------------------------------
    def decide(self, src: _Source, rule: str, reason: str) -> Decision:
        return Decision(src, rule, reason)

    def for_named(self, rec: Named, pos: int) -> _Source:
        """The source for a named person or organisation, made on first use."""
        for src in self.sources:
            if src.named is rec:
                return src
        src = _Source(
            key=f"s{len(self.sources) + 1}",
            name=rec.name,
            type=rec.type if rec.type in ("PERSON", "ORG", "GPE") else "OTHER",
            description="",
            form="name",
            head=rec.tokens[-1],
            gender=rec.gender,
            plural=False,
            tokens=rec.tokens,
            last_pos=pos,
            named=rec,
        )
        self.sources.append(src)
        return src

    def latest_of_type(self, kind: str, pos: int) -> _Source | None:
        best: tuple[int, _Source | Named] | None = None
        for src in self.sources:
            if src.type == kind and src.form != "pronoun" and not src.plural:
                if best is None or src.last_pos > best[0]:
                    best = (src.last_pos, src)
        for rec in self.people.named:
            if rec.type != kind:
                continue
            m = rec.last_before(pos)
            if m is not None and not m.in_quote and (best is None or m.start > best[0]):
                best = (m.start, rec)
        if best is None:
            return None
        found = best[1]
        return self.for_named(found, best[0]) if isinstance(found, Named) else found

    def candidates(self, pos: int) -> list[Candidate]:
        """People a pronoun at ``pos`` may stand for (see ``ranking.py``)."""
        out: list[Candidate] = []
        for rec in self.people.named:
            if rec.type != "PERSON":
                continue
            last = None
            for m in rec.mentions:
                if m.start >= pos:
                    break
                if not m.in_quote and m.para not in self.people.captions:
                    last = m
            src = next((s for s in self.sources if s.named is rec), None)
            last_char = last.start if last else -1
            if src is not None and src.last_pos < pos and src.last_pos > last_char:
                last_char, subject = src.last_pos, True
            else:
                subject = bool(last and last.subject)
            if last_char >= 0:
                embedded = (
                    last is not None
                    and last.start == last_char
                    and embedded_in_noun(self.doc[last.token])
                )
                out.append(Candidate(rec, None, rec.gender, last_char, subject, embedded))
        for src in self.sources:
            if src.named is None and not src.plural and src.last_pos < pos:
                if src.type == "PERSON" or (src.form == "name" and src.type == "OTHER"):
                    out.append(Candidate(None, src.key, src.gender, src.last_pos, True))
        return out

    def rank_people(self, pos: int, gender: str | None) -> Ranked | None:
        last = None
        if self.last is not None:
            last = Candidate(self.last.named, self.last.key, None, self.last.last_pos, True)
        return rank(self.people, self.candidates(pos), pos, gender, last)

    def source_of(self, cand: Candidate, pos: int) -> _Source:
        if cand.named is not None:
            return self.for_named(cand.named, cand.last_char)
        return next(s for s in self.sources if s.key == cand.source_key)

    def decide_ranked(
        self, ranked: Ranked, text: str, gender: str | None, rule: str, pos: int
    ) -> Decision:
        src = self.source_of(ranked.candidate, pos)
        paras = self.ctx.para_of(pos) - self.ctx.para_of(ranked.candidate.last_char)
        tag = "spoke_last" if ranked.spoke_last else "nearest"
        if paras >= 2:
            tag += ".far"  # two paragraphs or more back: less certain
        return Decision(src, f"{rule}.{tag}", f"{text} → {src.name}: {why(ranked, gender, paras)}")

    # -- the rules -------------------------------------------------------------------
    def by_name(self, info: MentionInfo, partial: bool = True) -> _Source | None:
        """An earlier source with these words for a name (or, with ``partial``, a part of
        its name, or a name it is part of)."""
        wanted = canon(info.name_tokens)
        for src in reversed(self.sources):
            if src.form in ("name", "group") and canon(src.tokens) == wanted:
                return src
        if info.type in ("GPE", "ORG") and wanted in CAPITALS:
            for src in reversed(self.sources):
                if canon(src.tokens) == CAPITALS[wanted]:
                    return src
        for src in reversed(self.sources):
            if not partial:
                break
            if src.form != "name" or (src.type != info.type and info.type != "OTHER"):
                continue
            if _subset(info.name_tokens, src.tokens) or _subset(src.tokens, info.name_tokens):
                return src
        return None

    def _name(self, info: MentionInfo, head: Token, lo: int, hi: int, pos: int) -> Decision:
        rec = self.people.at(head.i)
        if rec is None:
            recs = [self.people.at(i) for i in range(lo, hi)]
            rec = next((r for r in reversed(recs) if r is not None and r.type == "PERSON"), None)
            rec = rec or next((r for r in recs if r is not None), None)
        place = is_place(info.name_tokens)  # "The U.S." is no part of a person's name
        if (
            rec is None
            and not place
            and (info.type in ("PERSON", "OTHER") or len(info.name_tokens) == 1)
        ):
            rec = self.people.find(info.name_tokens, "PERSON")  # "Lopez", whatever its label
        if rec is None and info.type in ("ORG", "OTHER"):
            rec = self.people.find(info.name_tokens, "ORG")
        if rec is not None and rec.type in ("PERSON", "ORG"):
            longer = len(info.name) > len(rec.name) and rec.name.lower() in info.name.lower()
            if longer and (set(rec.tokens) < set(info.name_tokens) or rec.type == "ORG"):
                rec.name, rec.tokens = info.name, info.name_tokens  # "SNC" in "SNC-Lavalin"
            src = self.for_named(rec, pos)
            src.name, src.tokens = rec.name, rec.tokens
            mention = self.doc[lo:hi].text
            if canon(info.name_tokens) == canon(rec.tokens) or len(rec.tokens) == 1:
                return Decision(src, "name", f"“{mention}” names {rec.name}")
            shared = sum(
                1
                for r in self.people.named
                if r.type == rec.type and set(info.name_tokens) & set(r.tokens)
            )
            rule = "name.shared" if shared > 1 else "name.partial"
            first = rec.mentions[0].start
            gap = self.ctx.para_of(pos) - self.ctx.para_of(first)
            note = ", of those who share it the one mentioned most" if shared > 1 else ""
            return Decision(
                src, rule, f"“{mention}” → {rec.name}: named in full {where(gap)}{note}"
            )
        same = self.by_name(info)
        if same is not None:
            return Decision(same, "name", f"“{info.text}” → {same.name}: same name")
        return Decision(self.new_source(info, pos), "name.new", f"“{info.text}”: named here")

    def _record(
        self, f: Found, rec: Named, lo: int, hi: int, rule: str, info: MentionInfo
    ) -> Decision:
        assert f.speaker is not None
        src = self.for_named(rec, f.speaker[0])
        d = Decision(src, rule, f"“{self.doc[lo:hi].text}” → {rec.name}: named beside the title")
        return self._book(f, d, info, None, lo, hi)

    def _known_word(self, info: MentionInfo) -> bool:
        """One capitalised word that is a name of someone already named ("Lopez:" opening
        a transcript line, whatever the tagger made of it)."""
        words = info.text.split()
        return (
            len(words) == 1
            and words[0][:1].isupper()
            and self.people.find(info.name_tokens, "PERSON") is not None
        )

    def _names_person(self, lo: int, hi: int) -> bool:
        """A description that ends in a person's name: "Carolina coach Rod Smith" (not one
        whose name is a possessor or a preposition's object: "a spokeswoman for Ruiz")."""
        rec = self.people.at(hi - 1)
        last = self.doc[hi - 1]
        return rec is not None and rec.type == "PERSON" and last.dep_ not in ("poss", "pobj")

    def _pronoun(self, info: MentionInfo, pos: int) -> Decision | None:
        low = info.head
        if low in UNRESOLVED:
            return None  # the writer or the reader: not resolved within the article
        if low == "it":
            src = self.latest_of_type("ORG", pos)
            if src is None:
                return None
            return Decision(src, "pronoun.it", f"it → {src.name}: organisation named last")
        if info.plural:
            for src in sorted(self.sources, key=lambda s: -s.last_pos):
                if src.plural or src.form == "group" or src.type in ("ORG", "NORP", "GPE"):
                    return Decision(
                        src, "pronoun.they", f"{info.text} → {src.name}: group named last"
                    )
            return None
        if low not in ("he", "she", "him", "her"):
            return None  # "someone", "everyone": nobody in particular
        ranked = self.rank_people(pos, info.gender)
        if ranked is None:
            return None
        return self.decide_ranked(ranked, info.text, info.gender, "pronoun", pos)

    def new_source(self, info: MentionInfo, pos: int) -> _Source:
        name = info.name or info.text
        src = _Source(
            key=f"s{len(self.sources) + 1}",
            name=name,
            type=info.type,
            description=info.description,
            form=info.form,
            head=info.head,
            gender=info.gender or gender_of(name.split()[:1]),
            plural=info.plural,
            tokens=name_key(name),
            last_pos=pos,
        )
        self.sources.append(src)
        return src

    def resolve(self, f: Found) -> Decision | None:
        """The source for one statement with a speaker mention."""
        assert f.speaker is not None and f.speaker_head is not None
        head = antecedent(self.doc[f.speaker_head])  # "who" stands for its antecedent
        lo, hi = mention_bounds(head)
        if head.i == f.speaker_head:  # never wider than the mention the extraction found
            a = max(lo, self.ctx.tok_at(f.speaker[0]))
            b = min(hi, self.ctx.tok_at(f.speaker[1]))
            if a <= head.i < b:
                lo, hi = a, b
        info = describe(self.doc, head, lo, hi, self.ctx.ents)
        pos = f.speaker[0]
        if self.people.in_credit(*f.speaker):
            return None  # a byline or photo credit names no speaker
        titled = titled_person(self, head)
        if titled is not None and info.form != "pronoun" and len(listed_people(self, head)) < 2:
            return self._record(f, titled, lo, hi, "name.appositive", info)
        if info.form == "pronoun":
            d = self._pronoun(info, pos)
        elif info.form == "group" or len(listed_people(self, head)) > 1:
            d = group_decision(self, info, listed_people(self, head), pos)
        elif info.form == "name" or self._names_person(lo, hi) or self._known_word(info):
            d = self._name(info, head, lo, hi, pos)
        else:
            d = describe_source(self, info, head, pos) or described_anew(self, info, pos)
        if d is None:
            return None
        return self._book(f, d, info, head, lo, hi)

    def _book(
        self, f: Found, d: Decision, info: MentionInfo, head: Token | None, lo: int, hi: int
    ) -> Decision:
        """Record the decision on its source: description, gender, mentions, recency."""
        assert f.speaker is not None
        src, pos = d.src, f.speaker[0]
        if info.description and not src.description:
            src.description = info.description
        if info.gender and not src.gender and info.form != "pronoun":
            src.gender = info.gender
        if f.speaker not in src.mentions:
            src.mentions.append(f.speaker)
        if head is not None and head.i != f.speaker_head:  # "who" and its antecedent
            src.mentions.append(char_bounds(self.doc, lo, hi))
        src.last_pos = max(src.last_pos, pos)
        self.last = src
        if d.rule.startswith("document"):
            self.last_document = src
        return d

    def result(self) -> list[Source]:
        text = self.ctx.text
        return [
            Source(
                key=s.key,
                name=s.name,
                type=s.type,
                description=s.description,
                mentions=[Span.of(text, a, b) for a, b in sorted(set(s.mentions))],
            )
            for s in self.sources
        ]


def resolve_sources(ctx: Context, found: list[Found]) -> list[Source]:
    """Set ``source_key``, ``source_rule`` and ``source_reason`` on every statement it can,
    and return the sources."""
    resolver = Resolver(ctx)
    decided: dict[tuple[int, int], Decision | None] = {}
    for f in sorted(found, key=lambda f: f.start):
        if f.follows_found is None and f.speaker_head is not None and f.speaker is not None:
            # one mention that speaks two statements ("he said A, adding B") is one decision
            if f.speaker not in decided:
                decided[f.speaker] = resolver.resolve(f)
            d = decided[f.speaker]
            if d is not None:
                f.source_key, f.source_rule, f.source_reason = d.src.key, d.rule, d.reason
    names = {s.key: s.name for s in resolver.sources}
    for f in sorted(found, key=lambda f: f.start):
        prev = f.follows_found
        if prev is not None:
            f.source_key = prev.source_key
            if f.source_key:
                f.source_rule = "continuation"
                f.source_reason = f"continues the quotation of {names[f.source_key]} before it"
    # keep only sources that some statement uses, renumbered in order of first appearance
    used = {f.source_key for f in found if f.source_key}
    sources = [s for s in resolver.result() if s.key in used]
    renumber = {s.key: f"s{i}" for i, s in enumerate(sources, 1)}
    for s in sources:
        s.key = renumber[s.key]
    for f in found:
        if f.source_key:
            f.source_key = renumber[f.source_key]
    return sources
