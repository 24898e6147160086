"""Agreement between two annotators' versions: properties over any spans, a worked example.

The matching must be the quote scorer's own: a property runs the scorer's ``match`` (loaded
from ``../shared/eval`` at run time, skipped when absent) on the same random quotes.
"""

from __future__ import annotations

import importlib.util
import itertools
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import Article, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.domain.agreement import (
    EntitySpan,
    QuoteSpan,
    cohen_kappa,
    entity_counts,
    f1,
    match_quotes,
    overlap,
    quote_counts,
    token_labels,
    tokens,
    trim,
)
from desktop.services.agreement import agreement, alpha, team_alpha
from tests.conftest import SHARED

TEXT = (
    '"We will open the bridge in May," said Mara Velt, the mayor. '
    "Officials at the port said the plan was late. "
    "According to Ivo Brenn, 'nobody asked the fishermen.' He said it twice."
)
N = len(TEXT)


def _scorer() -> ModuleType:
    path = SHARED / "eval" / "score_quotes.py"
    if not path.exists():
        pytest.skip("the quote scorer is not here")
    spec = importlib.util.spec_from_file_location("score_quotes", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@st.composite
def extents(draw: st.DrawFn) -> tuple[int, int]:
    start = draw(st.integers(0, N - 1))
    return start, draw(st.integers(start + 1, N))


@st.composite
def quotes(draw: st.DrawFn) -> QuoteSpan:
    start, end = draw(extents())
    frags = draw(st.lists(extents(), max_size=3))
    speaker = draw(st.none() | extents())
    return QuoteSpan(start, end, speaker, fragments=tuple(frags) if len(frags) > 1 else ())


def _as_scorer_quote(q: QuoteSpan) -> dict[str, object]:
    out: dict[str, object] = {"start": q.start, "end": q.end}
    if q.fragments:
        out["content_fragments"] = [list(f) for f in q.fragments]
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(quotes(), max_size=6), st.lists(quotes(), max_size=6))
def test_matching_is_the_scorers_on_any_quotes(
    ref: list[QuoteSpan], other: list[QuoteSpan]
) -> None:
    scorer = _scorer()
    want_pairs, want_absorbed = scorer.match(
        TEXT, [_as_scorer_quote(q) for q in ref], [_as_scorer_quote(q) for q in other]
    )
    got = match_quotes(TEXT, ref, other)
    assert list(got.pairs) == want_pairs
    assert got.absorbed == frozenset(want_absorbed)


@settings(max_examples=200, deadline=None)
@given(st.lists(quotes(), max_size=6), st.lists(quotes(), max_size=6))
def test_quote_counts_are_consistent(ref: list[QuoteSpan], other: list[QuoteSpan]) -> None:
    c = quote_counts(TEXT, ref, other)
    assert c.exact <= c.matched <= min(c.reference, c.other)
    assert c.speakers <= c.matched and c.sources <= c.matched
    assert 0.0 <= f1(c.matched, c.other, c.reference) <= 1.0
    assert {i for i, _, _ in match_quotes(TEXT, ref, other).pairs} <= set(range(len(ref)))
    same = quote_counts(TEXT, ref, ref)
    cut = [trim(TEXT, q.start, q.end) for q in ref]
    apart = all(overlap(x, y) == 0 for x, y in itertools.combinations(cut, 2))
    plain = not any(q.fragments for q in ref)
    if plain and apart and all(s < e for s, e in cut):  # a version matches itself wholly
        assert same.matched == same.exact == len(ref)


labels = st.sampled_from(["PER", "ORG", "LOC"])


@st.composite
def entities(draw: st.DrawFn) -> EntitySpan:
    start, end = draw(extents())
    return EntitySpan(start, end, draw(labels))


@settings(max_examples=200, deadline=None)
@given(st.lists(entities(), max_size=8), st.lists(entities(), max_size=8), st.none() | labels)
def test_entity_counts_are_bounded_and_symmetric(
    a: list[EntitySpan], b: list[EntitySpan], label: str | None
) -> None:
    ab, ba = entity_counts(a, b, label), entity_counts(b, a, label)
    assert ab.exact <= ab.overlapping <= min(ab.reference, ab.other)
    assert (ab.exact, ab.reference, ab.other) == (ba.exact, ba.other, ba.reference)
    assert entity_counts(a, a, label).exact == entity_counts(a, a, label).reference


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("ABC"), min_size=1, max_size=30), st.randoms())
def test_kappa_and_alpha_are_symmetric_and_one_on_identity(seq: list[str], rnd: object) -> None:
    other = list(seq)
    rnd.shuffle(other)  # type: ignore[attr-defined]
    k, k2 = cohen_kappa(seq, other), cohen_kappa(other, seq)
    assert k == k2 or (k is not None and k2 is not None and abs(k - k2) < 1e-12)
    assert k is None or k <= 1.0 + 1e-12
    if len(set(seq)) > 1:
        assert cohen_kappa(seq, seq) == pytest.approx(1.0)
        assert alpha(seq, seq) == pytest.approx(1.0)
        a1, a2 = alpha(seq, other), alpha(other, seq)
        assert a1 == pytest.approx(a2)
    else:
        assert cohen_kappa(seq, seq) is None and alpha(seq, seq) is None


