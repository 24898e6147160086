"""Lists of speakers and names beside titles.

- "Kim and Clark Moran said", "His lawyers, Ann Lee and Bo Chan, said": one source named by
  the whole list with full names, as the Gender Gap Tracker annotates lists;
- "Keeper of the Ruler's Seal, Syed Ahmad, said": the person the title's appositive names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.nlp.attribution.names import MentionInfo, name_key
from desktop.nlp.attribution.places import canon

if TYPE_CHECKING:
    from spacy.tokens import Token

    from desktop.nlp.attribution.people import Named
    from desktop.nlp.attribution.resolve import Decision, Resolver


def listed_people(r: Resolver, head: Token) -> list[Named]:
    """The people a list names ("Kim and Clark Moran", "His lawyers, A and B,"): the
    records of the head (or of its appositive) and of its conjuncts."""
    heads = [head]
    if r.people.at(head.i) is None:
        heads = [c for c in head.children if c.dep_ == "appos"][:1]
    out: list[Named] = []
    while heads:
        tok = heads.pop(0)
        rec = r.people.at(tok.i)
        if rec is not None and rec.type == "PERSON" and rec not in out:
            out.append(rec)
        heads.extend(c for c in tok.children if c.dep_ == "conj")
    return out


def group_decision(r: Resolver, info: MentionInfo, members: list[Named], pos: int) -> Decision:
    """One source for a list of speakers, named by the whole list with full names, as
    the Gender Gap Tracker annotates it ("Nick Sandmann and Nathan Phillips")."""
    name = info.name
    if len(members) > 1:
        names = [m.name for m in members]
        name = ", ".join(names[:-1]) + " and " + names[-1]
    tokens = name_key(name)
    same = [s for s in r.sources if s.form == "group" and canon(s.tokens) == canon(tokens)]
    if same:
        src = same[-1]
    else:
        src = r.new_source(info, pos)
        src.form, src.plural, src.name, src.tokens = "group", True, name, tokens
        if members and len(members) > 1:
            src.type = "PERSON"
    return r.decide(src, "group", f"“{info.text}”: a list of speakers, one source")


def titled_person(r: Resolver, head: Token) -> Named | None:
    """ "Keeper of the Ruler's Seal, Syed Ahmad, said": the person a title's comma
    appositive names, when the title itself names nobody."""
    if r.people.at(head.i) is not None:
        return None
    for child in head.children:
        if child.dep_ == "appos":
            rec = r.people.at(child.i)
            if rec is not None and rec.type == "PERSON":
                return rec
    return None
