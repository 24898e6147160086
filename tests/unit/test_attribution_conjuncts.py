"""Where a reported clause ends: it runs on over a second predicate the parser hung
elsewhere ("said they had doubts, but could not bear to say so"), and stops at a semicolon
(real pipeline, sentences written for these tests; Hypothesis over speakers)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp.attribution import attribute

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

SPEAKERS = ["Mayor Ann Smith", "Senator Paul Brown", "The union", "Two residents"]
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def reported(nlp, text):
    return [q.text for q in attribute(nlp(text)).quotes]


@SETTINGS
@given(speaker=st.sampled_from(SPEAKERS))
def test_a_statement_stops_at_a_semicolon(nlp, speaker):
    text = (
        "The vote was held on Monday.\n\n"
        f"{speaker} said the timing of the vote was not intentional; the council only "
        "learned of the date on Friday."
    )
    (q,) = reported(nlp, text)
    assert q.endswith("not intentional")


def test_a_semicolon_inside_quotation_marks_is_the_speakers(nlp):
    text = (
        "The vote was held on Monday.\n\n"
        "Mayor Ann Smith said the vote was \u201cnot deliberate; we only heard of it on "
        "Friday\u201d and apologised."
    )
    (q,) = reported(nlp, text)
    assert "only heard" in q


def test_a_second_predicate_without_a_subject_runs_on(nlp):
    """The parse hangs "could not bear" on "phoned", outside the reported clause."""
    text = (
        "Several listeners called the morning show who said they had doubts about the "
        "plan, but could not bear to insult the mayor."
    )
    (q,) = reported(nlp, text)
    assert q == "they had doubts about the plan, but could not bear to insult the mayor"


def test_a_clause_with_its_own_subject_does_not_run_on(nlp):
    text = (
        "The vote was held on Monday.\n\n"
        "Mayor Ann Smith said the timing was bad. The council, and the voters, agreed."
    )
    (q,) = reported(nlp, text)
    assert q == "the timing was bad"
