"""Country names and the capitals that stand for them in news ("Washington said" is the
United States), for matching source names."""

from __future__ import annotations

# fmt: off
ALIASES = {
    "us": "united states", "u.s": "united states", "usa": "united states",
    "america": "united states", "united states of america": "united states",
    "uk": "britain", "u.k": "britain", "united kingdom": "britain", "great britain": "britain",
    "dprk": "north korea", "rok": "south korea", "prc": "china",
}
CAPITALS = {
    "washington": "united states", "moscow": "russia", "kremlin": "russia",
    "beijing": "china", "pyongyang": "north korea", "seoul": "south korea", "tokyo": "japan",
    "london": "britain", "paris": "france", "berlin": "germany", "kyiv": "ukraine",
    "kiev": "ukraine", "tehran": "iran", "ankara": "turkey", "delhi": "india",
    "new delhi": "india", "islamabad": "pakistan", "jerusalem": "israel", "ottawa": "canada",
    "canberra": "australia", "rome": "italy", "madrid": "spain", "brussels": "european union",
    "taipei": "taiwan", "riyadh": "saudi arabia", "cairo": "egypt", "damascus": "syria",
    "baghdad": "iraq", "kabul": "afghanistan", "havana": "cuba", "caracas": "venezuela",
    "mexico city": "mexico", "brasilia": "brazil", "minsk": "belarus",
}
# fmt: on


def canon(tokens: tuple[str, ...]) -> str:
    """A name's words as one comparable string: "U.S." and "USA" are "united states"."""
    name = " ".join(tokens).replace(".", "")
    return ALIASES.get(name, name)


PLACES = frozenset(ALIASES) | frozenset(ALIASES.values()) | frozenset(CAPITALS)


def is_place(tokens: tuple[str, ...]) -> bool:
    """Whether a name's words are a country or capital of the lists above ("U.S.",
    "Ottawa"): never a part of a person's name."""
    return bool(tokens) and canon(tokens) in PLACES
