"""Which attributions are quotes: the speech classification of cues, acts that are not
statements, headings, link lines and captions, and cue-less quotation paragraphs.  Every
sentence here is made up for these tests."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import QuoteKind
from desktop.nlp.attribution import attribute

pytestmark = pytest.mark.slow  # loads the spaCy pipeline


def quotes(nlp: object, text: str) -> list:
    result = attribute(nlp(text))  # type: ignore[operator]
    for q in result.quotes:
        assert q.text == text[q.start : q.end]
        assert q.reason, q
    return result.quotes


def source_of(nlp: object, text: str, quote_text: str) -> str | None:
    result = attribute(nlp(text))  # type: ignore[operator]
    names = {s.key: s.name for s in result.sources}
    (q,) = [q for q in result.quotes if q.text == quote_text]
    return names.get(q.source_key) if q.source_key else None


@pytest.mark.parametrize(
    "text",
    [
        "The minister believes the bridge will reopen in May.",  # belief
        "Engineers think the old bridge cannot carry trucks any more.",
        "City officials know the repairs will cost more than planned.",  # knowledge
        "Residents saw the water rise over the riverbank.",  # perception
        "A provincial report found the agency had ignored the warnings.",  # finding
        "The latest figures show the deficit has doubled since spring.",
        "The council estimated the project would cost $40 million.",
        "The coach wants the team to train twice a day.",  # wish
        "The union plans to hold a vote on Friday.",  # plan
    ],
)
def test_non_speech_cues_report_no_quote(nlp: object, text: str) -> None:
    assert quotes(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The minister said the bridge will reopen in May.",
        "Engineers told reporters the old bridge cannot carry trucks any more.",
        "City officials warned that the repairs will cost more than planned.",
    ],
)
def test_speech_cues_with_the_same_clauses_are_quotes(nlp: object, text: str) -> None:
    (q,) = quotes(nlp, text)
    assert q.kind is QuoteKind.INDIRECT
    assert q.reason.startswith("indirect: the clause the cue reports")


@pytest.mark.parametrize(
    "text",
    [
        "The mayor denied the request for more funding.",  # an act on an object
        "The company declined to comment on the lawsuit.",  # a refusal
        "The senator refused to release the documents.",
        "She talked about her long trip across the prairies.",  # a topic
        "The two leaders discussed the trade dispute on Monday.",
        "The board announced a policy that changed the hiring rules.",
        "The mayor would not say whether she will run again.",  # negated: nothing said
        "The premier did not say when the election will be held.",
    ],
)
def test_acts_topics_and_negated_cues_are_not_quotes(nlp: object, text: str) -> None:
    assert quotes(nlp, text) == []


def test_a_judgement_keeps_what_it_calls_its_object(nlp: object) -> None:
    (q,) = quotes(nlp, "The senator called the new tax plan a complete disaster.")
    assert "the new tax plan a complete disaster" in q.text
    assert "calls its object" in q.reason
    (q,) = quotes(nlp, "The coach praised the referees for their calm handling of the game.")
    assert q.text.startswith("the referees")


def test_a_claimed_object_is_a_proposition(nlp: object) -> None:
    (q,) = quotes(nlp, "Rebel leaders claimed some progress in the talks on Sunday.")
    assert q.text.startswith("some progress")


def test_section_headings_in_capitals_are_not_speakers(nlp: object) -> None:
    text = (
        "ENERGY: Crude oil fell 2 per cent to $50 a barrel in electronic trading.\n\n"
        "CURRENCIES: The dollar rose to 108 yen from 107 yen late Tuesday."
    )
    assert quotes(nlp, text) == []


def test_transcript_labels_in_capitals_are_speakers(nlp: object) -> None:
    text = (
        "HOST: Welcome back to the program, and thank you for joining us.\n\n"
        "MORALES: Thank you for having me on the show tonight.\n\n"
        "HOST: Let us start with the budget that you presented last week."
    )
    found = quotes(nlp, text)
    assert len(found) == 3
    assert all(q.reason.startswith("indirect: paragraph opens with the label") for q in found)


def test_link_lines_and_photo_captions_hold_no_quotes(nlp: object) -> None:
    text = (
        "READ MORE: Finance minister says the budget will balance by 2030\n\n"
        "WATCH: Mayor says the new arena will open next fall\n\n"
        "Volunteer Ann Lee says the shelter needs more beds this winter. (John Smith/CBC)"
    )
    assert quotes(nlp, text) == []


def test_quotation_after_a_reported_statement_continues_it(nlp: object) -> None:
    text = (
        "Dr. Omar Haddad said the clinic would stay open through the holidays. "
        '"We have enough nurses for every shift, and we will not close our doors."'
    )
    found = quotes(nlp, text)
    assert len(found) == 2
    q = found[1]
    assert q.kind is QuoteKind.DIRECT and "continuation" in q.reason
    assert source_of(nlp, text, q.text) == "Omar Haddad"


def test_quotation_paragraph_after_a_reported_statement_continues_it(nlp: object) -> None:
    text = (
        "Dr. Omar Haddad said the clinic would stay open through the holidays.\n\n"
        '"We have enough nurses for every shift, and we will not close our doors."'
    )
    found = quotes(nlp, text)
    assert len(found) == 2
    assert found[1].reason.startswith("continuation after Dr. Omar Haddad's statement")


def test_quotation_paragraph_after_someone_is_introduced(nlp: object) -> None:
    text = (
        "I visited the bakery of Maria Santos, who has run it on Elm Street for years.\n\n"
        '"Flour prices doubled this year and nobody in the city council noticed."'
    )
    (q,) = quotes(nlp, text)
    assert q.speaker is not None and q.speaker.text == "Maria Santos"
    assert "introducing Maria Santos" in q.reason


def test_quotation_paragraph_after_narration_is_not_attributed(nlp: object) -> None:
    text = (
        "The river rose overnight and flooded the lower town.\n\n"
        '"Flour prices doubled this year and nobody in the city council noticed."'
    )
    assert quotes(nlp, text) == []


def test_a_cue_in_a_sentence_of_its_own(nlp: object) -> None:
    (q,) = quotes(nlp, '"We will win the final next week." She said.')
    assert q.text == "We will win the final next week."
    assert q.speaker is not None and q.speaker.text == "She"


def test_a_cue_in_ing_form_takes_its_clause_subject(nlp: object) -> None:
    text = 'Mayor Ann Lee wrote on Monday, saying "the deal is off and nobody will change it."'
    (q,) = quotes(nlp, text)
    assert q.speaker is not None and "Ann Lee" in q.speaker.text


def test_manner_of_speaking_verbs_are_cues(nlp: object) -> None:
    (q,) = quotes(nlp, '"Never again, not in this town," the old farmer snapped.')
    assert q.reason == "direct: inside quotation marks, cue 'snapped' after it"


def test_an_embedded_post_is_its_signers_words(nlp: object) -> None:
    text = (
        "The debate went on all week in the capital.\n\n"
        "You never show up to debate me on the budget. Bring it, but you won't. "
        "https://t.co/abc123 — Jane Okafor (@JaneOkafor) December 18, 2018"
    )
    (q,) = quotes(nlp, text)
    assert q.kind is QuoteKind.INDIRECT
    assert q.text == "You never show up to debate me on the budget. Bring it, but you won't"
    assert q.speaker is not None and q.speaker.text == "Jane Okafor"
    assert q.reason == "indirect: a post signed by Jane Okafor"


def test_a_pull_quote_ends_with_its_speakers_name(nlp: object) -> None:
    text = (
        "The council met on Monday night.\n\n"
        "We have waited long enough for a safe crossing near the school. Maria Gonzalez"
    )
    (q,) = quotes(nlp, text)
    assert q.text == "We have waited long enough for a safe crossing near the school"
    assert q.speaker is not None and q.speaker.text == "Maria Gonzalez"


def test_a_paragraph_ending_in_a_name_inside_a_sentence_is_not_signed(nlp: object) -> None:
    text = "The council met on Monday night to hear a long report from Maria Gonzalez"
    assert quotes(nlp, text) == []


def test_a_link_line_ending_in_a_name_is_not_a_pull_quote(nlp: object) -> None:
    text = "READ MORE: Budget will not balance before the next election, says Maria Gonzalez"
    assert quotes(nlp, text) == []


SPEECH_PAST = ["said", "argued", "warned", "insisted", "claimed", "explained", "stressed"]
NON_SPEECH_PAST = ["believed", "thought", "knew", "found", "saw", "heard", "feared", "expected"]
SUBJECTS = ["The minister", "Ana Costa", "City officials", "The new union leader"]
CLAUSES = [
    "the bridge would reopen in May",
    "the budget was balanced for the first time in years",
    "the strike could last until the end of the winter",
    "nobody had read the report before the vote",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    subject=st.sampled_from(SUBJECTS),
    clause=st.sampled_from(CLAUSES),
    that=st.booleans(),
    speech=st.sampled_from(SPEECH_PAST),
    other=st.sampled_from(NON_SPEECH_PAST),
)
def test_the_same_clause_is_a_quote_after_a_speech_verb_only(
    nlp: object, subject: str, clause: str, that: bool, speech: str, other: str
) -> None:
    link = " that " if that else " "
    (q,) = quotes(nlp, f"{subject} {speech}{link}{clause}.")
    assert q.text == clause
    assert quotes(nlp, f"{subject} {other}{link}{clause}.") == []


def test_a_question_put_to_the_speaker_is_not_their_statement(nlp: object) -> None:
    text = 'Asked what he would tell the mayor, Brooks said: "Just listen to us, we are people."'
    found = quotes(nlp, text)
    assert [q.text for q in found] == ["Just listen to us, we are people."]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ('"That is simply not true," the mayor shot back.', "the mayor"),
        ('"It was fine," Ann Lee chimed in.', "Ann Lee"),
        ('"We will appeal," the club fired back.', "the club"),
    ],
)
def test_phrasal_verbs_of_speaking_are_cues(nlp: object, text: str, speaker: str) -> None:
    (q,) = quotes(nlp, text)
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker is not None and q.speaker.text == speaker


@pytest.mark.parametrize(
    "text",
    [
        "The team went on to win the cup in a final that nobody expected them to reach.",
        "The coach went on a long trip to Spain after the final of the cup.",
        "Police shot back at the gunmen, who fled in a car that was found later.",
        "The striker fired back into the empty net after the keeper fell over.",
    ],
)
def test_the_same_verbs_without_speech_are_no_cues(nlp: object, text: str) -> None:
    assert quotes(nlp, text) == []
