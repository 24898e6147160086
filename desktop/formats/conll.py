"""CoNLL-2003 style NER columns with IOB2 tags: ``word _ _ B-LABEL``.

Articles are separated by ``-DOCSTART- -X- O O`` (the delimiter ``spacy convert`` splits
on), each line of the article text is a sentence, sentences are separated by a blank line.

The POS and chunk columns are ``_``: Quotedesk stores no tags (the database holds what was
annotated, and a tagger's guesses are not annotations; the formats layer runs no model), so
there are none to write. ``spacy convert`` then gives every token the tag ``_``: train only
``ner`` on it (``--pipeline ner``), not a tagger.

What is lost, by the nature of the format (and tested): the exact whitespace (reading joins
tokens with one space and sentences with a line break), blank lines, the article id, title,
meta and status, quotes and sources, origins (read back as ``human``), and any entity that
overlaps an earlier one (IOB cannot nest). A line break inside an entity does not end the
sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from desktop.domain import Article, Entity, Origin
from desktop.domain.names import InvalidName, check_label, is_label, shown
from desktop.domain.offsets import content_id
from desktop.formats.checks import check_article
from desktop.formats.errors import FormatError
from desktop.formats.jsonlines import numbered_lines
from desktop.formats.tokens import tokenize

DOCSTART = "-DOCSTART- -X- O O"
_TAG = re.compile(r"^(?:O|[BI]-\S+)$")
_NOT_TAG = re.compile(r"[^\w-]+")


def flat_entities(entities: list[Entity]) -> list[Entity]:
    """The entities IOB can hold: no overlaps, the earlier (then longer) one wins."""
    out: list[Entity] = []
    for e in sorted(entities, key=lambda e: (e.start, -e.end)):
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out


def tag_label(label: str) -> str:
    """The label as a tag column holds it: a label stored before names were checked has
    its spaces and signs made ``_``, so that it cannot split or add lines."""
    return label if is_label(label) else _NOT_TAG.sub("_", label)[:50] or "LABEL"


def conll_lines(article: Article) -> Iterator[str]:
    text = article.text
    ents = flat_entities(article.entities)
    tokens = tokenize(text, [p for e in ents for p in (e.start, e.end)])
    yield DOCSTART + "\n\n"
    i, previous_end = 0, 0
    sentence_open = False
    for start, end in tokens:
        while i < len(ents) and ents[i].end <= start:
            i += 1
        ent = ents[i] if i < len(ents) and ents[i].start <= start < ents[i].end else None
        continues = ent is not None and start > ent.start
        if sentence_open and "\n" in text[previous_end:start] and not continues:
            yield "\n"
        if ent is None:
            tag = "O"
        else:
            tag = f"{'I' if start > ent.start else 'B'}-{tag_label(ent.label)}"
        yield f"{text[start:end]} _ _ {tag}\n"
        previous_end, sentence_open = end, True
    yield "\n"


def write_conll(articles: Iterator[Article], fh: IO[str]) -> int:
    n = 0
    for article in articles:
        fh.writelines(conll_lines(article))
        n += 1
    return n


Row = tuple[int, list[str]]  # (line number, columns)


def _label(path: Path, label: str, line: int) -> str:
    try:
        return check_label(label)
    except InvalidName as exc:
        raise FormatError(path, str(exc), line) from None


def _article(path: Path, rows: list[tuple[int, list[Row]]]) -> Article:
    """Rebuild one article from its sentences of (line number, columns)."""
    parts: list[str] = []
    entities: list[Entity] = []
    offset = 0
    current: tuple[int, str] | None = None  # (start, label) of the open entity

    def close(end: int) -> None:
        nonlocal current
        if current is not None:
            entities.append(Entity(current[0], end, current[1], "", Origin.HUMAN))
            current = None

    last_end = 0
    for s, (_, sentence) in enumerate(rows):
        if s:
            parts.append("\n")
            offset += 1
        for w, (number, cols) in enumerate(sentence):
            if w:
                parts.append(" ")
                offset += 1
            word, tag = cols[0], cols[-1]
            if len(cols) < 2 or not _TAG.match(tag):
                got = " ".join(cols)
                raise FormatError(
                    path, f"expected a word and an IOB tag, got {shown(got, 80)}", number
                )
            if tag == "O" or tag.startswith("B-") or current is None or current[1] != tag[2:]:
                close(last_end)
                if tag != "O":
                    current = (offset, _label(path, tag[2:], number))
            parts.append(word)
            offset += len(word)
            last_end = offset
    close(last_end)
    text = "".join(parts)
    for e in entities:
        e.text = text[e.start : e.end]
    article = Article(external_id=content_id(text), text=text, entities=entities)
    check_article(path, article, rows[0][1][0][0] if rows and rows[0][1] else None)
    return article


def read_conll(path: Path) -> Iterator[Article]:
    """Articles split at -DOCSTART- lines; sentences at blank lines."""
    doc: list[tuple[int, list[Row]]] = []
    sentence: list[Row] = []
    found = False
    for number, line in itertools.chain(
        numbered_lines(path), [(-1, "-DOCSTART-")]
    ):  # flush the last
        cols = line.split()
        if not cols or cols[0] == "-DOCSTART-":
            if sentence:
                doc.append((number, sentence))
                sentence = []
            if doc and cols:
                yield _article(path, doc)
                doc = []
            continue
        found = True
        sentence.append((number, cols))
    if not found:
        raise FormatError(path, "the file holds no tokens")
