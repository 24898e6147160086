"""The cue lexicon: reporting verbs, cue phrases and cue nouns, read once per process.

The lists live in ``resources/speech_verbs.txt`` (package ``desktop.resources``); see that
file for its format.  Reading falls back to the repository's ``resources/`` folder when the
package mapping is not installed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

RESOURCE_NAME = "speech_verbs.txt"
# Verb classes that report no statement: a belief, piece of knowledge, perception, finding,
# wish, plan, refusal, stance or topic is not somebody's words (resources/speech_verbs.txt).
NON_SPEECH = frozenset(
    {"belief", "knowledge", "perception", "finding", "wish", "plan", "refusal", "stance", "topic"}
)


@dataclass(frozen=True)
class Lexicon:
    """Cue words by kind.  ``verbs`` maps a lemma of a speech verb to its tags (``obj``,
    ``weak``, ...); ``classes`` maps a verb that reports no statement to its class
    ("belief", "perception", "plan", ...)."""

    verbs: dict[str, frozenset[str]] = field(default_factory=dict)
    phrases: tuple[tuple[str, ...], ...] = ()
    nouns: frozenset[str] = frozenset()
    classes: dict[str, str] = field(default_factory=dict)

    @property
    def phrase_starts(self) -> frozenset[str]:
        """First words of the phrases, to skip every other token quickly."""
        return frozenset(words[0] for words in self.phrases)

    def is_verb_cue(self, lemma: str) -> bool:
        return lemma in self.verbs

    def cue_class(self, lemma: str) -> str | None:
        """ "speech" for a speech verb, its class for a listed non-speech verb, else None."""
        if lemma in self.verbs:
            return "speech"
        return self.classes.get(lemma)

    def verb_has(self, lemma: str, tag: str) -> bool:
        return tag in self.verbs.get(lemma, ())


def read_resource_text(name: str = RESOURCE_NAME) -> str:
    """The text of a file in ``desktop.resources``, else in the repository's ``resources/``."""
    try:
        return resources.files("desktop.resources").joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        path = Path(__file__).resolve().parents[3] / "resources" / name
        return path.read_text(encoding="utf-8")


def parse_lexicon(text: str) -> Lexicon:
    """Parse the sectioned cue list (``[verbs]``, ``[phrases]``, ``[nouns]``)."""
    verbs: dict[str, frozenset[str]] = {}
    classes: dict[str, str] = {}
    phrases: list[tuple[str, ...]] = []
    nouns: set[str] = set()
    section = "verbs"
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip().lower()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            continue
        if section == "verbs":
            lemma, *tags = line.split()
            kind = next((t for t in tags if t in NON_SPEECH), None)
            if kind is not None:
                classes[lemma] = kind
            else:
                verbs[lemma] = verbs.get(lemma, frozenset()) | frozenset(tags)
        elif section == "phrases":
            phrases.append(tuple(line.split()))
        elif section == "nouns":
            nouns.add(line)
    for lemma in classes:
        verbs.pop(lemma, None)  # a class tag wins over a plain listing
    return Lexicon(verbs=verbs, phrases=tuple(phrases), nouns=frozenset(nouns), classes=classes)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The default lexicon, parsed on first use and cached for the process."""
    return parse_lexicon(read_resource_text())
