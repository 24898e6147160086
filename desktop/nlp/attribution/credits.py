"""Bylines, photo credits and datelines: text that names people who are not sources.

"By Jane Doe, The Canadian Press", "(Photo: Jane Doe/Reuters)", "(Lauren Smith / CBC News)",
"John Roe/Getty Images" and "MILTON, Ont. —" name the writer, the photographer or the place
of the story; a person named there is never a source and never the antecedent of "she".
``credit_spans`` finds those stretches of text; ``is_place_abbreviation`` tells a province or
state abbreviation ("Ont.", "B.C.") that the recogniser took for a person.
"""

from __future__ import annotations

import re

# fmt: off
AGENCIES = (
    r"Reuters|AP|AFP|Getty(?: Images)?|The Canadian Press|Canadian Press|CP|CBC(?: News)?|CTV"
    r"(?: News)?|Global News|Postmedia(?: News)?|Bloomberg|The Associated Press|Associated Press"
    r"|Star|Toronto Star|National Post|The Globe and Mail|HuffPost|Xinhua|EPA|Shutterstock"
)
# fmt: on
_NAME = r"[A-Z][\w.'’-]*(?:[ \t][A-Z][\w.'’-]*){0,3}"
_PATTERNS = [
    # "(Photo: Jane Doe/Reuters)", "(Jane Doe / CBC News)", "( THE CANADIAN PRESS FILE PHOTO )"
    re.compile(
        r"\((?:[ \t]*(?:photo|photograph|image|file|video|credit)s?\b[^()\n]{0,80}"
        r"|[^()\n]{0,60}/[^()\n]{0,60}"
        r"|[ \t]*THE CANADIAN PRESS[^()\n]{0,40})\)",
        re.I,
    ),
    # "Photo by Jane Doe", "Photo: Jane Doe"
    re.compile(r"\b(?:photo|photograph|image)s?(?: by|:)[ \t]+" + _NAME, re.I),
    # "Jane Doe/Getty Images", "Jane Doe / Reuters"
    re.compile(_NAME + r"[ \t]*/[ \t]*(?:" + AGENCIES + r")\b"),
    # a byline paragraph: "By Jane Doe", "By Jane Doe, The Canadian Press"
    re.compile(
        r"(?m)^[ \t]*By[ \t]+" + _NAME + r"(?:[ \t]*(?:,|and|&)[ \t]*" + _NAME + r")*"
        r"(?:,?[ \t]*(?:" + AGENCIES + r"))?[ \t]*$"
    ),
    # a signature line: "Jane Doe, The Canadian Press" alone on its line
    re.compile(r"(?m)^[ \t]*" + _NAME + r",[ \t]*(?:" + AGENCIES + r")[ \t]*$"),
    # the agency's name opening a photo caption: "The Canadian Press Prime Minister ... holds"
    re.compile(r"(?m)^[ \t]*(?:The Canadian Press|THE CANADIAN PRESS)\b"),
    # "With a report from The Canadian Press", "With files from Reuters"
    re.compile(r"(?m)^[ \t]*With (?:a )?(?:reports?|files) from [^\n]{1,80}$"),
    # a dateline: "MILTON, Ont. —", "OTTAWA —", "WASHINGTON (AP) —"
    re.compile(
        r"(?m)^[ \t]*[A-Z][A-Z .'-]{2,40}(?:,[ \t]*[A-Z][\w.]{1,12})?"
        r"(?:[ \t]*\([^()\n]{1,30}\))?[ \t]*[—–-]{1,2}"
    ),
]
PLACE_ABBREVIATIONS = {
    "ont",
    "que",
    "b.c",
    "alta",
    "sask",
    "man",
    "n.s",
    "n.b",
    "nfld",
    "p.e.i",
    "n.w.t",
    "y.t",
    "calif",
    "fla",
    "mass",
    "conn",
    "penn",
    "wash",
    "ore",
    "ariz",
    "colo",
    "ill",
    "mich",
    "minn",
    "wis",
    "tenn",
    "ky",
    "va",
    "md",
    "n.y",
    "n.j",
    "d.c",
    "ga",
    "tex",
    "la",
    "mo",
}


def credit_spans(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every byline, photo credit and dateline in ``text``, sorted."""
    spans = [m.span() for pattern in _PATTERNS for m in pattern.finditer(text)]
    return sorted(spans)


CAPTION_LEADS = ("The Canadian Press ", "THE CANADIAN PRESS ", "Reuters ", "AP Photo", "Getty ")


def caption_paragraphs(
    text: str, paras: list[tuple[int, int]], credits: list[tuple[int, int]]
) -> set[int]:
    """Indices of the paragraphs that are photo captions: they end with a credit
    ("... on Thursday. (Jane Doe/CBC)") or open with the agency's name ("The Canadian Press
    Prime Minister ... holds a town hall")."""
    ends = {b for _, b in credits}
    out = set()
    for i, (lo, hi) in enumerate(paras):
        tail = text[max(lo, hi - 3) : hi + 1]
        if any(hi - 3 <= e <= hi + 1 for e in ends) and ")" in tail:
            out.add(i)
        elif text.startswith(CAPTION_LEADS, lo):
            out.add(i)
    return out


def is_place_abbreviation(text: str, start: int, end: int) -> bool:
    """A one-word "name" that is a province or state abbreviation after a place: the
    "Ont" of "Mississauga, Ont."."""
    word = text[start:end].strip().rstrip(".").lower()
    before = text[max(0, start - 2) : start]
    return word in PLACE_ABBREVIATIONS and ("," in before or end < len(text) and text[end] == ".")
