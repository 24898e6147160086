"""The name rules themselves (``desktop.domain.names``), as properties over any text:
what a rule accepts fits every format unchanged, and what the helpers make for messages and
widgets is one bounded line whatever they are given."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from desktop.domain.names import (
    LINE_BREAKS,
    InvalidName,
    check_collection_name,
    check_label,
    check_source_name,
    check_title,
    clip_title,
    elide,
    one_line,
    shown,
)
from desktop.formats.brat import _type
from desktop.formats.conll import tag_label
from tests.reliability.roundtrip import hostile_names

anything = st.one_of(hostile_names, st.text(st.characters(codec=None, exclude_categories=())))


def accepted(check: object, name: str) -> bool:
    try:
        check(name)  # type: ignore[operator]
    except InvalidName as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
        return False
    return True


@given(anything)
def test_a_label_the_rules_accept_is_one_token_everywhere(name: str) -> None:
    if accepted(check_label, name):
        assert name.split() == [name] and not set(name) & LINE_BREAKS
        assert tag_label(name) == name
        # brat keeps only ASCII in a type: other labels go out as a type and come back from
        # the sidecar (test_export_import_back)
        assert re.fullmatch(r"[A-Za-z0-9_-]+", _type(name))
        assert _type(name) == name or not name.isascii()
        assert f"Alice _ _ B-{name}".split() == ["Alice", "_", "_", f"B-{name}"]
        assert name[0] not in "-!#<" and ":" not in name and ";" not in name


@given(anything)
def test_old_labels_still_export_as_one_token(name: str) -> None:
    for written in (tag_label(name), _type(name)):
        assert written and written.split() == [written] and not set(written) & LINE_BREAKS


@given(anything)
def test_accepted_names_are_one_printable_line(name: str) -> None:
    for check in (check_collection_name, check_source_name):
        if accepted(check, name):
            assert not set(name) & LINE_BREAKS and "\t" not in name and "\x00" not in name
            assert "\u202e" not in name and name.strip()


@given(anything, st.integers(10, 500))
def test_messages_and_widgets_get_one_bounded_line(text: str, limit: int) -> None:
    for made in (one_line(text, limit), elide(text, limit)):
        assert len(made) <= limit
        assert not set(made) & LINE_BREAKS and "\x00" not in made and "\u202e" not in made
    assert "\n" not in shown(text) and len(shown(text)) <= 10 * 40 + 40  # \\U0003134b: 10


@given(anything)
def test_a_clipped_title_passes_the_title_rule(title: str) -> None:
    clipped = clip_title(title)
    assert check_title(clipped) == clipped and len(clipped) <= 1_000
