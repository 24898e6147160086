"""A small collection of our own articles that quote the same people under different forms,
imported as JSONL (sources and quotes as a person made them) and linked into records by the
real rules: what the sources index, the concordance and the statistics are tested on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

COLLECTION = "City news"


@dataclass(frozen=True)
class Said:
    """One quote: who (the source's name in this article, its type) and what."""

    name: str
    type: str
    words: str


@dataclass(frozen=True)
class Story:
    """One article: its id, outlet, date, title and quotes."""

    id: str
    outlet: str
    published: str
    title: str
    quotes: list[Said]


# every sentence is our own
ARTICLES: list[Story] = [
    Story("bridge-1", "Daily Post", "2026-10-05", "Council votes to repair the old bridge", [
        Said("Maria Lopez", "PERSON", "The bridge has waited long enough"),
        Said("Tom Reed", "PERSON", "We will watch every cent of it"),
        Said("City Council", "ORG", "Work starts in the spring"),
    ]),
    Story("bridge-2", "Daily Post", "2026-10-20", "Bridge repairs start early", [
        Said("Lopez", "PERSON", "The weather was kind to us"),
        Said("Lopez", "PERSON", "Traffic will move again by June"),
    ]),
    Story("bridge-3", "Evening Star", "2026-11-03", "Costs of the bridge rise", [
        Said("Maria Lopez", "PERSON", "Steel costs more than it did"),
        Said("Tom Reed", "PERSON", "I warned them about this"),
        Said("Anna Berg", "PERSON", "Drivers are tired of the detour"),
    ]),
    Story("park-1", "Evening Star", "2026-11-17", "A new park by the river", [
        Said("Tom Reed", "PERSON", "A park is money well spent"),
    ]),
]  # fmt: skip


def article_record(
    external_id: str, outlet: str, published: str, title: str, quotes: list[Said]
) -> dict[str, Any]:
    """One JSONL record: a text of one paragraph per quote, with sources and quotes."""
    text = f"{title}.\n\n"
    keys: dict[str, str] = {}
    sources: list[dict[str, Any]] = []
    spans: list[dict[str, Any]] = []
    for said in quotes:
        if said.name not in keys:
            keys[said.name] = f"s{len(keys) + 1}"
            sources.append(
                {"id": keys[said.name], "name": said.name, "type": said.type, "mentions": []}
            )
        source = next(s for s in sources if s["id"] == keys[said.name])
        start_name = len(text)
        text += f"{said.name} said: “"
        source["mentions"].append(
            {"start": start_name, "end": start_name + len(said.name), "text": said.name}
        )
        start = len(text)
        text += said.words
        end = len(text)
        text += ".”\n\n"
        spans.append(
            {
                "start": start,
                "end": end,
                "text": said.words,
                "kind": "direct",
                "speaker": {
                    "start": start_name,
                    "end": start_name + len(said.name),
                    "text": said.name,
                },
                "source": {"id": keys[said.name], "name": said.name},
                "origin": "human",
            }
        )
    return {
        "id": external_id,
        "title": title,
        "text": text,
        "meta": {"outlet": outlet, "published": published},
        "sources": sources,
        "quotes": spans,
    }


def story_record(story: Story) -> dict[str, Any]:
    return article_record(story.id, story.outlet, story.published, story.title, story.quotes)


def write_collection(path: Path, stories: list[Story] = ARTICLES) -> Path:
    return write_records(path, [story_record(s) for s in stories])


def write_records(path: Path, records: list[dict[str, Any]]) -> Path:
    """The records as a JSONL file, one a line."""
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def import_and_link(db: Any, path: Path) -> None:
    """Import a JSONL file into the collection and link its sources into records."""
    from desktop.services import importing, sources

    report = importing.import_paths(db, [path], COLLECTION)
    assert not report.errors, report.errors
    sources.link_collection(db, COLLECTION)


def shown_window(make_window: Any, width: int = 1300, height: int = 820) -> Any:
    """A window on the test's database whose tasks run at once, shown at that size."""
    window = make_window(add_sample=False, synchronous=True)
    window.resize(width, height)
    window.show()
    return window


def fill(db: Any, folder: Path) -> None:
    """Import the collection into ``db`` and link its sources into records."""
    import_and_link(db, write_collection(folder / "city.jsonl"))


# --- a larger collection of our own making, for the pictures in docs/ ---------------------

PEOPLE = [
    ("Maria Lopez", "Lopez"),
    ("Tom Reed", "Reed"),
    ("Anna Berg", "Berg"),
    ("David Chen", "Chen"),
    ("Sarah Okafor", "Okafor"),
    ("James Walsh", "Walsh"),
    ("Linda Park", "Park"),
    ("Robert Klein", "Klein"),
    ("Emily Novak", "Novak"),
    ("Michael Haas", "Haas"),
    ("Kim Doran", "Doran"),
]
ORGS = ["City Council", "Harbour Authority", "Transit Union"]
OUTLETS = ["Daily Post", "Evening Star", "Harbour Weekly", "Metro Radio"]
SAYINGS = [
    "The plan is sound",
    "We need more time",
    "Nobody asked the residents",
    "The budget will hold",
    "This is a good day for the city",
    "The numbers do not add up",
    "We will keep working on it",
    "I have seen this before",
]


def rich_articles(count: int = 36, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` articles over four months and four outlets, quoting the same people under
    their full names and surnames: a picture with something to show."""
    import random

    rng = random.Random(seed)
    records = []
    for n in range(count):
        month = 8 + n * 4 // count
        day = 1 + rng.randrange(28)
        weights = [12, 9, 7, 6, 5, 5, 4, 3, 3, 2, 2]
        chosen = rng.choices(PEOPLE, weights=weights, k=rng.randint(2, 5))
        quotes = [
            Said(full if rng.random() < 0.6 else short, "PERSON", rng.choice(SAYINGS))
            for full, short in chosen
        ]
        if rng.random() < 0.5:
            quotes.append(Said(rng.choice(ORGS), "ORG", rng.choice(SAYINGS)))
        records.append(
            article_record(
                f"story-{n}",
                OUTLETS[rng.choices(range(4), weights=[5, 4, 2, 1])[0]],
                f"2026-{month:02d}-{day:02d}",
                f"Story {n} about the harbour",
                quotes,
            )
        )
    return records


def fill_rich(db: Any, folder: Path) -> None:
    """Import the larger collection, link it, guess genders and set two by hand."""
    from desktop.services import sources

    import_and_link(db, write_records(folder / "rich.jsonl", rich_articles()))
    editor = sources.RecordEditor(db)
    editor.guess_genders(COLLECTION)
    page = sources.record_page(db, search="")
    by_name = {s.person.name: s.person for s in page.rows}
    for name, gender in (("Maria Lopez", "female"), ("Kim Doran", "female")):
        if name in by_name:
            editor.set_gender(by_name[name].id, gender)


# two people called Smith, then a "Smith" alone: the rules cannot tell which
TWO_SMITHS: list[Story] = [
    Story("smith-1", "Daily Post", "2026-11-20", "Schools get new roofs",
          [Said("John Smith", "PERSON", "The roofs are done")]),
    Story("smith-2", "Daily Post", "2026-11-21", "Clinic opens late",
          [Said("Jane Smith", "PERSON", "The clinic opens at nine")]),
    Story("smith-3", "Evening Star", "2026-11-22", "Budget talks go on",
          [Said("Smith", "PERSON", "We are close to a deal")]),
]  # fmt: skip


def fill_with_smiths(db: Any, folder: Path) -> None:
    """The small collection and the two Smiths, linked."""
    import_and_link(db, write_collection(folder / "city.jsonl", ARTICLES + TWO_SMITHS))