def test_kappa_by_hand() -> None:
    # 10 units, 8 alike: observed 0.8; a has 5 X, b 7 X: chance 0.5*0.7 + 0.5*0.3 = 0.5;
    # kappa (0.8 - 0.5) / (1 - 0.5) = 0.6
    a = list("XXXXXOOOOO")
    b = list("XXXXXXOOOX")
    assert cohen_kappa(a, b) == pytest.approx(0.6)


@given(st.text(max_size=60))
def test_every_token_gets_one_label(text: str) -> None:
    toks = tokens(text)
    assert len(token_labels(toks, [(0, len(text), "PER")])) == len(toks)
    assert all(text[s:e].strip() for s, e in toks)


def _version(quotes: list[Quote], entities: list[Entity], sources: list[Source]) -> Article:
    return Article("a1", TEXT, quotes=quotes, entities=entities, sources=sources)


def _span(word: str) -> Span:
    start = TEXT.index(word)
    return Span.of(TEXT, start, start + len(word))


def test_two_versions_worked_example() -> None:
    first = TEXT.index("We will")
    bridge = Quote(first, TEXT.index(',"'), "", QuoteKind.DIRECT, speaker=_span("Mara Velt"))
    port = _span("the plan was late")
    fishermen = _span("nobody asked the fishermen")
    q_port = Quote(port.start, port.end, port.text, QuoteKind.INDIRECT, speaker=_span("Officials"))
    q_fish = Quote(fishermen.start, fishermen.end, "", QuoteKind.DIRECT, speaker=_span("Ivo Brenn"))
    wrong = Quote(fishermen.start, fishermen.end, "", QuoteKind.DIRECT, speaker=_span("He"))
    mara, ivo = _span("Mara Velt"), _span("Ivo Brenn")
    ents_a = [Entity(mara.start, mara.end, "PER", mara.text), Entity(ivo.start, ivo.end, "PER", "")]
    ents_b = [
        Entity(mara.start, mara.start + 4, "PER", "", Origin.HUMAN),  # overlapping only
        Entity(ivo.start, ivo.end, "ORG", ""),  # another label
    ]
    rows = agreement(
        {
            "ann": {"a1": _version([bridge, q_port, q_fish], ents_a, [])},
            "bob": {"a1": _version([bridge, wrong], ents_b, [])},
        }
    )
    by = {(r.layer, r.label): r for r in rows}
    q = by[("quotes", None)]
    assert (q.annotator_a, q.annotator_b, q.articles) == ("ann", "bob", 1)
    assert (q.count_a, q.count_b, q.matched) == (3, 2, 2)
    assert q.f1 == pytest.approx(0.8)
    assert by[("speakers", None)].agreement == pytest.approx(0.5)
    e = by[("entities", None)]
    assert (e.matched, e.f1) == (0, 0.0)
    assert by[("entities", "PER")].overlap_f1 == pytest.approx(2 / 3)
    assert e.kappa is not None and e.kappa < 1.0 and e.alpha is not None


def _version_of(spans: list[EntitySpan], quoted: list[tuple[int, int]]) -> Article:
    ents = [Entity(e.start, e.end, e.label, TEXT[e.start : e.end]) for e in spans]
    qs = [Quote(s, e, TEXT[s:e], QuoteKind.DIRECT) for s, e in quoted]
    return Article("a1", TEXT, entities=ents, quotes=qs)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(entities(), max_size=6),
    st.lists(entities(), max_size=6),
    st.lists(extents(), max_size=3),
    st.lists(extents(), max_size=3),
)
def test_team_alpha_of_two_is_their_pairs_alpha(
    ea: list[EntitySpan], eb: list[EntitySpan], qa: list[tuple[int, int]], qb: list[tuple[int, int]]
) -> None:
    versions = {"ann": {"a1": _version_of(ea, qa)}, "bob": {"a1": _version_of(eb, qb)}}
    rows = {(r.layer, r.label): r.alpha for r in agreement(versions)}
    team = team_alpha(versions)
    for key in [("quotes", None), ("entities", None)]:
        want, got = rows[key], team[key]
        assert (want is None and got is None) or got == pytest.approx(want)


def test_team_alpha_takes_a_missing_article_as_missing() -> None:
    a = _version_of([EntitySpan(*_at("Mara Velt"), "PER")], [])
    b = _version_of([EntitySpan(*_at("Ivo Brenn"), "PER")], [])
    other = Article("a2", TEXT + " More.", entities=[Entity(0, 4, "ORG", TEXT[:4])])
    versions = {"ann": {"a1": a, "a2": other}, "bob": {"a1": a}, "cy": {"a1": b}}
    got = team_alpha(versions)[("entities", None)]
    assert got is not None and -1.0 <= got < 1.0


def _at(word: str) -> tuple[int, int]:
    start = TEXT.index(word)
    return start, start + len(word)
