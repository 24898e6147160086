"""Source names where a title or role sits beside the name, where a common noun or a place
only shares a word with a longer name, and where a sentence about another person comes
between a quotation and the one before it (real pipeline, sentences written for these
tests; Hypothesis over names and titles)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.nlp.attribution import attribute
from tests.unit.attribution_cases import SURNAMES, names, pipeline_settings

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

FIRSTS = ["Mary", "Linda", "Susan", "John", "Robert", "David", "Peter", "Helen"]
LONG_TITLES = [
    "Keeper of the Royal Seal",
    "Director of the National Gallery",
    "Head of the Civil Service",
    "Clerk of the Privy Council",
]
ROLES = ["health policy manager", "communications director", "senior research analyst"]

SETTINGS = pipeline_settings(12)


@SETTINGS
@given(
    title=st.sampled_from(LONG_TITLES),
    first=st.sampled_from(FIRSTS),
    surname=st.sampled_from(SURNAMES),
)
def test_a_title_with_the_name_in_a_closing_appositive_is_that_person(nlp, title, first, surname):
    text = (
        "The council met on Monday to choose a new chair.\n\n"
        f"{title}, {first} {surname}, said the council would meet again next week."
    )
    assert names(nlp, text) == [f"{first} {surname}"]


def test_a_long_title_with_no_name_beside_it_stays_a_description(nlp):
    text = (
        "The council met on Monday to choose a new chair.\n\n"
        "The Keeper of the Royal Seal said the council would meet again next week."
    )
    (name,) = names(nlp, text)
    assert name is not None and "Keeper" in name


@SETTINGS
@given(
    first=st.sampled_from(FIRSTS),
    surname=st.sampled_from(SURNAMES),
    role=st.sampled_from(ROLES),
)
def test_a_name_followed_by_its_role_is_one_person_not_a_list(nlp, first, surname, role):
    text = (
        "New guidelines on salt were published on Tuesday.\n\n"
        f"{first} {surname}, {role} and spokesperson with the Heart Foundation in Ottawa, "
        "said the new guidelines would help families."
    )
    assert names(nlp, text) == [f"{first} {surname}"]


def test_two_named_speakers_are_still_a_list(nlp):
    text = "Mary Smith and John Brown said the new guidelines would help families."
    (name,) = names(nlp, text)
    assert "Smith" in name and "Brown" in name


def test_a_common_noun_is_no_part_of_a_longer_organisation_name(nlp):
    text = (
        "The Office of the Regional Police Review Director said the force had failed "
        "the families.\n\n"
        "Police said the death of the teenager was not being treated as suspicious."
    )
    first, second = names(nlp, text)
    assert "Office" in first
    assert second is not None and "Office" not in second


def test_a_capitalised_part_of_an_organisation_name_still_names_it(nlp):
    text = (
        "The Transportation Safety Board said the train was too long for the cold.\n\n"
        "The Safety Board said its report would be published in March."
    )
    first, second = names(nlp, text)
    assert first == second


@SETTINGS
@given(place=st.sampled_from(["U.S.", "Canada", "Britain"]))
def test_a_country_is_no_part_of_a_longer_name(nlp, place):
    text = (
        f"A lawyer for the {place} Department of Justice filed the papers on Friday.\n\n"
        f"The {place} alleges the company deceived several banks."
    )
    result = attribute(nlp(text))
    assert all("Department" not in s.name for s in result.sources)


@SETTINGS
@given(
    speaker=st.sampled_from(SURNAMES[:4]),
    other=st.sampled_from(SURNAMES[4:]),
    first=st.sampled_from(FIRSTS),
)
def test_a_quotation_after_a_sentence_about_another_person_is_theirs(nlp, speaker, other, first):
    text = (
        f"The new show opens on Friday, and director Anne {speaker} chose {first} {other} "
        "to make it.\n\n"
        f"\u201cI wanted the play to run for longer,\u201d says {speaker}. "
        f"{other} did not need much persuading. "
        "\u201cI am glad to be asked and keen to start rehearsals.\u201d"
    )
    got = names(nlp, text)
    assert got[0] == f"Anne {speaker}"
    assert got[-1] == f"{first} {other}"


@pytest.mark.parametrize(
    "between",
    [
        "{speaker} is the company's artistic director.",  # the same person
        "The theatre has two hundred seats.",  # nobody
        "{a} and {b} have also worked with the company.",  # a list: background
    ],
)
def test_a_sentence_about_nobody_new_keeps_the_quotation_with_its_speaker(nlp, between):
    text = (
        "The new show opens on Friday, and director Anne Smith chose Paul Walker and "
        "Mary Clark to make it.\n\n"
        "\u201cI wanted the play to run for longer,\u201d says Smith. "
        + between.format(speaker="Smith", a="Walker", b="Clark")
        + " \u201cIt is a joy to return to a story and find more in it.\u201d"
    )
    got = names(nlp, text)
    assert got == ["Anne Smith", "Anne Smith"]


@SETTINGS
@given(
    role=st.sampled_from(["A spokeswoman for", "A lawyer for", "An aide to", "A friend of"]),
    first=st.sampled_from(FIRSTS),
    surname=st.sampled_from(SURNAMES),
)
def test_someone_for_a_person_is_not_that_person(nlp, role, first, surname):
    text = (
        f"{first} {surname} visited the plant on Monday.\n\n"
        f"{role} {surname} said the visit had been planned for months."
    )
    result = attribute(nlp(text))
    (q,) = result.quotes
    src = next(s for s in result.sources if s.key == q.source_key)
    assert src.name != f"{first} {surname}"
    assert role.split()[1] in src.name  # the description names the source
