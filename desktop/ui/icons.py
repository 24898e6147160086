"""qtawesome icons, made once each and, for the window's own controls, only after its
first paint: importing qtawesome takes a few tenths of a second."""

from __future__ import annotations

from functools import cache
from typing import Protocol

from PySide6.QtGui import QIcon


class HasIcon(Protocol):
    def setIcon(self, icon: QIcon) -> None: ...  # noqa: N802 (Qt's name)


_pending: list[tuple[HasIcon, str]] = []


@cache
def icon(name: str) -> QIcon:
    import qtawesome as qta

    found: QIcon = qta.icon(name)  # qtawesome has no type information
    return found


def later(target: HasIcon, name: str) -> None:
    """Give ``target`` the icon ``name`` once ``apply_pending`` runs."""
    _pending.append((target, name))


def apply_pending() -> None:
    while _pending:
        target, name = _pending.pop(0)
        try:
            target.setIcon(icon(name))
        except RuntimeError:  # the widget was deleted meanwhile
            continue
