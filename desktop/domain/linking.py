"""The name rules that link an article's source to a collection-wide record.

Pure functions over names: ``name_forms`` gives the forms a record answers to (stored in
``person_name`` for an indexed lookup), ``lookup_forms`` the forms to look up for a
source, and ``decide`` picks among the candidates found. The rules, most certain first:

- ``full_name``: the same name, ignoring case, accents, punctuation, honorifics and a
  leading "the" ("Dr. Ana Ruiz" = "Ana Ruiz"; "the RCMP" = "RCMP");
- ``alias``: a name the record is known by;
- ``org_short``: an organisation's initials ("RCMP" = "Royal Canadian Mounted Police",
  either way round);
- ``surname.first_name``: same surname, and first names that agree (equal, or one is the
  other's initial: "J. Smith" = "John Smith"); different first names are different people;
- ``surname.role``: a bare surname ("Smith") whose description shares a word of the
  record's role ("minister" and "finance minister");
- ``surname.unique``: a bare surname, exactly one record of that surname and none with
  it as a given name.

Several records fitting equally well is ``ambiguous``: the source stays unlinked and is
listed for the analyst ("Kim", two people called Smith).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from desktop.domain.people import PersonType

# honorifics and titles that stand before a name and are not part of it
HONORIFICS = frozenset(
    "mr mrs ms miss mx dr prof professor sir dame lord lady rev reverend fr father sister "
    "president premier prime minister sen senator rep representative gov governor mayor "
    "gen general col colonel capt captain lt sgt judge justice chief inspector det "
    "detective officer constable king queen prince princess pope chancellor secretary "
    "ambassador commissioner councillor councilor minister mp mla".split()
)
# words left out of an organisation's initials ("Bank of Canada" -> "BC"? no: "boc")
ORG_GLUE = frozenset("of the and for on in at to de du des la le el y et & a an".split())
ROLE_STOPWORDS = frozenset(
    "the a an of for and in on at to with from by former current new acting deputy "
    "senior chief head".split()
)

CONFIDENCE = {
    "full_name": 0.95,
    "alias": 0.9,
    "org_short": 0.85,
    "surname.first_name": 0.9,
    "surname.role": 0.85,
    "surname.unique": 0.7,
}


def _fold(text: str) -> str:
    """Case-, accent- and width-folded text, punctuation as spaces (inner ' and - kept)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold().replace("\u2019", "'")
    text = re.sub(r"[^\w'\-]+", " ", text)
    text = re.sub(r"(?<!\w)['\-]|['\-](?!\w)", " ", text)
    return " ".join(text.split())


def words(name: str) -> list[str]:
    """The folded words of a name, without a leading "the"."""
    found = _fold(name).split()
    if found and found[0] == "the":
        found = found[1:]
    return found


def person_words(name: str) -> list[str]:
    """A person's name words without the honorifics in front ("Dr. Ana Ruiz" -> ana ruiz)
    and without a possessive or a generational suffix at the end."""
    found = words(name)
    while len(found) > 1 and found[0] in HONORIFICS:
        found = found[1:]
    while len(found) > 2 and found[-1] in {"jr", "sr", "ii", "iii", "iv"}:
        found = found[:-1]
    return [w.removesuffix("'s") for w in found]


def initials(name: str) -> str | None:
    """An organisation's initials ("Royal Canadian Mounted Police" -> "rcmp"), from two
    capitalised words on; None for a shorter name."""
    raw = re.findall(r"[^\W\d_][\w'\-]*", name)
    if raw and raw[0].casefold() == "the":
        raw = raw[1:]
    letters = [w[0] for w in raw if w.casefold() not in ORG_GLUE and w[:1].isupper()]
    if len(letters) < 2:
        return None
    return _fold("".join(letters)).replace(" ", "")


def is_acronym(name: str) -> bool:
    """ "RCMP", "the FBI", "U.N.": two to eight capital letters, dots allowed."""
    bare = re.sub(r"^(?i:the)\s+", "", name.strip()).replace(".", "")
    return 2 <= len(bare) <= 8 and bare.isalpha() and bare.isupper()


def full_form(name: str, type_: PersonType) -> str:
    """The one form that stands for the whole name."""
    if type_ == PersonType.PERSON:
        return " ".join(person_words(name))
    if type_ == PersonType.ORG and is_acronym(name):
        return "".join(words(name.replace(".", "")))
    return " ".join(words(name))


def name_forms(name: str, type_: PersonType, aliases: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The (form, kind) pairs a record answers to: ``full``, ``surname`` (a person's last
    name word, from two words on), ``initials`` (an organisation's) and ``alias``."""
    forms: list[tuple[str, str]] = []
    full = full_form(name, type_)
    if full:
        forms.append((full, "full"))
    if type_ == PersonType.PERSON:
        parts = person_words(name)
        if len(parts) >= 2:
            forms.append((parts[-1], "surname"))
            forms.append((parts[0], "given"))
    elif type_ == PersonType.ORG and not is_acronym(name):
        short = initials(name)
        if short:
            forms.append((short, "initials"))
    for alias in aliases:
        form = full_form(alias, type_)
        if form and (form, "alias") not in forms:
            forms.append((form, "alias"))
    return [(f[:300], k) for f, k in forms]


def lookup_forms(name: str, type_: PersonType) -> list[str]:
    """The forms to look up for a source of that name: its full form, a person's surname,
    an organisation's initials."""
    found = [full_form(name, type_)]
    if type_ == PersonType.PERSON:
        parts = person_words(name)
        if len(parts) >= 2:
            found.append(parts[-1])
    elif type_ == PersonType.ORG:
        short = initials(name)
        if short:
            found.append(short)
    return [f[:300] for f in dict.fromkeys(f for f in found if f)]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A record found for a source: what the linking rules need of it."""

    person_id: int
    name: str
    type: PersonType
    role: str
    aliases: tuple[str, ...]
    forms: tuple[tuple[str, str], ...]  # (form, kind) pairs that matched a lookup form


@dataclass(frozen=True, slots=True)
class Decision:
    """What the rules decided for one source: link to ``person_id`` (with ``rule`` and
    ``confidence``), ``ambiguous`` among ``candidates``, or ``new`` (no record fits)."""

    rule: str
    person_id: int | None = None
    confidence: float | None = None
    candidates: tuple[int, ...] = ()
    reason: str = ""


def _first_names_agree(a: str, b: str) -> bool:
    if a == b:
        return True
    return (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _role_words(text: str) -> set[str]:
    return {w for w in words(text) if w not in ROLE_STOPWORDS and len(w) > 2}


def _one(rule: str, matches: Sequence[Candidate], reason: str) -> Decision:
    if not matches:
        return Decision("new")
    if len(matches) == 1 and rule != "ambiguous":
        return Decision(rule, matches[0].person_id, CONFIDENCE[rule], reason=reason)
    ids = tuple(sorted(c.person_id for c in matches))
    names = ", ".join(sorted({c.name for c in matches}))
    return Decision("ambiguous", candidates=ids, reason=f"{reason}: several records ({names})")


def decide(
    name: str, type_: PersonType, description: str, candidates: Sequence[Candidate]
) -> Decision:
    """Link a source (its name, record type and description) to one of the records found
    by its lookup forms, or say why not."""
    fit = [c for c in candidates if c.type == type_]
    full = full_form(name, type_)
    bare = type_ == PersonType.PERSON and len(person_words(name)) < 2
    # a bare name ("Osei") that is some record's whole name is still only a surname
    exact = [] if bare else [c for c in fit if (full, "full") in c.forms]
    if exact:
        return _one("full_name", exact, f"same name as {exact[0].name!r}")
    alias = [c for c in fit if (full, "alias") in c.forms]
    if alias:
        return _one("alias", alias, f"{name!r} is a known alias")
    if type_ == PersonType.ORG:
        short = initials(name)
        by_short = [
            c
            for c in fit
            if (full, "initials") in c.forms or (short is not None and (short, "full") in c.forms)
        ]
        if by_short:
            return _one("org_short", by_short, f"{name!r} and its initials")
        return Decision("new")
    if type_ != PersonType.PERSON:
        return Decision("new")
    parts = person_words(name)
    surname = parts[-1] if parts else ""
    same_surname = [
        c for c in fit if (surname, "surname") in c.forms or (bare and (surname, "full") in c.forms)
    ]
    if len(parts) >= 2:
        first = parts[0]
        agreeing = [c for c in same_surname if _first_names_agree(first, person_words(c.name)[0])]
        if agreeing:
            return _one("surname.first_name", agreeing, f"same surname and first name {first!r}")
        return Decision("new")  # "Jane Smith" is not "John Smith"
    # a bare name: a surname, or a given name ("Kim" is both), so both kinds are candidates
    given = [c for c in fit if (surname, "given") in c.forms and c not in same_surname]
    wanted = _role_words(description)
    if wanted and same_surname:
        by_role = [c for c in same_surname if wanted & _role_words(c.role)]
        if len(by_role) == 1:
            return _one("surname.role", by_role, f"surname {surname!r} with the same role")
    if len(same_surname) == 1 and not given:
        return _one("surname.unique", same_surname, f"only record with surname {surname!r}")
    return _one("ambiguous", [*same_surname, *given], f"{name!r} alone")
