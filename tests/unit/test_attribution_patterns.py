"""Extraction patterns of the quote engine, on short sentences written for these tests."""

import pytest

from desktop.domain import QuoteKind
from desktop.nlp.attribution import attribute

pytestmark = pytest.mark.slow  # loads the spaCy pipeline


def run(nlp, text):
    result = attribute(nlp(text))
    names = {s.key: s for s in result.sources}
    return result, names


def one(nlp, text):
    result, names = run(nlp, text)
    assert len(result.quotes) == 1, [q.text for q in result.quotes]
    q = result.quotes[0]
    assert q.text == text[q.start : q.end]
    return q, names.get(q.source_key)


def test_quote_then_x_said(nlp):
    q, src = one(nlp, '"The bridge will reopen in May," Mayor Linda Park said.')
    assert q.kind is QuoteKind.DIRECT
    assert q.text == "The bridge will reopen in May,"
    assert q.cue.text == "said"
    assert "Linda Park" in q.speaker.text
    assert src.name == "Linda Park"


def test_quote_then_said_x_keeps_appositive_as_description(nlp):
    q, src = one(nlp, '"We are not worried at all," said Tom Rivera, the team\'s coach.')
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker.text == "Tom Rivera"
    assert src.name == "Tom Rivera"
    assert "coach" in src.description


def test_x_said_colon_quote(nlp):
    q, src = one(nlp, 'The minister said: "Taxes will not rise this year."')
    assert q.kind is QuoteKind.DIRECT
    assert q.text == "Taxes will not rise this year."
    assert q.speaker.text == "The minister"


def test_x_said_quote_without_colon(nlp):
    q, _ = one(nlp, 'Ms. Gomez said "the plan is dead and buried."')
    assert q.kind is QuoteKind.DIRECT
    assert q.text == "the plan is dead and buried."
    assert "Gomez" in q.speaker.text


def test_multi_sentence_quote_is_one_quote(nlp):
    text = '"Prices went up. Wages did not. People are angry," the economist said.'
    q, _ = one(nlp, text)
    assert q.text == "Prices went up. Wages did not. People are angry,"
    assert q.speaker.text == "the economist"


def test_continuation_paragraph_belongs_to_previous_speaker(nlp):
    text = (
        '"We will appeal the ruling," said Karen Holt, the company\'s lawyer.\n'
        '"The judge ignored the evidence and we expect to win in the higher court."'
    )
    result, names = run(nlp, text)
    assert len(result.quotes) == 2
    first, second = result.quotes
    assert second.kind is QuoteKind.DIRECT and second.cue is None
    assert second.speaker == first.speaker  # the mention of the quote it continues
    assert second.reason == "continuation paragraph after Karen Holt's quote"
    assert second.source_key == first.source_key
    assert names[second.source_key].name == "Karen Holt"


def test_mixed_quote_spans_the_reported_clause(nlp):
    q, _ = one(nlp, 'The senator said the bill was "a disgrace to the chamber" and would fail.')
    assert q.kind is QuoteKind.MIXED
    assert q.text.startswith("the bill was")
    assert q.cue.text == "said"


def test_x_said_that_clause(nlp):
    q, src = one(nlp, "The governor said that the budget would be balanced by next year.")
    assert q.kind is QuoteKind.INDIRECT
    assert q.text == "the budget would be balanced by next year"
    assert q.speaker.text == "The governor"


def test_x_said_clause_without_that(nlp):
    q, _ = one(nlp, "The coach said his players needed more rest before the final.")
    assert q.kind is QuoteKind.INDIRECT
    assert q.text == "his players needed more rest before the final"


def test_clause_then_x_said(nlp):
    q, _ = one(nlp, "The factory will close next month, a spokesman said.")
    assert q.kind is QuoteKind.INDIRECT
    assert q.text == "The factory will close next month"
    assert q.speaker.text == "a spokesman"


def test_told_reporters_that(nlp):
    q, _ = one(nlp, "Police officials told reporters that the road had been closed since Sunday.")
    assert q.cue.text == "told"
    assert q.text == "the road had been closed since Sunday"
    assert q.speaker.text == "Police officials"


def test_warned_and_claimed(nlp):
    q, _ = one(nlp, "The union warned that a strike could begin within days.")
    assert q.cue.text == "warned"
    q, _ = one(nlp, "The company claimed the outage was caused by a storm.")
    assert q.cue.text == "claimed"


def test_according_to_x_first(nlp):
    q, src = one(nlp, "According to the agency, exports fell by ten percent last quarter.")
    assert q.cue.text == "According to"
    assert q.speaker.text == "the agency"
    assert q.text == "exports fell by ten percent last quarter"


