"""Gender of a first name, from ``resources/first_names.txt`` (written by hand: names that
are nearly always one gender; names worn by both are left out).

No maintained first-name gender package fits: gender-guesser is GPLv3 (the app is MIT and is
bundled), nomquamgender pulls pandas and parses a 22 MB table on import, the others call web
services.  The pronouns of the text itself (``people.py``) add to this list.
"""

from __future__ import annotations

from functools import lru_cache

from desktop.nlp.attribution.lexicon import read_resource_text

RESOURCE = "first_names.txt"


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    """Lower-cased first name -> "f" or "m"."""
    out: dict[str, str] = {}
    section = ""
    for raw in read_resource_text(RESOURCE).splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if line in ("[female]", "[male]"):
            section = "f" if line == "[female]" else "m"
            continue
        for word in line.split():
            if section:
                out[word] = section
    return out


def first_name_gender(word: str) -> str | None:
    """ "f", "m" or None for a first name (any case)."""
    return first_names().get(word.lower().strip(".,"))
