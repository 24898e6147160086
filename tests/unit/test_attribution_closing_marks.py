"""Direct quotes never cross their closing quotation mark (issue 18, item 12), as a class:
generated paragraphs of quotations in every mark style and layout, with cues before, after
or in a sentence of their own, unclosed marks, nested and stray marks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import QuoteKind
from desktop.nlp.attribution import attribute, find_statements
from desktop.nlp.attribution.marks import find_quotations

pytestmark = pytest.mark.slow  # loads the spaCy pipeline

PAIRS = [("“", "”"), ('"', '"'), ("«", "»"), ("„", "“"), ("''", "''"), ("``", "''"), ("‘’", "”")]
SPEAKERS = ["Mayor Ann Lee", "the coach", "She", "Dr. Omar Haddad", "a spokesperson"]
CUES = ["said", "says", "told reporters", "added", "warned", "snapped"]
WORDS = "we will build the bridge next year and nobody can stop it now".split()

body = st.lists(st.sampled_from(WORDS), min_size=1, max_size=9).map(
    lambda ws: " ".join(ws).capitalize()
)
end_punct = st.sampled_from([",", ".", "!", "?", ""])


@st.composite
def paragraph(draw: st.DrawFn) -> str:
    """One paragraph: a quotation in one of several layouts, maybe with trailing text."""
    op, cl = draw(st.sampled_from(PAIRS))
    closed = draw(st.booleans()) or draw(st.booleans())  # mostly closed
    quote = op + draw(body) + draw(end_punct) + (cl if closed else "")
    spk, cue = draw(st.sampled_from(SPEAKERS)), draw(st.sampled_from(CUES))
    layout = draw(st.integers(0, 7))
    if layout == 0:
        text = f"{quote} {spk} {cue}."
    elif layout == 1:
        text = f"{spk} {cue}: {quote}"
    elif layout == 2:
        text = f"{quote} {spk.capitalize()} {cue}."  # the cue in a sentence of its own
    elif layout == 3:
        text = f"{spk} {cue} {quote} and then {draw(body).lower()}."
    elif layout == 4:
        text = quote  # a quotation paragraph with no cue
    elif layout == 5:
        second = op + draw(body) + "." + cl
        text = f"{quote} {cue} {spk}. {second} {draw(body)}."
    elif layout == 6:  # a label, as in headlines and transcripts
        text = f"{draw(st.sampled_from(['Lee', 'LEE', 'Ann Lee']))}: {quote} {draw(body)}."
    else:  # a transcript line inside marks
        text = f"{op}LEE: {draw(body)}. {draw(body)}.{cl if closed else ''} {draw(body)}."
    if draw(st.booleans()):
        text += " " + draw(st.sampled_from(['He left "early".', "That was all.", "”", '"']))
    return text


article = st.lists(paragraph(), min_size=1, max_size=4).map("\n\n".join)


def _inside_one_quotation(text: str, start: int, end: int) -> bool:
    """Whether ``[start, end)`` lies within the marks of one quotation of ``text``."""
    return any(q.start <= start and end <= q.end for q in find_quotations(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=article)
def test_direct_quote_content_stays_inside_its_marks(nlp: object, text: str) -> None:
    doc = nlp(text)  # type: ignore[operator]
    for q in attribute(doc).quotes:
        assert q.text == text[q.start : q.end]
        if q.kind is QuoteKind.DIRECT:
            assert _inside_one_quotation(text, q.start, q.end), (q.reason, q.text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=article)
def test_every_statement_says_why_it_is_one(nlp: object, text: str) -> None:
    _, found = find_statements(nlp(text))  # type: ignore[operator]
    for f in found:
        assert f.rule and f.reason, f


def test_typed_double_single_marks_open_a_quotation() -> None:
    text = "‘’Nobody gains from a closure, we all pay.” Berg left."
    (q,) = find_quotations(text)
    assert text[q.start : q.end] == "Nobody gains from a closure, we all pay."
