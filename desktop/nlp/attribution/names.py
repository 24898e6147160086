"""What a speaker mention says about its source: display name, type, description, gender,
number, and whether it is a name, a pronoun, a group or a description ("the paper").

Names come from the entities inside the mention (titles stripped: "President Vladimir Putin"
is "Vladimir Putin"); the words around the name become the description ("spokeswoman,
National Security Council"); gender comes from titles and a short list of first names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

# fmt: off
TITLES = {
    "president", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen", "sen.", "senator",
    "rep", "rep.", "gov", "gov.", "governor", "secretary", "minister", "prime", "gen", "gen.",
    "general", "prof", "prof.", "professor", "judge", "justice", "mayor", "chancellor", "king",
    "queen", "prince", "princess", "pope", "rev", "rev.", "sir", "lord", "lady", "speaker",
    "leader", "chairman", "chairwoman", "ceo", "vice", "former", "candidate", "nominee",
    "sgt", "sgt.", "lt", "lt.", "col", "col.", "capt", "capt.", "adm", "adm.", "attorney",
}
FEMALE = {
    "she", "her", "herself", "mrs", "mrs.", "ms", "ms.", "spokeswoman", "chairwoman",
    "congresswoman", "businesswoman", "woman", "mother", "wife", "daughter", "sister", "queen",
    "princess", "lady", "actress", "grandmother", "girl", "madam",
    # common first names
    "hillary", "mary", "patricia", "jennifer", "linda", "elizabeth", "barbara", "susan",
    "jessica", "sarah", "karen", "nancy", "lisa", "margaret", "sandra", "ashley", "emily",
    "donna", "michelle", "carol", "amanda", "melissa", "deborah", "stephanie", "rebecca",
    "laura", "sharon", "cynthia", "kathleen", "amy", "angela", "anna", "ann", "julie", "kelly",
    "christine", "catherine", "maria", "heather", "diane", "ruth", "julia", "samantha",
    "kellyanne", "ivanka", "melania", "michele", "nikki", "theresa",
    "marine", "ursula", "kamala", "condoleezza", "madeleine",
    "huma", "debbie", "jill", "hope", "katrina", "kate", "jane", "helen", "claire",
}
MALE = {
    "he", "him", "himself", "mr", "mr.", "spokesman", "chairman", "congressman", "businessman",
    "man", "father", "husband", "son", "brother", "king", "prince", "boy", "sir", "lord",
    "pope",
    "donald", "barack", "bill", "john", "james", "robert", "michael", "william", "david",
    "richard", "joseph", "thomas", "charles", "christopher", "daniel", "matthew", "anthony",
    "mark", "paul", "steven", "andrew", "kenneth", "joshua", "kevin", "brian", "george",
    "edward", "ronald", "timothy", "jason", "jeffrey", "ryan", "jacob", "gary", "eric",
    "jonathan", "stephen", "larry", "justin", "scott", "frank", "benjamin", "gregory", "samuel",
    "patrick", "jack", "dennis", "jerry", "mike", "jeb", "ted", "marco", "bernie", "tim",
    "joe", "chris", "newt", "rudy", "reince", "sean", "xi", "mitch",
    "harry", "chuck", "rand", "ben", "jim", "tom", "bob", "steve", "dan",
    "emmanuel", "boris", "narendra", "shinzo",
}
PERSON_NOUNS = {
    "official", "spokesman", "spokeswoman", "spokesperson", "aide", "adviser", "advisor",
    "analyst", "expert", "source", "diplomat", "minister", "president", "leader", "senator",
    "lawmaker", "congressman", "congresswoman", "candidate", "nominee", "director", "chief",
    "executive", "professor", "researcher", "fellow", "economist", "lawyer", "attorney",
    "prosecutor", "judge", "officer", "resident", "witness", "voter", "supporter", "critic",
    "strategist", "pollster", "activist", "member", "manager", "chairman", "chairwoman",
    "governor", "mayor", "secretary", "ambassador", "envoy", "general", "commander",
    "representative", "person", "man", "woman", "doctor", "scientist",
    "author", "writer", "reporter", "journalist", "editor", "host", "employee", "worker",
}
ORG_NOUNS = {"company", "firm", "group", "carmaker", "automaker", "bank", "lender", "insurer",
             "airline", "retailer", "manufacturer", "producer", "maker", "union", "party",
             "campaign", "organization", "organisation", "agency", "ministry", "department",
             "committee", "commission", "council", "court", "board", "regulator", "watchdog",
             "government", "administration", "office", "institute", "foundation", "charity",
             "club", "team", "league", "federation", "association", "coalition", "alliance",
             "startup", "conglomerate", "operator", "utility", "exchange", "fund", "university"}
PARTY_WORDS = {"republican", "democrat", "liberal", "conservative", "tory", "progressive",
               "independent", "socialist", "libertarian", "dem", "gop"}
# the tagger calls some names pronouns ("Brind'Amour"): only these words are
PRONOUNS = {"he", "she", "it", "they", "i", "we", "you", "him", "her", "them", "us", "me",
            "who", "whom", "one", "someone", "somebody", "everyone", "anyone", "nobody"}
GROUP_PRONOUNS = {"they", "we", "them"}
HONORIFICS = {"mr", "mrs", "ms", "miss", "mx", "sir", "madam"}
# The title a definite description names, with its abbreviations: "the senator" -> "Sen. X".
TITLE_FORMS = {
    "senator": ("senator", "sen."), "governor": ("governor", "gov."),
    "representative": ("representative", "rep."), "congressman": ("congressman", "rep."),
    "congresswoman": ("congresswoman", "rep."), "doctor": ("doctor", "dr."),
    "general": ("general", "gen."), "professor": ("professor", "prof."),
}
DETERMINERS = {"the", "a", "an", "this", "that", "these", "those"}
POSSESSIVES = {"its", "his", "her", "their", "our", "my", "your"}
SOURCE_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP",
                 "LOC": "GPE", "FAC": "ORG"}
# fmt: on


@dataclass
class MentionInfo:
    """What one speaker mention tells about its source."""

    text: str
    name: str
    type: str = "OTHER"
    description: str = ""
    form: str = "description"  # name | pronoun | group | description
    gender: str | None = None  # "f", "m" or None
    plural: bool = False
    head: str = ""  # lower-cased head word
    name_tokens: tuple[str, ...] = field(default_factory=tuple)


def _clean(text: str) -> str:
    text = text.strip().strip(',;:―—–-"<>“”«» ')
    if text.endswith("'s") or text.endswith("’s"):
        text = text[:-2]
    words = text.split()
    if words and (words[0].lower() in DETERMINERS or words[0].lower() in POSSESSIVES):
        words = words[1:]
    return " ".join(words)


def org_name(ent: SpacySpan) -> str:
    """An organisation's name: "the" dropped, unless a capital "The" inside a sentence shows
    it belongs to the name ("according to The New York Times")."""
    first = ent[0]
    if (
        first.text == "The"
        and not first.is_sent_start
        and first.i > 0
        and ("\n" not in first.nbor(-1).text_with_ws)
    ):
        return ent.text.strip()
    return _clean(ent.text)


def strip_titles(name: str) -> str:
    """A person's name without leading titles: "President Vladimir Putin" -> "Vladimir Putin"."""
    words = _clean(name).split()
    while len(words) > 1 and words[0].lower().strip(",") in TITLES:
        words = words[1:]
    return " ".join(words)


