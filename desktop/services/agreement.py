"""Inter-annotator agreement over a collection: one row per annotator pair, layer and label.

The input is each annotator's version of the articles they annotated (their layer); a pair
is compared on the articles both annotated. Quotes: the quote scorer's span F1 (the first
annotator of the pair, in name order, as its gold) and exact F1; speakers and sources:
agreement on the matched quotes, and an F1 that counts a quote only when it is matched and
attributed alike. Entities: span F1 exact (``f1``) and overlapping, per label and for all
labels together (``label`` None). Cohen's kappa and Krippendorff's alpha (the
``krippendorff`` package, nominal) are computed on token labels, where they are defined.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from desktop.domain import Article
from desktop.domain.agreement import (
    OUTSIDE,
    EntityCounts,
    EntitySpan,
    QuoteCounts,
    QuoteSpan,
    entity_counts,
    f1,
    kappa_of_pairs,
    quote_counts,
    token_labels,
    tokens,
)
from desktop.services import team
from desktop.store import layers
from desktop.store import repository as repo
from desktop.store.database import Database

LAYERS = ("entities", "quotes", "speakers", "sources")
Versions = Mapping[str, Mapping[str, Article]]  # annotator -> article id -> their version


@dataclass(frozen=True)
class AgreementRow:
    """One figure set. ``label`` None: all labels together. ``kappa``, ``alpha``,
    ``overlap_f1``, ``exact_f1`` and ``agreement`` are None where they are not defined."""

    annotator_a: str
    annotator_b: str
    layer: str
    label: str | None
    articles: int
    f1: float
    count_a: int
    count_b: int
    matched: int
    exact_f1: float | None = None
    overlap_f1: float | None = None
    agreement: float | None = None
    kappa: float | None = None
    alpha: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def quote_spans(article: Article) -> list[QuoteSpan]:
    """An article's quotes as agreement sees them; a quote without a source is known by its
    speaker's words (as the scorer names it)."""
    names = {s.key: s.name for s in article.sources}
    out = []
    for q in article.quotes:
        speaker = (q.speaker.start, q.speaker.end) if q.speaker is not None else None
        source = names.get(q.source_key or "", "") or (q.speaker.text if q.speaker else "")
        out.append(QuoteSpan(q.start, q.end, speaker, source))
    return out


def entity_spans(article: Article) -> list[EntitySpan]:
    return [EntitySpan(e.start, e.end, e.label) for e in article.entities if not e.rejected]


