"""How far two annotators' versions of one article agree: plain counting, no I/O.

Quotes are matched as the project's quote scorer (``score_quotes.py``) matches a prediction
to the gold: after trimming white space, quotation marks and edge punctuation, two content
spans match when their overlap covers at least half of each; one-to-one, largest overlap
first. The first annotator of a pair plays the scorer's gold, the second its prediction,
so a pair's figures equal the scorer's run on the two versions. Entities are compared as
spans (exact, or overlapping with the same label) and as token labels (Cohen's kappa).
``services.agreement`` adds up the counts over a collection and asks the ``krippendorff``
package for alpha.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# the scorer's TRIM: what is cut from both ends of a quote before matching
TRIM = frozenset(" \t\n\r\"'“”‘’«»,.;:—–-()[]")
OUTSIDE = "O"  # the token label of a token in no span
_TOKEN = re.compile(r"\w+|[^\w\s]")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii"})

Extent = tuple[int, int]


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """What agreement needs of a quote: its content (and its fragments, when an annotator
    marked a quote in several pieces), its speaker mention and its source's name."""

    start: int
    end: int
    speaker: Extent | None = None
    source: str = ""
    fragments: tuple[Extent, ...] = ()


@dataclass(frozen=True, slots=True)
class EntitySpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """One-to-one pairs (reference index, other index, exact) and the other's quotes that
    only repeat a fragment of a reference quote already matched (they count neither way)."""

    pairs: tuple[tuple[int, int, bool], ...]
    absorbed: frozenset[int]


def trim(text: str, start: int, end: int) -> Extent:
    """``start..end`` without the TRIM characters at either end."""
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def overlap(a: Extent, b: Extent) -> int:
    """How many characters two extents share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _units(text: str, q: QuoteSpan) -> list[Extent]:
    """The quote's whole trimmed span, then each fragment when it has several."""
    return [trim(text, q.start, q.end), *(trim(text, a, b) for a, b in q.fragments)]


def _hits(unit: Extent, other: Extent) -> int:
    shared = overlap(unit, other)
    if shared and shared >= 0.5 * (unit[1] - unit[0]) and shared >= 0.5 * (other[1] - other[0]):
        return shared
    return 0


def match_quotes(
    text: str, reference: Sequence[QuoteSpan], other: Sequence[QuoteSpan]
) -> QuoteMatch:
    """Match two annotators' quotes of one text the way the quote scorer does."""
    ref_units = [_units(text, q) for q in reference]
    other_spans = [trim(text, q.start, q.end) for q in other]
    candidates: list[tuple[int, int, int]] = []
    for i, units in enumerate(ref_units):
        for j, span in enumerate(other_spans):
            shared = max(_hits(u, span) for u in units)
            if shared:
                candidates.append((shared, i, j))
    candidates.sort(reverse=True)  # largest overlap first; ties as the scorer breaks them
    used_ref: set[int] = set()
    used_other: set[int] = set()
    pairs: list[tuple[int, int, bool]] = []
    for _, i, j in candidates:
        if i in used_ref or j in used_other:
            continue
        used_ref.add(i)
        used_other.add(j)
        ref = ref_units[i][0]
        got = other_spans[j]
        pairs.append((i, j, abs(ref[0] - got[0]) <= 2 and abs(ref[1] - got[1]) <= 2))
    absorbed = frozenset(
        j
        for _, i, j in candidates
        if j not in used_other and i in used_ref and len(ref_units[i]) > 1
    )
    return QuoteMatch(tuple(pairs), absorbed)


def last_token(name: str) -> str:
    """The last word of a name, case-folded, without Jr./Sr./II/III (the scorer's rule)."""
    words = [w for w in name.replace("’", "'").split() if w.isalpha() or "-" in w]
    folded = [w.strip(".,'").casefold() for w in words]
    kept = [w for w in folded if w and w not in _NAME_SUFFIXES]
    return kept[-1] if kept else ""


def speakers_agree(a: QuoteSpan, b: QuoteSpan) -> bool:
    """Both name no speaker, or their speaker mentions overlap."""
    if a.speaker is None or b.speaker is None:
        return a.speaker is None and b.speaker is None
    return overlap(a.speaker, b.speaker) > 0


def sources_agree(a: QuoteSpan, b: QuoteSpan) -> bool:
    """Both name no source, or their source names end in the same word."""
    left, right = last_token(a.source), last_token(b.source)
    return left == right


