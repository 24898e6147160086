"""Keyset paging: the rows after a given row of a sorted list, found from that row's sort key
instead of by counting the rows before it (``OFFSET`` walks them all: 0.2 s at row 100,000).

A list is ordered by one key (ascending or descending, NULLs first or last as the engine or
the query puts them) and then by id ascending, so every row has one place. The rows after
``(k0, id0)`` are the rows with key ``k0`` and a larger id, then those with a key strictly
after ``k0``; NULL keys form one block of their own at one end. Each block is its own condition
(``Segment``), read in order, so that each one is a plain range an index can answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import InstrumentedAttribute

T = TypeVar("T")


@dataclass(frozen=True)
class Order:
    """How a list is sorted: ``key`` in ``descending`` order with NULLs first or last, ties
    broken by ``id`` ascending."""

    key: ColumnElement[object]
    id: ColumnElement[int] | InstrumentedAttribute[int]
    descending: bool
    nulls_first: bool


def nulls_first(dialect: str, descending: bool, explicit_last: bool = False) -> bool:
    """Where an engine puts NULL keys when the query does not say: SQLite takes NULL as the
    smallest value, PostgreSQL as the largest. ``explicit_last``: the query says NULLS LAST."""
    if explicit_last:
        return False
    smallest = dialect != "postgresql"
    return smallest != descending


def after(order: Order, key: object, row_id: int) -> list[ColumnElement[bool]]:
    """The conditions, block by block in list order, that select the rows after the row
    ``row_id`` whose sort key is ``key`` (None for NULL)."""
    k, i = order.key, order.id
    if key is None:
        rest = [and_(k.is_(None), i > row_id)]
        return rest + ([k.is_not(None)] if order.nulls_first else [])
    # the rest of the row's own key first, then the keys after it: two ranges of the
    # (key, id) index (one condition "k <= key AND (k < key OR id > row_id)" makes the
    # engine walk the whole run of equal keys before the row: 25,000 rows for a count)
    same = and_(k == key, i > row_id)
    later = k < key if order.descending else k > key
    return [same, later] + ([] if order.nulls_first else [k.is_(None)])


def descending_runs(
    order: Order,
    first: object | None,
    row_id: int | None,
    limit: int,
    fetch: Callable[[ColumnElement[bool], int], list[T]],
    below: Callable[[object], object | None],
) -> list[T]:
    """Up to ``limit`` rows of a descending order on a key that is never NULL and has few
    values (a count), read run by run from an ascending ``(key, id)`` index: the rows of key
    ``first`` (after ``row_id`` when given), then of the next key ``below`` it, each run a
    plain index range in id order. (Read backwards, that index lists equal keys in
    descending id order, which the engine would sort again run by run.)"""
    rows: list[T] = []
    key = first
    while key is not None and len(rows) < limit:
        run = order.key == key if row_id is None else and_(order.key == key, order.id > row_id)
        rows += fetch(run, limit - len(rows))
        row_id = None
        key = below(key)
    return rows
