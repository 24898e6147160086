"""Icons by qtawesome's names, made once each. The ``mdi6`` icons the window uses are drawn
by ``glyph_icons`` from qtawesome's font without importing qtawesome (a tenth of a second
or more); any other name goes to qtawesome itself. The window's controls ask with ``later``
and the main window sets them all at the end of its construction, before its first paint,
so that the toolbars are laid out once, with their icons."""

from __future__ import annotations

from functools import cache
from typing import Protocol

from PySide6.QtGui import QIcon

from desktop.ui.glyph_icons import glyph_icon


class HasIcon(Protocol):
    def setIcon(self, icon: QIcon) -> None: ...  # noqa: N802 (Qt's name)


_pending: list[tuple[HasIcon, str]] = []


@cache
def icon(name: str) -> QIcon:
    drawn = glyph_icon(name)
    if drawn is not None:
        return drawn
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
