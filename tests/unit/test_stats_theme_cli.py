"""``quotedesk stats --format png --theme light|dark``: every chart as the window draws it
in either theme (light when not said), and ``--theme`` where no picture is made is a
one-line mistake."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from desktop.cli import main
from desktop.domain.people import ArticleFilter
from desktop.services import charts, statistics
from desktop.store import Database
from tests.unit.test_people_records import load_stories


def where(db: Database) -> str:
    return str(db.path) if db.path is not None else db.location


def corner(png: bytes) -> tuple[int, ...]:
    """The colour of the picture's top-left pixel (the chart's background)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return tuple(image.getpixel((2, 2)))


def rgb(hex_colour: str) -> tuple[int, ...]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("by", statistics.GROUPINGS)
def test_each_chart_comes_in_the_theme_asked_for(db: Database, tmp_path: Path, by: str) -> None:
    load_stories(db)
    rows = statistics.stats(db, by, ArticleFilter())
    made = {}
    for theme in ("light", "dark", None):
        out = tmp_path / f"{by}-{theme}.png"
        asked = ["--theme", theme] if theme else []
        args = ["--db", where(db), "stats", "--by", by, "--format", "png", *asked, "-o", str(out)]
        assert main(args) == 0
        made[theme] = out.read_bytes()
    assert made[None] == made["light"]  # light unless asked
    assert made["light"] != made["dark"]
    for theme in ("light", "dark"):
        assert made[theme] == charts.chart_bytes(by, rows, charts.THEMES[theme], "png")
        assert corner(made[theme]) == rgb(charts.THEMES[theme].background)
    assert sum(corner(made["dark"])) < 150 < sum(corner(made["light"]))


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_theme_without_a_picture_is_a_one_line_mistake(
    db: Database, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    load_stories(db)
    args = ["--db", where(db), "stats", "--by", "type", "--format", fmt, "--theme", "dark"]
    assert main(args) != 0
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert "--theme is for a picture" in err and "\n" not in err and "Traceback" not in err
    assert captured.out == ""


def test_an_unknown_theme_is_refused_by_the_parser(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        main(["--db", where(db), "stats", "--by", "type", "--format", "png", "--theme", "pink"])
    assert "invalid choice: 'pink'" in capsys.readouterr().err
