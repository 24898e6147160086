"""One colour per entity label, readable on light and dark backgrounds."""

from __future__ import annotations

from PySide6.QtGui import QColor

# hue per spaCy OntoNotes label; saturation and lightness depend on the theme
_HUES = {
    "PERSON": 210,
    "ORG": 30,
    "GPE": 120,
    "NORP": 280,
    "LOC": 160,
    "FAC": 190,
    "EVENT": 340,
    "WORK_OF_ART": 300,
    "LAW": 50,
    "LANGUAGE": 260,
    "PRODUCT": 0,
    "DATE": 75,
    "TIME": 90,
    "PERCENT": 230,
    "MONEY": 140,
    "QUANTITY": 20,
    "ORDINAL": 245,
    "CARDINAL": 200,
}


def label_color(label: str, dark: bool = False) -> QColor:
    """Background colour for a label: pale on light themes, deep on dark ones."""
    hue = _HUES.get(label, sum(map(ord, label)) * 47 % 360)
    if dark:
        return QColor.fromHsl(hue, 110, 70)
    return QColor.fromHsl(hue, 200, 215)


def is_dark(background: QColor) -> bool:
    return background.lightness() < 128


def quote_color(dark: bool) -> QColor:
    """The underline that marks quotes apart from entity highlights."""
    return QColor("#ffb74d") if dark else QColor("#c62828")


def focus_color(dark: bool, strong: bool) -> QColor:
    """The highlight of the quote or source picked in the sidebar."""
    if strong:
        return QColor("#ffca28") if dark else QColor("#ffd54f")
    return QColor("#fff59d") if dark else QColor("#fff9c4")
