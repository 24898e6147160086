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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import krippendorff
import numpy as np

from desktop.domain import Article
from desktop.domain.agreement import (
    OUTSIDE,
    EntityCounts,
    EntitySpan,
    QuoteCounts,
    QuoteSpan,
    cohen_kappa,
    entity_counts,
    f1,
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
    if not a:
        return None
    codes: dict[str, int] = {}
    data = np.array([[codes.setdefault(x, len(codes)) for x in seq] for seq in (a, b)], float)
    if len(codes) < 2:
        return None
    return _krippendorff(data)


@dataclass
class _Pair:
    """What one pair adds up over the articles both annotated."""

    articles: int = 0
    quotes: QuoteCounts = QuoteCounts()
    quote_tokens: tuple[list[str], list[str]] = field(default_factory=lambda: ([], []))
    entities: dict[str | None, EntityCounts] = field(default_factory=dict)
    entity_tokens: dict[str | None, tuple[list[str], list[str]]] = field(default_factory=dict)


def _labels(versions: Iterable[Article]) -> list[str]:
    return sorted({e.label for a in versions for e in a.entities if not e.rejected})


def _add_article(pair: _Pair, a: Article, b: Article, labels: Sequence[str]) -> None:
    text = a.text
    pair.articles += 1
    qa, qb = quote_spans(a), quote_spans(b)
    pair.quotes = pair.quotes + quote_counts(text, qa, qb)
    toks = tokens(text)
    pair.quote_tokens[0].extend(token_labels(toks, [(q.start, q.end, "QUOTE") for q in qa]))
    pair.quote_tokens[1].extend(token_labels(toks, [(q.start, q.end, "QUOTE") for q in qb]))
    ea, eb = entity_spans(a), entity_spans(b)
    for label in [None, *labels]:
        pair.entities[label] = pair.entities.get(label, EntityCounts()) + entity_counts(
            ea, eb, label
        )
        la, lb = pair.entity_tokens.setdefault(label, ([], []))
        la.extend(token_labels(toks, [(e.start, e.end, e.label) for e in ea], label))
        lb.extend(token_labels(toks, [(e.start, e.end, e.label) for e in eb], label))


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _pair_rows(name_a: str, name_b: str, pair: _Pair, labels: Sequence[str]) -> list[AgreementRow]:
    q = pair.quotes

    def row(layer: str, label: str | None, hits: int, count_a: int, count_b: int) -> AgreementRow:
        return AgreementRow(
            name_a, name_b, layer, label, pair.articles, f1(hits, count_b, count_a),
            count_a, count_b, hits,
        )  # fmt: skip

    la, lb = pair.quote_tokens
    rows = [
        replace(
            row("quotes", None, q.matched, q.reference, q.other),
            exact_f1=f1(q.exact, q.other, q.reference),
            kappa=cohen_kappa(la, lb),
            alpha=alpha(la, lb),
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
        ta, tb = pair.entity_tokens.get(label, ([], []))
        if label is not None and not (e.reference or e.other):
            continue  # a label neither of the two used
        rows.append(
            replace(
                row("entities", label, e.exact, e.reference, e.other),
                overlap_f1=f1(e.overlapping, e.other, e.reference),
                kappa=cohen_kappa(ta, tb),
                alpha=alpha(ta, tb),
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
    codes: dict[str, int] = {}
    data = np.array(
        [[np.nan if x is None else codes.setdefault(x, len(codes)) for x in r] for r in rows],
        float,
    )
    if len(rows) < 2 or len(codes) < 2:
        return None
    return _krippendorff(data)


def _krippendorff(data: Any) -> float | None:
    """The package's nominal alpha; None where it is undefined (no unit two annotators
    coded, or no disagreement to expect: 0/0)."""
    try:
        with np.errstate(divide="ignore", invalid="ignore"):
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
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
    """Every pair of annotators (in name order) on the articles both annotated."""
    rows: list[AgreementRow] = []
    labels = _labels(art for by_id in versions.values() for art in by_id.values())
    for name_a, name_b in itertools.combinations(sorted(versions), 2):
        mine, theirs = versions[name_a], versions[name_b]
        pair = _Pair()
        for article_id in sorted(set(mine) & set(theirs)):
            a, b = mine[article_id], theirs[article_id]
            if a.text != b.text:
                continue  # not the same article: nothing to compare
            _add_article(pair, a, b, labels)
        if pair.articles:
            rows.extend(_pair_rows(name_a, name_b, pair, labels))
    return rows


__all__ = [
    "LAYERS",
    "OUTSIDE",
    "AgreementError",
    "AgreementRow",
    "Versions",
    "agreement",
    "alpha",
    "collection_agreement",
    "collection_team_alpha",
    "team_alpha",
]
