"""The layer editor's in-memory copy (``store.scratch``) gives back what it was given."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.domain import Article
from desktop.store import annotations as ann
from desktop.store.scratch import Scratch
from tests.reliability.roundtrip import articles, good_labels


def _annotations(art: Article) -> tuple[object, ...]:
    return (
        sorted(art.entities, key=repr),
        [(s.key, s.name, s.type, s.origin, sorted(s.mentions, key=repr)) for s in art.sources],
        sorted(art.quotes, key=repr),
        art.status,
    )


def _storable(art: Article) -> bool:
    """No lone surrogate (which no database of ours stores: the entrances refuse them)."""
    pieces = [art.text, art.title, art.external_id]
    pieces += [e.label for e in art.entities] + [e.text for e in art.entities]
    pieces += [s.name for s in art.sources] + [s.description for s in art.sources]
    try:
        "".join(pieces).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


SCRATCH = Scratch()  # one for every example, as a LayerEditor keeps one


@settings(max_examples=60, deadline=None)
@given(articles(label=good_labels).filter(_storable), st.integers(1, 3))
def test_restoring_a_state_any_number_of_times_gives_that_state(art: Article, times: int) -> None:
    """An undo in a layer is a restore of the state before: whatever the state (sources
    with several mentions among it), the copy's answer is exactly it, however often, and
    nothing of an earlier run (a mention left behind) leaks into a later one."""
    art.model_name, art.model_version = "a_model", "1.0"
    now = art
    for _ in range(times):
        _, now = SCRATCH.run(7, now, lambda s, row: ann.restore(s, row, art), "ann")
        assert _annotations(now) == _annotations(art)
        assert (now.model_name, now.model_version) == ("a_model", "1.0")
