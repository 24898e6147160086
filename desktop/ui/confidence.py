"""The engine's confidences in words a reader uses, and what a person's work means.

A model quote carries two calibrated confidences: that it is a quote (``confidence``) and
that its source is right (``source_confidence``). Its *certainty* is the lower of the two
(the chance that both are right is no higher). A quote a person made or corrected has no
model confidence: it counts as certain ("set by a person") and is never dimmed. A model
quote analyzed before confidences existed has none either: it is "not measured".

The store keeps the same figure per article (``article.lowest_confidence``, migration
0005), computed by SQL triggers with the same rule; ``lowest_confidence`` below is its
Python twin, which the window uses to update the list without asking the database again.
"""

from __future__ import annotations

from desktop.domain import Origin, Quote
from desktop.domain.names import elide

# below this a quote (or a source all of whose quotes are below it) is dimmed in the
# sidebar and dotted in the text: on the calibration data, fewer than 7 in 10 such
# decisions were right
LOW = 0.7
# (lowest confidence, word) from the most certain down
WORDS = ((0.95, "almost certain"), (0.85, "sure"), (0.7, "fairly sure"), (0.5, "unsure"))
DOUBTFUL = "doubtful"
BY_PERSON = "set by a person"
REASON_CHARS = 300  # a reason quotes names from the text: never a tooltip wider than this


def percent(value: float) -> str:
    """``0.78`` -> ``"78%"``; never "100%" for a figure below 1 nor "0%" above 0."""
    shown = round(value * 100)
    if value < 1:
        shown = min(shown, 99)
    if value > 0:
        shown = max(shown, 1)
    return f"{shown}%"


def in_words(value: float) -> str:
    """A confidence as a reader says it: ``0.78`` -> ``"fairly sure (78%)"``."""
    word = next((w for floor, w in WORDS if value >= floor), DOUBTFUL)
    return f"{word} ({percent(value)})"


def by_person(quote: Quote) -> bool:
    """A person made or corrected this quote: the model's account no longer holds."""
    return quote.origin == Origin.HUMAN


def certainty(quote: Quote) -> float | None:
    """How certain a quote and its source are together: 1.0 for a person's quote, the
    lower of the model's two confidences otherwise, None when the model gave none."""
    if by_person(quote):
        return 1.0
    known = [c for c in (quote.confidence, quote.source_confidence) if c is not None]
    return min(known) if known else None


def is_doubtful(quote: Quote) -> bool:
    value = certainty(quote)
    return value is not None and value < LOW


def lowest_confidence(quotes: list[Quote]) -> float | None:
    """An article's least certain quote (rejected ones left out): what the browser lists
    and sorts by. None when no quote has a figure."""
    values = [c for q in quotes if not q.rejected and (c := certainty(q)) is not None]
    return min(values) if values else None


def explain(quote: Quote) -> list[str]:
    """Why this is a quote and why it belongs to its source, one line each:
    "Quote: fairly sure (78%) — the clause the cue reports, cue 'said'"."""
    if by_person(quote):
        return [f"Quote and source {BY_PERSON}"]
    if quote.confidence is None and quote.source_confidence is None:
        return ["No confidence measured (analyzed before confidences; analyze it again)"]
    lines = []
    if quote.confidence is not None:
        lines.append(_line("Quote", quote.confidence, quote.reason))
    if quote.source_confidence is not None:
        lines.append(_line("Its source", quote.source_confidence, quote.source_reason))
    elif quote.source_key is None:
        lines.append("Its source: none found")
    return lines


def _line(what: str, value: float, reason: str) -> str:
    why = f" — {elide(reason, REASON_CHARS)}" if reason.strip() else ""
    return f"{what}: {in_words(value)}{why}"