def alpha(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Krippendorff's alpha (nominal) of two coders' labels; None where undefined (one
    value only in all the data)."""
    return alpha_of_pairs(Counter(zip(a, b, strict=True)))


def alpha_of_pairs(pairs: Mapping[tuple[str, str], int]) -> float | None:
    """Krippendorff's alpha of two coders from how many units got each label pair: the
    package's value counts, one row per unit (rows of a kind repeated), so a collection's
    tokens are never held as lists."""
    values = sorted({x for pair in pairs for x in pair})
    if len(values) < 2 or not pairs:
        return None
    import numpy as np  # imported when agreement is computed: the window starts without it

    at = {v: i for i, v in enumerate(values)}
    kinds = list(pairs)
    rows = np.zeros((len(kinds), len(values)), dtype=np.int64)
    for r, (x, y) in enumerate(kinds):
        rows[r, at[x]] += 1
        rows[r, at[y]] += 1
    counts = np.repeat(rows, [pairs[k] for k in kinds], axis=0)
    return _krippendorff(counts, value_counts=True)


Tally = Counter[tuple[str, str]]  # (A's token label, B's) -> how many tokens


@dataclass
class _Pair:
    """What one pair adds up over the articles both annotated."""

    articles: int = 0
    quotes: QuoteCounts = QuoteCounts()
    quote_tokens: Tally = field(default_factory=Counter)
    entities: dict[str | None, EntityCounts] = field(default_factory=dict)
    entity_tokens: dict[str | None, Tally] = field(default_factory=dict)


@dataclass
class _Reading:
    """One annotator's version of one article, as every pair compares it."""

    text: str
    quotes: list[QuoteSpan]
    entities: list[EntitySpan]
    quote_tokens: list[str]
    entity_tokens: dict[str | None, list[str]]


def _labels(versions: Iterable[Article]) -> list[str]:
    return sorted({e.label for a in versions for e in a.entities if not e.rejected})


def _reading(art: Article, toks: Sequence[tuple[int, int]], labels: Sequence[str]) -> _Reading:
    qs, es = quote_spans(art), entity_spans(art)
    spans = [(e.start, e.end, e.label) for e in es]
    return _Reading(
        art.text,
        qs,
        es,
        token_labels(toks, [(q.start, q.end, "QUOTE") for q in qs]),
        {label: token_labels(toks, spans, label) for label in [None, *labels]},
    )


def _add_article(pair: _Pair, a: _Reading, b: _Reading, labels: Sequence[str]) -> None:
    pair.articles += 1
    pair.quotes = pair.quotes + quote_counts(a.text, a.quotes, b.quotes)
    pair.quote_tokens.update(zip(a.quote_tokens, b.quote_tokens, strict=True))
    for label in [None, *labels]:
        pair.entities[label] = pair.entities.get(label, EntityCounts()) + entity_counts(
            a.entities, b.entities, label
        )
        tally = pair.entity_tokens.setdefault(label, Counter())
        tally.update(zip(a.entity_tokens[label], b.entity_tokens[label], strict=True))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pair_rows(name_a: str, name_b: str, pair: _Pair, labels: Sequence[str]) -> list[AgreementRow]:
    q = pair.quotes

    def row(layer: str, label: str | None, hits: int, count_a: int, count_b: int) -> AgreementRow:
        return AgreementRow(
            name_a, name_b, layer, label, pair.articles, f1(hits, count_b, count_a),
            count_a, count_b, hits,
        )  # fmt: skip

    rows = [
        replace(
            row("quotes", None, q.matched, q.reference, q.other),
            exact_f1=f1(q.exact, q.other, q.reference),
            kappa=kappa_of_pairs(pair.quote_tokens),
            alpha=alpha_of_pairs(pair.quote_tokens),
        )
    ]
    for layer, agreeing in (("speakers", q.speakers), ("sources", q.sources)):
        rows.append(
            replace(
                row(layer, None, agreeing, q.reference, q.other),
                agreement=_ratio(agreeing, q.matched),
            )
        )
    for label in [None, *labels]:
        e = pair.entities.get(label, EntityCounts())
        tally = pair.entity_tokens.get(label, Counter())
        if label is not None and not (e.reference or e.other):
            continue  # a label neither of the two used
        rows.append(
            replace(
                row("entities", label, e.exact, e.reference, e.other),
                overlap_f1=f1(e.overlapping, e.other, e.reference),
                kappa=kappa_of_pairs(tally),
                alpha=alpha_of_pairs(tally),
            )
        )
    return rows


def team_alpha(versions: Versions) -> dict[tuple[str, str | None], float | None]:
    """Krippendorff's alpha over all annotators at once, per layer ("quotes", "entities")
    and label (None: all), on token labels; an article an annotator did not annotate is
    missing data for them, as alpha allows. None where it is not defined."""
    names = sorted(versions)
    articles = sorted({key for by_id in versions.values() for key in by_id})
    labels = _labels(art for by_id in versions.values() for art in by_id.values())
    columns: dict[tuple[str, str | None], list[list[str | None]]] = {}
    for key in articles:
        text = next(v[key].text for v in versions.values() if key in v)
        toks = tokens(text)
        for name_index, name in enumerate(names):
            art = versions[name].get(key)
            if art is not None and art.text != text:
                art = None  # another text under the same key: not comparable
            for layer, label in [("quotes", None), ("entities", None)] + [
                ("entities", lab) for lab in labels
            ]:
                rows = columns.setdefault((layer, label), [[] for _ in names])
                if art is None:
                    rows[name_index].extend([None] * len(toks))
                elif layer == "quotes":
                    spans = [(q.start, q.end, "QUOTE") for q in quote_spans(art)]
                    rows[name_index].extend(token_labels(toks, spans))
                else:
                    spans = [(e.start, e.end, e.label) for e in entity_spans(art)]
                    rows[name_index].extend(token_labels(toks, spans, label))
    return {key: _alpha_many(rows) for key, rows in columns.items()}


def _alpha_many(rows: list[list[str | None]]) -> float | None:
    import numpy as np

    codes: dict[str, int] = {}
    data = np.array(
        [[np.nan if x is None else codes.setdefault(x, len(codes)) for x in r] for r in rows],
        float,
    )
    if len(rows) < 2 or len(codes) < 2:
        return None
    return _krippendorff(data)


def _krippendorff(data: Any, value_counts: bool = False) -> float | None:
    """The package's nominal alpha of reliability data (coders x units) or of value counts
    (units x values); None where it is undefined (no unit two annotators coded, or no
    disagreement to expect: 0/0)."""
    import krippendorff
    import numpy as np

    given = {"value_counts": data} if value_counts else {"reliability_data": data}
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(krippendorff.alpha(**given, level_of_measurement="nominal"))
    except ValueError:
        return None
    return None if math.isnan(value) else value


def collection_team_alpha(
    db: Database, collection: str | None = None
) -> dict[tuple[str, str | None], float | None]:
    """``team_alpha`` of a collection's annotator layers."""
    return team_alpha(_collection_versions(db, collection))


class AgreementError(ValueError):
    """An agreement request that cannot be answered (an unknown collection)."""


def collection_agreement(db: Database, collection: str | None = None) -> list[AgreementRow]:
    """Agreement between the annotators' layers of a collection (None: every collection)."""
    return agreement(_collection_versions(db, collection))


def _collection_versions(db: Database, collection: str | None) -> Versions:
    with db.session() as session:
        coll = None
        if collection is not None:
            try:
                coll = repo.collection(session, collection, create=False)
            except KeyError:
                known = ", ".join(repr(n) for n in repo.collection_names(session)) or "none yet"
                raise AgreementError(
                    f"There is no collection named {collection!r} (the collections: {known})."
                ) from None
        versions: dict[str, dict[str, Article]] = {}
        for v in layers.versions(session, layers.ANNOTATOR, coll):
            base = Article(v.external_id, v.text)
            version = team.version_article(base, v.annotations, v.annotator, v.status)
            versions.setdefault(v.annotator, {})[str(v.article_id)] = version
    return versions


def agreement(versions: Versions) -> list[AgreementRow]:
    """Every pair of annotators (in name order) on the articles both annotated.

    Article by article: each annotator's version is read once (spans, token labels) and
    every pair adds its counts, so the work grows with annotators, not pairs, and a pair
    keeps only tallies."""
    names = sorted(versions)
    labels = _labels(art for by_id in versions.values() for art in by_id.values())
    pairs = {pair: _Pair() for pair in itertools.combinations(names, 2)}
    for key in sorted({k for by_id in versions.values() for k in by_id}):
        have = [n for n in names if key in versions[n]]
        if len(have) < 2:
            continue
        toks_of: dict[str, list[tuple[int, int]]] = {}
        read: dict[str, _Reading] = {}
        for name in have:
            art = versions[name][key]
            toks = toks_of.setdefault(art.text, tokens(art.text))
            read[name] = _reading(art, toks, labels)
        for a, b in itertools.combinations(have, 2):
            if read[a].text == read[b].text:  # else not the same article: nothing to compare
                _add_article(pairs[(a, b)], read[a], read[b], labels)
    rows: list[AgreementRow] = []
    for (a, b), pair in pairs.items():
        if pair.articles:
            rows.extend(_pair_rows(a, b, pair, labels))
    return rows


__all__ = [
    "LAYERS",
    "OUTSIDE",
    "AgreementError",
    "AgreementRow",
    "Versions",
    "agreement",
    "alpha",
    "alpha_of_pairs",
    "collection_agreement",
    "collection_team_alpha",
    "team_alpha",
]
