"""Bylines, photo credits, captions and the calibrated confidence table, without spaCy:
property tests over generated names and counts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.nlp.attribution.confidence import parse_table, rate
from desktop.nlp.attribution.credits import (
    caption_paragraphs,
    credit_spans,
    is_place_abbreviation,
)
from desktop.nlp.attribution.gender import first_name_gender
from desktop.nlp.attribution.marks import paragraphs

word = st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True)
full_name = st.builds(lambda a, b: f"{a} {b}", word, word)
AGENCY = st.sampled_from(["Reuters", "The Canadian Press", "CBC News", "Getty Images", "AP"])


def covered(text: str, part: str) -> bool:
    start = text.index(part)
    return any(a <= start and start + len(part) <= b for a, b in credit_spans(text))


@given(name=full_name, agency=AGENCY)
def test_photo_credits_are_found_in_every_form(name: str, agency: str) -> None:
    for form in (f"(Photo: {name}/{agency})", f"({name} / {agency})", f"{name}/{agency}"):
        text = f"The mayor opened the bridge on Monday. {form}\nShe said it was cheap."
        assert covered(text, name), form


@given(name=full_name, agency=AGENCY)
def test_bylines_are_found(name: str, agency: str) -> None:
    for line in (f"By {name}", f"By {name}, {agency}", f"{name}, {agency}"):
        text = f"{line}\nThe mayor opened the bridge on Monday."
        assert covered(text, name), line


@given(name=full_name)
def test_a_name_in_the_story_is_no_credit(name: str) -> None:
    text = f"{name} said the bridge would open in May, and {name} thanked the workers."
    assert credit_spans(text) == []


def test_captions_are_the_paragraphs_that_end_with_a_credit_or_open_with_the_agency() -> None:
    text = (
        "Anna Berg said the bridge would open.\n"
        "Workers pour concrete on Friday. (Julia Stone/Reuters)\n"
        "The Canadian Press Prime Minister Ana Ruiz holds a town hall.\n"
        "She said it was cheap."
    )
    assert caption_paragraphs(text, paragraphs(text), credit_spans(text)) == {1, 2}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("in Mississauga, Ont. on Monday", True), ("Ont said so", False), ("Kim said", False)],
)
def test_province_abbreviations(text: str, expected: bool) -> None:
    word = text.split()[-3] if expected else text.split()[0]
    start = text.index(word.rstrip("."))
    assert is_place_abbreviation(text, start, start + len(word.rstrip("."))) is expected


def test_first_names_give_a_gender_and_shared_ones_none() -> None:
    assert first_name_gender("Denise") == "f" and first_name_gender("DENNIS") == "m"
    assert first_name_gender("Jordan") is None and first_name_gender("Robin") is None


counts = st.dictionaries(
    st.from_regex(r"[a-z]{1,5}(\.[a-z]{1,5}){0,2}", fullmatch=True),
    st.tuples(st.integers(1, 500), st.integers(0, 500)).map(lambda t: (t[0], min(t[0], t[1]))),
    max_size=12,
)


RULE = st.from_regex(r"[a-z]{1,5}(\.[a-z]{1,5}){0,2}", fullmatch=True)


@given(table=counts, rule=RULE)
def test_a_rate_lies_between_the_rules_own_fraction_and_its_familys(
    table: dict[str, tuple[int, int]], rule: str
) -> None:
    value = rate(table, rule)
    assert 0.0 <= value <= 1.0
    own = [v for k, v in table.items() if k == rule or k.startswith(rule + ".")]
    n, right = sum(v[0] for v in own), sum(v[1] for v in own)
    if n:
        parent = rule.rsplit(".", 1)[0] if "." in rule else ""
        lo, hi = sorted((right / n, rate(table, parent)))
        assert lo - 1e-9 <= value <= hi + 1e-9


@given(table=counts, rule=RULE, more=st.integers(1, 50))
def test_more_right_decisions_never_lower_a_rate(
    table: dict[str, tuple[int, int]], rule: str, more: int
) -> None:
    n, right = table.get(rule, (0, 0))
    better = {**table, rule: (n + more, right + more)}
    assert rate(better, rule) >= rate(table, rule) - 1e-9


def test_the_shipped_table_parses_and_names_the_resolution_rules() -> None:
    from desktop.nlp.attribution.lexicon import read_resource_text

    table = parse_table(read_resource_text("attribution_confidence.json"))
    assert {"name", "pronoun.spoke_last", "continuation"} <= set(table.sources)
    assert rate(table.sources, "name.partial") > rate(table.sources, "description.new")


def test_scores_follow_the_table_and_a_continuation_is_no_surer_than_its_statement() -> None:
    from desktop.domain import QuoteKind
    from desktop.nlp.attribution.confidence import Table, quote_key, score
    from desktop.nlp.attribution.context import Found

    text = 'Ann said it would rain. "And then snow," she added.'
    said = Found(9, 22, QuoteKind.INDIRECT, cue=(4, 8), speaker=(0, 3), speaker_head=0)
    said.rule, said.source_key, said.source_rule = "reported.clause", "s1", "name"
    added = Found(25, 38, QuoteKind.DIRECT, cue=(45, 50), follows_found=said)
    added.rule, added.source_key, added.source_rule = "direct.cue_after", "s1", "continuation"
    loose = Found(0, 3, QuoteKind.DIRECT)  # no source: no source confidence
    assert quote_key(said, text) == "reported.clause.say"
    assert quote_key(added, text) == "direct.cue_after.cue"
    assert quote_key(loose, text) == "none"
    table = Table(
        quotes={"reported.clause.say": (1000, 900), "direct.cue_after.cue": (1000, 990)},
        sources={"name": (1000, 600), "continuation": (1000, 990)},
    )
    score([said, added, loose], text, table)
    assert said.confidence is not None and abs(said.confidence - 0.9) < 0.01
    assert added.confidence is not None and added.confidence > 0.98
    assert said.source_confidence is not None and abs(said.source_confidence - 0.6) < 0.01
    assert added.source_confidence == said.source_confidence  # capped by what it continues
    assert loose.source_confidence is None
