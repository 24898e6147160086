"""The gender-gap chart: the share of quotes (and of sources) by women, men and unknown,
as 100% bars. A gender the first-name guess gave is its own hatched segment beside the one
a person set, never added to it silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from desktop.domain.people import UNKNOWN
from desktop.services.charts import ChartTheme, StatLike, label, legend

if TYPE_CHECKING:
    from matplotlib.axes import Axes

SHOWN_SHARE = 0.04  # a segment narrower than this carries no figure
_ORDER = {"female": 0, "male": 1}  # then any other gender a person set, then unknown


def segments(rows: Sequence[StatLike]) -> list[StatLike]:
    """The rows in the order they are drawn: women (set, guessed), men (set, guessed), any
    other gender a person set, unknown last."""

    def place(row: StatLike) -> tuple[int, str, bool]:
        gender = _gender(row)
        guessed = bool(getattr(row, "guessed", False))
        if gender is None:
            return (9, "", guessed)
        return (_ORDER.get(gender, 5), gender, guessed)

    return sorted(rows, key=place)


def _gender(row: StatLike) -> str | None:
    """The row's gender; None for the row of records with none ("unknown")."""
    gender = getattr(row, "gender", None)
    return None if gender in (None, UNKNOWN) else str(gender)


def colour_of(row: StatLike, theme: ChartTheme, others: list[str]) -> str:
    gender = _gender(row)
    if gender == "female":
        return theme.women
    if gender == "male":
        return theme.men
    if gender is None:
        return theme.unknown
    if gender not in others:
        others.append(gender)
    return (theme.quotes, theme.sources)[others.index(gender) % 2]


def ink_on(colour: str, alpha: float, background: str) -> str:
    """Black or white, whichever reads on ``colour`` laid at ``alpha`` over ``background``
    (relative luminance, as WCAG computes it)."""
    from matplotlib.colors import to_rgb

    mixed = [
        alpha * c + (1 - alpha) * b for c, b in zip(to_rgb(colour), to_rgb(background), strict=True)
    ]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in mixed]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # contrast with white (1.05 / (L + 0.05)) against black ((L + 0.05) / 0.05)
    return "#ffffff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 else "#111111"


def draw_gender(axes: Axes, rows: Sequence[StatLike], theme: ChartTheme) -> None:
    """Two stacked bars, quotes above sources, each summing to 100%."""
    ordered = segments(rows)
    bars = [("quotes", [r.quotes for r in ordered])]
    if any(r.sources is not None for r in ordered):
        bars.append(("sources", [r.sources or 0 for r in ordered]))
    others: list[str] = []
    colours = [colour_of(r, theme, others) for r in ordered]
    for place, (_name, counts) in enumerate(bars):
        total = sum(counts)
        left = 0.0
        for row, count, colour in zip(ordered, counts, colours, strict=True):
            share = count / total if total else 0.0
            guessed = bool(getattr(row, "guessed", False))
            axes.barh(
                place,
                share,
                0.6,
                left=left,
                color=colour,
                alpha=0.55 if guessed else 1.0,
                hatch="///" if guessed else None,
                edgecolor=theme.background,
                linewidth=1,
                label=label(row.key) if place == 0 else None,
            )
            if share >= SHOWN_SHARE:
                share_text = axes.text(
                    left + share / 2,
                    place,
                    f"{share:.0%}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=ink_on(colour, 0.55 if guessed else 1.0, theme.background),
                )
                share_text.set_in_layout(False)  # inside its bar: nothing to lay out
            left += share
    axes.set_yticks(range(len(bars)), [name for name, _ in bars])
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.xaxis.set_major_formatter("{x:.0%}")
    axes.grid(False, axis="y")
    legend(axes, theme, below=min(5, len(ordered)))
