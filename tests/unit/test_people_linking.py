"""Linking an article's sources to collection-wide records: each rule and its negatives,
on small articles of our own that quote the same people under different forms, and the
rules as properties over generated names."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Quote, QuoteKind, Source, Span
from desktop.domain.linking import Candidate, Decision, decide, lookup_forms, name_forms
from desktop.domain.people import ArticleFilter, PersonType, SourceLink
from desktop.services import sources
from desktop.store import Database, people
from desktop.store import repository as repo

# a source: (name, type, description, its mention)
Cast = tuple[str, str, str, str]
# Four short articles of our own, each with its cast.
STORIES: list[tuple[str, str, list[Cast]]] = [
    (
        "harbour-1",
        'Dr. Amara Osei said "the harbour will reopen in May." The Royal Canadian Mounted '
        'Police said "the inquiry goes on." Jonas Okafor, the finance minister, said "costs '
        'are rising." Kim Jong Un said "we are ready." Kim Yo Jong said "talks are over."',
        [
            ("Dr. Amara Osei", "PERSON", "", "Dr. Amara Osei"),
            ("Royal Canadian Mounted Police", "ORG", "", "Royal Canadian Mounted Police"),
            ("Jonas Okafor", "PERSON", "finance minister", "Jonas Okafor"),
            ("Kim Jong Un", "PERSON", "", "Kim Jong Un"),
            ("Kim Yo Jong", "PERSON", "", "Kim Yo Jong"),
        ],
    ),
    (
        "harbour-2",
        'Amara Osei said "the dredging is late." The RCMP said "two people were charged." '
        'J. Okafor said "the budget holds." Jane Okafor, a teacher, said "schools wait."',
        [
            ("Amara Osei", "PERSON", "", "Amara Osei"),
            ("the RCMP", "ORG", "", "The RCMP"),
            ("J. Okafor", "PERSON", "", "J. Okafor"),
            ("Jane Okafor", "PERSON", "teacher", "Jane Okafor"),
        ],
    ),
    (
        "harbour-3",
        'Osei said "we are on time." Okafor, the minister of finance, said "no new taxes." '
        'Kim said "nothing changes."',
        [
            ("Osei", "PERSON", "", "Osei"),
            ("Okafor", "PERSON", "minister of finance", "Okafor"),
            ("Kim", "PERSON", "", "Kim"),
        ],
    ),
    (
        "harbour-4",
        'Okafor said "I disagree." Mounties said "patrols double." Amara Osei-Mensah said '
        '"the port is mine."',
        [
            ("Okafor", "PERSON", "", "Okafor"),
            ("Mounties", "ORG", "", "Mounties"),
            ("Amara Osei-Mensah", "PERSON", "", "Amara Osei-Mensah"),
        ],
    ),
]


def story(external_id: str, text: str, cast: Sequence[Cast]) -> Article:
    """The article with one source and one quote per cast member (the quote is the
    quoted words after the mention)."""
    srcs, quotes = [], []
    for n, (name, type_, description, mention) in enumerate(cast, 1):
        at = text.index(mention)
        open_ = text.index('"', at) + 1
        close = text.index('"', open_)
        key = f"s{n}"
        srcs.append(Source(key, name, type_, description, [Span(at, at + len(mention), mention)]))
        quotes.append(
            Quote(
                open_,
                close,
                text[open_:close],
                QuoteKind.DIRECT,
                None,
                Span(at, at + len(mention), mention),
                key,
            )  # fmt: skip
        )
    return Article(
        external_id,
        text,
        title=external_id,
        meta={"published": f"2026-11-0{external_id[-1]}", "outlet": "Harbour Times"},
        sources=srcs,
        quotes=quotes,
    )


def add_linked(
    db: Database, collection: str, external_id: str, text: str, cast: Sequence[Cast]
) -> list[SourceLink]:
    """Import one story into the collection and link its sources; its links."""
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s, collection), story(external_id, text, cast))
        assert aid is not None
        people.link_article(s, aid)
        return people.links_of_article(s, aid)


@pytest.fixture
def linked(db: Database) -> dict[str, dict[str, tuple[str, int | None]]]:
    """The four stories imported and linked: {article: {source name: (rule, record id)}}."""
    return {
        external_id: {
            link.source_name: (link.rule, link.person_id)
            for link in add_linked(db, "harbour", external_id, text, cast)
        }
        for external_id, text, cast in STORIES
    }


def test_each_rule_links_as_a_reader_would(linked: dict, db: Database) -> None:
    one, two, three, four = (linked[f"harbour-{n}"] for n in range(1, 5))
    osei = one["Dr. Amara Osei"][1]
    mounties = one["Royal Canadian Mounted Police"][1]
    jonas = one["Jonas Okafor"][1]
    # full name, honorific and case aside
    assert two["Amara Osei"] == ("full_name", osei)
    # organisation short form
    assert two["the RCMP"] == ("org_short", mounties)
    # surname with a first name that agrees (an initial)
    assert two["J. Okafor"] == ("surname.first_name", jonas)
    # a different first name is a different person
    assert two["Jane Okafor"][0] == "new" and two["Jane Okafor"][1] != jonas
    # a bare surname whose description shares the record's role
    assert three["Okafor"] == ("surname.role", jonas)
    # a bare surname, one record of it
    assert three["Osei"] == ("surname.unique", osei)
    # a longer surname is not the same surname
    assert four["Amara Osei-Mensah"][0] == "new"
    # "Mounties" is not a short form of the name
    assert four["Mounties"][0] == "new"


def test_ambiguous_matches_stay_unlinked_and_are_listed(linked: dict, db: Database) -> None:
    three, four = linked["harbour-3"], linked["harbour-4"]
    assert three["Kim"] == ("ambiguous", None)  # Kim Jong Un, Kim Yo Jong
    assert four["Okafor"] == ("ambiguous", None)  # Jonas and Jane Okafor, no role to tell
    listed = {(a.external_id, a.source_name): a for a in sources.ambiguous(db)}
    assert set(listed) == {("harbour-3", "Kim"), ("harbour-4", "Okafor")}
    assert {p.name for p in listed[("harbour-3", "Kim")].candidates} == {
        "Kim Jong Un",
        "Kim Yo Jong",
    }
    assert {p.name for p in listed[("harbour-4", "Okafor")].candidates} == {
        "Jonas Okafor",
        "Jane Okafor",
    }


def test_the_index_and_concordance_follow_the_links(linked: dict, db: Database) -> None:
    page = sources.record_page(db, ArticleFilter(collection="harbour"))
    by_name = {r.person.name: r for r in page.rows}
    assert by_name["Dr. Amara Osei"].quotes == 3 and by_name["Dr. Amara Osei"].articles == 3
    assert by_name["Jonas Okafor"].quotes == 3
    assert by_name["Royal Canadian Mounted Police"].quotes == 2
    lines = sources.concordance(db, by_name["Jonas Okafor"].person.id)
    assert [line.external_id for line in lines] == ["harbour-3", "harbour-2", "harbour-1"]
    assert lines[0].text == "no new taxes."
    assert [r.person.name for r in sources.record_page(db, search="okaf").rows] == [
        "Jonas Okafor",
        "Jane Okafor",
    ]


def test_a_known_alias_links(db: Database) -> None:
    text = 'The port chief said "ships wait." Amara Osei said "soon."'
    cast = [("Amara Osei", "PERSON", "", "Amara Osei")]
    (link,) = add_linked(db, "alias", "a-1", text, cast)
    assert link.person_id is not None
    sources.RecordEditor(db, "tester").update(link.person_id, aliases=["the port chief"])
    later = [("The port chief", "PERSON", "", "The port chief")]
    (second,) = add_linked(db, "alias", "a-2", text, later)
    assert (second.rule, second.person_id) == ("alias", link.person_id)


# --- the rules as properties --------------------------------------------------------

NAME_WORD = st.text(alphabet="abcdefghijklmnoprstuvwyz", min_size=3, max_size=9).map(str.capitalize)


def record(pid: int, name: str, type_: PersonType = PersonType.PERSON, role: str = "") -> Candidate:
    """A record as the lookup would give it: with the forms its name shares with none."""
    return Candidate(pid, name, type_, role, (), tuple(name_forms(name, type_)))


def decided(
    name: str, records: Sequence[Candidate], type_: PersonType = PersonType.PERSON
) -> Decision:
    """What the rules decide for a source ``name`` of ``type_`` (no description) among the
    records the store's lookup would find for it."""
    return decide(name, type_, "", found(name, records, type_))


