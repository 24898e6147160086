"""Which person a pronoun stands for when two of the same gender alternate, and which
organisation a description or a document stands for (real pipeline, sentences written for
these tests; Hypothesis over names)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp.attribution import attribute
from desktop.nlp.attribution.ranking import embedded_in_noun

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

MEN = ["John", "Robert", "David", "Michael", "Peter", "Thomas", "Paul", "George"]
SURNAMES = ["Smith", "Brown", "Miller", "Wilson", "Taylor", "Anderson", "Clark", "Walker"]
ORG_WORDS = [
    ("Roman Catholic Diocese of Ellisford", "diocese"),
    ("Ontario Teachers Federation", "federation"),
    ("Halifax Harbour Authority", "authority"),
]

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def names(nlp, text):
    result = attribute(nlp(text))
    by_key = {s.key: s.name for s in result.sources}
    return [by_key.get(q.source_key) for q in result.quotes]


@pytest.mark.parametrize(
    ("sentence", "word", "embedded"),
    [
        ("The chief spoke on Sultan Ahmad's abdication.", "Ahmad", True),
        ("She met the wife of John Smith.", "Smith", True),
        ("They wrote to the Ford government.", "Ford", True),
        ("Ford wrote to the teachers.", "Ford", False),
        ("The teachers wrote to Ford.", "Ford", False),  # an object of the verb itself
    ],
)
def test_a_mention_embedded_in_a_noun_phrase(nlp, sentence, word, embedded):
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == word)
    assert embedded_in_noun(tok) is embedded


@SETTINGS
@given(
    men=st.lists(st.sampled_from(MEN), min_size=2, max_size=2, unique=True),
    surnames=st.lists(st.sampled_from(SURNAMES), min_size=2, max_size=2, unique=True),
)
def test_he_is_the_subject_not_the_man_inside_the_object(nlp, men, surnames):
    chief, ruler = (f"{m} {s}" for m, s in zip(men, surnames, strict=True))
    text = (
        f"Speculation grew last week that King {ruler} would step down.\n\n"
        f"Police chief {chief} warned the public not to speculate on King {ruler}'s plans. "
        "He said that officers were looking into several reports."
    )
    assert names(nlp, text)[-1] == chief


@SETTINGS
@given(
    men=st.lists(st.sampled_from(MEN), min_size=2, max_size=2, unique=True),
    surnames=st.lists(st.sampled_from(SURNAMES), min_size=2, max_size=2, unique=True),
)
def test_a_subject_since_the_last_speaker_spoke_takes_he(nlp, men, surnames):
    """The premier spoke last, but the prime minister then became the subject; a later
    mention of the premier as a modifier ("the Smith government") is not his turn."""
    pm, premier = (f"{m} {s}" for m, s in zip(men, surnames, strict=True))
    pm_last, premier_last = pm.split()[1], premier.split()[1]
    text = (
        f"Prime Minister {pm} visited a school in Ottawa on Thursday.\n\n"
        f"Premier {premier} said on Wednesday that he would cut the school budget.\n\n"
        f"{pm_last} urged parents to send a message to the {premier_last} government.\n\n"
        '"I hope that parents will make it very clear that cuts are a bad choice," he said.'
    )
    got = names(nlp, text)
    assert got[0] == premier
    assert got[-1] == pm


def test_he_still_takes_the_last_speaker_when_nobody_else_was_a_subject(nlp):
    text = (
        "Prime Minister John Smith visited a school in Ottawa on Thursday.\n\n"
        "Premier Paul Brown said on Wednesday that he would cut the school budget.\n\n"
        "The cuts were announced in the Brown government's budget.\n\n"
        '"We cannot keep spending money we do not have," he said.'
    )
    assert names(nlp, text)[-1] == "Paul Brown"


def test_an_object_pronoun_is_no_evidence_of_the_subjects_gender(nlp):
    """ "Jordan assured her" says nothing about Jordan's gender: 'he' later is Jordan."""
    text = (
        "Jordan Casey met Mary Smith at the station.\n\n"
        "Jordan assured her that the trains would run. Jordan thanked her for waiting.\n\n"
        '"We will have the line open by Friday," he said.'
    )
    assert names(nlp, text)[-1] == "Jordan Casey"