def test_according_to_x_last(nlp):
    q, _ = one(nlp, "Exports fell by ten percent last quarter, according to the agency.")
    assert q.cue.text == "according to"
    assert q.text == "Exports fell by ten percent last quarter"


@pytest.mark.parametrize(
    "text, content",
    [
        (  # what follows the source's apposition is the source's, not the statement's
            "The new clinic can cut waiting times in half, according to Dana Holt, head of "
            "the nurses' union at the hospital, and other staff.",
            "The new clinic can cut waiting times in half",
        ),
        (  # a comparison hung on the sentence after the phrase
            "Bus fares would rise by as much as 12 percent, according to the city's transit "
            "board, more than twice what riders paid last year.",
            "Bus fares would rise by as much as 12 percent",
        ),
    ],
)
def test_according_to_x_between_clause_and_tail_attributes_the_clause(nlp, text, content):
    q, _ = one(nlp, text)
    assert q.cue.text == "according to"
    assert q.text == content


@pytest.mark.parametrize(
    "text",
    [
        "The bridge, according to the engineers, is safe for trucks again.",
        "The bridge was closed on Monday, according to police, and will reopen in May.",
        "The bridge was closed on Monday, according to police, because a truck hit a pillar.",
        "The plan is bad, according to the mayor, because, well, roads cost money.",
    ],
)
def test_according_to_x_inside_the_statement_attributes_the_whole_sentence(nlp, text):
    q, _ = one(nlp, text)
    assert q.cue.text == "according to"
    assert q.text == text.rstrip(".")


@pytest.mark.parametrize(
    "text, content",
    [
        (
            "The mayor said that was the end of the matter for the council.",
            "that was the end of the matter for the council",
        ),
        ("That is bad for the city, according to the mayor.", "That is bad for the city"),
        ("The mayor said that the road is closed for a month.", "the road is closed for a month"),
    ],
)
def test_a_leading_that_is_trimmed_only_as_the_conjunction(nlp, text, content):
    q, _ = one(nlp, text)
    assert q.text == content


def test_according_to_x_inside_a_reported_clause_keeps_the_clause(nlp):
    text = (
        "The agency reported that, according to its own records, 40 of the 90 meetings "
        "were held in private."
    )
    result, _ = run(nlp, text)
    assert any(q.text.endswith("were held in private") for q in result.quotes), [
        q.text for q in result.quotes
    ]


def test_chained_cue_gives_two_quotes_of_one_source(nlp):
    text = (
        '"We are ready," Mark Dunn said on Monday.\n'
        "The deal is fair, he said, adding that talks would continue next week."
    )
    result, names = run(nlp, text)
    chained = [q for q in result.quotes if q.cue and q.cue.text in ("said", "adding")][1:]
    assert [q.cue.text for q in chained] == ["said", "adding"]
    assert chained[0].text == "The deal is fair"
    assert chained[1].text == "talks would continue next week"
    assert chained[0].source_key == chained[1].source_key == result.quotes[0].source_key
    assert names[chained[0].source_key].name == "Mark Dunn"


@pytest.mark.parametrize("open_mark,close_mark", [("“", "”"), ('"', '"'), ("''", "''")])
def test_curly_and_straight_marks(nlp, open_mark, close_mark):
    q, _ = one(nlp, f"{open_mark}Nobody expected this result,{close_mark} the analyst said.")
    assert q.text == "Nobody expected this result,"
    assert q.kind is QuoteKind.DIRECT


def test_unbalanced_quote_runs_to_end_of_paragraph(nlp):
    text = (
        "Coach Rivera said: “We will keep fighting until the very end of the season\n"
        "The team plays again on Sunday."
    )
    q, _ = one(nlp, text)
    assert q.kind is QuoteKind.DIRECT
    assert q.text == "We will keep fighting until the very end of the season"


@pytest.mark.parametrize(
    "text",
    [
        'The so-called "reform" has stalled in the committee for months.',
        'She starred in "Gone With the Wind" when she was young.',
        'Dwayne "The Rock" Johnson arrived at the premiere on Friday.',
        'Critics dismissed the "historic" agreement as a publicity stunt.',
    ],
)
def test_scare_quotes_titles_and_nicknames_are_not_quotes(nlp, text):
    result, _ = run(nlp, text)
    assert result.quotes == []


def test_title_after_preposition_is_not_a_direct_quote(nlp):
    result, _ = run(nlp, 'The senator said on "Meet the Press" that taxes would rise.')
    assert all(q.kind is not QuoteKind.DIRECT for q in result.quotes)