def found(name: str, records: Sequence[Candidate], type_: PersonType) -> list[Candidate]:
    """The candidates the store's lookup returns: records sharing a form with the name."""
    wanted = set(lookup_forms(name, type_))
    return [
        Candidate(
            c.person_id,
            c.name,
            c.type,
            c.role,
            c.aliases,
            tuple(f for f in c.forms if f[0] in wanted),
        )  # fmt: skip
        for c in records
        if any(f[0] in wanted for f in c.forms)
    ]


@given(first=NAME_WORD, last=NAME_WORD, honorific=st.sampled_from(["", "Dr. ", "Ms ", "MR. "]))
def test_any_full_name_links_whatever_its_case_and_honorific(
    first: str, last: str, honorific: str
) -> None:
    rec = record(1, f"{first} {last}")
    variant = honorific + f"{first} {last}".upper()
    decision = decided(variant, [rec])
    assert (decision.rule, decision.person_id) == ("full_name", 1)


@given(a=NAME_WORD, b=NAME_WORD, last=NAME_WORD)
def test_different_first_names_never_link_by_surname(a: str, b: str, last: str) -> None:
    if a[0] == b[0]:
        b = ("Z" if a[0] != "Z" else "Y") + b[1:]
    rec = record(1, f"{a} {last}")
    name = f"{b} {last}"
    decision = decided(name, [rec])
    assert decision.person_id is None and decision.rule == "new"


@given(a=NAME_WORD, b=NAME_WORD, last=NAME_WORD)
def test_a_bare_surname_of_two_records_is_ambiguous(a: str, b: str, last: str) -> None:
    records = [record(1, f"{a} {last}"), record(2, f"{b} {last}")]
    decision = decided(last, records)
    assert decision.person_id is None
    assert decision.rule == "ambiguous" and decision.candidates == (1, 2)


@given(words=st.lists(NAME_WORD, min_size=2, max_size=5), the=st.booleans())
def test_an_organisation_and_its_initials_link_both_ways(words: list[str], the: bool) -> None:
    full = " ".join(words)
    short = ("the " if the else "") + "".join(w[0] for w in words).upper()
    org = PersonType.ORG
    by_full = decided(short, [record(1, full, org)], org)
    by_short = decided(full, [record(2, short, org)], org)
    assert (by_full.rule, by_full.person_id) == ("org_short", 1)
    assert (by_short.rule, by_short.person_id) == ("org_short", 2)


@settings(max_examples=50)
@given(first=NAME_WORD, last=NAME_WORD)
def test_a_person_never_links_to_an_organisation_of_the_same_name(first: str, last: str) -> None:
    name = f"{first} {last}"
    org = record(1, name, PersonType.ORG)
    decision = decided(name, [org])
    assert decision.person_id is None
