"""Reported speech whose content is not a clause: a request ("urged X to act") and an act or
topic holding somebody's own words in quotation marks ('promised "jobs, jobs, jobs"'); and
their negative cases, which stay no quote (real pipeline, sentences written for these tests;
Hypothesis over names and requests)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import QuoteKind
from desktop.nlp.attribution import attribute

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

SPEAKERS = ["Mayor Ann Smith", "Senator Paul Brown", "The union", "Dr. Helen Clark"]
REQUESTS = [
    ("urged", "residents to stay off the roads"),
    ("asked", "the council to delay the vote"),
    ("called on", "the minister to resign"),
    ("implored", "parents to vaccinate their children"),
]
ACTS = [
    ("promised", "lower taxes and"),
    ("vowed to punish", "officials who broke"),
    ("cited", "the example of"),
]

SETTINGS = settings(
    max_examples=16,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def quotes(nlp, text):
    return attribute(nlp(text)).quotes


@SETTINGS
@given(speaker=st.sampled_from(SPEAKERS), request=st.sampled_from(REQUESTS))
def test_a_request_with_a_to_clause_is_reported_speech(nlp, speaker, request):
    verb, rest = request
    who, what = rest.split(" to ", 1)
    text = f"The storm reached the coast on Monday.\n\n{speaker} {verb} {who} to {what}."
    (q,) = quotes(nlp, text)
    assert q.kind is QuoteKind.INDIRECT
    assert what in q.text
    assert q.speaker is not None and q.speaker.text.split()[-1] in speaker
    assert verb.split()[0] in q.reason  # the hover names the cue


@pytest.mark.parametrize(
    "sentence",
    [
        "Mayor Ann Smith asked several questions about the budget.",  # no "to" clause
        "Mayor Ann Smith called the meeting on Friday.",  # no request at all
        "Mayor Ann Smith wanted residents to stay off the roads.",  # a wish, not a request
    ],
)
def test_no_request_no_quote(nlp, sentence):
    assert quotes(nlp, "The storm reached the coast on Monday.\n\n" + sentence) == []


@SETTINGS
@given(speaker=st.sampled_from(SPEAKERS[:2] + SPEAKERS[3:]), act=st.sampled_from(ACTS))
def test_an_act_holding_quoted_words_reports_them(nlp, speaker, act):
    verb, words = act
    text = (
        "The campaign reached Ohio on Monday.\n\n"
        f"{speaker} {verb} {words} \u201cthe people who let this city down\u201d at the rally."
    )
    (q,) = quotes(nlp, text)
    assert q.kind is QuoteKind.MIXED
    assert "the people who let this city down" in q.text
    assert "quotation marks" in q.reason


@pytest.mark.parametrize(
    "sentence",
    [
        "Mayor Ann Smith denied the request at the meeting.",  # an act, no quoted words
        "Mayor Ann Smith promised lower taxes at the rally.",
        "Mayor Ann Smith denied the \u201cfake\u201d request at the meeting.",  # one word
    ],
)
def test_an_act_without_quoted_words_is_no_quote(nlp, sentence):
    assert quotes(nlp, "The campaign reached Ohio on Monday.\n\n" + sentence) == []


@pytest.mark.parametrize("who", ["a city memo", "one tax lawyer", "Mayor Ann Smith"])
def test_as_someone_put_it_attributes_the_sentence(nlp, who):
    text = f"The main requirement is a lawful source of income, as {who} put it."
    (q,) = quotes(nlp, text)
    assert q.text == "The main requirement is a lawful source of income"
    assert "put" in q.reason


@pytest.mark.parametrize(
    "sentence",
    ["She put it on the table and left.", "As she put the book down, the phone rang."],
)
def test_putting_something_somewhere_is_no_quote(nlp, sentence):
    assert quotes(nlp, sentence) == []
