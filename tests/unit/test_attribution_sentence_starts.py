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
