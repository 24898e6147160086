"""Limits on the names people and files give things: labels, collections, titles, sources.

Every entrance (each importer, the editor, the Labels dialog, the command line) checks names
here, so that whatever is stored can be shown on one line and written to every export format
without breaking it. A label is one token: CoNLL puts it in a whitespace-separated column,
brat in a space-separated type field and in ``annotation.conf`` (where a leading ``-``, ``!``,
``#`` or ``<`` means something else). A collection or source name is one printable line. A
title is bounded; a title guessed from a file is cut to fit (``clip_title``), one given in a
record is refused when too long. Names already stored are never changed by these rules.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from desktop.domain.model import Article, QuoteKind

MAX_LABEL_CHARS = 50
MAX_COLLECTION_CHARS = 200
MAX_TITLE_CHARS = 1_000
MAX_ID_CHARS = 1_000
MAX_SOURCE_NAME_CHARS = 1_000
MAX_DESCRIPTION_CHARS = 2_000
MAX_META_DEPTH = 20
META_INT_RANGE = range(-(2**63), 2**63)  # what DocBin's msgpack and SQLite's JSON can hold

# the labels the span formats use for quotes and their parts: not for entities
STRUCTURAL_LABELS = frozenset(
    {*(f"{kind.value.upper()}_QUOTE" for kind in QuoteKind), "CUE", "SPEAKER", "SOURCE"}
)
# bidirectional embeddings, overrides and isolates: they reorder how a name is shown
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# what str.splitlines() breaks at (brat's and Python's line readers use it)
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


class InvalidName(ValueError):
    """A name these rules refuse; the message is one line that says which rule."""


def shown(value: object, limit: int = 40) -> str:
    """A name as a message may quote it: one line, escaped, at most ``limit`` characters."""
    if not isinstance(value, str):
        text = repr(value)
        return text if len(text) <= limit else text[:limit] + "…"
    if len(value) <= limit:
        return repr(value)
    return f"{value[:limit]!r}… ({len(value):,} characters)"


def one_line(message: str, limit: int = 400) -> str:
    """A message made fit for one line: line breaks, controls and bidi controls written as
    escapes, cut at ``limit`` characters."""
    head = message[: limit + 1]
    safe = "".join(repr(ch)[1:-1] if _bad_char(ch) else ch for ch in head)
    return safe if len(safe) <= limit and len(message) <= limit else safe[: limit - 1] + "…"


def elide(value: str, limit: int = 80) -> str:
    """A name as a widget may show it: controls, bidi overrides and whitespace runs made one
    space, cut at ``limit``."""
    line = " ".join(_BAD_CHAR.sub(" ", value[: limit * 4]).split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# the characters no name may hold: Cc (C0 and C1 controls), Cs (lone surrogates), Zl, Zp
# and the bidi controls; the second pattern allows tabs and line feeds (titles)
_BAD = "\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069"
_BAD_CHAR = re.compile(f"[{_BAD}]")
_BAD_BUT_BREAKS = re.compile(f"[{_BAD}]".replace("\x00-\x1f", "\x00-\x08\x0b\x0c\x0e-\x1f"))
_ASCII_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def _bad_char(ch: str, allow_breaks: bool = False) -> bool:
    return (_BAD_BUT_BREAKS if allow_breaks else _BAD_CHAR).match(ch) is not None


def _check_line(what: str, value: object, limit: int, allow_breaks: bool = False) -> str:
    if not isinstance(value, str):
        raise InvalidName(f"{what} must be text, not {type(value).__name__}")
    if len(value) > limit:
        raise InvalidName(f"{what} {shown(value)} is longer than {limit:,} characters")
    found = (_BAD_BUT_BREAKS if allow_breaks else _BAD_CHAR).search(value)
    if found is not None:
        bad = found.group()
        kind = "a line break" if bad in LINE_BREAKS else f"the control character {bad!r}"
        if unicodedata.category(bad) == "Cs":
            kind = "a lone surrogate"
        raise InvalidName(f"{what} {shown(value)} holds {kind}")
    return value


def _label_char(ch: str, first: bool) -> bool:
    category = unicodedata.category(ch)
    if first:
        return category[0] == "L" or category == "Nd"
    return category[0] in "LM" or category == "Nd" or ch in "_-"


def check_label(name: object, what: str = "label") -> str:
    """An entity label: 1–50 letters, digits, ``_`` or ``-``, starting with a letter or a
    digit, in Unicode normal form C, and not one of the quote labels (``CUE``...)."""
    if not isinstance(name, str):
        raise InvalidName(f"{what} must be text, not {type(name).__name__}")
    problem = _label_problem(name) if len(name) <= MAX_LABEL_CHARS else "too long"
    if problem is None:
        return name
    if problem == "too long":
        raise InvalidName(f"{what} {shown(name)} is longer than {MAX_LABEL_CHARS} characters")
    raise InvalidName(
        f"{what} {problem}" if problem == "is empty" else f"{what} {shown(name)} {problem}"
    )


@lru_cache(maxsize=4096)
def _label_problem(name: str) -> str | None:
    """What is wrong with a label of at most 50 characters (a few labels recur thousands of
    times in an import: the answer is kept)."""
    if not name:
        return "is empty"
    if _ASCII_LABEL.fullmatch(name) is None and (
        not _label_char(name[0], True) or not all(_label_char(ch, False) for ch in name[1:])
    ):
        return (
            "may hold only letters, digits, _ and - (no spaces or other signs), and must "
            "start with a letter or a digit"
        )
    if not unicodedata.is_normalized("NFC", name):
        return "is not in Unicode normal form C"
    if name in STRUCTURAL_LABELS:
        return "is reserved for quotes and their parts"
    return None


def is_label(name: str) -> bool:
    try:
        check_label(name)
    except InvalidName:
        return False
    return True


def check_collection_name(name: object, existing: Iterable[str] = ()) -> str:
    """1–200 printable characters on one line, no spaces at either end, not starting with
    "-" (the command line would read it as an option), in Unicode normal
    form C, without invisible characters (zero-width space, word joiner, BOM; the joiners
    scripts and emoji need are allowed), and not a look-alike of one of ``existing``
    (the same name but for case or Unicode form: ``Café`` in NFD beside ``café``)."""
    value = _check_line("collection name", name, MAX_COLLECTION_CHARS)
    if not value.strip():
        raise InvalidName("collection name is empty")
    if value != value.strip():
        raise InvalidName(f"collection name {shown(value)} starts or ends with a space")
    if value.startswith("-"):  # `--collection -x` and `--collection=--` read as options
        raise InvalidName(f"collection name {shown(value)} starts with '-'")
    hidden = next((ch for ch in value if _invisible(ch)), None)
    if hidden is not None:
        code = f"U+{ord(hidden):04X} {unicodedata.name(hidden, 'a format character')}"
        raise InvalidName(f"collection name {shown(value)} holds an invisible character ({code})")
    if not unicodedata.is_normalized("NFC", value):
        raise InvalidName(f"collection name {shown(value)} is not in Unicode normal form C")
    key = look_alike_key(value)
    twin = next(
        (other for other in existing if other != value and look_alike_key(other) == key), None
    )
    if twin is not None:
        raise InvalidName(
            f"collection name {shown(value)} differs from the existing collection "
            f"{shown(twin)} only by case or Unicode form; use that one or a distinct name"
        )
    return value


def look_alike_key(name: str) -> str:
    """What two names that read the same have in common (compatibility form, no case)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


