"""Lists of speakers and names beside titles.

- "Kim and Clark Moran said", "His lawyers, Ann Lee and Bo Chan, said": one source named by
  the whole list with full names, as the Gender Gap Tracker annotates lists;
- "Keeper of the Harbour Records, Omar Haddad, said": the person the title's appositive names.
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
    the Gender Gap Tracker annotates it ("Ada Brook and Tom Hale")."""
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
    """ "Keeper of the Harbour Records, Omar Haddad, said": the person a title's comma
    appositive names, when the title itself names nobody (a one-word "name" governing an
    "of" phrase is a title the recogniser took for a name: "Clerk of the Privy Council")."""
    own = r.people.at(head.i)
    if own is not None and not (
        len(own.tokens) == 1 and any(c.dep_ == "prep" and c.lower_ == "of" for c in head.children)
    ):
        return None
    for child in head.children:
        if child.dep_ == "appos":
            rec = r.people.at(child.i)
            if rec is not None and rec.type == "PERSON":
                return rec
    return _closing_appositive(r, head)


def _closing_appositive(r: Resolver, head: Token) -> Named | None:
    """A title whose own words end in a comma and a name the parser hung on the title's
    last word ("Keeper of the Harbour Records, Omar Haddad, said": the appositive is Records'):
    that person, when the name closes the title's phrase."""
    if head.pos_ == "PRON":
        return None
    for tok in head.subtree:
        if tok.i <= head.i or tok.dep_ != "appos" or tok.head.i == head.i:
            continue
        rec = r.people.at(tok.i)
        before = r.doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
        if rec is None or rec.type != "PERSON" or before is None or before.text != ",":
            continue
        tail = r.doc[tok.right_edge.i + 1 : head.right_edge.i + 1]
        if all(t.is_punct for t in tail):
            return rec
    return None
