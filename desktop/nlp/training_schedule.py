"""The learning rate of a time-budgeted training: a short warm-up, then a straight decay
that reaches ``final_rate`` when the time budget (or a step limit) is spent.

A run ends when its budget is spent, not after a number of steps known beforehand, so the
usual step-based decays (thinc's ``warmup_linear.v1``) cannot be told where the end is.
This schedule asks the running training how much of its budget it has used (``budget_clock``
binds it); ``total_steps`` (0: none) ends the decay after that many steps instead, whichever
comes first, which makes runs with a step limit independent of the machine's load.

The config names it as ``@schedules = "quotedesk.budget_decay.v1"``; it is registered when
``desktop.nlp.training`` trains (outside the app, ``spacy train --code`` with this file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

SCHEDULE_NAME = "quotedesk.budget_decay.v1"

# the fraction of the running training's budget spent so far (None: no run is bound)
_spent: Callable[[], float] | None = None


@contextmanager
def budget_clock(spent: Callable[[], float]) -> Iterator[None]:
    """Schedules made while this is open follow ``spent`` (0.0 at the start, 1.0 at the end
    of the budget)."""
    global _spent
    previous, _spent = _spent, spent
    try:
        yield
    finally:
        _spent = previous


def budget_decay(
    initial_rate: float,
    warmup_steps: int = 0,
    final_rate: float = 0.0,
    total_steps: int = 0,
) -> Iterator[float]:
    """Rates, one a step: rising linearly to ``initial_rate`` over ``warmup_steps``, then
    falling linearly with the share of the budget spent, to ``final_rate`` at its end."""
    if initial_rate < 0 or final_rate < 0 or warmup_steps < 0 or total_steps < 0:
        raise ValueError("budget_decay: rates and step counts must not be negative")
    return _rates(_spent, initial_rate, warmup_steps, final_rate, total_steps)


def _rates(
    spent: Callable[[], float] | None,
    initial_rate: float,
    warmup_steps: int,
    final_rate: float,
    total_steps: int,
) -> Iterator[float]:
    """The rates of ``budget_decay``, following the clock bound when it was made."""
    step = 0
    while True:
        share = spent() if spent is not None else 0.0
        if total_steps:
            share = max(share, step / total_steps)
        share = min(1.0, max(0.0, share))
        warm = min(1.0, (step + 1) / warmup_steps) if warmup_steps else 1.0
        yield warm * (initial_rate + (final_rate - initial_rate) * share)
        step += 1


def register() -> None:
    """Make the schedule known to spaCy's config system (again: harmless)."""
    from spacy.util import registry

    schedules: Any = registry.schedules
    schedules.register(SCHEDULE_NAME, func=budget_decay)


if __name__ != "desktop.nlp.training_schedule":  # loaded as a file by `spacy train --code`
    register()
