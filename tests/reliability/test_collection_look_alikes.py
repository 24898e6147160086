"""Collection names that read the same are one collection, not two (found by the hostile
tester: ``--collection Café`` typed in NFC and in NFD, ``news`` and ``NEWS``, ``Ｎews`` in
full-width letters, and ``x\\u200by`` with a zero-width space all made a second collection
that looks like the first in every list).

The class: a new collection name is refused in one line when it is not in Unicode normal
form C, holds an invisible character, or equals an existing one but for case and Unicode
form; an existing name is still used as it is.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.domain.names import InvalidName, check_collection_name, look_alike_key
from desktop.services import library
from desktop.store import Database

NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


def twins(name: str) -> list[str]:
    """Ways of writing ``name`` that read the same."""
    return [
        name.upper(),
        name.lower(),
        name.swapcase(),
        unicodedata.normalize("NFD", name),
        unicodedata.normalize("NFKD", name),
        "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in name),  # full width
    ]


@settings(max_examples=300, deadline=None)
@given(name=NAMES, data=st.data())
def test_a_name_allowed_is_nfc_visible_and_no_twin_of_an_existing_one(
    name: str, data: st.DataObject
) -> None:
    existing = data.draw(st.lists(NAMES, max_size=3))
    try:
        kept = check_collection_name(name, existing)
    except InvalidName as exc:
        assert "\n" not in str(exc)
        return
    assert kept == name and unicodedata.is_normalized("NFC", name)
    assert all(unicodedata.category(c) != "Cf" for c in name if c not in "\u200c\u200d")
    assert all(look_alike_key(other) != look_alike_key(name) for other in existing if other != name)


@settings(max_examples=300, deadline=None)
@given(name=NAMES)
def test_every_twin_of_an_existing_name_is_refused(name: str) -> None:
    try:
        check_collection_name(name)
    except InvalidName:
        return
    for twin in twins(name):
        if twin == name:
            continue
        try:
            check_collection_name(twin, [name])
        except InvalidName as exc:
            assert "\n" not in str(exc)
            continue
        # allowed only when it does not read the same
        assert look_alike_key(twin) != look_alike_key(name)


@pytest.mark.parametrize(
    "twin", ["Cafe\u0301", "NEWS", "\uff2e\uff45\uff57\uff53", "ne\u200bws", "news\ufeff"]
)
def test_the_cli_refuses_a_look_alike_collection_and_makes_none(twin: str) -> None:
    path = Path(tempfile.mkdtemp(prefix="qd-twins-")) / "db.sqlite3"
    source = path.parent / "one.jsonl"
    source.write_text(json.dumps({"id": "one", "text": "Ila Brun wrote it."}) + "\n", "utf-8")
    for first in ("Café", "news"):
        assert cli.main(["--db", str(path), "import", str(source), "--collection", first]) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["--db", str(path), "import", str(source), "--collection", twin])
    assert code == 1 and err.getvalue().count("\n") == 1, err.getvalue()
    db = Database.open(path)
    try:
        assert sorted(library.collection_names(db)) == ["Café", "news"]
    finally:
        db.close()


BLANK = st.text(
    st.sampled_from(" \u00a0\u2003\u3000\u200b\u00ad\u2060\ufeff\u200d\u200c\u180e"),
    min_size=1,
    max_size=8,
)


@settings(max_examples=100, deadline=None)
@given(name=BLANK, around=st.sampled_from(["", "Ana", "Jo\u00adsé"]))
def test_a_source_name_that_shows_nothing_is_refused_and_one_that_shows_is_kept(
    name: str, around: str
) -> None:
    """Found: a source named ``\\u200b`` (or a soft hyphen) passed "not only spaces" and was
    a blank row in the sidebar. A visible name may still hold such characters."""
    from desktop.domain.names import check_source_name

    if around:
        assert check_source_name(around + name.strip() + around) == around + name.strip() + around
        return
    with pytest.raises(InvalidName) as caught:
        check_source_name(name)
    assert "\n" not in str(caught.value)