def test_byline_dash_attribution(nlp):
    q, src = one(nlp, "“The debate changed nothing for me at all.” ― Maria Delgado")
    assert q.kind is QuoteKind.DIRECT
    assert src.name == "Maria Delgado"


def test_name_colon_headline(nlp):
    q, _ = one(nlp, "Pence: Flowers Will Not Attend the Debate\n\nThe debate is on Monday.")
    assert q.speaker.text == "Pence"
    assert q.text == "Flowers Will Not Attend the Debate"


def test_spans_index_the_text_and_cues_precede_nothing_odd(nlp):
    text = (
        'Gov. Ann Lee said the bridge was safe. "We checked it twice," she added.\n'
        "Traffic resumed at noon, police said."
    )
    result, _ = run(nlp, text)
    assert len(result.quotes) == 3
    for q in result.quotes:
        assert text[q.start : q.end] == q.text
        assert text[q.cue.start : q.cue.end] == q.cue.text
        assert text[q.speaker.start : q.speaker.end] == q.speaker.text


def test_dateline_is_not_part_of_the_statement(nlp):
    q, _ = one(nlp, "OSLO (Reuters) - Fish exports rose sharply in May, the ministry said.")
    assert q.text == "Fish exports rose sharply in May"


def test_asked_participle_is_not_a_cue(nlp):
    q, _ = one(nlp, "Asked whether he would run again, Ben Ortiz said: “We'll see what happens.”")
    assert q.cue.text == "said"
    assert q.text == "We'll see what happens."


def test_mixed_quote_keeps_the_closing_mark_of_its_fragment(nlp):
    q, _ = one(nlp, "The mayor called the budget “a real disgrace.”")
    assert q.kind is QuoteKind.MIXED
    assert q.text.endswith("disgrace.”")


def test_split_quote_around_the_cue_gives_both_parts(nlp):
    text = "“We are,” Ana Cruz said, “ready to fight for every vote in this state.”"
    result, names = run(nlp, text)
    assert [q.text for q in result.quotes] == [
        "We are,",
        "ready to fight for every vote in this state.",
    ]
    assert {names[q.source_key].name for q in result.quotes} == {"Ana Cruz"}


def test_cue_inside_a_quotation_is_the_speakers_own_words(nlp):
    q, _ = one(nlp, '"My lawyer said we would win the case easily," Dan Wu said.')
    assert q.kind is QuoteKind.DIRECT
    assert q.speaker.text == "Dan Wu"


@pytest.mark.parametrize("text", ["", '"', "“”\n\n”", "According to", "WALLACE:", "He said"])
def test_degenerate_texts_give_nothing_and_do_not_fail(nlp, text):
    result, _ = run(nlp, text)
    assert result.quotes == [] and result.sources == []


def test_unparsed_doc_is_handled(nlp):
    doc = nlp.make_doc('"This is fine," she said. According to him, it is.')
    result = attribute(doc)
    assert result.quotes == []


def test_as_x_noted_attributes_the_main_clause(nlp):
    q, _ = one(nlp, "The economy, as the minister noted, is growing faster than expected.")
    assert q.cue.text == "noted"
    assert q.speaker.text == "the minister"
    assert q.text.startswith("The economy") and q.text.endswith("expected")


def test_as_in_a_time_clause_is_not_a_cue(nlp):
    result, _ = run(nlp, "As the mayor spoke, the crowd fell silent.")
    assert result.quotes == []


def test_other_source_phrases_from_the_lexicon(nlp):
    q, _ = one(nlp, "The plan was a failure from the start, in the words of one senior official.")
    assert q.cue.text == "in the words of"
    assert q.text == "The plan was a failure from the start"
    assert "official" in q.speaker.text


def test_quoted_as_saying_names_the_passive_subject(nlp):
    q, _ = one(nlp, "The minister was quoted as saying that the tax would be scrapped.")
    assert q.speaker.text == "The minister"
    assert q.text == "the tax would be scrapped"


def test_possessive_cue_noun(nlp):
    q, src = one(nlp, "Smith's claim that the election was rigged drew wide criticism.")
    assert q.cue.text == "claim"
    assert q.text == "the election was rigged"
    assert src.name == "Smith"


def test_denial_with_object_content(nlp):
    q, _ = one(nlp, "The mayor firmly denied any wrongdoing.")
    assert q.cue.text == "denied"
    assert q.text == "any wrongdoing"