_JOINERS = frozenset("\u200c\u200d")  # ZWNJ and ZWJ: Persian, Indic scripts, emoji


def _invisible(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" and ch not in _JOINERS


def check_title(title: object) -> str:
    """Up to 1,000 characters; tabs and line breaks are allowed, other controls are not."""
    return _check_line("title", title, MAX_TITLE_CHARS, allow_breaks=True)


def clip_title(title: str) -> str:
    """A title guessed from a file (a first line, an HTML ``<title>``), made to fit."""
    clean = "".join(" " if _bad_char(ch) else ch for ch in title[: MAX_TITLE_CHARS * 2])
    clean = " ".join(clean.split())
    if len(clean) <= MAX_TITLE_CHARS:
        return clean
    cut = clean[: MAX_TITLE_CHARS - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[-80:] else cut) + "…"


def check_external_id(value: object) -> str:
    """An article's id: 1–1,000 printable characters on one line."""
    text = _check_line("article id", value, MAX_ID_CHARS)
    if not text:
        raise InvalidName("article id is empty")
    return text


def check_source_name(name: object) -> str:
    """A source's name: 1–1,000 printable characters on one line, not only spaces and
    invisible characters (a soft hyphen or joiner inside a name is kept)."""
    value = _check_line("source name", name, MAX_SOURCE_NAME_CHARS)
    if all(ch.isspace() or unicodedata.category(ch) == "Cf" for ch in value):
        raise InvalidName(  # "\u200b" alone is as blank on screen as " "
            "a source needs a name" if not value else f"source name {shown(value)} shows nothing"
        )
    return value


def check_description(text: object) -> str:
    """A source's description: up to 2,000 printable characters on one line."""
    return _check_line("source description", text, MAX_DESCRIPTION_CHARS)


def check_article_names(article: Article) -> None:
    """Every name an imported article brings: id, title, entity labels, sources."""
    check_external_id(article.external_id)
    check_title(article.title)
    for n, entity in enumerate(article.entities, start=1):
        check_label(entity.label, f"entity {n} label")
    for source in article.sources:
        check_source_name(source.name)
        check_description(source.description)


def check_meta(meta: object) -> None:
    """An article's ``meta``: JSON values every format can carry, i.e. text keys, integers
    within 64 bits, finite numbers, nesting at most 20 deep (its size is bounded with the
    rest of what an article carries, in ``desktop.formats.checks``)."""
    if not isinstance(meta, dict):
        raise InvalidName(f"meta must be an object, not {type(meta).__name__}")
    _check_value(meta, "meta", 0)


def _check_value(value: Any, where: str, depth: int) -> None:
    if depth > MAX_META_DEPTH:
        raise InvalidName(f"{where} is nested more than {MAX_META_DEPTH} deep")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise InvalidName(f"{where} has a key that is not text ({key!r})")
            _check_value(item, f"{where}.{shown(key, 20)}" if depth < 3 else where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check_value(item, where, depth + 1)
    elif isinstance(value, bool) or value is None or isinstance(value, str):
        return
    elif isinstance(value, int):
        if value not in META_INT_RANGE:
            raise InvalidName(f"{where} holds an integer beyond 64 bits ({shown(str(value))})")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidName(f"{where} holds {value!r}, which JSON cannot write")
    else:
        raise InvalidName(f"{where} holds a {type(value).__name__}, which is not JSON")
