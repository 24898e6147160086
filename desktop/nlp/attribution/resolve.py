"""Grouping speaker mentions into sources, within one article.

Rules, in order, for each speaker mention (article order):
- a continuation (no cue of its own) takes the source of the quotation it continues;
- a relative pronoun ("Smith, who said ...") stands for its antecedent;
- a name matches an earlier source or person named with the same words or a subset of them
  ("Watson" -> "Adrienne Watson", "Putin" -> "Vladimir Putin" from an earlier mention), and a
  country's capital stands for the country when that country is already a source
  ("Washington said" -> "United States");
- he/she take the most recent compatible person (gender from titles, first names and earlier
  pronouns; number), among sources and people named in the narrative; they takes the most
  recent group, plural or organisation; it the most recent organisation; I/we/you stay
  unresolved;
- definite descriptions: "the paper" takes the latest news organisation ("The paper" -> "The
  New York Times"), "the company" the latest organisation, "the senator" the person with that
  title, "the official" the earlier source with that noun;
- anything else is a new source, unnamed ones included ("An official at ... ministry").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop.domain import Source, Span
from desktop.nlp.attribution.context import Context, Found
from desktop.nlp.attribution.names import (
    ORG_NOUNS,
    PERSON_NOUNS,
    TITLE_FORMS,
    MentionInfo,
    describe,
    gender_of,
    name_key,
    strip_titles,
)
from desktop.nlp.attribution.speakers import antecedent, char_bounds, mention_bounds

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
ALIASES = {
    "us": "united states", "u.s": "united states", "usa": "united states",
    "america": "united states", "united states of america": "united states",
    "uk": "britain", "u.k": "britain", "united kingdom": "britain", "great britain": "britain",
    "dprk": "north korea", "rok": "south korea", "prc": "china",
}
CAPITALS = {
    "washington": "united states", "moscow": "russia", "kremlin": "russia",
    "beijing": "china", "pyongyang": "north korea", "seoul": "south korea", "tokyo": "japan",
    "london": "britain", "paris": "france", "berlin": "germany", "kyiv": "ukraine",
    "kiev": "ukraine", "tehran": "iran", "ankara": "turkey", "delhi": "india",
    "new delhi": "india", "islamabad": "pakistan", "jerusalem": "israel", "ottawa": "canada",
    "canberra": "australia", "rome": "italy", "madrid": "spain", "brussels": "european union",
    "taipei": "taiwan", "riyadh": "saudi arabia", "cairo": "egypt", "damascus": "syria",
    "baghdad": "iraq", "kabul": "afghanistan", "havana": "cuba", "caracas": "venezuela",
    "mexico city": "mexico", "brasilia": "brazil", "minsk": "belarus",
}
# fmt: on


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
    mentions: list[tuple[int, int]] = field(default_factory=list)


def _canon(tokens: tuple[str, ...]) -> str:
    name = " ".join(tokens).replace(".", "")
    name = ALIASES.get(name, name)
    return name


def _subset(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    return bool(short) and set(short) <= set(long)


class Resolver:
    """Builds the article's sources as speaker mentions come in, in article order."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.doc: Doc = ctx.doc
        self.sources: list[_Source] = []
        self.persons = [
            (e.start_char, strip_titles(e.text))
            for e in ctx.ents
            if e.label_ == "PERSON" and ctx.in_quote[e.start] == -1
        ]
        self.contents: list[tuple[int, int]] = []

    # -- matching ----------------------------------------------------------------------
    def _by_name(self, info: MentionInfo) -> _Source | None:
        if not info.name_tokens:
            return None
        canon = _canon(info.name_tokens)
        for src in reversed(self.sources):
            if src.form not in ("name", "group") and src.type != info.type:
                continue
            if _canon(src.tokens) == canon:
                return src
        if info.type in ("GPE", "ORG") and canon in CAPITALS:
            country = CAPITALS[canon]
            for src in reversed(self.sources):
                if _canon(src.tokens) == country:
                    return src
        if len(info.name_tokens) == 1 and info.type in ("ORG", "OTHER", "PERSON"):
            # a bare surname, whatever label the recogniser gave it: "Reyes" -> "Mark Reyes"
            for src in reversed(self.sources):
                if src.type == "PERSON" and info.name_tokens[0] in (src.tokens[0], src.tokens[-1]):
                    return src
        if info.type in ("PERSON", "ORG", "OTHER"):
            for src in reversed(self.sources):
                if src.form != "name" or (src.type != info.type and info.type != "OTHER"):
                    continue
                if _subset(info.name_tokens, src.tokens) or _subset(src.tokens, info.name_tokens):
                    return src
        return None

    def _longest_person_form(self, info: MentionInfo, pos: int) -> str:
        best = info.name
        for start, name in self.persons:
            if start > pos:
                break
            toks = name_key(name)
            if _subset(info.name_tokens, toks) and len(toks) > len(name_key(best)):
                best = name
        return best

    def _pronoun(self, info: MentionInfo, pos: int) -> _Source | None:
        """he/she: the most recent compatible person, among sources and people named in the
        narrative (outside quotations and reported content); they: the latest group."""
        low = info.head
        if low in ("i", "me", "you", "we", "us"):
            return None  # the writer or the reader: not resolved within the article
        if low == "it":
            for src in sorted(self.sources, key=lambda s: -s.last_pos):
                if src.type in ("ORG", "OTHER") and not src.plural and src.form != "pronoun":
                    return src
            return None
        if info.plural:
            for src in sorted(self.sources, key=lambda s: -s.last_pos):
                if src.plural or src.form == "group" or src.type in ("ORG", "NORP", "GPE"):
                    return src
            return None
        best: _Source | None = None
        for src in sorted(self.sources, key=lambda s: -s.last_pos):
            if src.plural or src.type not in ("PERSON", "OTHER"):
                continue
            if src.type == "OTHER" and src.form != "description":
                continue
            if info.gender and src.gender and src.gender != info.gender:
                continue
            best = src
            break
        since = best.last_pos if best is not None else -1
        for start, name in reversed(self.persons):
            if start >= pos or start <= since:
                continue
            if any(a <= start < b for a, b in self.contents):
                continue
            gender = gender_of(name.split()[:1])
            if info.gender and gender and gender != info.gender:
                continue
            form = MentionInfo(
                text=name,
                name=name,
                type="PERSON",
                form="name",
                gender=gender,
                name_tokens=name_key(name),
            )
            return self._by_name(form) or self._new(form, start)
        return best

    def _definite(self, info: MentionInfo, pos: int) -> _Source | None:
        head = info.head
        if not info.text.lower().startswith(("the ", "that ", "this ")):
            return None
        if any(w[:1].isupper() for w in info.text.split()[1:]):
            return None  # a name of its own: "The United Auto Workers union"
        for src in sorted(self.sources, key=lambda s: -s.last_pos):
            if src.head == head and src.form == "description":
                return src
            if src.type == "PERSON" and head in PERSON_NOUNS and src.description:
                words = src.description.lower().replace(",", " ").split()
                if any(form in words for form in TITLE_FORMS.get(head, (head,))):
                    return src  # "the president" after "President Joe Biden"
            if src.type == "ORG" and head in src.tokens:
                return src
            if head in MEDIA_NOUNS and src.type == "ORG" and MEDIA_HINT.search(src.name):
                return src
        if head in ORG_NOUNS:
            for src in sorted(self.sources, key=lambda s: -s.last_pos):
                if src.type == "ORG":
                    return src  # "the company" after "Acme Corp said ..."
        if head in MEDIA_NOUNS:
            for ent in reversed([e for e in self.ctx.ents if e.start_char < pos]):
                if ent.label_ == "ORG" and MEDIA_HINT.search(ent.text):
                    info = MentionInfo(
                        text=ent.text,
                        name=strip_titles(ent.text),
                        type="ORG",
                        form="name",
                        name_tokens=name_key(ent.text),
                    )
                    return self._by_name(info) or self._new(info, ent.start_char)
            for src in sorted(self.sources, key=lambda s: -s.last_pos):
                if src.type == "ORG":
                    return src
        return None

    # -- building ----------------------------------------------------------------------
    def _new(self, info: MentionInfo, pos: int) -> _Source:
        name = info.name
        if info.form == "name" and info.type in ("PERSON", "OTHER"):
            name = self._longest_person_form(info, pos)
            if name != info.name:
                info.type = "PERSON"
        src = _Source(
            key=f"s{len(self.sources) + 1}",
            name=name or info.text,
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

    def resolve(self, f: Found) -> str | None:
        """The source key for one statement with a speaker mention."""
        head = antecedent(self.doc[f.speaker_head])  # "who" stands for its antecedent
        lo, hi = mention_bounds(head)
        info = describe(self.doc, head, lo, hi, self.ctx.ents)
        pos = f.speaker[0]
        if info.form == "pronoun":
            src = self._pronoun(info, pos)
            if src is not None and info.gender and not src.gender:
                src.gender = info.gender
        elif info.form in ("name", "group"):
            src = self._by_name(info) or self._new(info, pos)
            if len(info.name_tokens) > len(src.tokens) and info.type == src.type == "PERSON":
                src.name, src.tokens = info.name, info.name_tokens
        else:
            src = self._definite(info, pos) or self._by_name(info) or self._new(info, pos)
        if src is None:
            return None
        if info.description and not src.description:
            src.description = info.description
        if info.gender and not src.gender and info.form != "pronoun":
            src.gender = info.gender
        if f.speaker not in src.mentions:
            src.mentions.append(f.speaker)
        if head.i != f.speaker_head:  # the antecedent of "who" is a mention too
            src.mentions.append(char_bounds(self.doc, lo, hi))
        src.last_pos = max(src.last_pos, pos)
        return src.key

    def result(self) -> list[Source]:
        text = self.ctx.text
        out = []
        for s in self.sources:
            spans = sorted(set(s.mentions))
            out.append(
                Source(
                    key=s.key,
                    name=s.name,
                    type=s.type,
                    description=s.description,
                    mentions=[Span.of(text, a, b) for a, b in spans],
                )
            )
        return out


def resolve_sources(ctx: Context, found: list[Found]) -> list[Source]:
    """Set ``source_key`` on every statement it can, and return the sources."""
    resolver = Resolver(ctx)
    resolver.contents = [(f.start, f.end) for f in found]
    for f in sorted(found, key=lambda f: f.start):
        if f.follows_found is None and f.speaker_head is not None:
            f.source_key = resolver.resolve(f)
    for f in sorted(found, key=lambda f: f.start):
        if f.follows_found is not None:
            f.source_key = f.follows_found.source_key
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
