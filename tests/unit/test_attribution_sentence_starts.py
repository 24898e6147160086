"""Paragraph breaks open sentences (``pipeline.paragraph_starts``), on texts of our own."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.nlp.attribution import attribute
from desktop.nlp.pipeline import PARAGRAPH_STARTS

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

WORDS = st.sampled_from(
    "the council board mayor river budget new old will said voted plan road "
    "Smith Lee Toronto and of on".split()
)
# a paragraph with no final punctuation, so nothing but the break itself ends it
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=9).map(" ".join)
OPENING = st.sampled_from(["", '"', "“", "— "])
BREAK = st.sampled_from(["\n", "\n\n", " \n"])
SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def paragraph_tokens(doc, text):
    """The first token of each paragraph after the first, and what follows it."""
    starts = [i + 1 for i, ch in enumerate(text) if ch == "\n" and text[i + 1 : i + 2] not in "\n "]
    out = []
    for char in starts:
        token = next(t for t in doc if t.idx >= char)
        out.append(token)
    return out


@SETTINGS
@given(st.lists(st.tuples(OPENING, PARAGRAPH), min_size=2, max_size=5), BREAK)
def test_every_paragraph_opens_a_sentence(nlp, paragraphs, brk):
    text = brk.join(mark + words for mark, words in paragraphs)
    doc = nlp(text)
    for token in paragraph_tokens(doc, text):
        assert token.is_sent_start, (text, token.text)
        if token.is_punct and token.i + 1 < len(doc) and not doc[token.i + 1].is_space:
            # the opening mark and the words it opens are one sentence
            assert not doc[token.i + 1].is_sent_start, (text, token.text)


# the kinds of line that made the parser end a sentence after a paragraph's first word
# (names and places invented): a title and a name before a verb, a place line in capitals
# before its date, a scorecard's initials, a numbered result, a football result
SURNAME = st.sampled_from(["Marwood", "Okafor", "Halloran", "Reyes", "Voss", "Tamsin", "Brice"])
FIRST = st.sampled_from(["Elka", "Amsel", "Noor", "Pieter", "Ruth", "Callum"])
TITLED = st.builds(
    "{} {} {}".format,
    st.sampled_from(["Justice", "Senator", "Doctor", "Judge", "Mayor", "Inspector"]),
    SURNAME,
    st.sampled_from(
        [
            "said the hearing would resume",
            "told reporters the vote was close",
            "declined to comment",
            "added that the plan was sound",
        ]
    ),
)
PLACE_LINE = st.builds(
    "{} {}".format,
    st.sampled_from(["PORT ELLIS", "NORTH VANTER", "LAKE ORMOND", "SAN TERRAL", "EAST HADLEY"]),
    st.dates().map(str),
)
INITIALS = st.builds(
    "{}. {} c {} b {} {}".format,
    st.sampled_from("ABCDHIJMS"),
    SURNAME,
    SURNAME,
    SURNAME,
    st.integers(0, 150),
)
NUMBERED = st.builds(
    "{}. {} {} ( {} ) {}".format,
    st.integers(1, 12),
    FIRST,
    SURNAME,
    st.sampled_from(["Norway", "Peru", "Kenya"]),
    st.floats(10, 99).map("{:.2f}".format),
)
RESULT = st.builds(
    "{} {} {} {} {}".format,
    st.sampled_from(["Rovik United", "Calder Town", "East Marwood", "Inver Thistle"]),
    st.integers(0, 5),
    st.sampled_from(["Hadley Rovers", "Port Ellis", "Ormond City"]),
    st.integers(0, 5),
    st.sampled_from(["", "( half-time 1-0 )"]),
)
NAME_LINE = st.one_of(TITLED, PLACE_LINE, INITIALS, NUMBERED, RESULT)


@settings(SETTINGS, max_examples=120)
@given(st.lists(NAME_LINE, min_size=2, max_size=6), BREAK)
def test_a_paragraph_never_ends_a_sentence_after_its_first_word(nlp, lines, brk):
    """explosion/spaCy#7716: told only where a paragraph starts, the parser used to cut its
    first word off (and with it any entity across the cut). The parser can still overrule
    the mark in a line of loose words ("and the river"); in lines like these it must not."""
    text = brk.join(lines)
    doc = nlp(text)
    for token in paragraph_tokens(doc, text):
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if following is not None and not following.is_space:
            assert not following.is_sent_start, (text, token.text, following.text)
            assert token.sent == following.sent


def test_a_name_at_a_paragraph_start_stays_one_entity(nlp):
    doc = nlp("The court sat late.\nJustice Marwood said the hearing would resume on Monday.")
    assert [t.text for t in doc if t.is_sent_start] == ["The", "Justice"]


@SETTINGS
@given(st.lists(PARAGRAPH, min_size=2, max_size=4))
def test_text_without_breaks_is_split_by_the_parser_alone(nlp, sentences):
    text = ". ".join(sentences) + "."
    with nlp.select_pipes(disable=[PARAGRAPH_STARTS]):
        plain = [t.is_sent_start for t in nlp(text)]
    assert [t.is_sent_start for t in nlp(text)] == plain


def test_component_sits_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index(PARAGRAPH_STARTS) < names.index("parser")


def test_quotation_after_a_heading_without_full_stop_is_attributed(nlp):
    text = 'Council meets on the bridge plan\n\n"We will vote on Monday," Ann Lee said.\n'
    result = attribute(nlp(text))
    [quote] = result.quotes
    assert quote.text.startswith("We will vote on Monday")
    assert quote.speaker is not None and quote.speaker.text == "Ann Lee"


def test_line_breaks_do_not_split_a_sentence_inside_a_paragraph_line(nlp):
    doc = nlp("The mayor, who spoke at noon, said the road will reopen.")
    assert len(list(doc.sents)) == 1
