"""A source's collection-wide record as the files carry it (issue 12): the project's JSONL,
the info block of the span formats, the spaCy DocBin's ``Doc._.sources``.

A linked source carries its record whole and how it is linked::

    "record": {"id": "r-3f9a01c2b4de", "name": "Amara Osei", "type": "PERSON",
               "aliases": ["Osei"], "role": "harbour master", "gender": "female",
               "gender_origin": "set", "attributes": {"party": "Green"}, "origin": "human"},
    "link": {"origin": "model", "confidence": 0.95, "rule": "full_name"}

``"record": null`` with a ``link`` is a person's decision that the source is no record's,
or, with ``"rule": "ambiguous"`` and ``"candidates": [records]``, the linking rules'
doubt between those records. The first line of a collection also carries, under
``"records"``, the collection's records that no source links to. A record is written
whole wherever it is named, so each line stands alone; the import finds it by its ``id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from desktop.domain.names import InvalidName, check_source_name
from desktop.domain.people import GenderOrigin, Person, PersonType, RecordLink


class RecordLinkError(ValueError):
    """A record or link that is not valid."""


def record_dict(p: Person) -> dict[str, Any]:
    """A record as the file carries it (its ``key`` as ``id``)."""
    return {
        "id": p.key,
        "name": p.name,
        "type": str(p.type),
        "aliases": list(p.aliases),
        "role": p.role,
        "gender": p.gender,
        "gender_origin": str(p.gender_origin) if p.gender_origin else None,
        "attributes": dict(p.attributes),
        "origin": p.origin,
    }


def record_link_dict(link: RecordLink | None) -> dict[str, Any]:
    """The ``record`` and ``link`` keys of a source (none when it has no link)."""
    if link is None:
        return {}
    record = record_dict(link.record) if link.record is not None else None
    how: dict[str, Any] = {
        "origin": link.origin,
        "confidence": link.confidence,
        "rule": link.rule,
    }
    if link.candidates:
        how["candidates"] = [record_dict(p) for p in link.candidates]
    return {"record": record, "link": how}


def records_dict(records: Sequence[Person]) -> dict[str, Any]:
    """The ``records`` key of an article line: the records no source links to (none when
    there are none, so a line without them is as before)."""
    return {"records": [record_dict(p) for p in records]} if records else {}


def _text(value: Any, what: str, limit: int, empty: bool = True) -> str:
    if not isinstance(value, str) or len(value) > limit or (not empty and not value.strip()):
        raise RecordLinkError(f"{what} must be text of at most {limit:,} characters")
    return value


def _name(value: Any, what: str) -> str:
    try:
        return check_source_name(value)
    except InvalidName as exc:
        raise RecordLinkError(f"{what}: {exc}") from None


def read_record_link(source: dict[str, Any], where: str) -> RecordLink:
    """The source's ``record`` and ``link``, checked; ``where`` names it in messages."""
    link = source.get("link")
    if not isinstance(link, dict):
        raise RecordLinkError(f'{where} "link" must be an object')
    origin = link.get("origin") or "human"
    if origin not in ("model", "human"):
        raise RecordLinkError(f"{where} link origin must be model or human, not {origin!r}")
    confidence = link.get("confidence")
    if confidence is not None and (
        isinstance(confidence, bool)
        or not isinstance(confidence, int | float)
        or not 0 <= confidence <= 1
    ):
        raise RecordLinkError(f"{where} link confidence must be a number from 0 to 1")
    rule = _text(link.get("rule") or "", f"{where} link rule", 50)
    candidates = link.get("candidates") or []
    if not isinstance(candidates, list):
        raise RecordLinkError(f"{where} link candidates must be a list of records")
    if candidates and (source.get("record") is not None or rule != "ambiguous"):
        raise RecordLinkError(f'{where} link has candidates: its rule must be "ambiguous" '
                              "and its record null")  # fmt: skip
    among = tuple(read_record(c, f"{where} candidate {n}") for n, c in enumerate(candidates, 1))
    raw = source.get("record")
    score = float(confidence) if confidence is not None else None
    if raw is None:
        return RecordLink(None, origin, score, rule, among)
    return RecordLink(read_record(raw, f"{where} record"), origin, score, rule)


def read_records(line: dict[str, Any]) -> tuple[Person, ...]:
    """An article line's ``records`` (the records no source links to), checked."""
    raw = line.get("records") or []
    if not isinstance(raw, list):
        raise RecordLinkError('"records" must be a list of records')
    return tuple(read_record(r, f"record {n}") for n, r in enumerate(raw, 1))


def read_record(raw: Any, what: str) -> Person:
    """One record object, checked; ``what`` names it in messages."""
    if not isinstance(raw, dict):
        raise RecordLinkError(f"{what} must be an object")
    key = _text(raw.get("id"), f"{what} id", 50, empty=False)
    type_ = raw.get("type") or "PERSON"
    if type_ not in {str(t) for t in PersonType}:
        raise RecordLinkError(f"{what} type must be PERSON, ORG or OTHER, not {type_!r}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        raise RecordLinkError(f"{what} aliases must be a list")
    gender = raw.get("gender")
    if gender is not None:
        gender = _text(gender, f"{what} gender", 30, empty=False)
    gender_origin = raw.get("gender_origin")
    if gender_origin is not None and gender_origin not in {str(g) for g in GenderOrigin}:
        raise RecordLinkError(f"{what} gender_origin must be set, guessed or null")
    if (gender is None) != (gender_origin is None):
        raise RecordLinkError(f"{what} has a gender without its origin, or the other way")
    attributes = raw.get("attributes") or {}
    if not isinstance(attributes, dict) or not all(
        isinstance(v, str) and len(k) <= 100 and len(v) <= 2000 for k, v in attributes.items()
    ):
        raise RecordLinkError(f"{what} attributes must map names to text")
    record_origin = raw.get("origin") or "human"
    if record_origin not in ("model", "human"):
        raise RecordLinkError(f"{what} origin must be model or human")
    return Person(
        id=0,
        collection_id=0,
        name=_name(raw.get("name"), f"{what} name"),
        key=key,
        aliases=tuple(_name(a, f"{what} alias") for a in aliases),
        type=PersonType(type_),
        role=_text(raw.get("role") or "", f"{what} role", 2000),
        gender=gender,
        gender_origin=GenderOrigin(gender_origin) if gender_origin else None,
        attributes=dict(attributes),
        origin=record_origin,
    )