def test_cue_far_after_quote_behind_a_long_appositive(nlp):
    text = (
        '"The harbour will be dredged before the winter storms arrive," Jana Novak, '
        "director of the port authority's engineering office in the north, said in a statement."
    )
    q, src = one(nlp, text)
    assert q.kind is QuoteKind.DIRECT and q.cue.text == "said"
    assert src.name == "Jana Novak"


def test_speech_verb_tagged_as_noun_after_a_name(nlp):
    text = '"The inquiry found nothing that surprised anyone on the council," Okafor states.'
    q, _ = one(nlp, text)
    assert q.cue.text == "states"


def test_clause_before_a_closing_cue_with_inverted_subject(nlp):
    text = (
        "The western districts of the province were also badly flooded, said Lina Ortiz, "
        "a spokeswoman for the relief agency."
    )
    result, _ = run(nlp, text)
    assert [q.text for q in result.quotes] == [
        "The western districts of the province were also badly flooded"
    ]
    assert result.quotes[0].speaker.text == "Lina Ortiz"


def test_clause_before_a_cue_is_not_taken_when_it_has_a_cue_of_its_own(nlp):
    text = "Police said the road was closed for hours, officials added, as crews worked."
    result, _ = run(nlp, text)
    assert all(q.cue.text != "added" or "Police said" not in q.text for q in result.quotes)


def test_fronted_time_clause_before_a_cue_with_an_object_is_not_a_quote(nlp):
    text = "After the council was dissolved, she published a long statement on her website."
    result, _ = run(nlp, text)
    assert all("council was dissolved" not in q.text for q in result.quotes)


def test_clauses_the_parser_hangs_on_the_cue_one_by_one_are_one_statement(nlp):
    text = "Brooks says he slept too little, lost his job and was in and out of shelters."
    q, _ = one(nlp, text)
    assert q.text == "he slept too little, lost his job and was in and out of shelters"


def test_paragraph_opening_noun_phrase_is_the_fallback_subject(nlp):
    from desktop.nlp.attribution.context import Context
    from desktop.nlp.attribution.lexicon import load_lexicon
    from desktop.nlp.attribution.reported import paragraph_subject

    doc = nlp("The bridge was shut.\n\nA spokeswoman for the mayor said the road is closed.")
    ctx = Context(doc, load_lexicon())
    said = next(t for t in doc if t.text == "said")
    assert paragraph_subject(ctx, said).text == "spokeswoman"
    doc = nlp("The bridge was shut.\n\nOn Monday the mayor quickly said the road is closed.")
    ctx = Context(doc, load_lexicon())
    said = next(t for t in doc if t.text == "said")
    assert paragraph_subject(ctx, said) is None  # an adverb and a date: not a bare phrase


def test_quote_after_a_heading_colon_takes_the_cue_after_it(nlp):
    text = (
        'MARKET VIEW: "Nobody expected the rate cut to come this early in the year," '
        "Omar Haddad, an economist at a Toronto bank, said in a note."
    )
    result, names = run(nlp, text)
    (q,) = [q for q in result.quotes if q.kind is QuoteKind.DIRECT]
    assert q.text == "Nobody expected the rate cut to come this early in the year,"
    assert names[q.source_key].name == "Omar Haddad"


def test_speech_verb_tagged_as_noun_after_a_common_noun(nlp):
    text = '"We will not pay any ransom to the people who sent these threats," the post read.'
    q, _ = one(nlp, text)
    assert q.cue.text == "read"
    assert "post" in q.speaker.text


def test_a_coordinated_cue_before_a_quote_takes_the_first_verb_subject(nlp):
    text = 'Mayor Ana Costa laughed and added: "Nobody in this town has seen a winter like it."'
    result, names = run(nlp, text)
    (q,) = [q for q in result.quotes if q.kind is QuoteKind.DIRECT]
    assert q.cue.text == "added"
    assert names[q.source_key].name.endswith("Costa")


def test_an_ing_cue_on_the_reported_clause_belongs_to_its_reporter(nlp):
    text = (
        "Ms. Lund argued that the new rule hurt small farms, noting that the ministry "
        "never consulted them."
    )
    result, names = run(nlp, text)
    noting = [q for q in result.quotes if q.cue.text == "noting"]
    assert noting and names[noting[0].source_key].name.endswith("Lund")


def test_a_coordinated_cue_with_its_own_preposition_ends_the_reported_clause(nlp):
    text = "Lee said she would order a full review of the dam and warned against panic."
    result, _ = run(nlp, text)
    said = [q for q in result.quotes if q.cue.text == "said"]
    assert said and said[0].text == "she would order a full review of the dam"
