"""The learning rate of a time-budgeted training (``quotedesk.budget_decay.v1``): warm-up,
then a straight fall to the final rate as the budget is spent, whatever the clock does."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.nlp.training_schedule import budget_clock, budget_decay

RATES = st.floats(1e-5, 1e-2)


@given(
    RATES,
    RATES,
    st.integers(0, 50),
    st.lists(st.floats(0.0, 0.2), min_size=1, max_size=200),
)
def test_rate_warms_up_then_falls_with_the_budget_spent(
    initial: float, final: float, warmup: int, ticks: list[float]
) -> None:
    final = min(final, initial)
    clock = [0.0]
    shares = list(itertools.accumulate(ticks))  # a clock that only goes forward
    with budget_clock(lambda: clock[0]):
        rates = budget_decay(initial, warmup, final)
    seen = []
    for share in shares:
        clock[0] = share
        seen.append(next(rates))
    assert all(final * (1 - 1e-9) - 1e-12 <= r <= initial * (1 + 1e-9) for r in seen[warmup:])
    after = seen[warmup:]
    assert all(b <= a + 1e-12 for a, b in itertools.pairwise(after))  # never rises again
    for share, r in zip(shares[warmup:], after, strict=True):
        if share >= 1.0:
            assert r == pytest.approx(final)


@given(RATES, st.integers(1, 500))
def test_a_step_limit_ends_the_decay_without_a_clock(initial: float, total: int) -> None:
    rates = list(itertools.islice(budget_decay(initial, 0, 0.0, total), total + 3))
    assert rates[0] == pytest.approx(initial)
    assert rates[total:] == [0.0, 0.0, 0.0]


def test_equal_rates_are_a_constant_rate() -> None:
    assert set(itertools.islice(budget_decay(0.001, 0, 0.001), 50)) == {0.001}


def test_negative_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        next(budget_decay(-0.001))


def test_a_config_naming_the_schedule_follows_the_training_clock() -> None:
    from spacy.util import load_config, registry

    from desktop.nlp.training import default_config_path
    from desktop.nlp.training_schedule import SCHEDULE_NAME, register

    register()
    schedule = {"@schedules": SCHEDULE_NAME, "initial_rate": 0.002, "final_rate": 0.0002}
    config = load_config(
        default_config_path(), overrides={"training.optimizer.learn_rate": schedule}
    )
    clock = [0.0]
    with budget_clock(lambda: clock[0]):
        optimizer = registry.resolve({"o": config["training"]["optimizer"]})["o"]
    assert optimizer.learn_rate == pytest.approx(0.002)
    clock[0] = 0.5
    optimizer.step_schedules()
    assert optimizer.learn_rate == pytest.approx(0.0011)
    clock[0] = 1.0
    optimizer.step_schedules()
    assert optimizer.learn_rate == pytest.approx(0.0002)
