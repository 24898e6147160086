"""Source resolution: pronouns, surnames, definite descriptions, continuations, unnamed
sources and descriptions, on short texts written for these tests."""

import pytest

from desktop.nlp.attribution import attribute

pytestmark = pytest.mark.slow  # loads the spaCy pipeline


def sources_by_quote(nlp, text):
    result = attribute(nlp(text))
    names = {s.key: s for s in result.sources}
    return result, [(q, names.get(q.source_key)) for q in result.quotes]


def test_pronoun_by_gender(nlp):
    text = (
        "Senator Mary Collins met Governor John Baker on Friday.\n"
        '"We made real progress today," she said.\n'
        '"It was a long and difficult meeting," he said.'
    )
    _, pairs = sources_by_quote(nlp, text)
    assert [src.name for _, src in pairs] == ["Mary Collins", "John Baker"]


def test_pronoun_by_recency_prefers_latest_speaker(nlp):
    text = (
        '"The vote is tomorrow," Peter Hall said.\n'
        '"We have the numbers," Robert Stone said.\n'
        "He said the opposition would lose."
    )
    _, pairs = sources_by_quote(nlp, text)
    assert pairs[-1][1].name == "Robert Stone"


def test_they_takes_the_latest_group(nlp):
    text = (
        "France and Germany said the treaty was a mistake.\n"
        "They said that talks would resume next month."
    )
    result, pairs = sources_by_quote(nlp, text)
    assert pairs[0][1].key == pairs[1][1].key
    assert len(pairs[1][1].mentions) == 2


def test_surname_resolves_to_full_name(nlp):
    text = (
        "Maria Lopez, a city councilwoman, arrived at the meeting on Tuesday.\n"
        '"It is far too expensive for the city," Lopez said.'
    )
    _, pairs = sources_by_quote(nlp, text)
    ((q, src),) = pairs
    assert q.speaker.text == "Lopez"
    assert src.name == "Maria Lopez"


def test_surname_and_full_name_share_one_source(nlp):
    text = (
        '"We will win this race," said Daniel Okafor, the candidate.\n'
        "Okafor said his campaign had raised two million dollars."
    )
    result, pairs = sources_by_quote(nlp, text)
    assert len(result.sources) == 1
    assert {m.text for m in result.sources[0].mentions} == {"Daniel Okafor", "Okafor"}


def test_the_paper_resolves_to_the_named_newspaper(nlp):
    text = (
        "The mayor will resign next week, according to The Boston Globe.\n"
        "The paper said the decision was final."
    )
    _, pairs = sources_by_quote(nlp, text)
    assert len(pairs) == 2
    assert pairs[1][0].speaker.text == "The paper"
    assert pairs[1][1].key == pairs[0][1].key
    assert pairs[1][1].name == "The Boston Globe"  # a capital "The" mid-sentence is kept


def test_capital_stands_for_its_country(nlp):
    text = (
        "The United States said the sanctions would stay in place.\n"
        "Washington said last week that talks had failed."
    )
    result, pairs = sources_by_quote(nlp, text)
    assert pairs[0][1].key == pairs[1][1].key
    assert pairs[1][1].name == "United States"


def test_continuation_paragraph_takes_previous_source(nlp):
    text = (
        '"The flood was the worst in fifty years," said Ahmed Khan, the town\'s mayor.\n'
        '"We lost homes, roads and two bridges, and it will take years to rebuild."'
    )
    result, pairs = sources_by_quote(nlp, text)
    assert len(pairs) == 2
    assert pairs[1][0].cue is None
    assert pairs[1][1].name == "Ahmed Khan"


def test_unnamed_source_is_a_source_and_pronoun_follows_it(nlp):
    text = (
        "An aide to the governor, who asked not to be named, said the vote would be "
        "delayed.\n"
        '"Nobody wants to lose this one," he told reporters.'
    )
    result, pairs = sources_by_quote(nlp, text)
    assert len(pairs) == 2
    assert pairs[0][0].speaker.text == "An aide to the governor"
    assert pairs[0][1].name == "aide to the governor"
    assert pairs[0][1].type == "PERSON"
    assert pairs[1][1].key == pairs[0][1].key


def test_description_from_title_and_organisation(nlp):
    text = "The Federal Reserve spokeswoman Anna Berg said rates would stay unchanged."
    _, pairs = sources_by_quote(nlp, text)
    ((_, src),) = pairs
    assert src.name == "Anna Berg"
    assert src.type == "PERSON"
    assert src.description == "spokeswoman, Federal Reserve"


def test_description_from_appositive(nlp):
    text = '"Prices will keep rising," said Leo Park, a senior economist at Hanmi Bank.'
    _, pairs = sources_by_quote(nlp, text)
    ((_, src),) = pairs
    assert src.name == "Leo Park"
    assert "economist at Hanmi Bank" in src.description


def test_organisation_type_and_keys_in_order(nlp):
    text = (
        'The Health Ministry said hospitals were full.\n"We need more beds," said Nurse Carla Diaz.'
    )
    result, pairs = sources_by_quote(nlp, text)
    assert [s.key for s in result.sources] == ["s1", "s2"]
    assert result.sources[0].type == "ORG"
    assert result.sources[1].type == "PERSON"
    for src in result.sources:
        assert src.mentions


def test_unresolvable_pronoun_has_no_source(nlp):
    result, pairs = sources_by_quote(nlp, '"We did our best," I said.')
    assert len(pairs) == 1
    assert pairs[0][0].source_key is None
    assert result.sources == []


def test_relative_pronoun_speaker_resolves_to_its_antecedent(nlp):
    text = "The audit was led by Ana Ruiz, who said the accounts were badly kept."
    result, pairs = sources_by_quote(nlp, text)
    ((q, src),) = pairs
    assert q.speaker.text == "who"
    assert src.name == "Ana Ruiz"
    assert {m.text for m in src.mentions} == {"who", "Ana Ruiz"}


def test_the_newspaper_prefers_a_named_news_organisation(nlp):
    text = (
        "The minister spoke to The Guardian on Sunday.\n"
        "The ministry said the figures were volatile.\n"
        "The newspaper said the report would be published next week."
    )
    _, pairs = sources_by_quote(nlp, text)
    assert pairs[-1][0].speaker.text == "The newspaper"
    assert "Guardian" in pairs[-1][1].name


def test_title_with_appositive_name_takes_the_name(nlp):
    text = "The union condemned the plan. Its president, Mark Reyes, said workers were angry."
    _, pairs = sources_by_quote(nlp, text)
    q, src = pairs[-1]
    assert q.speaker.text == "Its president"
    assert src.name == "Mark Reyes"
    assert src.description.startswith("president")


def test_the_company_resolves_to_the_named_company(nlp):
    text = (
        "Acme Corp said on Tuesday it would cut two thousand jobs.\n"
        "The company said the plants in Ohio would stay open."
    )
    _, pairs = sources_by_quote(nlp, text)
    assert len(pairs) == 2
    assert pairs[1][1].key == pairs[0][1].key
    assert pairs[1][1].type == "ORG"


def test_the_title_resolves_to_the_person_who_holds_it(nlp):
    text = (
        "Sen. Ann Roe said the vote would fail.\n"
        "The senator added that she would oppose the bill in committee."
    )
    _, pairs = sources_by_quote(nlp, text)
    assert len(pairs) == 2
    assert pairs[1][0].speaker.text == "The senator"
    assert pairs[1][1].name == "Ann Roe"