def name_key(name: str) -> tuple[str, ...]:
    """Lower-cased words of a name, without punctuation, for comparing names."""
    out = []
    for w in name.replace("’", "'").split():
        w = w.strip(".,'\"()").lower()
        if w.endswith("'s"):
            w = w[:-2]
        if w and w not in DETERMINERS:
            out.append(w)
    return tuple(out)


def gender_of(words: Iterable[str]) -> str | None:
    """ "f" or "m" from the first gendered word (title, role noun or first name), else None."""
    from desktop.nlp.attribution.gender import first_name_gender

    for w in words:
        w = w.lower()
        if w in FEMALE:
            return "f"
        if w in MALE:
            return "m"
        g = first_name_gender(w)
        if g:
            return g
    return None


def _entities(ents: list[SpacySpan], lo: int, hi: int) -> list[SpacySpan]:
    return [e for e in ents if e.start >= lo and e.end <= hi and e.label_ in SOURCE_LABELS]


def describe(
    doc: Doc, head: Token, lo: int, hi: int, ents: list[SpacySpan] | None = None
) -> MentionInfo:
    """Read name, type, description, gender and number off the mention ``doc[lo:hi]``
    (``ents``: the doc's entities, when the caller has them at hand)."""
    ents_all = list(doc.ents) if ents is None else ents
    text = doc[lo:hi].text
    low = head.lower_
    info = MentionInfo(text=text, name=_clean(text), head=head.lemma_.lower())
    if head.pos_ == "PRON" and (low in PRONOUNS or not head.text[:1].isupper()):
        info.form = "pronoun"
        info.gender = {"he": "m", "him": "m", "she": "f", "her": "f"}.get(low)
        info.plural = low in GROUP_PRONOUNS
        info.head = low
        return info
    ents = _entities(ents_all, lo, hi)
    conj = any(c.dep_ == "conj" and not _role_conjunct(doc, head, c) for c in head.children)
    if conj:
        info.form = "group"
        info.plural = True
        labels = {SOURCE_LABELS[e.label_] for e in ents}
        info.type = labels.pop() if len(labels) == 1 else "OTHER"
        info.name_tokens = name_key(info.name)
        return info
    own = next((e for e in ents if e.start <= head.i < e.end), None)
    persons = [
        e
        for e in ents
        if e.label_ == "PERSON"
        and not (e.root.dep_ == "poss" and e.root.head.i == head.i and head.pos_ == "NOUN")
        and not (e.root.dep_ == "pobj" and e.root.head.head.i == head.i and head.pos_ == "NOUN")
    ]  # "Novak's agent" is the agent, not Novak; "a spokeswoman for Ruiz" not Ruiz
    if own is None and not persons and head.pos_ == "NOUN":
        # "Its president, Mark Reyes, said": the name stands in a comma appositive
        for child in head.children:
            if child.dep_ == "appos":
                persons = [
                    e
                    for e in _entities(ents_all, child.left_edge.i, child.right_edge.i + 1)
                    if e.label_ == "PERSON" and e.root.i == child.i
                ]
                if persons:
                    hi = max(hi, persons[-1].end)
                    break
    if own is not None and own.label_ == "NORP" and low in PARTY_WORDS:
        if text.lower().startswith("the "):
            own = None  # "the Kentucky Republican" describes a person
    if (
        own is None
        and persons
        and (head.pos_ == "PROPN" or persons[-1].end == hi or persons[-1].root.head.i == head.i)
    ):
        own = persons[-1]  # "spokeswoman Anna Berg": the name is an appositive of the title
    if own is not None:
        info.form = "name"
        info.type = SOURCE_LABELS[own.label_]
        info.name = strip_titles(own.text) if info.type == "PERSON" else org_name(own)
        info.name_tokens = name_key(info.name)
        info.description = _description(doc, head, lo, own, ents_all)
        words = [t.lower_ for t in doc[lo:hi]] + info.description.split()
        info.gender = gender_of(words) if info.type == "PERSON" else None
        info.plural = info.type == "NORP" and own.text.endswith("s")
        return info
    if head.pos_ == "PROPN" and not (low in PARTY_WORDS and info.text.lower().startswith("the ")):
        info.form = "name"
        info.name_tokens = name_key(info.name)
        return info
    info.plural = head.tag_ in ("NNS", "NNPS")
    if low in PARTY_WORDS:
        info.type = "PERSON"  # "the Kentucky Republican"
    elif info.head in ORG_NOUNS:
        info.type = "ORG"
    elif info.head in PERSON_NOUNS or low in PERSON_NOUNS:
        info.type = "PERSON"
        info.gender = gender_of([t.lower_ for t in doc[lo:hi]])
    info.name_tokens = name_key(info.name)
    return info