@dataclass(frozen=True, slots=True)
class QuoteCounts:
    """What the quotes of one article (or of many, added up) come to for one pair.

    ``other`` excludes the absorbed quotes, as the scorer's prediction count does.
    """

    reference: int = 0
    other: int = 0
    matched: int = 0
    exact: int = 0
    speakers: int = 0  # matched quotes whose speakers agree
    sources: int = 0  # matched quotes whose sources agree

    def __add__(self, more: QuoteCounts) -> QuoteCounts:
        return QuoteCounts(
            self.reference + more.reference,
            self.other + more.other,
            self.matched + more.matched,
            self.exact + more.exact,
            self.speakers + more.speakers,
            self.sources + more.sources,
        )


def quote_counts(
    text: str, reference: Sequence[QuoteSpan], other: Sequence[QuoteSpan]
) -> QuoteCounts:
    """Count one article's quote agreement for a pair (``reference`` as the scorer's gold)."""
    found = match_quotes(text, reference, other)
    return QuoteCounts(
        reference=len(reference),
        other=len(other) - len(found.absorbed),
        matched=len(found.pairs),
        exact=sum(exact for _, _, exact in found.pairs),
        speakers=sum(speakers_agree(reference[i], other[j]) for i, j, _ in found.pairs),
        sources=sum(sources_agree(reference[i], other[j]) for i, j, _ in found.pairs),
    )


def f1(agreeing: int, other: int, reference: int) -> float:
    """F1 of ``agreeing`` items out of ``other`` against ``reference``: the scorer's sum."""
    precision = agreeing / other if other else 0.0
    recall = agreeing / reference if reference else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


@dataclass(frozen=True, slots=True)
class EntityCounts:
    """Entity spans of one pair: how many each has and how many match exactly or overlap."""

    reference: int = 0
    other: int = 0
    exact: int = 0
    overlapping: int = 0

    def __add__(self, more: EntityCounts) -> EntityCounts:
        return EntityCounts(
            self.reference + more.reference,
            self.other + more.other,
            self.exact + more.exact,
            self.overlapping + more.overlapping,
        )


def entity_counts(
    reference: Sequence[EntitySpan], other: Sequence[EntitySpan], label: str | None = None
) -> EntityCounts:
    """Exact matches (same extent and label) and overlapping ones (same label, sharing a
    character; one-to-one, largest overlap first), over one label or all (None)."""
    ref = [e for e in reference if label is None or e.label == label]
    oth = [e for e in other if label is None or e.label == label]
    exact = sum((Counter(ref) & Counter(oth)).values())
    candidates = sorted(
        (
            (overlap((a.start, a.end), (b.start, b.end)), i, j)
            for i, a in enumerate(ref)
            for j, b in enumerate(oth)
            if a.label == b.label and overlap((a.start, a.end), (b.start, b.end))
        ),
        reverse=True,
    )
    used_ref: set[int] = set()
    used_other: set[int] = set()
    for _, i, j in candidates:
        if i not in used_ref and j not in used_other:
            used_ref.add(i)
            used_other.add(j)
    return EntityCounts(len(ref), len(oth), exact, len(used_ref))


def tokens(text: str) -> list[Extent]:
    """Words and single punctuation marks: the units token agreement is counted on."""
    return [m.span() for m in _TOKEN.finditer(text)]


def token_labels(
    toks: Sequence[Extent], spans: Sequence[tuple[int, int, str]], label: str | None = None
) -> list[str]:
    """Each token's label: the longest span over it (``OUTSIDE`` for none). With ``label``
    the question is binary: that label or not."""
    out = [OUTSIDE] * len(toks)
    starts = [s for s, _ in toks]
    for start, end, name in sorted(spans, key=lambda s: s[1] - s[0]):  # longest wins
        if label is not None and name != label:
            continue
        first = bisect.bisect_right(starts, start) - 1
        for k in range(max(first, 0), len(toks)):
            if toks[k][0] >= end:
                break
            if overlap(toks[k], (start, end)):
                out[k] = name
    return out


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two label sequences; None when chance agreement is already
    certain (both give one and the same label to every unit: kappa is undefined)."""
    if len(a) != len(b):
        return None
    return kappa_of_pairs(Counter(zip(a, b, strict=True)))


def kappa_of_pairs(pairs: Mapping[tuple[str, str], int]) -> float | None:
    """Cohen's kappa from how many units got each (first coder's, second coder's) label
    pair: what a long run of units is kept as, instead of the units themselves."""
    n = sum(pairs.values())
    if n == 0:
        return None
    observed = sum(c for (x, y), c in pairs.items() if x == y) / n
    ca: Counter[str] = Counter()
    cb: Counter[str] = Counter()
    for (x, y), c in pairs.items():
        ca[x] += c
        cb[y] += c
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if expected >= 1.0:
        return None
    return (observed - expected) / (1.0 - expected)