@SETTINGS
@given(org=st.sampled_from(ORG_WORDS))
def test_a_definite_description_takes_the_organisation_its_noun_names(nlp, org):
    name, noun = org
    text = (
        f"The {name} opened an inquiry on Monday.\n\n"
        f"The {noun} said a third-party investigation would look into the matter."
    )
    got = names(nlp, text)
    assert got[-1] is not None and noun in got[-1].lower()


def test_a_description_no_organisation_name_holds_stays_itself(nlp):
    text = (
        "The Ontario Teachers Federation opened an inquiry on Monday.\n\n"
        "The diocese said a third-party investigation would look into the matter."
    )
    got = names(nlp, text)
    assert "Federation" not in (got[-1] or "")


@pytest.mark.parametrize("place", ["website", "blog"])
def test_a_document_posted_on_someones_site_is_theirs(nlp, place):
    text = (
        "The Transportation Safety Board said the brakes were not applied.\n\n"
        '"Harsh winters are a reality in the north," says a document titled Winter Rail '
        f"on Canadian Pacific Railway's {place}."
    )
    assert names(nlp, text)[-1] == "Canadian Pacific Railway"


def test_the_railway_company_is_the_railway_named_not_the_last_organisation(nlp):
    text = (
        "Atlantic Pacific Railway runs trains across the prairies.\n\n"
        "The Transportation Safety Board said the brakes were not applied.\n\n"
        "A report by the railway company said cold weather slows every train."
    )
    assert names(nlp, text)[-1] == "Atlantic Pacific Railway"


@pytest.mark.parametrize("first", ["Jane Roe", "Peter Walker"])
def test_the_post_is_who_spoke_in_it_not_the_company_that_owns_it(nlp, first):
    text = (
        "Acme Security said on Friday that the threats came from one group.\n\n"
        f"{first}, a researcher at Acme, stated in the company's blog post that the "
        "threats came from the same addresses.\n\n"
        "According to the post, the threats had changed again by Thursday."
    )
    assert names(nlp, text)[-1] == first


def test_a_pronoun_in_a_reported_clause_is_weaker_evidence_of_gender(nlp):
    """ "Jordan said she would wait" may be about someone else; "a smile on his face" in
    Jordan's own clause is Jordan's: 'he' later is Jordan."""
    text = (
        "Jordan Casey met Mary Smith at the station.\n\n"
        "Jordan said she would wait for the next train. Jordan told reporters she had been "
        "patient. Jordan waved, a smile on his face.\n\n"
        '"We will have the line open by Friday," he said.'
    )
    assert names(nlp, text)[-1] == "Jordan Casey"


@pytest.mark.parametrize("noun", ["agency", "department", "group"])
def test_a_generic_organisation_noun_is_the_organisation_that_spoke_just_before(nlp, noun):
    text = (
        "READ MORE: The Daily Herald editorial board condemns the arrests\n\n"
        "The State Department called for the release of the two men and said it was deeply "
        "concerned.\n\n"
        f"\u201cWe will defend the rule of law in every case,\u201d the {noun} said."
    )
    assert names(nlp, text)[-1] == "State Department"


def test_the_campaign_is_not_whatever_organisation_spoke_before(nlp):
    text = (
        "The State Department said it was deeply concerned about the arrests.\n\n"
        "\u201cThe ad will air nationally next week,\u201d the campaign said."
    )
    assert names(nlp, text)[-1] != "State Department"


@pytest.mark.parametrize("title", ["Director, security response at Northwind,", "Director"])
def test_a_name_in_apposition_inside_the_subject_is_the_subject(nlp, title):
    text = (
        "Jason Brown, a researcher at Acme, wrote in a blog post that the threats came from "
        "one group.\n\n"
        f"{title} Peter Walsh, agreed with this finding.\n\n"
        "\u201cWe believe it is the same group,\u201d he said."
    )
    assert names(nlp, text)[-1] == "Peter Walsh"