def _role_conjunct(doc: Doc, head: Token, conj: Token) -> bool:
    """A role the parser took for a second speaker: "Lena Holm, water quality and
    safety manager with ..., said" hangs "quality" on "Holm" as a conjunct.  A common
    noun right after the comma that follows a person's name describes that person; a
    name, a pronoun or a noun joined by "and" is another speaker ("Kim and his wife")."""
    if head.ent_type_ != "PERSON" or conj.pos_ != "NOUN" or conj.ent_type_:
        return False
    first = conj.left_edge.i
    return first > 0 and doc[first - 1].text == "," and doc[first - 1].head.i == head.i


def _description(doc: Doc, head: Token, lo: int, own: SpacySpan, ents: list[SpacySpan]) -> str:
    """Title and affiliation around a name: "spokeswoman, National Security Council"."""
    if own.label_ != "PERSON":
        return ""
    parts: list[str] = []
    before = doc[lo : own.start]
    orgs = [
        e
        for e in ents
        if e.start >= lo
        and e.end <= own.start
        and e.label_ == "ORG"
        and not (e.start > 0 and doc[e.start - 1].text == "(")
    ]
    if orgs:
        after_org = doc[orgs[-1].end : own.start]
        titles = [
            t.text
            for t in after_org
            if t.pos_ in ("NOUN", "PROPN", "ADJ") and not t.ent_type_ and t.text not in ("(", ")")
        ]
        parts.append(" ".join(titles))
        parts.append(_clean(orgs[-1].text))
    else:
        parts.append(_clean(before.text))
    own_words = own.text.split()
    titles_in_name = own_words[: len(own_words) - len(strip_titles(own.text).split())]
    if titles_in_name and not parts[0]:
        parts[0] = " ".join(titles_in_name)
    if parts[0].lower().rstrip(".") in HONORIFICS:
        parts[0] = ""  # "Mrs." is a form of address, not a description
    for child in head.children:
        if child.dep_ == "appos" and not own.start <= child.i < own.end:
            app = _clean(doc[child.left_edge.i : child.right_edge.i + 1].text)
            if app and len(app.split()) <= 15:
                parts.append(app)
    return ", ".join(p for p in parts if p)
